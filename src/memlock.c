/* Memory locking: mlockall at start, and the trim that gives back what
 * only start-up touched.  The choice of mappings is a pure scan of
 * /proc/self/smaps text; the syscalls are in memlock_start/memlock_trim.
 *
 * Why the trim is safe.  Under mlockall(MCL_ONFAULT) every page touched
 * during start-up (config parsing, daemonize, the dynamic loader's
 * relocation, plus the 64 KiB fault-around windows around each) stays
 * resident and locked for good.  We give back only pages of private,
 * read-only, file-backed mappings with no anonymous (COW) page and no
 * swapped-out page: such a mapping holds nothing but the page cache's own
 * pages of the file, so MADV_DONTNEED merely unmaps them and the next
 * touch maps the same bytes back in (madvise(2): on a private file
 * mapping, pages are repopulated from the file; a minor fault while the
 * file is cached).  A writable mapping, or one with COW'd pages (ld.so's
 * relocated RELRO is "r--p" after mprotect but anonymous), holds data the
 * file does not: dropping it would crash us, so it is never selected.
 * MADV_DONTNEED refuses locked areas (EINVAL), so each range is unlocked
 * with munlock first -- only those ranges, not munlockall, so our heap
 * and stack are never unlocked.  mlockall(MCL_ONFAULT) afterwards does not
 * populate anything (mlockall(2)); the pages the loop uses fault back in
 * and are locked again as it runs, the rest stays out. */
#include "memlock.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A figure above this (1 EiB in KiB) is garbage. */
#define SMAPS_MAX_KB (1ULL << 50)

/* Every page size Linux has is a multiple of this. */
#define MIN_PAGE 4096u

