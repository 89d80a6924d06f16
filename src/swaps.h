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
	int skipped;        /* lines that could not be read (not kept) */
	struct swaps_entry e[SWAPS_MAX];
};

/* 0, or -EINVAL on a malformed line (header line required first); on
 * error t->count is 0.  Lines past SWAPS_MAX are checked but not kept
 * (the kernel allows at most 32 areas).  A path longer than the field is
 * cut short.  Blank lines are skipped. */
int swaps_parse_buf(struct swaps_table *t, const char *buf, size_t len);
int swaps_read(const char *path, struct swaps_table *t);
/* Index of path in t, or -1.  Deleted entries never match: they are
 * not the file that now has that name. */
int swaps_find(const struct swaps_table *t, const char *path);

#endif
