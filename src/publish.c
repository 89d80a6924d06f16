/* What the daemon shows of itself while it runs: a snapshot of the loop
 * and the pool, formatted by status.c into the USR1 dump, the status
 * file and the metrics file. */
#include "loop.h"

#include "log.h"
#include "params.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void snapshot_build(const struct daemon *d, int64_t t,
			   struct snapshot *s)
{
	static struct tiers_view v;
	int i, k;

	memset(s, 0, sizeof(*s));
	tiers_view(&d->tiers, &v);
	s->state = d->ts.fsm.state;
	s->seconds_in_state = (t - d->ts.fsm.entered_ms) / 1000;
	s->free_pct = d->free_pct;
	s->lower_freelimit_pct = d->cfg.lower_freelimit_pct;
	s->freetarget_pct = d->cfg.freetarget_pct;
	s->upper_freelimit_pct = d->cfg.upper_freelimit_pct;
	s->have_mem = d->have_mi;
	s->mem_total_kb = d->mi.mem_total_kb;
	s->mem_available_kb =
		meminfo_ram_available_kb(&d->mi, FREE_PARAMS(&d->cfg));
	s->swap_total_kb = d->mi.swap_total_kb;
	s->swap_free_kb = d->mi.swap_free_kb;
	s->free_kb = meminfo_free_kb(&d->mi, FREE_PARAMS(&d->cfg));
	s->swap_uncounted_kb = d->mi.swap_uncounted_kb;
	s->om = d->om;
	s->commit_limit_kb = d->mi.commit_limit_kb;
	s->committed_as_kb = d->mi.committed_as_kb;
	/* Each tier's files, in order of preference; the lanes' files and
	 * the floor in the tier that has them. */
	s->ntiers = v.n;
	for (k = 0; k < v.n; k++) {
		const struct pool_view *tv = &v.t[k];

		snprintf(s->dirs[k], sizeof(s->dirs[k]), "%s", tv->dir);
		s->tier_net[k] = v.net[k];
		for (i = 0; i < tv->n && s->nfiles < SNAPSHOT_FILES; i++) {
			s->file_tier[s->nfiles] = (unsigned char)k;
			s->files[s->nfiles++] = tv->f[i];
		}
		if (tv->making_slot) {
			s->making_slot = tv->making_slot;
			s->making_size_b = tv->making_size_b;
			s->making_for_grow = tv->making_for_grow;
			s->making_tier = k;
		}
		if (tv->retiring_slot) {
			s->retiring_slot = tv->retiring_slot;
			s->retiring_tier = k;
		}
		if (tv->standby_slot) {
			s->standby_slot = tv->standby_slot;
			s->standby_tier = k;
		}
		s->idle_held_b += pool_idle_held_b(tv->f, tv->n, tv->standby_slot);
		if (tv->spare_want_b)
			s->spare_want_b = tv->spare_want_b;
		s->c.grows += tv->c.grows;
		s->c.shrinks += tv->c.shrinks;
		s->c.fail_no_room += tv->c.fail_no_room;
		s->c.fail_create += tv->c.fail_create;
		s->c.fail_swapon += tv->c.fail_swapon;
		s->c.fail_swapoff += tv->c.fail_swapoff;
		s->c.adopted += tv->c.adopted;
		s->c.spares_kept += tv->c.spares_kept;
		s->c.leftovers_deleted += tv->c.leftovers_deleted;
	}
	s->standby = d->cfg.standby;
	s->spare_max_b = d->cfg.spare_max_b;
	s->now_ms = t;
	snprintf(s->swapdir, sizeof(s->swapdir), "%s", s->dirs[0]);
	for (k = 0; k < d->tiers.n; k++)
		pool_reach_view(&d->tiers.t[k], t, &s->reach[k]);
	for (i = 0; i < WAKE_NSOURCES; i++)
		s->wakeups[i] = d->wakeups[i];
	s->pid = (long)getpid();
	s->ctl_open = d->ctl.open;
	s->ctl_clients = d->ctl.nclients;
	s->ctl = d->ctl.st;
	for (i = 0; i < RESV_MAX; i++)
		if (d->resv.r[i].id)
			s->resv[s->nresv++] = d->resv.r[i];
	s->resv_short_b = loop_resv_short_b(d);
	s->resv_made = d->resv.made;
	s->resv_released = d->resv.released;
	s->resv_expired = d->resv.expired;
}

void publish_dump(const struct daemon *d, int64_t t)
{
	static struct snapshot s;
	static char buf[16384];
	char *line, *nl;

	snapshot_build(d, t, &s);
	status_format(&s, buf, sizeof(buf));
	for (line = buf; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		log_notice("dump %s", line);
	}
}

/* At each transition and when a file starts or stops being made or
 * retired, else at most every 5 s.  A failure is logged once per minute
 * at most. */
void publish_status(struct daemon *d, int64_t t)
{
	static struct snapshot s;
	static char buf[16384];
	static int64_t warned_ms = -60000;
	size_t n;
	int rc, making, retiring;

	/* The cheap test first: this runs at every tick. */
	tiers_lane_slots(&d->tiers, &making, &retiring);
	if (d->published_ms >= 0 && d->ts.fsm.state == d->published_state &&
	    making == d->published_making &&
	    resv_count(&d->resv) == d->published_resv &&
	    retiring == d->published_retiring && t - d->published_ms < 5000)
		return;
	d->published_ms = t;
	d->published_state = d->ts.fsm.state;
	d->published_making = making;
	d->published_retiring = retiring;
	d->published_resv = resv_count(&d->resv);
	snapshot_build(d, t, &s);
	n = status_format(&s, buf, sizeof(buf));
	rc = status_write_atomic(d->cfg.rundir, "status", buf,
				 n < sizeof(buf) ? n : sizeof(buf) - 1);
	if (rc == 0 && d->cfg.metrics_dir[0]) {
		n = metrics_format(&s, buf, sizeof(buf));
		rc = status_write_atomic(d->cfg.metrics_dir, "ghostmemory.prom",
					 buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
	}
	if (rc < 0 && t - warned_ms >= 60000) {
		warned_ms = t;
		errno = -rc;
		log_warn("cannot write the status or metrics file");
	}
}

/* At exit: no status to show, and no metrics claiming a live state. */
void publish_remove(const struct config *cfg)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/status", cfg->rundir);
	unlink(path);
	if (cfg->metrics_dir[0]) {
		snprintf(path, sizeof(path), "%s/ghostmemory.prom",
			 cfg->metrics_dir);
		unlink(path);
	}
}
