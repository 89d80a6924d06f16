/* Forecast, polling interval and the PSI fallbacks (errors injected). */
#include "config.h"
#include "params.h"
#include "fsm.h"
#include "meminfo.h"
#include "predict.h"
#include "psi.h"
#include "t.h"

#include <errno.h>
#include <stdint.h>

static void test_slope(void)
{
	struct trend tr;
	int i;

	trend_reset(&tr);
	CHECK(trend_slope_kb_s(&tr, 2000) == 0.0, "no samples: 0");
	trend_add(&tr, 0, 1000);
	CHECK(trend_slope_kb_s(&tr, 2000) == 0.0, "one sample: 0");
	/* falling 20 MiB/s, sampled every 100 ms */
	trend_reset(&tr);
	for (i = 0; i < 20; i++)
		trend_add(&tr, i * 100, 500000.0 - i * 2048.0);
	CHECK(trend_slope_kb_s(&tr, 2000) > -20481 &&
		      trend_slope_kb_s(&tr, 2000) < -20479,
	      "20 MiB/s decline, got %f", trend_slope_kb_s(&tr, 2000));
	CHECK(tr.n == TREND_SAMPLES, "ring keeps %d samples", TREND_SAMPLES);
	/* old samples outside the window do not dilute a new spike */
	trend_reset(&tr);
	trend_add(&tr, 0, 1000000);
	trend_add(&tr, 10000, 1000000);
	trend_add(&tr, 10100, 990000);
	trend_add(&tr, 10200, 980000);
	CHECK(trend_slope_kb_s(&tr, 500) < -99999 &&
		      trend_slope_kb_s(&tr, 500) > -100001,
	      "window keeps the spike: %f", trend_slope_kb_s(&tr, 500));
	/* the same instant twice replaces, never divides by zero */
	trend_reset(&tr);
	trend_add(&tr, 5, 10);
	trend_add(&tr, 5, 20);
	CHECK(tr.n == 1 && tr.free_kb[0] == 20, "same instant replaces");
	trend_add(&tr, 4, 30);
	CHECK(tr.n == 1, "time going back replaces");
}

static void test_forecast(void)
{
	static const struct {
		double free, limit, slope;
		int64_t want;
	} rows[] = {
		{1000, 500, -100, 5000},   /* 500 KiB at 100 KiB/s: 5 s */
		{1000, 500, 0, INT64_MAX}, /* flat */
		{1000, 500, 50, INT64_MAX}, /* rising */
		{400, 500, -100, 0},       /* already below */
		{500, 500, 0, 0},          /* at the limit */
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t got = predict_ms_to_limit(rows[i].free, rows[i].limit,
						  rows[i].slope);
		CHECK(got == rows[i].want, "ms_to_limit row %zu: %lld", i,
		      (long long)got);
	}
	CHECK(predict_shortage(1000, 500, -10000, 60), "50 ms away, lead 60");
	CHECK(!predict_shortage(1000, 500, -10000, 40), "50 ms away, lead 40");
	CHECK(!predict_shortage(1000, 500, 0, 1000000), "flat never");
}

static void test_poll(void)
{
	struct poll_params pp = {20, 20000, 1048576.0}; /* 1 GiB/s */
	static const struct {
		const char *name;
		double free, limit, slope;
		int64_t want;
	} rows[] = {
		{"host calm: 23 GiB headroom -> slowest", 25e6, 1e6, 0, 20000},
		{"256 MiB guest calm: headroom / 1 GiB/s", 200000, 52429, 0,
		 140},
		{"declining slowly: 240 s left -> slowest", 25e6, 1e6, -100000,
		 20000},
		{"fast decline near the limit", 60000, 52429, -200000, 20},
		{"at the limit", 52429, 52429, -1, 20},
		{"slow leak far away", 30e6, 1e6, -1000, 20000},
		{"leak: a quarter of 40 s", 30e6, 1e6, -725000, 10000},
		{"small headroom: the spike rate rules", 5e6, 1e6, -1000,
		 3814},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t got = predict_poll_ms(&pp, rows[i].free, rows[i].limit,
					      rows[i].slope);
		CHECK(got == rows[i].want, "%s: got %lld, want %lld",
		      rows[i].name, (long long)got, (long long)rows[i].want);
	}
}

