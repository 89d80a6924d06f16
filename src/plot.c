/* --plot: an SVG of one or two replays (see plot.h).  Every coordinate
 * comes from the ticks; nothing here knows how they were produced.
 * No libm: ticks and scales use plain arithmetic.
 *
 * Over 450 lines on purpose: one SVG writer, whose parts (axes, bands,
 * lines, marks, legend) share the page geometry and the scales. */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* The page, in pixels.  A panel is a free% chart over a swap chart. */
#define W 1000
#define ML 72                 /* left margin: tick labels, axis title */
#define MR 28
#define PW (W - ML - MR)      /* plotting width */
#define FH 200                /* free% chart height */
#define SH 110                /* swap chart height */
#define GAP 24                /* between the two charts */
#define PT 24                 /* panel title line above the charts */
#define PB 44                 /* below the swap chart: x labels, title */
#define PH (PT + FH + GAP + SH + PB)
#define LEG_ROW 18
#define CHAR_W 6.6            /* rough width of a 12 px sans character */
#define MIB 1048576.0

/* One colour per FSM state; steady is left white (the normal case). */
static const char *const state_fill[] = {
	[FSM_STEADY] = "#ffffff",
	[FSM_HUNGRY] = "#f6b26b",
	[FSM_OVERFED] = "#9fc5e8",
	[FSM_DIET] = "#ea9999",
};
#define C_FREE "#222222"
#define C_LOWER "#c0392b"
#define C_TARGET "#1e8449"
#define C_UPPER "#2e6fb0"
#define C_PROV "#7d3c98"
#define C_USED "#d35400"
#define C_GROW "#1e8449"
#define C_SHRINK "#1f5fa8"
#define C_NOROOM "#c00000"

static void esc(FILE *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", o); break;
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '"': fputs("&quot;", o); break;
		default:
			/* Control characters are not allowed in XML 1.0. */
			if ((unsigned char)*s < 0x20 && *s != '\t')
				fputc('?', o);
			else
				fputc(*s, o);
		}
	}
}

/* 1, 2 or 5 times a power of ten, the smallest step giving at most
 * max_ticks intervals over range. */
static double nice_step(double range, int max_ticks)
{
	double raw = range / max_ticks, mag = 1;
	static const double m[] = {1, 2, 5, 10};
	int i;

	if (!(raw > 0))
		return 1;
	while (mag * 10 <= raw)
		mag *= 10;
	while (mag > raw)
		mag /= 10;
	for (i = 0; i < 4; i++)
		if (m[i] * mag >= raw)
			return m[i] * mag;
	return 10 * mag;
}

static void num(FILE *o, double v, double step)
{
	if (step >= 1)
		fprintf(o, "%.0f", v);
	else
		fprintf(o, "%.1f", v);
}

/* The scales every panel shares. */
struct frame {
	double tmax_ms;   /* right edge of the time axis */
	double vmax_mib;  /* top of the swap axis */
	double vstep_mib;
	double tstep_s;
};

static double xpos(const struct frame *fr, int64_t t_ms)
{
	return ML + (double)t_ms * PW / fr->tmax_ms;
}

static double ypos(double top, double h, double v, double vmax)
{
	if (v < 0)
		v = 0;
	if (v > vmax)
		v = vmax;
	return top + h - v / vmax * h;
}

static double get_free(const struct sim_tick *t)
{
	return t->free_pct;
}

static double get_used(const struct sim_tick *t)
{
	return (double)t->swap_used_b / MIB;
}

/* A line through every tick, or through the lowest and highest value of
 * each pixel column when there are more ticks than pixels; NaN lifts the
 * pen. */
static void series(FILE *o, const struct frame *fr, const struct sim_tick *t,
		   size_t n, double (*get)(const struct sim_tick *),
		   double top, double h, double vmax, const char *style)
{
	bool pen = false, have = false, min_first = false;
	double lo = 0, hi = 0;
	long col = -1;
	size_t i;

	fprintf(o, "<path fill=\"none\" %s d=\"", style);
	for (i = 0; i <= n; i++) {
		double v = i < n ? get(&t[i]) : NAN;
		double x = i < n ? xpos(fr, t[i].t_ms) : 0;
		long c = (long)x;

		if (have && (i == n || isnan(v) || c != col)) {
			double a = min_first ? lo : hi, b = min_first ? hi : lo;
			fprintf(o, "%c%.1f %.1f", pen ? 'L' : 'M', (double)col,
				ypos(top, h, a, vmax));
			if (a != b)
				fprintf(o, "L%.1f %.1f", (double)col,
					ypos(top, h, b, vmax));
			pen = true;
			have = false;
		}
		if (i == n)
			break;
		if (isnan(v)) {
			pen = false;
			continue;
		}
		if (n <= 2 * PW) {
			fprintf(o, "%c%.1f %.1f", pen ? 'L' : 'M', x,
				ypos(top, h, v, vmax));
			pen = true;
			continue;
		}
		if (!have) {
			col = c;
			lo = hi = v;
			have = true;
			min_first = true;
		} else if (v < lo) {
			lo = v;
			min_first = false;
		} else if (v > hi) {
			hi = v;
		}
	}
	fputs("\"/>\n", o);
}

