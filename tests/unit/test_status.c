/* status_format, metrics_format, status_write_atomic and status_print:
 * exact text for known snapshots, truncation, hostile snapshots, the
 * atomic write (mode, no temp left, no link followed) and --status's
 * exit codes. */
#include "status.h"

#include "config.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static struct snapshot two_files(void)
{
	struct snapshot s;

	memset(&s, 0, sizeof(s));
	s.state = FSM_HUNGRY;
	s.seconds_in_state = 12;
	s.free_pct = 43.25;
	s.lower_freelimit_pct = 20;
	s.freetarget_pct = 30;
	s.upper_freelimit_pct = 60;
	s.have_mem = true;
	s.mem_total_kb = 262144;
	s.mem_available_kb = 100000;
	s.swap_total_kb = 524288;
	s.swap_free_kb = 500000;
	/* A 256 MiB zram area half full at ratio 3 beside the files, under
	 * strict overcommit. */
	s.free_kb = 100000 + 500000 - 43691;
	s.swap_uncounted_kb = 43691;
	s.om.zram_n = 1;
	s.om.zram_size_kb = 262140;
	s.om.zram_free_kb = 131070;
	s.om.zram_counted_kb = 87379;
	s.om.zram_ram_kb = 43690;
	s.om.zram_ratio = 3.0;
	s.om.zram_min_prio = 100;
	s.om.overcommit = 2;
	s.commit_limit_kb = 655360;
	s.committed_as_kb = 491520;
	s.nfiles = 2;
	s.files[0] = (struct pool_file){.slot = 1, .active = true,
					.size_b = 268435456, .used_kb = 24288,
					.priority = -2, .since_ms = 10000};
	s.files[1] = (struct pool_file){.slot = 3, .active = false,
					.size_b = 4194304, .used_kb = 0,
					.priority = 0, .since_ms = 70000};
	s.now_ms = 130500;
	s.standby = STANDBY_ACTIVE;
	s.standby_slot = 1;
	s.idle_held_b = 268435456 + 4194304;
	s.spare_max_b = 67108864;
	strcpy(s.swapdir, "/var/lib/ghostmemory");
	s.c.grows = 3;
	s.c.shrinks = 1;
	s.c.fail_no_room = 2;
	s.c.fail_create = 4;
	s.c.fail_swapon = 5;
	s.c.fail_swapoff = 6;
	s.c.adopted = 1;
	s.wakeups[WAKE_TIMER] = 100;
	s.wakeups[WAKE_PSI] = 7;
	s.wakeups[WAKE_SIGNAL] = 2;
	s.wakeups[WAKE_WORKER] = 3;
	s.pid = 4242;
	return s;
}

static const char want_status[] =
	"pid=4242 swapdir=/var/lib/ghostmemory\n"
	"state=hungry seconds_in_state=12\n"
	"free_pct=43.2 lower_freelimit=20 freetarget=30 upper_freelimit=60\n"
	"mem_total_kb=262144 mem_available_kb=100000 swap_total_kb=524288 "
	"swap_free_kb=500000\n"
	"free_kb=556309 swap_uncounted_kb=43691\n"
	"zram areas=1 size_kb=262140 free_kb=131070 counted_kb=87379 "
	"ram_kb=43690 ratio=3.00\n"
	"zswap=off uncounted_kb=0\n"
	"overcommit=2 commit_limit_kb=655360 committed_kb=491520\n"
	"files=2 active=1 provisioned_kb=262144 used_kb=24288\n"
	"file=/var/lib/ghostmemory/1 size_kb=262144 used_kb=24288 "
	"priority=-2 active=1 age_s=120\n"
	"file=/var/lib/ghostmemory/3 size_kb=4096 used_kb=0 priority=0 "
	"active=0 age_s=60\n"
	"standby=active floor=/var/lib/ghostmemory/1 idle_held_kb=266240 "
	"spare_max_kb=65536 spare_want_kb=0\n"
	"counters grows=3 shrinks=1 failures_no_room=2 failures_create=4 "
	"failures_swapon=5 failures_swapoff=6 adopted=1 spares_kept=0 "
	"leftovers_deleted=0\n"
	"wakeups timer=100 psi=7 signal=2 worker=3\n";

