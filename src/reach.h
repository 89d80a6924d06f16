/* Is the swap directory answering?  A pure state machine per directory
 * on a network filesystem: the loop starts a probe (pool_reach.c runs
 * it off the loop), and tells this machine when it started, when it
 * answered, and the time; the machine says when the next probe is due,
 * whether the directory is reachable, and when that changes (so the
 * change is logged once).  A probe that never answers is never waited
 * on: its deadline passing makes the directory unreachable, and no
 * second probe starts while it is out. */
#ifndef GM_REACH_H
#define GM_REACH_H

#include <stdbool.h>
#include <stdint.h>

struct reach_params {
	int64_t interval_ms; /* between probes while it answers */
	int64_t deadline_ms; /* a probe out longer: unreachable */
	int64_t retry_ms;    /* first retry after a probe that failed */
	int64_t retry_max_ms; /* the back-off's bound */
};

/* The defaults: a probe every 10 s, 5 s to answer, retries from 2 s up
 * to 30 s after errors. */
extern const struct reach_params reach_defaults;

struct reach {
	bool up;              /* the last probe answered in time */
	bool probing;         /* a probe is out */
	int64_t started_ms;   /* when it started */
	int64_t next_ms;      /* the next probe is due (when none is out) */
	int64_t retry_ms;     /* the back-off after the last failure (0:
			       * none failed) */
	int64_t changed_ms;   /* when up last changed */
	int last_err;         /* errno of the last failed probe (0: none,
			       * ETIMEDOUT: the deadline passed) */
	unsigned long lost;   /* times it stopped answering */
	unsigned long regained; /* and came back */
};

/* What a step changed: the loop logs it. */
enum reach_change {
	REACH_SAME = 0,
	REACH_LOST,   /* it stopped answering (deadline or error) */
	REACH_BACK,   /* it answers again */
};

/* Reachable until a probe says otherwise; the first probe at once. */
void reach_init(struct reach *r, int64_t now_ms);

/* Is a probe due now (none out, and its time has come)? */
bool reach_due(const struct reach *r, int64_t now_ms);

/* A probe was started now. */
void reach_started(struct reach *r, int64_t now_ms);

/* The probe that was out answered: err 0 (the directory answered) or
 * the errno it failed with (an error answer still means unreachable for
 * us: nothing can be made there). */
enum reach_change reach_answered(struct reach *r,
				 const struct reach_params *rp, int err,
				 int64_t now_ms);

/* Time passes: a probe out beyond its deadline makes the directory
 * unreachable (it stays out: never a second one while it hangs). */
enum reach_change reach_check(struct reach *r, const struct reach_params *rp,
			      int64_t now_ms);

/* How long the loop may sleep before this machine needs a look: the
 * next probe, or the deadline of the one that is out (never below 0;
 * -1: nothing to wait for, a probe that already hangs past its
 * deadline). */
int64_t reach_wait_ms(const struct reach *r, const struct reach_params *rp,
		      int64_t now_ms);

/* "reachable" or "unreachable". */
const char *reach_name(const struct reach *r);

#endif
