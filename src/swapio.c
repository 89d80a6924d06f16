/* Small I/O helpers shared by the swap file code. */
#include "swapio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define GRND_NONBLOCK_FLAG 0x0001
#define GRND_INSECURE_FLAG 0x0004 /* Linux >= 5.6 */

int swapio_write_all(int fd, const uint8_t *buf, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/* Zeros over [0, size_b) in 1 MiB writes.  Every 32 MiB the written
 * range is synced and dropped from the page cache: this runs when memory
 * is short, and must not fill RAM with dirty pages of zeros. */
int swapio_write_zeros(int fd, uint64_t size_b, const int *cancel)
{
	const size_t block = 1u << 20;
	const uint64_t flush_every = 32u << 20;
	uint64_t off = 0, flushed = 0;
	uint8_t *zeros = calloc(1, block);
	int saved;

	if (zeros == NULL)
		return -1;
	while (off < size_b) {
		size_t n = size_b - off < block ? (size_t)(size_b - off)
						 : block;

		if (cancel && __atomic_load_n(cancel, __ATOMIC_ACQUIRE)) {
			errno = ECANCELED;
			goto fail;
		}
		if (swapio_write_all(fd, zeros, n, (off_t)off) < 0)
			goto fail;
		off += n;
		if (off - flushed >= flush_every || off == size_b) {
			if (fdatasync(fd) < 0)
				goto fail;
			/* Advice only: its failure changes nothing. */
			(void)posix_fadvise(fd, (off_t)flushed,
					    (off_t)(off - flushed),
					    POSIX_FADV_DONTNEED);
			flushed = off;
		}
	}
	free(zeros);
	return 0;
fail:
	saved = errno;
	free(zeros);
	errno = saved;
	return -1;
}

/* getrandom(2) with flags until len bytes or a failure: bytes got. */
static size_t random_with(uint8_t *buf, size_t len, unsigned flags)
{
	size_t got = 0;
#ifdef SYS_getrandom
	while (got < len) {
		ssize_t n = syscall(SYS_getrandom, buf + got, len - got, flags);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
#else
	(void)buf;
	(void)len;
	(void)flags;
#endif
	return got;
}

/* 16 random bytes for a UUID, which needs no cryptographic strength.
 * Early in boot the kernel's generator may not be ready yet, and then
 * reading /dev/urandom (Linux >= 5.18) first gathers jitter entropy:
 * the first file's making took 1.5 to 2.8 s in a fresh guest, 0.18 s
 * without it (issue 17).  So GRND_INSECURE first (never waits), then GRND_NONBLOCK
 * (kernels before 5.6), and /dev/urandom last. */
int swapio_random(uint8_t *buf, size_t len)
{
	size_t got;
	int fd;

	got = random_with(buf, len, GRND_INSECURE_FLAG);
	if (got < len)
		got += random_with(buf + got, len - got, GRND_NONBLOCK_FLAG);
	if (got == len)
		return 0;
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}
