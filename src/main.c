/* ghostmemory: what the command line asks for, then the daemon's start:
 * checks, the pid file, the pool, self-protection, the loop, the exit. */
#include "client.h"
#include "config.h"
#include "log.h"
#include "loop.h"
#include "managers.h"
#include "memlock.h"
#include "params.h"
#include "plotrun.h"
#include "tiers.h"
#include "proc.h"
#include "record.h"
#include "simulate.h"
#include "status.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef GM_VERSION
#define GM_VERSION "0.0.0"
#endif

/* Swap files are turned off when the init script stops us; a swapoff
 * under way is ended (its file stays active) well within its timeout. */
#define STOP_WAIT_MS 5000
/* How long start-up waits for a swap directory on NFS to answer. */
#define OPEN_WAIT_MS 10000

/* --erase-now: the safe erase of a stopped daemon (the package's prerm
 * and postrm use it).  0 when nothing stays, 1 when some file does. */
static int erase_now(struct daemon *d)
{
	char err[512];
	int rc, left;

	log_init(false, d->cfg.quiet ? -1 : d->cfg.verbose ? 1 : 0);
	rc = tiers_open(&d->tiers, d->cfg.swappath, &pool_sys_real, err,
			sizeof(err));
	if (rc == 0)
		rc = tiers_lock(&d->tiers, err, sizeof(err));
	if (rc)
		fatalx(rc, "%s", err);
	tiers_adopt(&d->tiers, d->cfg.min_swapsize_b, gm_now_ms());
	left = tiers_erase(&d->tiers, POOL_PARAMS(&d->cfg));
	tiers_close(&d->tiers);
	return left ? GM_EXIT_RUNTIME : GM_EXIT_OK;
}

/* At start: the other swap managers on the machine, once. */
static void note_managers(void)
{
	static struct swaps_table t;
	struct manager_found f[MGR_N];
	char line[400];
	int m;

	managers_scan("", swaps_read("/proc/swaps", &t) == 0 ? &t : NULL, f);
	for (m = 0; m < MGR_N; m++) {
		if (!managers_describe(f, (enum manager)m, line, sizeof(line)))
			continue;
		if (manager_grows((enum manager)m) &&
		    (f[m].running || f[m].enabled))
			log_warnx("%s", line);
		else
			log_notice("%s", line);
	}
}

/* The swap directories, in order of preference, for the log. */
static const char *dirs_text(const struct tiers *ts, char *out, size_t len)
{
	size_t o = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < ts->n && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? ", " : "",
				      pool_dir(&ts->t[i]));
	return out;
}

static int run_daemon(struct daemon *d)
{
	char err[512];
	sigset_t waitmask;
	int rc, pidfd, readyfd = -1, left;
	enum memlock_mode lockmode;
	long released;

	log_init(false, d->cfg.quiet ? -1 : d->cfg.verbose ? 1 : 0);
	/* A directory on NFS whose server does not answer must not hold
	 * up the boot: the daemon then starts without it. */
	rc = tiers_open_bounded(&d->tiers, d->cfg.swappath, &pool_sys_real,
				d->cfg.min_swapsize_b, OPEN_WAIT_MS, err,
				sizeof(err));
	if (rc)
		fatalx(rc, "%s", err);
	pidfd = proc_pidfile_lock(d->cfg.pidfile);
	rc = tiers_lock(&d->tiers, err, sizeof(err));
	if (rc)
		fatalx(rc, "%s", err);
	rc = proc_mkdir_mode(d->cfg.rundir, 0755);
	if (rc < 0) {
		errno = -rc;
		log_warn("cannot create %s; no status file", d->cfg.rundir);
	}
	if (d->cfg.daemon) {
		readyfd = proc_daemonize();
		log_init(true, d->cfg.quiet ? -1 : d->cfg.verbose ? 1 : 0);
	}
	proc_signals(&waitmask);
	loop_ctl_open(d);
	tiers_adopt_bounded(&d->tiers, d->cfg.min_swapsize_b, gm_now_ms(),
			    OPEN_WAIT_MS);
	note_managers();
	lockmode = proc_protect();
	d->next_poll_ms = 1000;
	tick_init(&d->ts, gm_now_ms());
	loop_arm(d);
	/* Written once armed: "started" (and the init script's start
	 * returning) means a spike is met by a swapon. */
	proc_pidfile_write(pidfd, d->cfg.pidfile);
	log_notice("ghostmemory %s started (pid %ld, state steady, "
		   "swap director%s %s)", GM_VERSION, (long)getpid(),
		   d->tiers.n > 1 ? "ies" : "y", dirs_text(&d->tiers, err,
							     sizeof(err)));
	proc_ready(readyfd);
	/* Start-up is over: give back what only it needed (the loop's own
	 * pages come back, and are locked, as it runs). */
	released = memlock_trim(lockmode);
	if (released > 0)
		log_debug("released %ld KiB of start-up pages", released);

	loop_run(d, &waitmask, (int)lockmode);

	tiers_stop(&d->tiers, POOL_PARAMS(&d->cfg), STOP_WAIT_MS);
	if (d->cfg.erase)
		tiers_erase(&d->tiers, POOL_PARAMS(&d->cfg));
	left = tiers_active_count(&d->tiers);
	log_notice("exiting on signal; %d swap file(s) left active", left);
	ctl_close(&d->ctl);
	publish_remove(&d->cfg);
	unlink(d->cfg.pidfile);
	close(pidfd);
	tiers_close(&d->tiers);
	return GM_EXIT_OK;
}

int main(int argc, char *argv[])
{
	static struct daemon d;
	char err[512];
	int rc;

	d.argc = argc;
	d.argv = argv;
	rc = config_build(&d.cfg, argc, argv, err, sizeof(err));
	if (rc && client_is_apt_hook(argc, argv)) {
		/* Whatever is wrong, apt must go on. */
		printf("ghostmemory: no swap reserved for apt: %s\n", err);
		return GM_EXIT_OK;
	}
	if (rc) {
		fprintf(stderr, "ghostmemory: %s\n", err);
		if (!strstr(err, ".conf") && !strchr(err, ':'))
			fprintf(stderr, "Try 'ghostmemory --help'.\n");
		return rc;
	}
	if (d.cfg.show_help) {
		config_usage(stdout);
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
	if (client_wanted(&d.cfg) || d.cfg.command_argi)
		return client_main(&d.cfg, argv);
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
	if (d.cfg.erase_now)
		return erase_now(&d);
	/* Root in a container (unprivileged LXC, docker without
	 * --privileged) may not swapon: say so before touching anything. */
	if (proc_has_sys_admin("/proc/self/status") == 0) {
		fprintf(stderr, "ghostmemory: no CAP_SYS_ADMIN (a container?): "
				"swapon(2) is not allowed here, so there is "
				"nothing to manage; swap must come from the "
				"host\n");
		return GM_EXIT_NO_CAP;
	}
	return run_daemon(&d);
}
