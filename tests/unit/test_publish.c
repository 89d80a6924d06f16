/* publish.c on a temporary run and metrics directory: the status file
 * is written at the first tick, then only when the state or the file
 * being made or retired changes, or 5 s have passed; its text is the
 * daemon's (state, free figure, files, lanes); the metrics file goes
 * with it; a failure to write is logged once a minute; the USR1 dump
 * logs the same lines; publish_remove deletes both files. */
#include "config.h"
#include "log.h"
#include "loop.h"
#include "t.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#define MB (1024ull * 1024)

static char cap[4096]; /* what a capture caught */

static struct daemon d;
static char rundir[] = "/tmp/gm-test-publish.XXXXXX";
static char status_path[320], metrics_path[340];

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int count(const char *text, const char *what)
{
	int n = 0;

	for (; (text = strstr(text, what)) != NULL; text += strlen(what))
		n++;
	return n;
}

/* Publish at t_ms; true if the status file was (re)written. */
static bool publish_at(int64_t t_ms)
{
	unlink(status_path);
	unlink(metrics_path);
	publish_status(&d, t_ms);
	return exists(status_path);
}

static void daemon_fake(void)
{
	memset(&d, 0, sizeof(d));
	config_defaults(&d.cfg);
	snprintf(d.cfg.rundir, sizeof(d.cfg.rundir), "%s", rundir);
	snprintf(d.cfg.metrics_dir, sizeof(d.cfg.metrics_dir), "%s/m", rundir);
	d.tiers.n = 1;
	d.tiers.t[0].dir.fd = -1;
	d.tiers.t[0].wake[0] = d.tiers.t[0].wake[1] = -1;
	strcpy(d.tiers.t[0].dir.canon, "/gm");
	d.tiers.t[0].n = 1;
	d.tiers.t[0].f[0] = (struct pool_file){1, true, 64 * MB, 100, -2, 0, false, 0};
	d.tiers.t[0].c.grows = 3;
	tick_init(&d.ts, 0);
	d.have_mi = true;
	d.mi.mem_total_kb = 2000000;
	d.mi.mem_available_kb = 500000;
	d.mi.has_mem_available = true;
	d.mi.swap_total_kb = 65532;
	d.mi.swap_free_kb = 65432;
	d.free_pct = 42.0;
	d.psi_fd = -1;
	d.published_ms = -1;
}

static void test_text(void)
{
	const char *text;
	char line[64];

	daemon_fake();
	CHECK(publish_at(3000), "first publish writes the status file");
	text = slurp_text(status_path);
	CHECK(text != NULL, "status readable");
	if (!text)
		return;
	snprintf(line, sizeof(line), "pid=%ld swapdir=/gm\n", (long)getpid());
	CHECK(strncmp(text, line, strlen(line)) == 0, "first line: %s", text);
	CHECK(strstr(text, "\nstate=steady seconds_in_state=3\n") != NULL,
	      "state and its age: %s", text);
	CHECK(strstr(text, "\nfree_pct=42.0 lower_freelimit=") != NULL,
	      "free figure");
	CHECK(strstr(text, "\nmem_total_kb=2000000 ") != NULL &&
		      strstr(text, " swap_total_kb=65532 swap_free_kb=65432\n"),
	      "memory figures: %s", text);
	CHECK(strstr(text, "\nfiles=1 active=1 provisioned_kb=65536 used_kb=100\n") &&
		      strstr(text, "\nfile=/gm/1 size_kb=65536 used_kb=100 "
				   "priority=-2 active=1 age_s=3\n"),
	      "the pool's files: %s", text);
	CHECK(strstr(text, "\nstandby=active floor=none idle_held_kb=0 "
			  "spare_max_kb=65536 spare_want_kb=0\n") != NULL,
	      "standby line: %s", text);
	CHECK(strstr(text, "\ncounters grows=3 ") != NULL, "counters");
	CHECK(strstr(text, "making") == NULL && strstr(text, "retiring") == NULL,
	      "no lane working: no making/retiring line");
	text = slurp_text(metrics_path);
	CHECK(text && strstr(text, "ghostmemory_state{state=\"steady\"} 1\n"),
	      "metrics written beside it");
}