static void test_status_exact(void)
{
	struct snapshot s = two_files();
	char buf[4096];
	size_t n = status_format(&s, buf, sizeof(buf));

	CHECK_STR(buf, want_status, "status text");
	CHECK_EQ_U(n, strlen(want_status), "status length");

	/* A file a shrink kept: the seconds left before it goes (rounded
	 * up; 0 once due); an active file never shows it. */
	s.files[1].keep_until_ms = 130500 + 41200;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "/3 size_kb=4096 used_kb=0 priority=0 active=0 "
			  "age_s=60 kept_s=42\n") != NULL,
	      "kept file: %s", buf);
	s.files[1].keep_until_ms = 1000;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "age_s=60 kept_s=0\n") != NULL, "kept, due: %s", buf);
	s.files[0].keep_until_ms = 999999;
	s.files[1].keep_until_ms = 0;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "kept_s=") == NULL, "none kept: %s", buf);
	s.files[0].keep_until_ms = 0;

	/* A file being made gets a line of its own, after the files. */
	s.making_slot = 4;
	s.making_size_b = 67108864;
	s.making_for_grow = true;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "spare_want_kb=0\n"
			  "making file=/var/lib/ghostmemory/4 size_kb=65536 "
			  "for_grow=1\n"
			  "counters ") != NULL,
	      "making line: %s", buf);
	metrics_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "\nghostmemory_swap_making_bytes 67108864\n") != NULL,
	      "making metric");
	CHECK(strstr(buf, "\nghostmemory_idle_held_bytes 272629760\n") != NULL,
	      "idle held metric");
	CHECK(strstr(buf, "\nghostmemory_standby{policy=\"active\"} 1\n"
			  "ghostmemory_standby{policy=\"small\"} 0\n"
			  "ghostmemory_standby{policy=\"none\"} 0\n") != NULL,
	      "standby metric: %s", buf);
	s.standby_slot = 0;
	s.standby = STANDBY_SMALL;
	s.spare_want_b = 23 * 1024 * 1024;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "\nstandby=small floor=none idle_held_kb=266240 "
			  "spare_max_kb=65536 spare_want_kb=23552\n") != NULL,
	      "small: %s", buf);
}

/* Like snprintf: the full length comes back, the text is cut and ends in
 * NUL whatever the size; a size of 0 writes nothing. */
static void test_status_truncation(void)
{
	struct snapshot s = two_files();
	size_t sizes[] = {1, 2, 10, 37, 38, 39, sizeof(want_status) - 1,
			  sizeof(want_status)};
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n;
		memset(buf, 'X', sizeof(buf));
		n = status_format(&s, buf, sizes[i]);
		CHECK_EQ_U(n, strlen(want_status), "length when truncated");
		CHECK(strlen(buf) == sizes[i] - 1 &&
			      strncmp(buf, want_status, sizes[i] - 1) == 0,
		      "size %zu: got %zu bytes '%.40s'", sizes[i], strlen(buf),
		      buf);
		CHECK(buf[sizes[i]] == 'X', "size %zu: wrote past the end",
		      sizes[i]);
	}
	buf[0] = 'X';
	CHECK_EQ_U(status_format(&s, buf, 0), strlen(want_status),
		   "length with a NULL-sized buffer");
	CHECK(buf[0] == 'X', "size 0 wrote a byte");
	CHECK_EQ_U(status_format(&s, NULL, 0), strlen(want_status),
		   "length with NULL");
}

/* A half-built or corrupt snapshot: no crash, no read past the table,
 * no negative ages or times, a state name even when out of range. */