/* Injected system calls for the PSI fallbacks. */
static int fake_open_errno, fake_writes, fake_closes;
static int fake_refuse_unaligned; /* EINVAL unless window % 2 s == 0 */
static char fake_last[64];

static int fake_open(const char *path, int flags)
{
	(void)path;
	(void)flags;
	if (fake_open_errno) {
		errno = fake_open_errno;
		return -1;
	}
	return 42;
}

static ssize_t fake_write(int fd, const void *buf, size_t len)
{
	unsigned stall, window;

	(void)fd;
	fake_writes++;
	snprintf(fake_last, sizeof(fake_last), "%s", (const char *)buf);
	if (sscanf(buf, "some %u %u", &stall, &window) != 2) {
		errno = EINVAL;
		return -1;
	}
	if (stall == 0 || stall > window ||
	    (fake_refuse_unaligned && window % 2000000)) {
		errno = EINVAL;
		return -1;
	}
	return (ssize_t)len;
}

static int fake_close(int fd)
{
	(void)fd;
	fake_closes++;
	return 0;
}

static const struct psi_ops fake_ops = {fake_open, fake_write, fake_close};

static void reset_fake(void)
{
	fake_open_errno = fake_writes = fake_closes = 0;
	fake_refuse_unaligned = 0;
	fake_last[0] = '\0';
}

static void test_psi(void)
{
	unsigned w = 0;
	int fd;

	reset_fake();
	fd = psi_trigger_open(&fake_ops, "x", 100000, 1000000, &w);
	CHECK(fd == 42 && w == 1000000 && fake_writes == 1,
	      "privileged: 1 s window accepted");
	CHECK_STR(fake_last, "some 100000 1000000", "trigger text");

	reset_fake();
	fake_refuse_unaligned = 1;
	fd = psi_trigger_open(&fake_ops, "x", 100000, 1000000, &w);
	CHECK(fd == 42 && w == 2000000 && fake_writes == 2 &&
		      fake_closes == 1,
	      "EINVAL -> retried with a 2 s window (fd %d w %u)", fd, w);
	CHECK_STR(fake_last, "some 200000 2000000", "stall scaled to 2 s");

	reset_fake();
	fake_open_errno = ENOENT;
	CHECK(psi_trigger_open(&fake_ops, "x", 100000, 1000000, &w) == -ENOENT,
	      "no /proc/pressure -> -ENOENT (poll instead)");
	reset_fake();
	fake_open_errno = EOPNOTSUPP;
	CHECK(psi_trigger_open(&fake_ops, "x", 100000, 1000000, &w) ==
		      -EOPNOTSUPP, "psi=0 -> -EOPNOTSUPP");
	reset_fake();
	fake_open_errno = EACCES;
	CHECK(psi_trigger_open(&fake_ops, "x", 100000, 1000000, &w) == -EACCES,
	      "no privilege -> -EACCES");
	reset_fake();
	fake_refuse_unaligned = 1;
	CHECK(psi_trigger_open(&fake_ops, "x", 0, 2000000, &w) == -EINVAL &&
		      fake_writes == 1,
	      "aligned window refused is not retried");
}

/* One reading of a 1 GiB machine with avail_kb available, no swap. */
static void classify_at(const struct config *cfg, struct trend *tr,
			int64_t t, uint64_t avail_kb, struct fsm_reading *r)
{
	struct meminfo mi = {0};
	struct outlook o;

	mi.mem_total_kb = 1048576;
	mi.mem_free_kb = avail_kb;
	mi.mem_available_kb = avail_kb;
	mi.has_mem_available = true;
	predict_classify(LIMIT_PARAMS(cfg), tr, NULL, &mi, t, 100, r, &o);
}

