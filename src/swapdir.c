/* The swap directory: which filesystems can hold swap files, the start-up
 * safety checks (every directory above it, symlink, owner, mode,
 * filesystem), and free space.
 *
 * Over 450 lines on purpose: the walk from / to the directory, one
 * component at a time with its own refusal for each step, is one piece
 * (struct walk), and the filesystem table is data, not logic. */
#include "swapfile.h"
#include "swapdir.h"

#include "config.h"
#include "log.h"
#include "netfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
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

const char *swapdir_step_unsafe(uid_t uid, mode_t mode)
{
	if (S_ISLNK(mode))
		return uid != 0 ? "is a symbolic link not owned by root" : NULL;
	if (uid != 0)
		return "is not owned by root";
	if ((mode & (S_IWGRP | S_IWOTH)) != 0 && (mode & S_ISVTX) == 0)
		return "is writable by group or others without the sticky bit";
	return NULL;
}

/* Symbolic links followed on the way, as the kernel's MAXSYMLINKS. */
#define WALK_MAX_LINKS 40

/* Where walk_to_parent got: the directory holding the last component,
 * opened step by step from / (never by a path string), and the first
 * unsafe step met on the way, if any. */
struct walk {
	int fd;                      /* the last component's directory */
	char phys[PATH_MAX];         /* its path, symbolic links resolved */
	char last[NAME_MAX + 1];     /* the last component */
	char bad[PATH_MAX];          /* first unsafe step ("" if none) */
	const char *bad_why;         /* swapdir_step_unsafe's reason */
	uid_t bad_uid;
	mode_t bad_mode;
};

/* Judge one step; keep the first unsafe one (the walk goes on, so that a
 * problem with the swap directory itself is reported first). */
static void judge(struct walk *w, const char *path, const struct stat *st)
{
	const char *why = swapdir_step_unsafe(st->st_uid, st->st_mode);

	if (why == NULL || w->bad[0] != '\0')
		return;
	snprintf(w->bad, sizeof(w->bad), "%s", path[0] ? path : "/");
	w->bad_why = why;
	w->bad_uid = st->st_uid;
	w->bad_mode = st->st_mode;
}

/* phys + "/" + name into out ("/" + name at the top). */
static void join(char *out, size_t outlen, const char *phys, const char *name)
{
	snprintf(out, outlen, "%s/%s", phys, name);
}

static int open_root(struct walk *w)
{
	struct stat st;
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (w->fd >= 0)
		close(w->fd);
	w->fd = fd;
	w->phys[0] = '\0';
	judge(w, "/", &st);
	return 0;
}

/* Open, one openat(O_NOFOLLOW) at a time from /, every directory on the
 * way to path's last component, judging each one and each symbolic link
 * met.  A root-owned link is followed, and the directories of its target
 * are judged in turn; the last component itself is left to the caller.
 * Returns 0, or GM_EXIT_DIR_UNUSABLE with a message in err. */