static void test_status_hostile(void)
{
	struct snapshot s = two_files();
	char buf[16384];

	s.nfiles = -5;
	s.state = (enum fsm_state)77;
	s.seconds_in_state = -3;
	s.have_mem = false;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "state=? seconds_in_state=0\n") != NULL,
	      "bad state: %s", buf);
	CHECK(strstr(buf, "free_pct=unknown ") != NULL, "no reading: %s", buf);
	CHECK(strstr(buf, "mem_total_kb=unknown") != NULL, "no reading: %s",
	      buf);
	CHECK(strstr(buf, "file=") == NULL, "negative nfiles listed files");
	CHECK(strstr(buf, "files=0 active=0") != NULL, "negative nfiles: %s",
	      buf);

	s = two_files();
	s.nfiles = SNAPSHOT_FILES + 1000;
	s.now_ms = 0; /* files "from the future": age 0, not negative */
	{
		static char big[SNAPSHOT_FILES * 128];
		int lines = 0;
		const char *p = big;

		status_format(&s, big, sizeof(big));
		while ((p = strstr(p, "\nfile=")) != NULL) {
			lines++;
			p++;
		}
		CHECK_EQ_U(lines, SNAPSHOT_FILES,
			   "file lines capped at SNAPSHOT_FILES");
		CHECK(strstr(big, "age_s=-") == NULL, "negative age");
	}
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "age_s=-") == NULL, "negative age: %s", buf);

	/* A swap directory name holding a newline or a space cannot add a
	 * line or a key: escaped as in /proc/swaps. */
	s = two_files();
	s.nfiles = 1;
	strcpy(s.swapdir, "/x y\nstate=diet\\");
	status_format(&s, buf, sizeof(buf));
	{
		const char *w = "pid=4242 swapdir=/x\\040y\\012state=diet\\134\n"
				"state=hungry ";
		CHECK(strncmp(buf, w, strlen(w)) == 0, "escaped: %s", buf);
	}
	CHECK(strstr(buf, "file=/x\\040y\\012state=diet\\134/1 ") != NULL,
	      "%s", buf);
}

/* The metrics text is checked line by line: every sample has HELP and
 * TYPE before it, the state is one-hot, names and values are right. */
static void test_metrics(void)
{
	static const struct {
		const char *line;
	} want[] = {
		{"# TYPE ghostmemory_state gauge\n"},
		{"ghostmemory_state{state=\"steady\"} 0\n"},
		{"ghostmemory_state{state=\"hungry\"} 1\n"},
		{"ghostmemory_state{state=\"overfed\"} 0\n"},
		{"ghostmemory_state{state=\"diet\"} 0\n"},
		{"ghostmemory_state_seconds 12\n"},
		{"# TYPE ghostmemory_free_ratio gauge\n"},
		{"ghostmemory_free_ratio 0.4325\n"},
		{"ghostmemory_free_bytes 569660416\n"},
		{"ghostmemory_swap_uncounted_bytes 44739584\n"},
		{"ghostmemory_zram_free_bytes 134215680\n"},
		{"ghostmemory_zram_counted_bytes 89476096\n"},
		{"# TYPE ghostmemory_commit_headroom_ratio gauge\n"},
		{"ghostmemory_commit_headroom_ratio 0.2500\n"},
		{"ghostmemory_lower_freelimit_ratio 0.20\n"},
		{"ghostmemory_freetarget_ratio 0.30\n"},
		{"ghostmemory_upper_freelimit_ratio 0.60\n"},
		{"ghostmemory_swap_provisioned_bytes 268435456\n"},
		{"ghostmemory_swap_used_bytes 24870912\n"},
		{"ghostmemory_swap_making_bytes 0\n"},
		{"ghostmemory_files 2\n"},
		{"# TYPE ghostmemory_grows_total counter\n"},
		{"ghostmemory_grows_total 3\n"},
		{"ghostmemory_shrinks_total 1\n"},
		{"# TYPE ghostmemory_failures_total counter\n"},
		{"ghostmemory_failures_total{reason=\"no_room\"} 2\n"},
		{"ghostmemory_failures_total{reason=\"create\"} 4\n"},
		{"ghostmemory_failures_total{reason=\"swapon\"} 5\n"},
		{"ghostmemory_failures_total{reason=\"swapoff\"} 6\n"},
		{"# TYPE ghostmemory_wakeups_total counter\n"},
		{"ghostmemory_wakeups_total{source=\"timer\"} 100\n"},
		{"ghostmemory_wakeups_total{source=\"psi\"} 7\n"},
		{"ghostmemory_wakeups_total{source=\"signal\"} 2\n"},
		{"ghostmemory_wakeups_total{source=\"worker\"} 3\n"},
	};
	struct snapshot s = two_files();
	char buf[16384], name[128];
	size_t i, n = metrics_format(&s, buf, sizeof(buf));
	const char *p;

	CHECK(n == strlen(buf), "metrics length %zu vs %zu", n, strlen(buf));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK(strstr(buf, want[i].line) != NULL, "metrics lack %s",
		      want[i].line);
	/* Every sample's family has HELP and TYPE lines before it. */
	for (p = buf; *p; p = strchr(p, '\n') + 1) {
		size_t k = strcspn(p, "{ ");
		char help[160], type[160];
		const char *at;
		if (*p == '#')
			continue;
		if (k >= sizeof(name)) {
			CHECK(0, "long name at %.40s", p);
			break;
		}
		memcpy(name, p, k);
		name[k] = '\0';
		snprintf(help, sizeof(help), "# HELP %s ", name);
		snprintf(type, sizeof(type), "# TYPE %s ", name);
		at = strstr(buf, type);
		CHECK(strstr(buf, help) != NULL && at != NULL && at < p,
		      "%s: no HELP/TYPE before the sample", name);
		CHECK(strncmp(name, "ghostmemory_", 12) == 0, "prefix: %s",
		      name);
	}

	/* Without a reading there is no free ratio at all (not a false 0),
	 * and a state out of range makes every state 0. */
	s.have_mem = false;
	s.state = (enum fsm_state)9;
	metrics_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "ghostmemory_free_ratio") == NULL,
	      "free ratio without a reading");
	CHECK(strstr(buf, "} 1\nghostmemory_state{") == NULL &&
		      strstr(buf, "state=\"diet\"} 0\n") != NULL,
	      "one-hot with a bad state: %s", buf);

	/* Truncated like snprintf. */
	memset(buf, 'X', sizeof(buf));
	CHECK_EQ_U(metrics_format(&s, buf, 5), metrics_format(&s, NULL, 0),
		   "metrics length when truncated");
	CHECK(strcmp(buf, "# HE") == 0 && buf[5] == 'X', "metrics cut: %.8s",
	      buf);
}

