/* ghostmemory: start-up checks, the pid file, signals and the loop. */
#include "config.h"
#include "fsm.h"
#include "log.h"
#include "meminfo.h"
#include "memlock.h"
#include "policy.h"
#include "pool.h"
#include "predict.h"
#include "psi.h"
#include "plotrun.h"
#include "record.h"
#include "simulate.h"
#include "status.h"
#include "swapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef GM_VERSION
#define GM_VERSION "0.0.0"
#endif

/* PSI trigger: 100 ms of stall in a 1 s window (2 s unprivileged). */
#define PSI_STALL_US 100000u
#define PSI_WINDOW_US 1000000u

static volatile sig_atomic_t got_term, got_hup, got_usr1, got_usr2;

static void on_signal(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT: got_term = 1; break;
	case SIGHUP: got_hup = 1; break;
	case SIGUSR1: got_usr1 = 1; break;
	case SIGUSR2: got_usr2 = 1; break;
	default: break;
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ghostmemory [options]\n"
		"Grows swap on demand with swap files, and removes them when"
		" no longer needed.\n\n"
		"  -a, --cooldown=S           seconds between shrinks (600)\n"
		"  -B, --buffer_elasticity=P  %% of buffers counted free (30)\n"
		"  -C, --cache_elasticity=P   %% of cache counted free (80)\n"
		"  -c, --configfile=FILE      config file (" GM_DEFAULT_CONFIG ")\n"
		"  -d, --daemon               detach and log to syslog\n"
		"  -e, --erase                at exit, remove the files we can\n"
		"  -f, --freetarget=P         free %% a new file aims for (30)\n"
		"  -h, --help                 this text\n"
		"  -i, --inspect              check the configuration, print it\n"
		"  -l, --lower_freelimit=P    grow below this free %% (20)\n"
		"  -m, --min_swapsize=SIZE    smallest file (4m)\n"
		"  -M, --max_swapsize=SIZE    largest file (2g)\n"
		"  -p, --pidfile=FILE         pid file (" GM_DEFAULT_PIDFILE ")\n"
		"  -P, --paranoid             zero files before deleting them\n"
		"  -q, --quiet                errors only\n"
		"  -s, --swappath=DIR         swap directory (" GM_DEFAULT_SWAPPATH ")\n"
		"  -u, --upper_freelimit=P    shrink above this free %% (60)\n"
		"  -v, --verbose              log every decision\n"
		"  -V, --version              print the version\n"
		"      --swapsize=auto|SIZE   size of each file (auto: 2 x RAM, max 2g)\n"
		"      --disk_reserve=P%%|SIZE free space the disk keeps (10%%)\n"
		"      --max_files=N          at most N files (16)\n"
		"      --max_total=SIZE       at most this much swap (0: no cap)\n"
		"      --priority=N           swap priority (-1: kernel's)\n"
		"      --discard=none|once|pages|both  swapon discard (none)\n"
		"      --metrics_dir=DIR      write DIR/ghostmemory.prom\n"
		"      --poll_min_ms=MS       fastest poll near the limit (20)\n"
		"      --poll_max_ms=MS       slowest poll when calm (20000)\n"
		"      --spike_rate=SIZE      worst allocation rate per second (1g)\n"
		"      --psi=yes|no           wake on PSI memory pressure (yes)\n"
		"      --spare=yes|no         keep a warm spare file (yes)\n"
		"      --status               print the running daemon's state\n"
		"      --rundir=DIR           status file directory (" GM_DEFAULT_RUNDIR ")\n"
		"      --simulate=TRACE       replay a memory trace, create nothing\n"
		"See ghostmemory(8) and ghostmemory.conf(5).\n");
}

