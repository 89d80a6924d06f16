/* libFuzzer target: /proc/swaps parsing (swaps_parse_buf, swaps_find).
 * Properties: 0 or -EINVAL, with count and skipped 0 on error; kept
 * plus skipped lines never more than the lines given; at most SWAPS_MAX
 * entries, each path a NUL-terminated string inside its field; every
 * kept path is found again by swaps_find unless marked deleted; and a
 * table printed back the way the kernel prints it (octal escapes,
 * " (deleted)" suffix) parses to the same table. */
#include "fuzz.h"
#include "swaps.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Each path byte at most 4 bytes escaped, plus the numbers. */
#define SWAPS_FUZZ_LINE (4 * 512 + 128)

static struct swaps_table fuzz_tab, fuzz_again;
static char fuzz_text[64 + SWAPS_MAX * SWAPS_FUZZ_LINE];

/* Kernel-style escaping: seq_file_path escapes " \t\n\\" only, so
 * control bytes go back raw, as a foreign area's name would. */
static size_t escape_path(char *out, const char *path, const char *suffix)
{
	size_t o = 0;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		const unsigned char *s =
			(const unsigned char *)(pass ? suffix : path);

		for (; *s; s++) {
			if (*s == ' ' || *s == '\t' || *s == '\n' ||
			    *s == '\\')
				o += (size_t)sprintf(out + o, "\\%03o", *s);
			else
				out[o++] = (char)*s;
		}
	}
	return o;
}

static size_t print_table(const struct swaps_table *t, char *out)
{
	size_t o;
	int i;

	o = (size_t)sprintf(out, "Filename\t\t\t\tType\t\tSize\t\tUsed"
				 "\t\tPriority\n");
	for (i = 0; i < t->count; i++) {
		const struct swaps_entry *e = &t->e[i];

		o += escape_path(out + o, e->path,
				 e->deleted ? " (deleted)" : "");
		o += (size_t)sprintf(out + o,
				     " %s\t%" PRIu64 "\t%" PRIu64 "\t%d\n",
				     e->is_file ? "file" : "partition",
				     e->size_kb, e->used_kb, e->priority);
	}
	return o;
}

static int fuzz_swaps_one(const uint8_t *data, size_t size)
{
	size_t len, lines = 0, k;
	int rc, i;

	for (k = 0; k < size; k++)
		lines += data[k] == '\n';
	rc = swaps_parse_buf(&fuzz_tab, (const char *)data, size);
	FUZZ_ASSERT(rc == 0 || rc == -EINVAL);
	if (rc != 0) {
		FUZZ_ASSERT(fuzz_tab.count == 0 && fuzz_tab.skipped == 0);
		return 0;
	}
	/* The header is one line; the last may lack its newline. */
	FUZZ_ASSERT(fuzz_tab.skipped >= 0 &&
		    (size_t)fuzz_tab.count + (size_t)fuzz_tab.skipped <=
			    lines);
	FUZZ_ASSERT(fuzz_tab.count >= 0 && fuzz_tab.count <= SWAPS_MAX);
	for (i = 0; i < fuzz_tab.count; i++) {
		const struct swaps_entry *e = &fuzz_tab.e[i];
		int k;

		FUZZ_ASSERT(memchr(e->path, '\0', sizeof(e->path)) != NULL);
		FUZZ_ASSERT(e->path[0] != '\0');
		k = swaps_find(&fuzz_tab, e->path);
		if (e->deleted)
			FUZZ_ASSERT(k < 0 || !fuzz_tab.e[k].deleted);
		else
			FUZZ_ASSERT(k >= 0 && k <= i &&
				    strcmp(fuzz_tab.e[k].path, e->path) == 0);
	}

	len = print_table(&fuzz_tab, fuzz_text);
	rc = swaps_parse_buf(&fuzz_again, fuzz_text, len);
	FUZZ_ASSERT(rc == 0);
	FUZZ_ASSERT(fuzz_again.count == fuzz_tab.count);
	FUZZ_ASSERT(fuzz_again.skipped == 0);
	for (i = 0; rc == 0 && i < fuzz_tab.count; i++) {
		const struct swaps_entry *a = &fuzz_tab.e[i];
		const struct swaps_entry *b = &fuzz_again.e[i];

		FUZZ_ASSERT(strcmp(a->path, b->path) == 0);
		FUZZ_ASSERT(a->deleted == b->deleted);
		FUZZ_ASSERT(a->is_file == b->is_file);
		FUZZ_ASSERT(a->size_kb == b->size_kb);
		FUZZ_ASSERT(a->used_kb == b->used_kb);
		FUZZ_ASSERT(a->priority == b->priority);
	}
	return 0;
}

#ifndef GM_FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_swaps_one(data, size);
}
#endif
