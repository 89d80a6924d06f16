/* The set of swap files this daemon owns: its directory (handle, lock,
 * path), the bookkeeping of its files, and the decisions of growing and
 * shrinking it.  Every file operation runs off the loop, in one of two
 * worker lanes (pool_jobs.c): one makes and turns on files, one turns
 * them off and deletes them, so a swapoff that takes minutes never
 * delays a grow.  Every system call goes through struct pool_sys, so the
 * bookkeeping is unit-tested with fakes.  Sizing and the choice of the
 * file to remove come from policy.c. */
#ifndef GM_POOL_H
#define GM_POOL_H

#include "fsm.h"
#include "meminfo.h"
#include "policy.h"
#include "pool_reach.h"
#include "swapfile.h"
#include "swaps.h"

#include <stdbool.h>
#include <stdint.h>

#define POOL_MAX 64

/* The settings the pool works by (params.h fills it from the config):
 * sizing, the free figure, swapon's priority and discard, and -P. */
struct pool_params {
	struct size_params size;
	struct free_params fp;
	struct swap_prop prop;
	bool paranoid;
	uint64_t keep_free_b; /* reservations: a shrink leaves this much
			       * free in our active files (0: no floor) */
	enum standby_policy standby; /* what is held while calm */
	uint64_t spare_max_b;        /* standby=small: the spare's bound */
	uint64_t spike_rate_b;       /* worst allocation rate, bytes/s */
	/* Tiers (tiers.h): the other tiers' files, counted with this
	 * pool's own against max_files and max_total (0 with one tier). */
	int other_files;
	uint64_t other_owned_b;
	/* SHRINK (tick_keep_ms): the file turned off stays on disk, off,
	 * this long for a GROW to turn on again; 0: deleted at once. */
	int64_t keep_ms;
};

struct pool_file {
	int slot;          /* file name: decimal slot number */
	bool active;       /* listed in /proc/swaps */
	uint64_t size_b;   /* file size */
	uint64_t used_kb;  /* Used column of /proc/swaps */
	int priority;      /* from /proc/swaps */
	int64_t since_ms;  /* created, adopted or kept at (monotonic) */
	bool resume_target; /* the hibernation resume target: never
			     * swapped off or deleted */
	int64_t keep_until_ms; /* turned off by a shrink, kept for a GROW
				* until then, deleted after (0: not kept) */
};

struct pool_counters {
	unsigned long grows, shrinks;
	unsigned long fail_no_room, fail_create, fail_swapon, fail_swapoff;
	unsigned long adopted, spares_kept, leftovers_deleted;
};

/* The system calls of the pool.  pool_sys_real is the daemon's. */
struct pool_sys {
	int (*swaps_read)(const char *path, struct swaps_table *t);
	/* Does name exist in the directory (any type, never followed)? */
	bool (*exists)(const struct swapdir *d, const char *name);
	int (*space)(const struct swapdir *d, uint64_t *avail_b,
		     uint64_t *size_b);
	int (*sweep)(const struct swapdir *d,
		     void (*each)(void *ctx, const char *name), void *ctx);
	int (*validate)(const struct swapdir *d, int slot, uint64_t min_b,
			uint64_t *size_b);
	int (*make)(const struct swapdir *d, int slot, uint64_t size_b,
		    bool zero_fill, const int *cancel);
	int (*turn_on)(const struct swapdir *d, int slot, uint64_t size_b,
		       const struct swap_prop *sp, const int *cancel);
	int (*activate)(const struct swapdir *d, int slot,
			const struct swap_prop *sp);
	int (*deactivate)(const struct swapdir *d, int slot, int *child);
	int (*remove)(const struct swapdir *d, int slot, bool paranoid);
	/* Is the file the hibernation resume target (resume.h)?  May be
	 * NULL: none is. */
	bool (*is_resume_target)(const struct swapdir *d, int slot);
	/* A fresh memory reading, for a swapoff judged at exit. */
	int (*meminfo)(struct meminfo *mi);
	long (*page_size)(void);
};
extern const struct pool_sys pool_sys_real;

enum job_kind {
	JOB_MAKE = 1, /* make a spare; turn it on if a GROW asks meanwhile */
	JOB_ON,       /* turn a spare on */
	JOB_OFF,      /* swapoff (in a child process), then delete */
	JOB_DELETE,   /* delete an inactive file */
};

/* One lane's job (slot 0: idle).  The loop fills it in and starts the
 * thread; the thread writes the results, then sets done and writes a
 * byte to the wake pipe.  urgent, done, cancel and child are atomics. */
