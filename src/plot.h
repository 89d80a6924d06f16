/* --plot: one self-contained SVG drawn from the ticks of one or two
 * replays (struct sim_tick, as simulate_buf_obs reports them), never from
 * the replay's text.  Pure: records in, a document out to a FILE.
 *
 * Each panel has two charts over the same time axis (seconds): free %
 * with the three thresholds as dashed lines over the FSM state as
 * coloured bands, and below it swap provisioned and used (MiB) with a
 * mark at each grow, shrink and no-room.  Two panels share both axes. */
#ifndef GM_PLOT_H
#define GM_PLOT_H

#include "simulate.h"

#include <stddef.h>
#include <stdio.h>

/* The thresholds a panel was replayed with, in percent. */
struct plot_limits {
	int lower_pct;
	int target_pct;
	int upper_pct;
};

struct plot_panel {
	const char *title;          /* one line above the panel (escaped) */
	struct plot_limits lim;
	const struct sim_tick *t;   /* n ticks, times never decreasing */
	size_t n;
};

#define PLOT_MAX_PANELS 2

/* Draw npanels (1 or 2) under title into out.  0, -EINVAL for a panel
 * count out of range, or -EIO when out reports a write error. */
int plot_svg(FILE *out, const char *title, const struct plot_panel *p,
	     size_t npanels);

#endif
