/* client.c without a daemon: the command line as config_parse_args
 * leaves it (one mode at a time, '-- COMMAND' only with --reserve, a bad
 * size, id or TTL: exit 2 before any request), an empty run directory
 * (exit 21 and one line naming the socket; a wrapped command is not
 * run), and the apt hook (always 0, at most one line, on stdout).  Then
 * against a fake server, a child of the test listening on RUNDIR/ctl
 * that logs each request line and answers from a script: the requests
 * sent and what the client makes of the answers (the wrapper's release
 * and its command's status or 128+N, --wait 0 while pending: 23 or the
 * command run anyway, a busy daemon asked again, refusals 22 and 3, an
 * answer not understood, the apt hook's id file kept by pre and
 * released by post).  The fake checks no credentials, so none of it
 * needs root. */
#include "client.h"
#include "config.h"
#include "ctlproto.h"
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

static char dir[] = "/tmp/gm-test-client.XXXXXX";
static char rundir_arg[100], ran_path[100], req_path[100], id_path[100];
static char out[4096], err[4096], reqs[4096];
static int out_fd = -1, out_saved = -1;
static pid_t server = -1;

/* What the client writes to stdout goes to a file until out_end. */
static void out_begin(void)
{
	char path[] = "/tmp/gm-test-stdout.XXXXXX";

	fflush(stdout);
	out_fd = mkstemp(path);
	if (out_fd < 0)
		return;
	unlink(path);
	out_saved = dup(1);
	dup2(out_fd, 1);
}

static void out_end(void)
{
	ssize_t n = 0;

	fflush(stdout);
	if (out_saved >= 0) {
		dup2(out_saved, 1);
		close(out_saved);
		n = pread(out_fd, out, sizeof(out) - 1, 0);
	}
	if (out_fd >= 0)
		close(out_fd);
	out_fd = out_saved = -1;
	out[n > 0 ? n : 0] = '\0';
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Parse argv as the daemon's main does (no config file) and run the
 * client; its stdout and stderr in out and err, the requests the fake
 * server got in reqs. */
static int run(char *const argv[])
{
	struct config cfg;
	char why[300];
	int argc = 0, rc;

	while (argv[argc])
		argc++;
	config_defaults(&cfg);
	rc = config_parse_args(&cfg, argc, argv, why, sizeof(why));
	CHECK(rc == 0, "parse %s: %s", argv[1], why);
	out_begin();
	capture_begin();
	rc = client_main(&cfg, argv);
	capture_end(err, sizeof(err));
	out_end();
	return rc;
}

/* Answer each connection on RUNDIR/ctl with the next of replies (NULL
 * ends them), logging the request line to req_path first. */
static void serve_one(int lfd, const char *reply)
{
	char buf[CTLP_MAX + 1];
	size_t got = 0;
	int fd = accept(lfd, NULL, NULL), log;
	ssize_t k;

	if (fd < 0)
		_exit(1);
	while (got < sizeof(buf) - 1 &&
	       (k = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0) {
		got += (size_t)k;
		if (memchr(buf, '\n', got))
			break;
	}
	log = open(req_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (log < 0 || write(log, buf, got) != (ssize_t)got)
		_exit(1);
	close(log);
	if (write(fd, reply, strlen(reply)) != (ssize_t)strlen(reply))
		_exit(1);
	close(fd);
}

static void serve(const char *const replies[])
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0), i;

	unlink(req_path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/ctl", dir);
	unlink(sa.sun_path);
	/* Bound before the fork: the client never finds it missing. */
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(lfd, 8) < 0) {
		CHECK(0, "fake server: %s", strerror(errno));
		return;
	}
	fflush(NULL);
	server = fork();
	if (server == 0) {
		for (i = 0; replies[i]; i++)
			serve_one(lfd, replies[i]);
		close(lfd);
		_exit(0);
	}
	close(lfd);
}

/* Stop the fake server; the requests it got into reqs. */
static void unserve(void)
{
	char *text;
	int st;

	if (server > 0) {
		kill(server, SIGKILL);
		waitpid(server, &st, 0);
	}
	server = -1;
	snprintf(reqs, sizeof(reqs), "%s",
		 (text = slurp_text(req_path)) ? text : "");
	unlink(req_path);
}

static void test_args(void)
{
	struct config cfg;
	char *a1[] = {"ghostmemory", "-v", "--apt-hook=pre", NULL};
	char *a2[] = {"ghostmemory", "--apt_hook", "post", NULL};

	config_defaults(&cfg);
	CHECK(!client_wanted(&cfg), "defaults: the daemon");
	snprintf(cfg.release_arg, sizeof(cfg.release_arg), "3");
	CHECK(client_wanted(&cfg), "--release: the client");
	CHECK(client_is_apt_hook(3, a1) && client_is_apt_hook(3, a2),
	      "--apt-hook and --apt_hook seen");
	CHECK(!client_is_apt_hook(2, a1), "only the arguments counted");
	{
		char *a3[] = {"ghostmemory", "--reserve=1g", "--", "cmd",
			      "--apt-hook", NULL};

		CHECK(!client_is_apt_hook(5, a3),
		      "a wrapped command's --apt-hook is its own");
	}
}

static void test_usage(void)
{
	static char *bad[][6] = {
		{"gm", rundir_arg, "--reserve=1m", "--release=3", NULL},
		{"gm", rundir_arg, "--release=3", "--apt-hook=pre", NULL},
		{"gm", rundir_arg, "--release=3", "--", "true", NULL},
		{"gm", rundir_arg, "--", "true", NULL},
		{"gm", rundir_arg, "--reserve=0", NULL},
		{"gm", rundir_arg, "--reserve=junk", NULL},
		{"gm", rundir_arg, "--reserve=1025t", NULL},
		{"gm", rundir_arg, "--release=0", NULL},
		{"gm", rundir_arg, "--release=4294967296", NULL},
		{"gm", rundir_arg, "--release=12x", NULL},
	};
	static const char *why[] = {
		"one at a time", "one at a time", "goes with --reserve",
		"goes with --reserve", "not a size from 1 to 1024t",
		"'junk'", "'1025t'", "not a reservation id", "'4294967296'",
		"'12x'",
	};
	struct config cfg;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* 2, not 21: refused before asking the (absent) daemon. */
		CHECK(run(bad[i]) == GM_EXIT_USAGE && lines(err) == 1 &&
			      strstr(err, why[i]) && !out[0],
		      "%s %s: %s", bad[i][2], bad[i][3] ? bad[i][3] : "", err);
	}
	/* --ttl=0 is refused by config_keys; client_main checks it too. */
	config_defaults(&cfg);
	snprintf(cfg.rundir, sizeof(cfg.rundir), "%s", dir);
	snprintf(cfg.reserve_arg, sizeof(cfg.reserve_arg), "1m");
	cfg.ttl_s = 0;
	capture_begin();
	CHECK(client_main(&cfg, bad[0]) == GM_EXIT_USAGE, "ttl 0");
	capture_end(err, sizeof(err));
	CHECK(strstr(err, "--ttl must be from 1") != NULL, "ttl: %s", err);
}

