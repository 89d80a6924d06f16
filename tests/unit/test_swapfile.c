/* swapfile: the swapon flags, and the effects that need no swapon:
 * making files in a temporary directory (fallocate and zero fill, the
 * header, refusing existing names, size limits), removing them, and
 * creating one without privilege.  Runs as any user; a few cases need
 * root (chown) and say so when they are skipped.  Never calls swapon or
 * swapoff on the running system. */
#include "config.h"
#include "log.h"
#include "swapfile.h"
#include "swaphdr.h"
#include "t.h"
#include "t_swap.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- pure tables ------------------------------------------------------ */

static void test_swapon_flags(void)
{
	static const struct {
		int prio, discard, want;
	} cases[] = {
		{-1, GM_DISCARD_NONE, 0},
		{-5, GM_DISCARD_NONE, 0},
		{0, GM_DISCARD_NONE, 0x8000},
		{5, GM_DISCARD_NONE, 0x8005},
		{32767, GM_DISCARD_NONE, 0xffff},
		{32768, GM_DISCARD_NONE, 0xffff}, /* clamped, not wrapped */
		{40000, GM_DISCARD_NONE, 0xffff},
		{-1, GM_DISCARD_ONCE, 0x30000},
		{-1, GM_DISCARD_PAGES, 0x50000},
		{-1, GM_DISCARD_BOTH, 0x10000},
		{10, GM_DISCARD_ONCE, 0x3800a},
		{100, GM_DISCARD_PAGES, 0x58064},
		{7, GM_DISCARD_BOTH, 0x18007},
		{7, 99, 0x8007},
		{-1, -1, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = swapfile_swapon_flags(cases[i].prio,
						cases[i].discard);

		CHECK(got == cases[i].want,
		      "flags(prio %d, discard %d) = %#x, want %#x",
		      cases[i].prio, cases[i].discard, got, cases[i].want);
	}
}

/* ---- swapfile_make ---------------------------------------------------- */

static int read_page0(const char *path, uint8_t *page)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, page, ps);
	close(fd);
	return n == (ssize_t)ps ? 0 : -1;
}

/* Pages of slot's file in the page cache (mincore), or SIZE_MAX. */
static size_t resident_pages(const struct swapdir *d, int slot,
			     uint64_t size_b)
{
	char path[600];
	size_t n = (size_t)(size_b / ps), count = 0;
	unsigned char *vec = malloc(n);
	void *map = MAP_FAILED;
	int fd;

	slot_path(d, slot, path, sizeof(path));
	fd = open(path, O_RDONLY);
	if (fd >= 0 && vec != NULL)
		map = mmap(NULL, (size_t)size_b, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || mincore(map, (size_t)size_b, vec) < 0) {
		count = SIZE_MAX;
	} else {
		size_t i;

		for (i = 0; i < n; i++)
			count += vec[i] & 1;
	}
	if (map != MAP_FAILED)
		munmap(map, (size_t)size_b);
	if (fd >= 0)
		close(fd);
	free(vec);
	return count;
}

