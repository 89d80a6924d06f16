/* loop.c driven over the fake pool (t_pool.h) and a meminfo fixture in a
 * temporary directory: one tick reads memory and publishes the status;
 * SIGUSR1 dumps it, SIGUSR2 puts the daemon on a diet, SIGHUP reloads
 * (a bad file is refused, a new swappath waits for the next start); a
 * shortage grows a file in the worker lane and the loop takes it in
 * when it wakes; an unreadable meminfo does nothing and is said once;
 * loop_arm makes the standby (a spare, or the active file) only when
 * memory is calm.  The loop
 * ends when the fake /proc/swaps (read once a tick) sets the TERM flag. */
#include "config.h"
#include "log.h"
#include "loop.h"
#include "memlock.h"
#include "proc.h"
#include "t.h"
#include "t_pool.h"
#include "util.h"

#include <sys/stat.h>

static struct daemon d;
static char dir[] = "/tmp/gm-test-loop.XXXXXX";
static char mem_path[200], conf_path[200], rundir_arg[220], mem_arg[240];
static char *argv_reload[] = {"ghostmemory", "-c", conf_path, rundir_arg,
			      mem_arg, NULL};
static char cap[8192]; /* what the loop logged */
static int stop_at;    /* end the loop at this /proc/swaps read */

static int count(const char *text, const char *what)
{
	int n = 0;

	for (; (text = strstr(text, what)) != NULL; text += strlen(what))
		n++;
	return n;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL, "cannot write %s", path);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The fixture: free_pct of 1 GB available, no swap. */
static void mem(int free_pct)
{
	char text[256];

	snprintf(text, sizeof(text),
		 "MemTotal: 1000000 kB\nMemFree: %d kB\nMemAvailable: %d kB\n"
		 "Buffers: 0 kB\nCached: 0 kB\nSwapTotal: 0 kB\n"
		 "SwapFree: 0 kB\n",
		 free_pct * 10000, free_pct * 10000);
	write_file(mem_path, text);
}

static void stop_at_read(void)
{
	if (w.swaps_reads >= stop_at)
		proc_got_term = 1;
}

/* Until file 1 is on in the books (or a few hundred ticks: a failure). */
static void stop_when_on(void)
{
	struct pool_file *f = slot(&d.tiers.t[0], 1);

	if ((f && f->active) || w.swaps_reads >= 300)
		proc_got_term = 1;
}

/* A daemon on an empty fake directory, memory at free_pct. */
static void daemon_fake(int free_pct, enum standby_policy standby)
{
	memset(&d, 0, sizeof(d));
	config_defaults(&d.cfg);
	d.cfg.swapsize_auto = false;
	d.cfg.swapsize_b = 64 * MB;
	d.cfg.psi = false;
	d.cfg.standby = standby;
	d.cfg.metrics_dir[0] = '\0';
	snprintf(d.cfg.rundir, sizeof(d.cfg.rundir), "%s", dir);
	snprintf(d.cfg.meminfo_path, sizeof(d.cfg.meminfo_path), "%s",
		 mem_path);
	cfg = d.cfg; /* what settle works by */
	d.argc = 5;
	d.argv = argv_reload;
	world_reset();
	d.tiers.n = 1;
	pool_adopted(&d.tiers.t[0]);
	w.swaps_reads = 0;
	w.on_swaps_read = stop_at_read;
	stop_at = 1;
	tick_init(&d.ts, gm_now_ms());
	d.next_poll_ms = 10;
	proc_got_term = proc_got_hup = proc_got_usr1 = proc_got_usr2 = 0;
	mem(free_pct);
	log_init(false, 1);
}

static void run(void)
{
	sigset_t none;

	sigemptyset(&none);
	capture_begin();
	loop_run(&d, &none, MEMLOCK_NONE);
	capture_end(cap, sizeof(cap));
}

/* Let the lanes finish, and close the fake pool. */
static void daemon_end(void)
{
	struct pool_done done;

	log_init(false, -1);
	settle(&d.tiers.t[0], &done);
	pool_unfake(&d.tiers.t[0]);
}

static unsigned long wakeups(void)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < WAKE_NSOURCES; i++)
		n += d.wakeups[i];
	return n;
}

static void test_one_tick(void)
{
	char path[400];
	const char *status;

	daemon_fake(40, STANDBY_NONE);
	proc_got_usr1 = 1;
	run();
	CHECK(w.swaps_reads == 1 && wakeups() == 0,
	      "TERM at the first tick: one tick, no wait (%d reads, %lu "
	      "wakeups)", w.swaps_reads, wakeups());
	CHECK(d.have_mi && d.free_pct > 39.99 && d.free_pct < 40.01,
	      "memory read: free %.2f%%", d.free_pct);
	CHECK(proc_got_usr1 == 0 && count(cap, "ghostmemory: dump state=steady ") == 1,
	      "USR1: one dump, the flag cleared: \"%s\"", cap);
	snprintf(path, sizeof(path), "%s/status", dir);
	status = slurp_text(path);
	CHECK(status && strstr(status, "\nstate=steady ") &&
		      strstr(status, "\nfree_pct=40.0 "),
	      "status published: %s", status ? status : "(none)");
	daemon_end();
}

