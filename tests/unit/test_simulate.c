/* simulate_buf: the trace format (and its refusals, with line numbers),
 * the tick model, and the virtual pool's effect on later snapshots. */
#include "simulate.h"

#include "config.h"
#include "policy.h"
#include "pool.h"
#include "t.h"
#include "tick.h"

#include <stdlib.h>

/* A snapshot with the fields the parser needs; KiB. */
static char *snap(char *p, const char *t, unsigned long total,
		  unsigned long avail)
{
	return p + sprintf(p,
			   "T %s\nMemTotal: %lu kB\nMemFree: %lu kB\n"
			   "MemAvailable: %lu kB\nSwapTotal: 0 kB\n"
			   "SwapFree: 0 kB\n",
			   t, total, avail, avail);
}

struct run {
	int rc;
	char err[256];
	char *out; /* the printed replay */
	size_t outlen;
	struct sim_result res;
};

static struct run replay(const struct config *cfg, const char *buf,
			 size_t len)
{
	struct run r;
	FILE *f;

	memset(&r, 0, sizeof(r));
	f = open_memstream(&r.out, &r.outlen);
	r.rc = simulate_buf(cfg, buf, len, f, &r.res, r.err, sizeof(r.err));
	fclose(f);
	return r;
}

/* The data line of tick n (time_s == n), or NULL. */
static const char *tick_line(const char *out, long n, char *line,
			     size_t len)
{
	const char *p = out;

	while (p && *p) {
		const char *eol = strchr(p, '\n');

		if (*p != '#') {
			char *end;
			long t = strtol(p, &end, 10);
			if (end != p && t == n) {
				size_t k = eol ? (size_t)(eol - p) : strlen(p);
				if (k >= len)
					k = len - 1;
				memcpy(line, p, k);
				line[k] = '\0';
				return line;
			}
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

/* Field i (0 = time_s) of a data line, as a string. */
static const char *field(const char *line, int i, char *buf, size_t len)
{
	const char *p = line;
	size_t k;

	while (*p == ' ')
		p++;
	while (i-- > 0) {
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	k = strcspn(p, " ");
	if (k >= len)
		k = len - 1;
	memcpy(buf, p, k);
	buf[k] = '\0';
	return buf;
}

static void check_tick(const struct run *r, long n, const char *free_pct,
		       const char *state, const char *action,
		       const char *size_kb, const char *files)
{
	char line[256], f[64];
	const char *want[] = {free_pct, state, action, size_kb, files};
	int i;

	if (!tick_line(r->out, n, line, sizeof(line))) {
		CHECK(0, "no line for tick %ld in:\n%s", n, r->out);
		return;
	}
	for (i = 0; i < 5; i++)
		if (want[i])
			CHECK_STR(field(line, i + 1, f, sizeof(f)), want[i],
				  line);
}

/* Traces that are not traces: refused with the right line number. */
static void test_refusals(void)
{
	static const struct {
		const char *trace;
		const char *err; /* substring */
	} cases[] = {
		{"", "empty file"},
		{"\n", "not a trace"},
		{"MemTotal: 1000 kB\n", "line 1: not a trace"},
		{"ghostmemory-trace 2\nT 0\nMemTotal: 1 kB\n", "line 1: not"},
		{"ghostmemory-trace 1 \nT 0\n", "line 1: not a trace"},
		{"ghostmemory-trace 1\n", "no snapshot"},
		{"ghostmemory-trace 1\n# only a comment\n\n", "no snapshot"},
		{"ghostmemory-trace 1\nT abc\nMemTotal: 1 kB\n",
		 "line 2: bad time"},
		{"ghostmemory-trace 1\nT\nMemTotal: 1 kB\n", "line 2: bad time"},
		{"ghostmemory-trace 1\nT -1\nx: 1\n", "line 2: bad time"},
		{"ghostmemory-trace 1\nT 1.2345\nx: 1\n", "line 2: bad time"},
		{"ghostmemory-trace 1\nT 1.\nx: 1\n", "line 2: bad time"},
		{"ghostmemory-trace 1\nT .5\nx: 1\n", "line 2: bad time"},
		{"ghostmemory-trace 1\nT 1.2.3\nx: 1\n", "line 2: bad time"},
		{"ghostmemory-trace 1\nT 1e3\nx: 1\n", "line 2: bad time"},
		{"ghostmemory-trace 1\nT 99999999999999999999\nx: 1\n",
		 "line 2: bad time"},
		{"ghostmemory-trace 1\nT 5\nx: 1\nT 4.999\nx: 1\n",
		 "line 4: time goes back"},
		{"ghostmemory-trace 1\nT 0\nT 1\nx: 1\n", "line 3: the snapshot"},
		{"ghostmemory-trace 1\nT 0\nx: 1\nT 1\n# nothing\n",
		 "last snapshot is empty"},
		{"ghostmemory-trace 1\nfoo=1\nT 0\nx: 1\n",
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\nMemTotal: 5 kB\nT 0\nx: 1\n",
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\npage_size=1000\nT 0\nx: 1\n",
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\npage_size=0\nT 0\nx: 1\n",
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\ndisk_avail_kb=\nT 0\nx: 1\n",
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\ndisk_avail_kb=-5\nT 0\nx: 1\n",
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\ndisk_avail_kb=99999999999999999999\n"
		 "T 0\nx: 1\n",
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\ndisk_avail_kb=10\ndisk_size_kb=5\nT 0\n"
		 "x: 1\n",
		 "larger than"},
		{"ghostmemory-trace 1\nT 0\nx: 1\nT 999999999\nx: 1\n",
		 "more than"},
	};
	struct config cfg;
	size_t i;

	config_defaults(&cfg);
	cfg.standby = STANDBY_NONE; /* the FSM alone */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r = replay(&cfg, cases[i].trace,
				      strlen(cases[i].trace));
		CHECK(r.rc == -1 && strstr(r.err, cases[i].err) != NULL,
		      "case %zu: rc %d, err \"%s\", want \"%s\"", i, r.rc,
		      r.err, cases[i].err);
		CHECK(r.outlen == 0, "case %zu: printed on a refusal", i);
		free(r.out);
	}
	/* A NUL in the magic line, and a trace cut in the middle of it. */
	{
		static const char nul[] = "ghostmemory-trace 1\0\nT 0\nx: 1\n";
		struct run r = replay(&cfg, nul, sizeof(nul) - 1);
		CHECK(r.rc == -1, "NUL in the magic accepted");
		free(r.out);
		r = replay(&cfg, "ghostmemory-tra", 15);
		CHECK(r.rc == -1, "cut magic accepted");
		free(r.out);
	}
}

/* A spike: one grow of the policy's size at the first short tick, and the
 * virtual file counted as free swap from the next tick on. */
static void test_spike(void)
{
	static char buf[4096];
	struct config cfg;
	struct run r;
	char *p = buf;

	config_defaults(&cfg);
	cfg.standby = STANDBY_NONE; /* the FSM alone */
	cfg.cooldown_s = 5;
	p += sprintf(p, "ghostmemory-trace 1\n# test\n");
	p = snap(p, "100", 1000000, 500000); /* 50% */
	p = snap(p, "102", 1000000, 100000); /* 10%: short */
	p = snap(p, "110", 1000000, 950000); /* surplus */
	p = snap(p, "130", 1000000, 950000);
	r = replay(&cfg, buf, (size_t)(p - buf));
	CHECK(r.rc == 0, "spike: %s", r.err);
	CHECK_EQ_U(r.res.ticks, 31, "ticks from 100 s to 130 s");
	check_tick(&r, 0, "50.0", "steady", "none", "-", "0");
	check_tick(&r, 1, "50.0", "steady", "none", "-", "0");
	/* auto: min(2 x 1000000 KiB, 2 GiB) = 2000000 KiB */
	check_tick(&r, 2, "10.0", "hungry", "grow", "2000000", "1");
	/* (100000 + 2000000) / (1000000 + 2000000) */
	check_tick(&r, 3, "70.0", "hungry", "none", "-", "1");
	/* Hungry never frees, though 70% is a surplus ... */
	check_tick(&r, 6, "70.0", "hungry", "none", "-", "1");
	/* ... until the cooldown (5 s after the grow at 2) ends: steady
	 * judges the surplus at once. */
	check_tick(&r, 7, "70.0", "overfed", "none", "-", "1");
	/* (950000 + 2000000) / 3000000 */
	check_tick(&r, 10, "98.3", "overfed", "none", "-", "1");
	check_tick(&r, 11, "98.3", "overfed", "none", "-", "1");
	/* the surplus lasted a cooldown: one file goes (95% stays above
	 * freetarget without it), then overfed again. */
	check_tick(&r, 12, "98.3", "steady", "shrink", "2000000", "0");
	check_tick(&r, 13, "95.0", "overfed", "none", "-", "0");
	CHECK_EQ_U(r.res.grows, 1, "grows");
	CHECK_EQ_U(r.res.shrinks, 1, "shrinks");
	CHECK_EQ_U(r.res.max_files, 1, "max files");
	CHECK_EQ_U(r.res.max_swap_b, 2000000ULL * 1024, "max swap");
	CHECK(r.res.min_free_pct > 9.99 && r.res.min_free_pct < 10.01,
	      "min free %.2f", r.res.min_free_pct);
	CHECK(strstr(r.out, "\n# summary ticks=31 grows=1 shrinks=1 ") != NULL,
	      "summary line: %s", r.out);
	free(r.out);

	/* swapsize=0: swapspace's pure deficit, (f + x) / (t + x) = 30%:
	 * x = (0.3 * 1000000 - 100000) / 0.7 KiB, page-rounded. */
	cfg.swapsize_auto = false;
	cfg.swapsize_b = 0;
	r = replay(&cfg, buf, (size_t)(p - buf));
	{
		uint64_t want = policy_deficit_b(100000ULL * 1024,
						 1000000ULL * 1024, 30);
		char w[32];
		want -= want % 4096;
		snprintf(w, sizeof(w), "%llu", (unsigned long long)want / 1024);
		check_tick(&r, 2, "10.0", "hungry", "grow", w, "1");
		check_tick(&r, 3, "30.0", "hungry", "none", "-", "1");
	}
	free(r.out);
}

/* standby=active in a replay: the standby file is a virtual file, on
 * from the first calm tick (not a grow), the spike no longer short, and
 * the surplus never removes the floor. */
static void test_standby_active(void)
{
	static char buf[4096];
	struct config cfg;
	struct run r;
	char *p = buf;

	config_defaults(&cfg);
	cfg.cooldown_s = 5;
	p += sprintf(p, "ghostmemory-trace 1\n# test\n");
	p = snap(p, "100", 1000000, 500000); /* 50% */
	p = snap(p, "102", 1000000, 100000); /* 10% without swap */
	p = snap(p, "110", 1000000, 950000); /* surplus */
	p = snap(p, "130", 1000000, 950000);
	r = replay(&cfg, buf, (size_t)(p - buf));
	CHECK(r.rc == 0, "standby: %s", r.err);
	CHECK(strstr(r.out, " standby=active\n") != NULL, "config line: %s",
	      r.out);
	/* tick 0 is calm: the 2000000 KiB standby is on after it */
	check_tick(&r, 0, "50.0", "steady", "none", "-", "1");
	/* (500000 + 2000000) / 3000000 */
	check_tick(&r, 1, "83.3", "overfed", "none", "-", "1");
	/* (100000 + 2000000) / 3000000: no shortage, no grow */
	check_tick(&r, 2, "70.0", "overfed", "none", "-", "1");
	/* the surplus lasted a cooldown: the shrink finds only the floor */
	check_tick(&r, 6, "70.0", NULL, "shrink:nothing", "-", "1");
	check_tick(&r, 30, "98.3", NULL, NULL, NULL, "1");
	CHECK_EQ_U(r.res.grows, 0, "grows");
	CHECK_EQ_U(r.res.shrinks, 0, "shrinks");
	CHECK_EQ_U(r.res.final_files, 1, "the floor stays");
	free(r.out);

	/* standby=none: the same trace grows at the spike (test_spike). */
	cfg.standby = STANDBY_NONE;
	r = replay(&cfg, buf, (size_t)(p - buf));
	check_tick(&r, 2, "10.0", "hungry", "grow", "2000000", "1");
	free(r.out);
}

/* A file a shrink turns off is kept (tick_keep_ms: at least
 * TICK_KEEP_MIN_MS): a shortage within that time turns it on again
 * (reused, not made); one after it makes a new file. */
static void test_kept(void)
{
	static char buf[4096];
	struct config cfg;
	struct run r;
	char *p = buf;
	long again = 12 + TICK_KEEP_MIN_MS / 1000 + 10;
	char t[16];

	config_defaults(&cfg);
	cfg.standby = STANDBY_NONE;
	cfg.cooldown_s = 5;
	p += sprintf(p, "ghostmemory-trace 1\n# test\n");
	p = snap(p, "100", 1000000, 500000);
	p = snap(p, "102", 1000000, 100000); /* short: grow at 2 */
	p = snap(p, "110", 1000000, 950000); /* surplus: shrink at 12 */
	p = snap(p, "130", 1000000, 100000); /* short again: kept */
	p = snap(p, "132", 1000000, 950000);
	r = replay(&cfg, buf, (size_t)(p - buf));
	CHECK(r.rc == 0, "kept: %s", r.err);
	check_tick(&r, 12, "98.3", "steady", "shrink", "2000000", "0");
	check_tick(&r, 30, "10.0", "hungry", "grow", "2000000", "1");
	CHECK_EQ_U(r.res.grows, 2, "grows");
	CHECK_EQ_U(r.res.reused, 1, "the second grow turned the kept file on");
	CHECK(strstr(r.out, " reused=1\n") != NULL, "summary: %s", r.out);
	free(r.out);

	/* The second shortage after the keep time: the file was deleted. */
	p = buf;
	p += sprintf(p, "ghostmemory-trace 1\n# test\n");
	p = snap(p, "100", 1000000, 500000);
	p = snap(p, "102", 1000000, 100000);
	p = snap(p, "110", 1000000, 950000);
	snprintf(t, sizeof(t), "%ld", 100 + again);
	p = snap(p, t, 1000000, 100000);
	snprintf(t, sizeof(t), "%ld", 100 + again + 2);
	p = snap(p, t, 1000000, 950000);
	r = replay(&cfg, buf, (size_t)(p - buf));
	CHECK(r.rc == 0, "kept: %s", r.err);
	check_tick(&r, again, "10.0", "hungry", "grow", "2000000", "1");
	CHECK_EQ_U(r.res.grows, 2, "grows");
	CHECK_EQ_U(r.res.reused, 0, "the kept file's time was up");
	free(r.out);
}

/* Under a lasting shortage, hungry grows again every tick until the
 * limits say no room: then diet, and "cannot_grow" once. */
static void test_limits(void)
{
	static char buf[4096];
	struct config cfg;
	struct run r;
	char *p = buf;

	config_defaults(&cfg);
	cfg.standby = STANDBY_NONE; /* the FSM alone */
	cfg.swapsize_auto = false;
	cfg.swapsize_b = 4 * MIB;
	cfg.max_swapsize_b = 4 * MIB; /* small files: the shortage lasts */
	cfg.max_files = 3;
	p += sprintf(p, "ghostmemory-trace 1\n");
	p = snap(p, "0", 1000000, 10000);
	p = snap(p, "8", 1000000, 10000);
	r = replay(&cfg, buf, (size_t)(p - buf));
	CHECK(r.rc == 0, "limits: %s", r.err);
	check_tick(&r, 0, "1.0", "hungry", "grow", "4096", "1");
	check_tick(&r, 1, "1.4", "hungry", "grow", "4096", "2");
	check_tick(&r, 2, "1.8", "hungry", "grow", "4096", "3");
	check_tick(&r, 3, "2.2", "diet", "grow:no_room", "-", "3");
	check_tick(&r, 4, "2.2", "diet", "cannot_grow", "-", "3");
	check_tick(&r, 5, "2.2", "diet", "none", "-", "3");
	CHECK_EQ_U(r.res.no_room, 1, "no room once");
	CHECK_EQ_U(r.res.max_files, 3, "max_files respected");
	free(r.out);

	/* max_files may say 1024; the pool holds POOL_MAX like the daemon's. */
	cfg.max_files = 1024;
	p = buf;
	p += sprintf(p, "ghostmemory-trace 1\n");
	p = snap(p, "0", 100000000, 10000);
	p = snap(p, "100", 100000000, 10000);
	r = replay(&cfg, buf, (size_t)(p - buf));
	CHECK_EQ_U(r.res.max_files, POOL_MAX, "files capped at POOL_MAX");
	CHECK_EQ_U(r.res.grows, POOL_MAX, "grows up to POOL_MAX");
	check_tick(&r, POOL_MAX, NULL, "diet", "grow:no_room", "-", NULL);
	free(r.out);

	/* The disk header: 100 MiB free, 10% of 1 GiB reserved: nothing
	 * fits, and a file never cuts into the reserve. */
	p = buf;
	p += sprintf(p, "ghostmemory-trace 1\ndisk_size_kb=1048576\n"
		     "disk_avail_kb=102400\n");
	p = snap(p, "0", 1000000, 100000);
	p = snap(p, "3", 1000000, 100000);
	cfg.max_files = 16;
	cfg.swapsize_b = 0;
	cfg.max_swapsize_b = 2 * GIB;
	r = replay(&cfg, buf, (size_t)(p - buf));
	check_tick(&r, 0, "10.0", "diet", "grow:no_room", "-", "0");
	CHECK(strstr(r.out, "# disk avail_kb=102400 size_kb=1048576 ") != NULL,
	      "disk line: %s", r.out);
	free(r.out);
	/* With 202400 KiB free the file is cut to what leaves the reserve
	 * (1 GiB / 100 * 10 bytes), page-rounded: 97540 KiB. */
	buf[strstr(buf, "102400") - buf] = '2';
	r = replay(&cfg, buf, (size_t)(p - buf));
	check_tick(&r, 0, "10.0", "hungry", "grow", "97540", "1");
	/* The file took that space: the next grow has no room. */
	check_tick(&r, 1, "18.0", "diet", "grow:no_room", "-", "1");
	free(r.out);

	/* page_size=65536: sizes are multiples of 64 KiB. */
	p = buf;
	p += sprintf(p, "ghostmemory-trace 1\npage_size=65536\n");
	p = snap(p, "0", 1000000, 100000);
	r = replay(&cfg, buf, (size_t)(p - buf));
	{
		char line[256], f[32];
		unsigned long kb;
		tick_line(r.out, 0, line, sizeof(line));
		kb = strtoul(field(line, 4, f, sizeof(f)), NULL, 10);
		CHECK(kb && kb % 64 == 0, "64 KiB pages: %lu KiB", kb);
	}
	free(r.out);
}

/* A snapshot the parser refuses does nothing, as in the daemon. */
static void test_read_errors(void)
{
	static char buf[4096];
	static const char nul_body[] = "T 1\nMemTotal: 10\0 kB\nMemFree: 1 kB\n";
	struct config cfg;
	struct run r;
	char *p = buf;

	config_defaults(&cfg);
	cfg.standby = STANDBY_NONE; /* the FSM alone */
	p += sprintf(p, "ghostmemory-trace 1\n");
	p = snap(p, "0", 1000000, 500000);
	memcpy(p, nul_body, sizeof(nul_body) - 1);
	p += sizeof(nul_body) - 1;
	p += sprintf(p, "T 2\nMemTotal: 1000000 kB\r\nMemFree: 1 kB\r\n"
		     "SwapTotal: 0 kB\r\nSwapFree: 0 kB\r\n");
	p += sprintf(p, "T 3\nMemTotal: 1000000 kB\nMemFree: 1 kB\n"
		     "SwapTotal: 0 kB\nSwapFree: 5 kB\n");
	p += sprintf(p, "T 4\nMemTotal: 99999999999999999999 kB\n"
		     "MemFree: 1 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
	p += sprintf(p, "T 5\nno colon at all\n");
	p = snap(p, "6", 1000000, 10000);
	r = replay(&cfg, buf, (size_t)(p - buf));
	CHECK(r.rc == 0, "read errors: %s", r.err);
	check_tick(&r, 0, "50.0", "steady", "none", "-", "0");
	check_tick(&r, 1, "-", "steady", "read_error", "-", "0");
	check_tick(&r, 2, "-", "steady", "read_error", "-", "0");
	check_tick(&r, 3, "-", "steady", "read_error", "-", "0");
	check_tick(&r, 4, "-", "steady", "read_error", "-", "0");
	check_tick(&r, 5, "-", "steady", "read_error", "-", "0");
	check_tick(&r, 6, "1.0", "hungry", "grow", NULL, "1");
	CHECK_EQ_U(r.res.read_errors, 5, "read errors counted");
	free(r.out);

	/* Nothing readable: no lowest free figure, not a false 100%. */
	r = replay(&cfg, "ghostmemory-trace 1\nT 0\ngarbage\n", 32);
	CHECK(r.rc == 0 && strstr(r.out, " min_free_pct=- ") != NULL,
	      "all read errors: %s", r.out);
	free(r.out);
}

/* Ticks every second on the trace's clock, each with the latest snapshot
 * taken at or before it; fractions, repeated times and comments. */
static void test_ticks(void)
{
	static char buf[4096];
	struct config cfg;
	struct run r;
	char *p = buf;

	config_defaults(&cfg);
	cfg.standby = STANDBY_NONE; /* the FSM alone */
	p += sprintf(p, "ghostmemory-trace 1\n\n# header comment\n");
	p = snap(p, "10.5", 1000000, 500000);
	p += sprintf(p, "# a comment inside a snapshot: ignored\n\n");
	p = snap(p, "11.4", 1000000, 450000); /* never ticked: replaced */
	p = snap(p, "11.5", 1000000, 400000); /* tick 1 */
	p = snap(p, "11.5", 1000000, 390000); /* same time: the later wins */
	p = snap(p, "14.25", 1000000, 300000);
	p = snap(p, "14.250", 1000000, 310000);
	r = replay(&cfg, buf, (size_t)(p - buf));
	CHECK(r.rc == 0, "ticks: %s", r.err);
	CHECK_EQ_U(r.res.ticks, 4, "ticks at 0..3 within 3.75 s");
	check_tick(&r, 0, "50.0", NULL, NULL, NULL, NULL);
	check_tick(&r, 1, "39.0", NULL, NULL, NULL, NULL);
	check_tick(&r, 2, "39.0", NULL, NULL, NULL, NULL);
	check_tick(&r, 3, "39.0", NULL, NULL, NULL, NULL);
	free(r.out);

	/* One snapshot: one tick.  No trailing newline is fine. */
	{
		const char *one = "ghostmemory-trace 1\nT 0\nMemTotal: 100 kB\n"
				  "MemFree: 50 kB\nMemAvailable: 50 kB\n"
				  "SwapTotal: 0 kB\n"
				  "SwapFree: 0 kB";
		r = replay(&cfg, one, strlen(one));
	}
	CHECK(r.rc == 0 && r.res.ticks == 1, "single snapshot: %s", r.err);
	check_tick(&r, 0, "50.0", "steady", "none", "-", "0");
	free(r.out);
}

/* The header lines say which config the replay used. */
static void test_header(void)
{
	static char buf[1024];
	struct config cfg;
	struct run r;
	char *p = buf;

	config_defaults(&cfg);
	cfg.standby = STANDBY_NONE; /* the FSM alone */
	cfg.cooldown_s = 10;
	p += sprintf(p, "ghostmemory-trace 1\n");
	p = snap(p, "0", 1000, 500);
	r = replay(&cfg, buf, (size_t)(p - buf));
	CHECK(strncmp(r.out, "# config lower_freelimit=20 freetarget=30 "
			     "upper_freelimit=60 cooldown=10 swapsize=auto ",
		      86) == 0,
	      "config line: %s", r.out);
	CHECK(strstr(r.out, "\n# disk unlimited reserve=10% page_size=4096 "
			    "tick_ms=1000\n") != NULL,
	      "disk line: %s", r.out);
	free(r.out);
}

int main(void)
{
	test_refusals();
	test_spike();
	test_standby_active();
	test_kept();
	test_limits();
	test_read_errors();
	test_ticks();
	test_header();
	T_END();
}
