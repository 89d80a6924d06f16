/* reach.c: a directory is reachable until a probe misses its deadline
 * or answers with an error; each change is reported once; a probe that
 * hangs is never doubled; errors back off up to a bound; an answer,
 * even late, brings it back. */
#include "reach.h"
#include "t.h"

static const struct reach_params rp = {
	.interval_ms = 10000, .deadline_ms = 5000,
	.retry_ms = 2000, .retry_max_ms = 7000,
};

static void test_answers(void)
{
	struct reach r;

	reach_init(&r, 1000);
	CHECK(r.up && reach_due(&r, 1000), "first probe at once, up");
	reach_started(&r, 1000);
	CHECK(!reach_due(&r, 999999), "never a second probe while one is out");
	CHECK(reach_check(&r, &rp, 5999) == REACH_SAME, "within the deadline");
	CHECK_EQ_U(reach_wait_ms(&r, &rp, 2000), 4000, "wait: the deadline");
	CHECK(reach_answered(&r, &rp, 0, 1200) == REACH_SAME, "answered");
	CHECK(r.up && !r.probing, "up, nothing out");
	CHECK(!reach_due(&r, 11199) && reach_due(&r, 11200),
	      "next probe one interval after the answer");
	CHECK_EQ_U(reach_wait_ms(&r, &rp, 3200), 8000, "wait: the next probe");
	CHECK_EQ_U(reach_wait_ms(&r, &rp, 20000), 0, "overdue: no wait");
	CHECK(reach_answered(&r, &rp, 0, 1300) == REACH_SAME,
	      "an answer with nothing out changes nothing");
	CHECK_STR(reach_name(&r), "reachable", "name");
}

static void test_hang(void)
{
	struct reach r;

	reach_init(&r, 0);
	reach_started(&r, 0);
	CHECK(reach_check(&r, &rp, 5000) == REACH_LOST, "deadline passed: lost");
	CHECK(!r.up && r.lost == 1 && r.last_err == ETIMEDOUT, "down, timed out");
	CHECK(reach_check(&r, &rp, 6000) == REACH_SAME, "lost is said once");
	CHECK(reach_check(&r, &rp, 600000) == REACH_SAME, "still once");
	CHECK(!reach_due(&r, 600000), "the hanging probe is not doubled");
	CHECK(reach_wait_ms(&r, &rp, 7000) == -1,
	      "nothing to wait for: its answer wakes the loop");
	CHECK_STR(reach_name(&r), "unreachable", "name");
	CHECK(reach_answered(&r, &rp, 0, 700000) == REACH_BACK,
	      "a late answer brings it back");
	CHECK(r.up && r.regained == 1 && r.changed_ms == 700000, "back");
	CHECK(reach_answered(&r, &rp, 0, 700001) == REACH_SAME, "said once");
}

static void test_errors(void)
{
	static const int64_t backoff[] = {2000, 4000, 7000, 7000};
	struct reach r;
	int64_t t = 0;
	size_t i;

	reach_init(&r, 0);
	for (i = 0; i < sizeof(backoff) / sizeof(backoff[0]); i++) {
		reach_started(&r, t);
		CHECK(reach_answered(&r, &rp, EIO, t + 10) ==
			      (i == 0 ? REACH_LOST : REACH_SAME),
		      "error %zu: lost once", i);
		CHECK(!r.up && r.last_err == EIO, "error %zu: down", i);
		CHECK(!reach_due(&r, t + 10 + backoff[i] - 1) &&
			      reach_due(&r, t + 10 + backoff[i]),
		      "error %zu: retry after %lld ms", i,
		      (long long)backoff[i]);
		t += 10 + backoff[i];
	}
	CHECK(r.lost == 1, "lost counted once, got %lu", r.lost);
	reach_started(&r, t);
	CHECK(reach_answered(&r, &rp, 0, t + 5) == REACH_BACK, "answer: back");
	CHECK(r.retry_ms == 0, "back-off forgotten");
	reach_started(&r, t + 20000);
	CHECK(reach_answered(&r, &rp, ESTALE, t + 20001) == REACH_LOST &&
		      r.next_ms == t + 20001 + 2000,
	      "a new failure starts the back-off from the start");
	CHECK(r.lost == 2, "lost twice");
}

/* An error answer after the deadline already said lost: not said again. */
static void test_late_error(void)
{
	struct reach r;

	reach_init(&r, 0);
	reach_started(&r, 0);
	CHECK(reach_check(&r, &rp, 5000) == REACH_LOST, "lost by deadline");
	CHECK(reach_answered(&r, &rp, EIO, 9000) == REACH_SAME,
	      "its error answer: no second report");
	CHECK(r.lost == 1 && reach_due(&r, 11000), "retry after back-off");
}

int main(void)
{
	test_answers();
	test_hang();
	test_errors();
	test_late_error();
	T_END();
}
