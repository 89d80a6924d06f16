/* Other swap managers on the machine, found at start: swapspace,
 * dphys-swapfile, systemd-swap and the zram set-ups (zram-tools,
 * systemd's zram-generator, rpi-swap), by their running processes, the
 * swap areas they keep and their enabled services.  ghostmemory leaves
 * their areas alone; two managers that grow swap would fight, so that
 * is said once.  The classification is pure; managers_scan reads a tree
 * (the root, or a test's fixture). */
#ifndef GM_MANAGERS_H
#define GM_MANAGERS_H

#include "swaps.h"

#include <stdbool.h>
#include <stddef.h>

enum manager {
	MGR_SWAPSPACE = 0, /* swapspace: grows files under /var/lib/swapspace */
	MGR_DPHYS,         /* dphys-swapfile: one static file, /var/swap */
	MGR_SYSTEMD_SWAP,  /* systemd-swap: zram, zswap, growing swapfc files */
	MGR_ZRAM,          /* zram-tools, zram-generator, rpi-swap: /dev/zramN */
	MGR_N
};

struct manager_found {
	bool running; /* a process of it runs */
	int areas;    /* swap areas of it in /proc/swaps */
	bool enabled; /* its service or generator is enabled */
};

const char *manager_name(enum manager m);

/* Does it add swap as memory runs short (and so fight ghostmemory)? */
bool manager_grows(enum manager m);

/* What one process name, swap area path or enabled service path (as
 * found under the root: /etc/systemd/system/multi-user.target.wants/
 * x.service, /etc/rc2.d/S01x, /usr/lib/systemd/system-generators/x,
 * /etc/systemd/zram-generator.conf ...) says. */
void managers_note_comm(struct manager_found f[MGR_N], const char *comm);
void managers_note_area(struct manager_found f[MGR_N], const char *path);
void managers_note_enabled(struct manager_found f[MGR_N], const char *path);

/* Scan root ("" normally): /proc/N/comm, the areas of t (may be NULL)
 * and the enabled services and generators. */
void managers_scan(const char *root, const struct swaps_table *t,
		   struct manager_found f[MGR_N]);

/* One line on what was found of m and what ghostmemory does about it;
 * 0 (and no text) when nothing was found. */
size_t managers_describe(const struct manager_found f[MGR_N], enum manager m,
			 char *buf, size_t cap);

#endif