static void test_when(void)
{
	const char *text;

	daemon_fake();
	CHECK(publish_at(1000), "first tick: written");
	CHECK(!publish_at(2000) && !exists(metrics_path),
	      "nothing changed, 1 s later: nothing written");
	CHECK(!publish_at(5999), "4.999 s after: nothing written");
	CHECK(publish_at(6000) && exists(metrics_path), "5 s after: written");

	d.ts.fsm.state = FSM_HUNGRY;
	CHECK(publish_at(6100), "a new state: written at once");
	text = slurp_text(status_path);
	CHECK(text && strstr(text, "\nstate=hungry "), "it shows the new state");
	CHECK(!publish_at(6200), "the same state again: nothing");

	d.tiers.t[0].lane[LANE_GROW].kind = JOB_MAKE;
	d.tiers.t[0].lane[LANE_GROW].slot = 2;
	d.tiers.t[0].lane[LANE_GROW].size_b = 32 * MB;
	CHECK(publish_at(6300), "a file starts being made: written");
	text = slurp_text(status_path);
	CHECK(text && strstr(text, "\nmaking file=/gm/2 size_kb=32768 for_grow=0\n"),
	      "the file being made: %s", text ? text : "");
	CHECK(!publish_at(6400), "still making it: nothing");

	d.tiers.t[0].lane[LANE_SHRINK].kind = JOB_OFF;
	d.tiers.t[0].lane[LANE_SHRINK].slot = 1;
	CHECK(publish_at(6500), "a swapoff starts: written");
	text = slurp_text(status_path);
	CHECK(text && strstr(text, "\nretiring file=/gm/1\n"),
	      "the file being retired: %s", text ? text : "");

	d.tiers.t[0].lane[LANE_GROW].kind = JOB_ON; /* not a file being made */
	CHECK(publish_at(6600), "the making ends: written");

	/* Metrics off: only the status file. */
	d.cfg.metrics_dir[0] = '\0';
	d.ts.fsm.state = FSM_STEADY;
	CHECK(publish_at(6700) && !exists(metrics_path),
	      "no metrics directory: status only");
}

static void test_failure(void)
{
	const char *out;

	daemon_fake();
	log_init(false, 0);
	snprintf(d.cfg.rundir, sizeof(d.cfg.rundir), "%s/missing", rundir);
	capture_begin();
	publish_status(&d, 100000);
	d.ts.fsm.state = FSM_DIET;
	publish_status(&d, 110000);
	capture_end(cap, sizeof(cap));
	out = cap;
	CHECK(out && count(out, "cannot write the status or metrics file: ") == 1 &&
		      strstr(out, strerror(ENOENT)),
	      "one warning with the reason for two failures: \"%s\"",
	      out ? out : "(no capture)");
	capture_begin();
	d.ts.fsm.state = FSM_STEADY;
	publish_status(&d, 160000);
	capture_end(cap, sizeof(cap));
	out = cap;
	CHECK(out && count(out, "cannot write") == 1,
	      "a minute later it is said again: \"%s\"", out ? out : "");
	log_init(false, -1);
}

static void test_dump(void)
{
	const char *out;

	daemon_fake();
	unlink(status_path);
	log_init(false, 0);
	capture_begin();
	publish_dump(&d, 2000);
	capture_end(cap, sizeof(cap));
	out = cap;
	CHECK(out && strstr(out, "ghostmemory: dump state=steady seconds_in_state=2\n") &&
		      strstr(out, "ghostmemory: dump file=/gm/1 size_kb=65536 "),
	      "USR1 dump: the status lines, one log line each: \"%s\"",
	      out ? out : "");
	CHECK(!exists(status_path), "the dump writes no file");
	log_init(false, -1);
}

static void test_remove(void)
{
	daemon_fake();
	CHECK(publish_at(1000) && exists(metrics_path), "written");
	publish_remove(&d.cfg);
	CHECK(!exists(status_path) && !exists(metrics_path),
	      "publish_remove deletes status and metrics");
}

int main(void)
{
	char m[320];

	log_init(false, -1);
	if (t_mkdtemp(rundir) < 0)
		T_END();
	snprintf(m, sizeof(m), "%s/m", rundir);
	mkdir(m, 0700);
	snprintf(status_path, sizeof(status_path), "%s/status", rundir);
	snprintf(metrics_path, sizeof(metrics_path), "%s/ghostmemory.prom", m);
	test_text();
	test_when();
	test_failure();
	test_dump();
	test_remove();
	/* The atomic writes leave no temporary file behind. */
	unlink(status_path);
	CHECK(rmdir(m) == 0 && rmdir(rundir) == 0,
	      "nothing left in %s but the status file", rundir);
	rm_tree(rundir);
	T_END();
}
