/* ctlproto.c: the control protocol's parser and formatters, from good
 * requests through truncated, oversized, wrong-version, unknown-verb and
 * hostile ones; replies both ways. */
#include "ctlproto.h"
#include "t.h"

#include <stdlib.h>

struct req_case {
	const char *name;
	const char *buf;
	size_t len; /* 0: strlen(buf) */
	enum ctlp_rc want;
	enum ctlp_verb verb;
	uint64_t bytes;
	int64_t ttl_s;
	uint32_t id;
};

static const struct req_case reqs[] = {
	{"reserve", "GM1 RESERVE 1073741824 3600\n", 0, CTLP_OK, CTLP_RESERVE,
	 1073741824ULL, 3600, 0},
	{"reserve max", "GM1 RESERVE 1125899906842624 604800\n", 0, CTLP_OK,
	 CTLP_RESERVE, 1ULL << 50, 604800, 0},
	{"release", "GM1 RELEASE 42\n", 0, CTLP_OK, CTLP_RELEASE, 0, 0, 42},
	{"status", "GM1 STATUS 4294967295\n", 0, CTLP_OK, CTLP_STATUS, 0, 0,
	 4294967295u},
	{"renew", "GM1 RENEW 42 120\n", 0, CTLP_OK, CTLP_RENEW, 0, 120, 42},
	{"renew max", "GM1 RENEW 4294967295 604800\n", 0, CTLP_OK, CTLP_RENEW,
	 0, 604800, 4294967295u},
	{"renew no ttl", "GM1 RENEW 42\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"renew zero ttl", "GM1 RENEW 42 0\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"renew ttl too long", "GM1 RENEW 42 604801\n", 0, CTLP_E_SYNTAX, 0, 0,
	 0, 0},
	{"renew id zero", "GM1 RENEW 0 60\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"renew ttl zero-led", "GM1 RENEW 42 060\n", 0, CTLP_E_SYNTAX, 0, 0, 0,
	 0},
	/* truncated: not whole yet, so wait for more */
	{"empty", "", 0, CTLP_INCOMPLETE, 0, 0, 0, 0},
	{"half magic", "GM", 0, CTLP_INCOMPLETE, 0, 0, 0, 0},
	{"no newline", "GM1 RESERVE 1024 60", 0, CTLP_INCOMPLETE, 0, 0, 0, 0},
	/* wrong version: refused as soon as the first bytes show it */
	{"version 2", "GM2 RESERVE 1024 60\n", 0, CTLP_E_VERSION, 0, 0, 0, 0},
	{"version 2 early", "GM2", 0, CTLP_E_VERSION, 0, 0, 0, 0},
	{"lower case", "gm1 RESERVE 1024 60\n", 0, CTLP_E_VERSION, 0, 0, 0, 0},
	{"http", "GET / HTTP/1.0\r\n", 0, CTLP_E_VERSION, 0, 0, 0, 0},
	{"no space", "GM1\n", 0, CTLP_E_VERSION, 0, 0, 0, 0},
	/* unknown verbs */
	{"unknown verb", "GM1 GROW 1024\n", 0, CTLP_E_VERB, 0, 0, 0, 0},
	{"verb case", "GM1 reserve 1024 60\n", 0, CTLP_E_VERB, 0, 0, 0, 0},
	{"verb prefix", "GM1 RESERVEX 1024 60\n", 0, CTLP_E_VERB, 0, 0, 0, 0},
	/* syntax */
	{"verb missing", "GM1 \n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"too few args", "GM1 RESERVE 1024\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"too many args", "GM1 RELEASE 1 2\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"far too many", "GM1 RELEASE 1 2 3 4 5\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"double space", "GM1 RELEASE  1\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"trailing space", "GM1 RELEASE 1 \n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"crlf", "GM1 RELEASE 1\r\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"zero size", "GM1 RESERVE 0 60\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"zero ttl", "GM1 RESERVE 1024 0\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"ttl too long", "GM1 RESERVE 1024 604801\n", 0, CTLP_E_SYNTAX, 0, 0,
	 0, 0},
	{"size too big", "GM1 RESERVE 1125899906842625 60\n", 0, CTLP_E_SYNTAX,
	 0, 0, 0, 0},
	{"size overflow", "GM1 RESERVE 99999999999999999999999 60\n", 0,
	 CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"size suffix", "GM1 RESERVE 1g 60\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"negative", "GM1 RESERVE -1 60\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"leading zero", "GM1 RELEASE 01\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"id zero", "GM1 RELEASE 0\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"id too big", "GM1 STATUS 4294967296\n", 0, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"after newline", "GM1 RELEASE 1\nGM1 RELEASE 2\n", 0, CTLP_E_SYNTAX,
	 0, 0, 0, 0},
	{"nul inside", "GM1 RELEASE 1\0\n", 15, CTLP_E_SYNTAX, 0, 0, 0, 0},
	{"nul in number", "GM1 RELEASE \0001\n", 15, CTLP_E_SYNTAX, 0, 0, 0, 0},
};