static void test_no_daemon(void)
{
	char cmd[200], want[300], nodir[120];
	char *reserve[] = {"gm", rundir_arg, "--reserve=1m", NULL};
	char *release[] = {"gm", rundir_arg, "--release=5", NULL};
	char *wrap[] = {"gm", rundir_arg, "--reserve=1m", "--", "sh", "-c",
			cmd, NULL};
	char *gone[] = {"gm", nodir, "--reserve=1m", NULL};

	snprintf(want, sizeof(want), "ghostmemory: ghostmemory is not "
		 "running (nothing answers on %s/ctl)\n", dir);
	CHECK(run(reserve) == GM_EXIT_NO_DAEMON, "reserve: 21");
	CHECK_STR(err, want, "reserve: one line");
	CHECK(!out[0], "reserve: no id printed: %s", out);
	CHECK(run(release) == GM_EXIT_NO_DAEMON, "release: 21");
	CHECK_STR(err, want, "release: one line");
	snprintf(cmd, sizeof(cmd), "touch %s", ran_path);
	CHECK(run(wrap) == GM_EXIT_NO_DAEMON, "wrapper: 21");
	CHECK_STR(err, want, "wrapper: one line");
	CHECK(access(ran_path, F_OK) < 0, "the command was not run");
	snprintf(nodir, sizeof(nodir), "--rundir=%s/none", dir);
	CHECK(run(gone) == GM_EXIT_NO_DAEMON && lines(err) == 1 &&
		      strstr(err, "is not running"),
	      "no run directory: %s", err);
}

static void test_apt_no_daemon(void)
{
	char *pre[] = {"gm", rundir_arg, "--upgrade_reserve=64m",
		       "--apt-hook=pre", NULL};
	char *post[] = {"gm", rundir_arg, "--apt-hook=post", NULL};
	char *off[] = {"gm", rundir_arg, "--upgrade_reserve=0",
		       "--apt-hook=pre", NULL};
	char *bad[] = {"gm", rundir_arg, "--apt-hook=later", NULL};
	char want[300];

	snprintf(want, sizeof(want), "ghostmemory: no swap reserved for apt: "
		 "ghostmemory is not running (nothing answers on %s/ctl)\n",
		 dir);
	CHECK(run(pre) == GM_EXIT_OK, "apt pre: 0");
	CHECK_STR(out, want, "apt pre: one line on stdout");
	CHECK(!err[0] && access(id_path, F_OK) < 0, "nothing else: %s", err);
	CHECK(run(post) == GM_EXIT_OK && !out[0] && !err[0],
	      "apt post, nothing held: silent: %s%s", out, err);
	CHECK(run(off) == GM_EXIT_OK && !out[0] && !err[0],
	      "upgrade_reserve=0: the hook is off: %s%s", out, err);
	CHECK(run(bad) == GM_EXIT_OK && lines(out) == 1 &&
		      strstr(out, "wants pre or post, not 'later'") && !err[0],
	      "apt later: %s", out);
}

