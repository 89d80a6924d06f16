/* The decision sequence of one tick (tick.h), shared by the daemon's
 * loop and --simulate so that a replay decides as the daemon does. */
#include "tick.h"

#include "meminfo.h"

#include <string.h>

/* A calm machine is not heading for the limit within this long. */
#define CALM_HORIZON_MS 60000
/* Grow back-off after a failure: 1 s, 2 s, 4 s ... up to a cooldown. */
#define BACKOFF_FIRST_MS 1000

void tick_init(struct tick_state *ts, int64_t now_ms)
{
	memset(ts, 0, sizeof(*ts));
	fsm_init(&ts->fsm, now_ms);
	trend_reset(&ts->trend);
	trend_reset(&ts->commit_trend);
	ts->provision_ms = TICK_FIRST_PROVISION_MS;
	ts->grow_wait_ms = -1;
	ts->grow_retry_ms = 0;
	ts->standby_retry_ms = 0;
	ts->shrink_retry_ms = 0;
	ts->last_shrink_ms = -1;
	ts->last_grow_ms = -1;
	ts->churn = 0;
}

#define HOUR_MS 3600000

int64_t tick_shrink_wait_ms(int64_t cooldown_ms, int churn)
{
	int64_t wait = cooldown_ms, cap = cooldown_ms > HOUR_MS ? cooldown_ms
							       : HOUR_MS;
	int i;

	if (churn > TICK_CHURN_MAX)
		churn = TICK_CHURN_MAX;
	for (i = 0; i < churn && wait < cap; i++)
		wait *= 2;
	return wait < cap ? wait : cap;
}

int64_t tick_churn_window_ms(int64_t cooldown_ms, int churn)
{
	int64_t w = 4 * tick_shrink_wait_ms(cooldown_ms, churn);

	return w > 60000 ? w : 60000;
}

int64_t tick_keep_ms(int64_t cooldown_ms, int churn, enum fsm_state before)
{
	int64_t wait = tick_shrink_wait_ms(cooldown_ms, churn);

	if (before == FSM_DIET)
		return 0;
	return wait > TICK_KEEP_MIN_MS ? wait : TICK_KEEP_MIN_MS;
}

/* A grow is asked for: was the last shrink premature?  And a window
 * with no grow at all lets the surplus wait come down a step. */
static bool churn_on_grow(const struct tick_params *tp, struct tick_state *ts,
			  int64_t now_ms)
{
	bool up = false;

	if (ts->last_shrink_ms >= 0 && ts->churn < TICK_CHURN_MAX &&
	    now_ms - ts->last_shrink_ms <
		    tick_churn_window_ms(tp->cooldown_ms, ts->churn)) {
		ts->churn++;
		up = true;
	}
	/* Once per shrink: the grows of one spike count once. */
	ts->last_shrink_ms = -1;
	ts->last_grow_ms = now_ms;
	return up;
}

static void churn_decay(const struct tick_params *tp, struct tick_state *ts,
			int64_t now_ms)
{
	if (ts->churn > 0 && ts->last_grow_ms >= 0 &&
	    now_ms - ts->last_grow_ms >=
		    tick_churn_window_ms(tp->cooldown_ms, ts->churn)) {
		ts->churn--;
		ts->last_grow_ms = now_ms; /* a step per window */
	}
}

bool tick_calm(const struct tick_params *tp, enum fsm_state state,
	       const struct fsm_reading *r, const struct outlook *o)
{
	return r->valid && (state == FSM_STEADY || state == FSM_OVERFED) &&
	       !r->shortage && o->free_pct >= tp->freetarget_pct &&
	       (!o->commit_strict || o->commit_pct >= tp->freetarget_pct) &&
	       predict_ms_to_limit(o->free_kb, o->limit_kb, o->slope_kb_s) >
		       CALM_HORIZON_MS;
}

void tick_grow_done(const struct tick_params *tp, struct tick_state *ts,
		    enum fsm_outcome out, int64_t took_ms, int64_t now_ms)
{
	int64_t cooldown_ms = tp->cooldown_ms;

	if (out == FSM_PENDING) {
		if (ts->grow_wait_ms < 0)
			ts->grow_wait_ms = now_ms;
		return;
	}
	if (out == FSM_OK) {
		ts->provision_ms = took_ms >= 0 ? took_ms
			: now_ms - (ts->grow_wait_ms >= 0 ? ts->grow_wait_ms
							  : now_ms);
		ts->grow_failures = 0;
	} else if (out == FSM_FAILED) {
		/* A broken filesystem must not be hammered at every poll. */
		int shift = ts->grow_failures < 16 ? ts->grow_failures : 16;
		int64_t wait = (int64_t)BACKOFF_FIRST_MS << shift;

		if (wait > cooldown_ms)
			wait = cooldown_ms;
		if (wait < BACKOFF_FIRST_MS)
			wait = BACKOFF_FIRST_MS;
		ts->grow_failures++;
		ts->grow_retry_ms = now_ms + wait;
	}
	ts->grow_wait_ms = -1;
	fsm_report(cooldown_ms, &ts->fsm, FSM_ACT_GROW, out, now_ms);
}

