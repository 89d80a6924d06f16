/* /proc/swaps parsing from a buffer. */
#ifndef GM_SWAPS_H
#define GM_SWAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWAPS_MAX 64

struct swaps_entry {
	char path[512];     /* unescaped (\040 -> ' '); " (deleted)" removed */
	bool deleted;       /* the kernel said " (deleted)" */
	bool is_file;       /* Type column says "file" */
	uint64_t size_kb;
	uint64_t used_kb;
	int priority;
};

struct swaps_table {
	int count;
	int skipped;        /* lines after the header not in e[]: unreadable,
			     * or past SWAPS_MAX; log this, not errno */
	struct swaps_entry e[SWAPS_MAX];
};

/* 0, or -EINVAL when buf is not /proc/swaps at all (no header line
 * first); on error count and skipped are 0.  A line that cannot be read
 * (bad escape, raw NUL, wrong field count, bad number) is left out and
 * counted in t->skipped, as are lines past SWAPS_MAX (the kernel allows
 * at most 32 areas); every other line is kept.  Raw control bytes in a
 * path are kept as they are.  A path longer than the field is cut
 * short.  Blank lines are ignored. */
int swaps_parse_buf(struct swaps_table *t, const char *buf, size_t len);
int swaps_read(const char *path, struct swaps_table *t);
/* Index of path in t, or -1.  Deleted entries never match: they are
 * not the file that now has that name. */
int swaps_find(const struct swaps_table *t, const char *path);

#endif