/* The provisioned swap: a step line with a light area under it. */
static void steps(FILE *o, const struct frame *fr, const struct sim_tick *t,
		  size_t n, double top, double h)
{
	int pass;
	size_t i;

	if (n == 0)
		return;
	for (pass = 0; pass < 2; pass++) {
		if (pass == 0)
			fprintf(o, "<path fill=\"" C_PROV "\" fill-opacity=\"0.18\""
				" stroke=\"none\" d=\"");
		else
			fprintf(o, "<path fill=\"none\" stroke=\"" C_PROV "\" "
				"stroke-width=\"1.5\" d=\"");
		fprintf(o, "M%.1f %.1f", xpos(fr, t[0].t_ms),
			ypos(top, h, (double)t[0].swap_b / MIB, fr->vmax_mib));
		for (i = 1; i < n; i++)
			if (t[i].swap_b != t[i - 1].swap_b)
				fprintf(o, "H%.1fV%.1f", xpos(fr, t[i].t_ms),
					ypos(top, h, (double)t[i].swap_b / MIB,
					     fr->vmax_mib));
		fprintf(o, "H%.1f", xpos(fr, t[n - 1].t_ms));
		if (pass == 0)
			fprintf(o, "V%.1fH%.1fZ", top + h, xpos(fr, t[0].t_ms));
		fputs("\"/>\n", o);
	}
}

/* The FSM state of each run of ticks as a band behind the free line. */
static void bands(FILE *o, const struct frame *fr, const struct sim_tick *t,
		  size_t n, double top)
{
	size_t i, start = 0;

	for (i = 1; i <= n; i++) {
		double x0, x1;

		if (i < n && t[i].state == t[start].state)
			continue;
		x0 = xpos(fr, t[start].t_ms);
		x1 = i < n ? xpos(fr, t[i].t_ms) : xpos(fr, t[n - 1].t_ms);
		if (x1 - x0 < 1)
			x1 = x0 + 1;
		if (t[start].state != FSM_STEADY &&
		    (unsigned)t[start].state < 4)
			fprintf(o, "<rect class=\"band %s\" x=\"%.1f\" y=\"%.1f\" "
				"width=\"%.1f\" height=\"%d\" fill=\"%s\" "
				"fill-opacity=\"0.6\"/>\n",
				fsm_state_name(t[start].state), x0, top,
				x1 - x0, FH, state_fill[t[start].state]);
		start = i;
	}
}

static void mark(FILE *o, const char *cls, const char *colour, double x,
		 double y, const char *shape, const struct sim_tick *t)
{
	fprintf(o, "<path class=\"mark %s\" fill=\"%s\" stroke=\"%s\" "
		"stroke-width=\"1.5\" d=\"", cls, colour, colour);
	if (strcmp(shape, "up") == 0)
		fprintf(o, "M%.1f %.1fl5 8h-10z", x, y - 4);
	else if (strcmp(shape, "down") == 0)
		fprintf(o, "M%.1f %.1fl5 -8h-10z", x, y + 4);
	else
		fprintf(o, "M%.1f %.1fl8 8m0 -8l-8 8", x - 4, y - 4);
	fprintf(o, "\"><title>%s at %.0f s", cls, (double)t->t_ms / 1000);
	if (t->size_b)
		fprintf(o, ": %.0f MiB", (double)t->size_b / MIB);
	fputs("</title></path>\n", o);
}

static void marks(FILE *o, const struct frame *fr, const struct sim_tick *t,
		  size_t n, double top)
{
	size_t i;

	for (i = 0; i < n; i++) {
		double x = xpos(fr, t[i].t_ms);

		if (t[i].act == FSM_ACT_GROW && t[i].outcome == FSM_OK)
			mark(o, "grow", C_GROW, x,
			     ypos(top, SH, (double)t[i].swap_b / MIB,
				  fr->vmax_mib), "up", &t[i]);
		else if (t[i].act == FSM_ACT_GROW)
			mark(o, "noroom", C_NOROOM, x, top + 6, "x", &t[i]);
		else if (t[i].act == FSM_ACT_SHRINK && t[i].outcome == FSM_OK)
			mark(o, "shrink", C_SHRINK, x,
			     ypos(top, SH,
				  (double)(t[i].swap_b + t[i].size_b) / MIB,
				  fr->vmax_mib), "down", &t[i]);
	}
}