/* Lock the pid file before detaching, so failures reach the caller. */
static int pidfile_lock(const char *path)
{
	struct stat st;
	int fd;

	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		fatalx(GM_EXIT_PIDFILE, "pid file %s is not a regular file"
		       " (a symlink?); refusing to use it", path);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		fatal(GM_EXIT_PIDFILE, "cannot open pid file %s", path);
	/* Judge what was opened: truncating a file with another name
	 * would write through to that name. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1)
		fatalx(GM_EXIT_PIDFILE, "pid file %s is not a plain file with "
		       "one name (a hard link?); refusing to use it", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		char buf[32] = "";
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
		if (errno != EWOULDBLOCK && errno != EAGAIN)
			fatal(GM_EXIT_PIDFILE, "cannot lock pid file %s", path);
		if (n > 0)
			buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		fatalx(GM_EXIT_RUNNING, "already running (pid %s, pid file %s)",
		       buf[0] ? buf : "?", path);
	}
	return fd;
}

static void pidfile_write(int fd, const char *path)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		fatal(GM_EXIT_PIDFILE, "cannot write pid file %s", path);
}

/* Detach.  The first parent waits until the daemon says it is ready (or
 * dies), so an init script that checks the pid file right after start
 * finds it, and a start-up failure still sets the exit code.  Returns the
 * fd the daemon writes its "ready" byte to. */
static int daemonize(void)
{
	int ready[2], fd;
	pid_t pid;

	if (pipe(ready) < 0)
		fatal(GM_EXIT_RUNTIME, "pipe");
	pid = fork();
	if (pid < 0)
		fatal(GM_EXIT_RUNTIME, "fork");
	if (pid > 0) {
		char c = 0;
		ssize_t n;
		close(ready[1]);
		do
			n = read(ready[0], &c, 1);
		while (n < 0 && errno == EINTR);
		/* No byte: the daemon died before it was ready. */
		_exit(n == 1 && c == 'R' ? GM_EXIT_OK : GM_EXIT_RUNTIME);
	}
	close(ready[0]);
	if (setsid() < 0)
		fatal(GM_EXIT_RUNTIME, "setsid");
	pid = fork();
	if (pid < 0)
		fatal(GM_EXIT_RUNTIME, "fork");
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		fatal(GM_EXIT_RUNTIME, "chdir /");
	umask(022);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return ready[1];
}

static void daemon_ready(int fd)
{
	if (fd >= 0) {
		(void)!write(fd, "R", 1);
		close(fd);
	}
}

/* Keep our own pages in RAM and out of the OOM killer's reach. */
static enum memlock_mode protect_self(void)
{
	enum memlock_mode mode;
	int fd;

	/* One malloc arena: the file maker's thread would otherwise map an
	 * arena of its own (64 MiB of address space, locked on touch). */
	mallopt(M_ARENA_MAX, 1);
	mode = memlock_start();
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "-1000", 5) != 5)
		log_warn("cannot set oom_score_adj to -1000");
	if (fd >= 0)
		close(fd);
	return mode;
}

static void setup_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;
	int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2};
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Under a file size limit, fallocate/write must fail with EFBIG
	 * ("no room"), not kill the daemon mid-creation. */
	sigaction(SIGXFSZ, &sa, NULL);
	/* Signals are taken only while we wait, so a flag set just before
	 * the wait still ends it at once. */
	sigprocmask(SIG_BLOCK, &block, waitmask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(waitmask, sigs[i]);
}

struct daemon {
	struct config cfg;
	struct pool pool;
	struct fsm fsm;
	struct meminfo mi;
	bool have_mi;
	double free_pct;
	int argc;
	char **argv;
	struct trend trend;      /* recent "used" figures for the forecast */
	double slope_kb_s;       /* d(free)/dt, KiB/s (negative: falling) */
	int64_t next_poll_ms;    /* how long the loop sleeps next */
	int64_t provision_ms;    /* how long the last grow took */
	int64_t grow_wait_ms;    /* a GROW waits for a file since, or -1 */
	int64_t grow_retry_ms;   /* after a failed grow, not before this */
	int grow_failures;       /* failed grows in a row */
	int psi_fd;              /* PSI trigger, or -1: polling only */
	unsigned long wakeups[WAKE_NSOURCES]; /* by enum wake_source */
	int64_t published_ms;    /* status/metrics last written, or -1 */
	enum fsm_state published_state; /* the state they showed */
	int published_making;    /* and the file being made (slot or 0) */
};

