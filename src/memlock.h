/* Locking the daemon in memory, and giving back the start-up-only pages
 * of its read-only file mappings (libc, ld.so, its own text) afterwards.
 * Which mappings are safe to give back is decided from /proc/self/smaps
 * text by a pure scanner; only memlock_start/memlock_trim make syscalls. */
#ifndef GM_MEMLOCK_H
#define GM_MEMLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Ranges kept from one scan; eligible mappings beyond it are left alone. */
#define MEMLOCK_MAX_RANGES 64

/* What memlock_start achieved. */
enum memlock_mode {
	MEMLOCK_NONE,    /* not locked (errno says why, already logged) */
	MEMLOCK_ALL,     /* MCL_CURRENT|MCL_FUTURE: everything populated */
	MEMLOCK_ONFAULT, /* ... |MCL_ONFAULT: pages locked as touched */
};

/* One mapping that may be given back: [start, end), page-aligned. */
struct memlock_range {
	uintptr_t start, end;
	uint64_t rss_kb; /* its Rss when scanned */
};

/* Scanner state: feed it smaps lines in order.  Kept: private, not
 * writable, readable mappings of a file (path from '/', not "(deleted)")
 * with Rss > 0, "Anonymous: 0 kB", "Swap: 0 kB" and no shared, hugetlb,
 * PFN/IO or userfaultfd VmFlags -- and only when the whole record was seen
 * (up to its VmFlags line).  Anything unexpected drops that mapping, never
 * the others. */
struct memlock_scan {
	struct memlock_range range[MEMLOCK_MAX_RANGES];
	int nranges;
	int over;        /* eligible mappings dropped for want of room */
	/* The record being read; private to memlock.c. */
	struct {
		struct memlock_range r;
		int state;     /* 0 none or poisoned, 1 candidate */
		unsigned seen; /* fields seen, a bit each */
		uint64_t anon_kb, swap_kb;
	} cur;
};

void memlock_scan_init(struct memlock_scan *s);

/* One line without its '\n'.  line == NULL says a line was lost (too
 * long for the reader's buffer): the record it belongs to is dropped. */
void memlock_scan_line(struct memlock_scan *s, const char *line, size_t len);

/* init + every line of buf.  A last record cut short is not kept. */
void memlock_scan_buf(struct memlock_scan *s, const char *buf, size_t len);

/* Scan path (normally /proc/self/smaps) in chunks: 0 or -errno. */
int memlock_scan_file(const char *path, struct memlock_scan *s);

/* mlockall(MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT), else without ONFAULT
 * (kernels before 4.4); logs a warning when neither works. */
enum memlock_mode memlock_start(void);

/* Give back the resident pages of the mappings memlock_scan_file selects
 * on /proc/self/smaps, then lock again on fault.  Only in MEMLOCK_ONFAULT
 * mode: otherwise nothing is done and 0 returned.  Returns the KiB the
 * resident set shrank by, or -errno.  Whatever fails, memory is locked
 * again on return; should even that fail, the "mlockall" warning of
 * memlock_start is logged.  Call it while no other thread loads or
 * unloads libraries (dlopen/dlclose) or changes mappings' protection. */
long memlock_trim(enum memlock_mode mode);

#endif
