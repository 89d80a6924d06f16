/* The control socket: AF_UNIX, SOCK_STREAM, RUNDIR/ctl, mode 0600,
 * root's only (SO_PEERCRED).  The daemon's loop polls it and calls
 * ctl_service, which never blocks: at most CTL_MAX_CLIENTS at once (more
 * are answered "busy"), a request of at most CTLP_MAX bytes, and
 * CTL_CLIENT_MS for it to arrive, after which the client is dropped.
 * What a request means is the caller's (the handler); the protocol is
 * ctlproto.c's. */
#ifndef GM_CTL_H
#define GM_CTL_H

#include "ctlproto.h"

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define CTL_MAX_CLIENTS 16
#define CTL_CLIENT_MS 2000
#define CTL_SOCKET_NAME "ctl"
/* Connections taken in by one ctl_service call: a flood waits for the
 * next one instead of holding the loop. */
#define CTL_ACCEPT_BURST 64
/* accept(2) short of fds or memory: the socket rests this long. */
#define CTL_ACCEPT_PAUSE_MS 1000

struct ctl_client {
	int fd;                /* -1: free */
	int64_t deadline_ms;   /* dropped if the request is not whole by then */
	size_t len;            /* bytes received */
	char buf[CTLP_MAX];
};

struct ctl_stats {
	unsigned long served;  /* requests answered (OK or ERR) */
	unsigned long busy;    /* refused: too many clients */
	unsigned long denied;  /* refused: not root */
	unsigned long dropped; /* no whole request in time, or hung up */
};

/* All zero (a daemon that never opened it) reads as closed. */
struct ctl {
	bool open;             /* lfd and the clients are valid */
	int lfd;               /* listening socket, or -1: no socket */
	char path[108];        /* its name (sun_path) */
	dev_t dev;             /* the node we bound, removed only if it */
	ino_t ino;             /*   is still ours */
	struct ctl_client c[CTL_MAX_CLIENTS];
	int nclients;
	int64_t accept_pause_ms; /* after accept(2) failed for want of
				  * memory or fds: not polled until then */
	struct ctl_stats st;
};

/* Answer one whole request: write the reply line (with its newline)
 * into reply, return its length. */
typedef size_t (*ctl_handler)(void *ctx, const struct ctlp_req *req,
			      int64_t now_ms, char *reply, size_t len);

/* Nothing open (ctl_close is safe). */
void ctl_init(struct ctl *c);

/* Bind RUNDIR/ctl: RUNDIR must be a real directory of root's that only
 * root may write; a stale socket left by a dead daemon is replaced, a
 * live one (another daemon answers) or anything else of that name is
 * left alone.  0, or -errno with the reason in err. */
int ctl_open(struct ctl *c, const char *rundir, char *err, size_t errlen);

/* Close every client and the socket; remove the node if still ours. */
void ctl_close(struct ctl *c);

/* The fds to poll for POLLIN (the socket, then each client): how many
 * were written to p (at most 1 + CTL_MAX_CLIENTS). */
int ctl_pollfds(const struct ctl *c, struct pollfd *p);

/* The earliest client deadline (or the end of a pause in accepting),
 * or -1 when nothing waits: call ctl_service then. */
int64_t ctl_next_deadline(const struct ctl *c);

/* Take in new clients, read what the others sent, answer each whole
 * request through h, drop those past their deadline.  Never blocks.
 * How many requests were answered by h. */
int ctl_service(struct ctl *c, int64_t now_ms, ctl_handler h, void *ctx);

/* Client side: connect to RUNDIR/ctl, send line, read the reply line
 * (waiting at most timeout_ms).  Reply length, or -errno (-ENOENT and
 * -ECONNREFUSED: no daemon; -EACCES: not root's socket to use). */
int ctl_request(const char *rundir, const char *line, size_t n,
		char *reply, size_t len, int timeout_ms);

#endif
