/* zram, zswap and the overcommit mode (othermem.h). */
#include "othermem.h"

#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Figures above this (1 EiB) are garbage. */
#define OM_MAX_B (1ULL << 60)

int zram_parse_mm_stat(const char *buf, size_t len, struct zram_stat *z)
{
	uint64_t v[4];
	size_t i = 0;
	int k;

	memset(z, 0, sizeof(*z));
	for (k = 0; k < 4; k++) {
		size_t start;

		while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
			i++;
		start = i;
		while (i < len && buf[i] >= '0' && buf[i] <= '9')
			i++;
		if (!gm_parse_dec(buf + start, i - start, OM_MAX_B, &v[k]))
			return -EINVAL;
		/* Numbers are separated by blanks; the last may end it. */
		if (i < len && buf[i] != ' ' && buf[i] != '\t' &&
		    buf[i] != '\n')
			return -EINVAL;
	}
	z->orig_b = v[0];
	z->compr_b = v[1];
	z->mem_used_b = v[2];
	z->mem_limit_b = v[3];
	return 0;
}

double zram_ratio(const struct zram_stat *z)
{
	uint64_t ram = z->mem_used_b ? z->mem_used_b : z->compr_b;
	double r;

	if (z->orig_b < ZRAM_MIN_SAMPLE_B || ram == 0)
		return ZRAM_DEFAULT_RATIO;
	r = (double)z->orig_b / (double)ram;
	return r > ZRAM_MAX_RATIO ? ZRAM_MAX_RATIO : r;
}

uint64_t zram_counted_free_kb(const struct zram_stat *z, uint64_t free_kb)
{
	double r = zram_ratio(z), fill = (double)free_kb, counted;

	if (r <= 1.0)
		return 0; /* filling it takes as much RAM as it frees */
	if (z->mem_limit_b) {
		/* The device stops taking pages at mem_limit. */
		double room_kb = z->mem_limit_b > z->mem_used_b
			? (double)(z->mem_limit_b - z->mem_used_b) / 1024.0
			: 0.0;
		if (fill > room_kb * r)
			fill = room_kb * r;
	}
	counted = fill * (1.0 - 1.0 / r);
	return counted <= 0 ? 0 : (uint64_t)counted;
}

int zram_device_index(const char *path)
{
	static const char pfx[] = "/dev/zram";
	size_t n = sizeof(pfx) - 1, l = strlen(path);
	uint64_t v;

	if (l <= n || strncmp(path, pfx, n) != 0 ||
	    !gm_parse_dec(path + n, l - n, 4095, &v))
		return -1;
	return (int)v;
}

uint64_t zswap_uncounted_kb(const struct meminfo *mi, int max_pool_pct,
			    uint64_t swap_free_kb)
{
	uint64_t pool_kb, room;

	if (max_pool_pct < 0)
		max_pool_pct = 0;
	if (max_pool_pct > 100)
		max_pool_pct = 100;
	pool_kb = mi->mem_total_kb / 100 * (uint64_t)max_pool_pct;
	room = mi->has_zswap && mi->zswap_kb < pool_kb ? pool_kb - mi->zswap_kb
	       : mi->has_zswap ? 0
			       : pool_kb;
	return room < swap_free_kb ? room : swap_free_kb;
}

int overcommit_parse(const char *buf, size_t len)
{
	uint64_t v;

	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	if (!gm_parse_dec(buf, len, 2, &v))
		return -1;
	return (int)v;
}

int othermem_file_priority(int want, bool user_set, int zram_n,
			   int zram_min_prio)
{
	if (user_set || want < 0 || zram_n <= 0)
		return want;
	if (want < zram_min_prio)
		return want;
	/* swapon(2) takes no negative priority: the kernel's own next one
	 * is below every area already on, zram included. */
	return zram_min_prio >= 1 ? zram_min_prio - 1 : -1;
}

static int sys_read(void *ctx, const char *path, char *buf, size_t cap,
		    size_t *len)
{
	(void)ctx;
	return gm_read_file(path, buf, cap, len, true);
}

const struct othermem_ops othermem_sys_ops = {sys_read, NULL};

/* One zram area of /proc/swaps: its share of the sample. */
static void zram_add(const struct othermem_ops *ops, int idx,
		     const struct swaps_entry *e, struct othermem *om)
{
	char path[64], buf[512];
	size_t len = 0;
	struct zram_stat z;
	uint64_t free_kb = e->size_kb > e->used_kb ? e->size_kb - e->used_kb : 0;
	double r;

	if (om->zram_n == 0 || e->priority < om->zram_min_prio)
		om->zram_min_prio = e->priority;
	om->zram_n++;
	om->zram_size_kb += e->size_kb;
	om->zram_free_kb += free_kb;
	snprintf(path, sizeof(path), "/sys/block/zram%d/mm_stat", idx);
	if (ops->read(ops->ctx, path, buf, sizeof(buf), &len) < 0 ||
	    zram_parse_mm_stat(buf, len, &z) < 0)
		return; /* nothing counted: the safe side */
	r = zram_ratio(&z);
	if (om->zram_ratio == 0 || r < om->zram_ratio)
		om->zram_ratio = r;
	om->zram_ram_kb += z.mem_used_b / 1024;
	om->zram_counted_kb += zram_counted_free_kb(&z, free_kb);
}

void othermem_sample(const struct othermem_ops *ops,
		     const struct swaps_table *t, const struct meminfo *mi,
		     struct othermem *om)
{
	char buf[64];
	size_t len = 0;
	int i;

	memset(om, 0, sizeof(*om));
	for (i = 0; t && i < t->count; i++) {
		int idx = zram_device_index(t->e[i].path);

		if (idx >= 0 && !t->e[i].is_file && !t->e[i].deleted)
			zram_add(ops, idx, &t->e[i], om);
	}
	if (ops->read(ops->ctx, "/sys/module/zswap/parameters/enabled", buf,
		      sizeof(buf), &len) == 0)
		om->zswap_on = len > 0 && (buf[0] == 'Y' || buf[0] == '1');
	if (om->zswap_on) {
		int pool_pct = ZSWAP_DEFAULT_POOL_PCT;
		uint64_t v, rest_free_kb;

		len = 0;
		if (ops->read(ops->ctx,
			      "/sys/module/zswap/parameters/max_pool_percent",
			      buf, sizeof(buf), &len) == 0) {
			while (len > 0 && buf[len - 1] == '\n')
				len--;
			if (gm_parse_dec(buf, len, 100, &v))
				pool_pct = (int)v;
		}
		/* zswap fronts the swap that is not zram. */
		rest_free_kb = mi->swap_free_kb > om->zram_free_kb
				       ? mi->swap_free_kb - om->zram_free_kb
				       : 0;
		om->zswap_uncounted_kb = zswap_uncounted_kb(mi, pool_pct,
							    rest_free_kb);
	}
	len = 0;
	om->overcommit = -1;
	if (ops->read(ops->ctx, "/proc/sys/vm/overcommit_memory", buf,
		      sizeof(buf), &len) == 0)
		om->overcommit = overcommit_parse(buf, len);
}

void othermem_apply(const struct othermem *om, struct meminfo *mi)
{
	uint64_t off = om->zram_free_kb > om->zram_counted_kb
			       ? om->zram_free_kb - om->zram_counted_kb
			       : 0;

	mi->swap_uncounted_kb = off + om->zswap_uncounted_kb;
	mi->commit_strict = om->overcommit == 2;
}
