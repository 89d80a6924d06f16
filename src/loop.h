/* The daemon's loop: wait for a poll, a PSI event, a worker or a signal;
 * take in what the workers finished; read memory; one tick (tick.c);
 * publish the status.  It never blocks on a file: the pool's lanes do
 * every file operation. */
#ifndef GM_LOOP_H
#define GM_LOOP_H

#include "config.h"
#include "ctl.h"
#include "meminfo.h"
#include "othermem.h"
#include "tiers.h"
#include "resv.h"
#include "status.h"
#include "tick.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct daemon {
	struct config cfg;
	struct tiers tiers;
	struct tick_state ts;
	struct meminfo mi;       /* the last good reading */
	struct othermem om;      /* zram, zswap, overcommit with it */
	bool have_mi;
	double free_pct;
	int argc;
	char **argv;
	int64_t next_poll_ms;    /* how long the loop sleeps next */
	int psi_fd;              /* PSI trigger, or -1: polling only */
	unsigned long wakeups[WAKE_NSOURCES]; /* by enum wake_source */
	int64_t published_ms;    /* status/metrics last written, or -1 */
	enum fsm_state published_state; /* the state they showed */
	int published_making;    /* and the files being made or retired */
	int published_retiring;
	struct ctl ctl;          /* the control socket (lfd -1: none) */
	struct resv_table resv;  /* reservations made through it */
	bool resv_changed;       /* one was made: tick now */
	int published_resv;      /* reservations the status showed */
};

/* Start armed: if memory is calm, have the standby (standby=active's
 * file on, or standby=small's spare) made before saying we are ready
 * (waiting at most a few seconds). */
void loop_arm(struct daemon *d);

/* Until SIGTERM/SIGINT. */
void loop_run(struct daemon *d, const sigset_t *waitmask, int lockmode);

/* publish.c: the USR1 dump, the status and metrics files. */
void publish_dump(const struct daemon *d, int64_t now_ms);
void publish_status(struct daemon *d, int64_t now_ms);
void publish_remove(const struct config *cfg);

/* loop_ctl.c: the control socket and the reservations behind it. */
void loop_ctl_open(struct daemon *d);
void loop_ctl_service(struct daemon *d, int64_t now_ms);
/* End the reservations whose TTL ran out (logged). */
void loop_resv_expire(struct daemon *d, int64_t now_ms);
/* What the reservations still lack of free swap in our files. */
uint64_t loop_resv_short_b(const struct daemon *d);

#endif
