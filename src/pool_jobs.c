/* The pool's two worker lanes: one thread at a time per lane runs one
 * file operation (pool.h: enum job_kind) through p->sys, so the loop
 * never waits for a disk, a network filesystem or a swapoff.  A thread
 * touches only its own struct pool_job (and reads p->dir), and says it
 * is done by an atomic flag and a byte on the wake pipe. */
#include "pool.h"

#include "log.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A small stack: with mlockall every page we touch stays.  Never under
 * the C library's minimum (larger on arm64 and ppc64). */
#define WORKER_STACK_B (64 * 1024)

size_t pool_worker_stack_b(long min_b)
{
#ifdef PTHREAD_STACK_MIN
	/* sysconf could not say: the build's own minimum. */
	if (min_b <= 0)
		min_b = (long)PTHREAD_STACK_MIN;
#endif
	return min_b > WORKER_STACK_B ? (size_t)min_b : WORKER_STACK_B;
}

static void job_wake(int fd)
{
	if (fd >= 0)
		(void)!write(fd, "", 1);
}

static void run_make(struct pool_job *j)
{
	const struct pool_sys *sys = j->p->sys;
	const struct swapdir *d = &j->p->dir;
	int rc = sys->make(d, j->slot, j->size_b, false, &j->cancel);

	j->took_ms = 0;
	if (rc == 0 && __atomic_load_n(&j->urgent, __ATOMIC_ACQUIRE)) {
		rc = sys->turn_on(d, j->slot, j->size_b, &j->prop, &j->cancel);
		j->active = rc == 0;
		j->swapon_failed = rc != 0;
		/* turn_on deletes a file only when swapon says it is bad
		 * (EINVAL); anything else leaves a valid spare. */
		if (rc != 0) {
			char name[16];
			snprintf(name, sizeof(name), "%d", j->slot);
			j->kept = sys->exists(d, name);
		}
	}
	j->rc = rc;
}

static void *worker(void *arg)
{
	struct pool_job *j = arg;
	const struct pool_sys *sys = j->p->sys;
	const struct swapdir *d = &j->p->dir;
	int64_t t0 = gm_now_ms();
	int wake_fd;

	switch (j->kind) {
	case JOB_MAKE:
		run_make(j);
		break;
	case JOB_ON: {
		uint64_t size_b;

		/* A spare (a leftover, or a file a shrink kept) is checked
		 * as at start before it is on again: ours, 0600, one link,
		 * a valid header. */
		j->rc = sys->validate(d, j->slot, 0, &size_b);
		j->invalid = j->rc != 0;
		if (j->rc == 0)
			j->rc = sys->activate(d, j->slot, &j->prop);
		j->active = j->rc == 0;
		j->swapon_failed = j->rc != 0 && !j->invalid;
		break;
	}
	case JOB_OFF:
		j->rc = sys->deactivate(d, j->slot, &j->child);
		j->active = j->rc != 0;
		/* Kept: off, on disk, for a GROW to turn on again. */
		if (j->rc == 0 && !j->keep_ms)
			j->unlink_rc = sys->remove(d, j->slot, j->paranoid);
		break;
	case JOB_DELETE:
		j->rc = sys->remove(d, j->slot, j->paranoid);
		break;
	}
	j->took_ms = gm_now_ms() - t0;
	/* Once done is set the loop may collect this job and start the
	 * next one in the same slot (memset, j->p included): nothing of *j
	 * is read after the store. */
	wake_fd = j->p->wake[1];
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	job_wake(wake_fd);
	return NULL;
}

int pool_job_start(struct pool *p, enum pool_lane lane, enum job_kind kind,
		   int slot, uint64_t size_b, const struct pool_params *pp,
		   bool urgent)
{
	struct pool_job *j = &p->lane[lane];
	pthread_attr_t attr;
	pthread_t tid;
	size_t stack_b;
	int rc;

	if (j->slot)
		return -EBUSY;
	memset(j, 0, sizeof(*j));
	j->p = p;
	j->kind = kind;
	j->slot = slot;
	j->size_b = size_b;
	j->urgent = urgent;
	j->paranoid = pp->paranoid;
	j->prop = pp->prop;
	j->keep_ms = kind == JOB_OFF && pp->keep_ms > 0 ? pp->keep_ms : 0;
	if (pthread_attr_init(&attr) != 0)
		return -ENOMEM;
	stack_b = pool_worker_stack_b(sysconf(_SC_THREAD_STACK_MIN));
	rc = pthread_attr_setstacksize(&attr, stack_b);
	if (rc != 0) {
		/* The default stack then: larger, but a working worker. */
		errno = rc;
		log_warn("worker stack of %zu bytes refused", stack_b);
	}
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &attr, worker, j);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		j->slot = 0;
		errno = rc;
		log_warn("cannot start a file worker");
		return -rc;
	}
	return 0;
}

bool pool_job_done(const struct pool *p, enum pool_lane lane)
{
	return p->lane[lane].slot &&
	       __atomic_load_n(&p->lane[lane].done, __ATOMIC_ACQUIRE);
}

bool pool_job_idle(const struct pool *p, enum pool_lane lane)
{
	return p->lane[lane].slot == 0;
}
