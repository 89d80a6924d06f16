/* Swap files: create (SPEC "Creating a swap file", in that order),
 * activate, deactivate, remove, and validate leftovers.  Every function
 * returns 0 or -errno; the caller decides what is fatal.
 *
 * Over 450 lines on purpose: it is every system call on one file, and
 * its steps share the by-descriptor helpers (open_slot, fd_path,
 * swaps_names) that make swapon and swapoff reach exactly the inode that
 * was made; split, those would have to be exported to a second file. */
#include "swapfile.h"

#include "config.h"
#include "log.h"
#include "swaphdr.h"
#include "swapio.h"
#include "swaps.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <signal.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SWAP_FLAG_PREFER
#define SWAP_FLAG_PREFER 0x8000
#endif
#ifndef SWAP_FLAG_PRIO_MASK
#define SWAP_FLAG_PRIO_MASK 0x7fff
#endif
#ifndef SWAP_FLAG_DISCARD
#define SWAP_FLAG_DISCARD 0x10000
#endif
#ifndef SWAP_FLAG_DISCARD_ONCE
#define SWAP_FLAG_DISCARD_ONCE 0x20000
#endif
#ifndef SWAP_FLAG_DISCARD_PAGES
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#endif
#ifndef FS_NOCOW_FL
#define FS_NOCOW_FL 0x00800000
#endif
#ifndef FS_COMPR_FL
#define FS_COMPR_FL 0x00000004
#endif
#define BTRFS_MAGIC 0x9123683eu

bool swapfile_zero_fill_helps(unsigned long f_type)
{
	uint32_t magic = (uint32_t)f_type;

	return magic != BTRFS_MAGIC && magic != NFS_SUPER_MAGIC;
}

int swapfile_swapon_flags(int priority, int discard)
{
	int flags = 0;

	/* The kernel keeps only 15 bits; clamp rather than let 32768
	 * wrap to 0. */
	if (priority >= 0)
		flags |= SWAP_FLAG_PREFER |
			 (priority > SWAP_FLAG_PRIO_MASK ? SWAP_FLAG_PRIO_MASK
							 : priority);
	switch (discard) {
	case GM_DISCARD_ONCE:
		flags |= SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_ONCE;
		break;
	case GM_DISCARD_PAGES:
		flags |= SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_PAGES;
		break;
	case GM_DISCARD_BOTH:
		flags |= SWAP_FLAG_DISCARD;
		break;
	default:
		break;
	}
	return flags;
}

void swapfile_path(const struct swapdir *d, int slot, char *out,
		   size_t outlen)
{
	snprintf(out, outlen, "%s/%d", d->path, slot);
}

static size_t page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? (size_t)ps : 4096;
}

/* "No room" is what the state machine needs to know, not which limit. */
static int no_room_or(int err)
{
	if (err == ENOSPC || err == EDQUOT || err == EFBIG)
		return -ENOSPC;
	return -err;
}

/* btrfs swaps only to NOCOW, uncompressed files, and NOCOW can only be
 * set while the file is empty. */
static int btrfs_prepare(int fd)
{
	int flags = 0;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
		return -1;
	flags |= FS_NOCOW_FL;
	flags &= ~FS_COMPR_FL;
	return ioctl(fd, FS_IOC_SETFLAGS, &flags);
}

/* Own the new file as root:root 0600 whatever umask and setgid parent
 * directories say.  As non-root (tests) the owner stays ours. */
static int fix_owner_mode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	if (geteuid() == 0 && (st.st_uid != 0 || st.st_gid != 0) &&
	    fchown(fd, 0, 0) < 0)
		return -1;
	if ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0)
		return -1;
	return 0;
}

/* The steps after openat, in SPEC order.  On failure returns -1 with
 * errno set and *step naming what failed; *filled says whether zeros
 * were written (so a swapon EINVAL is worth a zero-fill retry). */
