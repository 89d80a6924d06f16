/* The tier set (tiers.h): the pure choices first, then the set's
 * operations, each one pool's or a loop over them. */
#include "tiers.h"

#include "config.h"
#include "log.h"
#include "othermem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int tier_choose(const struct tier_fact *f, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (f[i].room && f[i].net_ok && f[i].reachable)
			return i;
	return -1;
}

int tier_wait_for(const struct tier_fact *f, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (f[i].net_ok && !f[i].reachable)
			return i;
	return -1;
}

int tier_file_priority(const struct tier_prio *pr, bool net, bool mixed)
{
	int want = pr->want;

	/* 0 is the lowest priority swapon(2) takes; the kernel's own are
	 * negative, below it.  (zram at 0 or below leaves no room between:
	 * both tiers then get the kernel's own.) */
	if (!pr->user_set && mixed && !net)
		want = 0;
	return othermem_file_priority(want, pr->user_set, pr->zram_n,
				      pr->zram_min_prio);
}

static void pool_blank(struct pool *p)
{
	memset(p, 0, sizeof(*p));
	p->wake[0] = p->wake[1] = -1;
	p->dir.fd = p->dir.lock_fd = -1;
}

/* Open every tier: pool_open, or (wait_ms >= 0) pool_open_bounded. */
static int open_all(struct tiers *ts, const char *swappath,
		    const struct pool_sys *sys, uint64_t min_swapsize_b,
		    int64_t wait_ms, char *err, size_t errlen)
{
	char dirs[TIERS_MAX][256];
	int i, j, n;

	ts->n = 0;
	for (i = 0; i < TIERS_MAX; i++)
		pool_blank(&ts->t[i]);
	n = swappath_split(swappath, dirs, TIERS_MAX, err, errlen);
	if (n < 0)
		return GM_EXIT_USAGE;
	for (i = 0; i < n; i++) {
		int rc = wait_ms < 0
				 ? pool_open(&ts->t[i], dirs[i], sys, err, errlen)
				 : pool_open_bounded(&ts->t[i], dirs[i], sys,
						     min_swapsize_b, wait_ms,
						     err, errlen);

		if (rc) {
			tiers_close(ts);
			return rc;
		}
		ts->n = i + 1;
		/* A directory still opening (its server did not answer)
		 * has no real path yet: it is compared once it has. */
		for (j = 0; j < i; j++)
			if (ts->t[i].dir.canon[0] &&
			    strcmp(ts->t[i].dir.canon, ts->t[j].dir.canon) == 0) {
				snprintf(err, errlen, "swappath names the "
					 "directory %s twice", ts->t[i].dir.canon);
				tiers_close(ts);
				return GM_EXIT_USAGE;
			}
	}
	return 0;
}

int tiers_open(struct tiers *ts, const char *swappath,
	       const struct pool_sys *sys, char *err, size_t errlen)
{
	return open_all(ts, swappath, sys, 0, -1, err, errlen);
}

int tiers_open_bounded(struct tiers *ts, const char *swappath,
		       const struct pool_sys *sys, uint64_t min_swapsize_b,
		       int64_t wait_ms, char *err, size_t errlen)
{
	return open_all(ts, swappath, sys, min_swapsize_b, wait_ms, err,
			errlen);
}

int tiers_lock(struct tiers *ts, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < ts->n; i++) {
		int rc = pool_lock(&ts->t[i], err, errlen);

		if (rc)
			return rc;
	}
	return 0;
}

void tiers_close(struct tiers *ts)
{
	int i;

	for (i = 0; i < ts->n; i++)
		pool_close(&ts->t[i]);
	ts->n = 0;
}

void tiers_net_check(struct tiers *ts)
{
	int i;

	for (i = 0; i < ts->n; i++)
		(void)pool_net_ok(&ts->t[i]);
}

void tiers_adopt(struct tiers *ts, uint64_t min_swapsize_b, int64_t now_ms)
{
	int i;

	for (i = 0; i < ts->n; i++)
		pool_adopt(&ts->t[i], min_swapsize_b, now_ms);
}

void tiers_adopt_bounded(struct tiers *ts, uint64_t min_swapsize_b,
			 int64_t now_ms, int64_t wait_ms)
{
	int i;

	for (i = 0; i < ts->n; i++)
		pool_adopt_bounded(&ts->t[i], min_swapsize_b, now_ms, wait_ms);
}

