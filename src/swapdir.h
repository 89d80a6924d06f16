/* The swap directory: its start-up checks, its handle and free space. */
#ifndef GM_SWAPDIR_H
#define GM_SWAPDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define NFS_SUPER_MAGIC 0x6969u

struct swapdir {
	int fd;                /* O_DIRECTORY|O_NOFOLLOW fd of the directory */
	int lock_fd;           /* the lock file on a network filesystem */
	char path[256];        /* as configured, no trailing slash */
	char canon[512];       /* realpath at open: how /proc/swaps names it */
	unsigned long fs_type; /* statfs f_type */
	dev_t dev;             /* st_dev: which mount in mountinfo */
	bool nfs;              /* on an NFS mount (netfs.c's rules apply) */
	bool nfs_v42;          /* NFSv4.2 or later: fallocate works */
	bool lock_warned;      /* the "lock is local only" warning was said */
	int refused;           /* a re-check refused the mount (and said so) */
};

/* Is this f_type NFS (any version)?  Pure. */
bool swapfs_is_nfs(unsigned long f_type);

/* The directory's mount, judged by netfs.c's rules (swapdir_net.c):
 * phys is the directory's resolved path, dev its st_dev (no system call
 * on the mount itself: a server that does not answer cannot hang it).  At start the
 * sync/async note is logged; the local-lock warning once per directory.
 * 0, or GM_EXIT_NFS_SOFT / GM_EXIT_NFS_SEC with a message in err.  A
 * filesystem other than NFS is not looked up. */
int swapdir_net_check(struct swapdir *d, const char *phys, dev_t dev,
		      bool at_start, char *err, size_t errlen);

/* On NFS, create and delete a probe file in d: root must own what it
 * makes there.  0, GM_EXIT_NFS_SQUASH or GM_EXIT_DIR_UNUSABLE. */
int swapdir_squash_probe(const struct swapdir *d, char *err, size_t errlen);

/* Take the lock file in d (on NFS the server keeps it, so two hosts
 * given one directory see each other).  0, -EWOULDBLOCK when another
 * holds it, or -errno. */
int swapdir_lock_file(struct swapdir *d);

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