static void test_usr2(void)
{
	daemon_fake(40, STANDBY_NONE);
	proc_got_usr2 = 1;
	run();
	CHECK(d.ts.fsm.state == FSM_DIET && proc_got_usr2 == 0,
	      "USR2: diet (state %s)", fsm_state_name(d.ts.fsm.state));
	CHECK(strstr(cap, "steady -> diet (SIGUSR2)") != NULL,
	      "USR2 logged: \"%s\"", cap);
	daemon_end();
}

static void test_shortage(void)
{
	struct pool_file *f;

	daemon_fake(10, STANDBY_NONE);
	w.on_swaps_read = stop_when_on;
	run();
	f = slot(&d.tiers.t[0], 1);
	CHECK(f && f->active && w.active[1] && d.tiers.t[0].c.grows >= 1,
	      "the worker made and turned on file 1, the loop took it in "
	      "(%d ticks)", w.swaps_reads);
	CHECK(w.swaps_reads >= 2 && wakeups() >= 1,
	      "taken in at a later tick, after a wake (%d ticks, %lu wakeups)",
	      w.swaps_reads, wakeups());
	CHECK(d.ts.fsm.state == FSM_HUNGRY && strstr(cap, "steady -> hungry"),
	      "hungry once it is on, and said so: %s \"%s\"",
	      fsm_state_name(d.ts.fsm.state), cap);
	daemon_end();
}

static void test_read_error(void)
{
	char want[400];

	daemon_fake(40, STANDBY_NONE);
	snprintf(d.cfg.meminfo_path, sizeof(d.cfg.meminfo_path), "%s/none",
		 dir);
	stop_at = 2;
	run();
	CHECK(!d.have_mi && d.tiers.t[0].n == 0 && !w.exists[1],
	      "no reading: nothing done");
	CHECK(d.wakeups[WAKE_TIMER] == 1 && w.swaps_reads == 2,
	      "the poll interval ran out once between the ticks (%lu)",
	      d.wakeups[WAKE_TIMER]);
	snprintf(want, sizeof(want), "cannot read %s/none: ", dir);
	CHECK(count(cap, want) == 1, "said once for two ticks: \"%s\"", cap);
	daemon_end();
}

static void test_reload(void)
{
	int before;

	daemon_fake(40, STANDBY_NONE);
	write_file(conf_path, "lower_freelimit=25\nspare=no\n");
	proc_got_hup = 1;
	run();
	CHECK(d.cfg.lower_freelimit_pct == 25 && proc_got_hup == 0,
	      "HUP: the file read again (lower %d)", d.cfg.lower_freelimit_pct);
	CHECK(strstr(cap, "configuration reloaded from ") != NULL,
	      "reload logged: \"%s\"", cap);
	daemon_end();

	daemon_fake(40, STANDBY_NONE);
	before = d.cfg.lower_freelimit_pct;
	write_file(conf_path, "lower_freelimit=abc\n");
	proc_got_hup = 1;
	run();
	CHECK(d.cfg.lower_freelimit_pct == before &&
		      strstr(cap, "reload refused, keeping the old configuration"),
	      "a bad file: refused, nothing changed: \"%s\"", cap);
	daemon_end();

	daemon_fake(40, STANDBY_NONE);
	write_file(conf_path, "swappath=/elsewhere\nspare=no\n");
	proc_got_hup = 1;
	run();
	CHECK(strcmp(d.cfg.swappath, "/elsewhere") != 0 &&
		      strstr(cap, "take effect at the next start"),
	      "a new swappath waits for the next start (%s): \"%s\"",
	      d.cfg.swappath, cap);
	daemon_end();
}

static void test_arm(void)
{
	daemon_fake(40, STANDBY_SMALL);
	capture_begin();
	loop_arm(&d);
	capture_end(cap, sizeof(cap));
	CHECK(pool_has_spare(&d.tiers.t[0]) && w.exists[1] && !w.active[1] &&
		      !pool_busy(&d.tiers.t[0]),
	      "calm at start: the first spare made before the loop runs");
	daemon_end();

	daemon_fake(10, STANDBY_SMALL);
	loop_arm(&d);
	CHECK(!pool_has_spare(&d.tiers.t[0]) && !w.exists[1] && !pool_busy(&d.tiers.t[0]),
	      "a shortage at start is not calm: no spare");
	daemon_end();

	daemon_fake(40, STANDBY_NONE);
	loop_arm(&d);
	CHECK(!w.exists[1], "standby=none: nothing made");
	daemon_end();

	daemon_fake(40, STANDBY_ACTIVE);
	loop_arm(&d);
	CHECK(w.exists[1] && w.active[1] && !pool_busy(&d.tiers.t[0]) &&
		      d.tiers.t[0].standby_slot == 1 && d.ts.fsm.state == FSM_STEADY,
	      "standby=active: the file on before the loop runs, no grow");
	daemon_end();
}

int main(void)
{
	log_init(false, -1);
	if (t_mkdtemp(dir) < 0)
		T_END();
	snprintf(mem_path, sizeof(mem_path), "%s/meminfo", dir);
	snprintf(conf_path, sizeof(conf_path), "%s/conf", dir);
	snprintf(rundir_arg, sizeof(rundir_arg), "--rundir=%s", dir);
	snprintf(mem_arg, sizeof(mem_arg), "--meminfo_file=%s", mem_path);
	test_one_tick();
	test_usr2();
	test_shortage();
	test_read_error();
	test_reload();
	test_arm();
	rm_tree(dir);
	T_END();
}
