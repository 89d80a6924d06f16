/* PSI memory-pressure trigger (/proc/pressure/memory), with fallbacks. */
#ifndef GM_PSI_H
#define GM_PSI_H

#include <stddef.h>
#include <sys/types.h>

/* The calls psi_trigger_open makes, so tests can inject errors. */
struct psi_ops {
	int (*open)(const char *path, int flags);
	ssize_t (*write)(int fd, const void *buf, size_t len);
	int (*close)(int fd);
};

extern const struct psi_ops psi_sys_ops;

/* Open path and arm a "some <stall_us> <window_us>" trigger.  If the
 * kernel refuses the window (EINVAL: unprivileged callers need a multiple
 * of 2 s since 6.5), retry once with a 2 s window and the stall scaled
 * to match.  Returns the fd to poll for POLLPRI, or -errno: -ENOENT (no
 * /proc/pressure: no CONFIG_PSI), -EOPNOTSUPP (psi=0), -EPERM/-EACCES
 * (5.2-6.4 without CAP_SYS_RESOURCE) -> the caller polls instead.
 * *window_us_out gets the window in force. */
int psi_trigger_open(const struct psi_ops *ops, const char *path,
		     unsigned stall_us, unsigned window_us,
		     unsigned *window_us_out);

/* Format "some <stall> <window>" into buf; returns its length. */
size_t psi_trigger_text(char *buf, size_t len, unsigned stall_us,
			unsigned window_us);

#endif