enum { SEEN_RSS = 1, SEEN_ANON = 2, SEEN_SWAP = 4 };
enum { CUR_NONE = 0, CUR_CANDIDATE = 1 };

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int hex_val(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* Hex digits at *p (up to end) into *out; at least one, no overflow. */
static bool take_hex(const char **p, const char *end, uint64_t *out)
{
	const char *q = *p;
	uint64_t v = 0;

	while (q < end && is_hex(*q)) {
		if (v >> 60)
			return false;
		v = v << 4 | (uint64_t)hex_val(*q);
		q++;
	}
	if (q == *p)
		return false;
	*p = q;
	*out = v;
	return true;
}

static bool take_dec(const char **p, const char *end, uint64_t *out,
		     uint64_t max)
{
	const char *q = *p;
	uint64_t v = 0;

	while (q < end && *q >= '0' && *q <= '9') {
		uint64_t d = (uint64_t)(*q - '0');

		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
		q++;
	}
	if (q == *p)
		return false;
	*p = q;
	*out = v;
	return true;
}

static bool take_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

static bool ends_with(const char *p, const char *end, const char *suffix)
{
	size_t n = strlen(suffix);

	return (size_t)(end - p) >= n && memcmp(end - n, suffix, n) == 0;
}

/* "start-end perms offset major:minor inode [path]": true when the line
 * has that shape and names a mapping we may give back. */
static bool header_eligible(const char *p, const char *end,
			    struct memlock_range *r)
{
	uint64_t start, stop, off, dev, inode;
	const char *perms;

	if (!take_hex(&p, end, &start) || !take_char(&p, end, '-') ||
	    !take_hex(&p, end, &stop) || !take_char(&p, end, ' '))
		return false;
	if (end - p < 5 || p[4] != ' ')
		return false;
	perms = p;
	p += 5;
	if (!take_hex(&p, end, &off) || !take_char(&p, end, ' ') ||
	    !take_hex(&p, end, &dev) || !take_char(&p, end, ':') ||
	    !take_hex(&p, end, &dev) || !take_char(&p, end, ' ') ||
	    !take_dec(&p, end, &inode, UINT64_MAX))
		return false;
	/* Read-only (x or not), private; "---p" holds nothing to give. */
	if (perms[0] != 'r' || perms[1] != '-' ||
	    (perms[2] != 'x' && perms[2] != '-') || perms[3] != 'p')
		return false;
	if (start >= stop || start % MIN_PAGE || stop % MIN_PAGE ||
	    stop > UINTPTR_MAX || inode == 0)
		return false;
	/* The path, after padding; none for anonymous memory, "[...]" for
	 * vdso, vvar, stack, heap and named anonymous memory. */
	if (!take_char(&p, end, ' '))
		return false;
	while (p < end && *p == ' ')
		p++;
	if (p == end || *p != '/')
		return false;
	/* The file may be gone or replaced; memfd names look like this
	 * too.  Nothing to gain from guessing. */
	if (ends_with(p, end, " (deleted)"))
		return false;
	r->start = (uintptr_t)start;
	r->end = (uintptr_t)stop;
	r->rss_kb = 0;
	return true;
}

/* "Key:   123 kB" with key already matched: the number, or false. */
static bool field_kb(const char *p, const char *end, uint64_t *out)
{
	while (p < end && *p == ' ')
		p++;
	if (!take_dec(&p, end, out, SMAPS_MAX_KB))
		return false;
	return end - p == 3 && memcmp(p, " kB", 3) == 0;
}

/* VmFlags words that rule a mapping out whatever its perms line said:
 * writable or shared, stack, raw PFN/IO memory, hugetlb, userfaultfd. */
static bool vmflags_ok(const char *p, const char *end)
{
	static const char deny[][3] = {"wr", "sh", "ms", "gd", "pf",
				       "io", "ht", "um", "uw", "ui"};
	bool readable = false;
	size_t i;

	while (p < end) {
		const char *w;

		while (p < end && *p == ' ')
			p++;
		w = p;
		while (p < end && *p != ' ')
			p++;
		if (p == w)
			break;
		if (p - w != 2)
			return false; /* every flag is two letters */
		if (memcmp(w, "rd", 2) == 0)
			readable = true;
		for (i = 0; i < sizeof(deny) / sizeof(deny[0]); i++)
			if (memcmp(w, deny[i], 2) == 0)
				return false;
	}
	return readable;
}

static void commit(struct memlock_scan *s)
{
	const unsigned all = SEEN_RSS | SEEN_ANON | SEEN_SWAP;

	if (s->cur.seen != all || s->cur.anon_kb || s->cur.swap_kb ||
	    s->cur.r.rss_kb == 0)
		return;
	if (s->nranges >= MEMLOCK_MAX_RANGES) {
		s->over++;
		return;
	}
	s->range[s->nranges++] = s->cur.r;
}

void memlock_scan_init(struct memlock_scan *s)
{
	memset(s, 0, sizeof(*s));
}

void memlock_scan_line(struct memlock_scan *s, const char *line, size_t len)
{
	static const struct {
		const char *key;
		unsigned bit;
	} fields[] = {
		{"Rss:", SEEN_RSS},
		{"Anonymous:", SEEN_ANON},
		{"Swap:", SEEN_SWAP},
	};
	const char *end;
	uint64_t kb;
	size_t i;

	if (!line) {
		s->cur.state = CUR_NONE;
		return;
	}
	end = line + len;
	/* Only a mapping's first line starts with a (lower-case hex)
	 * digit; field names start with a capital. */
	if (len > 0 && is_hex(line[0])) {
		memset(&s->cur, 0, sizeof(s->cur));
		if (header_eligible(line, end, &s->cur.r))
			s->cur.state = CUR_CANDIDATE;
		return;
	}
	if (s->cur.state != CUR_CANDIDATE)
		return;
	/* VmFlags is a record's last line (Linux >= 3.8): decide now. */
	if (len >= 8 && memcmp(line, "VmFlags:", 8) == 0) {
		if (vmflags_ok(line + 8, end))
			commit(s);
		s->cur.state = CUR_NONE;
		return;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t klen = strlen(fields[i].key);

		if (len < klen || memcmp(line, fields[i].key, klen) != 0)
			continue;
		/* Twice, or not a number: not a kernel's record. */
		if ((s->cur.seen & fields[i].bit) ||
		    !field_kb(line + klen, end, &kb)) {
			s->cur.state = CUR_NONE;
			return;
		}
		s->cur.seen |= fields[i].bit;
		if (fields[i].bit == SEEN_RSS)
			s->cur.r.rss_kb = kb;
		else if (fields[i].bit == SEEN_ANON)
			s->cur.anon_kb = kb;
		else
			s->cur.swap_kb = kb;
		return;
	}
}

void memlock_scan_buf(struct memlock_scan *s, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	memlock_scan_init(s);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		/* A line without its newline may be cut anywhere. */
		if (!eol) {
			memlock_scan_line(s, NULL, 0);
			break;
		}
		memlock_scan_line(s, p, (size_t)(eol - p));
		p = eol + 1;
	}
}