static void snapshot_build(const struct daemon *d, int64_t t,
			   struct snapshot *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->state = d->fsm.state;
	s->seconds_in_state = (t - d->fsm.entered_ms) / 1000;
	s->free_pct = d->free_pct;
	s->lower_freelimit_pct = d->cfg.lower_freelimit_pct;
	s->freetarget_pct = d->cfg.freetarget_pct;
	s->upper_freelimit_pct = d->cfg.upper_freelimit_pct;
	s->have_mem = d->have_mi;
	s->mem_total_kb = d->mi.mem_total_kb;
	s->mem_available_kb = meminfo_ram_available_kb(&d->mi, &d->cfg);
	s->swap_total_kb = d->mi.swap_total_kb;
	s->swap_free_kb = d->mi.swap_free_kb;
	s->nfiles = d->pool.n;
	memcpy(s->files, d->pool.f, sizeof(s->files));
	s->making_slot = d->pool.job.slot;
	s->making_size_b = d->pool.job.size_b;
	s->making_for_grow =
		__atomic_load_n(&d->pool.job.urgent, __ATOMIC_ACQUIRE);
	s->now_ms = t;
	snprintf(s->swapdir, sizeof(s->swapdir), "%s", d->pool.canon);
	s->c = d->pool.c;
	for (i = 0; i < WAKE_NSOURCES; i++)
		s->wakeups[i] = d->wakeups[i];
	s->pid = (long)getpid();
}

/* SIGUSR1: the status lines, one log line each. */
static void dump_state(struct daemon *d, int64_t t)
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

/* rundir/status (and the metrics file): at each transition and when a
 * file starts or stops being made, else at most every 5 s.  A failure is
 * logged once per minute at most. */
