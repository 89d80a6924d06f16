/* What else on the machine changes what the free figure means: zram
 * areas and the zswap pool (swap that takes RAM when it fills) and
 * strict overcommit (allocations refused before memory runs out).
 * Parsing and arithmetic are pure; the few sysfs and procfs reads go
 * through othermem_ops so the tests feed fixtures. */
#ifndef GM_OTHERMEM_H
#define GM_OTHERMEM_H

#include "meminfo.h"
#include "swaps.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* zram's compression ratio before a device holds enough data to
 * measure one (zstd and lzo-rle on mixed pages give 2 to 4), and the
 * highest measured ratio believed (a higher one counts more free). */
#define ZRAM_DEFAULT_RATIO 2.0
#define ZRAM_MAX_RATIO 5.0
/* Under this much stored data the measured ratio is noise. */
#define ZRAM_MIN_SAMPLE_B ((uint64_t)4 << 20)
/* zswap's max_pool_percent when it cannot be read (the kernel's). */
#define ZSWAP_DEFAULT_POOL_PCT 20

/* /sys/block/zramN/mm_stat (bytes). */
struct zram_stat {
	uint64_t orig_b;     /* orig_data_size: data stored, uncompressed */
	uint64_t compr_b;    /* compr_data_size */
	uint64_t mem_used_b; /* mem_used_total: RAM taken, overhead too */
	uint64_t mem_limit_b; /* mem_limit: 0 = none */
};

/* The first four numbers of mm_stat: 0, or -EINVAL. */
int zram_parse_mm_stat(const char *buf, size_t len, struct zram_stat *z);

/* Data stored per byte of RAM taken: orig / mem_used_total (orig /
 * compr_data_size without it), ZRAM_DEFAULT_RATIO under
 * ZRAM_MIN_SAMPLE_B, at most ZRAM_MAX_RATIO. */
double zram_ratio(const struct zram_stat *z);

/* What free_kb of swap space on the device really frees if filled:
 * free x (1 - 1/ratio), the fill capped by what mem_limit still lets
 * the device take (room x ratio).  0 at a ratio of 1 or less. */
uint64_t zram_counted_free_kb(const struct zram_stat *z, uint64_t free_kb);

/* N of "/dev/zramN", else -1. */
int zram_device_index(const char *path);

/* What the zswap pool may still take from RAM when swap fills:
 * max_pool_pct of MemTotal less Zswap (all of it when the kernel has
 * no Zswap line), at most swap_free_kb (what zswap can front). */
uint64_t zswap_uncounted_kb(const struct meminfo *mi, int max_pool_pct,
			    uint64_t swap_free_kb);

/* The contents of /proc/sys/vm/overcommit_memory: 0, 1 or 2; -1 when
 * it is anything else. */
int overcommit_parse(const char *buf, size_t len);

/* A new file's priority: the configured one when set (>= 0 and
 * user_set), else want capped under every zram area's (zram_min_prio,
 * when zram_n > 0): one below it, or -1 (the kernel's next priority,
 * below every area already on) when that would be negative. */
int othermem_file_priority(int want, bool user_set, int zram_n,
			   int zram_min_prio);

#define OTHERMEM_ZRAM_MAX 8

/* One sample of all of the above. */
struct othermem {
	int zram_n;                /* zram areas on */
	uint64_t zram_size_kb;     /* their size (/proc/swaps) */
	uint64_t zram_free_kb;     /* their free space */
	uint64_t zram_counted_kb;  /* what that free space really frees */
	uint64_t zram_ram_kb;      /* RAM they take now (mem_used_total) */
	double zram_ratio;         /* the ratio used (the lowest) */
	int zram_min_prio;         /* the lowest priority among them */
	bool zswap_on;             /* /sys/module/zswap/parameters/enabled */
	uint64_t zswap_uncounted_kb;
	int overcommit;            /* 0, 1, 2; -1 unknown */
};

/* The reads: a small file into buf (0 with *len, or -errno). */
struct othermem_ops {
	int (*read)(void *ctx, const char *path, char *buf, size_t cap,
		    size_t *len);
	void *ctx;
};
extern const struct othermem_ops othermem_sys_ops;

/* Sample zram (the /dev/zramN areas of t), zswap and the overcommit
 * mode.  An unreadable mm_stat counts that device's free space as none
 * (the safe side); t may be NULL (no zram known). */
void othermem_sample(const struct othermem_ops *ops,
		     const struct swaps_table *t, const struct meminfo *mi,
		     struct othermem *om);

/* Put the sample into mi: swap_uncounted_kb and commit_strict. */
void othermem_apply(const struct othermem *om, struct meminfo *mi);

#endif
