/* /proc/self/mountinfo parsed from a buffer: the mount that holds a
 * path, its filesystem type and the options that matter for swap on a
 * network filesystem.  Pure. */
#ifndef GM_MOUNTINFO_H
#define GM_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>

/* How locks on an NFS mount are kept. */
enum mount_lock {
	MOUNT_LOCK_SERVER = 0, /* local_lock=none (or nothing said) */
	MOUNT_LOCK_LOCAL,      /* nolock, local_lock=all|posix|flock: this
	                        * host's locks stay on this host */
};

struct mount_entry {
	char mount_point[512]; /* unescaped */
	char root[512];        /* within the filesystem (a bind mount's
	                        * subdirectory), unescaped */
	char fstype[32];       /* "nfs", "nfs4", "ext4", ... */
	char source[256];      /* "server:/export", unescaped */
	unsigned dev_major, dev_minor;
	/* Super options, as far as read. */
	int vers_major, vers_minor; /* vers= (nfsvers=); -1: not said */
	bool soft;                  /* soft: a timeout fails the call */
	bool softerr;               /* softerr: the same, as ETIMEDOUT */
	bool hard;                  /* hard said explicitly */
	char sec[24];               /* sec= ("" when not said) */
	enum mount_lock lock;       /* nolock, local_lock= */
	char proto[16];             /* proto= ("" when not said) */
};

/* Is fstype one of the kernel's NFS clients (nfs, nfs4)? */
bool mount_is_nfs(const char *fstype);

/* Parse one mountinfo line (no newline) into e.  0, or -EINVAL when the
 * line is not a mountinfo line (too few fields, no " - " separator, a
 * bad escape, a bad device number, a field too long). */
int mountinfo_parse_line(const char *line, size_t len, struct mount_entry *e);

/* The mount holding path (absolute, symbolic links already resolved, as
 * realpath gives it): the entry with the longest mount point that is
 * path or a parent of it, the last one listed when several have the
 * same mount point (a later mount hides an earlier one).  When want_dev
 * is true, entries whose device is not dev_major:dev_minor (the
 * directory's st_dev) are passed over as long as one matches.  Lines
 * that cannot be read are skipped and counted in *skipped (may be NULL).
 * 0 with *e, -ENOENT when no entry holds path, -EINVAL when path is not
 * absolute. */
int mountinfo_find(const char *buf, size_t len, const char *path,
		   bool want_dev, unsigned dev_major, unsigned dev_minor,
		   struct mount_entry *e, int *skipped);

#endif
