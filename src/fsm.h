/* The four-state machine of swapspace, as a pure function of
 * (config, state, reading, now).  No system calls, no globals. */
#ifndef GM_FSM_H
#define GM_FSM_H

#include <stdbool.h>
#include <stdint.h>

enum fsm_state {
	FSM_STEADY = 0, /* normal: grow on shortage, watch for surplus */
	FSM_HUNGRY,     /* just grew: grow again on shortage, never free */
	FSM_OVERFED,    /* surplus seen: free one file once it lasts */
	FSM_DIET,       /* out of room: cannot grow, free on surplus */
	FSM_NSTATES
};

enum fsm_action_kind { FSM_ACT_NONE = 0, FSM_ACT_GROW, FSM_ACT_SHRINK };

/* What the caller did with the action. */
enum fsm_outcome {
	FSM_OK = 0,     /* grew / shrank */
	FSM_NO_ROOM,    /* grow: disk, quota, limits or swap table full */
	FSM_FAILED,     /* grow/shrink failed for another reason */
	FSM_NOTHING,    /* shrink: no file could be safely removed */
	FSM_PENDING,    /* grow: a file is being made in the background;
			 * its outcome is reported when it is on */
	FSM_WAIT,       /* grow: nothing can be started now (a network
			 * directory that does not answer): no diet, no
			 * back-off; asked again at the next tick */
};

struct fsm {
	enum fsm_state state;
	int64_t entered_ms;      /* when the current state was entered */
	int64_t timer_ms;        /* hungry/diet: when the state expires */
	int64_t surplus_since_ms; /* overfed: when the surplus began */
	bool diet_logged;        /* diet: "cannot grow" said once */
	bool say_cannot_grow;    /* set by fsm_step: caller logs it once */
};

/* One reading, already classified against the thresholds. */
struct fsm_reading {
	bool valid;    /* false: a read error, the tick does nothing */
	bool shortage; /* free% < lower_freelimit (or forecast says so) */
	bool surplus;  /* free% > upper_freelimit */
	bool forecast; /* the shortage is only forecast: free% is still at
			* or above lower_freelimit */
};

void fsm_init(struct fsm *f, int64_t now_ms);

/* Decide what to do now; may change state (timers, surplus). */
enum fsm_action_kind fsm_step(int64_t cooldown_ms, struct fsm *f,
			      const struct fsm_reading *r, int64_t now_ms);

/* Report how the action went; changes state accordingly. */
void fsm_report(int64_t cooldown_ms, struct fsm *f,
		enum fsm_action_kind act, enum fsm_outcome out,
		int64_t now_ms);

/* SIGUSR2: force diet. */
void fsm_force_diet(int64_t cooldown_ms, struct fsm *f, int64_t now_ms);

const char *fsm_state_name(enum fsm_state s);
const char *fsm_action_name(enum fsm_action_kind a);

#endif