/* A swap directory on a network filesystem: its reach line only then
 * (a local one's status is as it was), the metric always (1 for a local
 * directory), a hostile state string never printed, the label escaped. */
static void test_reach(void)
{
	struct snapshot s = two_files();
	char buf[16384];

	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, " reach=") == NULL, "local: no reach line: %s", buf);
	metrics_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "# TYPE ghostmemory_dir_reachable gauge\n"
			  "ghostmemory_dir_reachable{dir=\"/var/lib/ghostmemory\",tier=\"1\"} 1\n")
		      != NULL, "local: reachable: %s", buf);

	s.reach[0].guarded = true;
	strcpy(s.reach[0].state, "unreachable");
	s.reach[0].since_s = 42;
	s.reach[0].lost = 2;
	s.reach[0].regained = 1;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "\ndir=/var/lib/ghostmemory reach=unreachable "
			  "since_s=42 lost=2 regained=1\nfiles=2 ") != NULL,
	      "reach line: %s", buf);
	metrics_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "ghostmemory_dir_reachable{dir=\"/var/lib/ghostmemory\",tier=\"1\"} 0\n")
		      != NULL, "unreachable: 0: %s", buf);
	strcpy(s.reach[0].state, "reachable");
	metrics_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "ghostmemory_dir_reachable{dir=\"/var/lib/ghostmemory\",tier=\"1\"} 1\n")
		      != NULL, "reachable: 1: %s", buf);

	memcpy(s.reach[0].state, "reach\nstate=x!!", sizeof(s.reach[0].state));
	s.reach[0].since_s = -4;
	strcpy(s.swapdir, "/a\"b\\c\nd");
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "\ndir=/a\"b\\134c\\012d reach=unknown since_s=0 ")
		      != NULL, "hostile: %s", buf);
	metrics_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "ghostmemory_dir_reachable{dir=\"/a\\\"b\\\\c\\nd\",tier=\"1\"} 0\n")
		      != NULL, "label escaped: %s", buf);
}

