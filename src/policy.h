/* Sizing and choice of the file to remove: pure arithmetic. */
#ifndef GM_POLICY_H
#define GM_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#define GIB ((uint64_t)1024 * 1024 * 1024)
#define MIB ((uint64_t)1024 * 1024)

/* min(2 x RAM, 2 GiB). */
uint64_t policy_auto_swapsize_b(uint64_t mem_total_b);

/* x such that (free + x) / (total + x) = target%; 0 if already there. */
uint64_t policy_deficit_b(uint64_t free_b, uint64_t total_b, int target_pct);

struct grow_ctx {
	uint64_t mem_total_b; /* MemTotal */
	uint64_t free_b;      /* the free figure */
	uint64_t total_b;     /* MemTotal + SwapTotal */
	uint64_t fs_avail_b;  /* statfs f_bavail * f_bsize */
	uint64_t fs_size_b;   /* statfs f_blocks * f_bsize */
	int files;            /* files we own now */
	uint64_t owned_b;     /* bytes of swap we own now */
	uint64_t page_size;   /* rounding unit */
	/* Strict overcommit only (else 0): a file raises CommitLimit by
	 * its size, so it is sized for the headroom's deficit too. */
	uint64_t commit_free_b;  /* CommitLimit - Committed_AS */
	uint64_t commit_limit_b; /* CommitLimit */
};

/* The settings that size a file (params.h fills it from the config). */
struct size_params {
	bool swapsize_auto;       /* swapsize=auto */
	uint64_t swapsize_b;      /* else this */
	uint64_t min_swapsize_b;
	uint64_t max_swapsize_b;
	uint64_t max_total_b;     /* 0 = no cap */
	int max_files;            /* 0 = no cap */
	int freetarget_pct;
	bool disk_reserve_is_pct;
	int disk_reserve_pct;
	uint64_t disk_reserve_b;
};

/* Size of the next file in *size_b, or -ENOSPC for "no room" (disk
 * reserve, max_files, max_total, under min_swapsize). */
int policy_grow_size(const struct size_params *sp, const struct grow_ctx *g,
		     uint64_t *size_b);

struct shrink_candidate {
	uint64_t size_kb; /* from /proc/swaps */
	uint64_t used_kb; /* from /proc/swaps */
};

/* Index of the least-used file whose removal keeps free% >= freetarget
 * and whose used pages fit in available RAM with a margin; -1 if none.
 * free_kb/total_kb are the free figure and MemTotal+SwapTotal. */
int policy_pick_shrink(int freetarget_pct, uint64_t free_kb,
		       uint64_t total_kb, uint64_t ram_avail_kb,
		       uint64_t mem_total_kb,
		       const struct shrink_candidate *c, int n);

/* Under strict overcommit: whether removing size_kb of swap keeps the
 * commit headroom (commit_free_kb of commit_limit_kb) at target% or
 * more; swapoff lowers CommitLimit by the file's size.  Always true
 * when commit_limit_kb is 0 (not strict). */
bool policy_shrink_keeps_commit(int target_pct, uint64_t commit_free_kb,
				uint64_t commit_limit_kb, uint64_t size_kb);

/* The margin of RAM that must stay free after a swapoff, KiB. */
uint64_t policy_swapoff_margin_kb(uint64_t mem_total_kb);

/* What the daemon holds while memory is calm (standby=). */
enum standby_policy {
	STANDBY_ACTIVE = 0, /* one full-size file on: a static swap file */
	STANDBY_SMALL,      /* a small inactive spare, spare_max at most */
	STANDBY_NONE,       /* nothing */
};

/* What a calm tick does for the standby. */
enum standby_act {
	STANDBY_KEEP = 0,   /* nothing to do */
	STANDBY_MAKE_ON,    /* make a full-size file and turn it on */
	STANDBY_MAKE_SPARE, /* make a small spare, left off */
};

/* From the files we own now (active ones, and inactive spares): active
 * makes its file when none is on; small its spare when there is none
 * and no file is on. */
enum standby_act policy_standby_act(enum standby_policy s, int active_files,
				    int spares);

/* The floor: with standby=active, the last active file is never
 * swapped off (the machine keeps its "static" swap file). */
bool policy_floor_allows_shrink(enum standby_policy s, int active_files);

/* Whether a shrink keeps one inactive spare (standby=small) or deletes
 * every inactive file first (the others: they hold disk for nothing). */
bool policy_keeps_spare(enum standby_policy s);

/* standby=small: a spare just turned on is only a stopgap; the next
 * full-size file is started at once in the background. */
bool policy_refill_after_take(enum standby_policy s, bool took_spare);

/* standby=small: the spare must hold what arrives at spike_rate while
 * the next full-size file (full_b) is made and turned on.  make_ms and
 * made_b: the last file made (made_b 0 or make_ms < 0: none yet, the
 * spare is spare_max).  Its time scales with size (ms per MiB) when it
 * was smaller than full_b; a larger one is not scaled down (fixed costs).
 * Rounded down to the page, within [max(min_b, 10 pages), spare_max_b]. */
uint64_t policy_spare_size_b(int64_t make_ms, uint64_t made_b,
			     uint64_t full_b, uint64_t spike_rate_b,
			     uint64_t spare_max_b, uint64_t min_b,
			     uint64_t page);

/* How long a grow's file may take to make, for the forecast's lead: as
 * long as the last file took (last_ms); but on a network directory
 * (net) that the host is swapping to (files there hold pages: swapping),
 * the slowest file made there (slowest_ms), and never less than
 * POLICY_NET_MAKE_MS.  A file made there while calm says nothing of one
 * made while the host swaps out over the same link. */
int64_t policy_lead_make_ms(bool net, bool swapping, int64_t last_ms,
			    int64_t slowest_ms);

/* What a file on a network directory is assumed to take to make while
 * the host swaps out over the link: 283 MiB with fallocate on NFSv4.2
 * took 0.08 to 2.3 s while calm and 7.7 to 40 s while the client was
 * swapping out, in the project's two-guest tests. */
#define POLICY_NET_MAKE_MS 30000

/* The spare lasts this many times the predicted making time: the poll
 * that notices the shortage and the swapon come on top of the making. */
#define POLICY_SPARE_MARGIN 2

#endif
