/* lfs: 64-bit file offsets on every ABI (issue 12, #5).  Built without
 * large-file support on i386 or armhf, off_t is 32 bits: the default
 * 2 GiB file overflows fallocate and the zero-fill writes, and stat on a
 * file of 2 GiB or more fails with EOVERFLOW, so a valid leftover would
 * be deleted as unreadable.  `make check-32` runs this (and every other
 * unit test) as an i386 program.  The big files here are sparse: a few
 * pages of disk whatever their size. */
#include "swapfile.h"
#include "swaphdr.h"
#include "swapio.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GIB_B (1024ull * 1024 * 1024)

static char base[64];

static void test_types(void)
{
	CHECK(sizeof(off_t) == 8,
	      "off_t is %zu bytes: built without _FILE_OFFSET_BITS=64",
	      sizeof(off_t));
	/* The same width stat and fstatat see. */
	CHECK(sizeof(((struct stat *)0)->st_size) == 8,
	      "st_size is %zu bytes", sizeof(((struct stat *)0)->st_size));
}

/* One page written 4 GiB + 4 KiB in: a 32-bit off_t would wrap it to
 * offset 4096 (or refuse it). */
static void test_write_past_4g(void)
{
	const uint64_t off_b = 4 * GIB_B + 4096;
	uint8_t page[4096];
	char path[128];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/past4g", base);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	if (fd < 0)
		return;
	memset(page, 0xa5, sizeof(page));
	CHECK(swapio_write_all(fd, page, sizeof(page), (off_t)off_b) == 0,
	      "swapio_write_all at %llu: %s", (unsigned long long)off_b,
	      strerror(errno));
	CHECK(fstat(fd, &st) == 0, "fstat: %s", strerror(errno));
	CHECK_EQ_U(st.st_size, off_b + sizeof(page),
		   "size after a write 4 GiB + 4 KiB in");
	close(fd);
	unlink(path);
}

/* A valid 3 GiB leftover (sparse, header in page 0) validates with its
 * full size, as the daemon keeps it as a spare. */
static void test_validate_3g(void)
{
	const uint64_t size_b = 3 * GIB_B;
	long sc = sysconf(_SC_PAGESIZE);
	size_t ps = sc > 0 ? (size_t)sc : 4096;
	uint8_t uuid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
	struct swapdir d;
	uint64_t got_b = 0;
	uint8_t *page = calloc(1, ps);
	char path[128];
	int fd, rc;

	if (page == NULL)
		return;
	d.fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(d.path, sizeof(d.path), "%s", base);
	d.fs_type = 0;
	snprintf(path, sizeof(path), "%s/7", base);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	CHECK(d.fd >= 0 && fd >= 0, "open %s: %s", path, strerror(errno));
	if (d.fd < 0 || fd < 0)
		goto out;
	CHECK(swaphdr_build(page, ps, size_b, uuid, SWAPHDR_LABEL) == 0,
	      "swaphdr_build for 3 GiB");
	CHECK(swapio_write_all(fd, page, ps, 0) == 0, "write header: %s",
	      strerror(errno));
	CHECK(ftruncate(fd, (off_t)size_b) == 0, "ftruncate to 3 GiB: %s",
	      strerror(errno));
	CHECK(fchmod(fd, 0600) == 0, "fchmod");
	close(fd);
	rc = swapfile_validate_as(&d, 7, 0, geteuid(), &got_b);
	CHECK(rc == 0, "3 GiB leftover rejected: %s", strerror(-rc));
	CHECK_EQ_U(got_b, size_b, "3 GiB leftover's size");
	unlink(path);
out:
	if (d.fd >= 0)
		close(d.fd);
	free(page);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(base, sizeof(base), "%s/gm-lfs.XXXXXX",
		 tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
	test_types();
	if (mkdtemp(base) == NULL) {
		CHECK(0, "mkdtemp %s: %s", base, strerror(errno));
		T_END();
	}
	test_write_past_4g();
	test_validate_3g();
	rmdir(base);
	T_END();
}
