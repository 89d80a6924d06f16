/* util.c: the strict decimal parser, reading to the end (with its cap),
 * the allocating reader, and the clock's direction. */
#include "t.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_parse_dec(void)
{
	static const struct {
		const char *s;
		uint64_t max;
		bool ok;
		uint64_t v;
	} rows[] = {
		{"0", 10, true, 0},
		{"10", 10, true, 10},
		{"11", 10, false, 0},
		{"", 10, false, 0},
		{"-1", 10, false, 0},
		{"+1", 10, false, 0},
		{" 1", 10, false, 0},
		{"1 ", 10, false, 0},
		{"1x", 10, false, 0},
		{"18446744073709551615", UINT64_MAX, true, UINT64_MAX},
		{"18446744073709551616", UINT64_MAX, false, 0},
		{"99999999999999999999999", UINT64_MAX, false, 0},
		{"007", 10, true, 7},
		{"3", 2, false, 0},  /* a digit above max (wrapped before) */
		{"2", 2, true, 2},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t v = 12345;
		bool ok = gm_parse_dec(rows[i].s, strlen(rows[i].s),
				       rows[i].max, &v);

		CHECK(ok == rows[i].ok, "\"%s\": ok %d", rows[i].s, ok);
		if (ok && rows[i].ok)
			CHECK_EQ_U(v, rows[i].v, rows[i].s);
	}
	/* Only n bytes count: "12" of "123". */
	{
		uint64_t v = 0;

		CHECK(gm_parse_dec("123", 2, 100, &v) && v == 12, "length");
	}
}

static void test_read(void)
{
	char path[] = "/tmp/gm-test-util.XXXXXX";
	char buf[16], *big = NULL;
	size_t len = 99;
	int fd = mkstemp(path);

	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	CHECK(write(fd, "0123456789abcdefXYZ", 19) == 19, "write");
	close(fd);
	CHECK(gm_read_file(path, buf, sizeof(buf), &len, false) == -EFBIG,
	      "over the cap: -EFBIG");
	CHECK(gm_read_file(path, buf, sizeof(buf), &len, true) == 0 &&
		      len == 16 && memcmp(buf, "0123456789abcdef", 16) == 0,
	      "full: the start");
	CHECK(gm_read_file("/nonexistent/gm", buf, sizeof(buf), &len,
			   false) == -ENOENT,
	      "missing: -ENOENT");
	CHECK(gm_read_alloc(path, 19, &big, &len) == 0 && len == 19 &&
		      memcmp(big, "0123456789abcdefXYZ", 19) == 0,
	      "alloc: whole");
	free(big);
	big = NULL;
	CHECK(gm_read_alloc(path, 18, &big, &len) == -EFBIG && !big,
	      "alloc: past max");
	fd = open(path, O_WRONLY | O_TRUNC);
	close(fd);
	CHECK(gm_read_file(path, buf, sizeof(buf), &len, false) == 0 &&
		      len == 0,
	      "empty file");
	unlink(path);
}

static void test_clock(void)
{
	int64_t a = gm_now_ms(), b = gm_now_ms();

	CHECK(a > 0 && b >= a, "monotonic: %lld then %lld", (long long)a,
	      (long long)b);
}

int main(void)
{
	test_parse_dec();
	test_read();
	test_clock();
	T_END();
}