static int fill_file(int fd, const char *path, uint64_t size_b,
		     bool zero_fill, const uint8_t *hdr, size_t ps,
		     const int *cancel, const char **step, bool *filled)
{
	struct statfs sfs;
	const char *fs;
	int64_t t0, t1;

	*step = "fix owner and mode";
	if (fix_owner_mode(fd) < 0)
		return -1;
	*step = "statfs";
	if (fstatfs(fd, &sfs) < 0)
		return -1;
	fs = swapfs_refusal((unsigned long)sfs.f_type);
	if (fs != NULL) {
		log_warnx("swap file %s is on %s, which cannot hold swap "
			  "files",
			  path, fs);
		*step = "check the filesystem type";
		errno = EOPNOTSUPP;
		return -1;
	}
	if ((uint32_t)sfs.f_type == BTRFS_MAGIC) {
		*step = "set the btrfs NOCOW attribute";
		if (btrfs_prepare(fd) < 0)
			return -1;
	}
	t0 = gm_now_ms();
	if (!zero_fill) {
		*step = "fallocate";
		if (fallocate(fd, 0, 0, (off_t)size_b) == 0) {
			*filled = false;
		} else if (errno == EOPNOTSUPP || errno == ENOSYS) {
			log_info("fallocate is not supported here; writing "
				 "zeros instead");
			zero_fill = true;
		} else {
			return -1;
		}
	}
	if (zero_fill) {
		*step = "write zeros";
		if (swapio_write_zeros(fd, size_b, cancel) < 0)
			return -1;
		*filled = true;
	}
	t1 = gm_now_ms();
	*step = "write the swap header";
	if (swapio_write_all(fd, hdr, ps, 0) < 0)
		return -1;
	/* swapon reads the header from disk. */
	*step = "fsync";
	if (fsync(fd) < 0)
		return -1;
	/* Where the making time goes (the first file on a fresh
	 * filesystem: issue 17). */
	log_debug("swap file %s: %s %lld ms, header and fsync %lld ms", path,
		  *filled ? "zeros" : "fallocate", (long long)(t1 - t0),
		  (long long)(gm_now_ms() - t1));
	return 0;
}

static int make_file(const struct swapdir *d, int slot, uint64_t size_b,
		     bool zero_fill, const int *cancel, bool *filled)
{
	size_t ps = page_size();
	char name[16], path[300];
	const char *step = "build the swap header";
	uint8_t uuid[16], *hdr;
	int fd = -1, err, rc;
	int64_t t0;

	snprintf(name, sizeof(name), "%d", slot);
	swapfile_path(d, slot, path, sizeof(path));
	*filled = false;
	size_b -= size_b % ps;
	hdr = malloc(ps);
	if (hdr == NULL) {
		log_warn("swap file %s: %s", path, step);
		return -ENOMEM;
	}
	t0 = gm_now_ms();
	if (swapio_random(uuid, sizeof(uuid)) < 0) {
		err = errno;
		log_warn("swap file %s: random bytes for the UUID", path);
		free(hdr);
		return -err;
	}
	log_debug("swap file %s: UUID in %lld ms", path,
		  (long long)(gm_now_ms() - t0));
	swaphdr_uuid_v4(uuid);
	rc = swaphdr_build(hdr, ps, size_b, uuid, SWAPHDR_LABEL);
	if (rc < 0) {
		log_warnx("swap file %s: %llu bytes is under %d pages", path,
			  (unsigned long long)size_b, SWAPHDR_MIN_PAGES);
		free(hdr);
		return rc;
	}

	fd = openat(d->fd, name,
		    O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		/* Never unlink what we did not create (EEXIST). */
		err = errno;
		log_warn("swap file %s: create", path);
		free(hdr);
		return no_room_or(err);
	}
	t0 = gm_now_ms();
	rc = fill_file(fd, path, size_b, zero_fill, hdr, ps, cancel, &step,
		       filled);
	err = errno;
	if (rc == 0)
		log_info("swap file %s: %llu MiB %s in %lld ms", path,
			 (unsigned long long)(size_b >> 20),
			 *filled ? "written" : "allocated with fallocate",
			 (long long)(gm_now_ms() - t0));
	free(hdr);
	if (close(fd) < 0 && rc == 0) {
		rc = -1;
		err = errno;
		step = "close";
	}
	if (rc == 0)
		return 0;
	errno = err;
	if (err == ECANCELED)
		log_info("swap file %s: stopped while being made", path);
	else
		log_warn("swap file %s: %s", path, step);
	if (unlinkat(d->fd, name, 0) < 0)
		log_warn("swap file %s: unlink after failure", path);
	return no_room_or(err);
}

