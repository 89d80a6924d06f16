/* One tick's decision, for the daemon and --simulate alike: classify a
 * reading (forecast included), step the state machine, hold a grow back
 * while a failed one backs off, grow or shrink through an ops table,
 * report the outcome, and judge whether memory is calm enough for a
 * standby file.  The timers of all of it live here.  Pure: no system
 * calls; the ops do the effects, and time is passed in. */
#ifndef GM_TICK_H
#define GM_TICK_H

#include "fsm.h"
#include "predict.h"

#include <stdbool.h>
#include <stdint.h>

struct meminfo;

/* The settings a tick decides by (params.h fills it from the config). */
struct tick_params {
	struct limit_params limits; /* the free figure and its thresholds */
	int freetarget_pct;         /* calm only at or above it */
	int64_t cooldown_ms;        /* FSM timers, back-off ceiling */
	struct poll_params poll;    /* poll interval bounds, spike rate */
};

/* The effects a tick may ask for.  ctx is the caller's (the pool, or
 * the simulator's virtual pool). */
struct tick_ops {
	void *ctx;
	/* GROW: FSM_OK at once (with *took_ms, the time it took),
	 * FSM_PENDING (tick_grow_done is called later), FSM_NO_ROOM or
	 * FSM_FAILED.  *size_b: the size of the file. */
	enum fsm_outcome (*grow)(void *ctx, const struct meminfo *mi,
				 int64_t now_ms, uint64_t *size_b,
				 int64_t *took_ms);
	/* SHRINK: FSM_OK, FSM_PENDING, FSM_NOTHING or FSM_FAILED.  keep_ms
	 * (tick_keep_ms): how long the file turned off stays on disk, off,
	 * for a grow to turn it on again (0: deleted at once). */
	enum fsm_outcome (*shrink)(void *ctx, const struct meminfo *mi,
				   int64_t now_ms, int64_t keep_ms,
				   uint64_t *size_b);
	/* How long a grow would take now (a swapon, or making a file),
	 * given the last measured provisioning time. */
	int64_t (*lead_ms)(void *ctx, int64_t provision_ms);
	/* Memory is calm: make a standby file if wanted.  0, or < 0 when
	 * it could not start (retried after a cooldown).  May be NULL. */
	int (*standby)(void *ctx, const struct meminfo *mi, int64_t now_ms);
	/* Reservations (resv.h): how much free swap they still lack; more
	 * than 0 is a shortage, whatever the free figure says.  May be
	 * NULL. */
	uint64_t (*reserve_short_b)(void *ctx);
	/* The size of a file a grow would add (limit_params.ahead_kb); 0,
	 * or NULL: the forecast is not bounded by it. */
	uint64_t (*file_b)(void *ctx);
};

struct tick_state {
	struct fsm fsm;
	struct trend trend;      /* recent "used" figures for the forecast */
	struct trend commit_trend; /* Committed_AS, for strict overcommit */
	int64_t provision_ms;    /* how long the last grow took */
	int64_t grow_wait_ms;    /* a GROW waits for a file since, or -1 */
	int64_t grow_retry_ms;   /* after a failed grow, not before this */
	int grow_failures;       /* failed grows in a row */
	int64_t standby_retry_ms; /* after a failed standby, not before */
	int64_t shrink_retry_ms; /* after a failed swapoff, not before */
	/* Churn: swap grown again soon after a shrink makes the surplus
	 * last longer before the next one (tick_shrink_wait_ms). */
	int64_t last_shrink_ms;  /* a shrink last went well (-1: none) */
	int64_t last_grow_ms;    /* a grow was last asked for (-1: none) */
	int churn;               /* the surplus lasts cooldown << churn */
};

/* What one tick saw and did. */
struct tick_result {
	bool valid;                /* the reading was usable */
	enum fsm_state before;     /* state at the start of the tick */
	enum fsm_action_kind act;  /* what was done */
	enum fsm_outcome out;      /* how it went (FSM_OK when nothing) */
	uint64_t size_b;           /* size of the file grown or shrunk */
	struct outlook o;          /* the free figure and its forecast */
	bool cannot_grow;          /* short of memory on a diet: say once */
	bool calm;                 /* standby files may be made */
	bool reserve_short;        /* reservations lacked swap: a shortage */
	bool churn_up;             /* a grow came soon after a shrink: the
				    * surplus must now last longer */
	int64_t shrink_wait_ms;    /* how long a surplus must last now */
	int64_t next_poll_ms;      /* how long to sleep */
};

/* The first provisioning guess: a swapon of a ready file. */
#define TICK_FIRST_PROVISION_MS 50

void tick_init(struct tick_state *ts, int64_t now_ms);

/* One tick on mi (NULL: the reading failed, and nothing is done). */
void tick_run(const struct tick_params *tp, struct tick_state *ts,
	      const struct tick_ops *ops, const struct meminfo *mi,
	      int64_t now_ms, struct tick_result *res);

/* A grow the ops answered FSM_PENDING ended with out (which may be
 * FSM_PENDING again); took_ms < 0: measure from when it was asked. */
void tick_grow_done(const struct tick_params *tp, struct tick_state *ts,
		    enum fsm_outcome out, int64_t took_ms, int64_t now_ms);

/* A SHRINK the ops answered FSM_PENDING ended with out: a failed one
 * (a swapoff interrupted or OOM-killed, a delete refused) is not tried
 * again for a cooldown, so a diet does not retry it at every tick. */
void tick_shrink_done(const struct tick_params *tp, struct tick_state *ts,
		      enum fsm_outcome out, int64_t now_ms);

/* A standby file the ops started could not be made. */
void tick_standby_failed(const struct tick_params *tp, struct tick_state *ts,
			 int64_t now_ms);

/* Calm: steady or overfed, no shortage (not even forecast), free at or
 * above freetarget, and not heading for the limit within a minute.  The
 * one definition, used at start and at every tick. */
bool tick_calm(const struct tick_params *tp, enum fsm_state state,
	       const struct fsm_reading *r, const struct outlook *o);

/* How long a surplus must last before a file goes: the cooldown,
 * doubled for each grow that came within the churn window of a shrink
 * (up to CHURN_MAX doublings, and never past an hour unless the
 * cooldown itself is longer), halved again for each window that passes
 * with no grow.  Repeated spikes with a short cooldown thus stop making
 * and deleting a file per spike.  Pure. */
int64_t tick_shrink_wait_ms(int64_t cooldown_ms, int churn);
/* The window: a grow this soon after a shrink means the shrink was
 * premature (four times the wait, at least a minute). */
int64_t tick_churn_window_ms(int64_t cooldown_ms, int churn);
#define TICK_CHURN_MAX 4

/* How long a file that a shrink turned off stays on disk (off, still
 * ours) so that swap needed again in that time is one swapon, not a new
 * file: the surplus wait of the churn back-off, at least
 * TICK_KEEP_MIN_MS (a spike that recurs within a minute is the same
 * load).  0 when the shrink comes from a diet (before: the state at the
 * start of the tick): the disk is short, the file goes at once.  So the
 * disk is back at most max(wait, a minute) after the shrink, itself a
 * wait after calm returned.  Pure. */
int64_t tick_keep_ms(int64_t cooldown_ms, int churn, enum fsm_state before);
#define TICK_KEEP_MIN_MS 60000

/* SIGUSR2. */
void tick_force_diet(const struct tick_params *tp, struct tick_state *ts,
		     int64_t now_ms);

#endif