struct pool_job {
	struct pool *p;
	enum job_kind kind;
	int slot;
	uint64_t size_b;
	int urgent;          /* a GROW waits: turn the file on once made */
	int done;            /* the worker has finished */
	int cancel;          /* stop making the file (exit); JOB_OFF: the
			      * swapoff child was sent SIGKILL */
	int child;           /* pid of the swapoff child while it runs */
	int rc;              /* 0, or -errno of the failing step */
	int unlink_rc;       /* JOB_OFF: the delete after the swapoff */
	bool active;         /* the file is on when the job ends */
	bool swapon_failed;  /* rc came from swapon, not from making */
	bool kept;           /* a made file whose swapon failed, not for
			      * its own fault: it stays as a spare */
	bool paranoid;       /* overwrite before deleting */
	bool standby;        /* loop only: the calm-time standby file */
	bool grow_waits;     /* loop only: a GROW took this job as its own */
	bool invalid;        /* JOB_ON: the file failed its check before
			      * the swapon (rc: the check's error) */
	int64_t keep_ms;     /* JOB_OFF: keep the file, off, this long
			      * instead of deleting it (0: delete) */
	struct swap_prop prop;
	int64_t took_ms;     /* how long the job took */
};

enum pool_lane { LANE_GROW = 0, LANE_SHRINK, LANE_N };

struct pool {
	const struct pool_sys *sys;
	struct swapdir dir;     /* handle, configured and real path */
	const char *swaps_path; /* normally /proc/swaps */
	const struct swaps_table *swaps; /* its last reading by pool_refresh
					  * (NULL: none, or unreadable) */
	int n;
	struct pool_file f[POOL_MAX];
	struct pool_counters c;
	struct pool_job lane[LANE_N];
	int wake[2];            /* the workers say "done" here; -1: none */
	int64_t make_ms;        /* how long the last file took to make */
	int64_t slow_make_ms;   /* and the slowest this run */
	uint64_t make_b;        /* and its size (0: none made yet) */
	int standby_slot;       /* standby=active: the floor file (0: none) */
	uint64_t spare_want_b;  /* standby=small: the spare sized last */
	bool stopping;          /* pool_stop: start nothing new */
	struct pool_reach reach; /* a network directory: probed off the
				  * loop, never touched by it */
};

/* What pool_collect found finished. */
struct pool_done {
	bool grow;                 /* a GROW that waited has an outcome */
	enum fsm_outcome grow_out; /* may be FSM_PENDING again */
	bool spare_failed;         /* a spare could not be made */
	bool shrink;               /* a SHRINK ended */
	enum fsm_outcome shrink_out;
};

/* A copy of what status and the dump show. */
struct pool_view {
	int n;
	struct pool_file f[POOL_MAX];
	int making_slot;       /* a file being made (0: none) */
	uint64_t making_size_b;
	bool making_for_grow;  /* a GROW waits for it (else a spare) */
	int retiring_slot;     /* a file being turned off (0: none) */
	int standby_slot;      /* standby=active's floor file (0: none) */
	uint64_t spare_want_b; /* standby=small: the spare sized last */
	struct pool_counters c;
	const char *dir;       /* real path of the directory */
};

/* Open and check the swap directory, resolve its real path, and make
 * the workers' wake pipe.  0, or a GM_EXIT_* code with a message in err. */
int pool_open(struct pool *p, const char *swappath,
	      const struct pool_sys *sys, char *err, size_t errlen);
/* Take the directory's lock: one daemon per directory, whatever its pid
 * file.  0, or GM_EXIT_RUNNING with a message. */
int pool_lock(struct pool *p, char *err, size_t errlen);
void pool_close(struct pool *p);
/* Re-read the directory's mount (on NFS only) and judge it again
 * (netfs.c): false when it would now be refused, said once in the log.
 * Called at reload and before each new file; never touches the mount. */
bool pool_net_ok(struct pool *p);

/* The directory's real path, as /proc/swaps names its files. */
const char *pool_dir(const struct pool *p);

/* Poll for POLLIN, and drain whenever readable (a byte may come after
 * its job was already collected). */
int pool_wake_fd(const struct pool *p);
void pool_wake_drain(struct pool *p);

/* Look at what is already in the directory: adopt active files, keep
 * valid inactive ones as spares, delete the rest (never an active one:
 * an unreadable /proc/swaps deletes nothing). */
void pool_adopt(struct pool *p, uint64_t min_swapsize_b, int64_t now_ms);

