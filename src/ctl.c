/* The control socket's plumbing (ctl.h).  Every peer is hostile until
 * SO_PEERCRED says root, and even then it gets one bounded request, a
 * deadline, and no blocking call. */
#include "ctl.h"

#include "errbuf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

void ctl_init(struct ctl *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->lfd = -1;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		c->c[i].fd = -1;
}

static int sock_path(struct sockaddr_un *sa, const char *rundir)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if ((size_t)snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s",
			     rundir, CTL_SOCKET_NAME) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	return 0;
}

/* Does a daemon answer on sa?  Only to tell a stale node from a live
 * one: a connect to a dead socket is refused at once. */
static bool live(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	bool up;

	if (fd < 0)
		return false;
	up = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ||
	     errno == EAGAIN;
	close(fd);
	return up;
}

int ctl_open(struct ctl *c, const char *rundir, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd, rc;

	ctl_init(c);
	if (sock_path(&sa, rundir) < 0) {
		seterr(err, errlen, "%s/%s: name too long for a socket", rundir,
		       CTL_SOCKET_NAME);
		return -ENAMETOOLONG;
	}
	/* Only root may have put anything in the directory. */
	if (lstat(rundir, &st) < 0) {
		rc = -errno;
		seterr(err, errlen, "%s: %s", rundir, strerror(errno));
		return rc;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022)) {
		seterr(err, errlen, "%s is not a directory only root may write "
				    "(owner %u, mode %04o%s)", rundir,
		       (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777),
		       S_ISLNK(st.st_mode) ? ", a symbolic link" : "");
		return -EPERM;
	}
	if (lstat(sa.sun_path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			seterr(err, errlen, "%s exists and is not a socket; "
					    "not touching it", sa.sun_path);
			return -EEXIST;
		}
		if (live(&sa)) {
			seterr(err, errlen, "another daemon answers on %s",
			       sa.sun_path);
			return -EADDRINUSE;
		}
		/* A dead daemon's: bind needs the name free. */
		if (unlink(sa.sun_path) < 0 && errno != ENOENT) {
			rc = -errno;
			seterr(err, errlen, "cannot remove the stale %s: %s",
			       sa.sun_path, strerror(errno));
			return rc;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		rc = -errno;
		seterr(err, errlen, "socket: %s", strerror(errno));
		return rc;
	}
	/* Made 0600 from the start: never a moment others may connect.
	 * (The workers create files with explicit modes the umask only
	 * narrows.) */
	old = umask(0177);
	rc = bind(fd, (const struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(fd, CTL_ACCEPT_BURST) < 0 ||
	    lstat(sa.sun_path, &st) < 0) {
		rc = -errno;
		seterr(err, errlen, "%s: %s", sa.sun_path, strerror(errno));
		close(fd);
		return rc;
	}
	c->lfd = fd;
	c->open = true;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	memcpy(c->path, sa.sun_path, sizeof(c->path));
	return 0;
}

static void drop(struct ctl *c, struct ctl_client *cl)
{
	close(cl->fd);
	cl->fd = -1;
	cl->len = 0;
	c->nclients--;
}

/* One short reply; a peer that cannot take it at once loses it. */
static void say(int fd, const char *buf, size_t n)
{
	if (n)
		(void)!send(fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void say_err(int fd, enum ctlp_rc rc)
{
	char reply[CTLP_REPLY_MAX];

	say(fd, reply, ctlp_format_err(rc, reply, sizeof(reply)));
}

void ctl_close(struct ctl *c)
{
	struct stat st;
	int i;

	if (!c->open)
		return;
	c->open = false;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (c->c[i].fd >= 0)
			drop(c, &c->c[i]);
	close(c->lfd);
	c->lfd = -1;
	/* Not a node someone put in our place. */
	if (lstat(c->path, &st) == 0 && st.st_dev == c->dev &&
	    st.st_ino == c->ino)
		unlink(c->path);
}

int ctl_pollfds(const struct ctl *c, struct pollfd *p)
{
	int i, n = 0;

	if (!c->open)
		return 0;
	/* Paused: a pending connection would wake poll at once, again and
	 * again. */
	if (!c->accept_pause_ms) {
		p[n].fd = c->lfd;
		p[n].events = POLLIN;
		p[n++].revents = 0;
	}
	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		if (c->c[i].fd < 0)
			continue;
		p[n].fd = c->c[i].fd;
		p[n].events = POLLIN;
		p[n++].revents = 0;
	}
	return n;
}

int64_t ctl_next_deadline(const struct ctl *c)
{
	int64_t t = c->accept_pause_ms ? c->accept_pause_ms : -1;
	int i;

	if (!c->open)
		return -1;

	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (c->c[i].fd >= 0 && (t < 0 || c->c[i].deadline_ms < t))
			t = c->c[i].deadline_ms;
	return t;
}

/* A new connection: root's, and a free slot, or it is told why not. */
static void take(struct ctl *c, int fd, int64_t now_ms)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	int i;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0 ||
	    cl != sizeof(cred) || cred.uid != 0) {
		c->st.denied++;
		say_err(fd, CTLP_E_DENIED);
		close(fd);
		return;
	}
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (c->c[i].fd < 0)
			break;
	if (i == CTL_MAX_CLIENTS) {
		c->st.busy++;
		say_err(fd, CTLP_E_BUSY);
		close(fd);
		return;
	}
	c->c[i].fd = fd;
	c->c[i].len = 0;
	c->c[i].deadline_ms = now_ms + CTL_CLIENT_MS;
	c->nclients++;
}

