/* What the worker lanes finished, taken into the pool's books; the stop
 * at exit; and the safe erase (-e, --erase-now).  Bookkeeping only:
 * the system calls are p->sys's. */
#include "pool.h"

#include "log.h"
#include "policy.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static void add_file(struct pool *p, const struct pool_job *j, bool active,
		     int64_t now_ms)
{
	/* make_start kept a table entry free for each lane. */
	p->f[p->n++] = (struct pool_file){.slot = j->slot, .active = active,
					  .size_b = j->size_b,
					  .since_ms = now_ms};
}

/* A swapon failed: what it means for the state machine.  EPERM with
 * files already on is the kernel's swap table being full: no room. */
static enum fsm_outcome swapon_outcome(struct pool *p, int rc)
{
	if (rc == -EPERM && pool_active_count(p) > 0)
		rc = -ENOSPC;
	if (rc == -ENOSPC) {
		p->c.fail_no_room++;
		return FSM_NO_ROOM;
	}
	p->c.fail_swapon++;
	return FSM_FAILED;
}

/* What a swapon's error means, for the log: EPERM, to root, only ever
 * says that the kernel's swap table (MAX_SWAPFILES) has no free slot. */
static const char *swapon_why(int rc)
{
	return rc == -EPERM ? " (the kernel's swap table is full)" : "";
}

/* The standby=active file, made and turned on while calm, that no GROW
 * took as its own: not a grow for the state machine. */
static void collect_standby(struct pool *p, const struct pool_job *j,
			    const char *path, int64_t now_ms,
			    struct pool_done *d)
{
	if (j->rc == 0 && j->active) {
		add_file(p, j, true, now_ms);
		p->standby_slot = j->slot;
		log_notice("standby swap file %s on (%" PRIu64 " MiB, made and "
			   "turned on in %" PRId64 " ms)", path,
			   j->size_b / MIB, j->took_ms);
		return;
	}
	/* Stopped before its swapon (exit), or a swapon refused not for
	 * the file's fault: a valid file, kept. */
	if (j->rc == 0 || j->kept)
		add_file(p, j, false, now_ms);
	if (j->rc < 0) {
		log_warnx("cannot add the standby swap file %s: %s%s", path,
			  strerror(-j->rc),
			  j->swapon_failed ? swapon_why(j->rc) : "");
		d->spare_failed = true;
	}
}

/* A spare failed its check before the swapon (pool_jobs.c): not ours
 * as made, so never turned on.  Forgotten; deleted unless it is gone or
 * holds a hibernation image (left alone, as at start). */
static void spare_rejected(struct pool *p, const struct pool_job *j,
			   struct pool_file *f, const char *path)
{
	p->c.fail_swapon++;
	log_warnx("spare swap file %s %s: not turning it on", path,
		  swapfile_reject_reason(j->rc));
	if (j->rc != -EBUSY && j->rc != -ENOENT &&
	    p->sys->remove(&p->dir, j->slot, false) < 0)
		log_warnx("cannot delete %s; it is no longer counted as ours",
			  path);
	if (f)
		pool_drop(p, f);
}

/* standby=active at start: a valid leftover turned on as the floor
 * instead of a new file (pool_standby_start). */
static void standby_spare_on(struct pool *p, const struct pool_job *j,
			     struct pool_file *f, const char *path,
			     int64_t now_ms, struct pool_done *d)
{
	if (j->rc == 0) {
		if (f) {
			f->active = true;
			f->since_ms = now_ms;
			f->keep_until_ms = 0;
		}
		p->standby_slot = j->slot;
		log_notice("standby swap file %s on (%" PRIu64 " MiB, a spare "
			   "turned on in %" PRId64 " ms)", path,
			   j->size_b / MIB, j->took_ms);
		return;
	}
	log_warnx("cannot turn on %s as the standby swap file: %s%s", path,
		  strerror(-j->rc), swapon_why(j->rc));
	d->spare_failed = true;
}

/* The grow lane's job: a file made (a spare, the standby, or for a
 * GROW), or a spare turned on. */