static void test_wrapper(void)
{
	const char *met[] = {"OK 42\n", "OK 42 met 1048576 60\n", "OK 42\n",
			     NULL};
	const char *pending[] = {"OK 42\n", "OK 42 pending 1048576 60\n",
				 "OK 42\n", NULL};
	char *exit7[] = {"gm", rundir_arg, "--reserve=1m", "--ttl=60", "--",
			 "sh", "-c", "exit 7", NULL};
	char *killed[] = {"gm", rundir_arg, "--reserve=1m", "--", "sh", "-c",
			  "kill -TERM $$", NULL};
	char *late[] = {"gm", rundir_arg, "--reserve=1m", "--wait=0", "--",
			"true", NULL};
	char *missing[] = {"gm", rundir_arg, "--reserve=1m", "--",
			   "/nonexistent/gm-no-such-command", NULL};

	serve(met);
	CHECK(run(exit7) == 7, "the command's status passed on");
	unserve();
	CHECK_STR(reqs, "GM1 RESERVE 1048576 60\nGM1 STATUS 42\n"
			"GM1 RELEASE 42\n", "reserve, status, release");
	CHECK(!out[0] && !err[0], "silent when met: %s%s", out, err);

	serve(met);
	CHECK(run(killed) == 128 + SIGTERM, "killed by TERM: 143");
	unserve();
	CHECK(strstr(reqs, "GM1 RELEASE 42\n") != NULL,
	      "released after a signal: %s", reqs);

	serve(pending);
	CHECK(run(late) == 0, "late swap: the command still runs");
	unserve();
	CHECK(strstr(err, "not ready after 0 s; running true anyway") &&
		      lines(err) == 1,
	      "said why: %s", err);
	CHECK(strstr(reqs, "GM1 RELEASE 42\n") != NULL, "released: %s", reqs);

	serve(met);
	CHECK(run(missing) == 127, "a command that is not there: 127");
	unserve();
	CHECK(strstr(reqs, "GM1 RELEASE 42\n") != NULL, "released: %s", reqs);
}

static void test_reserve(void)
{
	char full[CTLP_REPLY_MAX], denied[CTLP_REPLY_MAX], busy[CTLP_REPLY_MAX];
	char unknown[CTLP_REPLY_MAX];
	const char *met[] = {"OK 42\n", "OK 42 met 1048576 60\n", NULL};
	const char *pending[] = {"OK 42\n", "OK 42 pending 1048576 60\n",
				 NULL};
	const char *r_full[] = {full, NULL};
	const char *r_denied[] = {denied, NULL};
	const char *r_busy[] = {busy, "OK 42\n", "OK 42 met 1048576 60\n",
				NULL};
	const char *r_unknown[] = {unknown, NULL};
	const char *r_junk[] = {"hello\n", NULL};
	const char *r_ok[] = {"OK 9\n", NULL};
	char *reserve[] = {"gm", rundir_arg, "--reserve=2g", NULL};
	char *nowait[] = {"gm", rundir_arg, "--reserve=1m", "--wait=0", NULL};
	char *release[] = {"gm", rundir_arg, "--release=9", NULL};

	ctlp_format_err(CTLP_E_FULL, full, sizeof(full));
	ctlp_format_err(CTLP_E_DENIED, denied, sizeof(denied));
	ctlp_format_err(CTLP_E_BUSY, busy, sizeof(busy));
	ctlp_format_err(CTLP_E_UNKNOWN, unknown, sizeof(unknown));

	serve(met);
	CHECK(run(reserve) == 0, "met: 0");
	unserve();
	CHECK_STR(out, "42\n", "the id on stdout");
	CHECK_STR(reqs, "GM1 RESERVE 2147483648 3600\nGM1 STATUS 42\n",
		  "reserve 2g with the default TTL, no release");

	serve(pending);
	CHECK(run(nowait) == GM_EXIT_WAIT, "pending at --wait=0: 23");
	unserve();
	CHECK_STR(out, "42\n", "the id still printed");
	CHECK(strstr(err, "it stays held until --release=42") && lines(err) == 1,
	      "how to end it: %s", err);

	serve(r_busy);
	CHECK(run(reserve) == 0, "busy, then taken: 0");
	unserve();
	CHECK_STR(reqs, "GM1 RESERVE 2147483648 3600\nGM1 RESERVE 2147483648 "
			"3600\nGM1 STATUS 42\n", "asked again after busy");

	serve(r_full);
	CHECK(run(reserve) == GM_EXIT_REFUSED, "full: 22");
	unserve();
	CHECK(!out[0] && lines(err) == 1 && strstr(err, "refused by the "
						       "daemon") &&
		      strstr(err, "(full)"),
	      "full said: %s", err);

	serve(r_denied);
	CHECK(run(reserve) == GM_EXIT_NOT_ROOT, "denied: 3");
	unserve();
	CHECK(strstr(err, "(denied)") != NULL, "denied said: %s", err);

	serve(r_junk);
	CHECK(run(reserve) == GM_EXIT_REFUSED, "junk answer: 22");
	unserve();
	CHECK(strstr(err, "answer is not understood") != NULL, "%s", err);

	serve(r_ok);
	CHECK(run(release) == 0 && !out[0] && !err[0], "release: 0, silent");
	unserve();
	CHECK_STR(reqs, "GM1 RELEASE 9\n", "release request");

	serve(r_unknown);
	CHECK(run(release) == GM_EXIT_REFUSED, "release unknown: 22");
	unserve();
	CHECK(strstr(err, "(unknown)") != NULL, "unknown said: %s", err);
}