static void publish(struct daemon *d, int64_t t)
{
	static struct snapshot s;
	static char buf[16384];
	static int64_t warned_ms = -60000;
	size_t n;
	int rc;

	if (d->published_ms >= 0 && d->fsm.state == d->published_state &&
	    d->pool.job.slot == d->published_making &&
	    t - d->published_ms < 5000)
		return;
	d->published_ms = t;
	d->published_state = d->fsm.state;
	d->published_making = d->pool.job.slot;
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
static void unlink_status(const struct config *cfg)
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

/* Sleep until the next poll, a PSI event, the file maker or a signal. */
static void wait_for_event(struct daemon *d, const sigset_t *waitmask)
{
	/* poll(2) skips a negative fd: no PSI, or no wake pipe. */
	struct pollfd pfd[2] = {{d->psi_fd, POLLPRI, 0},
				{pool_wake_fd(&d->pool), POLLIN, 0}};
	struct timespec ts = {d->next_poll_ms / 1000,
			      (d->next_poll_ms % 1000) * 1000000L};
	int rc = ppoll(pfd, 2, &ts, waitmask);

	if (rc < 0) {
		d->wakeups[WAKE_SIGNAL]++;
		return;
	}
	if (rc == 0) {
		d->wakeups[WAKE_TIMER]++;
		return;
	}
	if (pfd[1].revents & POLLIN) {
		/* The file itself is taken in by the tick that follows. */
		pool_wake_drain(&d->pool);
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

/* How a GROW went, now or (made in the background) later: the time it
 * took, and a back-off after a failure. */
static void grow_done(struct daemon *d, enum fsm_outcome out, int64_t t)
{
	if (out == FSM_PENDING) {
		if (d->grow_wait_ms < 0)
			d->grow_wait_ms = t;
		return;
	}
	if (out == FSM_OK) {
		d->provision_ms = now_ms() - (d->grow_wait_ms >= 0
						      ? d->grow_wait_ms
						      : t);
		d->grow_failures = 0;
	} else if (out == FSM_FAILED) {
		/* 1 s, 2 s, 4 s ... up to a cooldown: a broken filesystem
		 * must not be hammered at every poll. */
		int64_t wait = (int64_t)1000 << (d->grow_failures < 16
						     ? d->grow_failures
						     : 16);
		if (wait > d->cfg.cooldown_s * 1000)
			wait = d->cfg.cooldown_s * 1000;
		if (wait < 1000)
			wait = 1000;
		d->grow_failures++;
		d->grow_retry_ms = t + wait;
	}
	d->grow_wait_ms = -1;
}

/* Start armed: if memory is calm, make the first warm spare before
 * saying we are ready, so that a spike right after start is met by a
 * swapon.  Waits at most ARM_WAIT_MS (a zero-filled file on a slow disk
 * takes longer); the loop takes the file in when it is done. */
#define ARM_WAIT_MS 3000

static void arm(struct daemon *d)
{
	const struct config *cfg = &d->cfg;
	struct pollfd pfd = {pool_wake_fd(&d->pool), POLLIN, 0};
	enum fsm_outcome out;
	int64_t t0 = now_ms(), left;

	if (!cfg->spare || pool_has_spare(&d->pool) ||
	    meminfo_read(cfg->meminfo_path[0] ? cfg->meminfo_path
					      : "/proc/meminfo",
			 &d->mi) < 0)
		return;
	/* Calm as the loop judges it, without a slope yet: at or above
	 * freetarget (an empty reading is 0%: not calm). */
	pool_spare_tick(&d->pool, cfg, &d->mi,
			meminfo_free_pct(&d->mi, cfg) >= cfg->freetarget_pct,
			t0);
	while (pool_busy(&d->pool) && pfd.fd >= 0 &&
	       (left = t0 + ARM_WAIT_MS - now_ms()) > 0) {
		if (poll(&pfd, 1, (int)left) > 0)
			pool_wake_drain(&d->pool);
		pool_collect(&d->pool, cfg, &d->mi, now_ms(), &out);
	}
	if (pool_busy(&d->pool))
		log_info("the first warm spare is still being made after "
			 "%d ms; not waiting for it", ARM_WAIT_MS);
}

static void tick(struct daemon *d, int64_t t)
{
	const struct config *cfg = &d->cfg;
	struct fsm_reading r = {0};
	enum fsm_state before = d->fsm.state;
	enum fsm_action_kind act;
	enum fsm_outcome out = FSM_OK;
	struct outlook o = {0};
	const char *src = cfg->meminfo_path[0] ? cfg->meminfo_path
					       : "/proc/meminfo";
	int rc;

	/* A file made in the background first, so that this reading
	 * counts it if it is on. */
	if (pool_collect(&d->pool, cfg, &d->mi, t, &out)) {
		grow_done(d, out, t);
		fsm_report(cfg, &d->fsm, FSM_ACT_GROW, out, t);
		out = FSM_OK;
	}
	rc = meminfo_read(src, &d->mi);
	if (rc < 0) {
		static int64_t last_warn_ms = -1;
		/* A read error does nothing this tick (never a surplus). */
		if (last_warn_ms < 0 || t - last_warn_ms > 60000) {
			errno = -rc;
			log_warn("cannot read %s", src);
			last_warn_ms = t;
		}
	} else {
		struct poll_params pp = {cfg->poll_min_ms, cfg->poll_max_ms,
					 (double)cfg->spike_rate_b / 1024.0};

		/* Lead time: a swapon if a spare is ready, else as long as
		 * making a file took (the last spare tells). */
		int64_t lead_ms = d->provision_ms;
		if (!pool_has_spare(&d->pool) && d->pool.make_ms > lead_ms)
			lead_ms = d->pool.make_ms;
		predict_classify(cfg, &d->trend, &d->mi, t,
				 lead_ms + cfg->poll_min_ms, &r, &o);
		d->have_mi = true;
		d->free_pct = o.free_pct;
		d->slope_kb_s = o.slope_kb_s;
		d->next_poll_ms = predict_poll_ms(&pp, o.free_kb, o.limit_kb,
						  o.slope_kb_s);
	}
	pool_refresh(&d->pool, t);
	act = fsm_step(cfg, &d->fsm, &r, t);
	if (d->fsm.say_cannot_grow)
		log_warnx("short of memory (free %.0f%%) but on a diet: "
			  "cannot grow until the cooldown ends",
			  d->free_pct);
	/* A grow that failed (not for room) is retried with a back-off,
	 * not at every fast poll. */
	if (act == FSM_ACT_GROW && t < d->grow_retry_ms)
		act = FSM_ACT_NONE;
	if (act == FSM_ACT_GROW) {
		out = pool_grow(&d->pool, cfg, &d->mi, t);
		grow_done(d, out, t);
	} else if (act == FSM_ACT_SHRINK) {
		out = pool_shrink(&d->pool, cfg, &d->mi);
	}
	if (act != FSM_ACT_NONE)
		fsm_report(cfg, &d->fsm, act, out, t);
	if (d->fsm.state != before)
		log_info("%s -> %s (free %.0f%%)", fsm_state_name(before),
			 fsm_state_name(d->fsm.state), d->free_pct);
	/* Calm: steady or overfed (a surplus is calmer still), well above
	 * the limits and not heading there within a minute.  Then a warm
	 * spare may be made in the background. */
	if (r.valid)
		pool_spare_tick(&d->pool, cfg, &d->mi,
				(d->fsm.state == FSM_STEADY ||
				 d->fsm.state == FSM_OVERFED) &&
					!r.shortage &&
					d->free_pct >= cfg->freetarget_pct &&
					predict_ms_to_limit(o.free_kb, o.limit_kb,
							    o.slope_kb_s) > 60000,
				t);
}

int main(int argc, char *argv[])
{
	static struct daemon d;
	char err[512];
	sigset_t waitmask;
	int rc, pidfd, readyfd = -1;
	enum memlock_mode lockmode;
	long released;

	d.argc = argc;
	d.argv = argv;
	rc = config_build(&d.cfg, argc, argv, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "ghostmemory: %s\n", err);
		if (!strstr(err, ".conf") && !strchr(err, ':'))
			fprintf(stderr, "Try 'ghostmemory --help'.\n");
		return rc;
	}
	if (d.cfg.show_help) {
		usage(stdout);
		return GM_EXIT_OK;
	}
	if (d.cfg.show_version) {
		printf("ghostmemory %s\n", GM_VERSION);
		return GM_EXIT_OK;
	}
	if (d.cfg.inspect) {
		config_print(&d.cfg, stdout);
		return GM_EXIT_OK;
	}
	if (d.cfg.show_status)
		return status_print(d.cfg.rundir, stdout);
	if (d.cfg.record_path[0])
		return record_run(&d.cfg);
	if (d.cfg.plot_path[0])
		return plot_run(&d.cfg);
	if (d.cfg.simulate_path[0])
		return simulate_file(&d.cfg, d.cfg.simulate_path, stdout);
	if (geteuid() != 0) {
		fprintf(stderr, "ghostmemory: must run as root (swapon needs "
				"CAP_SYS_ADMIN)\n");
		return GM_EXIT_NOT_ROOT;
	}

	log_init(false, d.cfg.quiet ? -1 : d.cfg.verbose ? 1 : 0);
	rc = swapdir_open(d.cfg.swappath, &d.pool.dir, err, sizeof(err));
	if (rc)
		fatalx(rc, "%s", err);
	{
		/* realpath wants PATH_MAX bytes (_FORTIFY_SOURCE checks). */
		char *canon = realpath(d.cfg.swappath, NULL);
		if (!canon)
			fatal(GM_EXIT_DIR_UNUSABLE, "swap directory %s",
			      d.cfg.swappath);
		if (strlen(canon) >= sizeof(d.pool.canon))
			fatalx(GM_EXIT_DIR_UNUSABLE, "swap directory %s: "
			       "path too long", canon);
		strcpy(d.pool.canon, canon);
		free(canon);
	}
	d.pool.swaps_path = "/proc/swaps";
	pidfd = pidfile_lock(d.cfg.pidfile);
	/* One daemon per swap directory, whatever its pid file: two would
	 * adopt, shrink and clean up each other's files. */
	if (flock(d.pool.dir.fd, LOCK_EX | LOCK_NB) < 0)
		fatalx(GM_EXIT_RUNNING, "swap directory %s is in use by another "
		       "ghostmemory", d.pool.canon);
	if (mkdir(d.cfg.rundir, 0755) < 0 && errno != EEXIST)
		log_warn("cannot create %s; no status file", d.cfg.rundir);
	d.published_ms = -1;

	if (d.cfg.daemon) {
		readyfd = daemonize();
		log_init(true, d.cfg.quiet ? -1 : d.cfg.verbose ? 1 : 0);
	}
	setup_signals(&waitmask);
	pool_init(&d.pool);
	pool_adopt(&d.pool, &d.cfg, now_ms());
	lockmode = protect_self();
	d.next_poll_ms = 1000;
	d.provision_ms = 50;
	d.grow_wait_ms = -1;
	d.psi_fd = -1;
	arm(&d);
	fsm_init(&d.fsm, now_ms());
	/* Written once armed: "started" (and the init script's start
	 * returning) means a spike is met by a swapon. */
	pidfile_write(pidfd, d.cfg.pidfile);
	log_notice("ghostmemory %s started (pid %ld, state steady, "
		   "swap directory %s)", GM_VERSION, (long)getpid(),
		   d.pool.canon);
	daemon_ready(readyfd);
	if (d.cfg.psi)
		psi_start(&d);
	/* Start-up is over: give back what only it needed (the loop's own
	 * pages come back, and are locked, as it runs). */
	released = memlock_trim(lockmode);
	if (released > 0)
		log_debug("released %ld KiB of start-up pages", released);

	while (!got_term) {
		int64_t t = now_ms();

		if (got_hup) {
			got_hup = 0;
			reload(&d);
			/* Parsing is start-up code too: give it back again. */
			memlock_trim(lockmode);
		}
		if (got_usr2) {
			enum fsm_state before = d.fsm.state;
			got_usr2 = 0;
			fsm_force_diet(&d.cfg, &d.fsm, t);
			log_info("%s -> diet (SIGUSR2)", fsm_state_name(before));
		}
		tick(&d, t);
		if (got_usr1) {
			got_usr1 = 0;
			dump_state(&d, t);
		}
		publish(&d, t);
		if (got_term || got_hup || got_usr1 || got_usr2)
			continue;
		wait_for_event(&d, &waitmask);
	}
	if (d.psi_fd >= 0)
		close(d.psi_fd);

	pool_spare_wait(&d.pool);
	if (d.cfg.erase) {
		pool_refresh(&d.pool, now_ms());
		pool_erase(&d.pool, &d.cfg, d.have_mi ? &d.mi : NULL);
	}
	log_notice("exiting on signal; %d swap file(s) left active",
		   pool_active_count(&d.pool));
	unlink_status(&d.cfg);
	unlink(d.cfg.pidfile);
	close(pidfd);
	swapdir_close(&d.pool.dir);
	return GM_EXIT_OK;
}
