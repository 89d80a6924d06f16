/* ctl.c: the control socket's plumbing on a real AF_UNIX socket in a
 * temporary directory: the run directory's checks, a stale socket
 * replaced and a live one or a foreign file left alone, mode 0600, a
 * request answered, the client limit ("busy"), the deadline of a client
 * that never writes, an oversized request, and the node removed at close
 * only while it is ours.  As root (CI); otherwise only what a user can
 * see: a directory not root's is refused. */
#include "ctl.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char dir[64], path[100];
static int handled;

static size_t echo_handler(void *ctx, const struct ctlp_req *req,
			   int64_t now_ms, char *reply, size_t len)
{
	(void)ctx;
	(void)now_ms;
	handled++;
	return (size_t)snprintf(reply, len, "OK %u\n", (unsigned)req->id);
}

/* A connected client (non-blocking), or -1. */
static int client(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void reply_of(int fd, char *buf, size_t len)
{
	ssize_t n = read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
}

/* A daemon that never opened the socket (a zeroed struct): nothing to
 * poll, no deadline, nothing served, nothing closed (fd 0 is not ours). */
static void test_zeroed(void)
{
	struct ctl c;
	struct pollfd p[1 + CTL_MAX_CLIENTS];

	memset(&c, 0, sizeof(c));
	CHECK(ctl_pollfds(&c, p) == 0 && ctl_next_deadline(&c) == -1 &&
		      ctl_service(&c, 1000, echo_handler, NULL) == 0,
	      "a zeroed ctl is closed");
	ctl_close(&c);
	CHECK(fcntl(0, F_GETFD) >= 0 || errno != EBADF, "fd 0 left alone");
}

static void test_not_root_dir(void)
{
	struct ctl c;
	char err[300];

	/* As a user the directory is the user's; as root, given away. */
	if (geteuid() == 0)
		CHECK(chown(dir, 1234, 1234) == 0, "chown");
	CHECK(ctl_open(&c, dir, err, sizeof(err)) == -EPERM &&
		      strstr(err, "only root may write"),
	      "a directory not root's: %s", err);
	CHECK(c.lfd < 0 && access(path, F_OK) < 0, "nothing bound");
	if (geteuid() == 0)
		CHECK(chown(dir, 0, 0) == 0, "chown back");
}

static void test_open_checks(void)
{
	char err[300], lnk[160], longdir[200];
	struct ctl c, c2;
	struct stat st;
	int fd;

	chmod(dir, 0777);
	CHECK(ctl_open(&c, dir, err, sizeof(err)) == -EPERM,
	      "world-writable directory: %s", err);
	chmod(dir, 0755);
	snprintf(lnk, sizeof(lnk), "%s.link", dir);
	CHECK(symlink(dir, lnk) == 0, "symlink");
	CHECK(ctl_open(&c, lnk, err, sizeof(err)) == -EPERM &&
		      strstr(err, "symbolic link"),
	      "a symlink as the directory: %s", err);
	unlink(lnk);
	memset(longdir, 'x', sizeof(longdir) - 1);
	longdir[0] = '/';
	longdir[sizeof(longdir) - 1] = '\0';
	CHECK(ctl_open(&c, longdir, err, sizeof(err)) == -ENAMETOOLONG,
	      "a name too long for sun_path");
	/* Something else of that name is not ours to remove. */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	CHECK(ctl_open(&c, dir, err, sizeof(err)) == -EEXIST &&
		      stat(path, &st) == 0 && S_ISREG(st.st_mode),
	      "a regular file at the name: %s", err);
	unlink(path);
	/* A stale socket (nobody listens) is replaced. */
	{
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
		CHECK(bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0,
		      "stale bind");
		close(s);
	}
	CHECK(ctl_open(&c, dir, err, sizeof(err)) == 0, "stale replaced: %s",
	      err);
	CHECK(stat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
		      (st.st_mode & 07777) == 0600 && st.st_uid == 0,
	      "socket mode %o", (unsigned)(st.st_mode & 07777));
	/* A live one is left alone. */
	CHECK(ctl_open(&c2, dir, err, sizeof(err)) == -EADDRINUSE &&
		      access(path, F_OK) == 0,
	      "a second daemon: %s", err);
	ctl_close(&c);
	CHECK(access(path, F_OK) < 0, "removed at close");
	/* Replaced behind our back: not removed. */
	CHECK(ctl_open(&c, dir, err, sizeof(err)) == 0, "reopen");
	unlink(path);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	ctl_close(&c);
	CHECK(access(path, F_OK) == 0, "a node not ours stays");
	unlink(path);
}

static void test_serve(void)
{
	int fds[CTL_MAX_CLIENTS + 1], i, fd;
	char err[300], buf[256], big[300];
	struct ctl c;

	CHECK(ctl_open(&c, dir, err, sizeof(err)) == 0, "open: %s", err);
	fd = client();
	CHECK(fd >= 0 && write(fd, "GM1 STATUS 7\n", 13) == 13, "send");
	CHECK(ctl_service(&c, 1000, echo_handler, NULL) == 1 && handled == 1,
	      "one request handled");
	reply_of(fd, buf, sizeof(buf));
	CHECK_STR(buf, "OK 7\n", "reply");
	close(fd);

	/* CTL_MAX_CLIENTS silent ones fill the table; one more is busy. */
	for (i = 0; i <= CTL_MAX_CLIENTS; i++)
		fds[i] = client();
	ctl_service(&c, 2000, echo_handler, NULL);
	CHECK(c.nclients == CTL_MAX_CLIENTS && c.st.busy == 1,
	      "%d clients, %lu busy", c.nclients, c.st.busy);
	reply_of(fds[CTL_MAX_CLIENTS], buf, sizeof(buf));
	CHECK(strncmp(buf, "ERR busy ", 9) == 0, "busy reply: %s", buf);
	CHECK(ctl_next_deadline(&c) == 2000 + CTL_CLIENT_MS, "deadline %lld",
	      (long long)ctl_next_deadline(&c));
	CHECK(ctl_pollfds(&c, (struct pollfd[1 + CTL_MAX_CLIENTS]){{0}}) ==
		      1 + CTL_MAX_CLIENTS,
	      "poll set");
	ctl_service(&c, 2000 + CTL_CLIENT_MS - 1, echo_handler, NULL);
	CHECK(c.nclients == CTL_MAX_CLIENTS, "kept until the deadline");
	ctl_service(&c, 2000 + CTL_CLIENT_MS, echo_handler, NULL);
	CHECK(c.nclients == 0 && c.st.dropped == CTL_MAX_CLIENTS,
	      "dropped at the deadline: %d left", c.nclients);
	reply_of(fds[0], buf, sizeof(buf));
	CHECK(strncmp(buf, "ERR timeout ", 12) == 0, "timeout reply: %s", buf);
	for (i = 0; i <= CTL_MAX_CLIENTS; i++)
		close(fds[i]);

	/* Oversized, and a wrong version at its first bytes. */
	fd = client();
	memset(big, '1', sizeof(big));
	memcpy(big, "GM1 RESERVE ", 12);
	CHECK(write(fd, big, sizeof(big)) == (ssize_t)sizeof(big), "send big");
	ctl_service(&c, 9000, echo_handler, NULL);
	reply_of(fd, buf, sizeof(buf));
	CHECK(strncmp(buf, "ERR toolong ", 12) == 0, "toolong: %s", buf);
	close(fd);
	fd = client();
	CHECK(write(fd, "GM9", 3) == 3, "send GM9");
	ctl_service(&c, 9000, echo_handler, NULL);
	reply_of(fd, buf, sizeof(buf));
	CHECK(strncmp(buf, "ERR version ", 12) == 0 && c.nclients == 0,
	      "version: %s", buf);
	close(fd);
	/* Out of fds: accept(2) fails, the socket rests a while instead of
	 * waking poll at once for ever, then the client is taken. */
	{
		struct rlimit rl, low;
		struct pollfd pfds[1 + CTL_MAX_CLIENTS];
		int probe, restored;

		fd = client();
		probe = dup(0);
		getrlimit(RLIMIT_NOFILE, &rl);
		low = rl;
		low.rlim_cur = (rlim_t)probe; /* the next fd is over it */
		close(probe);
		CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0, "lower the limit");
		ctl_service(&c, 20000, echo_handler, NULL);
		/* Under valgrind (GM_VALGRIND=1, mk/check.mk) a descriptor
		 * over the limit is closed, taking the connection with it:
		 * the kernel keeps it queued. */
		restored = setrlimit(RLIMIT_NOFILE, &rl) == 0 &&
			   !getenv("GM_VALGRIND");
		CHECK(c.accept_pause_ms == 20000 + CTL_ACCEPT_PAUSE_MS &&
			      c.nclients == 0,
		      "paused until %lld", (long long)c.accept_pause_ms);
		CHECK(ctl_pollfds(&c, pfds) == 0 &&
			      ctl_next_deadline(&c) == c.accept_pause_ms,
		      "not polled while paused, woken at its end");
		ctl_service(&c, 20000 + CTL_ACCEPT_PAUSE_MS, echo_handler,
			    NULL);
		if (restored)
			CHECK(c.accept_pause_ms == 0 && c.nclients == 1,
			      "taken after the pause (pause %lld, %d clients, busy %lu denied %lu)", (long long)c.accept_pause_ms, c.nclients, c.st.busy, c.st.denied);
		else
			printf("note: under valgrind the end of the pause is "
			       "not checked\n");
		close(fd);
	}
	ctl_close(&c);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/gm-ctl.XXXXXX");
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		T_END();
	}
	chmod(dir, 0755);
	snprintf(path, sizeof(path), "%s/%s", dir, CTL_SOCKET_NAME);
	test_zeroed();
	test_not_root_dir();
	if (geteuid() == 0) {
		test_open_checks();
		test_serve();
	} else {
		printf("note: not root: only the directory check ran\n");
	}
	unlink(path);
	rmdir(dir);
	T_END();
}
