/* SHRINK: which file goes (pool_shrink_choose, pure, over the files of
 * one pool or of every tier, tiers.c), and starting its job in the
 * shrink lane: a delete for an inactive file, else a swapoff (in a
 * child) and a delete. */
#include "pool.h"

#include "log.h"
#include "policy.h"
#include "resv.h"
#include "util.h"

#include <inttypes.h>
#include <string.h>

int pool_shrink_choose(const struct shrink_in *in, const struct shrink_file *f,
		       int n, struct shrink_out *out)
{
	struct shrink_candidate c[SHRINK_FILES_MAX];
	int idx[SHRINK_FILES_MAX];
	int i, nc = 0, active = 0, spare = -1;
	uint64_t own_free_b = 0;

	memset(out, 0, sizeof(*out));
	out->pick = -1;
	if (n > SHRINK_FILES_MAX)
		n = SHRINK_FILES_MAX;
	for (i = 0; i < n; i++) {
		uint64_t used_b = f[i].used_kb * 1024;

		if (!f[i].active)
			continue;
		active++;
		own_free_b += f[i].size_b > used_b ? f[i].size_b - used_b : 0;
	}
	/* standby=small keeps one spare for the next spike (the first, in
	 * the order given: the first tier's); any other inactive file
	 * (leftovers) costs disk and nothing else: they go first. */
	for (i = 0; i < n; i++) {
		if (f[i].active || f[i].busy)
			continue;
		/* Kept by an earlier shrink for the next GROW: it stays its
		 * time, unless a diet wants the disk now (keep_ms 0). */
		if (f[i].keep_until_ms > in->now_ms && in->keep_ms > 0)
			continue;
		/* small's spare is a small one, never a kept full-size
		 * file (whose time is up: it goes). */
		if (spare < 0 && policy_keeps_spare(in->standby) &&
		    !f[i].keep_until_ms) {
			spare = i;
			continue;
		}
		if (f[i].resume)
			continue;
		out->pick = i;
		out->del = true;
		return i;
	}
	/* standby=active: the last file on is the floor, kept. */
	if (!policy_floor_allows_shrink(in->standby, active))
		return -1;
	for (i = 0; i < n; i++) {
		uint64_t used_b = f[i].used_kb * 1024;

		if (!f[i].active || f[i].busy || f[i].resume)
			continue;
		/* Under strict overcommit a swapoff lowers CommitLimit. */
		if (!policy_shrink_keeps_commit(in->freetarget_pct,
						in->commit_free_kb,
						in->commit_limit_kb,
						f[i].size_b / 1024))
			continue;
		/* Reservations are held: their swap stays. */
		if (!resv_shrink_ok(in->keep_free_b, own_free_b,
				    f[i].size_b > used_b ? f[i].size_b - used_b
							 : 0)) {
			out->held++;
			continue;
		}
		c[nc].size_kb = f[i].size_b / 1024;
		c[nc].used_kb = f[i].used_kb;
		idx[nc++] = i;
	}
	out->candidates = nc;
	i = policy_pick_shrink(in->freetarget_pct, in->free_kb, in->total_kb,
			       in->ram_avail_kb, in->mem_total_kb, c, nc);
	if (i >= 0)
		out->pick = idx[i];
	return out->pick;
}

void pool_shrink_in(const struct pool_params *pp, const struct meminfo *mi,
		    int64_t now_ms, struct shrink_in *in)
{
	memset(in, 0, sizeof(*in));
	in->now_ms = now_ms;
	in->standby = pp->standby;
	in->keep_free_b = pp->keep_free_b;
	in->freetarget_pct = pp->size.freetarget_pct;
	in->free_kb = meminfo_free_kb(mi, &pp->fp);
	in->total_kb = meminfo_total_kb(mi);
	in->ram_avail_kb = meminfo_ram_available_kb(mi, &pp->fp);
	in->mem_total_kb = mi->mem_total_kb;
	meminfo_commit(mi, &in->commit_free_kb, &in->commit_limit_kb);
	in->keep_ms = pp->keep_ms;
}

