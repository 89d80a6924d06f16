/* /proc/meminfo: parse from a buffer, then the free figure of SPEC. */
#include "meminfo.h"


#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* A figure above this (1 EiB in KiB) is garbage, and keeps sums exact. */
#define MEMINFO_MAX_KB (1ULL << 50)

enum { F_REQUIRED = 1, F_AVAIL = 2, F_OLDCACHE = 4, F_COMMIT = 8,
       F_ZSWAP = 16 };

static const struct field {
	const char *name;
	size_t off;
	int flags;
} fields[] = {
	{"MemTotal", offsetof(struct meminfo, mem_total_kb), F_REQUIRED},
	{"MemFree", offsetof(struct meminfo, mem_free_kb), F_REQUIRED},
	{"MemAvailable", offsetof(struct meminfo, mem_available_kb), F_AVAIL},
	{"Buffers", offsetof(struct meminfo, buffers_kb), F_OLDCACHE},
	{"Cached", offsetof(struct meminfo, cached_kb), F_OLDCACHE},
	{"Dirty", offsetof(struct meminfo, dirty_kb), 0},
	{"Writeback", offsetof(struct meminfo, writeback_kb), 0},
	{"Shmem", offsetof(struct meminfo, shmem_kb), 0},
	{"SwapCached", offsetof(struct meminfo, swap_cached_kb), 0},
	{"SwapTotal", offsetof(struct meminfo, swap_total_kb), F_REQUIRED},
	{"SwapFree", offsetof(struct meminfo, swap_free_kb), F_REQUIRED},
	{"CommitLimit", offsetof(struct meminfo, commit_limit_kb), F_COMMIT},
	{"Committed_AS", offsetof(struct meminfo, committed_as_kb), F_COMMIT},
	{"Zswap", offsetof(struct meminfo, zswap_kb), F_ZSWAP},
	{"Zswapped", offsetof(struct meminfo, zswapped_kb), F_ZSWAP},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* "   12345 kB" (up to end) -> value; -EINVAL on anything else. */
static int parse_kb(const char *p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *digits;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	digits = p;
	while (p < end && *p >= '0' && *p <= '9') {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > MEMINFO_MAX_KB)
			return -EINVAL;
		p++;
	}
	if (p == digits)
		return -EINVAL;
	if (end - p != 3 || memcmp(p, " kB", 3) != 0)
		return -EINVAL;
	*out = v;
	return 0;
}

int meminfo_parse_buf(struct meminfo *mi, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	unsigned seen = 0, commit = 0, zswap = 0;
	size_t i;

	memset(mi, 0, sizeof(*mi));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *colon;

		if (!eol)
			eol = end;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (colon) {
			size_t klen = (size_t)(colon - p);
			for (i = 0; i < NFIELDS; i++) {
				if (strlen(fields[i].name) != klen ||
				    memcmp(fields[i].name, p, klen) != 0)
					continue;
				/* A field given twice is not a kernel's file. */
				if (seen & (1u << i))
					return -EINVAL;
				if (parse_kb(colon + 1, eol,
					     (uint64_t *)((char *)mi +
							  fields[i].off)) < 0)
					return -EINVAL;
				seen |= 1u << i;
			}
		}
		p = eol + 1;
	}
	for (i = 0; i < NFIELDS; i++) {
		if ((fields[i].flags & F_REQUIRED) && !(seen & (1u << i)))
			return -EINVAL;
		if (fields[i].flags & F_AVAIL)
			mi->has_mem_available = (seen >> i) & 1;
		if (fields[i].flags & F_COMMIT)
			commit += (seen >> i) & 1;
		if (fields[i].flags & F_ZSWAP)
			zswap += (seen >> i) & 1;
	}
	mi->has_commit = commit == 2;
	mi->has_zswap = zswap == 2;
	/* Without MemAvailable the estimate needs Buffers and Cached. */
	if (!mi->has_mem_available)
		for (i = 0; i < NFIELDS; i++)
			if ((fields[i].flags & F_OLDCACHE) &&
			    !(seen & (1u << i)))
				return -EINVAL;
	if (mi->mem_total_kb == 0 || mi->swap_free_kb > mi->swap_total_kb)
		return -EINVAL;
	return 0;
}

int meminfo_read(const char *path, struct meminfo *mi)
{
	char buf[8192];
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf))
			break; /* the fields we want come first */
	}
	close(fd);
	return meminfo_parse_buf(mi, buf, len);
}

uint64_t meminfo_ram_available_kb(const struct meminfo *mi,
				  const struct free_params *fp)
{
	uint64_t clean, avail;

	if (mi->has_mem_available)
		return mi->mem_available_kb;
	/* The old estimate: free pages plus the elastic part of the caches. */
	clean = mi->cached_kb;
	clean = clean > mi->dirty_kb ? clean - mi->dirty_kb : 0;
	clean = clean > mi->writeback_kb ? clean - mi->writeback_kb : 0;
	clean = clean > mi->shmem_kb ? clean - mi->shmem_kb : 0;
	avail = mi->mem_free_kb + mi->swap_cached_kb;
	avail += mi->buffers_kb * (uint64_t)fp->buffer_elasticity_pct / 100;
	avail += clean * (uint64_t)fp->cache_elasticity_pct / 100;
	return avail;
}

/* The part of SwapFree that counts: filling zram (or the zswap pool)
 * takes RAM back, so that share is left out (othermem_apply). */
static uint64_t swap_counted_kb(const struct meminfo *mi, uint64_t kb)
{
	uint64_t off = mi->swap_uncounted_kb;

	if (off > mi->swap_free_kb)
		off = mi->swap_free_kb;
	return kb - off;
}

uint64_t meminfo_free_kb(const struct meminfo *mi, const struct free_params *fp)
{
	return meminfo_ram_available_kb(mi, fp) +
	       swap_counted_kb(mi, mi->swap_free_kb);
}

uint64_t meminfo_total_kb(const struct meminfo *mi)
{
	return mi->mem_total_kb + swap_counted_kb(mi, mi->swap_total_kb);
}

bool meminfo_commit(const struct meminfo *mi, uint64_t *free_kb,
		    uint64_t *limit_kb)
{
	*free_kb = *limit_kb = 0;
	if (!mi->commit_strict || !mi->has_commit || mi->commit_limit_kb == 0)
		return false;
	*limit_kb = mi->commit_limit_kb;
	*free_kb = mi->committed_as_kb < mi->commit_limit_kb
			   ? mi->commit_limit_kb - mi->committed_as_kb
			   : 0;
	return true;
}

double meminfo_free_pct(const struct meminfo *mi, const struct free_params *fp)
{
	uint64_t total = meminfo_total_kb(mi);

	if (total == 0)
		return 0.0;
	return 100.0 * (double)meminfo_free_kb(mi, fp) / (double)total;
}
