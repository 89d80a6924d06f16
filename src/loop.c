/* The daemon's loop (loop.h). */
#include "loop.h"

#include "log.h"
#include "memlock.h"
#include "params.h"
#include "proc.h"
#include "psi.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* PSI trigger: 100 ms of stall in a 1 s window (2 s unprivileged). */
#define PSI_STALL_US 100000u
#define PSI_WINDOW_US 1000000u
/* Start armed, but never wait longer than this for the standby (a
 * zero-filled file on a slow disk takes longer). */
#define ARM_WAIT_MS 3000

static const char *meminfo_src(const struct config *cfg)
{
	return cfg->meminfo_path[0] ? cfg->meminfo_path : "/proc/meminfo";
}

/* A reading of memory, /proc/swaps (the pool's books), and the other
 * swap that changes what memory means (zram, zswap, strict overcommit)
 * from that same /proc/swaps.  With a meminfo_file (a test's fixture)
 * the machine's other swap is not looked at. */
static int read_memory(struct daemon *d, int64_t t)
{
	int rc = meminfo_read(meminfo_src(&d->cfg), &d->mi);

	tiers_refresh(&d->tiers, t);
	if (rc < 0 || d->cfg.meminfo_path[0])
		return rc;
	othermem_sample(&othermem_sys_ops, tiers_swaps(&d->tiers), &d->mi,
			&d->om);
	othermem_apply(&d->om, &d->mi);
	return 0;
}

/* What a new file's priority depends on besides its tier: priority=,
 * and the zram areas it must stay below (tiers.c). */
static struct tier_prio prio_of(const struct daemon *d)
{
	struct tier_prio pr = {d->cfg.priority, d->cfg.priority >= 0,
			       d->om.zram_n, d->om.zram_min_prio};
	return pr;
}

/* The tick's effects are the tier set's. */
static enum fsm_outcome op_grow(void *ctx, const struct meminfo *mi,
				int64_t now_ms, uint64_t *size_b,
				int64_t *took_ms)
{
	struct daemon *d = ctx;
	struct pool_params pp = params_pool(&d->cfg);
	struct tier_prio pr = prio_of(d);

	(void)took_ms; /* measured when the file is on */
	/* A remount since start may have made a mount unfit (netfs.c):
	 * the set then uses another tier, or fails. */
	return tiers_grow(&d->tiers, &pp, &pr, mi, now_ms, size_b);
}

static enum fsm_outcome op_shrink(void *ctx, const struct meminfo *mi,
				  int64_t now_ms, int64_t keep_ms,
				  uint64_t *size_b)
{
	struct daemon *d = ctx;
	struct pool_params pp = params_pool(&d->cfg);

	pp.keep_free_b = resv_sum_b(&d->resv);
	pp.keep_ms = keep_ms;
	return tiers_shrink(&d->tiers, &pp, mi, now_ms, size_b);
}

/* A swapon if a spare is ready, else as long as making a file took. */
static int64_t op_lead_ms(void *ctx, int64_t provision_ms)
{
	struct daemon *d = ctx;
	int64_t make_ms = tiers_lead_make_ms(&d->tiers);

	return !tiers_has_spare(&d->tiers) && make_ms > provision_ms
		       ? make_ms
		       : provision_ms;
}

static int op_standby(void *ctx, const struct meminfo *mi, int64_t now_ms)
{
	struct daemon *d = ctx;
	struct pool_params pp = params_pool(&d->cfg);
	struct tier_prio pr = prio_of(d);

	return tiers_standby_start(&d->tiers, &pp, &pr, mi, now_ms);
}

static uint64_t op_reserve_short(void *ctx)
{
	return loop_resv_short_b(ctx);
}

static uint64_t op_file_b(void *ctx)
{
	struct daemon *d = ctx;

	return tiers_file_b(&d->tiers);
}

static struct tick_ops ops_of(struct daemon *d)
{
	struct tick_ops ops = {d,          op_grow,    op_shrink,
			       op_lead_ms, op_standby, op_reserve_short,
			       op_file_b};
	return ops;
}

/* What the workers finished: the tick's grow outcome, back-off and
 * standby retry follow from it. */
static void collect(struct daemon *d, int64_t t)
{
	struct pool_done done;
	struct pool_params pp = params_pool(&d->cfg);
	struct tier_prio pr = prio_of(d);

	tiers_collect(&d->tiers, &pp, &pr, &d->mi, t, &done);
	if (done.grow)
		tick_grow_done(TICK_PARAMS(&d->cfg), &d->ts, done.grow_out, -1, t);
	if (done.spare_failed)
		tick_standby_failed(TICK_PARAMS(&d->cfg), &d->ts, t);
	if (done.shrink)
		tick_shrink_done(TICK_PARAMS(&d->cfg), &d->ts, done.shrink_out,
				 t);
}