int memlock_scan_file(const char *path, struct memlock_scan *s)
{
	char buf[4096];
	size_t len = 0;
	bool lost = false; /* inside a line too long for buf */
	int fd;

	memlock_scan_init(s);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		const char *p = buf, *eol;
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			memlock_scan_init(s);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		while ((eol = memchr(p, '\n', len - (size_t)(p - buf)))) {
			if (lost)
				lost = false; /* the tail of a lost line */
			else
				memlock_scan_line(s, p, (size_t)(eol - p));
			p = eol + 1;
		}
		len -= (size_t)(p - buf);
		memmove(buf, p, len);
		if (len == sizeof(buf)) {
			memlock_scan_line(s, NULL, 0);
			lost = true;
			len = 0;
		}
	}
	close(fd);
	if (len > 0 && !lost)
		memlock_scan_line(s, NULL, 0);
	return 0;
}

enum memlock_mode memlock_start(void)
{
	/* MCL_ONFAULT (Linux 4.4): lock pages as they are touched, so the
	 * untouched parts of libc do not count in our locked RSS. */
#ifdef MCL_ONFAULT
	if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) == 0)
		return MEMLOCK_ONFAULT;
#endif
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
		log_warn("mlockall");
		return MEMLOCK_NONE;
	}
	return MEMLOCK_ALL;
}

/* Resident set from /proc/self/statm (its second field), KiB; -1. */
static long statm_rss_kb(void)
{
	char buf[128], *p, *end;
	unsigned long pages;
	long page_kb = sysconf(_SC_PAGESIZE) / 1024;
	ssize_t n;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	do
		n = read(fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n <= 0 || page_kb <= 0)
		return -1;
	buf[n] = '\0';
	p = strchr(buf, ' ');
	if (!p)
		return -1;
	errno = 0;
	pages = strtoul(p + 1, &end, 10);
	if (errno || end == p + 1 || pages > (unsigned long)LONG_MAX / 1024)
		return -1;
	return (long)pages * page_kb;
}

long memlock_trim(enum memlock_mode mode)
{
#ifdef MCL_ONFAULT
	struct memlock_scan s;
	long before_kb, after_kb, asked_kb = 0;
	int i, rc, err = 0;

	/* Under plain MCL_CURRENT the re-lock would bring it all back. */
	if (mode != MEMLOCK_ONFAULT)
		return 0;
	rc = memlock_scan_file("/proc/self/smaps", &s);
	if (rc < 0)
		return rc;
	if (s.nranges == 0)
		return 0;
	before_kb = statm_rss_kb();
	for (i = 0; i < s.nranges; i++) {
		void *addr = (void *)s.range[i].start;
		size_t len = s.range[i].end - s.range[i].start;

		/* A range we cannot unlock (unmapped since) is left alone. */
		if (munlock(addr, len) < 0) {
			err = err ? err : errno;
			continue;
		}
		if (madvise(addr, len, MADV_DONTNEED) < 0)
			err = err ? err : errno;
		else
			asked_kb += (long)s.range[i].rss_kb;
	}
	if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) < 0) {
		err = err ? err : errno;
		/* Locked and populated beats unlocked. */
		if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
			log_warn("mlockall");
			return -err;
		}
	}
	if (err)
		return -err;
	after_kb = statm_rss_kb();
	if (before_kb < 0 || after_kb < 0)
		return asked_kb;
	return before_kb > after_kb ? before_kb - after_kb : 0;
#else
	(void)mode;
	return 0;
#endif
}
