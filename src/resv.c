/* Reservation bookkeeping (resv.h). */
#include "resv.h"

#include <errno.h>
#include <string.h>

#define MIB (1024ULL * 1024)

void resv_init(struct resv_table *t, uint32_t first_id)
{
	memset(t, 0, sizeof(*t));
	t->next_id = first_id ? first_id : 1;
}

const struct resv *resv_find(const struct resv_table *t, uint32_t id)
{
	int i;

	for (i = 0; id && i < RESV_MAX; i++)
		if (t->r[i].id == id)
			return &t->r[i];
	return NULL;
}

int resv_add(struct resv_table *t, uint64_t size_b, int64_t ttl_s,
	     int64_t now_ms, uint32_t *id)
{
	int i, slot = -1;

	if (size_b == 0 || ttl_s <= 0)
		return -EINVAL;
	for (i = 0; i < RESV_MAX && slot < 0; i++)
		if (!t->r[i].id)
			slot = i;
	if (slot < 0)
		return -ENOSPC;
	/* Skip 0 and any id still held after a wrap. */
	while (t->next_id == 0 || resv_find(t, t->next_id))
		t->next_id++;
	t->r[slot].id = t->next_id++;
	t->r[slot].size_b = size_b;
	t->r[slot].since_ms = now_ms;
	t->r[slot].expires_ms = now_ms + ttl_s * 1000;
	t->made++;
	*id = t->r[slot].id;
	return 0;
}

int resv_release(struct resv_table *t, uint32_t id)
{
	struct resv *r = (struct resv *)resv_find(t, id);

	if (!r)
		return -ENOENT;
	memset(r, 0, sizeof(*r));
	t->released++;
	return 0;
}

int resv_renew(struct resv_table *t, uint32_t id, int64_t ttl_s,
	       int64_t now_ms)
{
	struct resv *r = (struct resv *)resv_find(t, id);

	if (!r)
		return -ENOENT;
	if (ttl_s <= 0)
		return -EINVAL;
	r->expires_ms = now_ms + ttl_s * 1000;
	return 0;
}

int resv_expire(struct resv_table *t, int64_t now_ms)
{
	int i, n = 0;

	for (i = 0; i < RESV_MAX; i++)
		if (t->r[i].id && now_ms >= t->r[i].expires_ms) {
			memset(&t->r[i], 0, sizeof(t->r[i]));
			n++;
		}
	t->expired += (unsigned long)n;
	return n;
}

int resv_count(const struct resv_table *t)
{
	int i, n = 0;

	for (i = 0; i < RESV_MAX; i++)
		n += t->r[i].id ? 1 : 0;
	return n;
}

uint64_t resv_sum_b(const struct resv_table *t)
{
	uint64_t sum = 0;
	int i;

	/* Sizes are at most 2^50 and there are 32: no overflow. */
	for (i = 0; i < RESV_MAX; i++)
		if (t->r[i].id)
			sum += t->r[i].size_b;
	return sum;
}

uint64_t resv_short_b(uint64_t sum_b, uint64_t own_free_b)
{
	return sum_b > own_free_b ? sum_b - own_free_b : 0;
}

bool resv_shrink_ok(uint64_t sum_b, uint64_t own_free_b,
		    uint64_t file_free_b)
{
	if (sum_b == 0)
		return true;
	return file_free_b <= own_free_b && own_free_b - file_free_b >= sum_b;
}

uint64_t resv_upgrade_auto_b(uint64_t mem_total_b)
{
	uint64_t half = mem_total_b / 2;

	if (mem_total_b >= 4096 * MIB)
		return 0;
	if (half < 256 * MIB)
		return 256 * MIB;
	return half > 1024 * MIB ? 1024 * MIB : half;
}
