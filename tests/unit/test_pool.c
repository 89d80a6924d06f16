/* The pool's bookkeeping with its system calls faked (struct pool_sys):
 * slot names, adoption decisions, which file goes, what a failed swapon
 * or delete leaves, the erase at exit, and the workers' stack size. */
#include "config.h"
#include "log.h"
#include "params.h"
#include "pool.h"
#include "t.h"
#include "t_pool.h"

#include <pthread.h>
#include <stdlib.h>

/* File 1 active, file 2 an inactive spare, both adopted. */
static void pool_with_spare(struct pool *p)
{
	world_reset();
	world_file(1, 64 * MB, true, 0);
	world_file(2, 64 * MB, false, 0);
	pool_adopted(p);
}

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

static void test_grow_ends_swapoff(void)
{
	struct pool p;
	struct meminfo mi;
	struct pool_done d;
	uint64_t size_b;
	int i;

	/* A shortage while a swapoff runs: the swapoff is ended (the
	 * kernel would hold the new file's swapon until it ends), its file
	 * stays active and counted, and the grow goes on. */
	world_reset();
	world_file(1, 64 * MB, true, 10);
	pool_adopted(&p);
	f_meminfo(&mi);
	mi.swap_total_kb = 64 * 1024;
	mi.swap_free_kb = 64 * 1024 - 10;
	w.deactivate_slow = true;
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "shrink starts");
	for (i = 0; i < 500 && !__atomic_load_n(&p.lane[LANE_SHRINK].child,
						 __ATOMIC_ACQUIRE);
	     i++)
		poll(NULL, 0, 10);
	CHECK(p.lane[LANE_SHRINK].child > 0, "the swapoff child runs");
	CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "a shortage grows");
	CHECK(__atomic_load_n(&p.lane[LANE_SHRINK].cancel, __ATOMIC_ACQUIRE),
	      "the grow ended the swapoff");
	settle(&p, &d);
	i = __atomic_load_n(&p.lane[LANE_SHRINK].child, __ATOMIC_ACQUIRE);
	CHECK(i == 0, "the swapoff child is gone");
	if (i > 0) { /* leave no child behind when this fails */
		struct pool_done more;

		kill(i, SIGKILL);
		settle(&p, &more);
	}
	CHECK(d.shrink && d.shrink_out == FSM_FAILED && slot(&p, 1) &&
		      slot(&p, 1)->active && p.c.fail_swapoff == 1 &&
		      p.c.shrinks == 0,
	      "the swapoff was ended: its file stays active and counted");
	CHECK(d.grow && d.grow_out == FSM_OK && slot(&p, 2) &&
		      slot(&p, 2)->active,
	      "the new file is on");
	w.deactivate_slow = false;
	CHECK(!pool_swapoff_abort(&p), "no swapoff: nothing to end");
	pool_unfake(&p);
}

static void test_erase(void)
{
	struct pool p;
	int left;

	/* Three active files; the middle one's pages do not fit in RAM.
	 * Each swapoff is judged on a fresh reading and on its own file. */
	world_reset();
	w.mem_avail_kb = 900 * 1024;
	world_file(1, 1024 * MB, true, 100 * 1024);
	world_file(2, 1024 * MB, true, 850 * 1024); /* > what 1, 3 leave */
	world_file(3, 1024 * MB, true, 100 * 1024);
	pool_adopted(&p);
	left = pool_erase(&p, POOL_PARAMS(&cfg));
	CHECK(left == 1, "one file stays: %d", left);
	CHECK(w.active[2] && w.exists[2], "the file that does not fit stays");
	CHECK(!w.active[1] && !w.exists[1] && !w.active[3] && !w.exists[3],
	      "the files that fit are gone");
	CHECK(p.n == 1 && p.f[0].slot == 2, "books: only 2 left");
	pool_unfake(&p);

	/* Reversed order in the table: the same answer. */
	world_reset();
	w.mem_avail_kb = 900 * 1024;
	world_file(1, 1024 * MB, true, 850 * 1024);
	world_file(2, 1024 * MB, true, 100 * 1024);
	world_file(3, 1024 * MB, true, 100 * 1024);
	pool_adopted(&p);
	left = pool_erase(&p, POOL_PARAMS(&cfg));
	CHECK(left == 1 && w.active[1] && !w.exists[2] && !w.exists[3],
	      "first file too big: only it stays (left %d)", left);
	pool_unfake(&p);
}

