/* plotrun.c: the tick log grows without losing a tick; --compare-with
 * applies its keys and refuses a bad key or a setting that does not
 * validate; plot_run draws a stored trace (tests/traces, run from the
 * top of the tree) into an SVG with one or two panels, prints a summary
 * line a panel, and maps every failure to its exit code with a message. */
#include "config.h"
#include "plotrun.h"
#include "t.h"

#include <stdlib.h>

static char dir[] = "/tmp/gm-test-plotrun.XXXXXX";
static char svg[200], bad_trace[200];
static char out[8192]; /* what a capture caught */

static void test_tick_log(void)
{
	struct tick_log l = {0};
	struct sim_tick t;
	size_t i;
	bool same = true;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 3000; i++) {
		t.t_ms = (int64_t)i * 1000;
		tick_log_add(&l, &t);
	}
	for (i = 0; i < l.n; i++)
		same &= l.t[i].t_ms == (int64_t)i * 1000;
	CHECK(l.n == 3000 && !l.oom && same, "3000 ticks kept in order "
	      "(%zu)", l.n);
	tick_log_free(&l);
	CHECK(l.t == NULL && l.n == 0 && l.cap == 0, "tick_log_free empties");
}

static void test_compare_config(void)
{
	struct config c;
	char err[300] = "";

	config_defaults(&c);
	CHECK(plot_compare_config(&c, "cooldown=10,lower_freelimit=10", err,
				  sizeof(err)) == 0 &&
		      c.cooldown_s == 10 && c.lower_freelimit_pct == 10,
	      "two keys applied: %s", err);
	config_defaults(&c);
	CHECK(plot_compare_config(&c, "frobnicate=1", err, sizeof(err)) < 0 &&
		      strncmp(err, "frobnicate: ", 12) == 0,
	      "an unknown key, named: %s", err);
	config_defaults(&c);
	CHECK(plot_compare_config(&c, "cooldown=soon", err, sizeof(err)) < 0 &&
		      strncmp(err, "cooldown: ", 10) == 0,
	      "a bad value, its key named: %s", err);
	config_defaults(&c);
	CHECK(plot_compare_config(&c, "lower_freelimit=90", err,
				  sizeof(err)) < 0 && err[0] != '\0',
	      "a setting that does not validate (lower above upper): %s",
	      err);
}

/* plot_run with cfg; its exit code, what it printed on stdout and
 * stderr in out. */
static int plot(const struct config *c)
{
	int rc, saved;

	capture_begin();
	fflush(stdout);
	saved = dup(1);
	dup2(2, 1); /* stdout to the capture too */
	rc = plot_run(c);
	fflush(stdout);
	if (saved >= 0) {
		dup2(saved, 1);
		close(saved);
	}
	capture_end(out, sizeof(out));
	return rc;
}

static void test_plot_run(void)
{
	struct config c;
	const char *text;
	int rc;

	config_defaults(&c);
	snprintf(c.simulate_path, sizeof(c.simulate_path),
		 "tests/traces/spike.trace");
	snprintf(c.plot_path, sizeof(c.plot_path), "%s", svg);
	rc = plot(&c);
	text = slurp_text(svg);
	CHECK(rc == GM_EXIT_OK && text && strstr(text, "<svg") &&
		      strstr(text, "ghostmemory --simulate=spike.trace") &&
		      strstr(text, "</svg>"),
	      "one panel drawn (exit %d)", rc);
	CHECK(strncmp(out, "panel 1: ticks=", 15) == 0 &&
		      strstr(out, "panel 2") == NULL,
	      "one summary line: \"%s\"", out);

	snprintf(c.compare_with, sizeof(c.compare_with), "cooldown=10");
	rc = plot(&c);
	text = slurp_text(svg);
	CHECK(rc == GM_EXIT_OK && text && strstr(text, "with cooldown=10") &&
		      strstr(out, "\npanel 2: ticks="),
	      "--compare-with: a second panel (exit %d): \"%s\"", rc, out);

	snprintf(c.compare_with, sizeof(c.compare_with), "nokey=1");
	CHECK(plot(&c) == GM_EXIT_USAGE &&
		      strstr(out, "--compare-with: nokey: "),
	      "a bad --compare-with: usage: \"%s\"", out);
	c.compare_with[0] = '\0';

	snprintf(c.simulate_path, sizeof(c.simulate_path), "%s/none", dir);
	CHECK(plot(&c) == GM_EXIT_RUNTIME &&
		      strstr(out, "cannot read trace "),
	      "a missing trace: runtime: \"%s\"", out);

	snprintf(c.simulate_path, sizeof(c.simulate_path), "%s", bad_trace);
	CHECK(plot(&c) == GM_EXIT_USAGE && strstr(out, "line 1: "),
	      "a malformed trace: usage, with its line: \"%s\"", out);

	snprintf(c.simulate_path, sizeof(c.simulate_path),
		 "tests/traces/spike.trace");
	snprintf(c.plot_path, sizeof(c.plot_path), "%s/no/such/dir.svg", dir);
	CHECK(plot(&c) == GM_EXIT_RUNTIME && strstr(out, "cannot write "),
	      "an unwritable picture: runtime: \"%s\"", out);
}

int main(void)
{
	FILE *f;

	if (t_mkdtemp(dir) < 0)
		T_END();
	snprintf(svg, sizeof(svg), "%s/p.svg", dir);
	snprintf(bad_trace, sizeof(bad_trace), "%s/bad.trace", dir);
	f = fopen(bad_trace, "w");
	if (f) {
		fputs("not a trace\n", f);
		fclose(f);
	}
	test_tick_log();
	test_compare_config();
	test_plot_run();
	rm_tree(dir);
	T_END();
}
