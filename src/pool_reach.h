/* The swap directory on a network filesystem, never touched by the
 * loop (pool_reach.c).  A probe thread asks the directory for its free
 * space and lists it; the loop keeps the last answer (what the pool's
 * space and name checks use) and judges reachability with reach.c.  A
 * directory that does not answer at start is opened later, off the
 * loop, once it answers.  One struct pool_reach per struct pool. */
#ifndef GM_POOL_REACH_H
#define GM_POOL_REACH_H

#include "reach.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pool;
struct pool_sys;

/* Slot names a probe notes as taken (1 .. PROBE_SLOTS - 1); a larger
 * slot counts as taken when the directory is guarded. */
#define PROBE_SLOTS 512

/* One probe, written by its thread; done (atomic) says it answered. */
struct pool_probe {
	const struct pool *p;  /* read only: p->sys and p->dir */
	int wake_fd;           /* a byte here when done (-1: none) */
	int done;
	int err;               /* 0, or the errno it failed with */
	uint64_t avail_b, size_b;
	unsigned char taken[PROBE_SLOTS / 8];
};

/* What an opener thread does, on a pool of its own. */
enum opener_mode {
	OPENER_OPEN_LOCK = 0,  /* pool_open and pool_lock (start-up) */
	OPENER_ALL,            /* and pool_adopt (the deferred open) */
	OPENER_ADOPT,          /* pool_adopt of an open pool's copy */
};

/* An open, lock or adoption off the loop, taken over by the caller (or
 * the loop) when done. */
struct pool_opener {
	struct pool *staged;   /* heap; left to a thread that hangs */
	int wake_fd;
	int done;              /* atomic */
	int rc;                /* 0 or a GM_EXIT_* code */
	enum opener_mode mode;
	uint64_t min_swapsize_b;
	char path[256];
	char err[512];
	pid_t pid;             /* the process that started it */
	int64_t listed_ms;     /* when its listing started (-1: failed) */
	struct pool_probe first; /* the directory listed once opened */
};

struct pool_reach {
	bool guarded;          /* on a network filesystem: probed, and the
				* loop never touches it */
	bool pending;          /* not opened yet (it did not answer at
				* start): opened once it answers */
	bool failed;           /* that open failed: the directory is not
				* used until a restart */
	bool locked;           /* pool_open_bounded took the lock too */
	unsigned long said_short; /* r.lost + 1 of the outage in which
				* pool_grow said a shortage waits for it
				* (0: none): once per outage */
	struct reach r;
	struct pool_probe *probe;   /* the probe out, or the last one */
	struct pool_opener *opener; /* the deferred open, while out */
	uint64_t min_swapsize_b;    /* for the deferred adoption */
	int64_t listed_ms;     /* when the last answered probe started
				* (-1: none answered yet) */
	uint64_t avail_b, size_b;   /* its free and total bytes */
	unsigned char taken[PROBE_SLOTS / 8]; /* and the names it saw */
};

/* What status, the dump and metrics show of it. */
struct pool_reach_view {
	bool guarded;
	char state[16];        /* reachable, unreachable, opening, unusable */
	int64_t since_s;       /* in that state */
	unsigned long lost, regained;
};

/* swappath with %H and %m expanded (pool_sys.c). */
int pool_expand_swappath(const char *in, char *out, size_t outlen, char *err,
			 size_t errlen);

/* The daemon's pool_open: on a network filesystem (by mountinfo, not by
 * touching the path) it runs off this thread for at most wait_ms; if
 * the directory has not answered by then, the pool starts without it
 * (pending, unreachable, logged) and the loop opens, locks and adopts
 * it once it answers.  On a network directory that answered, the lock
 * is taken too (pool_lock then has nothing to do), so that no call on
 * the mount is left outside a thread.  Otherwise as pool_open. */
int pool_open_bounded(struct pool *p, const char *swappath,
		      const struct pool_sys *sys, uint64_t min_swapsize_b,
		      int64_t wait_ms, char *err, size_t errlen);

/* pool_adopt, bounded as pool_open_bounded on a network directory: if
 * it has not finished within wait_ms the daemon goes on with the
 * directory unreachable, and the loop takes the adoption in when done. */
void pool_adopt_bounded(struct pool *p, uint64_t min_swapsize_b,
			int64_t now_ms, int64_t wait_ms);

/* pool_close's first step: a network directory that does not answer
 * has its handles closed by a thread that is never waited for (closing
 * the lock file sends its unlock to the server, which waits for it;
 * the process's exit ends that thread), and they are forgotten here.
 * The probe's memory goes too, unless a probe is still out. */
void pool_reach_release(struct pool *p);

/* Probe a network directory from now on (pool_open_bounded does it). */
void pool_reach_guard(struct pool *p, int64_t now_ms);

/* The loop's step: take in a probe's answer or a deferred open, judge
 * the deadline, start the next probe when due; changes are logged once.
 * Never blocks.  True when what status shows of it changed. */
bool pool_reach_tick(struct pool *p, int64_t now_ms);

/* How long the loop may sleep: wait_ms, or less when a probe is due or
 * its deadline comes first. */
int64_t pool_reach_wait_ms(const struct pool *p, int64_t now_ms,
			   int64_t wait_ms);

/* May a new file be made, or a spare turned on, there now?  True for a
 * local directory. */
bool pool_reach_up(const struct pool *p);

/* The loop's questions, answered from the last probe on a guarded
 * directory (through p->sys elsewhere): free and total bytes; whether a
 * slot's name is taken; whether a file of ours is gone (never while
 * unreachable, nor from a listing older than the file). */
int pool_dir_space(const struct pool *p, uint64_t *avail_b, uint64_t *size_b);
bool pool_name_taken(const struct pool *p, int slot);
bool pool_file_gone(const struct pool *p, int slot, int64_t since_ms);

void pool_reach_view(const struct pool *p, int64_t now_ms,
		     struct pool_reach_view *v);

/* The probe's thread body, for the tests. */
void pool_probe_run(struct pool_probe *pr);

#endif
