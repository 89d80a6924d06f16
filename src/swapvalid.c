/* Validation of inactive leftovers in the swap directory.  A file is
 * reused only if it is exactly what swapfile_make would have left: a
 * plain root-owned 0600 file with one link, a page multiple of at least
 * min_swapsize, and a header that describes it. */
#include "swapfile.h"

#include "swaphdr.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Each reason has its own errno so the caller can say which it was. */
static int check_stat(const struct stat *st, uint64_t min_b, size_t ps,
		      uid_t owner)
{
	if (S_ISLNK(st->st_mode))
		return -ELOOP;
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	if (!S_ISREG(st->st_mode))
		return -ENXIO;
	if (st->st_nlink != 1)
		return -EMLINK;
	if (st->st_uid != owner)
		return -EPERM;
	if ((st->st_mode & 07777) != 0600)
		return -EACCES;
	if (st->st_size < 0 || (uint64_t)st->st_size < min_b)
		return -ERANGE;
	if ((uint64_t)st->st_size % ps != 0)
		return -EINVAL;
	return 0;
}

static int read_page(int fd, uint8_t *page, size_t ps)
{
	size_t got = 0;

	while (got < ps) {
		ssize_t n = pread(fd, page + got, ps - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EBADMSG;
		got += (size_t)n;
	}
	return 0;
}

int swapfile_validate_as(const struct swapdir *d, int slot, uint64_t min_b,
			 uid_t owner, uint64_t *size_b)
{
	long sc = sysconf(_SC_PAGESIZE);
	size_t ps = sc > 0 ? (size_t)sc : 4096;
	struct stat st, fst;
	char name[16];
	uint8_t *page;
	int fd, rc;

	snprintf(name, sizeof(name), "%d", slot);
	if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	rc = check_stat(&st, min_b, ps, owner);
	if (rc < 0)
		return rc;
	/* O_NONBLOCK: if a FIFO took the file's place, do not hang. */
	fd = openat(d->fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
				     O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &fst) < 0) {
		rc = -errno;
		goto out;
	}
	if (fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
		rc = -ESTALE;
		goto out;
	}
	rc = check_stat(&fst, min_b, ps, owner);
	if (rc < 0)
		goto out;
	page = malloc(ps);
	if (page == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	rc = read_page(fd, page, ps);
	if (rc == 0 && swaphdr_check(page, ps, (uint64_t)fst.st_size) < 0)
		rc = swaphdr_is_hibernation(page, ps) ? -EBUSY : -EBADMSG;
	free(page);
	if (rc == 0)
		*size_b = (uint64_t)fst.st_size;
out:
	close(fd);
	return rc;
}

int swapfile_validate(const struct swapdir *d, int slot, uint64_t min_b,
		      uint64_t *size_b)
{
	return swapfile_validate_as(d, slot, min_b, 0, size_b);
}

const char *swapfile_reject_reason(int err)
{
	switch (err < 0 ? -err : err) {
	case ENOENT:
		return "does not exist";
	case ELOOP:
		return "is a symbolic link";
	case EISDIR:
		return "is a directory";
	case ENXIO:
		return "is not a regular file";
	case EMLINK:
		return "has more than one hard link";
	case EPERM:
		return "is not owned by root";
	case EACCES:
		return "does not have mode 0600";
	case ERANGE:
		return "is smaller than min_swapsize";
	case EINVAL:
		return "is not a whole number of pages";
	case EBADMSG:
		return "has no valid swap header for its size";
	case ESTALE:
		return "changed while being checked";
	case EBUSY:
		return "holds a hibernation image";
	default:
		return strerror(err < 0 ? -err : err);
	}
}

int swapfile_sweep(const struct swapdir *d,
		   void (*each)(void *ctx, const char *name), void *ctx)
{
	struct dirent *de;
	DIR *dir;
	int fd = dup(d->fd);

	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		int err = errno;
		close(fd);
		return -err;
	}
	/* fdopendir shares the offset with d->fd: start from the top. */
	rewinddir(dir);
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			each(ctx, de->d_name);
	closedir(dir);
	return 0;
}
