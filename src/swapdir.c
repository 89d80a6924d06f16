/* The swap directory: which filesystems can hold swap files, the start-up
 * safety checks (symlink, owner, mode, filesystem), and free space. */
#include "swapfile.h"

#include "config.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <unistd.h>

/* f_type values of filesystems the kernel cannot (or must not) swap to.
 * Spelled out here rather than taken from <linux/magic.h>, which lacks
 * zfs, aufs and bcachefs and varies between kernel header versions. */
static const struct {
	uint32_t magic;
	const char *name;
} refused_fs[] = {
	{0x01021994, "tmpfs"},	   /* RAM: pointless, and swapon refuses */
	{0x858458f6, "ramfs"},	   /* RAM */
	{0x958458f6, "hugetlbfs"}, /* RAM */
	{0x794c7630, "overlayfs"}, /* no swap_activate, no bmap */
	{0x61756673, "aufs"},	   /* union filesystem, like overlayfs */
	{0x2fc12fc1, "zfs"},	   /* no swap file support */
	{0xca451a4e, "bcachefs"},  /* no swap file support */
	{0x65735546, "fuse"},	   /* user space would have to page in */
	{0x01021997, "9p"},	   /* network, no swap support */
	{0x00c36400, "ceph"},	   /* network, no swap support */
	{0x0000f15f, "ecryptfs"},  /* stacked, no swap support */
	{0x73717368, "squashfs"},  /* read-only */
	{0xe0f5e1e2, "erofs"},	   /* read-only */
	{0x28cd3d45, "cramfs"},	   /* read-only */
	{0x453dcd28, "cramfs"},	   /* read-only, other endianness */
	{0x00009660, "iso9660"},   /* read-only */
	{0x5a4f4653, "zonefs"},	   /* zoned devices, no swap support */
	{0x00009fa0, "proc"},	   /* pseudo filesystems from here on */
	{0x62656572, "sysfs"},
	{0x00001cd1, "devpts"},
	{0x64626720, "debugfs"},
	{0x74726163, "tracefs"},
	{0x73636673, "securityfs"},
	{0x0027e0eb, "cgroup"},
	{0x63677270, "cgroup2"},
	{0xcafe4a11, "bpf"},
	{0x6165676c, "pstore"},
	{0xde5e81e4, "efivarfs"},
	{0x62656570, "configfs"},
	{0xf97cff8c, "selinuxfs"},
	{0x43415d53, "smackfs"},
	{0x42494e4d, "binfmt_misc"},
	{0x6e736673, "nsfs"},
	{0x19800202, "mqueue"},
	{0x00000187, "autofs"},
	{0x65735543, "fusectl"},
	{0x67596969, "rpc_pipefs"},
};

const char *swapfs_refusal(unsigned long f_type)
{
	/* f_type is a signed long on 32-bit ABIs: compare the low 32 bits. */
	uint32_t magic = (uint32_t)f_type;
	size_t i;

	for (i = 0; i < sizeof(refused_fs) / sizeof(refused_fs[0]); i++)
		if (refused_fs[i].magic == magic)
			return refused_fs[i].name;
	return NULL;
}

/* Only create the directory where nobody but root could have prepared
 * (or could later swap out) what is under it. */
static int create_dir(const char *path, char *err, size_t errlen)
{
	char parent[256]; /* as struct swapdir's path */
	char *slash;
	struct stat st;

	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	if (slash == parent)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	if (stat(parent, &st) < 0) {
		snprintf(err, errlen,
			 "swap directory %s is missing and its parent %s "
			 "cannot be used: %s",
			 path, parent, strerror(errno));
		return GM_EXIT_DIR_UNUSABLE;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		snprintf(err, errlen,
			 "swap directory %s is missing and its parent %s is "
			 "%s; not creating it",
			 path, parent,
			 !S_ISDIR(st.st_mode) ? "not a directory"
			 : st.st_uid != 0     ? "not owned by root"
					      : "writable by group or others");
		return GM_EXIT_DIR_UNUSABLE;
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create swap directory %s: %s",
			 path, strerror(errno));
		return GM_EXIT_DIR_UNUSABLE;
	}
	log_notice("created swap directory %s", path);
	return 0;
}