static void hline(FILE *o, double y, const char *colour, bool dashed)
{
	fprintf(o, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"%s\" stroke-width=\"1.2\"%s/>\n", ML, ML + PW, y, y,
		colour, dashed ? " stroke-dasharray=\"6 4\"" : "");
}

static void yaxis_title(FILE *o, double mid, const char *what)
{
	fprintf(o, "<text transform=\"translate(18 %.1f) rotate(-90)\" "
		"text-anchor=\"middle\">%s</text>\n", mid, what);
}

static void grid_x(FILE *o, const struct frame *fr, double top, double h,
		   bool labels)
{
	double s;

	for (s = 0; s * 1000 <= fr->tmax_ms + 1e-6; s += fr->tstep_s) {
		double x = ML + s * 1000 * PW / fr->tmax_ms;
		fprintf(o, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n", x, x, top,
			top + h);
		if (!labels)
			continue;
		fprintf(o, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
			x, top + h + 15);
		num(o, s, fr->tstep_s);
		fputs("</text>\n", o);
	}
}

static void panel(FILE *o, const struct frame *fr, const struct plot_panel *p,
		  double y0)
{
	double ft = y0 + PT, st = ft + FH + GAP, v;
	unsigned long grows = 0, shrinks = 0, noroom = 0;
	uint64_t peak = 0;
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (p->t[i].act == FSM_ACT_GROW && p->t[i].outcome == FSM_OK)
			grows++;
		else if (p->t[i].act == FSM_ACT_GROW)
			noroom++;
		else if (p->t[i].act == FSM_ACT_SHRINK &&
			 p->t[i].outcome == FSM_OK)
			shrinks++;
		if (p->t[i].swap_b > peak)
			peak = p->t[i].swap_b;
	}
	fprintf(o, "<g class=\"panel\">\n<text x=\"%d\" y=\"%.1f\" "
		"font-size=\"13\" font-weight=\"bold\">", ML, y0 + 15);
	esc(o, p->title ? p->title : "");
	fprintf(o, " \xc2\xb7 %lu grow%s, %lu shrink%s, %lu no-room, peak "
		"%.0f MiB</text>\n", grows, grows == 1 ? "" : "s", shrinks,
		shrinks == 1 ? "" : "s", noroom, (double)peak / MIB);

	/* free % chart */
	bands(o, fr, p->t, p->n, ft);
	grid_x(o, fr, ft, FH, false);
	for (v = 0; v <= 100; v += 20) {
		double y = ypos(ft, FH, v, 100);
		fprintf(o, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#e3e3e3\"/>\n<text x=\"%d\" y=\"%.1f\" "
			"text-anchor=\"end\">%.0f</text>\n", ML, ML + PW, y, y,
			ML - 6, y + 4, v);
	}
	hline(o, ypos(ft, FH, p->lim.upper_pct, 100), C_UPPER, true);
	hline(o, ypos(ft, FH, p->lim.target_pct, 100), C_TARGET, true);
	hline(o, ypos(ft, FH, p->lim.lower_pct, 100), C_LOWER, true);
	series(o, fr, p->t, p->n, get_free, ft, FH, 100,
	       "stroke=\"" C_FREE "\" stroke-width=\"1.6\"");
	fprintf(o, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" "
		"fill=\"none\" stroke=\"#888\"/>\n", ML, ft, PW, FH);
	yaxis_title(o, ft + FH / 2.0, "free %");

	/* swap chart */
	grid_x(o, fr, st, SH, true);
	for (v = 0; v <= fr->vmax_mib + 1e-9; v += fr->vstep_mib) {
		double y = ypos(st, SH, v, fr->vmax_mib);
		fprintf(o, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#e3e3e3\"/>\n<text x=\"%d\" y=\"%.1f\" "
			"text-anchor=\"end\">", ML, ML + PW, y, y, ML - 6,
			y + 4);
		num(o, v, fr->vstep_mib);
		fputs("</text>\n", o);
	}
	steps(o, fr, p->t, p->n, st, SH);
	series(o, fr, p->t, p->n, get_used, st, SH, fr->vmax_mib,
	       "stroke=\"" C_USED "\" stroke-width=\"1.4\"");
	marks(o, fr, p->t, p->n, st);
	fprintf(o, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" "
		"fill=\"none\" stroke=\"#888\"/>\n", ML, st, PW, SH);
	yaxis_title(o, st + SH / 2.0, "swap MiB");
	fprintf(o, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">time "
		"(s)</text>\n</g>\n", ML + PW / 2.0, st + SH + 34);
}