/* Checks one made file: size, mode, owner, header, allocation. */
static void check_made(const struct swapdir *d, int slot, uint64_t want_b,
		       const char *what)
{
	char path[600];
	struct stat st;
	uint8_t *page = malloc(ps);
	uint64_t vsize = 0;
	int rc;

	slot_path(d, slot, path, sizeof(path));
	if (page == NULL || lstat(path, &st) < 0) {
		CHECK(0, "%s: %s missing", what, path);
		free(page);
		return;
	}
	CHECK(S_ISREG(st.st_mode), "%s: not a regular file", what);
	CHECK((st.st_mode & 07777) == 0600, "%s: mode %04o", what,
	      (unsigned)(st.st_mode & 07777));
	CHECK(st.st_uid == geteuid(), "%s: owner %u", what,
	      (unsigned)st.st_uid);
	CHECK_EQ_U(st.st_size, want_b, "file size");
	/* Allocated, not sparse: swapon refuses holes. */
	CHECK((uint64_t)st.st_blocks * 512 >= want_b,
	      "%s: only %llu bytes allocated", what,
	      (unsigned long long)st.st_blocks * 512);
	CHECK(read_page0(path, page) == 0, "%s: read header", what);
	CHECK(swaphdr_check(page, ps, want_b) == 0, "%s: bad header", what);
	CHECK(memcmp(page + 1024 + 28, "ghostmemory", 12) == 0,
	      "%s: label \"%.16s\"", what, (char *)page + 1024 + 28);
	CHECK((page[1024 + 12 + 6] & 0xf0) == 0x40 &&
		      (page[1024 + 12 + 8] & 0xc0) == 0x80,
	      "%s: UUID is not version 4", what);
	rc = swapfile_validate_as(d, slot, 0, geteuid(), &vsize);
	CHECK(rc == 0, "%s: swapfile_validate_as rejects it: %s", what,
	      swapfile_reject_reason(rc));
	CHECK_EQ_U(vsize, want_b, "validated size");
	free(page);
}
static void test_make(void)
{
	struct swapdir d;
	char path[600], log[2048];
	uint8_t *page = malloc(ps);
	struct rlimit old, lim;
	mode_t old_umask;
	int rc, fd;

	d = open_dir(base);
	CHECK(d.fd >= 0, "open %s", base);

	swapfile_path(&d, 7, path, sizeof(path));
	{
		char want[600];

		snprintf(want, sizeof(want), "%s/7", base);
		CHECK_STR(path, want, "swapfile_path");
	}

	rc = swapfile_make(&d, 1, 4 * MIB_B, false, NULL);
	CHECK(rc == 0, "make 4 MiB: %d", rc);
	check_made(&d, 1, 4 * MIB_B, "4 MiB fallocate");

	rc = swapfile_make(&d, 2, 4 * MIB_B + 1000, false, NULL);
	CHECK(rc == 0, "make 4 MiB + 1000: %d", rc);
	check_made(&d, 2, 4 * MIB_B, "rounded down to pages");

	/* The two UUIDs must differ: they come from getrandom. */
	slot_path(&d, 1, path, sizeof(path));
	if (page != NULL && read_page0(path, page) == 0) {
		uint8_t a[16];

		memcpy(a, page + 1036, 16);
		slot_path(&d, 2, path, sizeof(path));
		if (read_page0(path, page) == 0)
			CHECK(memcmp(a, page + 1036, 16) != 0,
			      "two files, same UUID");
	}

	old_umask = umask(0277);
	rc = swapfile_make(&d, 3, 3 * MIB_B + ps, true, NULL);
	umask(old_umask);
	CHECK(rc == 0, "make zero-filled under umask 0277: %d", rc);
	check_made(&d, 3, 3 * MIB_B + ps, "zero fill");
	slot_path(&d, 3, path, sizeof(path));
	fd = open(path, O_RDONLY);
	if (fd >= 0 && page != NULL) {
		off_t off;
		int nonzero = 0;
		size_t i;

		for (off = (off_t)ps; off < (off_t)(3 * MIB_B + ps);
		     off += (off_t)ps) {
			if (pread(fd, page, ps, off) != (ssize_t)ps) {
				nonzero = -1;
				break;
			}
			for (i = 0; i < ps; i++)
				nonzero |= page[i];
		}
		CHECK(nonzero == 0, "zero fill: body not all zeros (%d)",
		      nonzero);
		close(fd);
	}
	/* The zeros must not stay in the page cache (this runs when memory
	 * is short): count resident pages of a fresh 64 MiB zero fill. */
	rc = swapfile_make(&d, 40, 64 * MIB_B, true, NULL);
	CHECK(rc == 0, "make 64 MiB zero-filled: %d", rc);
	{
		size_t resident = resident_pages(&d, 40, 64 * MIB_B);

		CHECK(resident <= 64 * MIB_B / ps / 10,
		      "zero fill left %zu of %llu pages in the page cache",
		      resident, (unsigned long long)(64 * MIB_B / ps));
	}
	swapfile_remove(&d, 40, false);

	/* An existing name is never touched nor unlinked. */
	slot_path(&d, 4, path, sizeof(path));
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "keep", 4) == 4, "plant file 4");
	if (fd >= 0)
		close(fd);
	capture_begin();
	rc = swapfile_make(&d, 4, 4 * MIB_B, false, NULL);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "/4: create: File exists") != NULL,
	      "log for an existing file: \"%s\"", log);
	CHECK(rc == -EEXIST, "make over an existing file: %d", rc);
	{
		struct stat st;

		CHECK(lstat(path, &st) == 0 && st.st_size == 4,
		      "existing file was changed or removed");
	}
	/* A planted symlink is not followed (O_EXCL|O_NOFOLLOW). */
	slot_path(&d, 5, path, sizeof(path));
	CHECK(symlink("target5", path) == 0, "plant symlink 5");
	capture_begin();
	rc = swapfile_make(&d, 5, 4 * MIB_B, false, NULL);
	capture_end(log, sizeof(log));
	CHECK(rc == -EEXIST, "make over a symlink: %d", rc);
	CHECK(!exists(base, "target5"), "symlink target was created");

	capture_begin();
	rc = swapfile_make(&d, 6, 9 * ps, false, NULL);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "under 10 pages") != NULL, "log for 9 pages: %s",
	      log);
	CHECK(rc == -EINVAL, "make 9 pages: %d", rc);
	CHECK(!exists(base, "6"), "9-page file left behind");

	/* File size limit: fallocate and write fail with EFBIG, which is
	 * "no room"; the partial file goes and the step is logged. */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 1 * MIB_B;
	setrlimit(RLIMIT_FSIZE, &lim);
	capture_begin();
	rc = swapfile_make(&d, 8, 4 * MIB_B, false, NULL);
	capture_end(log, sizeof(log));
	CHECK(rc == -ENOSPC, "make past RLIMIT_FSIZE: %d, want -ENOSPC", rc);
	CHECK(!exists(base, "8"), "partial file 8 left behind");
	CHECK(strstr(log, "/8: fallocate: File too large") != NULL,
	      "log lacks the step and strerror: \"%s\"", log);
	capture_begin();
	rc = swapfile_make(&d, 9, 4 * MIB_B, true, NULL);
	capture_end(log, sizeof(log));
	CHECK(rc == -ENOSPC, "zero fill past RLIMIT_FSIZE: %d", rc);
	CHECK(!exists(base, "9"), "partial file 9 left behind");
	CHECK(strstr(log, "/9: write zeros: File too large") != NULL,
	      "log lacks the step and strerror: \"%s\"", log);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);
	free(page);
	close(d.fd);
}

