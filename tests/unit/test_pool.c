/* The pool's bookkeeping with its system calls faked (struct pool_sys):
 * slot names, adoption decisions, which file goes, what a failed swapon
 * or delete leaves, the erase at exit, and the workers' stack size. */
#include "config.h"
#include "log.h"
#include "params.h"
#include "pool.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define KB 1024ull
#define MB (1024ull * 1024)
#define NSLOT 16

/* The fake world: a directory of slots, the kernel's active areas. */
static struct {
	bool exists[NSLOT];
	bool valid[NSLOT];
	bool active[NSLOT];
	uint64_t used_kb[NSLOT];
	uint64_t size_b[NSLOT];
	char foreign[NSLOT][32]; /* other names in the directory */
	int nforeign;
	int swaps_rc;            /* swaps_read result */
	int activate_rc, deactivate_rc, remove_rc;
	bool deactivate_slow;    /* swapoff: a real child that waits */
	uint64_t mem_avail_kb;   /* what a fresh reading says */
	int deactivated[NSLOT];  /* order of swapoffs: slot numbers */
	int ndeactivated;
	int removed;
	int last_prio;           /* priority of the last swapon */
} w;

static void world_reset(void)
{
	memset(&w, 0, sizeof(w));
	w.mem_avail_kb = 1000 * 1024;
}

static int f_swaps_read(const char *path, struct swaps_table *t)
{
	int s;

	(void)path;
	memset(t, 0, sizeof(*t));
	if (w.swaps_rc)
		return w.swaps_rc;
	for (s = 1; s < NSLOT; s++)
		if (w.active[s] && t->count < SWAPS_MAX) {
			struct swaps_entry *e = &t->e[t->count++];
			snprintf(e->path, sizeof(e->path), "/gm/%d", s);
			e->is_file = true;
			e->size_kb = w.size_b[s] / 1024 - 4;
			e->used_kb = w.used_kb[s];
			e->priority = -2;
		}
	return 0;
}

static bool f_exists(const struct swapdir *d, const char *name)
{
	int s = pool_slot_of_name(name), i;

	(void)d;
	for (i = 0; i < w.nforeign; i++)
		if (strcmp(w.foreign[i], name) == 0)
			return true;
	return s > 0 && s < NSLOT && w.exists[s];
}

static int f_space(const struct swapdir *d, uint64_t *avail, uint64_t *size)
{
	(void)d;
	*avail = 100000 * MB;
	*size = 200000 * MB;
	return 0;
}

static int f_sweep(const struct swapdir *d,
		   void (*each)(void *ctx, const char *name), void *ctx)
{
	char name[16];
	int s, i;

	(void)d;
	for (i = 0; i < w.nforeign; i++)
		each(ctx, w.foreign[i]);
	for (s = 1; s < NSLOT; s++)
		if (w.exists[s]) {
			snprintf(name, sizeof(name), "%d", s);
			each(ctx, name);
		}
	return 0;
}

static int f_validate(const struct swapdir *d, int slot, uint64_t min_b,
		      uint64_t *size_b)
{
	(void)d;
	if (slot <= 0 || slot >= NSLOT || !w.exists[slot] || !w.valid[slot])
		return -EBADMSG;
	if (w.size_b[slot] < min_b)
		return -ERANGE;
	*size_b = w.size_b[slot];
	return 0;
}

static int f_make(const struct swapdir *d, int slot, uint64_t size_b,
		  bool zero_fill, const int *cancel)
{
	(void)d;
	(void)zero_fill;
	(void)cancel;
	if (slot <= 0 || slot >= NSLOT || w.exists[slot])
		return -EEXIST;
	w.exists[slot] = w.valid[slot] = true;
	w.size_b[slot] = size_b;
	return 0;
}

static int f_activate(const struct swapdir *d, int slot,
		      const struct swap_prop *sp)
{
	(void)d;
	if (w.active[slot])
		return -EBUSY;
	w.last_prio = sp->priority;
	if (w.activate_rc)
		return w.activate_rc;
	w.active[slot] = true;
	return 0;
}

