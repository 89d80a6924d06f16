/* Forecast and polling interval: arithmetic on a few samples. */
#include "predict.h"

#include "fsm.h"
#include "meminfo.h"

#include <string.h>

void trend_reset(struct trend *tr)
{
	tr->n = 0;
}

void trend_add(struct trend *tr, int64_t t_ms, double free_kb)
{
	/* Time must move forward; a repeat of the same instant replaces. */
	if (tr->n > 0 && t_ms <= tr->t_ms[tr->n - 1]) {
		tr->free_kb[tr->n - 1] = free_kb;
		return;
	}
	if (tr->n == TREND_SAMPLES) {
		for (int i = 1; i < TREND_SAMPLES; i++) {
			tr->t_ms[i - 1] = tr->t_ms[i];
			tr->free_kb[i - 1] = tr->free_kb[i];
		}
		tr->n--;
	}
	tr->t_ms[tr->n] = t_ms;
	tr->free_kb[tr->n] = free_kb;
	tr->n++;
}

double trend_slope_kb_s(const struct trend *tr, int64_t window_ms)
{
	double st = 0, sf = 0, stt = 0, stf = 0, n = 0, t0, den;
	int i, first;

	if (tr->n < 2)
		return 0.0;
	for (first = tr->n - 2; first > 0; first--)
		if (tr->t_ms[tr->n - 1] - tr->t_ms[first - 1] > window_ms)
			break;
	t0 = (double)tr->t_ms[first];
	/* Least squares: steadier than the last two points, and quick to
	 * follow a change because the window is short. */
	for (i = first; i < tr->n; i++) {
		double t = ((double)tr->t_ms[i] - t0) / 1000.0;
		st += t;
		sf += tr->free_kb[i];
		stt += t * t;
		stf += t * tr->free_kb[i];
		n += 1;
	}
	den = n * stt - st * st;
	if (n < 2 || den <= 0)
		return 0.0;
	return (n * stf - st * sf) / den;
}

int64_t predict_ms_to_limit(double free_kb, double limit_kb,
			    double slope_kb_s)
{
	double ms;

	if (free_kb <= limit_kb)
		return 0;
	if (!(slope_kb_s < 0))
		return INT64_MAX;
	ms = (free_kb - limit_kb) / -slope_kb_s * 1000.0;
	return ms > 9.0e15 ? INT64_MAX : (int64_t)ms;
}

int64_t predict_poll_ms(const struct poll_params *pp, double free_kb,
			double limit_kb, double slope_kb_s)
{
	double headroom = free_kb > limit_kb ? free_kb - limit_kb : 0;
	int64_t ms = pp->max_ms, t;

	t = predict_ms_to_limit(free_kb, limit_kb, slope_kb_s);
	if (t != INT64_MAX && t / 4 < ms)
		ms = t / 4;
	if (pp->spike_kb_s > 0) {
		double worst = headroom / pp->spike_kb_s * 1000.0;
		if (worst < (double)ms)
			ms = (int64_t)worst;
	}
	if (ms < pp->min_ms)
		ms = pp->min_ms;
	if (ms > pp->max_ms)
		ms = pp->max_ms;
	return ms;
}

bool predict_shortage(double free_kb, double limit_kb, double slope_kb_s,
		      int64_t lead_ms)
{
	return predict_ms_to_limit(free_kb, limit_kb, slope_kb_s) <= lead_ms;
}

/* Samples older than this do not count for the slope. */
#define TREND_WINDOW_MS 2000

int64_t predict_outlook_poll_ms(const struct poll_params *pp,
				const struct outlook *o)
{
	int64_t ms = predict_poll_ms(pp, o->free_kb, o->limit_kb,
				     o->slope_kb_s);

	if (o->commit_strict) {
		int64_t c = predict_poll_ms(pp, o->commit_free_kb,
					    o->commit_limit_kb,
					    o->commit_slope_kb_s);
		if (c < ms)
			ms = c;
	}
	return ms;
}

/* A long lead (a file on NFS while swapping out) at a fast rate would
 * have file after file begun while the last is still untouched: what
 * one file adds above the limit (its size, less the lower_freelimit
 * share it adds to the limit) is as far ahead as a forecast looks. */
static bool within_ahead(const struct limit_params *lp, double above_kb)
{
	return lp->ahead_kb <= 0 ||
	       above_kb < lp->ahead_kb * (100 - lp->lower_pct) / 100.0;
}

/* Strict overcommit: malloc fails at CommitLimit long before memory is
 * short, so the headroom is judged by the same limits and forecast. */
static void classify_commit(const struct limit_params *lp,
			    struct trend *tr, const struct meminfo *mi,
			    int64_t t_ms, int64_t lead_ms,
			    struct fsm_reading *r, struct outlook *o)
{
	uint64_t free_kb, limit_kb;
	bool under, soon;

	if (!tr || !meminfo_commit(mi, &free_kb, &limit_kb))
		return;
	o->commit_strict = true;
	o->commit_free_kb = (double)free_kb;
	o->commit_pct = 100.0 * (double)free_kb / (double)limit_kb;
	o->commit_limit_kb = (double)limit_kb * lp->lower_pct / 100.0;
	/* Committed_AS, not the headroom: it does not jump at a swapon. */
	trend_add(tr, t_ms, -(double)mi->committed_as_kb);
	o->commit_slope_kb_s = trend_slope_kb_s(tr, TREND_WINDOW_MS);
	under = o->commit_pct < lp->lower_pct;
	soon = !under &&
	       within_ahead(lp, o->commit_free_kb - o->commit_limit_kb) &&
	       predict_shortage(o->commit_free_kb, o->commit_limit_kb,
				o->commit_slope_kb_s, lead_ms);
	if ((under || soon) && !r->shortage) {
		r->shortage = true;
		r->forecast = soon;
		o->commit_short = true;
	}
	/* Removing swap lowers CommitLimit too. */
	if (o->commit_pct <= lp->upper_pct)
		r->surplus = false;
}

void predict_classify(const struct limit_params *lp, struct trend *tr,
		      struct trend *commit_tr, const struct meminfo *mi,
		      int64_t t_ms, int64_t lead_ms, struct fsm_reading *r,
		      struct outlook *o)
{
	double total_kb = (double)meminfo_total_kb(mi);

	memset(o, 0, sizeof(*o));

	o->free_kb = (double)meminfo_free_kb(mi, &lp->fp);
	o->free_pct = meminfo_free_pct(mi, &lp->fp);
	o->limit_kb = total_kb * lp->lower_pct / 100.0;
	/* What is in use does not jump when swap is added, unlike the
	 * free figure: its trend is the consumption rate. */
	trend_add(tr, t_ms, -(total_kb - o->free_kb));
	o->slope_kb_s = trend_slope_kb_s(tr, TREND_WINDOW_MS);
	r->valid = true;
	/* Grow once the limit is crossed, or when it will be crossed
	 * before a file could be provisioned. */
	r->shortage = o->free_pct < lp->lower_pct;
	r->forecast = false;
	if (!r->shortage)
		r->shortage = r->forecast =
			within_ahead(lp, o->free_kb - o->limit_kb) &&
			predict_shortage(o->free_kb, o->limit_kb,
					 o->slope_kb_s, lead_ms);
	r->surplus = o->free_pct > lp->upper_pct;
	classify_commit(lp, commit_tr, mi, t_ms, lead_ms, r, o);
}