static void test_requests(void)
{
	size_t i;

	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		const struct req_case *c = &reqs[i];
		size_t len = c->len ? c->len : strlen(c->buf);
		/* An exact-size copy: a read past len shows under ASan. */
		char *b = malloc(len ? len : 1);
		struct ctlp_req r;
		enum ctlp_rc rc;

		memcpy(b, c->buf, len);
		rc = ctlp_parse(b, len, &r);
		CHECK(rc == c->want, "%s: rc %d, want %d", c->name, (int)rc,
		      (int)c->want);
		if (rc == CTLP_OK && c->want == CTLP_OK) {
			CHECK(r.verb == c->verb, "%s: verb %d", c->name,
			      (int)r.verb);
			CHECK_EQ_U(r.bytes, c->bytes, c->name);
			CHECK_EQ_U(r.ttl_s, c->ttl_s, c->name);
			CHECK_EQ_U(r.id, c->id, c->name);
		}
		free(b);
	}
}

/* Oversized: CTLP_MAX bytes without a newline, and a newline that comes
 * only after them, are both too long; one byte less still waits. */
static void test_oversized(void)
{
	char buf[CTLP_MAX * 4];
	struct ctlp_req r;

	memcpy(buf, "GM1 RESERVE ", 12);
	memset(buf + 12, '1', sizeof(buf) - 12);
	CHECK(ctlp_parse(buf, CTLP_MAX - 1, &r) == CTLP_INCOMPLETE,
	      "127 bytes should still wait");
	CHECK(ctlp_parse(buf, CTLP_MAX, &r) == CTLP_E_TOOLONG,
	      "128 bytes without a newline");
	buf[CTLP_MAX + 5] = '\n';
	CHECK(ctlp_parse(buf, CTLP_MAX + 6, &r) == CTLP_E_TOOLONG,
	      "newline past the limit");
	CHECK(ctlp_parse(buf, sizeof(buf), &r) == CTLP_E_TOOLONG,
	      "512 bytes");
	/* Exactly at the limit with its newline: parsed (and refused for
	 * its huge number, not its length). */
	buf[CTLP_MAX - 1] = '\n';
	CHECK(ctlp_parse(buf, CTLP_MAX, &r) == CTLP_E_SYNTAX,
	      "a 128-byte line is judged on its content");
}

/* Every prefix of a good request waits for more; never an error. */
static void test_prefixes(void)
{
	const char *good = "GM1 RESERVE 1073741824 3600\n";
	size_t n, len = strlen(good);
	struct ctlp_req r;

	for (n = 0; n < len; n++)
		CHECK(ctlp_parse(good, n, &r) == CTLP_INCOMPLETE,
		      "prefix of %zu bytes", n);
}