/* Reservations and the control socket: their lines only on a daemon
 * with either (the text above stays as it was), exact when there; the
 * metrics always; a hostile count is clamped to the table. */
/* Two tiers: a line each, each file in its own directory with its
 * tier, the lanes' files in theirs; the metrics by dir. */
static void test_tiers_shown(void)
{
	struct snapshot s = two_files();
	static char buf[16384];

	s.ntiers = 2;
	strcpy(s.dirs[0], s.swapdir);
	strcpy(s.dirs[1], "/srv/nfs \"x\"/h1");
	s.tier_net[1] = true;
	s.file_tier[1] = 1;
	s.files[1].active = true;
	s.making_slot = 4;
	s.making_tier = 1;
	s.making_size_b = 4194304;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "\ntier=1 dir=/var/lib/ghostmemory fs=local files=1 "
			  "active=1 provisioned_kb=262144 used_kb=24288\n") &&
		      strstr(buf, "\ntier=2 dir=/srv/nfs\\040\"x\"/h1 fs=nfs "
				  "files=1 active=1 provisioned_kb=4096 "
				  "used_kb=0\n"),
	      "a line per tier: %s", buf);
	CHECK(strstr(buf, "\nfile=/var/lib/ghostmemory/1 size_kb=262144 ") &&
		      strstr(buf, " age_s=120 tier=1\n") &&
		      strstr(buf, "\nfile=/srv/nfs\\040\"x\"/h1/3 size_kb=4096 ") &&
		      strstr(buf, " age_s=60 tier=2\n"),
	      "each file in its tier's directory: %s", buf);
	CHECK(strstr(buf, "\nmaking file=/srv/nfs\\040\"x\"/h1/4 ") != NULL,
	      "the file being made, in its tier: %s", buf);
	metrics_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "ghostmemory_dir_files{dir=\"/var/lib/ghostmemory\","
			  "tier=\"1\"} 1\n") &&
		      strstr(buf, "ghostmemory_dir_files{dir=\"/srv/nfs "
				  "\\\"x\\\"/h1\",tier=\"2\"} 1\n") &&
		      strstr(buf, "ghostmemory_dir_swap_provisioned_bytes{dir=\"/srv/"
				  "nfs \\\"x\\\"/h1\",tier=\"2\"} 4194304\n") &&
		      strstr(buf, "ghostmemory_dir_swap_used_bytes{dir=\"/var/lib/"
				  "ghostmemory\",tier=\"1\"} 24870912\n"),
	      "metrics by dir, the label escaped: %s", buf);
	/* One directory: no tier lines, file lines as before. */
	s.ntiers = 1;
	s.file_tier[1] = 0;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "tier=") == NULL, "one tier: no tier keys: %s", buf);
}

static void test_reservations(void)
{
	struct snapshot s = two_files();
	char buf[8192];

	status_format(&s, buf, sizeof(buf));
	CHECK(!strstr(buf, "reservations ") && !strstr(buf, "control "),
	      "no socket, no reservation: no lines");
	s.ctl_open = true;
	s.ctl_clients = 1;
	s.ctl = (struct ctl_stats){9, 2, 1, 3};
	s.wakeups[WAKE_CTL] = 4;
	s.nresv = 2;
	s.resv[0] = (struct resv){.id = 7, .size_b = 1073741824,
				  .since_ms = 100500, .expires_ms = 3700500};
	s.resv[1] = (struct resv){.id = 8, .size_b = 67108864,
				  .since_ms = 130500, .expires_ms = 130600};
	s.resv_short_b = 1048576;
	s.resv_made = 5;
	s.resv_released = 2;
	s.resv_expired = 1;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "wakeups timer=100 psi=7 signal=2 worker=3\n"
			  "reservations count=2 reserved_kb=1114112 "
			  "short_kb=1024 made=5 released=2 expired=1\n"
			  "reservation id=7 size_kb=1048576 age_s=30 "
			  "ttl_s=3570\n"
			  "reservation id=8 size_kb=65536 age_s=0 ttl_s=1\n"
			  "control open=1 clients=1 served=9 busy=2 denied=1 "
			  "dropped=3 wakeups=4 now_ms=130500\n") != NULL,
	      "reservation lines: %s", buf);
	metrics_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "\nghostmemory_reserved_bytes 1140850688\n") &&
		      strstr(buf, "\nghostmemory_reservations 2\n") &&
		      strstr(buf, "\nghostmemory_reserve_short_bytes 1048576\n") &&
		      strstr(buf, "\nghostmemory_control_requests_total"
				  "{result=\"busy\"} 2\n") &&
		      strstr(buf, "\nghostmemory_wakeups_total{source=\"ctl\"} "
				  "4\n"),
	      "reservation metrics: %s", buf);
	s.nresv = 1000;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "reservations count=32 "), "count clamped");
	s.nresv = -5;
	status_format(&s, buf, sizeof(buf));
	CHECK(strstr(buf, "reservations count=0 "), "negative count");
}

