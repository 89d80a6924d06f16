/* What the daemon shows of itself: the USR1 dump, the status file read by
 * --status, and the Prometheus textfile.  Formatting is pure (a snapshot
 * in, text out); writing is atomic (temp file + rename). */
#ifndef GM_STATUS_H
#define GM_STATUS_H

#include "ctl.h"
#include "fsm.h"
#include "othermem.h"
#include "policy.h"
#include "pool.h"
#include "tiers.h"
#include "resv.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Wake-up sources, counted by the loop. */
enum wake_source {
	WAKE_TIMER = 0, /* the poll interval ran out */
	WAKE_PSI,       /* a PSI memory-pressure event */
	WAKE_SIGNAL,    /* a signal */
	WAKE_WORKER,    /* the file maker finished a file */
	WAKE_CTL,       /* a reservation was made on the control socket */
	WAKE_NSOURCES
};

#define SNAPSHOT_FILES (TIERS_MAX * POOL_MAX)

struct snapshot {
	enum fsm_state state;
	int64_t seconds_in_state;
	double free_pct;
	int lower_freelimit_pct, freetarget_pct, upper_freelimit_pct;
	bool have_mem;               /* a reading has been taken */
	uint64_t mem_total_kb, mem_available_kb;
	uint64_t swap_total_kb, swap_free_kb;
	/* The free figure, its swap part left out, and what is behind it:
	 * zram, zswap, the overcommit mode and commit figures. */
	uint64_t free_kb, swap_uncounted_kb;
	struct othermem om;
	uint64_t commit_limit_kb, committed_as_kb;
	int nfiles;
	struct pool_file files[SNAPSHOT_FILES];
	unsigned char file_tier[SNAPSHOT_FILES]; /* each file's tier, from 0 */
	int making_slot;             /* a file being made (0: none) */
	int making_tier, retiring_tier, standby_tier; /* their tiers */
	uint64_t making_size_b;
	bool making_for_grow;        /* a GROW waits for it (else a spare) */
	int retiring_slot;           /* a file being turned off (0: none) */
	enum standby_policy standby; /* what is held while calm */
	int standby_slot;            /* standby=active's file (0: none) */
	uint64_t idle_held_b;        /* disk held while idle: inactive
	                              * files + the standby file */
	uint64_t spare_max_b;        /* standby=small: the spare's bound */
	uint64_t spare_want_b;       /* and the size it was given last */
	int64_t now_ms;              /* to compute file ages */
	char swapdir[512];           /* the first tier's directory */
	/* Tiers (shown when there are two or more): each directory
	 * (dirs[0]: swapdir's), and whether it is on NFS. */
	int ntiers;
	char dirs[TIERS_MAX][512];
	bool tier_net[TIERS_MAX];
	/* Does each answer (a directory on NFS only: pool_reach.h). */
	struct pool_reach_view reach[TIERS_MAX];
	struct pool_counters c;
	unsigned long wakeups[WAKE_NSOURCES];
	long pid;
	/* The control socket and reservations (shown when either is) */
	bool ctl_open;               /* the socket is listening */
	int ctl_clients;             /* connected now */
	struct ctl_stats ctl;
	int nresv;
	struct resv resv[RESV_MAX];  /* the held ones, first nresv */
	uint64_t resv_short_b;       /* what they still lack */
	unsigned long resv_made, resv_released, resv_expired;
};

/* One "key=value ..." line per item, stable keys, each line ending in
 * '\n'.  Returns the length written (truncated to fit), like snprintf. */
size_t status_format(const struct snapshot *s, char *buf, size_t len);

/* Prometheus text exposition format (HELP/TYPE, ghostmemory_ prefix). */
size_t metrics_format(const struct snapshot *s, char *buf, size_t len);

/* Write buf to dir/name atomically: dir/.name.tmp, then rename (no fsync:
 * readers need the atomicity, not durability).
 * 0 or -errno. */
int status_write_atomic(const char *dir, const char *name, const char *buf,
			size_t len);

/* Exit codes of --status, after the LSB init script "status" action. */
enum {
	STATUS_DEAD = 1,        /* status file left by a daemon that died */
	STATUS_NOT_RUNNING = 3, /* no status file: not running */
	STATUS_UNKNOWN = 4,     /* unreadable or not a status file */
};

/* --status: print rundir/status to out (and a last line status_age_s=N
 * from its mtime); 0, or one of the codes above with a message on
 * stderr when no daemon is running. */
int status_print(const char *rundir, FILE *out);

#endif
