/* pool_reach.c over the fake world (t_pool.h): a local directory is
 * asked directly; a guarded (network) one only through its probe thread:
 * space and names come from the last answer, a probe that hangs makes
 * it unreachable once, is never doubled, and nothing is made there (the
 * mount check says no, space is refused, no file is forgotten); its late
 * answer brings it back; an error answer backs off. */
#include "config.h"
#include "log.h"
#include "params.h"
#include "pool.h"
#include "t.h"
#include "t_pool.h"

/* A space call that waits on a pipe while hang is set (the server not
 * answering), or fails with space_rc. */
static int gate[2] = {-1, -1};
static int hang, space_rc, space_calls;

static int h_space(const struct swapdir *d, uint64_t *avail, uint64_t *size)
{
	char c;

	__atomic_add_fetch(&space_calls, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&hang, __ATOMIC_SEQ_CST))
		(void)!read(gate[0], &c, 1);
	if (space_rc)
		return space_rc;
	return f_space(d, avail, size);
}

static struct pool_sys hsys;

static int count(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* Wait (at most 5 s) for a probe's byte on the wake pipe. */
static bool woken(struct pool *p)
{
	struct pollfd pfd = {pool_wake_fd(p), POLLIN, 0};

	if (poll(&pfd, 1, 5000) <= 0)
		return false;
	pool_wake_drain(p);
	return true;
}

static void test_local(void)
{
	struct pool p;
	uint64_t a, s;

	world_reset();
	world_file(3, 64 * MB, false, 0);
	pool_fake(&p);
	CHECK(pool_reach_up(&p), "a local directory is always up");
	CHECK(pool_name_taken(&p, 3) && !pool_name_taken(&p, 4),
	      "names asked of the directory");
	CHECK(pool_dir_space(&p, &a, &s) == 0 && a == 100000 * MB, "space");
	pool_reach_tick(&p, 0);
	CHECK(p.reach.probe == NULL, "no probe on a local directory");
	CHECK_EQ_U(pool_reach_wait_ms(&p, 0, 7000), 7000, "wait unchanged");
	pool_unfake(&p);
}

static void test_guarded(void)
{
	struct pool p;
	struct pool_reach_view v;
	uint64_t a, s;
	char log[4096];

	world_reset();
	world_file(2, 64 * MB, false, 0);
	hsys = fake;
	hsys.space = h_space;
	pool_fake(&p);
	p.sys = &hsys;
	/* A spare in the books (the shrink and erase checks below). */
	p.f[p.n++] = (struct pool_file){.slot = 2, .size_b = 64 * MB,
					.since_ms = -10};
	pool_reach_guard(&p, 0);
	CHECK(!pool_reach_up(&p), "nothing known before the first answer");
	CHECK(pool_dir_space(&p, &a, &s) == -EHOSTDOWN, "no space yet");
	CHECK_EQ_U(pool_reach_wait_ms(&p, 0, 7000), 0, "first probe due now");

	/* It answers. */
	pool_reach_tick(&p, 0);
	CHECK(p.reach.r.probing, "probe out");
	CHECK(woken(&p), "the probe woke the loop");
	pool_reach_tick(&p, 100);
	CHECK(pool_reach_up(&p), "up once it answered");
	CHECK(pool_dir_space(&p, &a, &s) == 0 && a == 100000 * MB &&
		      s == 200000 * MB, "space from the probe");
	CHECK(pool_name_taken(&p, 2) && !pool_name_taken(&p, 1),
	      "names from the probe's listing");
	CHECK(pool_name_taken(&p, PROBE_SLOTS), "a slot past the listing");
	CHECK(pool_file_gone(&p, 1, -5) && !pool_file_gone(&p, 1, 0),
	      "gone only by a listing newer than the file");
	CHECK(!pool_file_gone(&p, 2, -5), "a listed file is there");
	CHECK_EQ_U(pool_reach_wait_ms(&p, 200, 60000), 9900,
		   "the next probe an interval later");

	/* The server stops answering. */
	__atomic_store_n(&hang, 1, __ATOMIC_SEQ_CST);
	space_calls = 0;
	pool_reach_tick(&p, 10100);
	CHECK(p.reach.r.probing, "second probe out");
	for (int i = 0; i < 500 && !__atomic_load_n(&space_calls, __ATOMIC_SEQ_CST); i++)
		usleep(10000);
	capture_begin();
	pool_reach_tick(&p, 14000);
	pool_reach_tick(&p, 15100);
	pool_reach_tick(&p, 16000);
	pool_reach_tick(&p, 90000);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "/gm does not answer (no answer within the deadline)")
	      != NULL, "lost logged: %s", log);
	CHECK(count(log, "does not answer") == 1, "logged once: %s", log);
	{
		struct meminfo mi;
		uint64_t size_b;
		unsigned long no_room = p.c.fail_no_room;

		f_meminfo(&mi);
		capture_begin();
		CHECK(!pool_reach_up(&p) &&
			      pool_grow(&p, POOL_PARAMS(&cfg), &mi, 20000,
					&size_b) == FSM_WAIT &&
			      pool_grow(&p, POOL_PARAMS(&cfg), &mi, 20100,
					&size_b) == FSM_WAIT &&
			      p.c.fail_no_room == no_room &&
			      pool_job_idle(&p, LANE_GROW),
		      "unreachable: a GROW waits (no room would be a diet), "
		      "nothing started");
		capture_end(log, sizeof(log));
		CHECK(count(log, "short of memory, but swap directory /gm is "
			    "unreachable") == 1, "the wait said once: %s", log);
		/* Its deferred open failed: unused until a restart, no room. */
		p.reach.failed = true;
		CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 20200, &size_b) ==
				      FSM_NO_ROOM &&
			      p.c.fail_no_room == no_room + 1,
		      "a directory that cannot be used: no room");
		p.reach.failed = false;
		/* A file was already being made there: the GROW waits for
		 * it (no "no room", which would mean a diet). */
		struct pool_job idle = p.lane[LANE_GROW];

		p.lane[LANE_GROW].slot = 5;
		p.lane[LANE_GROW].kind = JOB_MAKE;
		p.lane[LANE_GROW].size_b = 64 * MB;
		CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 20000, &size_b) ==
				      FSM_PENDING &&
			      size_b == 64 * MB &&
			      p.c.fail_no_room == no_room + 1,
		      "unreachable, a file under way: the GROW waits for it");
		p.lane[LANE_GROW] = idle;
		CHECK(pool_shrink(&p, POOL_PARAMS(&cfg), &mi, 20000,
				  &size_b) == FSM_NOTHING &&
			      pool_job_idle(&p, LANE_SHRINK),
		      "unreachable: no shrink (a swapoff would wait)");
		struct pool_params pp = *POOL_PARAMS(&cfg);

		pp.standby = STANDBY_ACTIVE;
		CHECK(pool_standby_start(&p, &pp, &mi, 20000) < 0 &&
			      pool_job_idle(&p, LANE_GROW),
		      "unreachable: no standby file (retried later)");
		capture_begin();
		CHECK(pool_erase(&p, POOL_PARAMS(&cfg)) == 1 && w.removed == 0 &&
			      p.n == 1,
		      "unreachable: -e at exit leaves the file, no wait");
		capture_end(log, sizeof(log));
		CHECK(strstr(log, "not erasing the 1 swap file(s) in /gm") != NULL,
		      "erase skipped said: %s", log);
	}
	CHECK(pool_dir_space(&p, &a, &s) == -EHOSTDOWN, "no space while down");
	CHECK(!pool_file_gone(&p, 1, -5), "nothing forgotten while down");
	CHECK(__atomic_load_n(&space_calls, __ATOMIC_SEQ_CST) == 1,
	      "the hanging probe is never doubled (%d calls)", space_calls);
	pool_reach_view(&p, 25100, &v);
	CHECK(v.guarded && strcmp(v.state, "unreachable") == 0 &&
		      v.since_s == 10 && v.lost == 1,
	      "view: %s since %lld lost %lu", v.state, (long long)v.since_s,
	      v.lost);
	CHECK_EQ_U(pool_reach_wait_ms(&p, 90000, 7000), 7000,
		   "no wait for a probe that hangs");

	/* It answers again. */
	__atomic_store_n(&hang, 0, __ATOMIC_SEQ_CST);
	(void)!write(gate[1], "x", 1);
	CHECK(woken(&p), "the late answer woke the loop");
	capture_begin();
	pool_reach_tick(&p, 95000);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "/gm answers again (after 80 s)") != NULL,
	      "back logged: %s", log);
	CHECK(pool_reach_up(&p) && p.reach.r.regained == 1, "up again");

	/* An error answer: down, and the next try after the back-off. */
	space_rc = -EIO;
	pool_reach_tick(&p, 105000);
	CHECK(woken(&p), "error answer");
	capture_begin();
	pool_reach_tick(&p, 105100);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "Input/output error") != NULL, "error said: %s", log);
	CHECK(!pool_reach_up(&p), "down on an error");
	{
		struct meminfo mi;
		uint64_t size_b;

		f_meminfo(&mi);
		capture_begin();
		CHECK(pool_grow(&p, POOL_PARAMS(&cfg), &mi, 105200, &size_b) ==
				      FSM_WAIT &&
			      pool_grow(&p, POOL_PARAMS(&cfg), &mi, 105300,
					&size_b) == FSM_WAIT,
		      "the second outage: the GROW waits");
		capture_end(log, sizeof(log));
		CHECK(count(log, "short of memory, but swap directory /gm is "
			    "unreachable") == 1,
		      "a later outage's shortage is said again, once: %s", log);
	}
	CHECK(!p.reach.r.probing && p.reach.r.next_ms == 107100,
	      "retry after 2 s, got %lld", (long long)p.reach.r.next_ms);
	space_rc = 0;
	pool_reach_tick(&p, 107100);
	CHECK(woken(&p), "retry answered");
	capture_begin();
	pool_reach_tick(&p, 107200);
	capture_end(log, sizeof(log));
	CHECK(pool_reach_up(&p), "up after the retry");
	pool_close(&p);
	CHECK(p.reach.probe == NULL, "the probe's memory freed at close");
}

