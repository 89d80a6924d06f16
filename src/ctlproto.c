/* The control protocol, version 1 (ctlproto.h): parsing and formatting
 * only.  Every byte comes from a socket peer: nothing is trusted, nothing
 * is read past len, nothing is allocated. */
#include "ctlproto.h"

#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_TOKENS 5

static const struct {
	const char *word, *msg;
} codes[CTLP_NCODES] = {
	[CTLP_E_TOOLONG] = {"toolong", "request line too long"},
	[CTLP_E_VERSION] = {"version", "protocol version not supported (want GM1)"},
	[CTLP_E_VERB] = {"verb", "unknown request"},
	[CTLP_E_SYNTAX] = {"syntax", "malformed request"},
	[CTLP_E_DENIED] = {"denied", "only root may use the control socket"},
	[CTLP_E_BUSY] = {"busy", "too many clients, try again"},
	[CTLP_E_UNKNOWN] = {"unknown", "no such reservation"},
	[CTLP_E_FULL] = {"full", "too many reservations"},
	[CTLP_E_TIMEOUT] = {"timeout", "request not received in time"},
};

static const char *const verbs[] = {
	[CTLP_RESERVE] = "RESERVE",
	[CTLP_RELEASE] = "RELEASE",
	[CTLP_STATUS] = "STATUS",
	[CTLP_RENEW] = "RENEW",
};
static const int verb_args[] = {
	[CTLP_RESERVE] = 2,
	[CTLP_RELEASE] = 1,
	[CTLP_STATUS] = 1,
	[CTLP_RENEW] = 2,
};
#define NVERBS ((int)(sizeof(verbs) / sizeof(verbs[0])))

const char *ctlp_code_name(enum ctlp_rc rc)
{
	if ((int)rc <= 0 || rc >= CTLP_NCODES || !codes[rc].word)
		return "?";
	return codes[rc].word;
}

struct token {
	const char *p;
	size_t n;
};

/* Split [p, p+n) at single spaces; an empty token is an error. */
static int split(const char *p, size_t n, struct token *t, int max)
{
	size_t start = 0, i;
	int k = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && p[i] != ' ')
			continue;
		if (i == start || k == max)
			return -1;
		t[k].p = p + start;
		t[k].n = i - start;
		k++;
		start = i + 1;
	}
	return k;
}

static int tok_is(const struct token *t, const char *word)
{
	return t->n == strlen(word) && memcmp(t->p, word, t->n) == 0;
}

static int tok_dec(const struct token *t, uint64_t max, uint64_t *v)
{
	/* Leading zeros would make two spellings of one id. */
	if (t->n > 1 && t->p[0] == '0')
		return 0;
	return gm_parse_dec(t->p, t->n, max, v);
}

enum ctlp_rc ctlp_parse(const char *buf, size_t len, struct ctlp_req *req)
{
	static const char magic[] = "GM1 ";
	struct token t[MAX_TOKENS];
	const char *nl;
	size_t scan = len < CTLP_MAX ? len : CTLP_MAX, head;
	uint64_t a = 0, b = 0;
	int n, v;

	memset(req, 0, sizeof(*req));
	/* A wrong start is refused at once, before the line is whole. */
	head = scan < sizeof(magic) - 1 ? scan : sizeof(magic) - 1;
	if (memcmp(buf, magic, head) != 0)
		return CTLP_E_VERSION;
	nl = memchr(buf, '\n', scan);
	if (!nl)
		return len >= CTLP_MAX ? CTLP_E_TOOLONG : CTLP_INCOMPLETE;
	if ((size_t)(nl - buf) + 1 != len || memchr(buf, '\0', len))
		return CTLP_E_SYNTAX;
	n = split(buf, (size_t)(nl - buf), t, MAX_TOKENS);
	if (n < 0)
		return CTLP_E_SYNTAX;
	if (n < 2)
		return CTLP_E_VERB;
	for (v = 1; v < NVERBS; v++)
		if (tok_is(&t[1], verbs[v]))
			break;
	if (v == NVERBS)
		return CTLP_E_VERB;
	if (n != 2 + verb_args[v])
		return CTLP_E_SYNTAX;
	req->verb = (enum ctlp_verb)v;
	if (v == CTLP_RESERVE) {
		if (!tok_dec(&t[2], CTLP_MAX_BYTES, &a) || a == 0 ||
		    !tok_dec(&t[3], CTLP_MAX_TTL_S, &b) || b == 0)
			return CTLP_E_SYNTAX;
		req->bytes = a;
		req->ttl_s = (int64_t)b;
		return CTLP_OK;
	}
	if (!tok_dec(&t[2], CTLP_MAX_ID, &a) || a == 0)
		return CTLP_E_SYNTAX;
	req->id = (uint32_t)a;
	if (v == CTLP_RENEW) {
		if (!tok_dec(&t[3], CTLP_MAX_TTL_S, &b) || b == 0)
			return CTLP_E_SYNTAX;
		req->ttl_s = (int64_t)b;
	}
	return CTLP_OK;
}