/* Owner, mode and type checks on one stat of the directory. */
static int check_dir_stat(const char *path, const struct stat *st,
			  char *err, size_t errlen)
{
	if (S_ISLNK(st->st_mode)) {
		snprintf(err, errlen,
			 "swap directory %s is a symbolic link; refusing to "
			 "follow it",
			 path);
		return GM_EXIT_DIR_SYMLINK;
	}
	if (!S_ISDIR(st->st_mode)) {
		snprintf(err, errlen, "swap directory %s is not a directory",
			 path);
		return GM_EXIT_DIR_UNUSABLE;
	}
	if (st->st_uid != 0) {
		snprintf(err, errlen,
			 "swap directory %s is owned by uid %lu, not root "
			 "(chown root:root %s)",
			 path, (unsigned long)st->st_uid, path);
		return GM_EXIT_DIR_OWNER;
	}
	if ((st->st_mode & 077) != 0) {
		snprintf(err, errlen,
			 "swap directory %s has mode %04o; group and others "
			 "must have no access (chmod 0700 %s)",
			 path, (unsigned)(st->st_mode & 07777), path);
		return GM_EXIT_DIR_MODE;
	}
	return 0;
}

int swapdir_open(const char *path, struct swapdir *d, char *err,
		 size_t errlen)
{
	struct stat st, fst;
	struct statfs sfs;
	size_t len;
	const char *fs;
	int rc;

	d->fd = -1;
	d->path[0] = '\0';
	d->fs_type = 0;
	len = path != NULL ? strlen(path) : 0;
	/* Trailing slashes would defeat the symlink check. */
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len == 0 || path[0] != '/' || len >= sizeof(d->path)) {
		snprintf(err, errlen,
			 "swap directory \"%s\" must be an absolute path "
			 "shorter than %zu bytes",
			 path != NULL ? path : "", sizeof(d->path));
		return GM_EXIT_DIR_UNUSABLE;
	}
	memcpy(d->path, path, len);
	d->path[len] = '\0';
	path = d->path;

	if (lstat(path, &st) < 0) {
		if (errno == ENOTDIR) {
			snprintf(err, errlen,
				 "swap directory %s: a parent is not a "
				 "directory",
				 path);
			return GM_EXIT_DIR_UNUSABLE;
		}
		if (errno != ENOENT) {
			snprintf(err, errlen, "swap directory %s: %s", path,
				 strerror(errno));
			return GM_EXIT_DIR_UNUSABLE;
		}
		rc = create_dir(path, err, errlen);
		if (rc != 0)
			return rc;
		if (lstat(path, &st) < 0) {
			snprintf(err, errlen, "swap directory %s: %s", path,
				 strerror(errno));
			return GM_EXIT_DIR_UNUSABLE;
		}
	}
	rc = check_dir_stat(path, &st, err, errlen);
	if (rc != 0)
		return rc;

	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->fd < 0) {
		snprintf(err, errlen, "cannot open swap directory %s: %s",
			 path, strerror(errno));
		return GM_EXIT_DIR_UNUSABLE;
	}
	/* Judge what we opened, not what the path named a moment ago. */
	if (fstat(d->fd, &fst) < 0 || fst.st_dev != st.st_dev ||
	    fst.st_ino != st.st_ino) {
		snprintf(err, errlen,
			 "swap directory %s changed while being checked",
			 path);
		rc = GM_EXIT_DIR_UNUSABLE;
		goto fail;
	}
	rc = check_dir_stat(path, &fst, err, errlen);
	if (rc != 0)
		goto fail;
	if (fstatfs(d->fd, &sfs) < 0) {
		snprintf(err, errlen, "swap directory %s: statfs: %s", path,
			 strerror(errno));
		rc = GM_EXIT_DIR_UNUSABLE;
		goto fail;
	}
	d->fs_type = (unsigned long)sfs.f_type;
	fs = swapfs_refusal(d->fs_type);
	if (fs != NULL) {
		snprintf(err, errlen,
			 "swap directory %s is on %s, which cannot hold swap "
			 "files",
			 path, fs);
		rc = GM_EXIT_DIR_FSTYPE;
		goto fail;
	}
	return 0;
fail:
	swapdir_close(d);
	return rc;
}

void swapdir_close(struct swapdir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

int swapdir_space(const struct swapdir *d, uint64_t *avail_b,
		  uint64_t *size_b)
{
	struct statfs sfs;
	uint64_t unit;

	if (fstatfs(d->fd, &sfs) < 0)
		return -errno;
	/* Block counts are in fragment units where the two differ. */
	unit = sfs.f_frsize > 0 ? (uint64_t)sfs.f_frsize
				: (uint64_t)sfs.f_bsize;
	*avail_b = (uint64_t)sfs.f_bavail * unit;
	*size_b = (uint64_t)sfs.f_blocks * unit;
	return 0;
}