static void collect_grow(struct pool *p, const struct pool_params *pp,
			 const struct meminfo *mi, int64_t now_ms,
			 struct pool_done *d)
{
	struct pool_job j = p->lane[LANE_GROW];
	bool urgent = __atomic_load_n(&j.urgent, __ATOMIC_ACQUIRE);
	struct pool_file *f;
	uint64_t size_b;
	char path[800];

	p->lane[LANE_GROW].slot = 0;
	pool_path(p, j.slot, path, sizeof(path));
	if (j.kind == JOB_MAKE) {
		p->make_ms = j.took_ms;
		if (j.took_ms > p->slow_make_ms)
			p->slow_make_ms = j.took_ms;
		p->make_b = j.size_b;
		if (j.standby && !j.grow_waits) {
			collect_standby(p, &j, path, now_ms, d);
			return;
		}
		if (j.rc == 0 && j.active) {
			add_file(p, &j, true, now_ms);
			p->c.grows++;
			log_notice("added swap file %s (%" PRIu64 " MiB) in %"
				   PRId64 " ms (made in the background)",
				   path, j.size_b / MIB, j.took_ms);
			d->grow = true;
			d->grow_out = FSM_OK;
			return;
		}
		if (j.rc == 0 || j.kept)
			add_file(p, &j, false, now_ms);
		if (j.rc == 0) {
			log_info("made warm spare %s (%" PRIu64 " MiB) in %"
				 PRId64 " ms", path, j.size_b / MIB, j.took_ms);
			if (urgent && !p->stopping) {
				/* Made just before the GROW asked. */
				d->grow = true;
				d->grow_out = pool_grow(p, pp, mi, now_ms,
							&size_b);
			}
			return;
		}
		if (!urgent) {
			d->spare_failed = true;
			return;
		}
		d->grow = true;
		d->grow_out = j.swapon_failed ? swapon_outcome(p, j.rc)
					      : pool_make_outcome(p, j.rc);
		log_warnx("%s %s: %s%s%s", d->grow_out == FSM_NO_ROOM
						   ? "no room for a new swap file"
						   : "cannot add swap file",
			  path, strerror(-j.rc),
			  j.swapon_failed ? swapon_why(j.rc) : "",
			  j.kept ? " (the file is kept as a spare)" : "");
		return;
	}
	/* JOB_ON: a spare. */
	f = pool_find(p, j.slot);
	if (j.invalid) {
		spare_rejected(p, &j, f, path);
		if (j.standby && !j.grow_waits)
			return; /* the next calm tick makes the floor */
		d->grow = true;
		d->grow_out = p->stopping ? FSM_FAILED
					  : pool_grow(p, pp, mi, now_ms, &size_b);
		return;
	}
	if (j.standby && !j.grow_waits) {
		standby_spare_on(p, &j, f, path, now_ms, d);
		return;
	}
	d->grow = true;
	if (j.rc == 0) {
		bool kept = f && f->keep_until_ms;

		if (f) {
			f->active = true;
			f->since_ms = now_ms;
			f->keep_until_ms = 0;
		}
		p->c.grows++;
		log_notice("added swap file %s (%" PRIu64 " MiB, %s) in %"
			   PRId64 " ms", path, j.size_b / MIB,
			   kept ? "kept since a shrink" : "spare", j.took_ms);
		d->grow_out = FSM_OK;
		/* standby=small: the spare only bridges the making of the
		 * next full-size file, started now (a file a shrink kept is
		 * a full-size one: nothing to bridge). */
		if (!p->stopping && policy_refill_after_take(pp->standby, !kept) &&
		    pool_make_next(p, pp, mi, &size_b) == 0) {
			pool_path(p, p->lane[LANE_GROW].slot, path, sizeof(path));
			log_info("spare taken: making the next swap file %s (%"
				 PRIu64 " MiB) in the background", path,
				 size_b / MIB);
		}
		return;
	}
	if (j.rc == -EBUSY && f) {
		/* The kernel has it on already (our own file, which an
		 * unreadable /proc/swaps hid at start): adopt it, and grow
		 * with another. */
		log_notice("swap file %s is already active; adopted", path);
		f->active = true;
		p->c.adopted++;
		d->grow_out = p->stopping ? FSM_FAILED
					  : pool_grow(p, pp, mi, now_ms, &size_b);
		return;
	}
	if (j.rc == -EINVAL && f) {
		/* The kernel says the file is bad: only now may it go. */
		log_warnx("swapon %s (spare): the kernel refuses the file; "
			  "deleting it", path);
		p->c.fail_swapon++;
		if (p->sys->remove(&p->dir, j.slot, false) == 0) {
			pool_drop(p, f);
			d->grow_out = p->stopping
					      ? FSM_FAILED
					      : pool_grow(p, pp, mi, now_ms,
							  &size_b);
		} else {
			d->grow_out = FSM_FAILED;
		}
		return;
	}
	/* Not the file's fault (table full, ...): the spare stays. */
	d->grow_out = swapon_outcome(p, j.rc);
	log_warnx("swapon %s (spare): %s%s; keeping it", path,
		  strerror(-j.rc), swapon_why(j.rc));
}

