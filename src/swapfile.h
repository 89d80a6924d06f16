/* Every system call on the swap directory, swap files and swap areas. */
#ifndef GM_SWAPFILE_H
#define GM_SWAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "swapdir.h"

/* How a file is turned on: what util-linux calls swap_prop. */
struct swap_prop {
	int priority; /* swapon priority, -1: the kernel's */
	int discard;  /* enum gm_discard */
};

/* swapon(2) flags for a priority (-1 = none) and discard policy.  Pure. */
int swapfile_swapon_flags(int priority, int discard);

/* "<swappath>/<slot>" into out. */
void swapfile_path(const struct swapdir *d, int slot, char *out,
		   size_t outlen);

/* Make slot's file: O_EXCL|O_NOFOLLOW create 0600, btrfs NOCOW, allocate
 * (fallocate, or zeros when zero_fill or unsupported), header, fsync.
 * Not activated.  On any failure the file is unlinked.  Returns 0,
 * -ENOSPC for "no room" (ENOSPC/EDQUOT/EFBIG), or another -errno; the
 * failing step is logged.  *cancel (atomic; NULL: never) set while the
 * file is written stops it with -ECANCELED, the file unlinked. */
int swapfile_make(const struct swapdir *d, int slot, uint64_t size_b,
		  bool zero_fill, const int *cancel);

/* swapon(2) exactly the inode named slot in the directory fd (through
 * /proc/self/fd, never the path string), then check that /proc/swaps
 * names that device and inode; if not, swap it off again (-ESTALE).
 * 0 or -errno (EBUSY: it was already on; EPERM: the kernel's table is
 * full or we lack the right; EINVAL: the file is unusable). */
int swapfile_activate(const struct swapdir *d, int slot,
		      const struct swap_prop *sp);

/* Would writing zeros cure a swapon EINVAL on this filesystem?  Only
 * where fallocate'd (unwritten) extents can be taken for holes: never on
 * btrfs (COW/compression, which zeros cannot fix) or a network
 * filesystem.  Pure. */
bool swapfile_zero_fill_helps(unsigned long f_type);

/* swapon a file swapfile_make(..., false) just made, making it again
 * with zeros written if swapon says EINVAL (fallocate'd extents taken
 * for holes) where zeros can help (swapfile_zero_fill_helps).  The file
 * is unlinked only when swapon said it is bad (EINVAL); after any other
 * error it stays, a valid inactive file.  0 or -errno. */
int swapfile_turn_on(const struct swapdir *d, int slot, uint64_t size_b,
		     const struct swap_prop *sp, const int *cancel);

/* make + turn on.  Same returns as swapfile_make. */
int swapfile_create(const struct swapdir *d, int slot, uint64_t size_b,
		    const struct swap_prop *sp);

/* swapoff(2) of exactly slot's inode, in a short-lived child process:
 * the kernel makes the swapoff caller the OOM killer's first victim and
 * stops it only on a signal, so the child takes the risk, and a kill of
 * it (by the OOM killer, or by us at stop through *child, where its pid
 * is published while it runs) only ends the swapoff: the kernel puts
 * the area back and the file stays active.  0, -EINTR (the child was
 * killed), -ENOMEM (its pages do not fit), or another -errno. */
int swapfile_deactivate(const struct swapdir *d, int slot, int *child);

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

/* The start-up sweep: call each(ctx, name) for every entry of the
 * directory but "." and "..", in directory order.  0 or -errno. */
int swapfile_sweep(const struct swapdir *d,
		   void (*each)(void *ctx, const char *name), void *ctx);

/* Why swapfile_validate rejected a file, for "deleted invalid leftover
 * PATH: REASON" ("is a symbolic link", ...); strerror otherwise. */
const char *swapfile_reject_reason(int err);

#endif
