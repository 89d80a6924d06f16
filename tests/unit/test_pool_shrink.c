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
		{64 * MB, 500, true, false, false}, /* tier 1 */
		{64 * MB, 900, true, false, false}, /* tier 1 */
		{64 * MB, 100, true, false, false}, /* tier 2: least used */
		{64 * MB, 300, true, false, false}, /* tier 2 */
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

int main(void)
{
	test_shrink_choose();
	T_END();
}
