/* The tier set: swappath's directories in order of preference (say a
 * local disk first, an NFS export second), one struct pool each, so each
 * keeps its own checks, lock, disk reserve, slot names and worker lanes.
 * The set decides across them: a new file goes to the first tier with
 * room whose mount is still acceptable; a SHRINK weighs every file of
 * every tier; max_total, max_files, the reservations' floor and the
 * standby floor count over all.  One GROW and one SHRINK at a time over
 * the whole set.  With one directory the set is that one pool, as
 * before.  The choices are pure (tier_choose, tier_file_priority and
 * pool_shrink_choose); the rest is the pools'. */
#ifndef GM_TIERS_H
#define GM_TIERS_H

#include "pool.h"
#include "swappath.h"

#define TIERS_MAX SWAPPATH_TIERS_MAX

struct tiers {
	int n;                     /* tiers in use, 1 to TIERS_MAX */
	struct pool t[TIERS_MAX];  /* in order of preference */
};

/* What tier_choose weighs of one tier. */
struct tier_fact {
	bool room;      /* a new file fits: limits, reserve, disk */
	bool net_ok;    /* its mount is still acceptable (pool_net_ok) */
	bool reachable; /* its server answers (always true for now) */
};

/* The first tier a new file may go to, or -1: none.  Pure. */
int tier_choose(const struct tier_fact *f, int n);

/* When none may: the first acceptable tier that does not answer (a
 * network directory whose server is away: its room cannot be known), or
 * -1.  A grow waits for it (FSM_WAIT) rather than taking "no room" from
 * a full tier, and a diet that would hold every grow once the server is
 * back.  Pure. */
int tier_wait_for(const struct tier_fact *f, int n);

/* What a new file's priority depends on besides its tier. */
struct tier_prio {
	int want;          /* priority=, -1: the kernel's own */
	bool user_set;     /* priority was set: it is used as is */
	int zram_n;        /* zram areas on (othermem.c) */
	int zram_min_prio; /* the lowest of their priorities */
};

/* The swapon priority of a new file in a tier on a network filesystem
 * (net) or not, in a set that mixes both (mixed) or not.  Unless
 * priority is set, a local file in a mixed set gets 0 and a network one
 * the kernel's own (below every area on), so the kernel fills the local
 * tier first; without a mix, the kernel's own as ever.  Either way a new
 * file goes below any zram area (othermem_file_priority).  -1: the
 * kernel's own.  Pure. */
int tier_file_priority(const struct tier_prio *pr, bool net, bool mixed);

/* Split swappath (swappath_split), open and check each directory
 * (pool_open): 0, or a GM_EXIT_* code with a message. */
int tiers_open(struct tiers *ts, const char *swappath,
	       const struct pool_sys *sys, char *err, size_t errlen);
/* Each directory's lock (pool_lock); a directory named twice under two
 * names is refused here.  0 or GM_EXIT_RUNNING. */
int tiers_lock(struct tiers *ts, char *err, size_t errlen);
void tiers_close(struct tiers *ts);
/* Judge each tier's mount again (pool_net_ok): at reload. */
void tiers_net_check(struct tiers *ts);

void tiers_adopt(struct tiers *ts, uint64_t min_swapsize_b, int64_t now_ms);
/* The daemon's start: each tier opened and adopted as
 * pool_open_bounded and pool_adopt_bounded do (a directory on NFS whose
 * server does not answer within wait_ms is taken in later by the loop,
 * pool_reach.h). */
int tiers_open_bounded(struct tiers *ts, const char *swappath,
		       const struct pool_sys *sys, uint64_t min_swapsize_b,
		       int64_t wait_ms, char *err, size_t errlen);
void tiers_adopt_bounded(struct tiers *ts, uint64_t min_swapsize_b,
			 int64_t now_ms, int64_t wait_ms);
/* pool_reach_tick of every tier (true: what status shows changed), and
 * the loop's sleep bounded by every tier's pool_reach_wait_ms. */
bool tiers_reach_tick(struct tiers *ts, int64_t now_ms);
int64_t tiers_reach_wait_ms(const struct tiers *ts, int64_t now_ms,
			    int64_t wait_ms);
/* pool_refresh of each: 0, or the first -errno. */
int tiers_refresh(struct tiers *ts, int64_t now_ms);
/* The last reading of /proc/swaps (NULL: none). */
const struct swaps_table *tiers_swaps(const struct tiers *ts);

/* A tier's settings: pp with the tier's priority (tier_file_priority)
 * and the other tiers' files counted against the limits. */
void tiers_params(const struct tiers *ts, int tier,
		  const struct pool_params *pp, const struct tier_prio *pr,
		  struct pool_params *out);

/* As pool_grow, over the set: a file being made (any tier) is this
 * GROW's; else the first tier's spare; else a new file in the tier
 * tier_choose names. */
enum fsm_outcome tiers_grow(struct tiers *ts, const struct pool_params *pp,
			    const struct tier_prio *pr,
			    const struct meminfo *mi, int64_t now_ms,
			    uint64_t *size_b);
/* As pool_shrink, over the set (pool_shrink_choose over every file). */
enum fsm_outcome tiers_shrink(struct tiers *ts, const struct pool_params *pp,
			      const struct meminfo *mi, int64_t now_ms,
			      uint64_t *size_b);
void tiers_collect(struct tiers *ts, const struct pool_params *pp,
		   const struct tier_prio *pr, const struct meminfo *mi,
		   int64_t now_ms, struct pool_done *done);
/* As pool_standby_start, over the set: the standby file goes to the
 * first tier with room; standby=active's floor is one file of them. */
/* Delete the files shrinks kept whose time is up (pool_expire); returns
 * wait_ms cut to when the next kept file is due (pool_keep_wait_ms). */
int64_t tiers_expire(struct tiers *ts, const struct pool_params *pp,
		     int64_t now_ms, int64_t wait_ms);
int tiers_standby_start(struct tiers *ts, const struct pool_params *pp,
			const struct tier_prio *pr, const struct meminfo *mi,
			int64_t now_ms);
void tiers_stop(struct tiers *ts, const struct pool_params *pp,
		int64_t wait_ms);
int tiers_erase(struct tiers *ts, const struct pool_params *pp);

bool tiers_busy(const struct tiers *ts);
bool tiers_has_spare(const struct tiers *ts);
/* The slowest tier's pool_lead_make_ms: a grow may have to go there. */
int64_t tiers_lead_make_ms(const struct tiers *ts);
uint64_t tiers_free_b(const struct tiers *ts);
/* The size of a file a grow would add, as far as the books tell: the
 * largest of the last files made and of the files held (0: none). */
uint64_t tiers_file_b(const struct tiers *ts);
int tiers_active_count(const struct tiers *ts);
/* The workers' wake pipes: fds[i] for tier i, -1 for unused tiers. */
void tiers_wake_fds(const struct tiers *ts, int fds[TIERS_MAX]);
void tiers_wake_drain(struct tiers *ts);
/* The slots being made and retired, as one number each (tier * 100000
 * + slot; 0: none), to notice a change cheaply. */
void tiers_lane_slots(const struct tiers *ts, int *making, int *retiring);

/* What status and the dump show: each tier's view. */
struct tiers_view {
	int n;
	struct pool_view t[TIERS_MAX];
	bool net[TIERS_MAX]; /* on a network filesystem */
};
void tiers_view(const struct tiers *ts, struct tiers_view *v);

#endif