/* The shrink lane's job: a swapoff + delete, a swapoff that keeps the
 * file (off, for the next GROW), or a delete. */
static void collect_shrink(struct pool *p, int64_t now_ms,
			   struct pool_done *d)
{
	struct pool_job j = p->lane[LANE_SHRINK];
	struct pool_file *f = pool_find(p, j.slot);
	char path[800];
	int rc = j.kind == JOB_OFF && j.rc == 0 ? j.unlink_rc : j.rc;

	p->lane[LANE_SHRINK].slot = 0;
	pool_path(p, j.slot, path, sizeof(path));
	d->shrink = true;
	if (j.kind == JOB_OFF && j.rc < 0) {
		p->c.fail_swapoff++;
		log_warnx("swapoff %s %s after %" PRId64 " ms; it stays active "
			  "and counted, and is retried later", path,
			  j.rc == -EINTR ? "was interrupted" : strerror(-j.rc),
			  j.took_ms);
		d->shrink_out = FSM_FAILED;
		return;
	}
	if (f && j.kind == JOB_OFF)
		f->active = false;
	if (rc < 0) {
		/* Still on disk: keep it in the books (a spare now). */
		errno = -rc;
		log_warn("cannot delete %s; keeping it", path);
		d->shrink_out = FSM_FAILED;
		return;
	}
	p->c.shrinks++;
	if (j.kind == JOB_OFF && j.keep_ms > 0) {
		if (f) {
			f->used_kb = 0;
			f->since_ms = now_ms;
			f->keep_until_ms = now_ms + j.keep_ms;
		}
		log_notice("turned off swap file %s (%" PRIu64 " MiB) in %"
			   PRId64 " ms; kept for %" PRId64 " s in case swap is "
			   "needed again, then deleted", path, j.size_b / MIB,
			   j.took_ms, j.keep_ms / 1000);
		d->shrink_out = FSM_OK;
		return;
	}
	log_notice("removed swap file %s (%" PRIu64 " MiB) in %" PRId64 " ms",
		   path, j.size_b / MIB, j.took_ms);
	if (f)
		pool_drop(p, f);
	d->shrink_out = FSM_OK;
}

void pool_collect(struct pool *p, const struct pool_params *pp,
		  const struct meminfo *mi, int64_t now_ms,
		  struct pool_done *d)
{
	memset(d, 0, sizeof(*d));
	if (pool_job_done(p, LANE_SHRINK))
		collect_shrink(p, now_ms, d);
	if (pool_job_done(p, LANE_GROW))
		collect_grow(p, pp, mi, now_ms, d);
}

bool pool_swapoff_abort(struct pool *p)
{
	struct pool_job *s = &p->lane[LANE_SHRINK];
	int pid = __atomic_load_n(&s->child, __ATOMIC_ACQUIRE);

	if (!s->slot || s->kind != JOB_OFF || pid <= 0 ||
	    __atomic_load_n(&s->cancel, __ATOMIC_ACQUIRE))
		return false;
	__atomic_store_n(&s->cancel, 1, __ATOMIC_RELEASE);
	kill(pid, SIGKILL);
	return true;
}