/* ---- swapfile_remove -------------------------------------------------- */

static void test_remove(void)
{
	struct swapdir d;
	char path[600], other[600];
	uint8_t buf[4096];
	char log[1024];
	int fd, rc;

	d = open_dir(base);
	CHECK(swapfile_make(&d, 30, 4 * MIB_B, false, NULL) == 0, "make 30");
	rc = swapfile_remove(&d, 30, false);
	CHECK(rc == 0 && !exists(base, "30"), "remove 30: %d", rc);
	rc = swapfile_remove(&d, 30, false);
	CHECK(rc == -ENOENT, "remove missing: %d", rc);

	/* Paranoid: the blocks are zeros before the name goes.  Read them
	 * back through a descriptor kept open across the unlink. */
	CHECK(swapfile_make(&d, 31, 4 * MIB_B, false, NULL) == 0, "make 31");
	slot_path(&d, 31, path, sizeof(path));
	fd = open(path, O_RDWR);
	memset(buf, 0xa5, sizeof(buf));
	CHECK(fd >= 0 && pwrite(fd, buf, sizeof(buf), 1 << 20) ==
				 (ssize_t)sizeof(buf),
	      "scribble on 31");
	rc = swapfile_remove(&d, 31, true);
	CHECK(rc == 0 && !exists(base, "31"), "paranoid remove: %d", rc);
	if (fd >= 0) {
		int zero = 1;
		size_t i;

		CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf),
		      "read back 31");
		for (i = 0; i < sizeof(buf); i++)
			zero &= buf[i] == 0;
		CHECK(pread(fd, buf, sizeof(buf), 1 << 20) ==
			      (ssize_t)sizeof(buf),
		      "read back 31");
		for (i = 0; i < sizeof(buf); i++)
			zero &= buf[i] == 0;
		CHECK(zero, "paranoid remove left data in place");
		close(fd);
	}

	/* Paranoid on a hard-linked file: the other name's data stays. */
	CHECK(swapfile_make(&d, 32, 4 * MIB_B, false, NULL) == 0, "make 32");
	slot_path(&d, 32, path, sizeof(path));
	snprintf(other, sizeof(other), "%s/precious", base);
	CHECK(link(path, other) == 0, "link precious");
	capture_begin();
	rc = swapfile_remove(&d, 32, true);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "not overwriting") != NULL, "log: %s", log);
	CHECK(rc == 0 && !exists(base, "32"), "remove linked 32: %d", rc);
	fd = open(other, O_RDONLY);
	CHECK(fd >= 0 && pread(fd, buf, 10, (off_t)ps - 10) == 10 &&
		      memcmp(buf, "SWAPSPACE2", 10) == 0,
	      "paranoid remove overwrote a hard-linked file");
	if (fd >= 0)
		close(fd);
	close(d.fd);
}

