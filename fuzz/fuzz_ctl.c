/* libFuzzer target: the control protocol (ctlp_parse, ctlp_parse_reply).
 * Properties: a request is whole (CTLP_OK) only with exactly one
 * newline, at the end, within CTLP_MAX bytes; its numbers are in range;
 * formatting it again gives back the same bytes (one spelling per
 * request); every prefix of a whole request is CTLP_INCOMPLETE; an
 * input of CTLP_MAX bytes or more is never incomplete.  The same bytes
 * as a reply: a parsed ERR message holds printable bytes only. */
#include "ctlproto.h"
#include "fuzz.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static int fuzz_ctl_one(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct ctlp_req req, again;
	struct ctlp_reply rep;
	char out[CTLP_MAX];
	enum ctlp_rc rc = ctlp_parse(buf, size, &req);
	size_t n, i;

	FUZZ_ASSERT(rc >= CTLP_OK && rc <= CTLP_E_SYNTAX);
	if (size >= CTLP_MAX)
		FUZZ_ASSERT(rc != CTLP_INCOMPLETE);
	if (rc == CTLP_OK) {
		FUZZ_ASSERT(size <= CTLP_MAX && buf[size - 1] == '\n');
		FUZZ_ASSERT(memchr(buf, '\n', size - 1) == NULL);
		if (req.verb == CTLP_RESERVE)
			FUZZ_ASSERT(req.bytes >= 1 &&
				    req.bytes <= CTLP_MAX_BYTES &&
				    req.ttl_s >= 1 &&
				    req.ttl_s <= CTLP_MAX_TTL_S);
		else
			FUZZ_ASSERT(req.id >= 1);
		if (req.verb == CTLP_RENEW)
			FUZZ_ASSERT(req.ttl_s >= 1 &&
				    req.ttl_s <= CTLP_MAX_TTL_S);
		n = ctlp_format_req(&req, out, sizeof(out));
		FUZZ_ASSERT(n == size && memcmp(out, buf, n) == 0);
		for (i = 0; i < size; i++)
			FUZZ_ASSERT(ctlp_parse(buf, i, &again) ==
				    CTLP_INCOMPLETE);
	}
	if (ctlp_parse_reply(buf, size, &rep) == 0 && !rep.ok)
		for (i = 0; rep.msg[i]; i++)
			FUZZ_ASSERT(rep.msg[i] >= ' ' && rep.msg[i] < 0x7f);
	return 0;
}

#ifndef GM_FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ctl_one(data, size);
}
#endif