/* A long lead (30 s: a file on NFS) at 100 MiB/s: the forecast begins
 * one file ahead, never more (limit_params.ahead_kb). */
static void test_ahead(void)
{
	struct config cfg;
	struct limit_params lp;
	struct fsm_reading r;
	struct outlook o;
	struct trend tr;
	struct meminfo mi = {0};
	static const struct {
		uint64_t avail_mb;
		double ahead_kb;
		bool forecast;
		const char *what;
	} rows[] = {
		{600, 0, true, "no bound: 395 MiB above the limit, forecast"},
		{600, 283 * 1024, false, "395 MiB above, a file is 283: wait"},
		{400, 283 * 1024, true, "195 MiB above, a file is 283: begin"},
		/* a 283 MiB file adds 226 above the 20% limit */
		{455, 283 * 1024, false, "250 MiB above, a file adds 226: wait"},
		{425, 283 * 1024, true, "220 MiB above, a file adds 226: begin"},
		{600, 512 * 1024, true, "a file of 512 MiB: begin"},
		/* calm: never, whatever the bound */
		{400, 283 * 1024, false, "not falling: no forecast"},
	};
	size_t i;
	int k;

	config_defaults(&cfg);
	lp = params_limits(&cfg);
	mi.mem_total_kb = 1048576;
	mi.has_mem_available = true;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool calm = i == sizeof(rows) / sizeof(rows[0]) - 1;

		lp.ahead_kb = rows[i].ahead_kb;
		trend_reset(&tr);
		/* Ten readings 100 ms apart, the last at avail_mb. */
		for (k = 0; k < 10; k++) {
			uint64_t mb = rows[i].avail_mb + (calm ? 0 : 9 - k) * 10;

			mi.mem_free_kb = mi.mem_available_kb = mb * 1024;
			predict_classify(&lp, &tr, NULL, &mi, k * 100, 30000,
					 &r, &o);
		}
		CHECK(r.shortage == rows[i].forecast &&
			      r.forecast == rows[i].forecast,
		      "%s (shortage %d forecast %d, slope %.0f)",
		      rows[i].what, r.shortage, r.forecast, o.slope_kb_s);
	}
}

/* A reading of a 1 GiB machine, half of it available, 256 MiB of swap
 * free, under strict overcommit: CommitLimit limit_kb, Committed_AS
 * committed_kb (the fixtures of a vm.overcommit_memory=2 machine). */
static void commit_at(const struct config *cfg, struct trend *tr,
		      struct trend *ctr, int64_t t, uint64_t limit_kb,
		      uint64_t committed_kb, struct fsm_reading *r,
		      struct outlook *o)
{
	struct meminfo mi = {0};

	mi.mem_total_kb = 1048576;
	mi.mem_free_kb = mi.mem_available_kb = 524288;
	mi.has_mem_available = true;
	mi.swap_total_kb = mi.swap_free_kb = 400000;
	mi.has_commit = true;
	mi.commit_limit_kb = limit_kb;
	mi.committed_as_kb = committed_kb;
	mi.commit_strict = true;
	predict_classify(LIMIT_PARAMS(cfg), tr, ctr, &mi, t, 100, r, o);
}

/* Strict overcommit: the commit headroom is a second signal with the
 * same thresholds and forecast; a surplus needs both. */