static int walk_to_parent(const char *path, struct walk *w, char *err,
			  size_t errlen)
{
	char rest[2 * PATH_MAX], target[PATH_MAX], name[NAME_MAX + 1];
	char at[PATH_MAX + NAME_MAX + 2];
	const char *p, *q;
	struct stat st, fst;
	int links = 0, rc, fd;
	size_t n;

	w->fd = -1;
	w->bad[0] = '\0';
	w->bad_why = NULL;
	snprintf(rest, sizeof(rest), "%s", path);
	rc = open_root(w);
	if (rc < 0) {
		snprintf(err, errlen, "swap directory %s: cannot open /: %s",
			 path, strerror(-rc));
		return GM_EXIT_DIR_UNUSABLE;
	}
	for (;;) {
		for (p = rest; *p == '/'; p++)
			;
		for (q = p; *q && *q != '/'; q++)
			;
		n = (size_t)(q - p);
		if (n > NAME_MAX) {
			snprintf(err, errlen,
				 "swap directory %s: a name on its path is "
				 "longer than %d bytes",
				 path, NAME_MAX);
			goto unusable;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		while (*q == '/')
			q++;
		if (*q == '\0')
			break;
		if (strlen(w->phys) + 1 + n >= sizeof(w->phys)) {
			snprintf(err, errlen,
				 "swap directory %s: its resolved path is "
				 "longer than %d bytes",
				 path, PATH_MAX - 1);
			goto unusable;
		}
		join(at, sizeof(at), w->phys, name);
		if (fstatat(w->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			snprintf(err, errlen, "swap directory %s: parent %s %s",
				 path, at,
				 errno == ENOENT ? "does not exist"
						 : strerror(errno));
			goto unusable;
		}
		if (S_ISLNK(st.st_mode)) {
			ssize_t len;

			judge(w, at, &st);
			len = readlinkat(w->fd, name, target, sizeof(target));
			if (len <= 0 || (size_t)len >= sizeof(target) ||
			    ++links > WALK_MAX_LINKS ||
			    strlen(q) + (size_t)len + 2 > sizeof(rest)) {
				snprintf(err, errlen,
					 "swap directory %s: cannot follow "
					 "the symbolic link %s: %s",
					 path, at,
					 len < 0 ? strerror(errno)
						 : "too long or too many links");
				goto unusable;
			}
			target[len] = '\0';
			/* The target, then what was left of the path. */
			memmove(rest + len + 1, q, strlen(q) + 1);
			memcpy(rest, target, (size_t)len);
			rest[len] = '/';
			if (target[0] == '/' && open_root(w) < 0) {
				snprintf(err, errlen,
					 "swap directory %s: cannot open /: "
					 "%s",
					 path, strerror(errno));
				goto unusable;
			}
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errlen,
				 "swap directory %s: parent %s is not a "
				 "directory",
				 path, at);
			goto unusable;
		}
		fd = openat(w->fd, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &fst) < 0 ||
		    fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
			snprintf(err, errlen,
				 "swap directory %s: cannot open parent %s: "
				 "%s",
				 path, at,
				 fd < 0 ? strerror(errno)
					: "changed while being checked");
			if (fd >= 0)
				close(fd);
			goto unusable;
		}
		close(w->fd);
		w->fd = fd;
		memmove(rest, q, strlen(q) + 1);
		if (strcmp(name, "..") == 0) {
			char *slash = strrchr(w->phys, '/');

			if (slash != NULL)
				*slash = '\0';
		} else if (strcmp(name, ".") != 0) {
			memcpy(w->phys, at, strlen(at) + 1);
		}
		judge(w, w->phys, &fst);
	}
	if (name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0) {
		snprintf(err, errlen,
			 "swap directory %s must name a directory below /, "
			 "not / or a path ending in . or ..",
			 path);
		goto unusable;
	}
	memcpy(w->last, name, n + 1);
	return 0;
unusable:
	close(w->fd);
	w->fd = -1;
	return GM_EXIT_DIR_UNUSABLE;
}

/* The first unsafe step of the walk, as a message for exit code 15. */
static int parent_refusal(const char *path, const struct walk *w, char *err,
			  size_t errlen)
{
	const struct passwd *pw = getpwuid(w->bad_uid);

	snprintf(err, errlen,
		 "swap directory %s is unsafe: %s %s (owner %s%s%lu%s, mode "
		 "%04o); every directory above the swap directory must be "
		 "owned by root and writable by root only (or sticky, as "
		 "/tmp), and every symbolic link on the way owned by root",
		 path, w->bad, w->bad_why, pw != NULL ? pw->pw_name : "",
		 pw != NULL ? " (uid " : "uid ", (unsigned long)w->bad_uid,
		 pw != NULL ? ")" : "", (unsigned)(w->bad_mode & 07777));
	return GM_EXIT_DIR_PARENT;
}

/* Only create the directory where nobody but root could have prepared
 * (or could later swap out) what is under it: in a root-owned parent
 * that group and others cannot write to. */
