/* log.c in the foreground, its stderr captured in a temporary file:
 * which levels each verbosity shows, the "ghostmemory: " prefix, the
 * strerror suffix of the non-x forms, errno left as it was, a long
 * message cut rather than overrun, and fatal/fatalx's exit codes. */
#include "log.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[] = "/tmp/gm-test-log.XXXXXX";
static int cap_fd = -1, saved_stderr = -1;

/* Send stderr to the (emptied) capture file. */
static void capture(void)
{
	fflush(stderr);
	if (ftruncate(cap_fd, 0) != 0 || lseek(cap_fd, 0, SEEK_SET) != 0)
		perror("capture");
	dup2(cap_fd, 2);
}

/* Put stderr back; what was written to it meanwhile. */
static const char *captured(void)
{
	fflush(stderr);
	dup2(saved_stderr, 2);
	return slurp_text(path);
}

static void test_levels(void)
{
	static const struct {
		int verbosity;
		const char *want;
	} rows[] = {
		{-1, "ghostmemory: E\n"},
		{0, "ghostmemory: E\nghostmemory: W\nghostmemory: N\n"},
		{1, "ghostmemory: E\nghostmemory: W\nghostmemory: N\n"
		    "ghostmemory: I\nghostmemory: D\n"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *out;

		log_init(false, rows[i].verbosity);
		capture();
		log_errx("E");
		log_warnx("W");
		log_notice("N");
		log_info("I");
		log_debug("D");
		out = captured();
		CHECK(out && strcmp(out, rows[i].want) == 0,
		      "verbosity %d: got \"%s\"", rows[i].verbosity,
		      out ? out : "(unreadable)");
	}
	/* log_set_verbosity changes it without log_init. */
	log_init(false, 1);
	log_set_verbosity(-1);
	capture();
	log_warnx("hidden");
	log_errx("shown");
	CHECK_STR(captured(), "ghostmemory: shown\n", "set_verbosity -1");
}

static void test_errno(void)
{
	char want[256];
	const char *out;

	log_init(false, 0);
	snprintf(want, sizeof(want),
		 "ghostmemory: open /x: %s\nghostmemory: warn 3: %s\n"
		 "ghostmemory: plain\n",
		 strerror(ENOENT), strerror(EACCES));
	capture();
	errno = ENOENT;
	log_err("open %s", "/x");
	CHECK(errno == ENOENT, "log_err keeps errno (%d)", errno);
	errno = EACCES;
	log_warn("warn %d", 3);
	CHECK(errno == EACCES, "log_warn keeps errno (%d)", errno);
	errno = EIO;
	log_errx("plain");
	log_info("not shown");
	CHECK(errno == EIO, "log_errx and a hidden log_info keep errno (%d)",
	      errno);
	out = captured();
	CHECK(out && strcmp(out, want) == 0, "strerror appended: got \"%s\"",
	      out ? out : "(unreadable)");
}

static void test_long(void)
{
	static char big[3000];
	const char *out;

	memset(big, 'x', sizeof(big) - 1);
	log_init(false, 0);
	capture();
	log_notice("%s", big);
	out = captured();
	/* "ghostmemory: " + the message cut to 1023 bytes + "\n". */
	CHECK(out && strlen(out) == 13 + 1023 + 1 && out[strlen(out) - 1] == '\n',
	      "a long message is cut: %zu bytes", out ? strlen(out) : 0);
}

static void test_fatal(void)
{
	static const struct {
		bool with_errno;
		int code;
	} rows[] = {{true, 5}, {false, 14}};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char want[256];
		const char *out;
		int status = -1;
		pid_t pid;

		log_init(false, -1);
		capture();
		pid = fork();
		if (pid == 0) {
			errno = EROFS;
			if (rows[i].with_errno)
				fatal(rows[i].code, "cannot %s", "go on");
			fatalx(rows[i].code, "cannot %s", "go on");
		}
		if (pid > 0)
			waitpid(pid, &status, 0);
		out = captured();
		CHECK(pid > 0 && WIFEXITED(status) &&
			      WEXITSTATUS(status) == rows[i].code,
		      "fatal%s exits %d (status 0x%x)",
		      rows[i].with_errno ? "" : "x", rows[i].code, status);
		snprintf(want, sizeof(want), "ghostmemory: cannot go on%s%s\n",
			 rows[i].with_errno ? ": " : "",
			 rows[i].with_errno ? strerror(EROFS) : "");
		CHECK(out && strcmp(out, want) == 0,
		      "fatal%s shown even when quiet: got \"%s\"",
		      rows[i].with_errno ? "" : "x", out ? out : "(unreadable)");
	}
}

int main(void)
{
	cap_fd = mkstemp(path);
	saved_stderr = dup(2);
	if (cap_fd < 0 || saved_stderr < 0) {
		CHECK(0, "cannot set up the capture file %s", path);
		T_END();
	}
	test_levels();
	test_errno();
	test_long();
	test_fatal();
	close(cap_fd);
	close(saved_stderr);
	unlink(path);
	T_END();
}
