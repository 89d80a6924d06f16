/* log.c in the foreground, its stderr captured (capture_begin):
 * which levels each verbosity shows, the "ghostmemory: " prefix, the
 * strerror suffix of the non-x forms, errno left as it was, a long
 * message cut rather than overrun, and fatal/fatalx's exit codes. */
#include "log.h"
#include "t.h"

#include <errno.h>
#include <sys/wait.h>

static char cap[4096]; /* what a capture caught */

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
		capture_begin();
		log_errx("E");
		log_warnx("W");
		log_notice("N");
		log_info("I");
		log_debug("D");
		capture_end(cap, sizeof(cap));
		out = cap;
		CHECK(out && strcmp(out, rows[i].want) == 0,
		      "verbosity %d: got \"%s\"", rows[i].verbosity,
		      out ? out : "(unreadable)");
	}
	/* log_set_verbosity changes it without log_init. */
	log_init(false, 1);
	log_set_verbosity(-1);
	capture_begin();
	log_warnx("hidden");
	log_errx("shown");
	capture_end(cap, sizeof(cap));
	CHECK_STR(cap, "ghostmemory: shown\n", "set_verbosity -1");
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
	capture_begin();
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
	capture_end(cap, sizeof(cap));
	out = cap;
	CHECK(out && strcmp(out, want) == 0, "strerror appended: got \"%s\"",
	      out ? out : "(unreadable)");
}

static void test_long(void)
{
	static char big[3000];
	const char *out;

	memset(big, 'x', sizeof(big) - 1);
	log_init(false, 0);
	capture_begin();
	log_notice("%s", big);
	capture_end(cap, sizeof(cap));
	out = cap;
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
		capture_begin();
		pid = fork();
		if (pid == 0) {
			errno = EROFS;
			if (rows[i].with_errno)
				fatal(rows[i].code, "cannot %s", "go on");
			fatalx(rows[i].code, "cannot %s", "go on");
		}
		if (pid > 0)
			waitpid(pid, &status, 0);
		capture_end(cap, sizeof(cap));
		out = cap;
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
	test_levels();
	test_errno();
	test_long();
	test_fatal();
	T_END();
}