static void test_write_atomic(const char *dir)
{
	char path[512], tmp[512], *got;
	struct stat st;
	mode_t old = umask(077);
	int rc;

	snprintf(path, sizeof(path), "%s/status", dir);
	snprintf(tmp, sizeof(tmp), "%s/.status.tmp", dir);
	rc = status_write_atomic(dir, "status", "a=1\n", 4);
	CHECK(rc == 0, "write: %s", strerror(-rc));
	got = slurp_text(path);
	CHECK(got && strcmp(got, "a=1\n") == 0, "content: %s", got ? got : "");
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644,
	      "mode %o, want 644 whatever the umask", st.st_mode & 07777);
	CHECK(access(tmp, F_OK) < 0, "temp file left behind");

	/* Replaces; a shorter text leaves no tail of the old one. */
	rc = status_write_atomic(dir, "status", "b\n", 2);
	got = slurp_text(path);
	CHECK(rc == 0 && got && strcmp(got, "b\n") == 0, "rewrite: %s",
	      got ? got : "");

	/* A link planted at the temp name is replaced, not followed. */
	{
		char victim[512];
		snprintf(victim, sizeof(victim), "%s/victim", dir);
		close(open(victim, O_CREAT | O_WRONLY, 0600));
		CHECK(symlink(victim, tmp) == 0, "symlink: %s", strerror(errno));
		rc = status_write_atomic(dir, "status", "c\n", 2);
		got = slurp_text(victim);
		CHECK(rc == 0 && got && got[0] == '\0',
		      "wrote through a link (rc %d)", rc);
		got = slurp_text(path);
		CHECK(got && strcmp(got, "c\n") == 0, "after link: %s",
		      got ? got : "");
		unlink(victim);
	}

	/* An empty text is a valid (empty) file. */
	CHECK(status_write_atomic(dir, "empty", "", 0) == 0, "empty write");
	CHECK(stat(path, &st) == 0, "stat");

	/* Errors come back as -errno, and leave nothing behind. */
	rc = status_write_atomic("/nonexistent-gm-dir", "status", "x", 1);
	CHECK(rc == -ENOENT, "missing dir: %d", rc);
	{
		char longdir[5000];
		memset(longdir, 'a', sizeof(longdir) - 1);
		longdir[sizeof(longdir) - 1] = '\0';
		CHECK(status_write_atomic(longdir, "status", "x", 1) ==
			      -ENAMETOOLONG,
		      "long dir name");
	}
	umask(old);
	snprintf(path, sizeof(path), "%s/empty", dir);
	unlink(path);
}

/* --status exit codes: 3 without a file, 1 for a dead pid, 4 for
 * garbage, 0 and the text (plus status_age_s) for a live one. */
