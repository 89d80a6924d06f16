/* pool_collect.c over the fake world (t_pool.h): what the lanes
 * finished, taken into the books (a delete that fails keeps the file in
 * them), a grow that ends a running swapoff (its file stays active and
 * counted), and the erase at exit, judged file by file on a fresh
 * reading. */
#include "config.h"
#include "log.h"
#include "params.h"
#include "pool.h"
#include "t.h"
#include "t_pool.h"

#include <signal.h>

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

/* Two 64 MiB files on, 1 unused, 2 a little used, adopted. */
static void two_on(struct pool *p)
{
	world_reset();
	world_file(1, 64 * MB, true, 0);
	world_file(2, 64 * MB, true, 10);
	pool_adopted(p);
}

/* A surplus shrink with keep_ms: the file is turned off and kept (off,
 * on disk, not deleted); a GROW in its time turns it on again (no file
 * made); pool_expire deletes it when its time is up; a kept file that
 * fails its check is never turned on; a diet deletes it at once. */
static void test_keep(void)
{
	struct pool_params pp;
	struct pool p;
	struct meminfo mi;
	struct pool_done d;
	uint64_t size_b;
	int off;

	two_on(&p);
	f_meminfo(&mi);
	mi.swap_total_kb = 128 * 1024;
	mi.swap_free_kb = 128 * 1024 - 10;
	pp = *POOL_PARAMS(&cfg);
	pp.keep_ms = 60000;
	CHECK(pool_shrink(&p, &pp, &mi, 0, &size_b) == FSM_PENDING,
	      "keep: a shrink starts");
	settle(&p, &d); /* collected at 1000 */
	off = w.ndeactivated == 1 ? w.deactivated[0] : 0;
	CHECK(d.shrink && d.shrink_out == FSM_OK && off == 1 &&
		      w.exists[1] && w.removed == 0 && p.c.shrinks == 1,
	      "keep: the least used is off and still on disk (off %d)", off);
	CHECK(p.n == 2 && slot(&p, 1) && !slot(&p, 1)->active &&
		      slot(&p, 1)->keep_until_ms == 61000,
	      "keep: in the books, kept until 61 s");
	CHECK_EQ_U(pool_idle_held_b(p.f, p.n, 0), 64 * MB,
		   "keep: counted as held while idle");
	CHECK(pool_expire(&p, &pp, 60999) == 0 && pool_job_idle(&p, LANE_SHRINK),
	      "keep: not deleted before its time");
	/* Swap needed again: the kept file is turned on, nothing made. */
	CHECK(pool_grow(&p, &pp, &mi, 2000, &size_b) == FSM_PENDING &&
		      p.lane[LANE_GROW].kind == JOB_ON,
	      "keep: a grow turns the kept file on");
	settle(&p, &d);
	CHECK(d.grow && d.grow_out == FSM_OK && w.active[1] &&
		      slot(&p, 1)->active && slot(&p, 1)->keep_until_ms == 0 &&
		      !w.exists[3] && p.n == 2,
	      "keep: on again, no new file");
	/* Off and kept again; its time passes: deleted. */
	pool_refresh(&p, 0);
	CHECK(pool_shrink(&p, &pp, &mi, 0, &size_b) == FSM_PENDING,
	      "keep: shrink again");
	settle(&p, &d);
	CHECK(slot(&p, 1) && !slot(&p, 1)->active && w.exists[1],
	      "keep: kept again");
	CHECK(pool_expire(&p, &pp, 61000) == 1, "keep: its time is up");
	settle(&p, &d);
	CHECK(!w.exists[1] && !slot(&p, 1) && p.n == 1 && w.removed == 1,
	      "keep: deleted after its time");
	CHECK(pool_expire(&p, &pp, 999999) == 0, "keep: nothing more to do");
	pool_unfake(&p);

	/* Tampered with while kept: never turned on; deleted, and the grow
	 * makes a new file instead. */
	two_on(&p);
	CHECK(pool_shrink(&p, &pp, &mi, 0, &size_b) == FSM_PENDING,
	      "tampered: shrink");
	settle(&p, &d);
	w.valid[1] = false;
	CHECK(pool_grow(&p, &pp, &mi, 2000, &size_b) == FSM_PENDING,
	      "tampered: a grow");
	settle(&p, &d);
	/* Its name is free again: the new file takes it (f_make marks
	 * it valid; the tampered one never was turned on). */
	CHECK(w.removed == 1 && p.c.fail_swapon == 1,
	      "tampered: not turned on, deleted");
	CHECK(d.grow && d.grow_out == FSM_OK && w.valid[1] && w.active[1] &&
		      slot(&p, 1) && slot(&p, 1)->active &&
		      slot(&p, 1)->keep_until_ms == 0 && p.n == 2,
	      "tampered: a new file made instead");
	pool_unfake(&p);

	/* A diet (keep_ms 0): the kept file is deleted at once. */
	two_on(&p);
	CHECK(pool_shrink(&p, &pp, &mi, 0, &size_b) == FSM_PENDING,
	      "diet: a surplus shrink keeps");
	settle(&p, &d);
	pp.keep_ms = 0;
	CHECK(pool_shrink(&p, &pp, &mi, 2000, &size_b) == FSM_PENDING &&
		      p.lane[LANE_SHRINK].kind == JOB_DELETE,
	      "diet: the kept file goes first");
	settle(&p, &d);
	CHECK(!w.exists[1] && !slot(&p, 1) && w.active[2],
	      "diet: deleted; the active file stays");
	/* And with keep_ms 0 a swapoff deletes at once, as before. */
	CHECK(pool_shrink(&p, &pp, &mi, 2000, &size_b) == FSM_PENDING,
	      "no keep: swapoff");
	settle(&p, &d);
	CHECK(!w.exists[2] && p.n == 0, "no keep: deleted after the swapoff");
	pool_unfake(&p);
}

int main(void)
{
	pool_tests_begin();
	test_grow_ends_swapoff();
	test_erase();
	test_failed_unlink();
	test_keep();
	T_END();
}
