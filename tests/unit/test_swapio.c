/* swapio.c on a temporary file (t_swap.h: on a filesystem that can hold
 * swap files): whole writes land where asked, the zero fill overwrites
 * every byte (also a size that is not a whole block) and leaves the
 * file out of the page cache, a set cancel flag stops it before
 * anything is written, and errors come back as -1 with errno. */
#include "swapio.h"
#include "t.h"
#include "t_swap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MB (1024u * 1024u)

/* The file's bytes [off, off+len) all equal to c. */
static bool all_bytes(int fd, off_t off, size_t len, int c)
{
	unsigned char buf[4096];

	while (len > 0) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);
		size_t i;

		if (pread(fd, buf, n, off) != (ssize_t)n)
			return false;
		for (i = 0; i < n; i++)
			if (buf[i] != (unsigned char)c)
				return false;
		off += (off_t)n;
		len -= n;
	}
	return true;
}

static uint64_t file_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (uint64_t)st.st_size : (uint64_t)-1;
}

static void test_write_all(int fd)
{
	uint8_t buf[10000];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	CHECK(swapio_write_all(fd, buf, sizeof(buf), 4096) == 0, "write_all");
	CHECK_EQ_U(file_size(fd), 4096 + sizeof(buf), "size after write");
	{
		uint8_t back[sizeof(buf)];
		CHECK(pread(fd, back, sizeof(back), 4096) ==
				      (ssize_t)sizeof(back) &&
			      memcmp(back, buf, sizeof(buf)) == 0,
		      "the bytes written read back at their offset");
	}
	CHECK(all_bytes(fd, 0, 4096, 0), "the hole before them reads zero");
	CHECK(swapio_write_all(fd, buf, 0, 0) == 0, "empty write: nothing to do");
	errno = 0;
	CHECK(swapio_write_all(-1, buf, 1, 0) == -1 && errno == EBADF,
	      "bad fd: -1 with EBADF (errno %d)", errno);
}

static void test_zeros(int fd)
{
	uint64_t size = 3 * MB + 12345; /* a partial last block */
	uint8_t junk[4096];
	off_t off;
	int cancel = 0;

	memset(junk, 0xa5, sizeof(junk));
	CHECK(ftruncate(fd, 0) == 0, "truncate");
	for (off = 0; off < (off_t)size + 8192; off += (off_t)sizeof(junk))
		swapio_write_all(fd, junk, sizeof(junk), off);
	CHECK(swapio_write_zeros(fd, size, &cancel) == 0, "zero fill");
	CHECK(all_bytes(fd, 0, (size_t)size, 0), "every byte below size is zero");
	CHECK(all_bytes(fd, (off_t)size, 4096, 0xa5),
	      "nothing written past size");
	CHECK(swapio_write_zeros(fd, size, NULL) == 0, "no cancel flag at all");

	/* Cancelled before the first block: ECANCELED, the file unchanged. */
	CHECK(ftruncate(fd, 0) == 0, "truncate");
	swapio_write_all(fd, junk, sizeof(junk), 0);
	cancel = 1;
	errno = 0;
	CHECK(swapio_write_zeros(fd, 2 * MB, &cancel) == -1 &&
		      errno == ECANCELED,
	      "cancel: -1 with ECANCELED (errno %d)", errno);
	CHECK_EQ_U(file_size(fd), sizeof(junk), "cancel: nothing appended");
	CHECK(all_bytes(fd, 0, sizeof(junk), 0xa5), "cancel: nothing overwritten");

	errno = 0;
	CHECK(swapio_write_zeros(-1, MB, NULL) == -1 && errno == EBADF,
	      "zero fill on a bad fd: EBADF (errno %d)", errno);
}

/* It runs when memory is short: what it wrote must not stay in RAM. */
static void test_zeros_spare_cache(int fd)
{
	const size_t size = 8 * MB, pages = size / ps;
	unsigned char *vec = malloc(pages);
	size_t i, resident = 0;
	void *map;

	CHECK(ftruncate(fd, 0) == 0 && vec != NULL, "set-up");
	CHECK(swapio_write_zeros(fd, size, NULL) == 0, "zero fill 8 MiB");
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED && vec && mincore(map, size, vec) == 0,
	      "mincore: %s", strerror(errno));
	if (map != MAP_FAILED && vec) {
		for (i = 0; i < pages; i++)
			resident += vec[i] & 1;
		CHECK(resident < pages / 2,
		      "%zu of %zu pages still in the page cache", resident,
		      pages);
	}
	if (map != MAP_FAILED)
		munmap(map, size);
	free(vec);
}

static void test_random(void)
{
	uint8_t a[32], b[32];
	size_t i;
	int nonzero = 0;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	CHECK(swapio_random(a, sizeof(a)) == 0, "random a");
	CHECK(swapio_random(b, sizeof(b)) == 0, "random b");
	for (i = 0; i < sizeof(a); i++)
		nonzero += a[i] != 0;
	/* 32 zero bytes, or two equal draws, have odds of 2^-256. */
	CHECK(nonzero > 0, "random bytes are filled in");
	CHECK(memcmp(a, b, sizeof(a)) != 0, "two draws differ");
	CHECK(swapio_random(a, 0) == 0, "zero bytes asked: fine");
}

int main(void)
{
	char path[300];
	int fd;

	if (swap_fixture_begin() < 0)
		T_END();
	snprintf(path, sizeof(path), "%s/io", base);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	if (fd >= 0) {
		test_write_all(fd);
		test_zeros(fd);
		test_zeros_spare_cache(fd);
		close(fd);
	}
	rm_tree(base);
	test_random();
	T_END();
}
