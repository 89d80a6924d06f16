/* --plot: two replays at most, their ticks kept in memory (56 bytes a
 * tick: a day of 1 s ticks is under 5 MB), then one SVG. */
#include "plotrun.h"

#include "config.h"
#include "plot.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What --simulate reads at most, so both agree on what a trace is. */
#define PLOT_TRACE_MAX_B ((size_t)256 << 20)

void tick_log_add(void *ctx, const struct sim_tick *t)
{
	struct tick_log *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		struct sim_tick *nt = realloc(l->t, cap * sizeof(*nt));
		if (!nt) {
			l->oom = true;
			return;
		}
		l->t = nt;
		l->cap = cap;
	}
	l->t[l->n++] = *t;
}

void tick_log_free(struct tick_log *l)
{
	free(l->t);
	memset(l, 0, sizeof(*l));
}

int plot_compare_config(struct config *cfg, const char *list, char *err,
			size_t errlen)
{
	char buf[sizeof(cfg->compare_with)], why[200];
	char *item, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (item = strtok_r(buf, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');

		if (eq)
			*eq = '\0';
		if (config_set(cfg, item, eq ? eq + 1 : NULL, why,
			       sizeof(why)) < 0) {
			snprintf(err, errlen, "%s: %s", item, why);
			return -1;
		}
	}
	if (config_validate(cfg, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void describe(char *out, size_t len, const struct config *cfg,
		     const char *extra)
{
	snprintf(out, len, "%s%slower %d%%, target %d%%, upper %d%%, "
		 "cooldown %" PRId64 " s", extra ? extra : "",
		 extra ? ": " : "", cfg->lower_freelimit_pct,
		 cfg->freetarget_pct, cfg->upper_freelimit_pct, cfg->cooldown_s);
}

/* The picture into cfg->plot_path ("-": stdout); an exit code. */
static int write_svg(const char *path, const char *title,
		     const struct plot_panel *panels, size_t np)
{
	bool to_stdout = strcmp(path, "-") == 0;
	FILE *out = to_stdout ? stdout : fopen(path, "w");
	int e, c;

	if (!out) {
		fprintf(stderr, "ghostmemory: cannot write %s: %s\n", path,
			strerror(errno));
		return GM_EXIT_RUNTIME;
	}
	e = plot_svg(out, title, panels, np);
	c = to_stdout ? fflush(out) : fclose(out);
	if (e == 0 && c != 0)
		e = -errno;
	if (e < 0) {
		fprintf(stderr, "ghostmemory: writing %s: %s\n", path,
			strerror(-e));
		return GM_EXIT_RUNTIME;
	}
	return GM_EXIT_OK;
}

/* Both panels' titles and the picture, from the replays' ticks. */
static int draw(const struct config *const cfgs[], struct tick_log *logs,
		size_t np)
{
	struct plot_panel panels[PLOT_MAX_PANELS];
	char titles[PLOT_MAX_PANELS][400], title[400];
	size_t i;

	describe(titles[0], sizeof(titles[0]), cfgs[0],
		 np == 2 ? "as given" : NULL);
	if (np == 2) {
		char with[300];
		snprintf(with, sizeof(with), "with %s", cfgs[0]->compare_with);
		describe(titles[1], sizeof(titles[1]), cfgs[1], with);
	}
	snprintf(title, sizeof(title), "ghostmemory --simulate=%s",
		 base_name(cfgs[0]->simulate_path));
	for (i = 0; i < np; i++) {
		panels[i].title = titles[i];
		panels[i].lim.lower_pct = cfgs[i]->lower_freelimit_pct;
		panels[i].lim.target_pct = cfgs[i]->freetarget_pct;
		panels[i].lim.upper_pct = cfgs[i]->upper_freelimit_pct;
		panels[i].t = logs[i].t;
		panels[i].n = logs[i].n;
	}
	return write_svg(cfgs[0]->plot_path, title, panels, np);
}

int plot_run(const struct config *cfg)
{
	static struct config alt;
	const struct config *const cfgs[PLOT_MAX_PANELS] = {cfg, &alt};
	struct tick_log logs[PLOT_MAX_PANELS];
	char err[300];
	size_t i, np = cfg->compare_with[0] ? 2 : 1;
	char *buf = NULL;
	size_t len = 0;
	FILE *sink;
	/* A picture on stdout keeps it to itself. */
	FILE *info = strcmp(cfg->plot_path, "-") == 0 ? stderr : stdout;
	int rc;

	memset(logs, 0, sizeof(logs));
	if (np == 2) {
		alt = *cfg;
		if (plot_compare_config(&alt, cfg->compare_with, err,
					sizeof(err)) < 0) {
			fprintf(stderr, "ghostmemory: --compare-with: %s\n", err);
			return GM_EXIT_USAGE;
		}
	}
	rc = gm_read_alloc(cfg->simulate_path, PLOT_TRACE_MAX_B, &buf, &len);
	if (rc < 0) {
		fprintf(stderr, "ghostmemory: cannot read trace %s: %s\n",
			cfg->simulate_path, strerror(-rc));
		return GM_EXIT_RUNTIME;
	}
	/* The replay's text is not wanted here: only its ticks. */
	sink = fopen("/dev/null", "w");
	if (!sink) {
		fprintf(stderr, "ghostmemory: /dev/null: %s\n", strerror(errno));
		free(buf);
		return GM_EXIT_RUNTIME;
	}
	rc = GM_EXIT_OK;
	for (i = 0; i < np && rc == GM_EXIT_OK; i++) {
		struct sim_observer obs = {tick_log_add, &logs[i]};
		struct sim_result res;

		if (simulate_buf_obs(cfgs[i], buf ? buf : "", len, sink, &res,
				     err, sizeof(err), &obs) < 0) {
			fprintf(stderr, "ghostmemory: %s: %s\n",
				cfg->simulate_path, err);
			rc = GM_EXIT_USAGE;
		} else if (logs[i].oom) {
			fprintf(stderr, "ghostmemory: out of memory keeping "
				"the ticks of %s\n", cfg->simulate_path);
			rc = GM_EXIT_RUNTIME;
		} else {
			fprintf(info, "panel %zu: ticks=%ld grows=%lu "
				"shrinks=%lu no_room=%lu max_swap_kb=%" PRIu64
				"\n", i + 1, res.ticks, res.grows, res.shrinks,
				res.no_room, res.max_swap_b / 1024);
		}
	}
	fclose(sink);
	free(buf);
	if (rc == GM_EXIT_OK)
		rc = draw(cfgs, logs, np);
	for (i = 0; i < np; i++)
		tick_log_free(&logs[i]);
	return rc;
}