/* A delete that fails leaves the file on disk: it must stay in the
 * books (as an inactive file), whichever path tried the delete. */
static void test_failed_unlink(void)
{
	struct pool p;
	struct meminfo mi;
	struct pool_done d;
	uint64_t size_b;
	int left;

	f_meminfo(&mi);
	/* An extra spare (JOB_DELETE) that cannot be deleted. */
	world_reset();
	world_file(1, 64 * MB, true, 0);
	world_file(2, 64 * MB, false, 0);
	world_file(3, 64 * MB, false, 0);
	pool_adopted(&p);
	w.remove_rc = -EIO;
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "an extra spare goes first");
	settle(&p, &d);
	CHECK(d.shrink && d.shrink_out == FSM_FAILED,
	      "failed delete of an extra spare: FSM_FAILED (%d)",
	      (int)d.shrink_out);
	CHECK(p.n == 3 && slot(&p, 2) && slot(&p, 3) && p.c.shrinks == 0 &&
		      w.exists[2] && w.exists[3],
	      "failed delete of an extra spare: both spares stay (n=%d)",
	      p.n);
	pool_unfake(&p);

	/* A spare the kernel refuses (EINVAL) that cannot be deleted: it
	 * stays in the books, and no other file is made in its place. */
	pool_with_spare(&p);
	w.activate_rc = -EINVAL;
	w.remove_rc = -EIO;
	CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "grow with a bad spare");
	settle(&p, &d);
	CHECK(d.grow && d.grow_out == FSM_FAILED,
	      "bad spare not deleted: FSM_FAILED (%d)", (int)d.grow_out);
	CHECK(slot(&p, 2) && !slot(&p, 2)->active && w.exists[2] &&
		      p.n == 2 && !w.exists[3],
	      "bad spare not deleted: kept in the books, nothing made "
	      "(n=%d)", p.n);
	w.activate_rc = 0;
	pool_unfake(&p);

	/* At exit: an inactive file and an active one (swapped off) whose
	 * deletes fail both stay, counted as staying. */
	pool_with_spare(&p);
	w.remove_rc = -EIO;
	left = pool_erase(&p, POOL_PARAMS(&cfg));
	CHECK(left == 2, "erase, deletes failing: both stay (%d)", left);
	CHECK(p.n == 2 && slot(&p, 1) && !slot(&p, 1)->active &&
		      slot(&p, 2) && w.exists[1] && w.exists[2],
	      "erase, deletes failing: both in the books, 1 off (n=%d)",
	      p.n);
	w.remove_rc = 0;
	pool_unfake(&p);
}

/* The worker's stack: never under the C library's minimum (128 KiB on
 * arm64 and ppc64 glibc, above our 64 KiB), and a size this C library
 * takes. */
static void test_worker_stack(void)
{
	pthread_attr_t attr;
	size_t got = 0, want = pool_worker_stack_b(sysconf(_SC_THREAD_STACK_MIN));

	CHECK_EQ_U(pool_worker_stack_b(16384), 64 * KB, "x86-64 minimum");
	CHECK_EQ_U(pool_worker_stack_b(64 * 1024), 64 * KB, "equal minimum");
	CHECK_EQ_U(pool_worker_stack_b(131072), 128 * KB, "arm64 minimum");
	CHECK_EQ_U(pool_worker_stack_b(1 << 20), 1 * MB, "a large minimum");
	CHECK(pool_worker_stack_b(-1) >= 64 * KB &&
		      pool_worker_stack_b(0) >= 64 * KB,
	      "unknown minimum: at least ours");
	CHECK(pthread_attr_init(&attr) == 0, "pthread_attr_init");
	CHECK(pthread_attr_setstacksize(&attr, want) == 0,
	      "this C library takes %zu bytes", want);
	CHECK(pthread_attr_getstacksize(&attr, &got) == 0 && got == want,
	      "stack size set: %zu, want %zu", got, want);
	pthread_attr_destroy(&attr);
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
	log_init(false, -1);
	config_defaults(&cfg);
	cfg.swapsize_auto = false;
	cfg.swapsize_b = 64 * MB;
	test_names();
	test_adopt();
	test_spare_errors();
	test_shrink();
	test_grow_ends_swapoff();
	test_erase();
	test_slots();
	test_failed_unlink();
	test_worker_stack();
	T_END();
}
