/* tiers.c: the pure tier choice and priorities, and the set at work on
 * the fake world (t_pool.h): two pools, one world of slots, each tier's
 * free space by its dev (the SHRINK choice over the files of every tier
 * is test_pool_shrink's). */
#include "config.h"
#include "log.h"
#include "params.h"
#include "t.h"
#include "t_pool.h"
#include "tiers.h"

#include <stdlib.h>

/* The tier a new file goes to, and, when none may take it, the one a
 * grow waits for (one that does not answer). */
static void test_choose(void)
{
	static const struct {
		struct tier_fact f[3]; /* room, net_ok, reachable */
		int n, want, wait;
		const char *what;
	} rows[] = {
		{{{1, 1, 1}, {1, 1, 1}}, 2, 0, -1, "both fit: the first"},
		{{{0, 1, 1}, {1, 1, 1}}, 2, 1, -1, "first full: the second"},
		{{{1, 0, 1}, {1, 1, 1}}, 2, 1, -1, "first mount refused"},
		{{{1, 1, 0}, {1, 1, 1}}, 2, 1, 0, "first unreachable"},
		{{{0, 1, 1}, {0, 1, 1}}, 2, -1, -1, "none has room"},
		{{{1, 1, 0}, {1, 0, 1}, {0, 1, 1}}, 3, -1, 0, "none fit at all"},
		{{{0, 1, 1}, {1, 1, 0}, {1, 1, 1}}, 3, 2, 1, "the third"},
		{{{1, 1, 1}}, 1, 0, -1, "one tier"},
		{{{1, 1, 1}}, 0, -1, -1, "no tier"},
		{{{0, 1, 1}, {0, 1, 0}}, 2, -1, 1, "local full, NFS away"},
		{{{0, 1, 0}, {0, 1, 1}}, 2, -1, 0, "the first away"},
		{{{0, 1, 1}, {0, 0, 0}}, 2, -1, -1, "the one away refused"},
		{{{0, 1, 1}, {0, 1, 1}, {0, 1, 0}}, 3, -1, 2, "the third away"},
		{{{0, 1, 0}}, 1, -1, 0, "one tier, away"},
		{{{0, 1, 0}}, 0, -1, -1, "no tier, none away"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int k = tier_choose(rows[i].f, rows[i].n),
		    wf = tier_wait_for(rows[i].f, rows[i].n);

		CHECK(k == rows[i].want && wf == rows[i].wait,
		      "%s: %d and %d, want %d and %d", rows[i].what, k, wf,
		      rows[i].want, rows[i].wait);
	}
}

static void test_priority(void)
{
	static const struct {
		struct tier_prio pr;
		bool net, mixed;
		int want;
		const char *what;
	} rows[] = {
		{{-1, false, 0, 0}, false, false, -1, "one local tier: kernel's"},
		{{-1, false, 0, 0}, true, false, -1, "only NFS: kernel's"},
		{{-1, false, 0, 0}, false, true, 0, "local beside NFS: 0"},
		{{-1, false, 0, 0}, true, true, -1, "NFS beside local: kernel's"},
		{{5, true, 0, 0}, false, true, 5, "priority set: as set (local)"},
		{{5, true, 0, 0}, true, true, 5, "priority set: as set (NFS)"},
		{{-1, false, 1, 100}, false, true, 0, "zram at 100: local 0"},
		{{-1, false, 1, 100}, true, true, -1, "zram at 100: NFS kernel's"},
		{{-1, false, 1, 0}, false, true, -1,
		 "zram at 0: local below it, the kernel's"},
		{{-1, false, 1, 5}, false, false, -1, "zram, no mix: kernel's"},
		{{200, true, 1, 100}, false, true, 200, "set above zram: kept"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int got = tier_file_priority(&rows[i].pr, rows[i].net,
					     rows[i].mixed);

		CHECK(got == rows[i].want, "%s: %d, want %d", rows[i].what, got,
		      rows[i].want);
	}
	/* Whatever the zram, a local file of a mixed set is never below
	 * the NFS one. */
	for (i = 0; i < 200; i++) {
		struct tier_prio pr = {-1, false, 1, (int)i - 50};

		CHECK(tier_file_priority(&pr, false, true) >=
			      tier_file_priority(&pr, true, true),
		      "zram at %d: local below NFS", (int)i - 50);
	}
}

/* Two tiers on the fake world: tier 1 (dev 1) local, tier 2 (dev 2)
 * "NFS" (dir.nfs set: its priorities; its mount is not looked up, as
 * f_type is not NFS's). */
static struct tiers ts;

static void tiers_fake(void)
{
	int i;

	world_reset();
	memset(&ts, 0, sizeof(ts));
	ts.n = 2;
	for (i = 0; i < 2; i++) {
		pool_fake(&ts.t[i]);
		ts.t[i].dir.dev = (dev_t)(i + 1);
	}
	ts.t[1].dir.nfs = true;
	w.dev_avail_set = true;
	w.dev_avail_b[1] = w.dev_avail_b[2] = 100000 * MB;
}

static void tiers_unfake(void)
{
	pool_unfake(&ts.t[0]);
	pool_unfake(&ts.t[1]);
}

static void tiers_settle(const struct pool_params *pp,
			 const struct tier_prio *pr, struct pool_done *d)
{
	struct meminfo mi;
	int i;

	f_meminfo(&mi);
	memset(d, 0, sizeof(*d));
	for (i = 0; i < 500; i++) {
		struct pool_done one;
		int k, idle = 1;

		for (k = 0; k < ts.n; k++)
			idle &= pool_job_idle(&ts.t[k], LANE_GROW) &&
				pool_job_idle(&ts.t[k], LANE_SHRINK);
		if (idle)
			break;
		poll(NULL, 0, 5);
		tiers_wake_drain(&ts);
		tiers_collect(&ts, pp, pr, &mi, 1000, &one);
		done_merge(d, &one);
	}
}

static void test_set(void)
{
	struct tier_prio pr = {-1, false, 0, 0};
	struct pool_params pp = params_pool(&cfg), tp;
	struct pool_done d;
	struct meminfo mi;
	uint64_t size_b;

	tiers_fake();
	f_meminfo(&mi);
	/* Tier 1 full: the file goes to tier 2, at the kernel's priority. */
	w.dev_avail_b[1] = 0;
	CHECK(tiers_grow(&ts, &pp, &pr, &mi, 0, &size_b) == FSM_PENDING,
	      "grow into tier 2");
	tiers_settle(&pp, &pr, &d);
	CHECK(d.grow && d.grow_out == FSM_OK && ts.t[0].n == 0 &&
		      ts.t[1].n == 1 && ts.t[1].f[0].active,
	      "tier 2 holds the file (%d, %d)", ts.t[0].n, ts.t[1].n);
	CHECK(w.last_prio == -1, "NFS tier: kernel's priority (%d)",
	      w.last_prio);
	/* The make is remembered as the last and the slowest; a faster
	 * one later does not lower the slowest. */
	CHECK(ts.t[1].make_ms >= 0 && ts.t[1].slow_make_ms == ts.t[1].make_ms,
	      "tier 2's make remembered (%lld, %lld)",
	      (long long)ts.t[1].make_ms, (long long)ts.t[1].slow_make_ms);
	ts.t[1].slow_make_ms = 82903;
	/* Room again in tier 1: the next file goes there, above. */
	w.dev_avail_b[1] = 100000 * MB;
	CHECK(tiers_grow(&ts, &pp, &pr, &mi, 0, &size_b) == FSM_PENDING,
	      "grow into tier 1");
	tiers_settle(&pp, &pr, &d);
	CHECK(d.grow_out == FSM_OK && ts.t[0].n == 1 && ts.t[0].f[0].active,
	      "tier 1 holds the second file");
	CHECK(w.last_prio == 0, "local tier beside NFS: 0 (%d)", w.last_prio);
	CHECK(ts.t[1].slow_make_ms == 82903,
	      "a later make elsewhere leaves tier 2's slowest");
	/* The limits count both tiers: max_files=2 leaves no room. */
	pp.size.max_files = 2;
	CHECK(tiers_grow(&ts, &pp, &pr, &mi, 0, &size_b) == FSM_NO_ROOM,
	      "max_files over both tiers: no room");
	pp.size.max_files = 0;
	pp.size.max_total_b = 130 * MB;
	CHECK(tiers_grow(&ts, &pp, &pr, &mi, 0, &size_b) == FSM_NO_ROOM,
	      "max_total over both tiers: no room");
	pp.size.max_total_b = 0;
	tiers_params(&ts, 0, &pp, &pr, &tp);
	CHECK(tp.other_files == 1 && tp.other_owned_b == ts.t[1].f[0].size_b &&
		      tp.other_owned_b >= 64 * MB,
	      "tier 1's params count tier 2's file (%d, %llu)", tp.other_files,
	      (unsigned long long)tp.other_owned_b);
	/* A spare in tier 2 goes on before any new file in tier 1. */
	w.active[ts.t[1].f[0].slot] = false;
	ts.t[1].f[0].active = false;
	CHECK(tiers_has_spare(&ts) && tiers_active_count(&ts) == 1,
	      "a spare in tier 2");
	CHECK(tiers_grow(&ts, &pp, &pr, &mi, 0, &size_b) == FSM_PENDING,
	      "grow takes the spare");
	tiers_settle(&pp, &pr, &d);
	CHECK(ts.t[0].n == 1 && ts.t[1].n == 1 && tiers_active_count(&ts) == 2,
	      "the spare is on, no new file");
	/* Shrink: tier 2's file is the less used: it goes first. */
	w.used_kb[ts.t[0].f[0].slot] = 5000;
	tiers_refresh(&ts, 0);
	/* Swap as the kernel counts it: both files, 5000 KiB used. */
	mi.swap_total_kb = (ts.t[0].f[0].size_b + ts.t[1].f[0].size_b) / 1024;
	mi.swap_free_kb = mi.swap_total_kb - 5000;
	CHECK(tiers_shrink(&ts, &pp, &mi, 0, &size_b) == FSM_PENDING,
	      "shrink starts");
	CHECK(tiers_shrink(&ts, &pp, &mi, 0, &size_b) == FSM_NOTHING,
	      "one shrink at a time over the set");
	tiers_settle(&pp, &pr, &d);
	CHECK(d.shrink && ts.t[1].n == 0 && ts.t[0].n == 1,
	      "tier 2's file went (%d, %d)", ts.t[0].n, ts.t[1].n);
	/* standby=active: the last file, in tier 1, is the floor. */
	pp.standby = STANDBY_ACTIVE;
	CHECK(tiers_shrink(&ts, &pp, &mi, 0, &size_b) == FSM_NOTHING,
	      "the floor stays");
	CHECK(tiers_standby_start(&ts, &pp, &pr, &mi, 0) == 0 &&
		      !tiers_busy(&ts) && ts.t[0].standby_slot ==
						 ts.t[0].f[0].slot,
	      "the floor is tier 1's file, nothing made");
	pp.standby = STANDBY_NONE;
	CHECK(tiers_shrink(&ts, &pp, &mi, 0, &size_b) == FSM_PENDING,
	      "standby=none: the last goes too");
	tiers_settle(&pp, &pr, &d);
	CHECK(ts.t[0].n == 0 && ts.t[1].n == 0, "both tiers empty");
	/* standby=active with tier 1 full: the floor file goes to tier 2. */
	w.dev_avail_b[1] = 0;
	pp.standby = STANDBY_ACTIVE;
	CHECK(tiers_standby_start(&ts, &pp, &pr, &mi, 0) == 0 &&
		      tiers_busy(&ts) && pool_busy(&ts.t[1]),
	      "standby made in tier 2");
	tiers_settle(&pp, &pr, &d);
	CHECK(ts.t[1].n == 1 && ts.t[1].standby_slot == ts.t[1].f[0].slot,
	      "tier 2's standby file is the floor");
	/* standby=small waits for its spare while a file is on. */
	pp.standby = STANDBY_SMALL;
	CHECK(tiers_standby_start(&ts, &pp, &pr, &mi, 0) == 0 &&
		      !tiers_busy(&ts),
	      "small: no spare while a file is on");
	pp.standby = STANDBY_NONE;
	CHECK(tiers_shrink(&ts, &pp, &mi, 0, &size_b) == FSM_PENDING,
	      "standby=none: tier 2's file goes");
	tiers_settle(&pp, &pr, &d);
	/* No room anywhere: the standby says so, nothing started. */
	pp.standby = STANDBY_SMALL;
	w.dev_avail_b[2] = 0;
	CHECK(ts.t[1].n == 0 && tiers_standby_start(&ts, &pp, &pr, &mi, 0) == -ENOSPC &&
		      !tiers_busy(&ts),
	      "no room for the spare anywhere");
	tiers_unfake();
}

/* The local tier full and the NFS tier away: the grow waits for the
 * NFS tier (no diet), unless its deferred open failed. */
static void test_wait_set(void)
{
	struct tier_prio pr = {-1, false, 0, 0};
	struct pool_params pp = params_pool(&cfg);
	struct meminfo mi;
	uint64_t size_b;

	tiers_fake();
	f_meminfo(&mi);
	w.dev_avail_b[1] = 0;
	ts.t[1].reach.guarded = true;
	ts.t[1].reach.r.up = false;
	CHECK(tiers_grow(&ts, &pp, &pr, &mi, 0, &size_b) == FSM_WAIT &&
		      !tiers_busy(&ts) && ts.t[0].c.fail_no_room == 0,
	      "local full, NFS away: wait");
	CHECK(tiers_grow(&ts, &pp, &pr, &mi, 0, &size_b) == FSM_WAIT,
	      "asked again: still wait");
	ts.t[1].reach.failed = true;
	CHECK(tiers_grow(&ts, &pp, &pr, &mi, 0, &size_b) == FSM_NO_ROOM &&
		      !tiers_busy(&ts),
	      "NFS's open failed: the local tier's no room");
	ts.t[1].reach.failed = false;
	ts.t[1].reach.guarded = false;
	tiers_unfake();
}

/* The forecast's making time over the set: the slowest tier's, where a
 * network tier's is never under POLICY_NET_MAKE_MS. */
static void test_lead_make(void)
{
	tiers_fake();
	ts.t[0].make_ms = ts.t[0].slow_make_ms = 11;
	ts.t[1].make_ms = ts.t[1].slow_make_ms = 82;
	ts.t[1].n = 1;
	ts.t[1].f[0] = (struct pool_file){.slot = 3, .active = true,
					  .size_b = 283 * MB};
	CHECK_EQ_U(tiers_lead_make_ms(&ts), 82,
		   "NFS file holds no pages: its last make");
	ts.t[1].f[0].used_kb = 4;
	CHECK_EQ_U(tiers_lead_make_ms(&ts), POLICY_NET_MAKE_MS,
		   "swapping to NFS, made while calm: the network floor");
	ts.t[1].make_ms = 72;
	ts.t[1].slow_make_ms = 40000;
	CHECK_EQ_U(tiers_lead_make_ms(&ts), 40000,
		   "NFS once slow while swapping out: its slowest");
	ts.n = 1;
	ts.t[0].slow_make_ms = 900;
	CHECK_EQ_U(tiers_lead_make_ms(&ts), 11, "local alone: its last");
	ts.n = 2;
	ts.t[1].n = 0;
	/* The file a grow would add: the largest made or held. */
	CHECK_EQ_U(tiers_file_b(&ts), 0, "nothing made or held");
	ts.t[0].make_b = 64 * MB;
	ts.t[1].n = 1;
	ts.t[1].f[0] = (struct pool_file){.slot = 3, .size_b = 283 * MB};
	CHECK_EQ_U(tiers_file_b(&ts), 283 * MB, "the standby held on NFS");
	ts.t[1].n = 0;
	CHECK_EQ_U(tiers_file_b(&ts), 64 * MB, "the last made");
	tiers_unfake();
}

static void test_view(void)
{
	struct tiers_view v;
	int making, retiring;

	tiers_fake();
	ts.t[1].n = 1;
	ts.t[1].f[0] = (struct pool_file){.slot = 3, .active = true,
					  .size_b = 64 * MB};
	strcpy(ts.t[1].dir.canon, "/nfs/h");
	tiers_view(&ts, &v);
	CHECK(v.n == 2 && v.t[1].n == 1 && v.net[1] && !v.net[0] &&
		      strcmp(v.t[1].dir, "/nfs/h") == 0,
	      "each tier's view");
	ts.t[1].lane[LANE_GROW].kind = JOB_MAKE;
	ts.t[1].lane[LANE_GROW].slot = 4;
	tiers_lane_slots(&ts, &making, &retiring);
	CHECK(making == 100004 && retiring == 0, "tier 2's making: %d",
	      making);
	ts.t[1].lane[LANE_GROW].slot = 0;
	CHECK(tiers_free_b(&ts) == 64 * MB, "free over the tiers");
	tiers_unfake();
}

int main(void)
{
	pool_tests_begin();
	test_choose();
	test_priority();
	test_set();
	test_lead_make();
	test_wait_set();
	test_view();
	T_END();
}
