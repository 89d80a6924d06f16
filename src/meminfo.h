/* /proc/meminfo: parsing from a buffer, and the free figure. */
#ifndef GM_MEMINFO_H
#define GM_MEMINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How much of the caches the free figure counts (swapspace's
 * elasticities), used only when the kernel has no MemAvailable. */
struct free_params {
	int buffer_elasticity_pct; /* share of Buffers counted free */
	int cache_elasticity_pct;  /* share of clean page cache counted free */
};

struct meminfo {
	uint64_t mem_total_kb;
	uint64_t mem_free_kb;
	uint64_t mem_available_kb;
	bool has_mem_available;  /* kernels >= 3.14 */
	uint64_t buffers_kb;
	uint64_t cached_kb;
	uint64_t dirty_kb;
	uint64_t writeback_kb;
	uint64_t shmem_kb;
	uint64_t swap_cached_kb;
	uint64_t swap_total_kb;
	uint64_t swap_free_kb;
	/* Optional lines (0 when absent). */
	uint64_t commit_limit_kb;  /* CommitLimit */
	uint64_t committed_as_kb;  /* Committed_AS */
	bool has_commit;           /* both were there */
	uint64_t zswap_kb;         /* Zswap: RAM the zswap pool takes */
	uint64_t zswapped_kb;      /* Zswapped: data it holds */
	bool has_zswap;            /* kernels >= 6.5 */
	/* Not in /proc/meminfo: set by othermem_apply after a read. */
	uint64_t swap_uncounted_kb; /* SwapFree that frees no RAM if filled
				     * (zram, the zswap pool's growth) */
	bool commit_strict;         /* vm.overcommit_memory is 2 */
};

/* Returns 0, or -EINVAL when MemTotal (or a required field) is missing or
 * any known field holds a malformed number.  Unknown lines are ignored. */
int meminfo_parse_buf(struct meminfo *mi, const char *buf, size_t len);

/* Read path (normally /proc/meminfo) and parse it: 0 or -errno. */
int meminfo_read(const char *path, struct meminfo *mi);

/* Memory that could be had without the OOM killer, in KiB (SPEC). */
uint64_t meminfo_free_kb(const struct meminfo *mi, const struct free_params *fp);

/* MemTotal + SwapTotal, KiB, less swap_uncounted_kb (which the free
 * figure leaves out too, so that used = total - free is unchanged). */
uint64_t meminfo_total_kb(const struct meminfo *mi);

/* RAM that could be had now, KiB (MemAvailable or its estimate). */
uint64_t meminfo_ram_available_kb(const struct meminfo *mi,
				  const struct free_params *fp);

/* Under strict overcommit with both commit lines: true, and the
 * headroom CommitLimit - Committed_AS (0 when over) and CommitLimit in
 * KiB.  false otherwise (the outputs are then 0). */
bool meminfo_commit(const struct meminfo *mi, uint64_t *free_kb,
		    uint64_t *limit_kb);

/* 100 * free / total as a double; 0 when total is 0. */
double meminfo_free_pct(const struct meminfo *mi, const struct free_params *fp);

#endif