static void test_print(const char *dir)
{
	static const struct {
		const char *content; /* NULL: no file */
		int want_rc;
	} cases[] = {
		{NULL, STATUS_NOT_RUNNING},
		{"pid=SELF swapdir=/x\nstate=steady seconds_in_state=1\n", 0},
		{"pid=SELF swapdir=/x", 0}, /* no final newline */
		{"pid=2147483646 swapdir=/x\nstate=steady\n", STATUS_DEAD},
		{"state=steady\n", STATUS_UNKNOWN},           /* no pid line */
		{"pid=abc\n", STATUS_UNKNOWN},
		{"pid=-5\n", STATUS_UNKNOWN},
		{"pid=0\n", STATUS_UNKNOWN},
		{"pid=99999999999999999999999\n", STATUS_UNKNOWN},
		{"pid=12x\n", STATUS_UNKNOWN},
		{"", STATUS_UNKNOWN},
	};
	char path[512], text[256] = "", out_path[512];
	size_t i;

	snprintf(path, sizeof(path), "%s/status", dir);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	/* The messages of the failing cases are expected: keep them out of
	 * the test log (CHECK reports on stdout). */
	if (!freopen("/dev/null", "w", stderr))
		CHECK(0, "freopen");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *out;
		int rc;
		char *got;

		unlink(path);
		if (cases[i].content) {
			char *self;
			snprintf(text, sizeof(text), "%s", cases[i].content);
			self = strstr(text, "SELF");
			if (self) {
				char rest[256];
				snprintf(rest, sizeof(rest), "%s", self + 4);
				snprintf(self, sizeof(text) - (size_t)(self - text),
					 "%ld%s", (long)getpid(), rest);
			}
			CHECK(status_write_atomic(dir, "status", text,
						  strlen(text)) == 0,
			      "setup %zu", i);
		}
		out = fopen(out_path, "w");
		rc = status_print(dir, out);
		fclose(out);
		CHECK(rc == cases[i].want_rc, "case %zu: rc %d, want %d", i, rc,
		      cases[i].want_rc);
		got = slurp_text(out_path);
		if (cases[i].want_rc == 0) {
			size_t tl = strlen(text);
			CHECK(got && strncmp(got, text, tl) == 0 &&
				      strstr(got, "\nstatus_age_s=") != NULL,
			      "case %zu: printed %s", i, got ? got : "(null)");
		} else {
			CHECK(got && got[0] == '\0', "case %zu: printed %s on "
			      "failure", i, got ? got : "");
		}
	}
	/* A directory where the file should be: unknown, not a crash. */
	unlink(path);
	mkdir(path, 0700);
	{
		FILE *out = fopen(out_path, "w");
		int rc = status_print(dir, out);
		fclose(out);
		CHECK(rc == STATUS_UNKNOWN, "status is a directory: rc %d", rc);
	}
	rmdir(path);
	unlink(out_path);
}

/* GM_METRICS_SAMPLES=DIR: write metrics_format's text for a few
 * snapshots into DIR, for tests/obs/t_metrics.sh to feed to promtool
 * without a running daemon. */
static void write_samples(const char *dir)
{
	struct snapshot s[4];
	char buf[16384];
	int i;

	s[0] = two_files();
	memset(&s[1], 0, sizeof(s[1]));
	s[2] = two_files();
	s[2].have_mem = false;
	s[2].state = FSM_DIET;
	s[2].c.grows = 4294967295UL;
	/* A network directory that does not answer, with a name a label
	 * must escape. */
	s[3] = two_files();
	s[3].reach[0].guarded = true;
	strcpy(s[3].reach[0].state, "unreachable");
	strcpy(s[3].swapdir, "/srv/swap/a\"b\\c");
	for (i = 0; i < 4; i++) {
		char name[32];
		size_t n = metrics_format(&s[i], buf, sizeof(buf));
		snprintf(name, sizeof(name), "sample%d.prom", i);
		CHECK(status_write_atomic(dir, name, buf, n) == 0,
		      "sample %d", i);
	}
}

int main(void)
{
	test_reservations();
	char dir[] = "/tmp/gm-test-status.XXXXXX";
	const char *samples = getenv("GM_METRICS_SAMPLES");

	if (samples) {
		write_samples(samples);
		T_END();
	}

	test_status_exact();
	test_status_truncation();
	test_status_hostile();
	test_metrics();
	test_reach();
	test_tiers_shown();
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		T_END();
	}
	test_write_atomic(dir);
	test_print(dir);
	{
		char p[600];
		snprintf(p, sizeof(p), "%s/status", dir);
		unlink(p);
	}
	CHECK(rmdir(dir) == 0, "workspace not empty: %s", strerror(errno));
	T_END();
}
