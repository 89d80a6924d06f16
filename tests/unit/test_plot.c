/* plot_svg: one mark per grow, shrink and no-room, a band per run of a
 * state, NaN lifts the pen, titles escaped, thousands of ticks bucketed
 * per pixel column, and the panel count checked. */
#include "plot.h"

#include "t.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static char *draw(const char *title, const struct plot_panel *p, size_t np,
		  int *rc)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	*rc = plot_svg(f, title, p, np);
	fclose(f);
	return out;
}

int main(void)
{
	static struct sim_tick t[20000];
	struct plot_panel p[2];
	char *svg;
	int rc;
	size_t i;

	/* 60 ticks: grow at 10 and 11, no room at 12, shrink at 40, a read
	 * error at 20. */
	memset(t, 0, sizeof(t));
	for (i = 0; i < 60; i++) {
		t[i].t_ms = (int64_t)i * 1000;
		t[i].free_pct = i == 20 ? NAN : 50.0 - (double)i / 2;
		t[i].swap_b = (i >= 10 && i < 40) ? (64u << 20) : 0;
		t[i].files = t[i].swap_b ? 1 : 0;
		t[i].state = (i >= 10 && i < 30) ? FSM_HUNGRY : FSM_STEADY;
	}
	t[10].act = t[11].act = t[12].act = FSM_ACT_GROW;
	t[10].size_b = t[11].size_b = 32u << 20;
	t[12].outcome = FSM_NO_ROOM;
	t[40].act = FSM_ACT_SHRINK;
	t[40].size_b = 64u << 20;
	memset(p, 0, sizeof(p));
	p[0].title = "a <b> & \"c\"";
	p[0].lim = (struct plot_limits){20, 30, 60};
	p[0].t = t;
	p[0].n = 60;
	svg = draw("t & u", p, 1, &rc);
	CHECK(rc == 0, "plot_svg returned %d", rc);
	CHECK(strncmp(svg, "<?xml version=\"1.0\"", 19) == 0, "no XML declaration");
	CHECK(strstr(svg, "</svg>\n") != NULL, "document not closed");
	CHECK_EQ_U(count(svg, "class=\"mark grow\""), 2, "grow marks");
	CHECK_EQ_U(count(svg, "class=\"mark noroom\""), 1, "no-room marks");
	CHECK_EQ_U(count(svg, "class=\"mark shrink\""), 1, "shrink marks");
	CHECK_EQ_U(count(svg, "class=\"band hungry\""), 1, "hungry bands");
	CHECK_EQ_U(count(svg, "class=\"band steady\""), 0, "steady is not a band");
	CHECK(strstr(svg, "a &lt;b&gt; &amp; &quot;c&quot;") != NULL,
	      "panel title not escaped");
	CHECK(strstr(svg, "t &amp; u") != NULL, "title not escaped");
	CHECK(strstr(svg, "2 grows, 1 shrink, 1 no-room, peak 64 MiB") != NULL,
	      "panel counts");
	CHECK(strstr(svg, ">time (s)<") && strstr(svg, ">swap MiB<") &&
	      strstr(svg, ">free %<"), "axis titles");
	CHECK(count(svg, "class=\"panel\"") == 1, "one panel");
	free(svg);

	/* Two panels: the same axes (the same tick labels twice). */
	p[1] = p[0];
	p[1].n = 30;
	p[1].title = "second";
	svg = draw("two", p, 2, &rc);
	CHECK(rc == 0 && count(svg, "class=\"panel\"") == 2, "two panels");
	CHECK_EQ_U(count(svg, ">50</text>"), 2, "time axis 0..60 s in both");
	CHECK_EQ_U(count(svg, "class=\"mark grow\""), 4, "grow marks, two panels");
	free(svg);

	/* 20000 ticks: at most two points per pixel column. */
	for (i = 0; i < 20000; i++) {
		t[i].t_ms = (int64_t)i * 1000;
		t[i].free_pct = (double)(i % 100);
		t[i].act = FSM_ACT_NONE;
		t[i].state = FSM_STEADY;
		t[i].swap_b = 0;
	}
	p[0].n = 20000;
	svg = draw("long", p, 1, &rc);
	CHECK(rc == 0 && strlen(svg) < 200000,
	      "20000 ticks gave %zu bytes", strlen(svg));
	free(svg);

	/* No tick at all still makes a document; a bad panel count none. */
	p[0].n = 0;
	svg = draw("empty", p, 1, &rc);
	CHECK(rc == 0 && strstr(svg, "</svg>"), "empty replay");
	free(svg);
	svg = draw("none", p, 0, &rc);
	CHECK(rc == -EINVAL, "0 panels: %d", rc);
	free(svg);
	svg = draw("three", p, 3, &rc);
	CHECK(rc == -EINVAL, "3 panels: %d", rc);
	free(svg);
	T_END();
}
