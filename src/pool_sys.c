/* The pool's handle on the world: opening and locking the swap
 * directory, the wake pipe, and the real system calls behind struct
 * pool_sys (the tests use fakes). */
#include "pool.h"

#include "config.h"

#include "log.h"
#include "resume.h"
#include "swappath.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static bool real_exists(const struct swapdir *d, const char *name)
{
	struct stat st;

	/* Anything but "no such entry" counts as taken. */
	return fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
	       errno != ENOENT;
}

static int real_meminfo(struct meminfo *mi)
{
	return meminfo_read("/proc/meminfo", mi);
}

static bool real_is_resume_target(const struct swapdir *d, int slot)
{
	struct resume_target t;
	char name[16];
	bool hit;
	int fd;

	if (resume_read("", &t) < 0 || !t.set)
		return false;
	snprintf(name, sizeof(name), "%d", slot);
	fd = openat(d->fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	hit = resume_fd_is_target(&t, fd);
	close(fd);
	return hit;
}

static long real_page_size(void)
{
	long ps = sysconf(_SC_PAGESIZE);

	return ps > 0 ? ps : 4096;
}

const struct pool_sys pool_sys_real = {
	.swaps_read = swaps_read,
	.exists = real_exists,
	.space = swapdir_space,
	.sweep = swapfile_sweep,
	.validate = swapfile_validate,
	.make = swapfile_make,
	.turn_on = swapfile_turn_on,
	.activate = swapfile_activate,
	.deactivate = swapfile_deactivate,
	.remove = swapfile_remove,
	.is_resume_target = real_is_resume_target,
	.meminfo = real_meminfo,
	.page_size = real_page_size,
};

/* swappath with %H and %m expanded (swappath.c) from uname(2) and
 * /etc/machine-id, read only when the path uses them. */
int pool_expand_swappath(const char *in, char *out, size_t outlen, char *err,
			 size_t errlen)
{
	char host[65] = "", id[33] = "", buf[64];
	struct utsname u;
	size_t len;

	if (swappath_uses(in, 'H') &&
	    (uname(&u) < 0 ||
	     !swappath_short_host(u.nodename, host, sizeof(host))))
		host[0] = '\0';
	if (swappath_uses(in, 'm') &&
	    (gm_read_file("/etc/machine-id", buf, sizeof(buf), &len,
			  false) < 0 ||
	     !swappath_machine_id(buf, len, id)))
		id[0] = '\0';
	return swappath_expand(in, host, id, out, outlen, err, errlen);
}

int pool_open(struct pool *p, const char *swappath,
	      const struct pool_sys *sys, char *err, size_t errlen)
{
	char path[sizeof(p->dir.path)];
	char *canon;
	int rc;

	memset(p, 0, sizeof(*p));
	p->sys = sys;
	p->swaps_path = "/proc/swaps";
	p->wake[0] = p->wake[1] = -1;
	p->dir.fd = p->dir.lock_fd = -1;
	rc = pool_expand_swappath(swappath, path, sizeof(path), err, errlen);
	if (rc)
		return rc;
	rc = swapdir_open(path, &p->dir, err, errlen);
	if (rc)
		return rc;
	/* How /proc/swaps will name our files (realpath allocates: a
	 * PATH_MAX buffer would trip _FORTIFY_SOURCE's size check). */
	canon = realpath(p->dir.path, NULL);
	if (!canon || strlen(canon) >= sizeof(p->dir.canon)) {
		snprintf(err, errlen, "swap directory %s: %s", p->dir.path,
			 canon ? "path too long" : strerror(errno));
		free(canon);
		swapdir_close(&p->dir);
		return GM_EXIT_DIR_UNUSABLE;
	}
	strcpy(p->dir.canon, canon);
	free(canon);
	if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		/* Finished jobs are then noticed at the next poll. */
		log_warn("pipe for the file workers");
		p->wake[0] = p->wake[1] = -1;
	}
	return 0;
}

int pool_lock(struct pool *p, char *err, size_t errlen)
{
	/* One daemon per swap directory, whatever its pid file: two would
	 * adopt, shrink and clean up each other's files. */
	int rc;

	/* Locked when it answers, or already with its open (pool_reach.c). */
	if (p->reach.pending || p->reach.locked)
		return 0;
	if (flock(p->dir.fd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errlen, "swap directory %s is in use by another "
			 "ghostmemory", p->dir.canon);
		return GM_EXIT_RUNNING;
	}
	/* A directory's flock stays on this host; on NFS a file's lock
	 * is kept by the server, so another host is refused too. */
	if (!swapfs_is_nfs(p->dir.fs_type))
		return 0;
	rc = swapdir_lock_file(&p->dir);
	if (rc == -EWOULDBLOCK) {
		snprintf(err, errlen, "swap directory %s is in use by "
			 "ghostmemory on another host (its lock file %s/.lock "
			 "is held)", p->dir.canon, p->dir.canon);
		return GM_EXIT_RUNNING;
	}
	if (rc < 0) {
		errno = -rc;
		log_warn("swap directory %s: cannot lock %s/.lock, so another "
			 "host given this directory would not be refused",
			 p->dir.canon, p->dir.canon);
	}
	return 0;
}

bool pool_net_ok(struct pool *p)
{
	char err[512];
	int rc;

	if (!swapfs_is_nfs(p->dir.fs_type))
		return true;
	rc = swapdir_net_check(&p->dir, p->dir.canon, p->dir.dev, false, err,
			       sizeof(err));
	if (rc != 0 && p->dir.refused != rc)
		log_errx("%s; no new swap file there until it is remounted",
			 err);
	else if (rc == 0 && p->dir.refused)
		log_notice("swap directory %s: its NFS mount is acceptable "
			   "again", p->dir.canon);
	p->dir.refused = rc;
	return rc == 0;
}

void pool_close(struct pool *p)
{
	int i;

	pool_reach_release(p); /* a network directory that does not answer */
	for (i = 0; i < 2; i++)
		if (p->wake[i] >= 0)
			close(p->wake[i]);
	p->wake[0] = p->wake[1] = -1;
	swapdir_close(&p->dir);
}

int pool_wake_fd(const struct pool *p)
{
	return p->wake[0];
}

void pool_wake_drain(struct pool *p)
{
	char buf[16];

	while (p->wake[0] >= 0 && read(p->wake[0], buf, sizeof(buf)) > 0)
		;
}
