/* pool.c's bookkeeping over the fake world (t_pool.h): slot names, the
 * next slot past a foreign name, what a failed swapon of a spare leaves,
 * and which file a shrink takes.  Adoption, the collect/erase side and
 * the worker lanes have test_pool_adopt, test_pool_collect and
 * test_pool_jobs. */
#include "config.h"
#include "log.h"
#include "params.h"
#include "pool.h"
#include "t.h"
#include "t_pool.h"

#include <stdlib.h>

static void test_names(void)
{
	static const struct {
		const char *name;
		int slot;
	} rows[] = {
		{"1", 1},     {"42", 42},   {"99999", 99999}, {"0", -1},
		{"01", -1},   {"-1", -1},   {"+1", -1},       {"1a", -1},
		{"", -1},     {"100000", -1}, {" 1", -1},     {".1", -1},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		CHECK(pool_slot_of_name(rows[i].name) == rows[i].slot,
		      "slot of \"%s\": %d", rows[i].name,
		      pool_slot_of_name(rows[i].name));
	CHECK(pool_slot_of_path("/gm", "/gm/3") == 3, "path in dir");
	CHECK(pool_slot_of_path("/gm", "/gmx/3") == -1, "sibling dir");
	CHECK(pool_slot_of_path("/gm", "/gm/sub/3") == -1, "subdirectory");
	CHECK(pool_slot_of_path("/gm", "/gm") == -1, "the dir itself");
}

static void test_spare_errors(void)
{
	struct pool p;
	struct meminfo mi;
	struct pool_done d;
	uint64_t size_b;

	f_meminfo(&mi);
	/* The kernel's table is full (EPERM with files on): the spare
	 * stays, no file is made. */
	pool_with_spare(&p);
	w.activate_rc = -EPERM;
	CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "grow with spare");
	settle(&p, &d);
	CHECK(d.grow && d.grow_out == FSM_NO_ROOM,
	      "table full is no room: %d", (int)d.grow_out);
	CHECK(w.exists[2] && slot(&p, 2) && !w.exists[3] && p.n == 2,
	      "table full: spare kept, no new file (n=%d)", p.n);
	/* EINVAL: the kernel refuses the file: only then it goes, and a
	 * new one is made and turned on. */
	w.activate_rc = -EINVAL;
	CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "grow with bad spare");
	settle(&p, &d);
	CHECK(!slot(&p, 2) && !w.exists[2], "bad spare deleted");
	w.activate_rc = 0;
	pool_unfake(&p);
}

static void test_shrink(void)
{
	struct pool p;
	struct meminfo mi;
	struct pool_done d;
	uint64_t size_b;

	/* The least-used active file goes; a failed swapoff keeps it
	 * active and counted. */
	world_reset();
	world_file(1, 64 * MB, true, 5000);
	world_file(2, 64 * MB, true, 10);
	pool_adopted(&p);
	f_meminfo(&mi);
	mi.swap_total_kb = 128 * 1024;
	mi.swap_free_kb = 128 * 1024 - 5010;
	w.deactivate_rc = -EINTR;
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "shrink starts");
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_NOTHING,
	      "one swapoff at a time");
	settle(&p, &d);
	CHECK(d.shrink && d.shrink_out == FSM_FAILED &&
		      slot(&p, 2) && slot(&p, 2)->active && p.n == 2 &&
		      p.c.fail_swapoff == 1,
	      "interrupted swapoff: the file stays active and counted");
	w.deactivate_rc = 0;
	w.remove_rc = -EIO;
	pool_refresh(&p, 0);
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "shrink again");
	settle(&p, &d);
	CHECK(w.ndeactivated == 1 && w.deactivated[0] == 2,
	      "least used goes first: %d", w.deactivated[0]);
	CHECK(slot(&p, 2) && !slot(&p, 2)->active && p.n == 2,
	      "failed delete: the file stays in the books");
	w.remove_rc = 0;
	pool_unfake(&p);
}

/* The hibernation resume target: adopted and counted, but never
 * chosen for a shrink, never erased; an inactive one (it may hold an
 * image, so no swap signature) is neither kept nor deleted, nor is a
 * leftover with an image in it. */
static void test_resume_target(void)
{
	struct pool p;
	struct meminfo mi;
	struct pool_done d;
	uint64_t size_b;
	int left;

	world_reset();
	world_file(1, 64 * MB, true, 100);
	world_file(2, 64 * MB, true, 0); /* the least used: it would go */
	w.resume[2] = true;
	w.exists[3] = true; /* inactive, no valid header: an image */
	w.resume[3] = true;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
	CHECK(p.n == 2 && slot(&p, 2) && slot(&p, 2)->resume_target &&
		      !slot(&p, 1)->resume_target,
	      "adopted, the target marked");
	CHECK(w.exists[3] && !slot(&p, 3) && w.removed == 0,
	      "inactive target left alone");
	pool_unfake(&p);
	w.resume[3] = false;
	w.image[3] = true;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
	CHECK(w.exists[3] && !slot(&p, 3) && w.removed == 0,
	      "leftover with an image left alone");
	f_meminfo(&mi);
	mi.swap_total_kb = 128 * 1024;
	mi.swap_free_kb = 128 * 1024 - 100;
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "a shrink starts");
	settle(&p, &d);
	CHECK(w.ndeactivated == 1 && w.deactivated[0] == 1,
	      "the other file went, not the target (%d)", w.deactivated[0]);
	pool_refresh(&p, 0);
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) ==
		      FSM_NOTHING,
	      "nothing else may go");
	left = pool_erase(&p, POOL_PARAMS(&cfg));
	CHECK(left == 1 && w.active[2] && w.exists[2] && w.exists[3],
	      "erase leaves the target (left %d)", left);
	pool_unfake(&p);
}

static void test_slots(void)
{
	struct pool p;
	struct meminfo mi;
	struct pool_done d;
	uint64_t size_b;

	/* A foreign name at the next slot is skipped. */
	world_reset();
	world_file(1, 64 * MB, true, 0);
	strcpy(w.foreign[w.nforeign++], "2");
	pool_adopted(&p);
	f_meminfo(&mi);
	CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING, "grow");
	settle(&p, &d);
	CHECK(slot(&p, 3) && slot(&p, 3)->active && d.grow_out == FSM_OK,
	      "new file at slot 3, past the foreign 2");
	pool_unfake(&p);
}

int main(void)
{
	pool_tests_begin();
	test_resume_target();
	test_names();
	test_spare_errors();
	test_shrink();
	test_slots();
	T_END();
}
