/* A trace of /proc/meminfo snapshots for --simulate, parsed from a
 * buffer.  The format (doc/observability.md):
 *   ghostmemory-trace 1          first line, always
 *   # comment                    anywhere; blank lines are ignored
 *   disk_avail_kb=N              optional header lines, before the first
 *   disk_size_kb=N               T: the swap directory's filesystem
 *   page_size=N                  (default: unlimited disk, 4096)
 *   T <seconds>                  a snapshot taken at that time (up to
 *   MemTotal:  ... kB            three decimals, never decreasing),
 *   ...                          followed by /proc/meminfo as read */
#ifndef GM_TRACE_H
#define GM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_MAGIC "ghostmemory-trace 1"
#define TRACE_DEFAULT_PAGE 4096

struct trace_snap {
	int64_t t_ms;     /* the T line, milliseconds */
	const char *body; /* the meminfo text, inside the parsed buffer */
	size_t len;       /* up to its last line that is not a comment */
};

struct trace {
	struct trace_snap *s; /* n snapshots, times never decreasing */
	size_t n, cap;
	bool have_disk;       /* disk header lines were given */
	uint64_t disk_avail_b, disk_size_b;
	uint64_t page_size;
};

/* Parse buf (len bytes, may hold NUL; must outlive tr).  0, or -1 with
 * "line N: what" in err.  The snapshots' bodies are not parsed: that is
 * meminfo_parse_buf's job, tick by tick.  trace_free in both cases. */
int trace_parse(struct trace *tr, const char *buf, size_t len, char *err,
		size_t errlen);
void trace_free(struct trace *tr);

#endif
