/* A fake world for struct pool_sys, shared by the four pool tests and
 * test_loop: a directory of numbered slots and the kernel's active
 * areas (w), the fake system calls over them, a pool opened on them,
 * and helpers to lay out files and let the worker lanes finish.
 * Include after t.h. */
#ifndef GM_T_POOL_H
#define GM_T_POOL_H

#include "config.h"
#include "log.h"
#include "params.h"
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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
	int swaps_reads;         /* /proc/swaps reads: one a tick */
	bool resume[NSLOT];      /* the hibernation resume target */
	bool image[NSLOT];       /* holds a hibernation image */
	void (*on_swaps_read)(void); /* called at each (test_loop) */
	/* test_tiers: free space of the directory whose dev is i (1..3),
	 * when dev_avail_set; else plenty. */
	bool dev_avail_set;
	uint64_t dev_avail_b[4];
} w;

static inline void world_reset(void)
{
	memset(&w, 0, sizeof(w));
	w.mem_avail_kb = 1000 * 1024;
}

static inline int f_swaps_read(const char *path, struct swaps_table *t)
{
	int s;

	(void)path;
	memset(t, 0, sizeof(*t));
	w.swaps_reads++;
	if (w.on_swaps_read)
		w.on_swaps_read();
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

static inline bool f_exists(const struct swapdir *d, const char *name)
{
	int s = pool_slot_of_name(name), i;

	(void)d;
	for (i = 0; i < w.nforeign; i++)
		if (strcmp(w.foreign[i], name) == 0)
			return true;
	return s > 0 && s < NSLOT && w.exists[s];
}

static inline int f_space(const struct swapdir *d, uint64_t *avail,
			  uint64_t *size)
{
	*avail = 100000 * MB;
	*size = 200000 * MB;
	if (w.dev_avail_set && d->dev > 0 && d->dev < 4)
		*avail = w.dev_avail_b[d->dev];
	return 0;
}

static inline int f_sweep(const struct swapdir *d,
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

static inline int f_validate(const struct swapdir *d, int slot, uint64_t min_b,
			     uint64_t *size_b)
{
	(void)d;
	if (slot > 0 && slot < NSLOT && w.exists[slot] && w.image[slot])
		return -EBUSY;
	if (slot <= 0 || slot >= NSLOT || !w.exists[slot] || !w.valid[slot])
		return -EBADMSG;
	if (w.size_b[slot] < min_b)
		return -ERANGE;
	*size_b = w.size_b[slot];
	return 0;
}

static inline int f_make(const struct swapdir *d, int slot, uint64_t size_b,
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

static inline int f_activate(const struct swapdir *d, int slot,
			     const struct swap_prop *sp)
{
	(void)d;
	if (w.active[slot])
		return -EBUSY;
	if (w.activate_rc)
		return w.activate_rc;
	w.last_prio = sp->priority;
	w.active[slot] = true;
	return 0;
}

static inline int f_turn_on(const struct swapdir *d, int slot, uint64_t size_b,
			    const struct swap_prop *sp, const int *cancel)
{
	int rc = f_activate(d, slot, sp);

	(void)size_b;
	(void)cancel;
	if (rc == -EINVAL)
		w.exists[slot] = false; /* as swapfile_turn_on */
	return rc;
}

static inline int f_deactivate(const struct swapdir *d, int slot, int *child)
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

static inline int f_remove(const struct swapdir *d, int slot, bool paranoid)
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

static inline int f_meminfo(struct meminfo *mi)
{
	memset(mi, 0, sizeof(*mi));
	mi->mem_total_kb = 2000 * 1024;
	mi->mem_available_kb = w.mem_avail_kb;
	mi->has_mem_available = true;
	return 0;
}

static inline long f_page_size(void)
{
	return 4096;
}

static inline bool f_is_resume_target(const struct swapdir *d, int slot)
{
	(void)d;
	return slot > 0 && slot < NSLOT && w.resume[slot];
}

static const struct pool_sys fake = {
	.swaps_read = f_swaps_read, .exists = f_exists, .space = f_space,
	.sweep = f_sweep, .validate = f_validate, .make = f_make,
	.turn_on = f_turn_on, .activate = f_activate,
	.deactivate = f_deactivate, .remove = f_remove,
	.is_resume_target = f_is_resume_target, .meminfo = f_meminfo,
	.page_size = f_page_size,
};

/* The configuration the pool works by in these tests. */
static struct config cfg __attribute__((unused));

static inline void pool_fake(struct pool *p)
{
	memset(p, 0, sizeof(*p));
	p->sys = &fake;
	p->swaps_path = "/proc/swaps";
	p->dir.fd = -1;
	strcpy(p->dir.canon, "/gm");
	if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		p->wake[0] = p->wake[1] = -1;
}

static inline void pool_unfake(struct pool *p)
{
	close(p->wake[0]);
	close(p->wake[1]);
}

/* What one collect found, added to what the earlier ones did. */
static inline void done_merge(struct pool_done *d, const struct pool_done *one)
{
	if (one->grow) {
		d->grow = true;
		d->grow_out = one->grow_out;
	}
	if (one->shrink) {
		d->shrink = true;
		d->shrink_out = one->shrink_out;
	}
	d->spare_failed |= one->spare_failed;
}

/* Let the lanes finish and take their results in. */
static inline void settle(struct pool *p, struct pool_done *d)
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
		done_merge(d, &one);
	}
}

static inline struct pool_file *slot(struct pool *p, int s)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].slot == s)
			return &p->f[i];
	return NULL;
}

/* A valid file at slot s of size_b bytes: active with used_kb in use,
 * or an inactive spare. */
static inline void world_file(int s, uint64_t size_b, bool active,
			      uint64_t used_kb)
{
	w.exists[s] = w.valid[s] = true;
	w.active[s] = active;
	w.size_b[s] = size_b;
	w.used_kb[s] = used_kb;
}

/* A pool on the fake world that has adopted what is there. */
static inline void pool_adopted(struct pool *p)
{
	pool_fake(p);
	pool_adopt(p, 4 * MB, 0);
}

/* File 1 active, file 2 an inactive spare, both adopted. */
static inline void pool_with_spare(struct pool *p)
{
	world_reset();
	world_file(1, 64 * MB, true, 0);
	world_file(2, 64 * MB, false, 0);
	pool_adopted(p);
}

/* What a pool test starts with: a quiet log, and cfg at its defaults
 * with 64 MiB files. */
static inline void pool_tests_begin(void)
{
	log_init(false, -1);
	config_defaults(&cfg);
	cfg.swapsize_auto = false;
	cfg.swapsize_b = 64 * MB;
	/* The mechanics, with nothing held while calm (test_pool's
	 * test_standby sets the policies itself). */
	cfg.standby = STANDBY_NONE;
}

#endif