void pool_shrink_files(const struct pool *p, struct shrink_file *out)
{
	int i;

	for (i = 0; i < p->n; i++)
		out[i] = (struct shrink_file){
			.size_b = p->f[i].size_b, .used_kb = p->f[i].used_kb,
			.active = p->f[i].active,
			/* A directory that does not answer: a swapoff
			 * there would wait on it (pool_reach.h). */
			.busy = pool_slot_busy(p, p->f[i].slot) ||
				!pool_reach_up(p),
			.resume = p->f[i].resume_target,
			.keep_until_ms = p->f[i].keep_until_ms};
}

enum fsm_outcome pool_shrink_start(struct pool *p, const struct pool_params *pp,
				   const struct shrink_out *so,
				   const struct pool_file *f, uint64_t *size_b)
{
	if (so->pick < 0) {
		if (so->candidates)
			log_info("no swap file can be removed safely now");
		else if (so->held)
			log_info("%d swap file(s) kept for reservations "
				 "(%" PRIu64 " MiB reserved)", so->held,
				 pp->keep_free_b / MIB);
		return FSM_NOTHING;
	}
	*size_b = f->size_b;
	return pool_job_start(p, LANE_SHRINK, so->del ? JOB_DELETE : JOB_OFF,
			      f->slot, f->size_b, pp, false) == 0
		       ? FSM_PENDING
		       : FSM_FAILED;
}

enum fsm_outcome pool_shrink(struct pool *p, const struct pool_params *pp,
			     const struct meminfo *mi, int64_t now_ms,
			     uint64_t *size_b)
{
	struct shrink_file sf[POOL_MAX];
	struct shrink_in in;
	struct shrink_out so;

	*size_b = 0;
	if (p->stopping || !pool_job_idle(p, LANE_SHRINK))
		return FSM_NOTHING; /* one file at a time */
	pool_shrink_in(pp, mi, now_ms, &in);
	pool_shrink_files(p, sf);
	pool_shrink_choose(&in, sf, p->n, &so);
	return pool_shrink_start(p, pp, &so, so.pick >= 0 ? &p->f[so.pick] : NULL,
				 size_b);
}

/* Off, kept by a shrink for a GROW, and ours to delete when its time is
 * up (never the hibernation resume target). */
static bool kept_for_grow(const struct pool_file *f)
{
	return !f->active && f->keep_until_ms > 0 && !f->resume_target;
}

int pool_keep_expired(const struct pool_file *f, int n, int64_t now_ms)
{
	int i;

	for (i = 0; i < n; i++)
		if (kept_for_grow(&f[i]) && f[i].keep_until_ms <= now_ms)
			return i;
	return -1;
}

int64_t pool_keep_wait_ms(const struct pool_file *f, int n, int64_t now_ms,
			  int64_t wait_ms)
{
	int i;

	for (i = 0; i < n; i++) {
		int64_t w;

		if (!kept_for_grow(&f[i]))
			continue;
		w = f[i].keep_until_ms - now_ms;
		if (w < 1000)
			w = 1000;
		if (wait_ms < 0 || w < wait_ms)
			wait_ms = w;
	}
	return wait_ms;
}

int pool_expire(struct pool *p, const struct pool_params *pp, int64_t now_ms)
{
	struct pool_file *f;
	char path[800];
	int i;

	if (p->stopping || !pool_job_idle(p, LANE_SHRINK) ||
	    !pool_reach_up(p))
		return 0;
	i = pool_keep_expired(p->f, p->n, now_ms);
	if (i < 0)
		return 0;
	f = &p->f[i];
	pool_path(p, f->slot, path, sizeof(path));
	if (pool_slot_busy(p, f->slot))
		return 0; /* the grow lane turns it on: no longer kept */
	log_info("swap file %s was not needed again in the time it was kept; "
		 "deleting it", path);
	f->keep_until_ms = 0; /* once: a failed delete leaves a leftover */
	return pool_job_start(p, LANE_SHRINK, JOB_DELETE, f->slot, f->size_b,
			      pp, false) == 0;
}