static void test_apt(void)
{
	const char *pre_r[] = {"OK 42\n", "OK 42 met 67108864 3600\n", NULL};
	const char *post_r[] = {"OK 42\n", NULL};
	const char *unknown_r[] = {"ERR unknown no such reservation\n", NULL};
	const char *pre2_r[] = {"OK 42\n", "OK 43\n",
				"OK 43 met 67108864 3600\n", NULL};
	const char *full_r[] = {"ERR full the reservation table is full\n",
				NULL};
	char *pre[] = {"gm", rundir_arg, "--upgrade_reserve=64m",
		       "--apt-hook=pre", NULL};
	char *post[] = {"gm", rundir_arg, "--apt-hook=post", NULL};
	char *text;

	serve(pre_r);
	CHECK(run(pre) == 0 && !out[0] && !err[0], "pre: 0, silent: %s%s",
	      out, err);
	unserve();
	CHECK_STR(reqs, "GM1 RESERVE 67108864 3600\nGM1 STATUS 42\n",
		  "pre reserves upgrade_reserve");
	text = slurp_text(id_path);
	CHECK(text && strcmp(text, "42\n") == 0, "id kept for post: %s",
	      text ? text : "(none)");

	serve(post_r);
	CHECK(run(post) == 0 && !out[0] && !err[0], "post: 0, silent");
	unserve();
	CHECK_STR(reqs, "GM1 RENEW 42 120\n",
		  "post: the kept id ends in 120 s (apt's cache build after)");
	text = slurp_text(id_path);
	CHECK(text && strcmp(text, "42\n") == 0,
	      "id kept for the next pre: %s", text ? text : "(none)");

	/* The next pre ends it before its own. */
	serve(pre2_r);
	CHECK(run(pre) == 0 && !out[0] && !err[0], "pre again: 0, silent");
	unserve();
	CHECK_STR(reqs, "GM1 RELEASE 42\nGM1 RESERVE 67108864 3600\n"
			"GM1 STATUS 43\n",
		  "pre again: the last one released, a new one reserved");

	/* A post whose reservation is gone: nothing kept. */
	serve(unknown_r);
	CHECK(run(post) == 0 && !out[0] && !err[0], "post, unknown: 0, silent");
	unserve();
	CHECK_STR(reqs, "GM1 RENEW 43 120\n", "post renews");
	CHECK(access(id_path, F_OK) < 0, "id file gone when unknown");

	/* Refused: still 0 and one line. */
	serve(full_r);
	CHECK(run(pre) == 0 && lines(out) == 1 &&
		      strstr(out, "no swap reserved for apt: refused") &&
		      !err[0],
	      "pre refused: %s", out);
	unserve();
	CHECK(access(id_path, F_OK) < 0, "no id kept when refused");
}

int main(void)
{
	if (t_mkdtemp(dir) < 0)
		T_END();
	snprintf(rundir_arg, sizeof(rundir_arg), "--rundir=%s", dir);
	snprintf(ran_path, sizeof(ran_path), "%s/ran", dir);
	snprintf(req_path, sizeof(req_path), "%s/requests", dir);
	snprintf(id_path, sizeof(id_path), "%s/apt-hook.id", dir);
	test_args();
	test_usage();
	test_no_daemon();
	test_apt_no_daemon();
	test_wrapper();
	test_reserve();
	test_apt();
	rm_tree(dir);
	T_END();
}