/* ---- swapfile_create without privilege -------------------------------- */

/* swapon fails with EPERM for an unprivileged caller: create must
 * report -EPERM and keep the file, which is valid (only EINVAL says a
 * file is bad: a full swap table also says EPERM, and deleting a good
 * file then would make and delete one at every grow).  As root, the check runs in a child
 * that drops to nobody, so the system's swap is never touched. */
static void test_create_unprivileged(void)
{
	char dir[400];
	struct swapdir d;
	struct swap_prop cfg = {-1, GM_DISCARD_NONE};
	pid_t pid;
	int status = 0, rc;

	snprintf(dir, sizeof(dir), "%s/unpriv", base);
	mkdir(dir, 0700);
	if (!is_root) {
		char log[2048];

		d = open_dir(dir);
		capture_begin();
		rc = swapfile_create(&d, 1, 4 * MIB_B, &cfg);
		capture_end(log, sizeof(log));
		if (rc == -ENOSYS && getenv("GM_VALGRIND") != NULL)
			rc = -EPERM;
		CHECK(rc == -EPERM, "unprivileged create: %d", rc);
		CHECK(exists(dir, "1"), "EPERM deleted a valid file");
		CHECK(strstr(log, "swapon") != NULL, "swapon not logged: %s",
		      log);
		close(d.fd);
		return;
	}
	CHECK(chown(dir, 65534, 65534) == 0, "chown unpriv");
	chmod(base, 0711);
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(10);
		log_init(false, -1);
		d = open_dir(dir);
		rc = swapfile_create(&d, 1, 4 * MIB_B, &cfg);
		/* valgrind does not implement swapon: ENOSYS. */
		if (rc == -ENOSYS && getenv("GM_VALGRIND") != NULL)
			rc = -EPERM;
		_exit(rc == -EPERM ? (exists(dir, "1") ? 0 : 12) : 11);
	}
	waitpid(pid, &status, 0);
	chmod(base, 0700);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "unprivileged create as nobody: status %d (10 setuid, 11 "
	      "not -EPERM, 12 valid file deleted)",
	      status);
}

int main(void)
{
	test_swapon_flags();
	if (swap_fixture_begin() < 0)
		T_END();
	test_make();
	test_remove();
	test_create_unprivileged();
	rm_tree(base);
	T_END();
}