static int f_turn_on(const struct swapdir *d, int slot, uint64_t size_b,
		     const struct swap_prop *sp, const int *cancel)
{
	int rc = f_activate(d, slot, sp);

	(void)size_b;
	(void)cancel;
	if (rc == -EINVAL)
		w.exists[slot] = false; /* as swapfile_turn_on */
	return rc;
}

static int f_deactivate(const struct swapdir *d, int slot, int *child)
{
	(void)d;
	if (w.deactivate_slow && child) {
		/* As swapfile_deactivate: a child that only a signal ends
		 * (an endless swapoff), its pid published while it runs. */
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			for (;;)
				pause();
		}
		if (pid < 0)
			return -errno;
		__atomic_store_n(child, (int)pid, __ATOMIC_RELEASE);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		__atomic_store_n(child, 0, __ATOMIC_RELEASE);
		return WIFSIGNALED(status) ? -EINTR : -EIO;
	}
	if (w.deactivate_rc)
		return w.deactivate_rc;
	w.active[slot] = false;
	w.deactivated[w.ndeactivated++] = slot;
	/* Its pages come back into RAM. */
	w.mem_avail_kb -= w.used_kb[slot] < w.mem_avail_kb ? w.used_kb[slot]
							  : w.mem_avail_kb;
	w.used_kb[slot] = 0;
	return 0;
}

static int f_remove(const struct swapdir *d, int slot, bool paranoid)
{
	(void)d;
	(void)paranoid;
	if (w.active[slot])
		return -EPERM; /* the kernel refuses to delete an active file */
	if (w.remove_rc)
		return w.remove_rc;
	w.exists[slot] = false;
	w.removed++;
	return 0;
}

static int f_meminfo(struct meminfo *mi)
{
	memset(mi, 0, sizeof(*mi));
	mi->mem_total_kb = 2000 * 1024;
	mi->mem_available_kb = w.mem_avail_kb;
	mi->has_mem_available = true;
	return 0;
}

static long f_page_size(void)
{
	return 4096;
}

static const struct pool_sys fake = {
	f_swaps_read, f_exists,  f_space,      f_sweep,
	f_validate,   f_make,    f_turn_on,    f_activate,
	f_deactivate, f_remove,  f_meminfo,    f_page_size,
};

static struct config cfg;

static void pool_fake(struct pool *p)
{
	memset(p, 0, sizeof(*p));
	p->sys = &fake;
	p->swaps_path = "/proc/swaps";
	p->dir.fd = -1;
	strcpy(p->dir.canon, "/gm");
	if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		p->wake[0] = p->wake[1] = -1;
}

static void pool_unfake(struct pool *p)
{
	close(p->wake[0]);
	close(p->wake[1]);
}

/* Let the lanes finish and take their results in. */
static void settle(struct pool *p, struct pool_done *d)
{
	struct meminfo mi;
	int i;

	f_meminfo(&mi);
	memset(d, 0, sizeof(*d));
	for (i = 0; i < 500 && (!pool_job_idle(p, LANE_GROW) ||
				!pool_job_idle(p, LANE_SHRINK));
	     i++) {
		struct pollfd pfd = {pool_wake_fd(p), POLLIN, 0};
		struct pool_done one;

		if (poll(&pfd, 1, 10) > 0)
			pool_wake_drain(p);
		pool_collect(p, POOL_PARAMS(&cfg), &mi, 1000, &one);
		if (one.grow) {
			d->grow = true;
			d->grow_out = one.grow_out;
		}
		if (one.shrink) {
			d->shrink = true;
			d->shrink_out = one.shrink_out;
		}
		d->spare_failed |= one.spare_failed;
	}
}