int swapfile_make(const struct swapdir *d, int slot, uint64_t size_b,
		  bool zero_fill, const int *cancel)
{
	bool filled;

	return make_file(d, slot, size_b, zero_fill, cancel, &filled);
}

/* An O_PATH handle on exactly slot's entry in the directory fd: never a
 * link, only a regular file.  fd or -errno. */
static int open_slot(const struct swapdir *d, int slot, struct stat *st)
{
	char name[16];
	int fd;

	snprintf(name, sizeof(name), "%d", slot);
	fd = openat(d->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		int err = S_ISREG(st->st_mode) ? errno : EINVAL;
		close(fd);
		return -err;
	}
	return fd;
}

static void fd_path(int fd, char *out, size_t len)
{
	snprintf(out, len, "/proc/self/fd/%d", fd);
}

/* Does /proc/swaps list "<canon>/<slot>", and is that name our inode? */
static bool swaps_names(const struct swapdir *d, int slot,
			const struct stat *want)
{
	static struct swaps_table t; /* the loop never runs this */
	char path[600];
	struct stat st;
	int k;

	if (!d->canon[0])
		return true; /* nothing to compare with (unit tests) */
	if (swaps_read("/proc/swaps", &t) < 0)
		return false;
	snprintf(path, sizeof(path), "%s/%d", d->canon, slot);
	k = swaps_find(&t, path);
	return k >= 0 && stat(path, &st) == 0 && st.st_dev == want->st_dev &&
	       st.st_ino == want->st_ino;
}

int swapfile_activate(const struct swapdir *d, int slot,
		      const struct swap_prop *sp)
{
	char path[300], via[40];
	struct stat st;
	int fd, err = 0;

	swapfile_path(d, slot, path, sizeof(path));
	fd = open_slot(d, slot, &st);
	if (fd < 0) {
		errno = -fd;
		log_warn("swapon %s: open", path);
		return fd;
	}
	/* The path string could be re-resolved through a parent someone
	 * swapped since start; the fd is the inode we made and checked. */
	fd_path(fd, via, sizeof(via));
	if (swapon(via, swapfile_swapon_flags(sp->priority, sp->discard)) < 0) {
		err = errno;
		log_warn("swapon %s", path);
	} else if (!swaps_names(d, slot, &st)) {
		log_errx("swapon %s: /proc/swaps does not name this file "
			 "(was the swap directory moved?); turning it off",
			 path);
		if (swapoff(via) < 0)
			log_warn("swapoff %s", path);
		err = ESTALE;
	}
	close(fd);
	return -err;
}

static void unlink_slot(const struct swapdir *d, int slot)
{
	char name[16];

	snprintf(name, sizeof(name), "%d", slot);
	if (unlinkat(d->fd, name, 0) < 0 && errno != ENOENT)
		log_warn("swap file %s/%s: unlink after failure", d->path,
			 name);
}

/* swapon a file make_file just made; when swapon says EINVAL, the
 * blocks were only allocated (some kernels take fallocate'd extents for
 * holes) and zeros can help on this filesystem, make it again with zeros
 * written and try once more.  The file is unlinked on failure. */
static int turn_on(const struct swapdir *d, int slot, uint64_t size_b,
		   const struct swap_prop *sp, const int *cancel,
		   bool filled)
{
	int64_t t0 = gm_now_ms();
	int rc = swapfile_activate(d, slot, sp);

	log_debug("swap file %s/%d: swapon in %lld ms", d->path, slot,
		  (long long)(gm_now_ms() - t0));
	if (rc == 0)
		return 0;
	/* Only EINVAL says the file is bad; EPERM (the kernel's table is
	 * full), EBUSY or ESTALE leave a valid file, which stays. */
	if (rc != -EINVAL)
		return rc;
	unlink_slot(d, slot);
	if (!filled && swapfile_zero_fill_helps(d->fs_type)) {
		log_info("swap file %s/%d: retrying with zeros written",
			 d->path, slot);
		rc = make_file(d, slot, size_b, true, cancel, &filled);
		if (rc < 0)
			return rc;
		rc = swapfile_activate(d, slot, sp);
		if (rc == 0 || rc != -EINVAL)
			return rc;
		unlink_slot(d, slot);
	}
	return rc;
}

