/* Process plumbing of the daemon: the pid file, detaching, signals as
 * flags, and protecting itself (memory lock, OOM score).  Fatal errors
 * exit with the documented codes. */
#ifndef GM_PROC_H
#define GM_PROC_H

#include "memlock.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Set by the handlers, read (and cleared) by the loop. */
extern volatile sig_atomic_t proc_got_term, proc_got_hup, proc_got_usr1,
	proc_got_usr2;

/* Lock the pid file before detaching, so failures reach the caller.
 * Returns its fd; exits 4 (running) or 5 (unusable) otherwise. */
int proc_pidfile_lock(const char *path);
void proc_pidfile_write(int fd, const char *path);

/* Detach.  The first parent waits until the daemon says it is ready (or
 * dies) and reaps the intermediate child.  Returns the fd the daemon
 * writes its "ready" byte to with proc_ready. */
int proc_daemonize(void);
void proc_ready(int fd);

/* Handlers for TERM, INT, HUP, USR1, USR2; SIGPIPE and SIGXFSZ
 * ignored.  The signals are blocked but while waiting in ppoll with
 * *waitmask. */
void proc_signals(sigset_t *waitmask);

/* Keep our own pages in RAM and out of the OOM killer's reach. */
enum memlock_mode proc_protect(void);

/* CAP_SYS_ADMIN's bit in a capability set. */
#define PROC_CAP_SYS_ADMIN 21

/* The CapEff line of a /proc/PID/status buffer: 0 with *capeff, or
 * -EINVAL (no such line, not 1 to 16 hex digits). */
int proc_parse_capeff(const char *buf, size_t len, uint64_t *capeff);

/* Whether this process may swapon(2)/swapoff(2): 1 yes, 0 no, -errno
 * when status_path (normally /proc/self/status) cannot be read. */
int proc_has_sys_admin(const char *status_path);

/* Make dir with mode, whatever the umask; an existing directory keeps
 * its mode.  0 or -errno. */
int proc_mkdir_mode(const char *dir, unsigned mode);

#endif
