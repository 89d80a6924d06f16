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

/* The standby policies in the pool: active's file made and turned on
 * at the lowest priority while calm (no grow for the FSM) and kept as
 * the floor; small's spare sized from the last making time, and the next
 * full-size file started at once when it is taken. */
static void test_standby(void)
{
	struct pool p;
	struct meminfo mi;
	struct pool_done d;
	uint64_t size_b;

	/* active */
	world_reset();
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
	f_meminfo(&mi);
	cfg.standby = STANDBY_ACTIVE;
	cfg.priority = 7;
	CHECK(pool_standby_start(&p, POOL_PARAMS(&cfg), &mi, 0) == 0 &&
		      pool_busy(&p),
	      "active: the standby is being made");
	settle(&p, &d);
	CHECK(!d.grow && !d.spare_failed, "active: the standby is no grow");
	CHECK(slot(&p, 1) && slot(&p, 1)->active && w.active[1] &&
		      slot(&p, 1)->size_b == 64 * MB && p.standby_slot == 1,
	      "active: a swapsize file on, the floor");
	CHECK(w.last_prio == 0, "active: lowest priority of ours (0 < 7): %d",
	      w.last_prio);
	CHECK(p.c.grows == 0, "active: not counted as a grow");
	CHECK(pool_standby_start(&p, POOL_PARAMS(&cfg), &mi, 0) == 0 &&
		      !pool_busy(&p),
	      "active: one standby is enough");
	CHECK_EQ_U(pool_idle_held_b(p.f, p.n, p.standby_slot), 64 * MB,
		   "active: idle held = the standby");
	/* The floor: a surplus does not swap the last file off. */
	pool_refresh(&p, 0);
	mi.swap_total_kb = 64 * 1024;
	mi.swap_free_kb = 64 * 1024;
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_NOTHING &&
		      w.ndeactivated == 0,
	      "active: the floor is never shrunk");
	/* A grow adds a second file; then one of the two may go, and the
	 * floor passes to the one left. */
	CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "active: grow");
	settle(&p, &d);
	CHECK(d.grow && d.grow_out == FSM_OK && p.c.grows == 1 &&
		      w.last_prio == 7,
	      "active: a grow is a grow, at the configured priority");
	pool_refresh(&p, 0);
	w.used_kb[1] = 100; /* the standby holds pages: the new one goes */
	pool_refresh(&p, 0);
	mi.swap_total_kb = 128 * 1024;
	mi.swap_free_kb = 128 * 1024 - 100;
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "active: one of two may go");
	settle(&p, &d);
	CHECK(p.n == 1 && slot(&p, 1) && slot(&p, 1)->active,
	      "active: the standby stays");
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_NOTHING,
	      "active: and is the floor again");
	cfg.priority = -1;
	pool_unfake(&p);

	/* small */
	world_reset();
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
	f_meminfo(&mi);
	cfg.standby = STANDBY_SMALL;
	cfg.spare_max_b = 32 * MB;
	CHECK(pool_standby_start(&p, POOL_PARAMS(&cfg), &mi, 0) == 0,
	      "small: the spare is being made");
	settle(&p, &d);
	CHECK(slot(&p, 1) && !slot(&p, 1)->active && !d.grow &&
		      slot(&p, 1)->size_b == 32 * MB && p.spare_want_b == 32 * MB,
	      "small: nothing measured yet, the spare is spare_max");
	CHECK_EQ_U(pool_idle_held_b(p.f, p.n, p.standby_slot), 32 * MB,
		   "small: idle held = the spare");
	CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING &&
		      size_b == 32 * MB,
	      "small: a grow takes the spare");
	settle(&p, &d);
	CHECK(d.grow && d.grow_out == FSM_OK && slot(&p, 1)->active,
	      "small: the spare is on");
	CHECK(p.n == 2 && slot(&p, 2) && slot(&p, 2)->active &&
		      slot(&p, 2)->size_b == 64 * MB,
	      "small: the next full-size file was started at once and is on "
	      "(n=%d)", p.n);
	/* While files are on, no new spare: swap is there. */
	CHECK(pool_standby_start(&p, POOL_PARAMS(&cfg), &mi, 0) == 0 &&
		      !pool_busy(&p),
	      "small: no spare while a file is on");
	/* Both turned off and deleted (keep_ms 0): now a spare. */
	pool_refresh(&p, 0);
	mi.swap_total_kb = 96 * 1024;
	mi.swap_free_kb = 96 * 1024;
	pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b);
	settle(&p, &d);
	pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b);
	settle(&p, &d);
	CHECK(p.n == 0, "small: both files gone (%d left)", p.n);
	/* A measured making: 32 MiB in 1 ms -> 64 MiB in 2 ms; 2 x 2 ms
	 * at spike_rate 1 GiB/s. */
	p.make_ms = 1;
	p.make_b = 32 * MB;
	CHECK(pool_standby_start(&p, POOL_PARAMS(&cfg), &mi, 0) == 0,
	      "small: a new spare once calm");
	settle(&p, &d);
	CHECK(slot(&p, 1) && !slot(&p, 1)->active &&
		      slot(&p, 1)->size_b == 4 * GIB / 1000 / 4096 * 4096,
	      "small: sized from the measured making, %llu",
	      slot(&p, 1) ? (unsigned long long)slot(&p, 1)->size_b : 0ull);
	/* A shrink keeps that one spare; an extra leftover goes. */
	w.exists[9] = w.valid[9] = true;
	w.size_b[9] = 64 * MB;
	p.f[p.n++] = (struct pool_file){.slot = 9, .size_b = 64 * MB};
	pool_refresh(&p, 0);
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "small: the extra leftover goes");
	settle(&p, &d);
	CHECK(!slot(&p, 9) && slot(&p, 1), "small: the spare stays");
	pool_unfake(&p);

	/* none: a leftover spare is deleted on a surplus. */
	world_reset();
	w.exists[4] = w.valid[4] = true;
	w.size_b[4] = 64 * MB;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
	cfg.standby = STANDBY_NONE;
	CHECK(pool_standby_start(&p, POOL_PARAMS(&cfg), &mi, 0) == 0 &&
		      !pool_busy(&p),
	      "none: nothing made");
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "none: the leftover goes");
	settle(&p, &d);
	CHECK(p.n == 0 && !w.exists[4], "none: nothing held");
	cfg.spare_max_b = 64 * MB;
	pool_unfake(&p);
}

