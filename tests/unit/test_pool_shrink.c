/* pool_shrink.c: the SHRINK choice (pool_shrink_choose), pure, over
 * the files of several tiers given in order: the least used goes, a
 * leftover first, standby=small's spare kept, the standby floor and the
 * reservations counted over all, never a busy file or the resume
 * target, none whose pages do not fit in RAM.  pool_shrink itself, over
 * the fake world, is test_pool's. */
#include "pool.h"
#include "t.h"

#include <string.h>

#define MB (1024ull * 1024)

/* Memory as a shrink sees it: plenty free, RAM for any swapoff. */
static struct shrink_in calm_in(enum standby_policy sb)
{
	struct shrink_in in = {0};

	in.standby = sb;
	in.freetarget_pct = 30;
	in.free_kb = 900 * 1024;
	in.total_kb = 1000 * 1024;
	in.ram_avail_kb = 900 * 1024;
	in.mem_total_kb = 1000 * 1024;
	return in;
}

static void test_shrink_choose(void)
{
	/* Tier 1's files first, then tier 2's: the order they are given. */
	struct shrink_file f[4] = {
		{64 * MB, 500, true, false, false, 0}, /* tier 1 */
		{64 * MB, 900, true, false, false, 0}, /* tier 1 */
		{64 * MB, 100, true, false, false, 0}, /* tier 2: least used */
		{64 * MB, 300, true, false, false, 0}, /* tier 2 */
	};
	struct shrink_in in = calm_in(STANDBY_NONE);
	struct shrink_out so;

	CHECK(pool_shrink_choose(&in, f, 4, &so) == 2 && !so.del,
	      "least used across tiers: %d", so.pick);
	f[2].busy = true;
	CHECK(pool_shrink_choose(&in, f, 4, &so) == 3,
	      "a busy one is skipped: %d", so.pick);
	f[2].busy = false;
	f[2].resume = true;
	CHECK(pool_shrink_choose(&in, f, 4, &so) == 3,
	      "the resume target is never taken: %d", so.pick);
	f[2].resume = false;
	/* An inactive leftover in the second tier goes first. */
	f[3].active = false;
	CHECK(pool_shrink_choose(&in, f, 4, &so) == 3 && so.del,
	      "leftover first: %d del %d", so.pick, so.del);
	/* standby=small keeps the first spare of them all. */
	f[0].active = false;
	in = calm_in(STANDBY_SMALL);
	CHECK(pool_shrink_choose(&in, f, 4, &so) == 3 && so.del,
	      "small: the first tier's spare stays, the other goes: %d",
	      so.pick);
	f[0].active = f[3].active = true;
	/* standby=active: the floor counts every tier's files. */
	in = calm_in(STANDBY_ACTIVE);
	CHECK(pool_shrink_choose(&in, f + 2, 1, &so) == -1,
	      "one file on: the floor stays");
	CHECK(pool_shrink_choose(&in, f + 1, 2, &so) == 1,
	      "a file in each tier: one may go (%d)", so.pick);
	/* Reservations hold free swap over all tiers: 4 x 64 MiB, almost
	 * nothing used; keeping 200 MiB free lets one go, 250 none. */
	in = calm_in(STANDBY_NONE);
	in.keep_free_b = 190 * MB;
	CHECK(pool_shrink_choose(&in, f, 4, &so) == 2 && so.held == 0,
	      "reserve met by the others: %d held %d", so.pick, so.held);
	in.keep_free_b = 250 * MB;
	CHECK(pool_shrink_choose(&in, f, 4, &so) == -1 && so.held == 4,
	      "reserve needs all: none, %d held", so.held);
	/* Memory: none may go when its pages do not fit in RAM. */
	in = calm_in(STANDBY_NONE);
	in.ram_avail_kb = 50;
	CHECK(pool_shrink_choose(&in, f, 4, &so) == -1 && so.candidates == 4,
	      "no RAM for the swapoff: none (%d)", so.pick);
}

/* A file an earlier shrink kept (off, for the next GROW) is not deleted
 * by a surplus shrink before its time; after it, or on a diet (keep_ms
 * 0), it goes first; it is never small's spare. */
static void test_shrink_kept(void)
{
	struct shrink_file f[3] = {
		{64 * MB, 100, true, false, false, 0},
		{64 * MB, 0, false, false, false, 5000}, /* kept until 5 s */
		{64 * MB, 300, true, false, false, 0},
	};
	struct shrink_in in = calm_in(STANDBY_NONE);
	struct shrink_out so;

	in.now_ms = 1000;
	in.keep_ms = 60000;
	CHECK(pool_shrink_choose(&in, f, 3, &so) == 0 && !so.del,
	      "kept in its time: an active file goes instead: %d", so.pick);
	in.now_ms = 5000;
	CHECK(pool_shrink_choose(&in, f, 3, &so) == 1 && so.del,
	      "its time is up: deleted: %d", so.pick);
	in.now_ms = 1000;
	in.keep_ms = 0;
	CHECK(pool_shrink_choose(&in, f, 3, &so) == 1 && so.del,
	      "a diet deletes it at once: %d", so.pick);
	/* small keeps a small spare, not a kept file. */
	in = calm_in(STANDBY_SMALL);
	in.now_ms = 6000;
	in.keep_ms = 60000;
	CHECK(pool_shrink_choose(&in, f, 3, &so) == 1 && so.del,
	      "small: a kept file past its time is no spare: %d", so.pick);
}

/* Which kept file's time is up (pool_expire deletes it). */
static void test_keep_expired(void)
{
	struct pool_file f[4] = {
		{.slot = 1, .active = true, .keep_until_ms = 0},
		{.slot = 2, .keep_until_ms = 9000},
		{.slot = 3, .keep_until_ms = 0},    /* a plain spare */
		{.slot = 4, .keep_until_ms = 4000, .resume_target = true},
	};

	CHECK(pool_keep_expired(f, 4, 8999) == -1, "not yet");
	CHECK(pool_keep_expired(f, 4, 9000) == 1, "at its time");
	f[1].active = true; /* turned on again meanwhile */
	CHECK(pool_keep_expired(f, 4, 20000) == -1,
	      "an active file, a spare, the resume target: never");
	CHECK(pool_keep_expired(f, 0, 20000) == -1, "no files");
	/* The loop's sleep: cut to the next kept file's time, never under
	 * a second, untouched with none kept. */
	f[1].active = false;
	CHECK(pool_keep_wait_ms(f, 4, 5000, 20000) == 4000,
	      "cut to slot 2's time in 4 s (never the resume target's): %lld",
	      (long long)pool_keep_wait_ms(f, 4, 5000, 20000));
	CHECK(pool_keep_wait_ms(f, 3, 8500, 20000) == 1000 &&
		      pool_keep_wait_ms(f, 3, 30000, 20000) == 1000,
	      "due or overdue: a second, not a spin");
	CHECK(pool_keep_wait_ms(f, 3, 5000, 2000) == 2000, "a shorter wait stays");
	CHECK(pool_keep_wait_ms(f, 1, 5000, 20000) == 20000 &&
		      pool_keep_wait_ms(f, 3, 5000, -1) == 4000,
	      "none kept: unchanged; no wait given: the kept file's");
}

int main(void)
{
	test_shrink_choose();
	test_shrink_kept();
	test_keep_expired();
	T_END();
}