/* Re-read /proc/swaps: usage figures, and files swapped off (or deleted)
 * behind our back.  0 or -errno. */
int pool_refresh(struct pool *p, int64_t now_ms);

/* GROW: turn a spare on, or make a file and turn it on, in the
 * background: FSM_PENDING (pool_collect tells the outcome), or at once
 * FSM_NO_ROOM / FSM_FAILED.  *size_b: the file's size. */
enum fsm_outcome pool_grow(struct pool *p, const struct pool_params *pp,
			   const struct meminfo *mi, int64_t now_ms,
			   uint64_t *size_b);

/* Would a GROW's new file fit (limits, reserve, disk: what make_start
 * checks)?  0, -ENOSPC, or the statfs error.  For the tier choice. */
int pool_room(struct pool *p, const struct pool_params *pp,
	      const struct meminfo *mi);

/* SHRINK: start turning off and deleting one file (extra spares first,
 * then policy_pick_shrink's, never one that would leave less than
 * pp->keep_free_b free): FSM_PENDING, or FSM_NOTHING when none may go
 * (or one is already going). */
enum fsm_outcome pool_shrink(struct pool *p, const struct pool_params *pp,
			     const struct meminfo *mi, int64_t now_ms,
			     uint64_t *size_b);

/* SHRINK's choice, pure, over the files of every tier in order of
 * preference (pool_shrink: one pool's).  Each file as it weighs it: */
#define SHRINK_FILES_MAX (POOL_MAX * 4)
struct shrink_file {
	uint64_t size_b, used_kb;
	bool active;
	bool busy;   /* a lane works on it */
	bool resume; /* the hibernation resume target */
	int64_t keep_until_ms; /* pool_file's: kept for a GROW until then */
};
/* and the settings and memory figures it weighs them by. */
struct shrink_in {
	enum standby_policy standby;
	uint64_t keep_free_b; /* reservations: free swap kept in our files */
	int freetarget_pct;
	uint64_t free_kb, total_kb, ram_avail_kb, mem_total_kb;
	uint64_t commit_free_kb, commit_limit_kb; /* strict overcommit */
	int64_t now_ms;
	int64_t keep_ms; /* pool_params': 0 (a diet) deletes kept files */
};
struct shrink_out {
	int pick;       /* index of the file, -1: none */
	bool del;       /* an inactive file: deleted, no swapoff */
	int candidates; /* active files that might have gone */
	int held;       /* active files kept for the reservations */
};
/* An inactive file first (standby=small keeps the first spare; a file
 * kept by an earlier shrink stays until its time unless keep_ms is 0),
 * else
 * policy_pick_shrink's among the active files that keep the standby
 * floor, the commit headroom and the reservations (all counted over
 * every file given).  Returns out->pick. */
int pool_shrink_choose(const struct shrink_in *in, const struct shrink_file *f,
		       int n, struct shrink_out *out);
/* What pool_shrink_choose weighs, from the parameters, the reading and
 * the loop's clock (a kept file's time is judged against now_ms). */
void pool_shrink_in(const struct pool_params *pp, const struct meminfo *mi,
		    int64_t now_ms, struct shrink_in *in);
/* The pool's files as pool_shrink_choose weighs them (p->n of them). */
void pool_shrink_files(const struct pool *p, struct shrink_file *out);
/* Start what pool_shrink_choose chose (f: that file; logged when none):
 * FSM_PENDING, FSM_NOTHING or FSM_FAILED. */
enum fsm_outcome pool_shrink_start(struct pool *p, const struct pool_params *pp,
				   const struct shrink_out *so,
				   const struct pool_file *f, uint64_t *size_b);

/* Take in what the lanes finished.  Never blocks. */
void pool_collect(struct pool *p, const struct pool_params *pp,
		  const struct meminfo *mi, int64_t now_ms,
		  struct pool_done *done);

/* Calm: what the standby policy holds (policy_standby_act), started in
 * the background when the grow lane is idle: a full-size file turned on
 * at the lowest priority (active), or a small spare (small).  0 (started,
 * or nothing to do) or -errno (could not: the caller retries later). */
int pool_standby_start(struct pool *p, const struct pool_params *pp,
		       const struct meminfo *mi, int64_t now_ms);

/* A file an earlier shrink kept whose time is up (index, or -1): it is
 * deleted now.  Pure. */
int pool_keep_expired(const struct pool_file *f, int n, int64_t now_ms);
/* The loop's sleep (wait_ms) cut to when the first kept file's time is
 * up, never under a second (one that is due but cannot go yet, its
 * directory not answering, must not spin the loop).  Pure. */