static size_t fit(int n, size_t len)
{
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

size_t ctlp_format_req(const struct ctlp_req *req, char *buf, size_t len)
{
	int n;

	switch (req->verb) {
	case CTLP_RESERVE:
		n = snprintf(buf, len, "GM1 RESERVE %" PRIu64 " %" PRId64 "\n",
			     req->bytes, req->ttl_s);
		break;
	case CTLP_RENEW:
		n = snprintf(buf, len, "GM1 RENEW %" PRIu32 " %" PRId64 "\n",
			     req->id, req->ttl_s);
		break;
	case CTLP_RELEASE:
	case CTLP_STATUS:
		n = snprintf(buf, len, "GM1 %s %" PRIu32 "\n", verbs[req->verb],
			     req->id);
		break;
	default:
		n = -1;
		break;
	}
	return fit(n, len);
}

size_t ctlp_format_err(enum ctlp_rc rc, char *buf, size_t len)
{
	const char *msg = (int)rc > 0 && rc < CTLP_NCODES && codes[rc].msg
				  ? codes[rc].msg
				  : "internal error";

	return fit(snprintf(buf, len, "ERR %s %s\n", ctlp_code_name(rc), msg),
		   len);
}

int ctlp_parse_reply(const char *buf, size_t len, struct ctlp_reply *rep)
{
	struct token t[MAX_TOKENS];
	const char *nl = memchr(buf, '\n', len);
	uint64_t v;
	int n;

	memset(rep, 0, sizeof(*rep));
	rep->met = -1;
	rep->err = CTLP_NCODES;
	if (!nl || (size_t)(nl - buf) >= CTLP_REPLY_MAX ||
	    memchr(buf, '\0', (size_t)(nl - buf)))
		return -1;
	len = (size_t)(nl - buf);
	if (len > 4 && memcmp(buf, "ERR ", 4) == 0) {
		const char *sp = memchr(buf + 4, ' ', len - 4);
		size_t wl = sp ? (size_t)(sp - buf - 4) : len - 4, i, m;
		int c;

		for (c = 1; c < CTLP_NCODES; c++)
			if (codes[c].word && strlen(codes[c].word) == wl &&
			    memcmp(codes[c].word, buf + 4, wl) == 0)
				rep->err = (enum ctlp_rc)c;
		/* Only printable bytes of the message reach a terminal. */
		for (i = sp ? (size_t)(sp - buf) + 1 : len, m = 0; i < len; i++)
			if (buf[i] >= ' ' && buf[i] < 0x7f)
				rep->msg[m++] = buf[i];
		rep->msg[m] = '\0';
		return 0;
	}
	n = split(buf, len, t, MAX_TOKENS);
	if ((n != 2 && n != 5) || !tok_is(&t[0], "OK") ||
	    !tok_dec(&t[1], CTLP_MAX_ID, &v) || v == 0)
		return -1;
	rep->ok = 1;
	rep->id = (uint32_t)v;
	if (n == 2)
		return 0;
	if (tok_is(&t[2], "met"))
		rep->met = 1;
	else if (tok_is(&t[2], "pending"))
		rep->met = 0;
	else
		return -1;
	if (!tok_dec(&t[3], CTLP_MAX_BYTES, &rep->bytes) ||
	    !tok_dec(&t[4], CTLP_MAX_TTL_S, &v))
		return -1;
	rep->ttl_left_s = (int64_t)v;
	return 0;
}