/* The adoption of a network directory at start, bounded: done in time
 * it is the start's; a directory that hangs leaves the daemon going on
 * with it unreachable, and the loop takes the adoption in when it
 * answers. */
static void test_adopt_bounded(void)
{
	struct pool p;
	struct pool_reach_view v;
	char log[4096];

	world_reset();
	world_file(1, 64 * MB, true, 0);
	world_file(3, 64 * MB, false, 0);
	hsys = fake;
	hsys.space = h_space;
	pool_fake(&p);
	p.sys = &hsys;
	pool_reach_guard(&p, 0);
	capture_begin();
	pool_adopt_bounded(&p, 4 * MB, 0, 5000);
	capture_end(log, sizeof(log));
	CHECK(p.n == 2 && !p.reach.pending && pool_reach_up(&p),
	      "adopted in time: %d files", p.n);
	CHECK(pool_name_taken(&p, 3) && !pool_name_taken(&p, 2),
	      "and listed");
	pool_unfake(&p);

	pool_fake(&p);
	p.sys = &hsys;
	pool_reach_guard(&p, 0);
	__atomic_store_n(&hang, 1, __ATOMIC_SEQ_CST);
	capture_begin();
	pool_adopt_bounded(&p, 4 * MB, 0, 200);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "/gm does not answer (its NFS server?) after 200 ms; "
			  "going on without it") != NULL, "said: %s", log);
	CHECK(p.reach.pending && !pool_reach_up(&p) && p.n == 0,
	      "pending, unreachable, no books yet (%d)", p.n);
	pool_reach_view(&p, 0, &v);
	CHECK(strcmp(v.state, "unreachable") == 0, "view %s", v.state);
	CHECK(!pool_reach_tick(&p, 1000) && p.reach.pending,
	      "still out: nothing taken, nothing doubled");
	__atomic_store_n(&hang, 0, __ATOMIC_SEQ_CST);
	(void)!write(gate[1], "x", 1);
	CHECK(woken(&p), "the adoption woke the loop");
	capture_begin();
	CHECK(pool_reach_tick(&p, 2000), "a change for status");
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "/gm answers: 2 file(s) adopted") != NULL,
	      "late adoption said: %s", log);
	CHECK(p.n == 2 && !p.reach.pending && pool_reach_up(&p) &&
		      p.reach.r.regained == 1,
	      "taken in: %d files, up", p.n);
	p.reach.locked = true; /* as pool_open_bounded leaves it */
	CHECK(pool_lock(&p, log, sizeof(log)) == 0,
	      "pool_lock: locked with the open, nothing to do");
	pool_unfake(&p);
}