void loop_arm(struct daemon *d)
{
	const struct config *cfg = &d->cfg;
	struct pollfd pfd[TIERS_MAX];
	int fds[TIERS_MAX], i;
	struct tick_state probe;
	struct fsm_reading r;
	struct outlook o;
	int64_t t0 = gm_now_ms(), left;

	if (cfg->standby == STANDBY_NONE || read_memory(d, t0) < 0)
		return;
	tiers_wake_fds(&d->tiers, fds);
	for (i = 0; i < TIERS_MAX; i++)
		pfd[i] = (struct pollfd){fds[i], POLLIN, 0};
	/* Calm as the loop judges it, from a first reading (no slope). */
	tick_init(&probe, t0);
	predict_classify(LIMIT_PARAMS(cfg), &probe.trend, &probe.commit_trend,
			 &d->mi, t0, 0, &r, &o);
	if (!tick_calm(TICK_PARAMS(cfg), probe.fsm.state, &r, &o) ||
	    op_standby(d, &d->mi, t0) < 0 || !tiers_busy(&d->tiers))
		return; /* not calm, or nothing to make */
	while (tiers_busy(&d->tiers) && fds[0] >= 0 &&
	       (left = t0 + ARM_WAIT_MS - gm_now_ms()) > 0) {
		if (poll(pfd, TIERS_MAX, (int)left) > 0)
			tiers_wake_drain(&d->tiers);
		collect(d, gm_now_ms());
	}
	if (tiers_busy(&d->tiers))
		log_info("the standby file is still being made after "
			 "%d ms; not waiting for it", ARM_WAIT_MS);
}

static void reload(struct daemon *d)
{
	struct config next;
	char err[512];

	if (config_build(&next, d->argc, d->argv, err, sizeof(err))) {
		log_errx("reload refused, keeping the old configuration: %s",
			 err);
		return;
	}
	if (strcmp(next.swappath, d->cfg.swappath) ||
	    strcmp(next.pidfile, d->cfg.pidfile)) {
		log_warnx("swappath and pidfile changes take effect at the "
			  "next start");
		strcpy(next.swappath, d->cfg.swappath);
		strcpy(next.pidfile, d->cfg.pidfile);
	}
	next.daemon = d->cfg.daemon;
	d->cfg = next;
	log_set_verbosity(d->cfg.quiet ? -1 : d->cfg.verbose ? 1 : 0);
	log_notice("configuration reloaded from %s", d->cfg.configfile);
	tiers_net_check(&d->tiers);
}

static void psi_start(struct daemon *d)
{
	unsigned window_us = 0;
	int fd = psi_trigger_open(&psi_sys_ops, "/proc/pressure/memory",
				  PSI_STALL_US, PSI_WINDOW_US, &window_us);

	if (fd < 0) {
		errno = -fd;
		log_info("no PSI memory trigger, polling only: "
			 "/proc/pressure/memory: %s", strerror(errno));
		return;
	}
	d->psi_fd = fd;
	log_info("waking on PSI memory pressure (window %u ms)",
		 window_us / 1000);
}

/* Sleep until the next poll, a PSI event, a worker, a signal or a new
 * reservation.  Control clients are served on the way without a tick,
 * so however many there are, the poll interval stays what it was. */
static void wait_for_event(struct daemon *d, const sigset_t *waitmask)
{
	/* poll(2) skips a negative fd: no PSI, or no wake pipe (a tier's
	 * each, TIERS_MAX of them: the unused ones -1). */
	enum { NFIX = 1 + TIERS_MAX };
	struct pollfd pfd[NFIX + 1 + CTL_MAX_CLIENTS] = {
		{d->psi_fd, POLLPRI, 0}};
	int64_t until = gm_now_ms() + d->next_poll_ms;
	int fds[TIERS_MAX], i;
	short woke;

	tiers_wake_fds(&d->tiers, fds);
	for (i = 0; i < TIERS_MAX; i++)
		pfd[1 + i] = (struct pollfd){fds[i], POLLIN, 0};

	for (;;) {
		int64_t now = gm_now_ms(), left = until - now;
		int64_t client_ms = ctl_next_deadline(&d->ctl);
		struct timespec ts;
		int rc, nctl;

		if (left < 0)
			left = 0;
		if (client_ms >= 0 && client_ms - now < left)
			left = client_ms > now ? client_ms - now : 0;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000L;
		nctl = ctl_pollfds(&d->ctl, pfd + NFIX);
		for (i = 0; i < NFIX; i++)
			pfd[i].revents = 0;
		rc = ppoll(pfd, NFIX + (nfds_t)nctl, &ts, waitmask);
		if (rc < 0) {
			d->wakeups[WAKE_SIGNAL]++;
			return;
		}
		if (nctl || client_ms >= 0) {
			d->resv_changed = false;
			loop_ctl_service(d, gm_now_ms());
			if (d->resv_changed) {
				d->wakeups[WAKE_CTL]++;
				return;
			}
		}
		for (woke = 0, i = 0; i < NFIX; i++)
			woke |= pfd[i].revents;
		if (!woke && gm_now_ms() < until)
			continue; /* only control clients: sleep on */
		if (!woke) {
			d->wakeups[WAKE_TIMER]++;
			return;
		}
		break;
	}
	for (woke = 0, i = 1; i < NFIX; i++)
		woke |= pfd[i].revents;
	if (woke & POLLIN) {
		/* The job itself is taken in by the tick that follows. */
		tiers_wake_drain(&d->tiers);
		d->wakeups[WAKE_WORKER]++;
	} else {
		d->wakeups[WAKE_PSI]++;
	}
	if (pfd[0].revents & (POLLERR | POLLNVAL)) {
		log_warnx("PSI trigger went away; polling only");
		close(d->psi_fd);
		d->psi_fd = -1;
	}
}