/* Read what cl sent; answer once the request is whole or bad.  1 when
 * h answered it, else 0. */
static int serve(struct ctl *c, struct ctl_client *cl, int64_t now_ms,
		 ctl_handler h, void *ctx)
{
	struct ctlp_req req;
	enum ctlp_rc rc;
	ssize_t n;
	bool eof = false;

	n = recv(cl->fd, cl->buf + cl->len, sizeof(cl->buf) - cl->len,
		 MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n < 0) {
		c->st.dropped++;
		drop(c, cl);
		return 0;
	}
	if (n == 0)
		eof = true;
	cl->len += (size_t)n;
	rc = ctlp_parse(cl->buf, cl->len, &req);
	if (rc == CTLP_INCOMPLETE) {
		if (eof) {
			/* Hung up before a whole line: nobody to answer. */
			c->st.dropped++;
			drop(c, cl);
		}
		return 0;
	}
	c->st.served++;
	if (rc == CTLP_OK) {
		char reply[CTLP_REPLY_MAX];

		say(cl->fd, reply, h(ctx, &req, now_ms, reply, sizeof(reply)));
		drop(c, cl);
		return 1;
	}
	say_err(cl->fd, rc);
	drop(c, cl);
	return 0;
}

int ctl_service(struct ctl *c, int64_t now_ms, ctl_handler h, void *ctx)
{
	int i, answered = 0;

	if (!c->open)
		return 0;
	if (c->accept_pause_ms && now_ms >= c->accept_pause_ms)
		c->accept_pause_ms = 0;
	for (i = 0; i < CTL_ACCEPT_BURST && !c->accept_pause_ms; i++) {
		int fd = accept4(c->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			take(c, fd, now_ms);
			continue;
		}
		/* Out of fds or memory: the connection stays queued; try
		 * again in a while rather than at every wake-up. */
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM)
			c->accept_pause_ms = now_ms + CTL_ACCEPT_PAUSE_MS;
		break; /* EAGAIN: no more; anything else: next time */
	}
	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		struct ctl_client *cl = &c->c[i];

		if (cl->fd < 0)
			continue;
		answered += serve(c, cl, now_ms, h, ctx);
		if (cl->fd >= 0 && now_ms >= cl->deadline_ms) {
			c->st.dropped++;
			say_err(cl->fd, CTLP_E_TIMEOUT);
			drop(c, cl);
		}
	}
	return answered;
}

int ctl_request(const char *rundir, const char *line, size_t n,
		char *reply, size_t len, int timeout_ms)
{
	struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
	struct sockaddr_un sa;
	size_t got = 0;
	int fd, rc;

	if ((rc = sock_path(&sa, rundir)) < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Both bound connect(2) on a full backlog and every read. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	/* A daemon that refuses (busy, denied) answers and closes before
	 * reading: the send fails, the answer is still there to read. */
	rc = send(fd, line, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -errno;
	while (got + 1 < len) {
		ssize_t k = recv(fd, reply + got, len - 1 - got, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = rc < 0 ? rc : errno == EAGAIN ? -ETIMEDOUT : -errno;
			close(fd);
			return rc;
		}
		if (k == 0)
			break;
		got += (size_t)k;
		if (memchr(reply, '\n', got))
			break;
	}
	close(fd);
	reply[got] = '\0';
	if (!got && rc < 0)
		return rc;
	return (int)got;
}
