/* The set of swap files this daemon owns, and the effects that grow and
 * shrink it (through swapfile.c).  Decisions come from policy.c. */
#ifndef GM_POOL_H
#define GM_POOL_H

#include "config.h"
#include "fsm.h"
#include "meminfo.h"
#include "swapfile.h"
#include "swaps.h"

#include <stdbool.h>
#include <stdint.h>

#define POOL_MAX 64

struct pool_file {
	int slot;          /* file name: decimal slot number */
	bool active;       /* listed in /proc/swaps */
	uint64_t size_b;   /* file size */
	uint64_t used_kb;  /* Used column of /proc/swaps */
	int priority;      /* from /proc/swaps */
	int64_t since_ms;  /* created, adopted or kept at (monotonic) */
};

struct pool_counters {
	unsigned long grows, shrinks;
	unsigned long fail_no_room, fail_create, fail_swapon, fail_swapoff;
	unsigned long adopted, spares_kept, leftovers_deleted;
};

/* The one file the worker thread is making (slot 0: none).  The loop
 * fills it in and starts the thread; the thread writes rc, active,
 * swapon_failed and make_ms, then sets done and writes a byte to the wake
 * pipe.  Nothing else is shared. */
struct pool_job {
	int slot;
	uint64_t size_b;
	int urgent;          /* (atomic) a GROW waits: turn it on once made */
	int done;            /* (atomic) the worker has finished */
	int rc;              /* 0, or -errno of making or of swapon */
	bool active;         /* the worker turned it on */
	bool swapon_failed;  /* rc came from swapon, not from making */
	int64_t make_ms;     /* how long making it took */
	struct config cfg;   /* swapon's priority and discard */
};

struct pool {
	struct swapdir dir;
	char canon[512];       /* realpath of the swap directory */
	const char *swaps_path; /* normally /proc/swaps */
	int n;
	struct pool_file f[POOL_MAX];
	struct pool_counters c;
	struct pool_job job;   /* the file being made, if any */
	int wake[2];           /* the worker says "done" here; -1: none */
	int64_t spare_retry_ms; /* after a failure, not before this */
	int64_t make_ms;       /* how long the last file took to make */
};

/* Before anything else: the worker's wake pipe.  Poll pool_wake_fd for
 * POLLIN and drain it with pool_wake_drain whenever it is readable (the
 * byte may come after the file was already taken in by a tick). */
void pool_init(struct pool *p);
int pool_wake_fd(const struct pool *p);
void pool_wake_drain(struct pool *p);

/* Look at what is already in the directory: adopt active files, keep
 * valid inactive ones as spares, delete the rest (never an active one). */
void pool_adopt(struct pool *p, const struct config *cfg, int64_t now_ms);

/* Re-read /proc/swaps: usage figures, and files swapped off (or deleted)
 * behind our back. 0 or -errno. */
int pool_refresh(struct pool *p, int64_t now_ms);

/* GROW: swapon a spare (FSM_OK at once), else have the worker make a
 * file and turn it on (FSM_PENDING: pool_collect says how it went).  A
 * grow while a file is being made waits for that file.  Never blocks on
 * making a file. */
enum fsm_outcome pool_grow(struct pool *p, const struct config *cfg,
			   const struct meminfo *mi, int64_t now_ms);

/* Take in a file the worker has finished (a spare, or one a GROW waited
 * for).  True when a GROW was waiting, with its outcome in *out (which
 * may be FSM_PENDING again: its spare failed and another file is being
 * made).  Never blocks. */
bool pool_collect(struct pool *p, const struct config *cfg,
		  const struct meminfo *mi, int64_t now_ms,
		  enum fsm_outcome *out);

/* A file is being made. */
bool pool_busy(const struct pool *p);

/* SHRINK: remove one file chosen by policy_pick_shrink (spares first). */
enum fsm_outcome pool_shrink(struct pool *p, const struct config *cfg,
			     const struct meminfo *mi);

/* -e at exit: swapoff and delete everything that is safe. */
void pool_erase(struct pool *p, const struct config *cfg,
		const struct meminfo *mi);

/* Calm machine: start making a warm spare (an inactive, formatted file
 * of the next size) in the background if there is none and the disk
 * allows, so the next GROW is one swapon(2).  Never blocks. */
void pool_spare_tick(struct pool *p, const struct config *cfg,
		     const struct meminfo *mi, bool calm, int64_t now_ms);

/* At exit: let a file being made finish (it is then a valid leftover
 * for the next start, or erased with -e); nothing more is turned on. */
void pool_spare_wait(struct pool *p);

/* A spare is ready: the next GROW is a single swapon. */
bool pool_has_spare(const struct pool *p);

uint64_t pool_owned_b(const struct pool *p);
int pool_active_count(const struct pool *p);

#endif