int swapfile_turn_on(const struct swapdir *d, int slot, uint64_t size_b,
		     const struct swap_prop *sp, const int *cancel)
{
	return turn_on(d, slot, size_b, sp, cancel, false);
}

int swapfile_create(const struct swapdir *d, int slot, uint64_t size_b,
		    const struct swap_prop *sp)
{
	bool filled;
	int64_t t0 = gm_now_ms();
	int rc = make_file(d, slot, size_b, false, NULL, &filled);

	if (rc < 0)
		return rc;
	log_debug("swap file %s/%d: made in %lld ms", d->path, slot,
		  (long long)(gm_now_ms() - t0));
	return turn_on(d, slot, size_b, sp, NULL, filled);
}

/* The child: nothing but async-signal-safe calls after fork(). */
static void swapoff_child(const char *via, int keep_fd, int max_fd)
{
	static const char adj[] = "0";
	sigset_t none;
	int fd;

	/* Only the file's own descriptor: a swapoff can outlive the daemon
	 * (it heeds no signal within an address space), and an inherited
	 * lock (the swap directory's .lock, the pid file) would keep the
	 * next start out -- "in use by another ghostmemory" -- for as long
	 * as it runs. */
	for (fd = 3; fd < max_fd; fd++)
		if (fd != keep_fd)
			close(fd);

	/* Our -1000 is inherited: give it back, so the OOM killer may
	 * take this child (the kernel prefers it anyway) before anyone. */
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)!write(fd, adj, sizeof(adj) - 1);
		close(fd);
	}
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	_exit(swapoff(via) == 0 ? 0 : errno & 0xff);
}

int swapfile_deactivate(const struct swapdir *d, int slot, int *child)
{
	char path[300], via[40];
	struct stat st;
	int fd, status, rc;
	long max_fd;
	pid_t pid;

	swapfile_path(d, slot, path, sizeof(path));
	fd = open_slot(d, slot, &st);
	if (fd < 0)
		return fd;
	fd_path(fd, via, sizeof(via));
	max_fd = sysconf(_SC_OPEN_MAX);
	if (max_fd < 0 || max_fd > 65536)
		max_fd = 65536;
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (pid == 0)
		swapoff_child(via, fd, (int)max_fd);
	if (child)
		__atomic_store_n(child, (int)pid, __ATOMIC_RELEASE);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (child)
		__atomic_store_n(child, 0, __ATOMIC_RELEASE);
	close(fd);
	if (WIFSIGNALED(status))
		return -EINTR; /* killed: the kernel put the area back */
	if (!WIFEXITED(status))
		return -EIO;
	rc = WEXITSTATUS(status);
	return rc == 0 ? 0 : -rc;
}

/* Overwrite a file's blocks with zeros before it is unlinked.  Only a
 * plain file with a single name: zeroing through a hard link would
 * destroy data that is not ours. */
static void overwrite(const struct swapdir *d, const char *name)
{
	struct stat st;
	int fd;

	fd = openat(d->fd, name,
		    O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			log_warn("swap file %s/%s: open to overwrite", d->path,
				 name);
		return;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1)
		log_warnx("swap file %s/%s: not a plain file, not "
			  "overwriting it",
			  d->path, name);
	else if (swapio_write_zeros(fd, (uint64_t)st.st_size, NULL) < 0 ||
		 fsync(fd) < 0)
		log_warn("swap file %s/%s: overwrite", d->path, name);
	close(fd);
}

int swapfile_remove(const struct swapdir *d, int slot, bool paranoid)
{
	char name[16];

	snprintf(name, sizeof(name), "%d", slot);
	if (paranoid)
		overwrite(d, name);
	return unlinkat(d->fd, name, 0) == 0 ? 0 : -errno;
}
