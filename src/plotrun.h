/* --simulate=TRACE --plot=FILE.svg [--compare-with=KEY=VALUE,...]: replay
 * the trace once with the configuration (and once more with the
 * --compare-with settings applied on top of it) and draw the ticks. */
#ifndef GM_PLOTRUN_H
#define GM_PLOTRUN_H

#include "simulate.h"

#include <stddef.h>

struct config;

/* The ticks of one replay, as simulate_buf_obs reports them. */
struct tick_log {
	struct sim_tick *t;
	size_t n, cap;
	bool oom;          /* a tick was lost: the picture would lie */
};

/* A struct sim_observer callback appending to a struct tick_log. */
void tick_log_add(void *ctx, const struct sim_tick *t);
void tick_log_free(struct tick_log *l);

/* Apply "KEY=VALUE,KEY,..." onto cfg with config_set, then
 * config_validate.  0, or -1 with "KEY: what" in err. */
int plot_compare_config(struct config *cfg, const char *list, char *err,
			size_t errlen);

/* The whole command; returns an exit code (GM_EXIT_USAGE for a bad
 * trace or --compare-with, GM_EXIT_RUNTIME when reading or writing
 * fails), with a message on stderr and one summary line per panel on
 * stdout. */
int plot_run(const struct config *cfg);

#endif