static void test_classify_commit(void)
{
	struct config cfg;
	struct trend tr, ctr;
	struct fsm_reading r;
	struct outlook o;
	int i;

	config_defaults(&cfg);
	/* Free figure 64% (a surplus alone), headroom 50%: neither. */
	trend_reset(&tr), trend_reset(&ctr);
	commit_at(&cfg, &tr, &ctr, 0, 800000, 400000, &r, &o);
	CHECK(o.commit_strict && o.commit_pct == 50.0, "headroom 50%%: %f",
	      o.commit_pct);
	CHECK(!r.shortage && !r.surplus, "headroom 50%%: no surplus");
	/* Headroom 10%, memory plentiful: a shortage that is commit's. */
	commit_at(&cfg, &tr, &ctr, 100, 800000, 720000, &r, &o);
	CHECK(r.shortage && !r.forecast && o.commit_short,
	      "headroom 10%%: shortage");
	CHECK(o.free_pct > 60, "while the free figure is %f", o.free_pct);
	/* Without a commit trend the same reading is not judged on it. */
	{
		struct trend t2;
		trend_reset(&t2);
		commit_at(&cfg, &t2, NULL, 100, 800000, 720000, &r, &o);
		CHECK(!r.shortage && !o.commit_strict, "no commit trend");
	}
	/* Headroom 30% and committing 2 GiB/s: forecast. */
	trend_reset(&tr), trend_reset(&ctr);
	for (i = 0; i < 10; i++)
		commit_at(&cfg, &tr, &ctr, i * 20, 800000,
			  560000 - (10 - i) * 41943, &r, &o);
	CHECK(r.shortage && r.forecast && o.commit_short,
	      "headroom falling fast: forecast");
	CHECK(o.commit_slope_kb_s < -1000000, "commit slope %f",
	      o.commit_slope_kb_s);
	/* The poll follows the faster of the two. */
	{
		struct poll_params pp = {10, 1000, 0};
		CHECK(predict_poll_ms(&pp, o.free_kb, o.limit_kb,
				      o.slope_kb_s) == 1000 &&
			      predict_outlook_poll_ms(&pp, &o) < 100,
		      "poll at the commit forecast's pace");
	}
	/* Headroom 70% and free 62%: a surplus. */
	trend_reset(&tr), trend_reset(&ctr);
	commit_at(&cfg, &tr, &ctr, 0, 1000000, 300000, &r, &o);
	CHECK(r.surplus && !r.shortage, "both high: surplus");
	/* Heuristic overcommit: the commit lines are not a signal. */
	{
		struct meminfo mi = {0};
		mi.mem_total_kb = 1048576;
		mi.mem_free_kb = mi.mem_available_kb = 524288;
		mi.has_mem_available = true;
		mi.has_commit = true;
		mi.commit_limit_kb = 800000;
		mi.committed_as_kb = 790000;
		trend_reset(&tr), trend_reset(&ctr);
		predict_classify(LIMIT_PARAMS(&cfg), &tr, &ctr, &mi, 0, 100,
				 &r, &o);
		CHECK(!r.shortage && !o.commit_strict,
		      "overcommit_memory 0: no commit shortage");
	}
}

/* The reading says whether a shortage is only forecast: the state machine
 * lets a forecast start the first file, never a second one in a row. */
static void test_classify(void)
{
	struct config cfg;
	struct trend tr;
	struct fsm_reading r;
	int i;

	config_defaults(&cfg);
	/* Flat at 50%: neither. */
	trend_reset(&tr);
	for (i = 0; i < 10; i++)
		classify_at(&cfg, &tr, i * 100, 524288, &r);
	CHECK(r.valid && !r.shortage && !r.forecast && !r.surplus,
	      "flat 50%%: nothing");
	/* Below the limit: a shortage, not a forecast. */
	classify_at(&cfg, &tr, 1000, 104858, &r);
	CHECK(r.shortage && !r.forecast, "10%%: shortage, not forecast");
	/* 25% and falling 1 GiB/s: crosses 20% within the 100 ms lead. */
	trend_reset(&tr);
	for (i = 0; i < 10; i++)
		classify_at(&cfg, &tr, i * 20, 262144 + (10 - i) * 20972, &r);
	CHECK(r.shortage && r.forecast, "25%% falling fast: forecast");
	/* 25% falling 10 MiB/s: 5 s away, no shortage. */
	trend_reset(&tr);
	for (i = 0; i < 10; i++)
		classify_at(&cfg, &tr, i * 100, 262144 + (10 - i) * 1024, &r);
	CHECK(!r.shortage && !r.forecast, "25%% falling slowly: nothing");
}

int main(void)
{
	test_slope();
	test_classify();
	test_classify_commit();
	test_forecast();
	test_ahead();
	test_poll();
	test_psi();
	T_END();
}
