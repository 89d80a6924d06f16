/* Sizing and the choice of the file to remove. */
#include "config.h"
#include "params.h"
#include "policy.h"
#include "t.h"

#include <errno.h>

static void test_sizing(void)
{
	struct config cfg;
	static const struct {
		const char *name;
		uint64_t mem_total, free, total, fs_avail, fs_size;
		int files;
		uint64_t owned;
		const char *swapsize, *reserve, *max_total;
		int max_files;
		int rc;
		uint64_t want;
	} rows[] = {
		/* name  MemTotal  free  total  fs_avail  fs_size */
		{"206 MiB RAM -> 412 MiB", 206 * MIB, 40 * MIB, 206 * MIB,
		 100 * GIB, 100 * GIB, 0, 0, "auto", "10%", "0", 16, 0,
		 412 * MIB},
		{"24 GiB RAM -> 2 GiB", 24 * GIB, 4 * GIB, 24 * GIB, 100 * GIB,
		 100 * GIB, 0, 0, "auto", "10%", "0", 16, 0, 2 * GIB},
		{"deficit beats swapsize", 1 * GIB, 0, 1 * GIB, 100 * GIB,
		 100 * GIB, 0, 0, "64m", "10%", "0", 16, 0,
		 /* (0 + x) / (1g + x) = 30% -> x = 0.3g / 0.7 */
		 (uint64_t)((30 * (GIB / 100) + 30 * (GIB % 100) / 100) * 100 /
			    70) / 4096 * 4096},
		{"swapsize=0: pure deficit", 1000 * MIB, 200 * MIB, 1000 * MIB,
		 100 * GIB, 100 * GIB, 0, 0, "0", "10%", "0", 16, 0,
		 (300 * MIB - 200 * MIB) * 100 / 70 / 4096 * 4096},
		{"clamped to max_swapsize", 8 * GIB, 0, 8 * GIB, 100 * GIB,
		 100 * GIB, 0, 0, "auto", "10%", "0", 16, 0, 2 * GIB},
		{"disk reserve shrinks the file", 206 * MIB, 40 * MIB,
		 206 * MIB, 300 * MIB, 1000 * MIB, 0, 0, "auto", "10%", "0", 16,
		 0, 200 * MIB},
		{"reserve in bytes", 206 * MIB, 40 * MIB, 206 * MIB, 300 * MIB,
		 1000 * MIB, 0, 0, "auto", "250m", "0", 16, 0, 50 * MIB},
		{"under min_swapsize -> no room", 206 * MIB, 40 * MIB,
		 206 * MIB, 102 * MIB, 1000 * MIB, 0, 0, "auto", "10%", "0", 16,
		 -ENOSPC, 0},
		{"max_files reached -> no room", 206 * MIB, 40 * MIB, 206 * MIB,
		 100 * GIB, 100 * GIB, 3, 3 * MIB, "auto", "10%", "0", 3,
		 -ENOSPC, 0},
		{"max_total caps the file", 206 * MIB, 40 * MIB, 206 * MIB,
		 100 * GIB, 100 * GIB, 1, 412 * MIB, "auto", "10%", "512m", 16,
		 0, 100 * MIB},
		{"max_total reached -> no room", 206 * MIB, 40 * MIB, 206 * MIB,
		 100 * GIB, 100 * GIB, 1, 512 * MIB, "auto", "10%", "512m", 16,
		 -ENOSPC, 0},
		{"full disk -> no room", 206 * MIB, 40 * MIB, 206 * MIB, 0,
		 100 * GIB, 0, 0, "auto", "0%", "0", 16, -ENOSPC, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct grow_ctx g = {rows[i].mem_total, rows[i].free,
				     rows[i].total, rows[i].fs_avail,
				     rows[i].fs_size, rows[i].files,
				     rows[i].owned, 4096, 0, 0};
		char err[200];
		uint64_t size = 0;
		int rc;

		config_defaults(&cfg);
		cfg.max_files = rows[i].max_files;
		CHECK(config_set(&cfg, "swapsize", rows[i].swapsize, err,
				 sizeof(err)) == 0 &&
			      config_set(&cfg, "disk_reserve", rows[i].reserve,
					 err, sizeof(err)) == 0 &&
			      config_set(&cfg, "max_total", rows[i].max_total,
					 err, sizeof(err)) == 0,
		      "%s: config", rows[i].name);
		rc = policy_grow_size(SIZE_PARAMS(&cfg), &g, &size);
		CHECK(rc == rows[i].rc && (rc || size == rows[i].want),
		      "%s: rc %d size %llu, want rc %d size %llu", rows[i].name,
		      rc, (unsigned long long)size, rows[i].rc,
		      (unsigned long long)rows[i].want);
	}
	CHECK_EQ_U(policy_auto_swapsize_b(206 * MIB), 412 * MIB, "auto 206M");
	CHECK_EQ_U(policy_auto_swapsize_b(24 * GIB), 2 * GIB, "auto 24G");
	CHECK_EQ_U(policy_deficit_b(50, 100, 30), 0, "no deficit");
	CHECK_EQ_U(policy_deficit_b(0, 700, 30), 300, "deficit 0/700 -> 300");
	CHECK_EQ_U(policy_deficit_b(10, 100, 0), 0, "target 0");
}

static void test_shrink(void)
{
	struct config cfg;
	/* RAM 1000 MiB; free counts swap free.  Sizes/used in KiB. */
	const uint64_t M = 1024;
	struct shrink_candidate c[] = {
		{400 * M, 300 * M}, /* 0: busy */
		{400 * M, 10 * M},  /* 1: least used */
		{100 * M, 10 * M},  /* 2: as little used, smaller */
		{400 * M, 0},       /* 3: unused but big */
	};
	int pick;

	config_defaults(&cfg);
	/* free 1200 of total 2300: any single removal keeps >= 30% */
	pick = policy_pick_shrink(cfg.freetarget_pct, 1200 * M, 2300 * M, 500 * M,
				  1000 * M, c, 4);
	CHECK(pick == 3, "least used first (not the largest), got %d", pick);
	/* removing a 400 MiB file would drop below target: the small one */
	pick = policy_pick_shrink(cfg.freetarget_pct, 800 * M, 2300 * M, 500 * M, 1000 * M,
				  c, 4);
	CHECK(pick == 2, "keeps free%% >= freetarget, got %d", pick);
	/* used pages must fit in RAM with a margin (100 MiB here) */
	pick = policy_pick_shrink(cfg.freetarget_pct, 2000 * M, 2300 * M, 105 * M,
				  1000 * M, c, 3);
	CHECK(pick == -1, "nothing fits back in RAM, got %d", pick);
	pick = policy_pick_shrink(cfg.freetarget_pct, 2000 * M, 2300 * M, 111 * M,
				  1000 * M, c, 3);
	CHECK(pick == 2, "10 MiB used + 100 MiB margin fits 111, got %d",
	      pick);
	CHECK(policy_pick_shrink(cfg.freetarget_pct, 0, 0, 0, 0, c, 0) == -1, "no files");
	CHECK_EQ_U(policy_swapoff_margin_kb(100 * M), 16 * M, "margin min 16M");
	CHECK_EQ_U(policy_swapoff_margin_kb(1000 * M), 100 * M, "margin 10%%");
}

/* standby=small: the spare holds what spike_rate brings in while the
 * next full-size file is made (times measured on each filesystem, as
 * the daemon measures them: the last file made and its size). */
static void test_spare_size(void)
{
	static const struct {
		const char *fs;
		int64_t make_ms;   /* last file made took */
		uint64_t made_b;   /* and was this big */
		uint64_t full_b;   /* the next full-size file */
		uint64_t rate_b;   /* spike_rate */
		uint64_t max_b;    /* spare_max */
		uint64_t want_b;
	} rows[] = {
		/* 2 x 7 ms at 1 GiB/s = 14 MiB (2 GiB made in 7 ms) */
		{"ext4 fallocate, host", 7, 2 * GIB, 2 * GIB, GIB, 64 * MIB,
		 14 * GIB / 1000 / 4096 * 4096},
		/* the guest: 412 MiB in 11 ms */
		{"ext4 fallocate, guest", 11, 412 * MIB, 412 * MIB, GIB,
		 64 * MIB, 22 * GIB / 1000 / 4096 * 4096},
		/* a larger file made before: not scaled down */
		{"xfs fallocate, bigger sample", 9, 2 * GIB, 512 * MIB, GIB,
		 64 * MIB, 18 * GIB / 1000 / 4096 * 4096},
		/* the small spare itself was the sample: 64 MiB in 2 ms is
		 * 1/32 ms per MiB, 16 ms for 512 MiB */
		{"btrfs fallocate, spare sample", 2, 64 * MIB, 512 * MIB, GIB,
		 64 * MIB, 32 * GIB / 1000 / 4096 * 4096},
		/* zero fill at 100 MiB/s: 5 s for 512 MiB, bounded */
		{"zero fill, SD card", 5120, 512 * MIB, 512 * MIB, GIB,
		 64 * MIB, 64 * MIB},
		{"zero fill, spare_max 256m", 5120, 512 * MIB, 512 * MIB, GIB,
		 256 * MIB, 256 * MIB},
		/* a slow rate needs little: at least min_swapsize */
		{"slow rate, floor at min_swapsize", 7, 2 * GIB, 2 * GIB,
		 10 * MIB, 64 * MIB, 4 * MIB},
		/* nothing measured yet: spare_max */
		{"nothing measured", -1, 0, 512 * MIB, GIB, 64 * MIB,
		 64 * MIB},
		{"no size measured", 50, 0, 512 * MIB, GIB, 32 * MIB,
		 32 * MIB},
		/* hostile: a huge time does not overflow */
		{"huge time", INT64_MAX, 1, 1ull << 60, 1ull << 60, 64 * MIB,
		 64 * MIB},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CHECK_EQ_U(policy_spare_size_b(rows[i].make_ms, rows[i].made_b,
					       rows[i].full_b, rows[i].rate_b,
					       rows[i].max_b, 4 * MIB, 4096),
			   rows[i].want_b, rows[i].fs);
	/* Whole pages, and never under ten of them. */
	CHECK_EQ_U(policy_spare_size_b(1, GIB, GIB, 5000000, 64 * MIB, 0,
				       4096),
		   40960, "ten pages at least");
	CHECK_EQ_U(policy_spare_size_b(100, GIB, GIB, 1000001, 64 * MIB, 0,
				       4096) % 4096,
		   0, "whole pages");
}

/* The forecast's making time: the last file's; on a network directory
 * the host swaps to, the slowest file's, never under POLICY_NET_MAKE_MS. */
static void test_lead_make(void)
{
	static const struct {
		const char *what;
		bool net, swapping;
		int64_t last_ms, slowest_ms, want_ms;
	} rows[] = {
		{"local: the last file's", false, true, 11, 900, 11},
		{"local: nothing made yet", false, false, 0, 0, 0},
		{"local: zero fill, SD card", false, true, 5120, 5120, 5120},
		{"nfs, swapping: made while calm, the floor", true, true, 82,
		 82, POLICY_NET_MAKE_MS},
		{"nfs, swapping: nothing made yet, the floor", true, true, 0,
		 0, POLICY_NET_MAKE_MS},
		/* nothing swapped there: a make costs what it did */
		{"nfs, calm: the last file's", true, false, 82, 7726, 82},
		{"nfs, calm: nothing made yet", true, false, 0, 0, 0},
		/* 7.7 s while swapping out, then 72 ms while calm: the
		 * floor still */
		{"nfs: slower under load, under the floor", true, true, 72,
		 7726, POLICY_NET_MAKE_MS},
		/* NFSv3 writes: 19.8 s calm, 82.9 s while swapping out,
		 * then a calm one again: the slowest counts */
		{"nfsv3: the slowest, over the floor", true, true, 19760,
		 82903, 82903},
		{"hostile: negative local time", false, false, -5, 0, 0},
		{"hostile: huge time", true, true, 1, INT64_MAX, INT64_MAX},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CHECK_EQ_U(policy_lead_make_ms(rows[i].net, rows[i].swapping,
					       rows[i].last_ms,
					       rows[i].slowest_ms),
			   rows[i].want_ms, rows[i].what);
}

/* What a calm tick holds, the floor, the spare kept on a shrink, and
 * the next file started when a spare is taken. */
static void test_standby_rules(void)
{
	static const struct {
		enum standby_policy s;
		int active, spares;
		enum standby_act want;
	} acts[] = {
		{STANDBY_ACTIVE, 0, 0, STANDBY_MAKE_ON},
		/* a leftover spare is not the floor: a full file is made */
		{STANDBY_ACTIVE, 0, 1, STANDBY_MAKE_ON},
		{STANDBY_ACTIVE, 1, 0, STANDBY_KEEP},
		{STANDBY_ACTIVE, 3, 1, STANDBY_KEEP},
		{STANDBY_SMALL, 0, 0, STANDBY_MAKE_SPARE},
		/* files on: swap is there, and turned off they are
		 * kept as spares */
		{STANDBY_SMALL, 2, 0, STANDBY_KEEP},
		{STANDBY_SMALL, 0, 1, STANDBY_KEEP},
		{STANDBY_NONE, 0, 0, STANDBY_KEEP},
		{STANDBY_NONE, 1, 2, STANDBY_KEEP},
		{(enum standby_policy)9, 0, 0, STANDBY_KEEP},
	};
	size_t i;

	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		CHECK(policy_standby_act(acts[i].s, acts[i].active,
					 acts[i].spares) == acts[i].want,
		      "standby %d with %d on, %d spares: %d, want %d",
		      (int)acts[i].s, acts[i].active, acts[i].spares,
		      (int)policy_standby_act(acts[i].s, acts[i].active,
					      acts[i].spares),
		      (int)acts[i].want);
	/* The floor: only standby=active keeps its last active file. */
	CHECK(!policy_floor_allows_shrink(STANDBY_ACTIVE, 1), "active: last file kept");
	CHECK(!policy_floor_allows_shrink(STANDBY_ACTIVE, 0), "active: none to spare");
	CHECK(policy_floor_allows_shrink(STANDBY_ACTIVE, 2), "active: one of two may go");
	CHECK(policy_floor_allows_shrink(STANDBY_SMALL, 1), "small: the last may go");
	CHECK(policy_floor_allows_shrink(STANDBY_NONE, 1), "none: the last may go");
	CHECK(policy_keeps_spare(STANDBY_SMALL) &&
		      !policy_keeps_spare(STANDBY_ACTIVE) &&
		      !policy_keeps_spare(STANDBY_NONE),
	      "only small keeps a spare");
	CHECK(policy_refill_after_take(STANDBY_SMALL, true), "small: spare taken -> next file");
	CHECK(!policy_refill_after_take(STANDBY_SMALL, false), "small: a made file is no stopgap");
	CHECK(!policy_refill_after_take(STANDBY_ACTIVE, true) &&
		      !policy_refill_after_take(STANDBY_NONE, true),
	      "active/none: a leftover spare taken is a whole file");
}

/* Strict overcommit: a grow brings the commit headroom back to
 * freetarget; a shrink keeps it there.  zswap: a file's used pages
 * count in full against RAM (part may be in the zswap pool already,
 * which only makes the swapoff need less). */
static void test_strict(void)
{
	struct config cfg;
	char err[200];
	/* 1 GiB RAM, free figure 50% (no deficit), CommitLimit 1 GiB with
	 * 50 MiB of headroom (5%). */
	struct grow_ctx g = {GIB, GIB, 2 * GIB, 100 * GIB, 200 * GIB, 1,
			     256 * MIB, 4096, 50 * MIB, GIB};
	uint64_t size = 0, want;
	const uint64_t M = 1024;
	struct shrink_candidate c[] = {{400 * M, 0}};

	config_defaults(&cfg);
	CHECK(config_set(&cfg, "swapsize", "64m", err, sizeof(err)) == 0,
	      "swapsize");
	want = policy_deficit_b(50 * MIB, GIB, cfg.freetarget_pct);
	want -= want % 4096;
	CHECK(want > 360 * MIB, "commit deficit %llu",
	      (unsigned long long)want);
	CHECK(policy_grow_size(SIZE_PARAMS(&cfg), &g, &size) == 0 &&
		      size == want,
	      "sized for the headroom: got %llu want %llu",
	      (unsigned long long)size, (unsigned long long)want);
	/* Not strict (CommitLimit 0): swapsize. */
	g.commit_free_b = g.commit_limit_b = 0;
	CHECK(policy_grow_size(SIZE_PARAMS(&cfg), &g, &size) == 0 &&
		      size == 64 * MIB,
	      "heuristic overcommit: swapsize, got %llu",
	      (unsigned long long)size);

	/* Shrink: headroom 900 of 2000 MiB: a 400 MiB file leaves 500 of
	 * 1600 (31%): allowed; 600 of 2000 -> 200/1600 (12%): not. */
	CHECK(policy_shrink_keeps_commit(30, 900 * M, 2000 * M, 400 * M),
	      "31%% kept");
	CHECK(!policy_shrink_keeps_commit(30, 600 * M, 2000 * M, 400 * M),
	      "12%% refused");
	CHECK(!policy_shrink_keeps_commit(30, 300 * M, 2000 * M, 400 * M),
	      "more than the headroom");
	CHECK(policy_shrink_keeps_commit(30, 0, 0, 400 * M), "not strict");

	/* zswap: 300 MiB used of which a part sits compressed in RAM; the
	 * rule still wants all 300 back in RAM with the margin. */
	c[0].used_kb = 300 * M;
	CHECK(policy_pick_shrink(30, 3000 * M, 4000 * M, 399 * M, 1000 * M,
				 c, 1) == -1,
	      "300 used + 100 margin does not fit 399");
	CHECK(policy_pick_shrink(30, 3000 * M, 4000 * M, 400 * M, 1000 * M,
				 c, 1) == 0,
	      "fits 400");
}

int main(void)
{
	test_sizing();
	test_shrink();
	test_spare_size();
	test_lead_make();
	test_standby_rules();
	test_strict();
	T_END();
}
