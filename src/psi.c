/* PSI trigger set-up.  Kernel rules (kernel/sched/psi.c,
 * psi_trigger_create(), and Documentation/accounting/psi.rst):
 *  - triggers exist since 5.2; one per open file (a second write: EBUSY);
 *  - the window must be 500 ms..10 s and 0 < stall <= window, else EINVAL;
 *  - since 6.5 an opener without CAP_SYS_RESOURCE may arm triggers, but
 *    only with a window that is a multiple of 2 s (else EINVAL); from 5.13
 *    to 6.4 opening for write needs CAP_SYS_RESOURCE, before that root;
 *  - with psi=0 on the command line the files exist but refuse with
 *    EOPNOTSUPP; without CONFIG_PSI /proc/pressure does not exist;
 *  - events are signalled as POLLPRI, at most once per window; POLLERR
 *    means the trigger went away. */
#include "psi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PSI_UNPRIV_WINDOW_US 2000000u

static int sys_open(const char *path, int flags)
{
	return open(path, flags);
}

const struct psi_ops psi_sys_ops = {sys_open, write, close};

size_t psi_trigger_text(char *buf, size_t len, unsigned stall_us,
			unsigned window_us)
{
	int n = snprintf(buf, len, "some %u %u", stall_us, window_us);

	return n < 0 ? 0 : (size_t)n;
}

static int arm(const struct psi_ops *ops, const char *path, unsigned stall,
	       unsigned window)
{
	char text[64];
	size_t n = psi_trigger_text(text, sizeof(text), stall, window);
	int fd = ops->open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	int e;

	if (fd < 0)
		return -errno;
	/* The kernel takes the text with or without its NUL. */
	if (ops->write(fd, text, n + 1) == (ssize_t)(n + 1))
		return fd;
	e = errno ? errno : EIO;
	ops->close(fd);
	return -e;
}

int psi_trigger_open(const struct psi_ops *ops, const char *path,
		     unsigned stall_us, unsigned window_us,
		     unsigned *window_us_out)
{
	int fd = arm(ops, path, stall_us, window_us);

	if (fd == -EINVAL && window_us % PSI_UNPRIV_WINDOW_US) {
		/* Same share of the window as stalled, over 2 s. */
		unsigned long long s = (unsigned long long)stall_us *
				       PSI_UNPRIV_WINDOW_US / window_us;
		if (s == 0)
			s = 1;
		window_us = PSI_UNPRIV_WINDOW_US;
		fd = arm(ops, path, (unsigned)s, window_us);
	}
	if (fd >= 0 && window_us_out)
		*window_us_out = window_us;
	return fd;
}
