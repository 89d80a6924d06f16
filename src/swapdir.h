/* The swap directory: its start-up checks, its handle and free space. */
#ifndef GM_SWAPDIR_H
#define GM_SWAPDIR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct swapdir {
	int fd;                /* O_DIRECTORY|O_NOFOLLOW fd of the directory */
	char path[256];        /* as configured, no trailing slash */
	char canon[512];       /* realpath at open: how /proc/swaps names it */
	unsigned long fs_type; /* statfs f_type */
};

/* NULL if the kernel can swap to a file on this filesystem type,
 * else a short name for the message ("tmpfs", "zfs", ...).  Pure. */
const char *swapfs_refusal(unsigned long f_type);

/* Check (creating 0700 if missing) and open the swap directory.
 * Returns 0, or a GM_EXIT_DIR_* code with a message in err. */
int swapdir_open(const char *path, struct swapdir *d, char *err,
		 size_t errlen);
void swapdir_close(struct swapdir *d);

/* Free and total bytes of the filesystem (statfs). 0 or -errno. */
int swapdir_space(const struct swapdir *d, uint64_t *avail_b,
		  uint64_t *size_b);

/* Why a step on the way to the swap directory lets someone other than
 * root change where the path leads, or NULL when it does not.  uid and
 * mode are the step's own (lstat): a directory the path goes through, or
 * a symbolic link the path follows.  A directory must be root-owned and
 * writable by root only, as sshd's StrictModes wants, except that a
 * sticky one (/tmp, 1777 root) may be writable by all: there only root
 * and an entry's owner may rename or remove it, and every entry the path
 * takes from it is itself required to be root-owned.  A link must be
 * root-owned (its owner could replace it in a sticky directory).  Pure. */
const char *swapdir_step_unsafe(uid_t uid, mode_t mode);

#endif
