/* Every system call on the swap directory, swap files and swap areas. */
#ifndef GM_SWAPFILE_H
#define GM_SWAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct config;

struct swapdir {
	int fd;              /* O_DIRECTORY|O_NOFOLLOW fd of the directory */
	char path[256];      /* as configured, no trailing slash */
	unsigned long fs_type; /* statfs f_type */
};

/* NULL if the kernel can swap to a file on this filesystem type,
 * else a short name for the message ("tmpfs", "zfs", ...).  Pure. */
const char *swapfs_refusal(unsigned long f_type);

/* swapon(2) flags for a priority (-1 = none) and discard policy.  Pure. */
int swapfile_swapon_flags(int priority, int discard);

/* Check (creating 0700 if missing) and open the swap directory.
 * Returns 0, or a GM_EXIT_DIR_* code with a message in err. */
int swapdir_open(const char *path, struct swapdir *d, char *err,
		 size_t errlen);
void swapdir_close(struct swapdir *d);

/* Free and total bytes of the filesystem (statfs). 0 or -errno. */
int swapdir_space(const struct swapdir *d, uint64_t *avail_b,
		  uint64_t *size_b);

/* "<swappath>/<slot>" into out. */
void swapfile_path(const struct swapdir *d, int slot, char *out,
		   size_t outlen);

/* Make slot's file: O_EXCL|O_NOFOLLOW create 0600, btrfs NOCOW, allocate
 * (fallocate, or zeros when zero_fill or unsupported), header, fsync.
 * Not activated.  On any failure the file is unlinked.  Returns 0,
 * -ENOSPC for "no room" (ENOSPC/EDQUOT/EFBIG), or another -errno; the
 * failing step is logged. */
int swapfile_make(const struct swapdir *d, int slot, uint64_t size_b,
		  bool zero_fill);

/* swapon(2) slot's file with the configured priority/discard: 0/-errno. */
int swapfile_activate(const struct swapdir *d, int slot,
		      const struct config *cfg);

/* swapon a file swapfile_make(..., false) just made, making it again
 * with zeros written if swapon says EINVAL (fallocate'd extents taken
 * for holes); unlinks it on failure.  0 or -errno. */
int swapfile_turn_on(const struct swapdir *d, int slot, uint64_t size_b,
		     const struct config *cfg);

/* make + turn on.  Same returns as swapfile_make. */
int swapfile_create(const struct swapdir *d, int slot, uint64_t size_b,
		    const struct config *cfg);

/* swapoff(2): 0 or -errno (ENOMEM, EINTR: keep the file, retry later). */
int swapfile_deactivate(const struct swapdir *d, int slot);

/* unlink slot's file (overwriting it first when paranoid): 0/-errno. */
int swapfile_remove(const struct swapdir *d, int slot, bool paranoid);

/* Validate an inactive leftover: regular file (not a symlink, FIFO, dir,
 * hard link), root-owned, mode 0600, size >= min_b, valid header for its
 * size.  0 with *size_b, or -errno naming why it is rejected. */
int swapfile_validate(const struct swapdir *d, int slot, uint64_t min_b,
		      uint64_t *size_b);

/* swapfile_validate with another required owner (tests run unprivileged
 * and cannot make root-owned files).  The errno for each rejection:
 * ELOOP symlink, EISDIR directory, ENXIO other non-regular file, EMLINK
 * hard link, EPERM wrong owner, EACCES mode not 0600, ERANGE under min_b,
 * EINVAL not a page multiple, EBADMSG bad header, ESTALE replaced while
 * checked, else what a system call said. */
int swapfile_validate_as(const struct swapdir *d, int slot, uint64_t min_b,
			 uid_t owner, uint64_t *size_b);

/* Why swapfile_validate rejected a file, for "deleted invalid leftover
 * PATH: REASON" ("is a symbolic link", ...); strerror otherwise. */
const char *swapfile_reject_reason(int err);

#endif
