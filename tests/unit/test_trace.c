/* trace.c: a good trace parses into its snapshots (times, bodies up to
 * their last meminfo line, the header's disk and page size); every
 * malformed line is refused with its line number and what was wrong. */
#include "trace.h"
#include "t.h"

#define MI "MemTotal: 1000 kB\nMemAvailable: 500 kB\n"

static char err[200]; /* the last parse's message */

/* trace_parse of a NUL-terminated text. */
static int parse(struct trace *tr, const char *text)
{
	err[0] = '\0';
	return trace_parse(tr, text, strlen(text), err, sizeof(err));
}

static void test_good(void)
{
	static const char text[] =
		"ghostmemory-trace 1\n"
		"# recorded on a test machine\n"
		"\n"
		"disk_avail_kb=1024\n"
		"disk_size_kb=4096\n"
		"page_size=16384\n"
		"T 0\n" MI
		"# a comment after the body is not part of it\n"
		"\n"
		"T 1.5\n" MI
		"T\t2.25  \n" MI
		"T 2.250\n" MI "SwapTotal: 0 kB"; /* no final newline */
	struct trace tr;
	int rc = parse(&tr, text);

	CHECK(rc == 0, "good trace: %s", err);
	if (rc == 0) {
		CHECK_EQ_U(tr.n, 4, "snapshots");
		CHECK(tr.s[0].t_ms == 0 && tr.s[1].t_ms == 1500 &&
			      tr.s[2].t_ms == 2250 && tr.s[3].t_ms == 2250,
		      "times in ms: %lld %lld %lld %lld",
		      (long long)tr.s[0].t_ms, (long long)tr.s[1].t_ms,
		      (long long)tr.s[2].t_ms, (long long)tr.s[3].t_ms);
		CHECK(tr.s[0].len == strlen(MI) &&
			      memcmp(tr.s[0].body, MI, tr.s[0].len) == 0,
		      "first body: the meminfo lines only (%zu bytes)",
		      tr.s[0].len);
		CHECK(tr.s[3].len == strlen(MI "SwapTotal: 0 kB"),
		      "last body runs to the end without a newline (%zu)",
		      tr.s[3].len);
		CHECK(tr.have_disk && tr.disk_avail_b == 1024 * 1024 &&
			      tr.disk_size_b == 4096 * 1024,
		      "disk header in bytes");
		CHECK_EQ_U(tr.page_size, 16384, "page size");
	}
	trace_free(&tr);
	CHECK(tr.s == NULL && tr.n == 0, "trace_free empties it");
}

static void test_defaults(void)
{
	static const struct {
		const char *text;
		bool have_disk;
		uint64_t avail_b, size_b;
	} rows[] = {
		{"ghostmemory-trace 1\nT 0\n" MI, false, 0, 0},
		/* Either disk figure alone stands for both. */
		{"ghostmemory-trace 1\ndisk_avail_kb=8\nT 0\n" MI, true,
		 8192, 8192},
		{"ghostmemory-trace 1\ndisk_size_kb=8\nT 0\n" MI, true,
		 8192, 8192},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct trace tr;
		int rc = parse(&tr, rows[i].text);

		CHECK(rc == 0 && tr.have_disk == rows[i].have_disk &&
			      tr.disk_avail_b == rows[i].avail_b &&
			      tr.disk_size_b == rows[i].size_b &&
			      tr.page_size == TRACE_DEFAULT_PAGE,
		      "defaults row %zu: rc %d %s", i, rc, err);
		trace_free(&tr);
	}
}

static void test_malformed(void)
{
	static const struct {
		const char *text;
		const char *want; /* the start of the message */
	} rows[] = {
		{"", "line 1: empty file"},
		{"ghostmemory-trace 2\nT 0\n" MI, "line 1: not a trace"},
		{"ghostmemory-trace 1 \nT 0\n" MI, "line 1: not a trace"},
		{"ghostmemory-trace 1\n", "line 1: no snapshot"},
		{"ghostmemory-trace 1\n# only a comment\n", "line 2: no snapshot"},
		{"ghostmemory-trace 1\nT 0\n", "line 2: the last snapshot is empty"},
		{"ghostmemory-trace 1\nT 0\n# c\n\n", "line 4: the last snapshot"},
		{"ghostmemory-trace 1\nT 0\nT 1\n" MI, "line 3: the snapshot before"},
		{"ghostmemory-trace 1\nT 2\n" MI "T 1\n" MI, "line 5: time goes back"},
		{"ghostmemory-trace 1\nT\n" MI, "line 2: bad time"},
		{"ghostmemory-trace 1\nT -1\n" MI, "line 2: bad time"},
		{"ghostmemory-trace 1\nT 1.2345\n" MI, "line 2: bad time"},
		{"ghostmemory-trace 1\nT 1.\n" MI, "line 2: bad time"},
		{"ghostmemory-trace 1\nT 1x\n" MI, "line 2: bad time"},
		{"ghostmemory-trace 1\nT 99999999999999999999\n" MI,
		 "line 2: bad time"},
		{"ghostmemory-trace 1\nMemTotal: 1 kB\n", "line 2: expected a header"},
		{"ghostmemory-trace 1\ndisk_avail_kb=\nT 0\n" MI,
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\ndisk_avail_kb=-5\nT 0\n" MI,
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\n\npage_size=4095\nT 0\n" MI,
		 "line 3: expected a header"},
		{"ghostmemory-trace 1\npage_size=512\nT 0\n" MI,
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\nunknown=1\nT 0\n" MI,
		 "line 2: expected a header"},
		{"ghostmemory-trace 1\ndisk_avail_kb=9\ndisk_size_kb=8\nT 0\n" MI,
		 "disk_avail_kb is larger"},
		/* "Tx" is not a T line: before any T it is a bad header. */
		{"ghostmemory-trace 1\nTx 0\n" MI, "line 2: expected a header"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct trace tr;
		int rc = parse(&tr, rows[i].text);

		CHECK(rc == -1 && strncmp(err, rows[i].want,
					  strlen(rows[i].want)) == 0,
		      "row %zu: rc %d, err \"%s\", want \"%s...\"", i, rc, err,
		      rows[i].want);
		trace_free(&tr);
	}
}

/* A NUL inside the buffer is a byte like any other: the magic line
 * with one in it is not the magic. */
static void test_nul(void)
{
	static const char text[] = "ghostmemory-trace\0001\nT 0\n" MI;
	struct trace tr;

	CHECK(trace_parse(&tr, text, sizeof(text) - 1, err, sizeof(err)) == -1 &&
		      strncmp(err, "line 1: not a trace", 19) == 0,
	      "NUL in the magic: \"%s\"", err);
	trace_free(&tr);
}

int main(void)
{
	test_good();
	test_defaults();
	test_malformed();
	test_nul();
	T_END();
}