bool tiers_reach_tick(struct tiers *ts, int64_t now_ms)
{
	bool changed = false;
	int i;

	for (i = 0; i < ts->n; i++)
		changed |= pool_reach_tick(&ts->t[i], now_ms);
	return changed;
}

int64_t tiers_reach_wait_ms(const struct tiers *ts, int64_t now_ms,
			    int64_t wait_ms)
{
	int i;

	for (i = 0; i < ts->n; i++)
		wait_ms = pool_reach_wait_ms(&ts->t[i], now_ms, wait_ms);
	return wait_ms;
}

int tiers_refresh(struct tiers *ts, int64_t now_ms)
{
	int i, rc = 0;

	for (i = 0; i < ts->n; i++) {
		int r = pool_refresh(&ts->t[i], now_ms);

		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

const struct swaps_table *tiers_swaps(const struct tiers *ts)
{
	return ts->n ? ts->t[ts->n - 1].swaps : NULL;
}

/* Does the set hold a tier on a network filesystem and a local one? */
static bool mixed(const struct tiers *ts)
{
	int i, net = 0;

	for (i = 0; i < ts->n; i++)
		net += ts->t[i].dir.nfs;
	return net > 0 && net < ts->n;
}

void tiers_params(const struct tiers *ts, int tier,
		  const struct pool_params *pp, const struct tier_prio *pr,
		  struct pool_params *out)
{
	int i;

	*out = *pp;
	out->other_files = 0;
	out->other_owned_b = 0;
	for (i = 0; i < ts->n; i++)
		if (i != tier) {
			out->other_files += ts->t[i].n;
			out->other_owned_b += pool_owned_b(&ts->t[i]);
		}
	if (pr)
		out->prop.priority = tier_file_priority(
			pr, ts->t[tier].dir.nfs, mixed(ts));
}

/* The facts of each tier for tier_choose and tier_wait_for (this
 * reads each mount's options and each directory's free space, as a
 * single pool did; an unreachable directory's from its last probe).
 * A directory whose deferred open failed is never waited for. */
static int choose(struct tiers *ts, const struct pool_params *pp,
		  const struct tier_prio *pr, const struct meminfo *mi,
		  bool *any_net_ok, int *wait_for)
{
	struct tier_fact f[TIERS_MAX];
	struct pool_params tp;
	int i, k;

	*any_net_ok = false;
	for (i = 0; i < ts->n; i++) {
		tiers_params(ts, i, pp, pr, &tp);
		f[i].net_ok = pool_net_ok(&ts->t[i]);
		f[i].room = f[i].net_ok && pool_room(&ts->t[i], &tp, mi) == 0;
		f[i].reachable = pool_reach_up(&ts->t[i]);
		*any_net_ok |= f[i].net_ok;
	}
	k = tier_choose(f, ts->n);
	for (i = 0; i < ts->n; i++)
		f[i].net_ok &= !ts->t[i].reach.failed;
	*wait_for = tier_wait_for(f, ts->n);
	return k;
}

enum fsm_outcome tiers_grow(struct tiers *ts, const struct pool_params *pp,
			    const struct tier_prio *pr,
			    const struct meminfo *mi, int64_t now_ms,
			    uint64_t *size_b)
{
	struct pool_params tp;
	bool any_net_ok;
	char path[800];
	int i, k = -1, wait_for = -1;

	*size_b = 0;
	/* A file being made in any tier: this GROW is that file. */
	for (i = 0; i < ts->n && k < 0; i++)
		if (!pool_job_idle(&ts->t[i], LANE_GROW))
			k = i;
	/* Else a swapoff under way anywhere ends (pool_grow says why),
	 * and the first tier's spare goes on. */
	for (i = 0; i < ts->n && k < 0; i++) {
		if (pool_swapoff_abort(&ts->t[i])) {
			pool_path(&ts->t[i], ts->t[i].lane[LANE_SHRINK].slot,
				  path, sizeof(path));
			log_notice("short of memory: interrupting the swapoff "
				   "of %s", path);
		}
	}
	for (i = 0; i < ts->n && k < 0; i++)
		if (pool_has_spare(&ts->t[i]) && pool_net_ok(&ts->t[i]) &&
		    pool_reach_up(&ts->t[i]))
			k = i;
	if (k < 0)
		k = choose(ts, pp, pr, mi, &any_net_ok, &wait_for);
	/* None may take it, but one would if its server answered: that
	 * one's GROW waits (pool_grow), with no diet. */
	if (k < 0)
		k = wait_for;
	if (k < 0) {
		/* No tier has room: the first acceptable one says so. */
		for (i = 0; i < ts->n && k < 0; i++)
			if (ts->t[i].dir.refused == 0)
				k = i;
		if (k < 0)
			return FSM_FAILED; /* every mount refused, said */
	}
	tiers_params(ts, k, pp, pr, &tp);
	return pool_grow(&ts->t[k], &tp, mi, now_ms, size_b);
}

enum fsm_outcome tiers_shrink(struct tiers *ts, const struct pool_params *pp,
			      const struct meminfo *mi, int64_t now_ms,
			      uint64_t *size_b)
{
	static struct shrink_file sf[SHRINK_FILES_MAX];
	int tier[SHRINK_FILES_MAX], idx[SHRINK_FILES_MAX];
	struct pool_params tp;
	struct shrink_in in;
	struct shrink_out so;
	int i, j, n = 0;

	*size_b = 0;
	for (i = 0; i < ts->n; i++)
		if (ts->t[i].stopping || !pool_job_idle(&ts->t[i], LANE_SHRINK))
			return FSM_NOTHING; /* one file at a time */
	for (i = 0; i < ts->n; i++) {
		pool_shrink_files(&ts->t[i], sf + n);
		for (j = 0; j < ts->t[i].n; j++, n++) {
			tier[n] = i;
			idx[n] = j;
		}
	}
	pool_shrink_in(pp, mi, now_ms, &in);
	pool_shrink_choose(&in, sf, n, &so);
	i = so.pick >= 0 ? tier[so.pick] : 0;
	tiers_params(ts, i, pp, NULL, &tp);
	return pool_shrink_start(&ts->t[i], &tp, &so,
				 so.pick >= 0 ? &ts->t[i].f[idx[so.pick]] : NULL,
				 size_b);
}

int64_t tiers_expire(struct tiers *ts, const struct pool_params *pp,
		     int64_t now_ms, int64_t wait_ms)
{
	struct pool_params tp;
	int i;

	for (i = 0; i < ts->n; i++) {
		tiers_params(ts, i, pp, NULL, &tp);
		pool_expire(&ts->t[i], &tp, now_ms);
		wait_ms = pool_keep_wait_ms(ts->t[i].f, ts->t[i].n, now_ms,
					    wait_ms);
	}
	return wait_ms;
}

void tiers_collect(struct tiers *ts, const struct pool_params *pp,
		   const struct tier_prio *pr, const struct meminfo *mi,
		   int64_t now_ms, struct pool_done *done)
{
	struct pool_params tp;
	struct pool_done d;
	int i;

	memset(done, 0, sizeof(*done));
	for (i = 0; i < ts->n; i++) {
		tiers_params(ts, i, pp, pr, &tp);
		pool_collect(&ts->t[i], &tp, mi, now_ms, &d);
		if (d.grow) {
			done->grow = true;
			done->grow_out = d.grow_out;
		}
		done->spare_failed |= d.spare_failed;
		if (d.shrink) {
			done->shrink = true;
			done->shrink_out = d.shrink_out;
		}
	}
}

/* standby=active's floor: one active file over the set, the one it was
 * (else the first tier's first), marked in its pool only. */
static void floor_keep(struct tiers *ts)
{
	int i, j, have = -1;

	for (i = 0; i < ts->n && have < 0; i++) {
		struct pool_file *f = pool_find(&ts->t[i], ts->t[i].standby_slot);

		if (f && f->active)
			have = i;
	}
	for (i = 0; i < ts->n && have < 0; i++)
		for (j = 0; j < ts->t[i].n && have < 0; j++)
			if (ts->t[i].f[j].active) {
				ts->t[i].standby_slot = ts->t[i].f[j].slot;
				have = i;
			}
	for (i = 0; i < ts->n; i++)
		if (i != have)
			ts->t[i].standby_slot = 0;
}

static int spares(const struct tiers *ts)
{
	int i, j, n = 0;

	for (i = 0; i < ts->n; i++)
		for (j = 0; j < ts->t[i].n; j++)
			n += !ts->t[i].f[j].active &&
			     !pool_slot_busy(&ts->t[i], ts->t[i].f[j].slot);
	return n;
}

int tiers_standby_start(struct tiers *ts, const struct pool_params *pp,
			const struct tier_prio *pr, const struct meminfo *mi,
			int64_t now_ms)
{
	struct pool_params tp;
	bool any_net_ok;
	int i, k, wait_for;

	for (i = 0; i < ts->n; i++)
		if (ts->t[i].stopping || !pool_job_idle(&ts->t[i], LANE_GROW))
			return 0; /* busy or stopping */
	if (pp->standby == STANDBY_ACTIVE)
		floor_keep(ts);
	if (policy_standby_act(pp->standby, tiers_active_count(ts),
			       spares(ts)) == STANDBY_KEEP)
		return 0;
	k = choose(ts, pp, pr, mi, &any_net_ok, &wait_for);
	if (k < 0)
		return any_net_ok ? -ENOSPC : -EPERM;
	tiers_params(ts, k, pp, pr, &tp);
	return pool_standby_start(&ts->t[k], &tp, mi, now_ms);
}

void tiers_stop(struct tiers *ts, const struct pool_params *pp,
		int64_t wait_ms)
{
	int i;

	for (i = 0; i < ts->n; i++)
		pool_stop(&ts->t[i], pp, wait_ms);
}

int tiers_erase(struct tiers *ts, const struct pool_params *pp)
{
	int i, left = 0;

	for (i = 0; i < ts->n; i++)
		left += pool_erase(&ts->t[i], pp);
	return left;
}

bool tiers_busy(const struct tiers *ts)
{
	int i;

	for (i = 0; i < ts->n; i++)
		if (pool_busy(&ts->t[i]))
			return true;
	return false;
}

bool tiers_has_spare(const struct tiers *ts)
{
	int i;

	for (i = 0; i < ts->n; i++)
		if (pool_has_spare(&ts->t[i]))
			return true;
	return false;
}

int64_t tiers_lead_make_ms(const struct tiers *ts)
{
	int64_t ms = 0;
	int i;

	/* The slowest tier's: a grow may have to go there. */
	for (i = 0; i < ts->n; i++)
		if (pool_lead_make_ms(&ts->t[i]) > ms)
			ms = pool_lead_make_ms(&ts->t[i]);
	return ms;
}

uint64_t tiers_file_b(const struct tiers *ts)
{
	uint64_t b = 0;
	int i, j;

	for (i = 0; i < ts->n; i++) {
		if (ts->t[i].make_b > b)
			b = ts->t[i].make_b;
		for (j = 0; j < ts->t[i].n; j++)
			if (ts->t[i].f[j].size_b > b)
				b = ts->t[i].f[j].size_b;
	}
	return b;
}

uint64_t tiers_free_b(const struct tiers *ts)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < ts->n; i++)
		sum += pool_free_b(&ts->t[i]);
	return sum;
}

