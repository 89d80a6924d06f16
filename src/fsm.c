/* The state machine (after swapspace's state.c), as pure functions.
 * Times are monotonic milliseconds passed in by the caller; the cooldown
 * is configured in seconds.  Growing never waits for a timer. */
#include "fsm.h"


static const char *const state_names[FSM_NSTATES] = {
	[FSM_STEADY] = "steady",
	[FSM_HUNGRY] = "hungry",
	[FSM_OVERFED] = "overfed",
	[FSM_DIET] = "diet",
};

const char *fsm_state_name(enum fsm_state s)
{
	return (unsigned)s < FSM_NSTATES ? state_names[s] : "?";
}

const char *fsm_action_name(enum fsm_action_kind a)
{
	switch (a) {
	case FSM_ACT_GROW:
		return "grow";
	case FSM_ACT_SHRINK:
		return "shrink";
	default:
		return "none";
	}
}

static void state_to(struct fsm *f, enum fsm_state s, int64_t now_ms)
{
	if (f->state != s)
		f->entered_ms = now_ms;
	f->state = s;
	f->diet_logged = false;
	f->surplus_since_ms = now_ms;
}

void fsm_init(struct fsm *f, int64_t now_ms)
{
	f->state = FSM_STEADY;
	f->entered_ms = now_ms;
	f->timer_ms = now_ms;
	f->surplus_since_ms = now_ms;
	f->diet_logged = false;
	f->say_cannot_grow = false;
}

enum fsm_action_kind fsm_step(int64_t cooldown_ms, struct fsm *f,
			      const struct fsm_reading *r, int64_t now_ms)
{
	f->say_cannot_grow = false;
	/* A read error is not a surplus (swapspace's mistake): do nothing. */
	if (!r->valid)
		return FSM_ACT_NONE;

	/* hungry and diet are timed: when the timer runs out, back to
	 * steady, and judge this reading as steady would. */
	if ((f->state == FSM_HUNGRY || f->state == FSM_DIET) &&
	    now_ms >= f->timer_ms)
		state_to(f, FSM_STEADY, now_ms);

	switch (f->state) {
	case FSM_STEADY:
		/* Normal: grow on shortage, start watching a surplus. */
		if (r->shortage)
			return FSM_ACT_GROW;
		if (r->surplus)
			state_to(f, FSM_OVERFED, now_ms);
		return FSM_ACT_NONE;

	case FSM_HUNGRY:
		/* Just grew: under a spike, one more file a tick; never free
		 * while the memory we just added may still be needed.  Only
		 * once the limit is crossed: the file just added is fresh
		 * headroom, and the rate that made us grow early would, if
		 * believed again, add a file the spike may never need. */
		return r->shortage && !r->forecast ? FSM_ACT_GROW
						   : FSM_ACT_NONE;

	case FSM_OVERFED:
		/* Too much swap: a shortage is handled as in steady; the
		 * surplus must last a whole cooldown before a file goes. */
		if (r->shortage)
			return FSM_ACT_GROW;
		if (!r->surplus) {
			state_to(f, FSM_STEADY, now_ms);
			return FSM_ACT_NONE;
		}
		if (now_ms - f->surplus_since_ms >= cooldown_ms)
			return FSM_ACT_SHRINK;
		return FSM_ACT_NONE;

	case FSM_DIET:
		/* Out of room: growing is pointless until the timer runs
		 * out; any surplus frees a file at once. */
		if (r->shortage && !f->diet_logged) {
			f->diet_logged = true;
			f->say_cannot_grow = true;
		}
		return r->surplus ? FSM_ACT_SHRINK : FSM_ACT_NONE;

	default:
		return FSM_ACT_NONE;
	}
}

void fsm_report(int64_t cooldown_ms, struct fsm *f,
		enum fsm_action_kind act, enum fsm_outcome out,
		int64_t now_ms)
{
	if (act == FSM_ACT_GROW) {
		if (out == FSM_OK) {
			state_to(f, FSM_HUNGRY, now_ms);
			f->timer_ms = now_ms + cooldown_ms;
		} else if (out == FSM_NO_ROOM) {
			fsm_force_diet(cooldown_ms, f, now_ms);
		}
		/* Pending, waiting for a directory, or another failure:
		 * stay (a pending grow is reported again when the file is
		 * on; a waiting one is asked again at the next tick). */
	} else if (act == FSM_ACT_SHRINK && f->state == FSM_OVERFED) {
		/* One file per cooldown: the surplus must last again. */
		state_to(f, FSM_STEADY, now_ms);
	}
}

void fsm_force_diet(int64_t cooldown_ms, struct fsm *f, int64_t now_ms)
{
	state_to(f, FSM_DIET, now_ms);
	f->timer_ms = now_ms + cooldown_ms;
}
