/* Is the swap directory answering (reach.h)?  Pure: time is passed in.
 *
 * - up, no probe out: the next probe is due interval_ms after the last
 *   answer.
 * - a probe out past deadline_ms: unreachable (logged once by the
 *   caller); it stays out, and nothing new starts until it answers.
 * - a probe that answers with an error (EIO, ESTALE...): unreachable
 *   too, and the next one after a back-off that doubles from retry_ms up
 *   to retry_max_ms.
 * - a probe that answers (even late, after its deadline): reachable
 *   again, the back-off forgotten. */
#include "reach.h"

#include <errno.h>

const struct reach_params reach_defaults = {
	.interval_ms = 10000,
	.deadline_ms = 5000,
	.retry_ms = 2000,
	.retry_max_ms = 30000,
};

void reach_init(struct reach *r, int64_t now_ms)
{
	*r = (struct reach){.up = true, .next_ms = now_ms,
			    .changed_ms = now_ms};
}

bool reach_due(const struct reach *r, int64_t now_ms)
{
	return !r->probing && now_ms >= r->next_ms;
}

void reach_started(struct reach *r, int64_t now_ms)
{
	r->probing = true;
	r->started_ms = now_ms;
}

static enum reach_change set_up(struct reach *r, bool up, int64_t now_ms)
{
	if (r->up == up)
		return REACH_SAME;
	r->up = up;
	r->changed_ms = now_ms;
	if (up) {
		r->regained++;
		return REACH_BACK;
	}
	r->lost++;
	return REACH_LOST;
}

enum reach_change reach_answered(struct reach *r,
				 const struct reach_params *rp, int err,
				 int64_t now_ms)
{
	if (!r->probing)
		return REACH_SAME; /* nothing was out: not ours */
	r->probing = false;
	r->last_err = err;
	if (err == 0) {
		r->retry_ms = 0;
		r->next_ms = now_ms + rp->interval_ms;
		return set_up(r, true, now_ms);
	}
	r->retry_ms = r->retry_ms ? r->retry_ms * 2 : rp->retry_ms;
	if (r->retry_ms > rp->retry_max_ms)
		r->retry_ms = rp->retry_max_ms;
	r->next_ms = now_ms + r->retry_ms;
	return set_up(r, false, now_ms);
}

enum reach_change reach_check(struct reach *r, const struct reach_params *rp,
			      int64_t now_ms)
{
	if (!r->probing || now_ms - r->started_ms < rp->deadline_ms)
		return REACH_SAME;
	if (r->up)
		r->last_err = ETIMEDOUT;
	return set_up(r, false, now_ms);
}

int64_t reach_wait_ms(const struct reach *r, const struct reach_params *rp,
		      int64_t now_ms)
{
	int64_t at;

	if (r->probing) {
		if (!r->up)
			return -1; /* its answer wakes the loop */
		at = r->started_ms + rp->deadline_ms;
	} else {
		at = r->next_ms;
	}
	return at > now_ms ? at - now_ms : 0;
}

const char *reach_name(const struct reach *r)
{
	return r->up ? "reachable" : "unreachable";
}