/* A GROW's spare: the largest inactive file not busy (a full-size file
 * kept by a shrink before small's spare), the first of equals. */
static void test_pick_spare(void)
{
	struct pool_file f[4] = {
		{.slot = 1, .size_b = 64 * MB},   /* small's spare */
		{.slot = 2, .active = true, .size_b = 900 * MB},
		{.slot = 3, .size_b = 411 * MB, .keep_until_ms = 60000},
		{.slot = 4, .size_b = 411 * MB},
	};
	bool busy[4] = {false, false, false, false};

	CHECK(pool_pick_spare(f, 4, busy) == 2,
	      "the kept full-size file, not the small spare: %d",
	      pool_pick_spare(f, 4, busy));
	busy[2] = true;
	CHECK(pool_pick_spare(f, 4, busy) == 3, "not a busy one");
	busy[3] = true;
	CHECK(pool_pick_spare(f, 4, busy) == 0, "the small one when alone");
	busy[0] = true;
	CHECK(pool_pick_spare(f, 4, busy) == -1, "never an active one");
	CHECK(pool_pick_spare(f, 0, busy) == -1, "no files");
}

/* standby=active at start with a valid leftover of about swapsize:
 * it becomes the floor (one swapon, lowest priority, no grow), no file
 * is made; a leftover of another size stays a spare and a file is made.
 * pool_floor_spare's choice, pure: nearest within an eighth. */