void tick_shrink_done(const struct tick_params *tp, struct tick_state *ts,
		      enum fsm_outcome out, int64_t now_ms)
{
	if (out == FSM_FAILED)
		ts->shrink_retry_ms = now_ms + tp->cooldown_ms;
	else if (out == FSM_OK)
		ts->last_shrink_ms = now_ms;
}

void tick_standby_failed(const struct tick_params *tp, struct tick_state *ts,
			 int64_t now_ms)
{
	ts->standby_retry_ms = now_ms + tp->cooldown_ms;
}

void tick_force_diet(const struct tick_params *tp, struct tick_state *ts,
		     int64_t now_ms)
{
	fsm_force_diet(tp->cooldown_ms, &ts->fsm, now_ms);
}

void tick_run(const struct tick_params *tp, struct tick_state *ts,
	      const struct tick_ops *ops, const struct meminfo *mi,
	      int64_t now_ms, struct tick_result *res)
{
	struct fsm_reading r = {0};
	int64_t cooldown_ms = tp->cooldown_ms, took_ms = -1;

	memset(res, 0, sizeof(*res));
	res->before = ts->fsm.state;
	res->next_poll_ms = -1; /* the caller keeps its interval */
	if (mi) {
		/* Lead time: what a grow takes now, plus one fast poll. */
		int64_t lead_ms = ops->lead_ms(ops->ctx, ts->provision_ms) +
				  tp->poll.min_ms;
		struct limit_params lp = tp->limits;

		lp.ahead_kb = ops->file_b ? (double)ops->file_b(ops->ctx) / 1024.0
					  : 0;
		predict_classify(&lp, &ts->trend, &ts->commit_trend, mi,
				 now_ms, lead_ms, &r, &res->o);
		/* Reserved swap is grown at once, and never a surplus. */
		if (ops->reserve_short_b && ops->reserve_short_b(ops->ctx)) {
			r.shortage = true;
			r.forecast = r.surplus = false;
			res->reserve_short = true;
		}
		res->valid = true;
		res->next_poll_ms = predict_outlook_poll_ms(&tp->poll, &res->o);
	}
	churn_decay(tp, ts, now_ms);
	res->shrink_wait_ms = tick_shrink_wait_ms(cooldown_ms, ts->churn);
	/* The surplus must last the (churn-lengthened) wait; the other
	 * timers keep the cooldown. */
	res->act = fsm_step(res->shrink_wait_ms, &ts->fsm, &r, now_ms);
	res->cannot_grow = ts->fsm.say_cannot_grow;
	/* A grow that failed (not for room) waits for its back-off. */
	if (res->act == FSM_ACT_GROW && now_ms < ts->grow_retry_ms)
		res->act = FSM_ACT_NONE;
	/* So does a shrink after a failed swapoff. */
	if (res->act == FSM_ACT_SHRINK && now_ms < ts->shrink_retry_ms)
		res->act = FSM_ACT_NONE;
	res->out = FSM_OK;
	if (res->act == FSM_ACT_GROW) {
		res->churn_up = churn_on_grow(tp, ts, now_ms);
		res->shrink_wait_ms = tick_shrink_wait_ms(cooldown_ms, ts->churn);
		res->out = ops->grow(ops->ctx, mi, now_ms, &res->size_b,
				     &took_ms);
		tick_grow_done(tp, ts, res->out, took_ms, now_ms);
	} else if (res->act == FSM_ACT_SHRINK) {
		res->out = ops->shrink(ops->ctx, mi, now_ms,
				       tick_keep_ms(cooldown_ms, ts->churn,
						    res->before),
				       &res->size_b);
		fsm_report(cooldown_ms, &ts->fsm, res->act, res->out, now_ms);
		if (res->out == FSM_OK)
			ts->last_shrink_ms = now_ms;
	}
	res->calm = tick_calm(tp, ts->fsm.state, &r, &res->o);
	if (res->calm && ops->standby && now_ms >= ts->standby_retry_ms &&
	    ops->standby(ops->ctx, mi, now_ms) < 0)
		tick_standby_failed(tp, ts, now_ms);
}