/* pool_close on a directory that does not answer: its handles are
 * closed by a thread (not waited for), forgotten at once; a directory
 * that answers has them closed as always. */
static void test_release(void)
{
	struct pool p;
	char log[4096];
	int fd, lock_fd, i;

	world_reset();
	pool_fake(&p);
	pool_reach_guard(&p, 0);
	p.reach.r.up = false;
	p.dir.fd = fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	p.dir.lock_fd = lock_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	capture_begin();
	pool_close(&p);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "/gm does not answer: its lock is left to the server")
	      != NULL, "said: %s", log);
	CHECK(p.dir.fd == -1 && p.dir.lock_fd == -1, "handles forgotten");
	for (i = 0; i < 500 && (fcntl(fd, F_GETFD) >= 0 ||
				fcntl(lock_fd, F_GETFD) >= 0); i++)
		usleep(10000);
	CHECK(fcntl(fd, F_GETFD) < 0 && fcntl(lock_fd, F_GETFD) < 0,
	      "closed by the thread");

	pool_fake(&p);
	pool_reach_guard(&p, 0);
	p.reach.listed_ms = 0; /* it answered */
	p.dir.fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	capture_begin();
	pool_close(&p);
	capture_end(log, sizeof(log));
	CHECK(log[0] == '\0' && p.dir.fd == -1, "answering: closed as always");
}

int main(void)
{
	pool_tests_begin();
	log_init(false, 0); /* the lost/back notices are checked */
	if (pipe(gate) < 0)
		return 1;
	test_local();
	test_guarded();
	test_adopt_bounded();
	test_release();
	T_END();
}
