/* /proc/swaps, parsed from a buffer.  The kernel prints a header line,
 * then one line per area: path (with space, tab, newline and backslash
 * escaped as \ooo octal; an unlinked file gets " (deleted)" appended
 * before escaping, so it shows as "\040(deleted)"), type, size and used
 * in KiB, and priority, separated by tabs and spaces.  Every other byte
 * of a path, control bytes included, is printed raw: any name a foreign
 * swap area has must parse, and a line that still cannot be read costs
 * that line only, never the areas listed around it. */
#include "swaps.h"

#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define DELETED_SUFFIX " (deleted)"
/* 32 areas with PATH_MAX paths, every byte escaped, fit well below. */
#define SWAPS_READ_MAX (4u << 20)

struct token {
	const char *s;
	size_t len;
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split [s, s+len) on blanks into at most max tokens; returns the token
 * count, or max + 1 when there are more. */
static int split(const char *s, size_t len, struct token *tok, int max)
{
	size_t i = 0;
	int n = 0;

	for (;;) {
		while (i < len && is_blank(s[i]))
			i++;
		if (i == len)
			return n;
		if (n == max)
			return max + 1;
		size_t start = i;

		while (i < len && !is_blank(s[i]))
			i++;
		tok[n].s = s + start;
		tok[n].len = i - start;
		n++;
	}
}

/* Decimal digits only: strtoull would take "-1", "+1" and " 1". */
static int parse_u64(const struct token *t, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (t->len == 0)
		return -EINVAL;
	for (i = 0; i < t->len; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			return -EINVAL;
		unsigned d = (unsigned)(t->s[i] - '0');


		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int parse_prio(const struct token *t, int *out)
{
	struct token digits = *t;
	uint64_t mag;
	int neg = 0;

	if (digits.len > 0 && digits.s[0] == '-') {
		neg = 1;
		digits.s++;
		digits.len--;
	}
	if (parse_u64(&digits, &mag) < 0)
		return -EINVAL;
	if (neg ? mag > (uint64_t)INT_MAX + 1 : mag > (uint64_t)INT_MAX)
		return -EINVAL;
	*out = neg ? (int)(0 - (int64_t)mag) : (int)mag;
	return 0;
}

/* Undo the kernel's \ooo escapes into e->path.  A path longer than the
 * field is cut short (it can never equal one of our own, much shorter
 * paths); a bad escape or an escaped NUL is malformed. */
static int unescape_path(const struct token *t, struct swaps_entry *e)
{
	size_t o, slen;

	if (gm_unescape_octal(t->s, t->len, e->path, sizeof(e->path), &o) <
	    0)
		return -EINVAL;
	if (o > sizeof(e->path) - 1)
		o = sizeof(e->path) - 1;
	slen = strlen(DELETED_SUFFIX);
	e->deleted = o > slen &&
		     strcmp(e->path + o - slen, DELETED_SUFFIX) == 0;
	if (e->deleted)
		e->path[o - slen] = '\0';
	return 0;
}

static int parse_line(const char *line, size_t len, struct swaps_entry *e)
{
	struct token tok[5];

	/* No path holds a NUL; any other byte may be raw (the kernel
	 * escapes only " \t\n\\"). */
	if (memchr(line, '\0', len) != NULL)
		return -EINVAL;
	if (split(line, len, tok, 5) != 5)
		return -EINVAL;
	if (unescape_path(&tok[0], e) < 0)
		return -EINVAL;
	e->is_file = tok[1].len == 4 && memcmp(tok[1].s, "file", 4) == 0;
	if (parse_u64(&tok[2], &e->size_kb) < 0 ||
	    parse_u64(&tok[3], &e->used_kb) < 0 ||
	    parse_prio(&tok[4], &e->priority) < 0)
		return -EINVAL;
	return 0;
}

static int is_header(const char *line, size_t len)
{
	static const char head[] = "Filename";
	size_t n = sizeof(head) - 1;

	return len >= n && memcmp(line, head, n) == 0 &&
	       (len == n || is_blank(line[n]));
}

/* The header is what tells /proc/swaps from anything else; after it,
 * every line is judged alone.  More than SWAPS_MAX areas cannot exist
 * (the kernel allows at most 32); extra lines are counted as skipped. */
int swaps_parse_buf(struct swaps_table *t, const char *buf, size_t len)
{
	size_t pos = 0, end;
	int seen_header = 0;

	t->count = 0;
	t->skipped = 0;
	if (buf == NULL)
		return -EINVAL;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);

		end = nl != NULL ? (size_t)(nl - buf) : len;
		if (!seen_header) {
			if (!is_header(buf + pos, end - pos))
				goto bad;
			seen_header = 1;
		} else if (end > pos) {
			if (t->count < SWAPS_MAX &&
			    parse_line(buf + pos, end - pos,
				       &t->e[t->count]) == 0)
				t->count++;
			else
				t->skipped++;
		}
		pos = end + 1;
	}
	if (!seen_header)
		goto bad;
	return 0;
bad:
	t->count = 0;
	t->skipped = 0;
	return -EINVAL;
}

int swaps_read(const char *path, struct swaps_table *t)
{
	size_t len = 0;
	char *buf = NULL;
	int rc;

	t->count = 0;
	t->skipped = 0;
	rc = gm_read_alloc(path, SWAPS_READ_MAX, &buf, &len);
	if (rc < 0)
		return rc;
	rc = swaps_parse_buf(t, buf ? buf : "", len);
	free(buf);
	return rc;
}

int swaps_find(const struct swaps_table *t, const char *path)
{
	int i;

	for (i = 0; i < t->count; i++)
		if (!t->e[i].deleted && strcmp(t->e[i].path, path) == 0)
			return i;
	return -1;
}
