/* Reservations: swap asked for ahead of a known need (a package upgrade,
 * a build) through the control socket.  Each holds SIZE bytes until it
 * is released or its TTL runs out.  While any is held, the daemon keeps
 * at least their sum free in its own active swap files: the tick grows
 * at once when there is less, and a shrink never takes the free swap
 * below the sum.  Pure bookkeeping: time is passed in. */
#ifndef GM_RESV_H
#define GM_RESV_H

#include <stdbool.h>
#include <stdint.h>

/* At most this many reservations at once. */
#define RESV_MAX 32
/* A TTL when none is given: one hour. */
#define RESV_DEFAULT_TTL_S 3600

struct resv {
	uint32_t id;        /* 0: the slot is free */
	uint64_t size_b;    /* free active swap asked for */
	int64_t since_ms;   /* made at (monotonic) */
	int64_t expires_ms; /* ends then unless released before */
};

struct resv_table {
	struct resv r[RESV_MAX];
	uint32_t next_id;   /* the id the next reservation gets */
	unsigned long made, released, expired; /* since start */
};

/* Empty; ids start at first_id (0 is taken as 1), so a restarted daemon
 * can hand out ids its predecessor's clients do not hold. */
void resv_init(struct resv_table *t, uint32_t first_id);

/* A new reservation: 0 with *id, -EINVAL for a zero size or TTL,
 * -ENOSPC when the table is full. */
int resv_add(struct resv_table *t, uint64_t size_b, int64_t ttl_s,
	     int64_t now_ms, uint32_t *id);

/* 0, or -ENOENT for an id that is not held (never made, released,
 * expired). */
int resv_release(struct resv_table *t, uint32_t id);

/* Reservation id now ends ttl_s from now_ms (sooner or later than it
 * would have): 0, -ENOENT for an id that is not held, -EINVAL for a TTL
 * under 1 s. */
int resv_renew(struct resv_table *t, uint32_t id, int64_t ttl_s,
	       int64_t now_ms);

/* End the reservations whose TTL ran out; how many ended. */
int resv_expire(struct resv_table *t, int64_t now_ms);

/* The held reservation id, or NULL. */
const struct resv *resv_find(const struct resv_table *t, uint32_t id);

int resv_count(const struct resv_table *t);
uint64_t resv_sum_b(const struct resv_table *t);

/* How much free swap the reservations still lack (0: met), given the
 * free space of the daemon's own active files. */
uint64_t resv_short_b(uint64_t sum_b, uint64_t own_free_b);

/* The shrink floor: may a file with file_free_b of free swap be turned
 * off, leaving own_free_b - file_free_b for reservations of sum_b? */
bool resv_shrink_ok(uint64_t sum_b, uint64_t own_free_b,
		    uint64_t file_free_b);

/* upgrade_reserve=auto: what the apt hook reserves on a machine with
 * mem_total_b of RAM.  Half the RAM, at least 256 MiB and at most
 * 1 GiB; nothing from 4 GiB of RAM up (apt and dpkg fit). */
uint64_t resv_upgrade_auto_b(uint64_t mem_total_b);

#endif
