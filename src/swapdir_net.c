/* The swap directory on a network filesystem: its mount read from
 * /proc/self/mountinfo and judged by netfs.c, the root-squash probe,
 * and the lock file the server keeps.  The rules are in netfs.c; this
 * file only makes the system calls. */
#include "swapdir.h"

#include "config.h"
#include "log.h"
#include "mountinfo.h"
#include "netfs.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Thousands of mounts (containers) still fit. */
#define MOUNTINFO_MAX (8u << 20)
#define LOCK_NAME ".lock"

bool swapfs_is_nfs(unsigned long f_type)
{
	return (uint32_t)f_type == NFS_SUPER_MAGIC;
}

int swapdir_net_check(struct swapdir *d, const char *phys, dev_t dev,
		      bool at_start, char *err, size_t errlen)
{
	struct mount_entry m;
	struct netfs_verdict v;
	char msg[512], *buf = NULL;
	size_t len;
	int rc;

	if (!swapfs_is_nfs(d->fs_type))
		return 0;
	if (gm_read_alloc("/proc/self/mountinfo", MOUNTINFO_MAX, &buf,
			  &len) < 0) {
		/* Nothing to judge by: say so, refuse nothing. */
		if (at_start)
			log_warn("swap directory %s is on NFS, but its mount "
				 "options cannot be read",
				 phys);
		return 0;
	}
	rc = mountinfo_find(buf, len, phys, true, major(dev),
			    minor(dev), &m, NULL);
	free(buf);
	if (rc < 0) {
		if (at_start)
			log_warnx("swap directory %s is on NFS, but "
				  "/proc/self/mountinfo has no mount for it",
				  phys);
		return 0;
	}
	rc = netfs_judge(&m, phys, &v, msg, sizeof(msg));
	d->nfs = v.nfs;
	d->nfs_v42 = v.v42;
	if (rc != 0) {
		snprintf(err, errlen, "%s", msg);
		return rc;
	}
	if (at_start && msg[0])
		log_notice("%s", msg);
	if (v.lock_local && !d->lock_warned) {
		netfs_lock_warning(phys, msg, sizeof(msg));
		log_warnx("%s", msg);
		d->lock_warned = true;
	}
	return 0;
}

int swapdir_squash_probe(const struct swapdir *d, char *err, size_t errlen)
{
	char name[48];
	struct stat st;
	int fd, cerr = 0, rc;

	if (!swapfs_is_nfs(d->fs_type))
		return 0;
	snprintf(name, sizeof(name), ".probe.%ld", (long)getpid());
	/* A leftover of a crashed probe of ours (same pid) goes first. */
	(void)unlinkat(d->fd, name, 0);
	fd = openat(d->fd, name,
		    O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		cerr = errno;
		st.st_uid = (uid_t)-1;
	} else {
		if (fstat(fd, &st) < 0)
			cerr = errno;
		close(fd);
		if (unlinkat(d->fd, name, 0) < 0)
			log_warn("swap directory %s: cannot delete the probe "
				 "file %s",
				 d->path, name);
	}
	rc = netfs_squash_verdict(d->path, cerr, st.st_uid, err, errlen);
	return rc;
}

int swapdir_lock_file(struct swapdir *d)
{
	int fd;

	/* Opened for writing: NFS sends an exclusive lock to the server
	 * only for a file open for writing. */
	fd = openat(d->fd, LOCK_NAME,
		    O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno == EWOULDBLOCK ? EWOULDBLOCK : errno;

		close(fd);
		return -e;
	}
	d->lock_fd = fd;
	return 0;
}