int64_t pool_keep_wait_ms(const struct pool_file *f, int n, int64_t now_ms,
			  int64_t wait_ms);
/* Start deleting such a file in the shrink lane when it is idle: 1
 * started, 0 nothing to do. */
int pool_expire(struct pool *p, const struct pool_params *pp, int64_t now_ms);

/* The inactive file a GROW turns on (index, or -1): the largest not
 * busy, the first of equals.  A file a shrink kept (full-size) goes
 * before standby=small's spare, which would only bridge the making of a
 * new full-size file.  Pure. */
int pool_pick_spare(const struct pool_file *f, int n, const bool *busy);

/* standby=active at start: the inactive file to turn on as the floor
 * instead of making one (index, or -1): the spare, not busy, whose size
 * is nearest want_b within an eighth of it.  Pure. */
int pool_floor_spare(const struct pool_file *f, int n, const bool *busy,
		     uint64_t want_b);

/* Disk held while idle: the inactive files (kept ones included), and
 * the standby file (slot standby_slot, 0: none) while it is on.  Pure. */
uint64_t pool_idle_held_b(const struct pool_file *f, int n, int standby_slot);

/* At exit: stop making a file (a zero-fill is cancelled and its file
 * deleted; a fallocate'd one finishes as a valid spare), end a running
 * swapoff (its file stays active), and wait up to wait_ms for both. */
void pool_stop(struct pool *p, const struct pool_params *pp, int64_t wait_ms);

/* End a running swapoff (SIGKILL to its child; the kernel puts the area
 * back and the file stays active, counted, retried later).  True when
 * the signal was sent now; false when no swapoff child runs (yet) or it
 * was already sent. */
bool pool_swapoff_abort(struct pool *p);

/* -e at exit and --erase-now: swapoff and delete, one by one, every file
 * whose used pages fit in RAM with the margin on a fresh reading; delete
 * inactive ones.  Each file that stays is logged with the reason; all
 * stay in a network directory that does not answer (pool_reach.h).
 * Returns how many stay. */
int pool_erase(struct pool *p, const struct pool_params *pp);

bool pool_busy(const struct pool *p);      /* the grow lane works */
bool pool_has_spare(const struct pool *p); /* next GROW: one swapon */
/* A grow's making time for the forecast (policy_lead_make_ms; swapping:
 * an active file here holds pages). */
int64_t pool_lead_make_ms(const struct pool *p);
uint64_t pool_owned_b(const struct pool *p);
/* Free space (size less used) of our active files: what reservations
 * are met from. */
uint64_t pool_free_b(const struct pool *p);
int pool_active_count(const struct pool *p);
void pool_view(const struct pool *p, struct pool_view *v);
/* Only the slots being made and retired (0: none): cheap, per tick. */
void pool_lane_slots(const struct pool *p, int *making, int *retiring);

/* The books, shared by pool.c and pool_collect.c: the file of a slot
 * (or NULL), forgetting one, its real path, and how a failure to make a
 * file counts (-ENOSPC: no room; else a failed create). */
struct pool_file *pool_find(struct pool *p, int slot);
/* A lane is working on this slot (it reports the file itself). */
bool pool_slot_busy(const struct pool *p, int slot);
void pool_drop(struct pool *p, struct pool_file *f);
void pool_path(const struct pool *p, int slot, char *out, size_t len);
enum fsm_outcome pool_make_outcome(struct pool *p, int rc);
/* Start making the next full-size file for a GROW (turned on when made):
 * 0 or -errno (-ENOSPC: no room), logged. */
int pool_make_next(struct pool *p, const struct pool_params *pp,
		   const struct meminfo *mi, uint64_t *size_b);

/* The bookkeeping's pure parts, for the tests. */
int pool_slot_of_name(const char *name);
int pool_slot_of_path(const char *dir, const char *path);
/* A worker's stack: our small one, or min_b (the C library's minimum,
 * sysconf(_SC_THREAD_STACK_MIN); <= 0: unknown) when that is larger. */
size_t pool_worker_stack_b(long min_b);

/* Worker lanes (pool_jobs.c). */
int pool_job_start(struct pool *p, enum pool_lane lane, enum job_kind kind,
		   int slot, uint64_t size_b, const struct pool_params *pp,
		   bool urgent);
bool pool_job_done(const struct pool *p, enum pool_lane lane);
bool pool_job_idle(const struct pool *p, enum pool_lane lane);

#endif
