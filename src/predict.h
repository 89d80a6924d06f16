/* Forecasting free memory and choosing when to look again: pure. */
#ifndef GM_PREDICT_H
#define GM_PREDICT_H

#include "meminfo.h"

#include <stdbool.h>
#include <stdint.h>

#define TREND_SAMPLES 8

/* The last few (time, free KiB) samples, oldest first. */
struct trend {
	int n;
	int64_t t_ms[TREND_SAMPLES];
	double free_kb[TREND_SAMPLES];
};

void trend_reset(struct trend *tr);
void trend_add(struct trend *tr, int64_t t_ms, double free_kb);

/* Rate of change of free memory over the samples no older than
 * window_ms, in KiB per second (negative: memory is being eaten).
 * 0 with fewer than two samples. */
double trend_slope_kb_s(const struct trend *tr, int64_t window_ms);

/* Milliseconds until free falls to limit_kb at slope_kb_s; INT64_MAX if
 * it is not falling; 0 if already there. */
int64_t predict_ms_to_limit(double free_kb, double limit_kb,
			    double slope_kb_s);

struct poll_params {
	int64_t min_ms;        /* fastest poll (poll_min_ms) */
	int64_t max_ms;        /* slowest poll (poll_max_ms) */
	double spike_kb_s;     /* assumed worst allocation rate (spike_rate) */
};

/* How long to sleep: a quarter of the time to the limit at the observed
 * rate of decline, and no longer than the headroom would last at the
 * assumed worst rate; clamped to [min_ms, max_ms]. */
int64_t predict_poll_ms(const struct poll_params *pp, double free_kb,
			double limit_kb, double slope_kb_s);

/* Grow now if the limit will be reached within lead_ms (the time a file
 * takes to provision plus one poll). */
bool predict_shortage(double free_kb, double limit_kb, double slope_kb_s,
		      int64_t lead_ms);

struct meminfo;
struct fsm_reading;

/* The limits a reading is judged by (params.h fills it from the
 * config): the free figure's elasticities and the two thresholds. */
struct limit_params {
	struct free_params fp;
	int lower_pct; /* lower_freelimit */
	int upper_pct; /* upper_freelimit */
	/* A forecast begins one file ahead, never more: it is a shortage
	 * only while what is left above the limit is under what a file of
	 * this size (KiB; 0: no bound) adds above it.  Not a setting:
	 * tick_run sets it from its ops. */
	double ahead_kb;
};

/* What the daemon knows of memory after one reading. */
struct outlook {
	double free_pct;   /* the free figure, % of MemTotal + SwapTotal */
	double free_kb;
	double limit_kb;   /* lower_freelimit in KiB */
	double slope_kb_s; /* d(free)/dt from the trend of memory in use */
	/* Under strict overcommit (vm.overcommit_memory=2) only: */
	bool commit_strict;       /* commit headroom is a signal too */
	double commit_pct;        /* 100 * headroom / CommitLimit */
	double commit_free_kb;    /* CommitLimit - Committed_AS */
	double commit_limit_kb;   /* lower_freelimit of CommitLimit, KiB */
	double commit_slope_kb_s; /* d(headroom)/dt from Committed_AS */
	bool commit_short;        /* the shortage is commit's alone */
};

/* Add a valid reading to the trend and classify it for the state
 * machine: shortage when free% is under lower_freelimit or the forecast
 * says it will be within lead_ms; surplus over upper_freelimit.  Under
 * strict overcommit (mi->commit_strict) the commit headroom is judged
 * the same way, on its own trend commit_tr (NULL: not judged): either
 * short is a shortage, and a surplus needs both.  Shared by the daemon
 * and --simulate, so a replay decides as the daemon does. */
void predict_classify(const struct limit_params *lp, struct trend *tr,
		      struct trend *commit_tr, const struct meminfo *mi,
		      int64_t t_ms, int64_t lead_ms, struct fsm_reading *r,
		      struct outlook *o);

/* predict_poll_ms for the outlook: the shorter of the free figure's and
 * (under strict overcommit) the commit headroom's. */
int64_t predict_outlook_poll_ms(const struct poll_params *pp,
				const struct outlook *o);

#endif