static void log_tick(const struct daemon *d, const struct tick_result *tk)
{
	if (tk->cannot_grow)
		log_warnx("short of memory (free %.0f%%) but on a diet: "
			  "cannot grow until the cooldown ends",
			  d->free_pct);
	if (d->ts.fsm.state != tk->before)
		log_info("%s -> %s (free %.0f%%)", fsm_state_name(tk->before),
			 fsm_state_name(d->ts.fsm.state), d->free_pct);
	if (tk->churn_up)
		log_info("swap needed again soon after a shrink: a surplus "
			 "must now last %lld s before a file goes",
			 (long long)(tk->shrink_wait_ms / 1000));
}

static void tick(struct daemon *d, int64_t t)
{
	static int64_t last_warn_ms = -1;
	struct tick_ops ops = ops_of(d);
	struct tick_result tk;
	enum fsm_state before = d->ts.fsm.state;
	int rc;

	/* What the workers finished first, so this reading counts a file
	 * that is now on; and whether a network directory answers. */
	collect(d, t);
	if (tiers_reach_tick(&d->tiers, t))
		d->published_ms = -1; /* status says so now */
	rc = read_memory(d, t);
	if (rc < 0 && (last_warn_ms < 0 || t - last_warn_ms > 60000)) {
		/* A read error does nothing this tick (never a surplus). */
		errno = -rc;
		log_warn("cannot read %s", meminfo_src(&d->cfg));
		last_warn_ms = t;
	}
	loop_resv_expire(d, t);
	tick_run(TICK_PARAMS(&d->cfg), &d->ts, &ops, rc < 0 ? NULL : &d->mi, t, &tk);
	if (tk.valid) {
		d->have_mi = true;
		d->free_pct = tk.o.free_pct;
		d->next_poll_ms = tk.next_poll_ms;
	}
	d->next_poll_ms = tiers_reach_wait_ms(&d->tiers, t, d->next_poll_ms);
	/* A file a shrink kept, not needed again in its time: deleted (and
	 * the loop wakes for the next one's time). */
	d->next_poll_ms = tiers_expire(&d->tiers, POOL_PARAMS(&d->cfg), t,
				       d->next_poll_ms);
	/* A state changed by what the workers finished counts too. */
	tk.before = before;
	log_tick(d, &tk);
}

void loop_run(struct daemon *d, const sigset_t *waitmask, int lockmode)
{
	d->psi_fd = -1;
	d->published_ms = -1;
	if (d->cfg.psi)
		psi_start(d);
	while (!proc_got_term) {
		int64_t t = gm_now_ms();

		if (proc_got_hup) {
			proc_got_hup = 0;
			reload(d);
			/* Now, not at the next periodic write: --status
			 * shows the settings in force (the old ones when
			 * the reload was refused). */
			d->published_ms = -1;
			/* Parsing is start-up code too: give it back again. */
			memlock_trim((enum memlock_mode)lockmode);
		}
		if (proc_got_usr2) {
			enum fsm_state before = d->ts.fsm.state;
			proc_got_usr2 = 0;
			tick_force_diet(TICK_PARAMS(&d->cfg), &d->ts, t);
			log_info("%s -> diet (SIGUSR2)", fsm_state_name(before));
		}
		tick(d, t);
		if (proc_got_usr1) {
			proc_got_usr1 = 0;
			publish_dump(d, t);
		}
		publish_status(d, t);
		if (proc_got_term || proc_got_hup || proc_got_usr1 ||
		    proc_got_usr2)
			continue;
		wait_for_event(d, waitmask);
	}
	if (d->psi_fd >= 0)
		close(d->psi_fd);
}