static struct pool_file *slot(struct pool *p, int s)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].slot == s)
			return &p->f[i];
	return NULL;
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
	w.exists[1] = w.valid[1] = w.active[1] = true;
	w.size_b[1] = 64 * MB;
	w.used_kb[1] = 123;
	w.exists[2] = w.valid[2] = true;
	w.size_b[2] = 64 * MB;
	w.exists[3] = true;
	strcpy(w.foreign[w.nforeign++], "junk");
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	w.exists[1] = w.valid[1] = w.active[1] = true;
	w.size_b[1] = 64 * MB;
	w.exists[3] = true;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	world_reset();
	w.exists[1] = w.valid[1] = w.active[1] = true;
	w.size_b[1] = 64 * MB;
	w.exists[2] = w.valid[2] = true;
	w.size_b[2] = 64 * MB;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	w.exists[1] = w.valid[1] = w.active[1] = true;
	w.size_b[1] = 64 * MB;
	w.used_kb[1] = 5000;
	w.exists[2] = w.valid[2] = w.active[2] = true;
	w.size_b[2] = 64 * MB;
	w.used_kb[2] = 10;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	w.exists[1] = w.valid[1] = w.active[1] = true;
	w.size_b[1] = 64 * MB;
	w.used_kb[1] = 10;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	for (int s = 1; s <= 3; s++) {
		w.exists[s] = w.valid[s] = w.active[s] = true;
		w.size_b[s] = 1024 * MB;
	}
	w.used_kb[1] = 100 * 1024;
	w.used_kb[2] = 850 * 1024; /* > what is left after 1 and 3 */
	w.used_kb[3] = 100 * 1024;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	for (int s = 1; s <= 3; s++) {
		w.exists[s] = w.valid[s] = w.active[s] = true;
		w.size_b[s] = 1024 * MB;
	}
	w.used_kb[1] = 850 * 1024;
	w.used_kb[2] = 100 * 1024;
	w.used_kb[3] = 100 * 1024;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	w.exists[1] = w.valid[1] = w.active[1] = true;
	w.size_b[1] = 64 * MB;
	for (int s = 2; s <= 3; s++) {
		w.exists[s] = w.valid[s] = true;
		w.size_b[s] = 64 * MB;
	}
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	world_reset();
	w.exists[1] = w.valid[1] = w.active[1] = true;
	w.size_b[1] = 64 * MB;
	w.exists[2] = w.valid[2] = true;
	w.size_b[2] = 64 * MB;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	world_reset();
	w.exists[1] = w.valid[1] = w.active[1] = true;
	w.size_b[1] = 64 * MB;
	w.exists[2] = w.valid[2] = true;
	w.size_b[2] = 64 * MB;
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	w.exists[1] = w.valid[1] = w.active[1] = true;
	w.size_b[1] = 64 * MB;
	strcpy(w.foreign[w.nforeign++], "2");
	pool_fake(&p);
	pool_adopt(&p, 4 * MB, 0);
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
	/* A measured making: 32 MiB in 1 ms -> 64 MiB in 2 ms; 2 x 2 ms
	 * at spike_rate 1 GiB/s. */
	p.make_ms = 1;
	p.make_b = 32 * MB;
	CHECK(pool_standby_start(&p, POOL_PARAMS(&cfg), &mi, 0) == 0,
	      "small: a new spare once calm");
	settle(&p, &d);
	CHECK(slot(&p, 3) && !slot(&p, 3)->active &&
		      slot(&p, 3)->size_b == 4 * GIB / 1000 / 4096 * 4096,
	      "small: sized from the measured making, %llu",
	      slot(&p, 3) ? (unsigned long long)slot(&p, 3)->size_b : 0ull);
	/* A shrink keeps that one spare; an extra leftover goes. */
	w.exists[9] = w.valid[9] = true;
	w.size_b[9] = 64 * MB;
	p.f[p.n++] = (struct pool_file){.slot = 9, .size_b = 64 * MB};
	pool_refresh(&p, 0);
	CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 0, &size_b) == FSM_PENDING,
	      "small: the extra leftover goes");
	settle(&p, &d);
	CHECK(!slot(&p, 9) && slot(&p, 3), "small: the spare stays");
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
	log_init(false, -1);
	config_defaults(&cfg);
	cfg.swapsize_auto = false;
	cfg.swapsize_b = 64 * MB;
	/* The mechanics first, with nothing held while calm. */
	cfg.standby = STANDBY_NONE;
	test_names();
	test_adopt();
	test_spare_errors();
	test_shrink();
	test_grow_ends_swapoff();
	test_erase();
	test_slots();
	test_failed_unlink();
	test_worker_stack();
	test_standby();
	test_idle_held();
	T_END();
}
