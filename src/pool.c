/* The files we own: the books, grow and the standby.  (Adoption and the
 * refresh from /proc/swaps are in pool_adopt.c; the shrink in
 * pool_shrink.c; what the lanes finished, stop and erase in
 * pool_collect.c.)  Decisions and bookkeeping only; every system call
 * goes through p->sys, and every file operation through a worker lane
 * (pool_jobs.c).  The standby's own rules are pure in policy.c. */
#include "pool.h"

#include "log.h"
#include "policy.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int pool_slot_of_name(const char *name)
{
	uint64_t v;
	size_t n = strlen(name);

	/* "123" only: no leading zero, no sign, at most 99999. */
	if (name[0] < '1' || name[0] > '9' || n > 5 ||
	    !gm_parse_dec(name, n, 99999, &v))
		return -1;
	return (int)v;
}

int pool_slot_of_path(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (n == 0 || strncmp(path, dir, n) != 0 || path[n] != '/')
		return -1;
	return pool_slot_of_name(path + n + 1);
}

struct pool_file *pool_find(struct pool *p, int slot)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].slot == slot)
			return &p->f[i];
	return NULL;
}

void pool_drop(struct pool *p, struct pool_file *f)
{
	if (f->slot == p->standby_slot)
		p->standby_slot = 0;
	*f = p->f[--p->n];
}

void pool_path(const struct pool *p, int slot, char *out, size_t len)
{
	snprintf(out, len, "%s/%d", p->dir.canon, slot);
}

bool pool_slot_busy(const struct pool *p, int slot)
{
	int l;

	for (l = 0; l < LANE_N; l++)
		if (p->lane[l].slot == slot)
			return true;
	return false;
}

/* The lowest slot with no file of ours, no job, and no entry at all in
 * the directory (a name taken by something we do not own is skipped,
 * not retried for ever). */
static int free_slot(const struct pool *p)
{
	int slot;

	for (slot = 1; slot <= 99999; slot++) {
		if (pool_slot_busy(p, slot) || pool_find((struct pool *)p, slot))
			continue;
		if (!pool_name_taken(p, slot))
			return slot;
	}
	return -1;
}

int pool_pick_spare(const struct pool_file *f, int n, const bool *busy)
{
	int i, best = -1;

	for (i = 0; i < n; i++)
		if (!f[i].active && !busy[i] &&
		    (best < 0 || f[i].size_b > f[best].size_b))
			best = i;
	return best;
}

/* Which of the pool's files a lane works on, for the pure choices
 * (pool_pick_spare, pool_floor_spare). */
static void files_busy(const struct pool *p, bool *busy)
{
	int i;

	for (i = 0; i < p->n; i++)
		busy[i] = pool_slot_busy(p, p->f[i].slot);
}

/* The spare a GROW turns on (pool_pick_spare), or NULL. */
static struct pool_file *best_spare(struct pool *p)
{
	bool busy[POOL_MAX];
	int i;

	files_busy(p, busy);
	i = pool_pick_spare(p->f, p->n, busy);
	return i < 0 ? NULL : &p->f[i];
}

bool pool_has_spare(const struct pool *p)
{
	return best_spare((struct pool *)p) != NULL;
}

uint64_t pool_owned_b(const struct pool *p)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < p->n; i++)
		sum += p->f[i].size_b;
	return sum;
}

static uint64_t file_free_b(const struct pool_file *f)
{
	uint64_t used_b = f->used_kb * 1024;

	return f->size_b > used_b ? f->size_b - used_b : 0;
}

uint64_t pool_free_b(const struct pool *p)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].active)
			sum += file_free_b(&p->f[i]);
	return sum;
}

int pool_active_count(const struct pool *p)
{
	int i, n = 0;

	for (i = 0; i < p->n; i++)
		n += p->f[i].active;
	return n;
}

bool pool_busy(const struct pool *p)
{
	return !pool_job_idle(p, LANE_GROW);
}

int64_t pool_lead_make_ms(const struct pool *p)
{
	bool swapping = false;
	int i;

	for (i = 0; i < p->n; i++)
		swapping |= p->f[i].active && p->f[i].used_kb > 0;
	return policy_lead_make_ms(p->dir.nfs, swapping, p->make_ms,
				   p->slow_make_ms);
}