void pool_stop(struct pool *p, const struct pool_params *pp, int64_t wait_ms)
{
	struct pool_job *g = &p->lane[LANE_GROW];
	int64_t end = gm_now_ms() + wait_ms;
	struct meminfo mi;
	struct pool_done d;

	memset(&mi, 0, sizeof(mi));
	p->stopping = true;
	__atomic_store_n(&g->urgent, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&g->cancel, 1, __ATOMIC_RELEASE);
	while (!pool_job_idle(p, LANE_GROW) || !pool_job_idle(p, LANE_SHRINK)) {
		struct pollfd pfd = {p->wake[0], POLLIN, 0};
		int64_t left;

		/* A swapoff ends at once on a signal; the kernel puts the
		 * area back and the file stays active. */
		pool_swapoff_abort(p);
		left = end - gm_now_ms();
		if (left <= 0)
			break;
		if (pfd.fd >= 0 && poll(&pfd, 1, left > 100 ? 100 : (int)left) > 0)
			pool_wake_drain(p);
		else if (pfd.fd < 0)
			poll(NULL, 0, 10);
		pool_collect(p, pp, &mi, gm_now_ms(), &d);
	}
	if (!pool_job_idle(p, LANE_GROW) || !pool_job_idle(p, LANE_SHRINK))
		log_warnx("stopping with a file operation still running after "
			  "%" PRId64 " ms", wait_ms);
}

/* One file at exit: judged on a fresh reading.  0 removed, 1 stays. */
static int erase_one(struct pool *p, const struct pool_params *pp, int slot)
{
	const struct free_params *fp = &pp->fp;
	struct pool_file *f;
	struct meminfo mi;
	char path[800];
	int rc;

	pool_path(p, slot, path, sizeof(path));
	if (pool_refresh(p, gm_now_ms()) < 0) {
		log_warnx("%s stays: /proc/swaps cannot be read", path);
		return 1;
	}
	f = pool_find(p, slot);
	if (!f)
		return 0; /* gone behind our back */
	if (f->resume_target) {
		log_notice("%s stays: it is the hibernation resume target",
			   path);
		return 1;
	}
	if (f->active) {
		uint64_t avail_kb, margin_kb;

		rc = p->sys->meminfo(&mi);
		if (rc < 0) {
			log_warnx("%s stays active: memory cannot be read (%s)",
				  path, strerror(-rc));
			return 1;
		}
		avail_kb = meminfo_ram_available_kb(&mi, fp);
		margin_kb = policy_swapoff_margin_kb(mi.mem_total_kb);
		if (f->used_kb + margin_kb > avail_kb) {
			log_warnx("%s stays active: %" PRIu64 " MiB in use would "
				  "not fit in RAM (%" PRIu64 " MiB available, %"
				  PRIu64 " MiB kept free)", path,
				  f->used_kb / 1024, avail_kb / 1024,
				  margin_kb / 1024);
			return 1;
		}
		rc = p->sys->deactivate(&p->dir, slot, NULL);
		if (rc < 0) {
			p->c.fail_swapoff++;
			log_warnx("%s stays active: swapoff failed (%s)", path,
				  strerror(-rc));
			return 1;
		}
		f->active = false;
	}
	rc = p->sys->remove(&p->dir, slot, pp->paranoid);
	if (rc < 0) {
		log_warnx("%s stays: cannot delete it (%s)", path,
			  strerror(-rc));
		return 1;
	}
	log_notice("removed swap file %s", path);
	pool_drop(p, f);
	return 0;
}

int pool_erase(struct pool *p, const struct pool_params *pp)
{
	int slots[POOL_MAX], n = p->n, i, left = 0;

	/* A network directory that does not answer: the swapoffs and the
	 * deletes would wait for it, and so would the exit. */
	if (!pool_reach_up(p) && n > 0) {
		log_warnx("not erasing the %d swap file(s) in %s: it does not "
			  "answer", n, p->dir.canon);
		return n;
	}
	/* By slot, not by index: each removal moves the table. */
	for (i = 0; i < n; i++)
		slots[i] = p->f[i].slot;
	for (i = 0; i < n; i++)
		left += erase_one(p, pp, slots[i]);
	return left;
}
