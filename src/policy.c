/* Sizing and the choice of the file to remove: pure arithmetic. */
#include "policy.h"


#include <errno.h>

uint64_t policy_auto_swapsize_b(uint64_t mem_total_b)
{
	uint64_t twice = mem_total_b * 2;

	return twice < 2 * GIB ? twice : 2 * GIB;
}

uint64_t policy_deficit_b(uint64_t free_b, uint64_t total_b, int target_pct)
{
	/* (free + x) / (total + x) = t/100  =>  x = (t*total - 100*free)
	 * / (100 - t).  Figures are < 2^60, so the products fit. */
	uint64_t want, have;

	if (target_pct <= 0)
		return 0;
	if (target_pct >= 100)
		target_pct = 99;
	want = (uint64_t)target_pct * (total_b / 100) +
	       (uint64_t)target_pct * (total_b % 100) / 100;
	have = free_b;
	if (have >= want)
		return 0;
	return (want - have) * 100 / (uint64_t)(100 - target_pct);
}

static uint64_t reserve_b(const struct size_params *sp, uint64_t fs_size_b)
{
	if (sp->disk_reserve_is_pct)
		return fs_size_b / 100 * (uint64_t)sp->disk_reserve_pct;
	return sp->disk_reserve_b;
}

int policy_grow_size(const struct size_params *sp, const struct grow_ctx *g,
		     uint64_t *size_b)
{
	uint64_t want, room, reserve, page = g->page_size ? g->page_size : 4096;

	if (sp->max_files > 0 && g->files >= sp->max_files)
		return -ENOSPC;
	want = sp->swapsize_auto ? policy_auto_swapsize_b(g->mem_total_b)
				  : sp->swapsize_b;
	{
		uint64_t deficit = policy_deficit_b(g->free_b, g->total_b,
						    sp->freetarget_pct);
		uint64_t commit = policy_deficit_b(g->commit_free_b,
						   g->commit_limit_b,
						   sp->freetarget_pct);
		if (deficit > want)
			want = deficit;
		if (g->commit_limit_b && commit > want)
			want = commit;
	}
	if (want < sp->min_swapsize_b)
		want = sp->min_swapsize_b;
	if (want > sp->max_swapsize_b)
		want = sp->max_swapsize_b;

	/* The disk keeps its reserve: shrink the file to what fits. */
	reserve = reserve_b(sp, g->fs_size_b);
	room = g->fs_avail_b > reserve ? g->fs_avail_b - reserve : 0;
	if (want > room)
		want = room;
	if (sp->max_total_b) {
		uint64_t left = g->owned_b < sp->max_total_b
					? sp->max_total_b - g->owned_b
					: 0;
		if (want > left)
			want = left;
	}
	want -= want % page;
	if (want < sp->min_swapsize_b || want < 10 * page)
		return -ENOSPC;
	*size_b = want;
	return 0;
}

bool policy_shrink_keeps_commit(int target_pct, uint64_t commit_free_kb,
				uint64_t commit_limit_kb, uint64_t size_kb)
{
	if (commit_limit_kb == 0)
		return true;
	if (size_kb > commit_free_kb || size_kb >= commit_limit_kb)
		return false;
	return (commit_free_kb - size_kb) * 100 >=
	       (uint64_t)target_pct * (commit_limit_kb - size_kb);
}

uint64_t policy_swapoff_margin_kb(uint64_t mem_total_kb)
{
	/* Keep a tenth of RAM, at least 16 MiB, free after the pages
	 * come back: a swapoff that cannot fit calls the OOM killer. */
	uint64_t m = mem_total_kb / 10;

	return m > 16 * 1024 ? m : 16 * 1024;
}

int policy_pick_shrink(int freetarget_pct, uint64_t free_kb,
		       uint64_t total_kb, uint64_t ram_avail_kb,
		       uint64_t mem_total_kb,
		       const struct shrink_candidate *c, int n)
{
	uint64_t margin = policy_swapoff_margin_kb(mem_total_kb);
	int best = -1, i;

	for (i = 0; i < n; i++) {
		uint64_t nfree, ntotal;

		if (c[i].size_kb >= total_kb || c[i].size_kb > free_kb)
			continue;
		if (c[i].used_kb + margin > ram_avail_kb)
			continue; /* its pages would not fit back in RAM */
		/* Removing the file takes its size off both figures. */
		nfree = free_kb - c[i].size_kb;
		ntotal = total_kb - c[i].size_kb;
		if (nfree * 100 < (uint64_t)freetarget_pct * ntotal)
			continue;
		if (best < 0 || c[i].used_kb < c[best].used_kb ||
		    (c[i].used_kb == c[best].used_kb &&
		     c[i].size_kb < c[best].size_kb))
			best = i;
	}
	return best;
}

enum standby_act policy_standby_act(enum standby_policy s, int active_files,
				    int spares)
{
	switch (s) {
	case STANDBY_ACTIVE:
		/* A leftover spare stays for the next GROW: the floor is a
		 * file of today's swapsize. */
		return active_files == 0 ? STANDBY_MAKE_ON : STANDBY_KEEP;
	case STANDBY_SMALL:
		/* While a file of ours is on, swap is there already, and a
		 * shrink will turn it off and keep it (a spare then): the
		 * small spare waits until none is on, so a spike and its
		 * aftermath make no spare that full-size files make moot. */
		return spares == 0 && active_files == 0 ? STANDBY_MAKE_SPARE
							: STANDBY_KEEP;
	default:
		return STANDBY_KEEP;
	}
}

bool policy_floor_allows_shrink(enum standby_policy s, int active_files)
{
	return s != STANDBY_ACTIVE || active_files > 1;
}

bool policy_keeps_spare(enum standby_policy s)
{
	return s == STANDBY_SMALL;
}

bool policy_refill_after_take(enum standby_policy s, bool took_spare)
{
	return s == STANDBY_SMALL && took_spare;
}

int64_t policy_lead_make_ms(bool net, bool swapping, int64_t last_ms,
			    int64_t slowest_ms)
{
	bool slow = net && swapping;
	int64_t ms = slow ? slowest_ms : last_ms;

	if (slow && ms < POLICY_NET_MAKE_MS)
		ms = POLICY_NET_MAKE_MS;
	return ms > 0 ? ms : 0;
}

uint64_t policy_spare_size_b(int64_t make_ms, uint64_t made_b,
			     uint64_t full_b, uint64_t spike_rate_b,
			     uint64_t spare_max_b, uint64_t min_b,
			     uint64_t page)
{
	uint64_t size, floor_b;

	if (!page)
		page = 4096;
	floor_b = min_b > 10 * page ? min_b : 10 * page;
	if (make_ms < 0 || made_b == 0) {
		size = spare_max_b; /* nothing measured yet */
	} else {
		double full_ms = (double)make_ms, want;

		if (made_b < full_b)
			full_ms = full_ms * ((double)full_b / (double)made_b);
		want = (double)spike_rate_b * POLICY_SPARE_MARGIN * full_ms /
		       1000.0;
		size = want >= (double)spare_max_b ? spare_max_b
						   : (uint64_t)want;
	}
	if (size > spare_max_b)
		size = spare_max_b;
	size -= size % page;
	if (size < floor_b)
		size = floor_b;
	return size;
}