const char *pool_dir(const struct pool *p)
{
	return p->dir.canon;
}

void pool_lane_slots(const struct pool *p, int *making, int *retiring)
{
	*making = p->lane[LANE_GROW].kind == JOB_MAKE ? p->lane[LANE_GROW].slot
						       : 0;
	*retiring = p->lane[LANE_SHRINK].kind == JOB_OFF
			    ? p->lane[LANE_SHRINK].slot
			    : 0;
}

void pool_view(const struct pool *p, struct pool_view *v)
{
	const struct pool_job *g = &p->lane[LANE_GROW];

	v->n = p->n;
	memcpy(v->f, p->f, sizeof(v->f));
	pool_lane_slots(p, &v->making_slot, &v->retiring_slot);
	v->making_size_b = v->making_slot ? g->size_b : 0;
	v->making_for_grow = v->making_slot &&
			     __atomic_load_n(&g->urgent, __ATOMIC_ACQUIRE);
	v->standby_slot = p->standby_slot;
	v->spare_want_b = p->spare_want_b;
	v->c = p->c;
	v->dir = p->dir.canon;
}

/* What policy_grow_size needs: memory figures, our files, the disk. */
static int grow_context(const struct pool *p, const struct pool_params *pp,
			const struct meminfo *mi, struct grow_ctx *g)
{
	memset(g, 0, sizeof(*g));
	g->mem_total_b = mi->mem_total_kb * 1024;
	g->free_b = meminfo_free_kb(mi, &pp->fp) * 1024;
	g->total_b = meminfo_total_kb(mi) * 1024;
	if (meminfo_commit(mi, &g->commit_free_b, &g->commit_limit_b)) {
		g->commit_free_b *= 1024;
		g->commit_limit_b *= 1024;
	}
	/* The other tiers' files count against the same limits. */
	g->files = p->n + pp->other_files;
	g->owned_b = pool_owned_b(p) + pp->other_owned_b;
	g->page_size = (uint64_t)p->sys->page_size();
	return pool_dir_space(p, &g->fs_avail_b, &g->fs_size_b);
}

int pool_room(struct pool *p, const struct pool_params *pp,
	      const struct meminfo *mi)
{
	struct grow_ctx g;
	uint64_t size_b;
	int rc = grow_context(p, pp, mi, &g);

	if (rc < 0)
		return rc;
	if (p->n >= POOL_MAX - LANE_N ||
	    policy_grow_size(&pp->size, &g, &size_b) < 0)
		return -ENOSPC;
	return 0;
}

/* standby=active's file: the lowest priority of ours, the kernel's own
 * (below every area already on) unless a priority is set, then 0. */
static void standby_params(const struct pool_params *pp,
			   struct pool_params *out)
{
	*out = *pp;
	if (out->prop.priority > 0)
		out->prop.priority = 0;
}