static void test_format_roundtrip(void)
{
	struct ctlp_req in = {CTLP_RESERVE, 536870912ULL, 3600, 0}, out;
	char buf[CTLP_MAX];
	size_t n;

	n = ctlp_format_req(&in, buf, sizeof(buf));
	CHECK(n > 0 && ctlp_parse(buf, n, &out) == CTLP_OK &&
		      out.bytes == in.bytes && out.ttl_s == in.ttl_s,
	      "RESERVE round trip: %.*s", (int)n, buf);
	in.verb = CTLP_RELEASE;
	in.id = 77;
	n = ctlp_format_req(&in, buf, sizeof(buf));
	CHECK(n > 0 && ctlp_parse(buf, n, &out) == CTLP_OK &&
		      out.verb == CTLP_RELEASE && out.id == 77,
	      "RELEASE round trip");
	in.verb = CTLP_RENEW;
	in.ttl_s = 120;
	n = ctlp_format_req(&in, buf, sizeof(buf));
	CHECK(n > 0 && ctlp_parse(buf, n, &out) == CTLP_OK &&
		      out.verb == CTLP_RENEW && out.id == 77 &&
		      out.ttl_s == 120,
	      "RENEW round trip: %.*s", (int)n, buf);
	CHECK(ctlp_format_req(&in, buf, 5) == 0, "a short buffer gives 0");
}

static void test_replies(void)
{
	struct ctlp_reply rep;
	char buf[CTLP_REPLY_MAX];
	size_t n;
	int c;

	CHECK(ctlp_parse_reply("OK 12\n", 6, &rep) == 0 && rep.ok &&
		      rep.id == 12 && rep.met == -1,
	      "OK id");
	CHECK(ctlp_parse_reply("OK 12 met 1048576 3599\n", 23, &rep) == 0 &&
		      rep.met == 1 && rep.bytes == 1048576 &&
		      rep.ttl_left_s == 3599,
	      "OK status met");
	CHECK(ctlp_parse_reply("OK 12 pending 1 0\n", 18, &rep) == 0 &&
		      rep.met == 0,
	      "OK status pending");
	CHECK(ctlp_parse_reply("OK 12 maybe 1 0\n", 16, &rep) < 0,
	      "bad status word");
	CHECK(ctlp_parse_reply("OK 12", 5, &rep) < 0, "no newline");
	CHECK(ctlp_parse_reply("OK x\n", 5, &rep) < 0, "bad id");
	CHECK(ctlp_parse_reply("HELLO\n", 6, &rep) < 0, "not a reply");
	/* Every error code formats and parses back to itself. */
	for (c = CTLP_E_TOOLONG; c < CTLP_NCODES; c++) {
		n = ctlp_format_err((enum ctlp_rc)c, buf, sizeof(buf));
		CHECK(n > 0 && ctlp_parse_reply(buf, n, &rep) == 0 &&
			      !rep.ok && rep.err == (enum ctlp_rc)c &&
			      rep.msg[0],
		      "ERR code %d: %.*s", c, (int)n, buf);
	}
	/* A hostile message: control bytes are dropped. */
	CHECK(ctlp_parse_reply("ERR busy a\033[2Jb\n", 16, &rep) == 0 &&
		      strcmp(rep.msg, "a[2Jb") == 0,
	      "escape dropped: '%s'", rep.msg);
	CHECK(ctlp_parse_reply("ERR whatever x\n", 15, &rep) == 0 &&
		      rep.err == CTLP_NCODES,
	      "unknown code");
	CHECK(strcmp(ctlp_code_name(CTLP_OK), "?") == 0 &&
		      strcmp(ctlp_code_name(CTLP_NCODES), "?") == 0,
	      "no name for non-errors");
}

int main(void)
{
	test_requests();
	test_oversized();
	test_prefixes();
	test_format_roundtrip();
	test_replies();
	T_END();
}