/* The legend, wrapped into rows; returns its height.  o NULL: only
 * measure. */
static double legend(FILE *o, double y0)
{
	static const struct item {
		const char *label, *kind, *colour;
	} items[] = {
		{"free %", "line", C_FREE},
		{"lower_freelimit", "dash", C_LOWER},
		{"freetarget", "dash", C_TARGET},
		{"upper_freelimit", "dash", C_UPPER},
		{"swap provisioned", "area", C_PROV},
		{"swap used", "line", C_USED},
		{"grow", "up", C_GROW},
		{"shrink", "down", C_SHRINK},
		{"no room", "x", C_NOROOM},
		{"hungry", "band", "#f6b26b"},
		{"overfed", "band", "#9fc5e8"},
		{"diet", "band", "#ea9999"},
		{"steady", "band", "#ffffff"},
	};
	double x = ML, y = y0;
	size_t i;

	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		const struct item *it = &items[i];
		double w = 22 + 6 + strlen(it->label) * CHAR_W + 16;

		if (x + w > W - MR) {
			x = ML;
			y += LEG_ROW;
		}
		if (!o) {
			x += w;
			continue;
		}
		if (strcmp(it->kind, "line") == 0 || strcmp(it->kind, "dash") == 0)
			fprintf(o, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
				x, x + 22, y - 4, y - 4, it->colour,
				it->kind[0] == 'd' ? " stroke-dasharray=\"6 4\""
						   : "");
		else if (strcmp(it->kind, "area") == 0 ||
			 strcmp(it->kind, "band") == 0)
			fprintf(o, "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" "
				"height=\"10\" fill=\"%s\" fill-opacity=\"%s\" "
				"stroke=\"%s\"/>\n", x, y - 9, it->colour,
				it->kind[0] == 'a' ? "0.3" : "0.6",
				it->kind[0] == 'a' ? it->colour : "#aaa");
		else
			fprintf(o, "<path fill=\"%s\" stroke=\"%s\" "
				"stroke-width=\"1.5\" d=\"%s\" transform="
				"\"translate(%.1f %.1f)\"/>\n", it->colour,
				it->colour,
				it->kind[0] == 'u'   ? "M0 -4l5 8h-10z"
				: it->kind[0] == 'd' ? "M0 4l5 -8h-10z"
						     : "M-4 -4l8 8m0 -8l-8 8",
				x + 11, y - 4);
		fprintf(o, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 28, y,
			it->label);
		x += w;
	}
	return y - y0 + LEG_ROW;
}

int plot_svg(FILE *out, const char *title, const struct plot_panel *p,
	     size_t npanels)
{
	struct frame fr;
	double top, height, tmax_s, vmax = 0;
	size_t i, j;

	if (npanels < 1 || npanels > PLOT_MAX_PANELS)
		return -EINVAL;
	fr.tmax_ms = 0;
	for (i = 0; i < npanels; i++) {
		if (p[i].n && (double)p[i].t[p[i].n - 1].t_ms > fr.tmax_ms)
			fr.tmax_ms = (double)p[i].t[p[i].n - 1].t_ms;
		for (j = 0; j < p[i].n; j++) {
			double a = (double)p[i].t[j].swap_b / MIB;
			double b = (double)p[i].t[j].swap_used_b / MIB;
			if (a > vmax)
				vmax = a;
			if (b > vmax)
				vmax = b;
		}
	}
	if (fr.tmax_ms < 1000)
		fr.tmax_ms = 1000;
	tmax_s = fr.tmax_ms / 1000;
	fr.tstep_s = nice_step(tmax_s, 10);
	if (vmax < 1)
		vmax = 1;
	fr.vstep_mib = nice_step(vmax, 4);
	fr.vmax_mib = fr.vstep_mib * (double)(long)(vmax / fr.vstep_mib);
	if (fr.vmax_mib < vmax)
		fr.vmax_mib += fr.vstep_mib;

	/* The panels start below the legend, whose rows depend on W. */
	top = 46 + legend(NULL, 0) + 6;
	height = top + (double)npanels * PH + 8;
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\" "
		"font-family=\"DejaVu Sans, Verdana, sans-serif\" "
		"font-size=\"12\" fill=\"#222\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
		"<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">",
		W, height, W, height, ML);
	esc(out, title ? title : "");
	fputs("</text>\n<g class=\"legend\">\n", out);
	legend(out, 46);
	fputs("</g>\n", out);
	for (i = 0; i < npanels; i++)
		panel(out, &fr, &p[i], top + (double)i * PH);
	fputs("</svg>\n", out);
	return ferror(out) ? -EIO : 0;
}