int pool_floor_spare(const struct pool_file *f, int n, const bool *busy,
		     uint64_t want_b)
{
	uint64_t tol_b = want_b / 8, best_d = 0;
	int i, best = -1;

	for (i = 0; i < n; i++) {
		uint64_t d = f[i].size_b > want_b ? f[i].size_b - want_b
						  : want_b - f[i].size_b;

		if (f[i].active || busy[i] || f[i].resume_target || d > tol_b)
			continue;
		if (best < 0 || d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

/* standby=active with nothing on: a spare of about the floor's size
 * (a valid leftover of an earlier run) is turned on instead of making
 * a file.  0 started, 1 none fits, or -errno. */
static int floor_from_spare(struct pool *p, const struct pool_params *pp,
			    const struct meminfo *mi)
{
	bool busy[POOL_MAX];
	struct pool_params standby;
	struct grow_ctx g;
	uint64_t want_b;
	char path[800];
	int i, rc;

	if (grow_context(p, pp, mi, &g) < 0)
		return 1;
	/* The spares count against the limits as owned: the size a file
	 * would have with none of them. */
	for (i = 0; i < p->n; i++)
		if (!p->f[i].active) {
			g.files--;
			g.owned_b -= p->f[i].size_b;
			g.fs_avail_b += p->f[i].size_b;
		}
	if (policy_grow_size(&pp->size, &g, &want_b) < 0)
		return 1;
	files_busy(p, busy);
	i = pool_floor_spare(p->f, p->n, busy, want_b);
	if (i < 0)
		return 1;
	standby_params(pp, &standby);
	rc = pool_job_start(p, LANE_GROW, JOB_ON, p->f[i].slot,
			    p->f[i].size_b, &standby, true);
	if (rc < 0)
		return rc;
	p->lane[LANE_GROW].standby = true; /* the worker never reads it */
	pool_path(p, p->f[i].slot, path, sizeof(path));
	log_info("turning on %s (%" PRIu64 " MiB) as the standby swap file "
		 "instead of making one", path, p->f[i].size_b / MIB);
	return 0;
}

/* What make_start makes: a file a GROW waits for (turned on when
 * made), the standby=active file (turned on, lowest priority), or a
 * standby=small spare (left off, sized by policy_spare_size_b). */
enum make_what { MAKE_FOR_GROW, MAKE_STANDBY, MAKE_SPARE };

/* Size and name the next file and have the grow lane make it.  0,
 * -ENOSPC (no room: limits, reserve, disk) or another -errno; logged
 * for a GROW (a standby that cannot be made is only retried later). */
static int make_start(struct pool *p, const struct pool_params *pp,
		      const struct meminfo *mi, enum make_what what,
		      uint64_t *size_b)
{
	bool urgent = what == MAKE_FOR_GROW;
	struct pool_params standby;
	struct grow_ctx g;
	int rc, slot;

	rc = grow_context(p, pp, mi, &g);
	if (rc < 0) {
		errno = -rc;
		if (urgent)
			log_warn("statfs %s", p->dir.canon);
		return rc;
	}
	/* A table entry stays free for each lane's file. */
	if (p->n >= POOL_MAX - LANE_N || policy_grow_size(&pp->size, &g, size_b) < 0) {
		if (urgent)
			log_warnx("no room for a new swap file: %d files, %" PRIu64
				  " MiB owned, %" PRIu64 " MiB free on %s "
				  "(reserve kept)", p->n, g.owned_b / MIB,
				  g.fs_avail_b / MIB, p->dir.canon);
		return -ENOSPC;
	}
	if (what == MAKE_SPARE) {
		uint64_t spare_b = policy_spare_size_b(
			p->make_b ? p->make_ms : -1, p->make_b, *size_b,
			pp->spike_rate_b, pp->spare_max_b,
			pp->size.min_swapsize_b, g.page_size);

		if (spare_b < *size_b)
			*size_b = spare_b;
		p->spare_want_b = *size_b;
	}
	slot = free_slot(p);
	if (slot < 0) {
		if (urgent)
			log_errx("no free file name left in %s", p->dir.canon);
		return -EEXIST;
	}
	if (what != MAKE_STANDBY)
		return pool_job_start(p, LANE_GROW, JOB_MAKE, slot, *size_b,
				      pp, urgent);
	standby_params(pp, &standby);
	rc = pool_job_start(p, LANE_GROW, JOB_MAKE, slot, *size_b, &standby,
			    true);
	if (rc == 0)
		p->lane[LANE_GROW].standby = true; /* the worker never reads it */
	return rc;
}

int pool_make_next(struct pool *p, const struct pool_params *pp,
		   const struct meminfo *mi, uint64_t *size_b)
{
	return make_start(p, pp, mi, MAKE_FOR_GROW, size_b);
}

enum fsm_outcome pool_grow(struct pool *p, const struct pool_params *pp,
			   const struct meminfo *mi, int64_t now_ms,
			   uint64_t *size_b)
{
	struct pool_job *j = &p->lane[LANE_GROW];
	struct pool_file *spare;
	char path[800];
	bool reachable;
	int rc;

	(void)now_ms;
	*size_b = 0;
	if (p->stopping)
		return FSM_FAILED;
	/* A network directory that does not answer (said once by
	 * pool_reach.c): nothing new there can be made or turned on now.
	 * "No room" would put the daemon on a diet that holds every grow
	 * for the cooldown once the server answers again: the GROW waits
	 * instead, asked again at every tick, and a file already under way
	 * there is still this GROW's (below): it reports when it is on.
	 * Only a directory whose deferred open failed (unused until a
	 * restart) has no room. */
	reachable = pool_reach_up(p);
	if (!reachable && !j->slot) {
		if (p->reach.failed) {
			p->c.fail_no_room++;
			return FSM_NO_ROOM;
		}
		if (p->reach.said_short != p->reach.r.lost + 1)
			log_warnx("short of memory, but swap directory %s is "
				  "unreachable: a swap file is made there as "
				  "soon as it answers (no diet)",
				  p->dir.canon[0] ? p->dir.canon : p->dir.path);
		p->reach.said_short = p->reach.r.lost + 1;
		return FSM_WAIT;
	}
	/* A shortage while a file is being swapped off: that file is swap
	 * the machine needs now, and the kernel holds every swapon(2)
	 * until a running swapoff ends.  End the swapoff: its area comes
	 * back at once, and the new file's swapon returns. */
	if (reachable && pool_swapoff_abort(p)) {
		pool_path(p, p->lane[LANE_SHRINK].slot, path, sizeof(path));
		log_notice("short of memory: interrupting the swapoff of %s",
			   path);
	}
	if (j->slot) {
		/* Already at work (a spare being made, or this grow's own
		 * file): this grow is that file, on as soon as it is made. */
		*size_b = j->size_b;
		j->grow_waits = true;
		if (j->kind == JOB_MAKE &&
		    !__atomic_exchange_n(&j->urgent, 1, __ATOMIC_ACQ_REL)) {
			pool_path(p, j->slot, path, sizeof(path));
			log_info("short of memory: %s, being made, is turned "
				 "on when ready", path);
		}
		return FSM_PENDING;
	}
	spare = best_spare(p);
	if (spare) {
		*size_b = spare->size_b;
		rc = pool_job_start(p, LANE_GROW, JOB_ON, spare->slot,
				    spare->size_b, pp, true);
		if (rc == 0)
			return FSM_PENDING;
		p->c.fail_swapon++;
		return FSM_FAILED;
	}
	rc = make_start(p, pp, mi, MAKE_FOR_GROW, size_b);
	if (rc == 0) {
		pool_path(p, j->slot, path, sizeof(path));
		log_info("short of memory and no spare: making swap file %s "
			 "(%" PRIu64 " MiB) in the background", path,
			 *size_b / MIB);
		return FSM_PENDING;
	}
	return pool_make_outcome(p, rc);
}

enum fsm_outcome pool_make_outcome(struct pool *p, int rc)
{
	if (rc == -ENOSPC) {
		p->c.fail_no_room++;
		return FSM_NO_ROOM;
	}
	p->c.fail_create++;
	return FSM_FAILED;
}

static int spare_count(const struct pool *p)
{
	int i, n = 0;

	for (i = 0; i < p->n; i++)
		n += !p->f[i].active && !pool_slot_busy(p, p->f[i].slot);
	return n;
}

int pool_standby_start(struct pool *p, const struct pool_params *pp,
		       const struct meminfo *mi, int64_t now_ms)
{
	struct pool_file *f = pool_find(p, p->standby_slot);
	uint64_t size_b;

	(void)now_ms;
	if (p->stopping || !pool_job_idle(p, LANE_GROW))
		return 0; /* busy or stopping */
	/* The floor is a file that is on: one adopted at start, or the
	 * next one when the standby itself was removed. */
	if (pp->standby == STANDBY_ACTIVE && !(f && f->active)) {
		int i;

		p->standby_slot = 0;
		for (i = 0; i < p->n && !p->standby_slot; i++)
			if (p->f[i].active)
				p->standby_slot = p->f[i].slot;
	}
	switch (policy_standby_act(pp->standby, pool_active_count(p),
				   spare_count(p))) {
	case STANDBY_MAKE_ON: {
		int rc;

		/* A file would be made: the mount is read then (netfs.c). */
		if (!pool_net_ok(p))
			return -EPERM;
		rc = floor_from_spare(p, pp, mi);
		if (rc <= 0)
			return rc;
		return make_start(p, pp, mi, MAKE_STANDBY, &size_b);
	}
	case STANDBY_MAKE_SPARE:
		if (!pool_net_ok(p))
			return -EPERM;
		return make_start(p, pp, mi, MAKE_SPARE, &size_b);
	default:
		return 0;
	}
}

uint64_t pool_idle_held_b(const struct pool_file *f, int n, int standby_slot)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < n; i++)
		if (!f[i].active || (standby_slot && f[i].slot == standby_slot))
			sum += f[i].size_b;
	return sum;
}
