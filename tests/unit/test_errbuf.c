/* errbuf.c: seterr formats into the caller's buffer, cuts a long
 * message to fit (always NUL-terminated), and touches nothing when the
 * buffer has no room at all. */
#include "errbuf.h"
#include "t.h"

int main(void)
{
	char err[16];

	seterr(err, sizeof(err), "line %d: %s", 7, "bad");
	CHECK_STR(err, "line 7: bad", "formatted");
	seterr(err, sizeof(err), "%s", "a message longer than the buffer");
	CHECK(strlen(err) == sizeof(err) - 1 &&
		      strncmp(err, "a message longe", 15) == 0,
	      "cut to fit: \"%s\"", err);
	memset(err, 'x', sizeof(err));
	seterr(err, 0, "%s", "nothing");
	CHECK(err[0] == 'x' && err[sizeof(err) - 1] == 'x',
	      "errlen 0: the buffer untouched");
	/* A NULL buffer with no room is fine (callers pass err, 0). */
	seterr(NULL, 0, "%s", "no buffer at all");
	seterr(err, 1, "%s", "one byte");
	CHECK(err[0] == '\0' && err[1] == 'x', "errlen 1: just the NUL");
	T_END();
}
