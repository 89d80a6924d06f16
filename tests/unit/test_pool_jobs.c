/* pool_jobs.c over the fake world (t_pool.h): each kind of job does its
 * file operations in a worker thread and reports them in its lane (made,
 * on, kept after a failed swapon, off and deleted), says done on the
 * wake pipe, a lane takes one job at a time, and the workers' stack
 * size. */
#include "config.h"
#include "log.h"
#include "params.h"
#include "pool.h"
#include "t.h"
#include "t_pool.h"

#include <pthread.h>

/* Start a job on lane and wait until it is done and has said so on the
 * wake pipe (its worker's last act: after it, the lane may be reused);
 * the job as the worker left it.  0, or what pool_job_start said. */
static int run_job(struct pool *p, enum pool_lane lane, enum job_kind kind,
		   int s, bool urgent)
{
	struct pollfd pfd = {pool_wake_fd(p), POLLIN, 0};
	int rc = pool_job_start(p, lane, kind, s, 64 * MB, POOL_PARAMS(&cfg),
				urgent);
	bool woke = false;
	int i;

	if (rc < 0)
		return rc;
	for (i = 0; i < 500 && !(woke && pool_job_done(p, lane)); i++)
		if (poll(&pfd, 1, 10) > 0) {
			pool_wake_drain(p);
			woke = true;
		}
	CHECK(woke && pool_job_done(p, lane), "job %d on slot %d never done",
	      kind, s);
	CHECK(!pool_job_idle(p, lane), "a done job holds its lane until taken");
	return 0;
}

/* What pool_collect does with a finished job, as far as the lane goes. */
static void lane_free(struct pool *p, enum pool_lane lane)
{
	memset(&p->lane[lane], 0, sizeof(p->lane[lane]));
}

static void test_make(void)
{
	struct pool p;
	struct pool_job *j = &p.lane[LANE_GROW];

	world_reset();
	pool_fake(&p);
	CHECK(run_job(&p, LANE_GROW, JOB_MAKE, 1, false) == 0, "make a spare");
	CHECK(j->rc == 0 && !j->active && w.exists[1] && !w.active[1] &&
		      w.size_b[1] == 64 * MB,
	      "a spare: made, left off");
	lane_free(&p, LANE_GROW);

	CHECK(run_job(&p, LANE_GROW, JOB_MAKE, 2, true) == 0, "urgent make");
	CHECK(j->rc == 0 && j->active && w.active[2] && !j->swapon_failed,
	      "urgent: made and turned on");
	lane_free(&p, LANE_GROW);

	/* A swapon refused for a reason that is not the file's: it stays,
	 * a valid spare. */
	w.activate_rc = -EPERM;
	run_job(&p, LANE_GROW, JOB_MAKE, 3, true);
	CHECK(j->rc == -EPERM && j->swapon_failed && j->kept && w.exists[3],
	      "EPERM: swapon failed, the file kept (rc %d)", j->rc);
	lane_free(&p, LANE_GROW);
	/* EINVAL: the kernel refuses the file; turn_on deleted it. */
	w.activate_rc = -EINVAL;
	run_job(&p, LANE_GROW, JOB_MAKE, 4, true);
	CHECK(j->rc == -EINVAL && j->swapon_failed && !j->kept && !w.exists[4],
	      "EINVAL: the file is gone, not kept");
	lane_free(&p, LANE_GROW);
	w.activate_rc = 0;

	/* Making fails (the slot is taken): nothing turned on. */
	run_job(&p, LANE_GROW, JOB_MAKE, 1, true);
	CHECK(j->rc == -EEXIST && !j->active && !j->swapon_failed,
	      "a failed make is not a failed swapon (rc %d)", j->rc);
	lane_free(&p, LANE_GROW);
	pool_unfake(&p);
}

static void test_on_off_delete(void)
{
	struct pool p;
	struct pool_job *g = &p.lane[LANE_GROW], *s = &p.lane[LANE_SHRINK];

	world_reset();
	world_file(1, 64 * MB, false, 0);
	world_file(2, 64 * MB, true, 10);
	world_file(3, 64 * MB, false, 0);
	pool_fake(&p);
	run_job(&p, LANE_GROW, JOB_ON, 1, false);
	CHECK(g->rc == 0 && g->active && w.active[1], "JOB_ON: on");
	/* Both lanes at once: a swapoff does not wait for a grow. */
	run_job(&p, LANE_SHRINK, JOB_OFF, 2, false);
	CHECK(s->rc == 0 && !s->active && s->unlink_rc == 0 && !w.active[2] &&
		      !w.exists[2],
	      "JOB_OFF: off, then deleted");
	lane_free(&p, LANE_SHRINK);
	w.deactivate_rc = -EINTR;
	run_job(&p, LANE_SHRINK, JOB_OFF, 1, false);
	CHECK(s->rc == -EINTR && s->active && w.exists[1] && w.removed == 1,
	      "a failed swapoff: still active, not deleted");
	lane_free(&p, LANE_SHRINK);
	w.deactivate_rc = 0;
	w.remove_rc = -EIO;
	run_job(&p, LANE_SHRINK, JOB_DELETE, 3, false);
	CHECK(s->rc == -EIO && w.exists[3], "JOB_DELETE: its error");
	lane_free(&p, LANE_SHRINK);
	w.remove_rc = 0;
	run_job(&p, LANE_SHRINK, JOB_DELETE, 3, false);
	CHECK(s->rc == 0 && !w.exists[3], "JOB_DELETE: deleted");
	lane_free(&p, LANE_SHRINK);
	lane_free(&p, LANE_GROW);
	pool_unfake(&p);
}

static void test_one_at_a_time(void)
{
	struct pool p;

	world_reset();
	pool_fake(&p);
	run_job(&p, LANE_GROW, JOB_MAKE, 1, false);
	CHECK(pool_job_start(&p, LANE_GROW, JOB_MAKE, 2, 64 * MB,
			     POOL_PARAMS(&cfg), false) == -EBUSY &&
		      !w.exists[2],
	      "a busy lane refuses a second job");
	CHECK(pool_job_idle(&p, LANE_SHRINK), "the other lane stays idle");
	lane_free(&p, LANE_GROW);
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

int main(void)
{
	pool_tests_begin();
	test_make();
	test_on_off_delete();
	test_one_at_a_time();
	test_worker_stack();
	T_END();
}
