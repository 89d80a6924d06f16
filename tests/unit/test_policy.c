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
	test_strict();
	T_END();
}
