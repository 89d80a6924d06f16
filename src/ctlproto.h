/* The control socket's protocol, version 1: one request line per
 * connection, one reply line, then the daemon closes.  Pure: requests
 * are parsed from a buffer and replies formatted into one (ctl.c moves
 * the bytes, client.c speaks it).  ghostmemory(8) documents it.
 *
 *   request  = "GM1 " verb [" " arg]... "\n"     at most CTLP_MAX bytes
 *   RESERVE <bytes> <ttl_s>  ->  "OK <id>"
 *   RELEASE <id>             ->  "OK <id>"
 *   RENEW <id> <ttl_s>       ->  "OK <id>"   (now ends ttl_s from now)
 *   STATUS <id>              ->  "OK <id> met|pending <bytes> <ttl_left_s>"
 *   any error                ->  "ERR <code> <message>"
 *
 * Numbers are plain decimal digits.  Tokens are separated by one space;
 * nothing follows the newline. */
#ifndef GM_CTLPROTO_H
#define GM_CTLPROTO_H

#include <stddef.h>
#include <stdint.h>

/* A request line, newline included, is never longer. */
#define CTLP_MAX 128
/* A reply line, newline included, is never longer. */
#define CTLP_REPLY_MAX 160
/* RESERVE's limits: 1 byte to 2^50 (1 PiB), TTL 1 s to 7 days. */
#define CTLP_MAX_BYTES (1ULL << 50)
#define CTLP_MAX_TTL_S (7 * 86400)
/* Ids are 1 to this. */
#define CTLP_MAX_ID 4294967295ULL

enum ctlp_verb {
	CTLP_RESERVE = 1,
	CTLP_RELEASE,
	CTLP_STATUS,
	CTLP_RENEW,
};

/* What parsing a buffer found.  The errors' wire codes are
 * ctlp_code_name's. */
enum ctlp_rc {
	CTLP_OK = 0,         /* a whole, valid request */
	CTLP_INCOMPLETE,     /* no newline yet, and room for one */
	CTLP_E_TOOLONG,      /* CTLP_MAX bytes without a newline */
	CTLP_E_VERSION,      /* not "GM1 " */
	CTLP_E_VERB,         /* unknown verb */
	CTLP_E_SYNTAX,       /* bad arguments, bytes after the line, NUL */
	/* Not from the parser: what the daemon answers. */
	CTLP_E_DENIED,       /* the peer is not root */
	CTLP_E_BUSY,         /* too many clients at once */
	CTLP_E_UNKNOWN,      /* no reservation with this id */
	CTLP_E_FULL,         /* the reservation table is full */
	CTLP_E_TIMEOUT,      /* the request did not come in time */
	CTLP_NCODES
};

struct ctlp_req {
	enum ctlp_verb verb;
	uint64_t bytes;    /* RESERVE */
	int64_t ttl_s;     /* RESERVE, RENEW */
	uint32_t id;       /* RELEASE, STATUS, RENEW */
};

/* Parse the bytes received so far (len of them; may hold NULs). */
enum ctlp_rc ctlp_parse(const char *buf, size_t len, struct ctlp_req *req);

/* The wire word of an error code ("toolong", "busy" ...), or "?". */
const char *ctlp_code_name(enum ctlp_rc rc);

/* Format a request line (client side).  Its length, or 0 when it does
 * not fit (never with CTLP_MAX bytes). */
size_t ctlp_format_req(const struct ctlp_req *req, char *buf, size_t len);

/* "ERR <code> <message>\n" with the code's standard message. */
size_t ctlp_format_err(enum ctlp_rc rc, char *buf, size_t len);

/* A parsed reply (client side). */
struct ctlp_reply {
	int ok;                 /* 1: OK, 0: ERR */
	enum ctlp_rc err;       /* ERR: the code (CTLP_NCODES if unknown) */
	uint32_t id;            /* OK: the id */
	int met;                /* STATUS: 1 met, 0 pending, -1 not said */
	uint64_t bytes;         /* STATUS */
	int64_t ttl_left_s;     /* STATUS */
	char msg[CTLP_REPLY_MAX]; /* ERR: the message, printable only */
};

/* Parse one reply line.  0, or -1 when it is not one. */
int ctlp_parse_reply(const char *buf, size_t len, struct ctlp_reply *rep);

#endif
