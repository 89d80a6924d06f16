/* pool_adopt.c over the fake world (t_pool.h): what is in the directory
 * at start: active files adopted with their use, valid leftovers kept,
 * invalid ones deleted, foreign names left alone; with /proc/swaps
 * unreadable nothing is deleted, and a hidden active file is adopted
 * when its swapon says EBUSY. */
#include "config.h"
#include "log.h"
#include "params.h"
#include "pool.h"
#include "t.h"
#include "t_pool.h"

static void test_adopt(void)
{
	struct pool p;

	world_reset();
	/* 1 active, 2 valid inactive, 3 invalid, "junk" foreign. */
	world_file(1, 64 * MB, true, 123);
	world_file(2, 64 * MB, false, 0);
	w.exists[3] = true;
	strcpy(w.foreign[w.nforeign++], "junk");
	pool_adopted(&p);
	CHECK(p.n == 2, "adopted + kept: %d files", p.n);
	CHECK(slot(&p, 1) && slot(&p, 1)->active &&
		      slot(&p, 1)->used_kb == 123,
	      "active file adopted with its use");
	CHECK(slot(&p, 2) && !slot(&p, 2)->active, "valid leftover kept");
	CHECK(!w.exists[3] && p.c.leftovers_deleted == 1,
	      "invalid leftover deleted");
	CHECK(f_exists(NULL, "junk"), "foreign name left alone");
	pool_unfake(&p);

	/* /proc/swaps unreadable: nothing is deleted, valid files kept. */
	world_reset();
	w.swaps_rc = -EIO;
	world_file(1, 64 * MB, true, 0);
	w.exists[3] = true;
	pool_adopted(&p);
	CHECK(w.exists[3], "unreadable /proc/swaps: invalid file not deleted");
	CHECK(slot(&p, 1) && !slot(&p, 1)->active,
	      "unreadable /proc/swaps: our active file kept (as spare)");
	/* Its swapon then says EBUSY: adopted, and a new file is made. */
	w.swaps_rc = 0;
	{
		struct meminfo mi;
		struct pool_done d;
		uint64_t size_b;

		f_meminfo(&mi);
		CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
		      "grow on the hidden active file");
		settle(&p, &d);
		CHECK(slot(&p, 1) && slot(&p, 1)->active,
		      "EBUSY: the file is adopted, not forgotten");
		CHECK(w.exists[1], "EBUSY: the file is not deleted");
		CHECK(p.n == 2 && d.grow && d.grow_out == FSM_OK,
		      "EBUSY: another file grows: n=%d out=%d", p.n,
		      (int)d.grow_out);
	}
	pool_unfake(&p);
}

int main(void)
{
	pool_tests_begin();
	test_adopt();
	T_END();
}
