/* psi.c through its psi_ops fake: the trigger text, the flags it opens
 * with, the retry with a 2 s window when the kernel refuses the first
 * (unprivileged callers since 6.5), and what each refusal returns. */
#include "psi.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>

/* The fake kernel: what it answers, and what it was told. */
static struct {
	int open_errno;          /* open fails with this (0: succeeds) */
	int write_errno[2];      /* write number i fails with this */
	int opens, writes, closes;
	int flags;               /* of the last open */
	char text[2][64];        /* what each write carried */
	size_t len[2];
	char path[64];
} k;

static int f_open(const char *path, int flags)
{
	snprintf(k.path, sizeof(k.path), "%s", path);
	k.flags = flags;
	k.opens++;
	if (k.open_errno) {
		errno = k.open_errno;
		return -1;
	}
	return 40 + k.opens;
}

static ssize_t f_write(int fd, const void *buf, size_t len)
{
	int i = k.writes++;

	(void)fd;
	if (i < 2) {
		size_t n = len < sizeof(k.text[i]) ? len : sizeof(k.text[i]) - 1;
		memcpy(k.text[i], buf, n);
		k.len[i] = len;
		if (k.write_errno[i]) {
			errno = k.write_errno[i];
			return -1;
		}
	}
	return (ssize_t)len;
}

static int f_close(int fd)
{
	(void)fd;
	k.closes++;
	return 0;
}

static const struct psi_ops fake = {f_open, f_write, f_close};

static void reset(void)
{
	memset(&k, 0, sizeof(k));
}

static void test_text(void)
{
	char buf[64];
	size_t n = psi_trigger_text(buf, sizeof(buf), 100000, 1000000);

	CHECK_STR(buf, "some 100000 1000000", "trigger text");
	CHECK_EQ_U(n, strlen("some 100000 1000000"), "its length");
	n = psi_trigger_text(buf, 8, 100000, 1000000);
	CHECK(strlen(buf) == 7, "a short buffer is cut, NUL-terminated");
}

static void test_first_try(void)
{
	unsigned window = 0;
	int fd;

	reset();
	fd = psi_trigger_open(&fake, "/proc/pressure/memory", 100000,
			      1000000, &window);
	CHECK(fd == 41, "armed: the opened fd (%d)", fd);
	CHECK_STR(k.path, "/proc/pressure/memory", "path opened");
	CHECK((k.flags & O_ACCMODE) == O_RDWR && (k.flags & O_NONBLOCK) &&
		      (k.flags & O_CLOEXEC),
	      "opened read-write, non-blocking, close-on-exec (0%o)",
	      (unsigned)k.flags);
	CHECK_STR(k.text[0], "some 100000 1000000", "trigger written");
	CHECK_EQ_U(k.len[0], strlen("some 100000 1000000") + 1,
		   "written with its NUL");
	CHECK(window == 1000000 && k.writes == 1 && k.closes == 0,
	      "one write, nothing closed, the window in force: %u", window);
	CHECK(psi_trigger_open(&fake, "/x", 1, 1000000, NULL) >= 0,
	      "window_us_out may be NULL");
}

static void test_unprivileged_retry(void)
{
	unsigned window = 0;
	int fd;

	/* 6.5+ without CAP_SYS_RESOURCE: EINVAL for a 1 s window, the
	 * stall scaled to the same share of a 2 s one. */
	reset();
	k.write_errno[0] = EINVAL;
	fd = psi_trigger_open(&fake, "/p", 100000, 1000000, &window);
	CHECK(fd == 42, "second open armed (%d)", fd);
	CHECK(k.opens == 2 && k.closes == 1, "the refused fd is closed: "
	      "%d opens, %d closes", k.opens, k.closes);
	CHECK_STR(k.text[1], "some 200000 2000000", "retry: scaled stall");
	CHECK(window == 2000000, "window in force: %u", window);

	/* A stall that scales to zero becomes 1 us. */
	reset();
	k.write_errno[0] = EINVAL;
	psi_trigger_open(&fake, "/p", 0, 1500000, &window);
	CHECK_STR(k.text[1], "some 1 2000000", "retry: stall never 0");

	/* Already a multiple of 2 s: EINVAL is final, no retry. */
	reset();
	k.write_errno[0] = EINVAL;
	window = 7;
	fd = psi_trigger_open(&fake, "/p", 100000, 4000000, &window);
	CHECK(fd == -EINVAL && k.opens == 1 && window == 7,
	      "2 s multiple refused: -EINVAL, no retry, window untouched "
	      "(%d, %d opens)", fd, k.opens);

	/* Both refused: the second error, both fds closed. */
	reset();
	k.write_errno[0] = EINVAL;
	k.write_errno[1] = EINVAL;
	fd = psi_trigger_open(&fake, "/p", 100000, 1000000, &window);
	CHECK(fd == -EINVAL && k.closes == 2, "both refused: -EINVAL (%d), "
	      "%d closes", fd, k.closes);
}

static void test_refusals(void)
{
	static const struct {
		int open_errno, write_errno, want;
		const char *what;
	} rows[] = {
		{ENOENT, 0, -ENOENT, "no /proc/pressure (no CONFIG_PSI)"},
		{EACCES, 0, -EACCES, "open refused"},
		{0, EOPNOTSUPP, -EOPNOTSUPP, "psi=0"},
		{0, EPERM, -EPERM, "5.2-6.4 without CAP_SYS_RESOURCE"},
		{0, EBUSY, -EBUSY, "a trigger already on this file"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned window = 99;
		int fd;

		reset();
		k.open_errno = rows[i].open_errno;
		k.write_errno[0] = rows[i].write_errno;
		fd = psi_trigger_open(&fake, "/p", 100000, 1000000, &window);
		CHECK(fd == rows[i].want && window == 99 && k.opens == 1,
		      "%s: got %d, want %d, %d opens", rows[i].what, fd,
		      rows[i].want, k.opens);
		CHECK(k.closes == (rows[i].open_errno ? 0 : 1),
		      "%s: %d closes", rows[i].what, k.closes);
	}
}

int main(void)
{
	test_text();
	test_first_try();
	test_unprivileged_retry();
	test_refusals();
	T_END();
}