static void test_floor_spare(void)
{
	struct pool_file f[4] = {
		{.slot = 1, .active = true, .size_b = 64 * MB},
		{.slot = 2, .size_b = 48 * MB},  /* a quarter off: no */
		{.slot = 3, .size_b = 60 * MB},  /* within an eighth */
		{.slot = 4, .size_b = 63 * MB},  /* nearer */
	};
	bool busy[4] = {false, false, false, false};
	struct pool p;
	struct meminfo mi;
	struct pool_done d;

	CHECK(pool_floor_spare(f, 4, busy, 64 * MB) == 3,
	      "the nearest spare: %d", pool_floor_spare(f, 4, busy, 64 * MB));
	busy[3] = true;
	CHECK(pool_floor_spare(f, 4, busy, 64 * MB) == 2, "not a busy one");
	f[2].resume_target = true;
	CHECK(pool_floor_spare(f, 4, busy, 64 * MB) == -1,
	      "never the resume target, never an active or far one");
	CHECK(pool_floor_spare(f, 1, busy, 64 * MB) == -1, "none inactive");
	CHECK(pool_floor_spare(f, 0, busy, 64 * MB) == -1, "no files");

	world_reset();
	world_file(2, 64 * MB, false, 0);
	pool_adopted(&p);
	f_meminfo(&mi);
	cfg.standby = STANDBY_ACTIVE;
	cfg.priority = 7;
	CHECK(pool_standby_start(&p, POOL_PARAMS(&cfg), &mi, 0) == 0 &&
		      p.lane[LANE_GROW].kind == JOB_ON,
	      "active: the leftover is turned on, not a file made");
	settle(&p, &d);
	CHECK(!d.grow && !d.spare_failed && p.c.grows == 0,
	      "active: the reused standby is no grow");
	CHECK(p.n == 1 && slot(&p, 2) && slot(&p, 2)->active && w.active[2] &&
		      p.standby_slot == 2 && w.last_prio == 0,
	      "active: the leftover is the floor, at the lowest priority");
	CHECK(!w.exists[1], "active: no file made");
	pool_unfake(&p);

	/* Half the size: not the floor; a file of swapsize is made. */
	world_reset();
	world_file(2, 32 * MB, false, 0);
	pool_adopted(&p);
	CHECK(pool_standby_start(&p, POOL_PARAMS(&cfg), &mi, 0) == 0 &&
		      p.lane[LANE_GROW].kind == JOB_MAKE,
	      "active: a leftover of another size is not the floor");
	settle(&p, &d);
	CHECK(p.n == 2 && slot(&p, 1) && slot(&p, 1)->active &&
		      p.standby_slot == 1 && slot(&p, 2) && !slot(&p, 2)->active,
	      "active: a new floor; the leftover stays a spare");
	pool_unfake(&p);

	/* A leftover that fails its check now (tampered since start): not
	 * turned on, deleted; the next calm tick makes the floor. */
	world_reset();
	world_file(2, 64 * MB, false, 0);
	pool_adopted(&p);
	w.valid[2] = false;
	CHECK(pool_standby_start(&p, POOL_PARAMS(&cfg), &mi, 0) == 0,
	      "active: the leftover is tried");
	settle(&p, &d);
	CHECK(!w.active[2] && !w.exists[2] && p.n == 0 && !d.grow,
	      "active: a spare that fails its check is never turned on");
	cfg.priority = -1;
	cfg.standby = STANDBY_NONE;
	pool_unfake(&p);
}

/* Idle held: inactive files and the standby, not the other active ones. */
static void test_idle_held(void)
{
	struct pool_file f[3] = {
		{.slot = 1, .active = true, .size_b = 100},
		{.slot = 2, .active = true, .size_b = 20},
		{.slot = 3, .active = false, .size_b = 3},
	};

	CHECK_EQ_U(pool_idle_held_b(f, 3, 0), 3, "no standby: the spare");
	CHECK_EQ_U(pool_idle_held_b(f, 3, 2), 23, "standby 2 and the spare");
	CHECK_EQ_U(pool_idle_held_b(f, 3, 3), 3, "standby counted once");
	CHECK_EQ_U(pool_idle_held_b(f, 0, 1), 0, "no files");
}

int main(void)
{
	pool_tests_begin();
	test_resume_target();
	test_names();
	test_spare_errors();
	test_shrink();
	test_slots();
	test_standby();
	test_pick_spare();
	test_floor_spare();
	test_idle_held();
	T_END();
}
