/* The trace format of --simulate (see trace.h): parsing from a buffer,
 * strictly, with the line number of the first thing that is wrong. */
#include "trace.h"
#include "errbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool line_is(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(p, word, n) == 0;
}

/* Decimal digits into *v, at most max; false on anything else. */
static bool parse_dec(const char *p, size_t n, uint64_t max, uint64_t *v)
{
	size_t i;

	*v = 0;
	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		if (*v > (max - (uint64_t)(p[i] - '0')) / 10)
			return false;
		*v = *v * 10 + (uint64_t)(p[i] - '0');
	}
	return true;
}

/* "T <seconds>[.ddd]" -> milliseconds.  false if malformed. */
static bool parse_t(const char *p, size_t n, int64_t *t_ms)
{
	const char *dot, *end = p + n;
	uint64_t s, frac = 0;

	p += 1;
	if (p == end || (*p != ' ' && *p != '\t'))
		return false;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	dot = memchr(p, '.', (size_t)(end - p));
	if (!parse_dec(p, (size_t)((dot ? dot : end) - p), 1000000000000ULL,
		       &s))
		return false;
	if (dot) {
		size_t fl = (size_t)(end - dot - 1);
		if (fl < 1 || fl > 3 || !parse_dec(dot + 1, fl, 999, &frac))
			return false;
		while (fl++ < 3)
			frac *= 10;
	}
	*t_ms = (int64_t)(s * 1000 + frac);
	return true;
}

static int header_line(struct trace *tr, const char *p, size_t n,
		       bool *avail_set, bool *size_set)
{
	static const char *const keys[] = {"disk_avail_kb=", "disk_size_kb=",
					   "page_size="};
	size_t i, kl;
	uint64_t v;

	for (i = 0; i < 3; i++) {
		kl = strlen(keys[i]);
		if (n > kl && memcmp(p, keys[i], kl) == 0)
			break;
	}
	if (i == 3 || !parse_dec(p + kl, n - kl, (uint64_t)1 << 50, &v))
		return -1;
	if (i == 0) {
		tr->disk_avail_b = v * 1024;
		*avail_set = true;
	} else if (i == 1) {
		tr->disk_size_b = v * 1024;
		*size_set = true;
	} else {
		/* A page size the kernel could have: a power of two. */
		if (v < 1024 || v > ((uint64_t)1 << 20) || (v & (v - 1)))
			return -1;
		tr->page_size = v;
	}
	return 0;
}

static int add_snap(struct trace *tr, int64_t t_ms, const char *body)
{
	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? tr->cap * 2 : 64;
		struct trace_snap *s = realloc(tr->s, cap * sizeof(*s));
		if (!s)
			return -1;
		tr->s = s;
		tr->cap = cap;
	}
	tr->s[tr->n++] = (struct trace_snap){t_ms, body, 0};
	return 0;
}

int trace_parse(struct trace *tr, const char *buf, size_t len,
		       char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len;
	bool in_body = false, avail_set = false, size_set = false;
	long lineno = 0;

	memset(tr, 0, sizeof(*tr));
	tr->page_size = TRACE_DEFAULT_PAGE;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n;

		if (!eol)
			eol = end;
		n = (size_t)(eol - p);
		lineno++;
		if (lineno == 1) {
			if (!line_is(p, n, TRACE_MAGIC)) {
				seterr(err, errlen, "line 1: not a trace (the "
				       "first line must be \"" TRACE_MAGIC "\")");
				return -1;
			}
		} else if (n >= 1 && p[0] == 'T' && (n == 1 || p[1] == ' ' ||
						      p[1] == '\t')) {
			int64_t t;

			if (!parse_t(p, n, &t)) {
				seterr(err, errlen, "line %ld: bad time (want "
				       "\"T <seconds>\", up to 3 decimals)",
				       lineno);
				return -1;
			}
			if (tr->n && t < tr->s[tr->n - 1].t_ms) {
				seterr(err, errlen, "line %ld: time goes back",
				       lineno);
				return -1;
			}
			if (tr->n && tr->s[tr->n - 1].len == 0) {
				seterr(err, errlen, "line %ld: the snapshot "
				       "before this T is empty", lineno);
				return -1;
			}
			if (add_snap(tr, t, eol < end ? eol + 1 : end) < 0) {
				seterr(err, errlen, "out of memory");
				return -1;
			}
			in_body = true;
		} else if (in_body) {
			struct trace_snap *s = &tr->s[tr->n - 1];
			/* Blank lines and comments are not memory. */
			if (n && p[0] != '#')
				s->len = (size_t)((eol < end ? eol + 1 : end) -
						  s->body);
		} else if (n && p[0] != '#' &&
			   header_line(tr, p, n, &avail_set, &size_set) < 0) {
			seterr(err, errlen, "line %ld: expected a header "
			       "(disk_avail_kb=N, disk_size_kb=N, "
			       "page_size=N) or \"T <seconds>\"", lineno);
			return -1;
		}
		p = eol + 1;
	}
	if (lineno == 0) {
		seterr(err, errlen, "line 1: empty file, not a trace");
		return -1;
	}
	if (tr->n == 0 || tr->s[tr->n - 1].len == 0) {
		seterr(err, errlen, "line %ld: %s", lineno,
		       tr->n ? "the last snapshot is empty"
			     : "no snapshot (\"T <seconds>\" and meminfo)");
		return -1;
	}
	/* Either disk figure alone stands for both. */
	if (avail_set || size_set) {
		tr->have_disk = true;
		if (!size_set)
			tr->disk_size_b = tr->disk_avail_b;
		if (!avail_set)
			tr->disk_avail_b = tr->disk_size_b;
		if (tr->disk_avail_b > tr->disk_size_b) {
			seterr(err, errlen, "disk_avail_kb is larger than "
			       "disk_size_kb");
			return -1;
		}
	}
	return 0;
}

void trace_free(struct trace *tr)
{
	free(tr->s);
	tr->s = NULL;
	tr->n = tr->cap = 0;
}
