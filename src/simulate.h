/* --simulate TRACE: replay recorded /proc/meminfo snapshots through the
 * real parser, state machine and sizing policy, with a virtual pool of
 * swap files (nothing is created; the only system calls read the trace).
 * The trace format is in trace.h.
 */
#ifndef GM_SIMULATE_H
#define GM_SIMULATE_H

#include "fsm.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct config;

/* The daemon's poll interval (main.c's TICK_MS): one simulated tick. */
#define SIM_TICK_MS 1000

/* What a replay did, for the summary line and the tests. */
struct sim_result {
	long ticks;
	long read_errors;     /* snapshots meminfo_parse_buf refused */
	unsigned long grows, shrinks, no_room;
	int max_files;        /* most virtual files at once */
	uint64_t max_swap_b;  /* most virtual swap at once */
	double min_free_pct;  /* lowest free% seen (with our swap) */
	enum fsm_state final_state;
	int final_files;
	unsigned long reused; /* grows that turned a kept file on again */
};

/* One replayed tick, as the text line shows it, for an observer such as
 * --plot (which draws only from these, never from the replay's text). */
struct sim_tick {
	int64_t t_ms;              /* tick time from the trace's start */
	double free_pct;           /* free% judged by; NaN on a read error */
	uint64_t swap_used_b;      /* SwapTotal - SwapFree as replayed (our
	                              virtual files count as empty) */
	uint64_t swap_b;           /* virtual swap provisioned after it */
	uint64_t size_b;           /* the file grown or shrunk, else 0 */
	int files;                 /* virtual files after it */
	enum fsm_state state;      /* state after the tick */
	enum fsm_action_kind act;  /* what the FSM asked for */
	enum fsm_outcome outcome;  /* how it went (act != NONE) */
};

/* Called once per tick, where the tick's text line is printed. */
struct sim_observer {
	void (*tick)(void *ctx, const struct sim_tick *t);
	void *ctx;
};

/* Replay the trace held in buf (len bytes; may contain NUL) and print
 * one line per tick to out.  Returns 0, or -1 with "line N: what" in err
 * for a trace that is not one (bad magic, header, T line, time going
 * back, no snapshot).  A snapshot the meminfo parser refuses is not a
 * trace error: that tick does nothing, as in the daemon. */
int simulate_buf(const struct config *cfg, const char *buf, size_t len,
		 FILE *out, struct sim_result *res, char *err, size_t errlen);

/* simulate_buf with an observer (NULL: none) told of every tick. */
int simulate_buf_obs(const struct config *cfg, const char *buf, size_t len,
		     FILE *out, struct sim_result *res, char *err,
		     size_t errlen, const struct sim_observer *obs);

/* --simulate: read path, replay it to out; returns an exit code
 * (0; GM_EXIT_USAGE for a bad trace; GM_EXIT_RUNTIME when it cannot be
 * read), with a message on stderr. */
int simulate_file(const struct config *cfg, const char *path, FILE *out);

#endif