static int create_dir(const char *path, const struct walk *w, char *err,
		      size_t errlen)
{
	const char *parent = w->phys[0] ? w->phys : "/";
	struct stat st;

	if (fstat(w->fd, &st) < 0) {
		snprintf(err, errlen,
			 "swap directory %s is missing and its parent %s "
			 "cannot be used: %s",
			 path, parent, strerror(errno));
		return GM_EXIT_DIR_UNUSABLE;
	}
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		snprintf(err, errlen,
			 "swap directory %s is missing and its parent %s is "
			 "%s; not creating it",
			 path, parent,
			 st.st_uid != 0 ? "not owned by root"
					: "writable by group or others");
		return GM_EXIT_DIR_UNUSABLE;
	}
	if (mkdirat(w->fd, w->last, 0700) < 0 && errno != EEXIST) {
		struct statfs sfs;
		int e = errno;

		/* A squashed root makes nothing in a root-owned directory. */
		if ((e == EACCES || e == EPERM) && fstatfs(w->fd, &sfs) == 0 &&
		    swapfs_is_nfs((unsigned long)sfs.f_type))
			return netfs_squash_verdict(path, e, (uid_t)-1, err,
						    errlen);
		snprintf(err, errlen, "cannot create swap directory %s: %s",
			 path, strerror(e));
		return GM_EXIT_DIR_UNUSABLE;
	}
	log_notice("created swap directory %s", path);
	return 0;
}

/* A missing directory on NFS: the mount's rules before mkdir. */
static int parent_mount_check(struct swapdir *d, const struct walk *w,
			      char *err, size_t errlen)
{
	struct statfs sfs;
	struct stat st;
	int rc;

	if (fstatfs(w->fd, &sfs) < 0 || fstat(w->fd, &st) < 0)
		return 0; /* create_dir says what is wrong */
	d->fs_type = (unsigned long)sfs.f_type;
	rc = swapdir_net_check(d, w->phys[0] ? w->phys : "/", st.st_dev,
			       false, err, errlen);
	d->fs_type = 0;
	return rc;
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
	struct walk w;
	struct stat st, fst;
	struct statfs sfs;
	char phys[PATH_MAX + NAME_MAX + 2];
	size_t len;
	const char *fs;
	int rc;

	memset(d, 0, sizeof(*d));
	d->fd = d->lock_fd = -1;
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

	rc = walk_to_parent(path, &w, err, errlen);
	if (rc != 0)
		return rc;
	if (fstatat(w.fd, w.last, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT) {
			snprintf(err, errlen, "swap directory %s: %s", path,
				 strerror(errno));
			rc = GM_EXIT_DIR_UNUSABLE;
			goto out;
		}
		/* Nothing is made under a path someone else could bend, nor
		 * on a mount that would be refused. */
		rc = w.bad[0] ? parent_refusal(path, &w, err, errlen)
			      : parent_mount_check(d, &w, err, errlen);
		if (rc == 0)
			rc = create_dir(path, &w, err, errlen);
		if (rc != 0)
			goto out;
		if (fstatat(w.fd, w.last, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			snprintf(err, errlen, "swap directory %s: %s", path,
				 strerror(errno));
			rc = GM_EXIT_DIR_UNUSABLE;
			goto out;
		}
	}
	/* The directory's own faults first: they name what to fix there. */
	rc = check_dir_stat(path, &st, err, errlen);
	if (rc == 0 && w.bad[0])
		rc = parent_refusal(path, &w, err, errlen);
	if (rc != 0)
		goto out;

	/* Opened from its checked parent, never by the path again. */
	d->fd = openat(w.fd, w.last,
		       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->fd < 0) {
		int e = errno;

		/* Root kept out of its own 0700 directory: squashed. */
		if ((e == EACCES || e == EPERM) && fstatfs(w.fd, &sfs) == 0 &&
		    swapfs_is_nfs((unsigned long)sfs.f_type)) {
			rc = netfs_squash_verdict(path, e, (uid_t)-1, err,
						  errlen);
			goto out;
		}
		snprintf(err, errlen, "cannot open swap directory %s: %s",
			 path, strerror(e));
		rc = GM_EXIT_DIR_UNUSABLE;
		goto out;
	}
	/* Judge what we opened, not what the name held a moment ago. */
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
	snprintf(phys, sizeof(phys), "%s/%s", w.phys, w.last);
	d->dev = fst.st_dev;
	rc = swapdir_net_check(d, phys, d->dev, true, err, errlen);
	if (rc == 0)
		rc = swapdir_squash_probe(d, err, errlen);
	if (rc != 0)
		goto fail;
	close(w.fd);
	return 0;
fail:
	swapdir_close(d);
out:
	close(w.fd);
	return rc;
}

void swapdir_close(struct swapdir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	d->fd = d->lock_fd = -1;
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