int tiers_active_count(const struct tiers *ts)
{
	int i, n = 0;

	for (i = 0; i < ts->n; i++)
		n += pool_active_count(&ts->t[i]);
	return n;
}

void tiers_wake_fds(const struct tiers *ts, int fds[TIERS_MAX])
{
	int i;

	for (i = 0; i < TIERS_MAX; i++)
		fds[i] = i < ts->n ? pool_wake_fd(&ts->t[i]) : -1;
}

void tiers_wake_drain(struct tiers *ts)
{
	int i;

	for (i = 0; i < ts->n; i++)
		pool_wake_drain(&ts->t[i]);
}

void tiers_lane_slots(const struct tiers *ts, int *making, int *retiring)
{
	int i, m, r;

	*making = *retiring = 0;
	for (i = 0; i < ts->n; i++) {
		pool_lane_slots(&ts->t[i], &m, &r);
		if (m)
			*making = i * 100000 + m;
		if (r)
			*retiring = i * 100000 + r;
	}
}

void tiers_view(const struct tiers *ts, struct tiers_view *v)
{
	int i;

	v->n = ts->n;
	for (i = 0; i < ts->n; i++) {
		pool_view(&ts->t[i], &v->t[i]);
		v->net[i] = ts->t[i].dir.nfs;
	}
}
