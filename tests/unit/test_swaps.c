/* swaps: /proc/swaps parsing from fixtures (real captures from a 6.18
 * kernel with swap files, escaped names and a loop "partition" active,
 * plus hand-made deleted, partition and hostile files) and from
 * generated input: too many lines, every truncation, random bytes.
 * A line that cannot be read costs that line only (it is counted in
 * skipped); only a buffer that is not /proc/swaps at all (no header) is
 * refused whole. */
#include "swaps.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXDIR "tests/unit/fixtures/swaps/"

static struct swaps_table tab;

struct want_entry {
	const char *path;
	int deleted;
	int is_file;
	uint64_t size_kb;
	uint64_t used_kb;
	int priority;
};

/* A fixture of FIXDIR (slurp: exactly its size, so a parser overrun is
 * visible to valgrind/ASan); says so when it cannot be read. */
static char *fixture(const char *name, size_t *len)
{
	char path[256];
	char *buf;

	snprintf(path, sizeof(path), FIXDIR "%s", name);
	buf = slurp(path, len);
	CHECK(buf != NULL, "read fixture %s: %s (run from the top directory)",
	      path, strerror(errno));
	return buf;
}

static void check_fixture(const char *name, const struct want_entry *w,
			  int n, int skipped)
{
	size_t len = 0;
	char *buf = fixture(name, &len);
	int rc, i;

	if (buf == NULL)
		return;
	rc = swaps_parse_buf(&tab, buf, len);
	free(buf);
	CHECK(rc == 0, "%s: parse returned %d", name, rc);
	CHECK(tab.count == n, "%s: %d entries, want %d", name, tab.count, n);
	CHECK(tab.skipped == skipped, "%s: %d lines skipped, want %d", name,
	      tab.skipped, skipped);
	for (i = 0; i < n && i < tab.count; i++) {
		const struct swaps_entry *e = &tab.e[i];

		CHECK(strcmp(e->path, w[i].path) == 0,
		      "%s[%d]: path \"%s\", want \"%s\"", name, i, e->path,
		      w[i].path);
		CHECK(e->deleted == w[i].deleted, "%s[%d]: deleted %d", name,
		      i, e->deleted);
		CHECK(e->is_file == w[i].is_file, "%s[%d]: is_file %d", name,
		      i, e->is_file);
		CHECK(e->size_kb == w[i].size_kb, "%s[%d]: size %llu", name,
		      i, (unsigned long long)e->size_kb);
		CHECK(e->used_kb == w[i].used_kb, "%s[%d]: used %llu", name,
		      i, (unsigned long long)e->used_kb);
		CHECK(e->priority == w[i].priority, "%s[%d]: priority %d",
		      name, i, e->priority);
	}
}

#define CAP "/tmp/gmcap.DbsxrS/mnt/"
#define LONGDIR CAP "a-rather-long-directory-name-for-the-swap-file-test/9"

static void test_good_fixtures(void)
{
	static const struct want_entry used[] = {
		{CAP "1", 0, 1, 16372, 11032, -2},
		{CAP "with space", 0, 1, 8184, 6380, -3},
		{CAP "tab\tx", 0, 1, 8184, 0, -4},
		{CAP "back\\slash", 0, 1, 8184, 0, -5},
		{CAP "new\nline", 0, 1, 8184, 0, -6},
		{CAP "del", 0, 1, 12280, 0, -7},
		{LONGDIR, 0, 1, 8184, 8168, 32767},
		{CAP "p0", 0, 1, 8184, 7780, 0},
	};
	static const struct want_entry part[] = {
		{CAP "1", 0, 1, 16372, 0, -2},
		{CAP "with space", 0, 1, 8184, 0, -3},
		{CAP "tab\tx", 0, 1, 8184, 0, -4},
		{CAP "back\\slash", 0, 1, 8184, 0, -5},
		{CAP "new\nline", 0, 1, 8184, 0, -6},
		{CAP "del", 0, 1, 12280, 0, -7},
		{LONGDIR, 0, 1, 8184, 0, 32767},
		{CAP "p0", 0, 1, 8184, 0, 0},
		{"/dev/loop1", 0, 0, 12582908, 0, -8},
	};
	static const struct want_entry del[] = {
		{"/var/lib/ghostmemory/3", 1, 1, 65532, 1200, -2},
		{"/var/lib/ghostmemory/4", 0, 1, 65532, 0, -3},
	};
	static const struct want_entry hand_part[] = {
		{"/dev/sda2", 0, 0, 1999868, 0, -2},
		{"/dev/zram0", 0, 0, 8388604, 512, 100},
		{"/dev/mapper/vg0-swap", 0, 0, 16777212, 0, -3},
	};
	static const struct want_entry esc[] = {
		{"/srv/a\\040b", 0, 1, 40956, 0, -2},
		{"/srv/caf\303\251/\t\n \\", 0, 1, 40956, 4, -3},
	};

	check_fixture("real-files-used.txt", used, 8, 0);
	check_fixture("real-partition.txt", part, 9, 0);
	check_fixture("deleted.txt", del, 2, 0);
	check_fixture("partition.txt", hand_part, 3, 0);
	check_fixture("escaped.txt", esc, 2, 0);
	check_fixture("header-only.txt", NULL, 0, 0);
}

/* The kernel escapes only space, tab, newline and backslash: any other
 * byte, control bytes included, is printed raw in a path, and a foreign
 * area with such a name must not hide ours (issue 12, #3). */
static void test_foreign_control(void)
{
	static const struct want_entry w[] = {
		{"/var/lib/ghostmemory/1", 0, 1, 65532, 1024, -2},
		{"/srv/foreign/a\001b", 0, 1, 40956, 0, -3},
		{"/srv/foreign/cr\rdel\177hi\377", 0, 1, 40956, 8, -4},
		{"/srv/foreign/\033[31mred x", 0, 1, 8188, 0, -5},
		{"/var/lib/ghostmemory/2", 0, 1, 65532, 0, -6},
	};

	check_fixture("foreign-control.txt", w, 5, 0);
	CHECK(swaps_find(&tab, "/var/lib/ghostmemory/2") == 4,
	      "our file after a foreign control-byte path not found");
}

/* Bad escapes, a line cut short, an oversized number and a raw NUL
 * among good lines: each costs its own line, the good ones are kept. */
static void test_mixed_bad_lines(void)
{
	static const struct want_entry w[] = {
		{"/var/lib/ghostmemory/1", 0, 1, 65532, 1024, -2},
		{"/var/lib/ghostmemory/2", 0, 1, 65532, 0, -4},
		{"/var/lib/ghostmemory/3", 0, 1, 65532, 0, -6},
		{"/var/lib/ghostmemory/4", 0, 1, 65532, 12, -9},
	};

	check_fixture("mixed-bad-lines.txt", w, 4, 5);
}

/* Not /proc/swaps at all: refused whole, count 0. */
static void test_bad_tables(void)
{
	static const char *const bad[] = {
		"bad-empty.txt",
		"bad-header.txt",
		"bad-no-header.txt",
	};
	size_t i, len = 0;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *buf = fixture(bad[i], &len);

		if (buf == NULL)
			continue;
		tab.count = 99;
		rc = swaps_parse_buf(&tab, buf, len);
		free(buf);
		CHECK(rc == -EINVAL, "%s: parse returned %d, want -EINVAL",
		      bad[i], rc);
		CHECK(tab.count == 0, "%s: count %d after an error", bad[i],
		      tab.count);
	}
}

/* A good header and one unreadable line (after one good line in
 * bad-truncated-file.txt): the line is skipped and counted. */
static void test_bad_lines(void)
{
	static const struct {
		const char *name;
		int count;
	} bad[] = {
		{"bad-truncated-line.txt", 0},	{"bad-truncated-file.txt", 1},
		{"bad-garbage.txt", 0},		{"bad-short-escape.txt", 0},
		{"bad-nul-escape.txt", 0},	{"bad-nonoctal-escape.txt", 0},
		{"bad-negative-size.txt", 0},	{"bad-overflow-size.txt", 0},
		{"bad-overflow-prio.txt", 0},	{"bad-crlf.txt", 0},
		{"bad-raw-space.txt", 0},	{"bad-lone-minus.txt", 0},
	};
	size_t i, len = 0;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *buf = slurp(bad[i].name, &len);

		if (buf == NULL)
			continue;
		rc = swaps_parse_buf(&tab, buf, len);
		free(buf);
		CHECK(rc == 0, "%s: parse returned %d, want 0", bad[i].name,
		      rc);
		CHECK(tab.count == bad[i].count && tab.skipped == 1,
		      "%s: count %d skipped %d, want %d and 1", bad[i].name,
		      tab.count, tab.skipped, bad[i].count);
	}
}

#define HDR "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"

static void test_inline_cases(void)
{
	static const struct {
		const char *buf;
		int rc;
		int count;
		int skipped;
		const char *what;
	} cases[] = {
		{HDR, 0, 0, 0, "header only"},
		{"Filename", 0, 0, 0, "bare header, no newline"},
		{HDR "/s/1 file 1 2 -3", 0, 1, 0, "last line without newline"},
		{HDR "\n/s/1 file 1 2 -3\n\n", 0, 1, 0, "blank lines"},
		{HDR "/s/1 file 1 2 -2147483648\n", 0, 1, 0, "INT_MIN priority"},
		{HDR "/s/1 file 18446744073709551615 0 0\n", 0, 1, 0,
		 "UINT64_MAX size"},
		{HDR "/s/1 file 18446744073709551616 0 0\n", 0, 0, 1,
		 "UINT64_MAX + 1 size"},
		{HDR "/s/1 file 1 2 -2147483649\n", 0, 0, 1,
		 "priority under INT_MIN"},
		{HDR "/s/1 file 1 2 --3\n", 0, 0, 1, "double minus"},
		{HDR "/s/1 file +1 2 3\n", 0, 0, 1, "plus sign"},
		{HDR "/s/1 file 1 2 3 4\n", 0, 0, 1, "six fields"},
		{HDR "/s/1\\ file 1 2 3\n", 0, 0, 1, "trailing backslash"},
		{HDR "/s/1\\400 file 1 2 3\n", 0, 0, 1, "escape over 255"},
		{HDR "/s/1 file 1 2 3\n/s/\0002 file 1 2 3\n", 0, 1, 1,
		 "raw NUL byte"},
		{HDR "/s/1 file 0x10 2 3\n", 0, 0, 1, "hex size"},
		{HDR "/s/1 file 1 2 3\x01\n", 0, 0, 1,
		 "control byte in a number"},
		{HDR "/s/\x01\x02\x1f\x7f file 1 2 3\n/s/2 file 1 2 3\n", 0,
		 2, 0, "control bytes in a path"},
		{HDR "/s/1 file 1 2 3\n" HDR, 0, 1, 1, "a second header"},
		{" Filename\n", -EINVAL, 0, 0, "header with leading space"},
		{"/s/1 file 1 2 3\n", -EINVAL, 0, 0, "no header"},
		{"", -EINVAL, 0, 0, "empty"},
	};
	static const char del_buf[] = HDR "/s/x\\040(deleted) file 1 0 -2\n"
					  "/s/(deleted) file 1 0 -3\n";
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].buf);

		/* The NUL case: measure past the embedded NUL. */
		if (strcmp(cases[i].what, "raw NUL byte") == 0)
			len = sizeof(HDR "/s/1 file 1 2 3\n/s/\0002 file 1 2 3\n") -
			      1;
		rc = swaps_parse_buf(&tab, cases[i].buf, len);
		CHECK(rc == cases[i].rc, "%s: rc %d, want %d", cases[i].what,
		      rc, cases[i].rc);
		CHECK(tab.count == cases[i].count, "%s: count %d, want %d",
		      cases[i].what, tab.count, cases[i].count);
		CHECK(tab.skipped == cases[i].skipped,
		      "%s: skipped %d, want %d", cases[i].what, tab.skipped,
		      cases[i].skipped);
	}
	CHECK(swaps_parse_buf(&tab, NULL, 0) == -EINVAL, "NULL buffer");

	/* A deleted file with the "(deleted)" marker escaped as the kernel
	 * does, and a name that merely contains the word. */
	rc = swaps_parse_buf(&tab, del_buf, strlen(del_buf));
	CHECK(rc == 0 && tab.count == 2, "deleted marker: rc %d count %d",
	      rc, tab.count);
	if (rc == 0 && tab.count == 2) {
		CHECK(tab.e[0].deleted && strcmp(tab.e[0].path, "/s/x") == 0,
		      "deleted: path \"%s\" deleted %d", tab.e[0].path,
		      tab.e[0].deleted);
		CHECK(!tab.e[1].deleted &&
			      strcmp(tab.e[1].path, "/s/(deleted)") == 0,
		      "\"/s/(deleted)\" taken as deleted or mangled");
		CHECK(swaps_find(&tab, "/s/x") == -1,
		      "swaps_find matched a deleted entry");
		CHECK(swaps_find(&tab, "/s/(deleted)") == 1,
		      "swaps_find missed /s/(deleted)");
	}
}

static void test_too_many(void)
{
	const int lines = SWAPS_MAX + 6;
	size_t cap = 64 + (size_t)lines * 64, len;
	char *buf = malloc(cap);
	int i, rc;

	if (buf == NULL)
		return;
	len = (size_t)snprintf(buf, cap, "%s", HDR);
	for (i = 0; i < lines; i++)
		len += (size_t)snprintf(buf + len, cap - len,
					"/var/lib/ghostmemory/%d\tfile\t\t%d"
					"\t\t0\t\t-%d\n",
					i + 1, 4096 * (i + 1), i + 2);
	rc = swaps_parse_buf(&tab, buf, len);
	CHECK(rc == 0, "%d lines: rc %d", lines, rc);
	CHECK(tab.count == SWAPS_MAX, "%d lines: kept %d, want %d", lines,
	      tab.count, SWAPS_MAX);
	CHECK(tab.skipped == lines - SWAPS_MAX,
	      "%d lines: skipped %d, want %d", lines, tab.skipped,
	      lines - SWAPS_MAX);
	CHECK(strcmp(tab.e[SWAPS_MAX - 1].path, "/var/lib/ghostmemory/64") ==
		      0,
	      "last kept entry is \"%s\"", tab.e[SWAPS_MAX - 1].path);
	CHECK(swaps_find(&tab, "/var/lib/ghostmemory/17") == 16,
	      "swaps_find /17");
	CHECK(swaps_find(&tab, "/var/lib/ghostmemory/70") == -1,
	      "swaps_find found a dropped entry");
	/* A bad line beyond the kept ones is one more skipped line. */
	len += (size_t)snprintf(buf + len, cap - len, "garbage\n");
	rc = swaps_parse_buf(&tab, buf, len);
	CHECK(rc == 0 && tab.count == SWAPS_MAX &&
		      tab.skipped == lines - SWAPS_MAX + 1,
	      "bad line after %d lines: rc %d count %d skipped %d", lines,
	      rc, tab.count, tab.skipped);
	free(buf);
}

static void test_long_path(void)
{
	size_t cap = 4096, len;
	char *buf = malloc(cap);
	int i, rc;

	if (buf == NULL)
		return;
	len = (size_t)snprintf(buf, cap, "%s/", HDR);
	for (i = 0; i < 900; i++)
		buf[len++] = 'a' + (char)(i % 26);
	len += (size_t)snprintf(buf + len, cap - len, " file 8 0 -2\n");
	rc = swaps_parse_buf(&tab, buf, len);
	CHECK(rc == 0 && tab.count == 1, "900-byte path: rc %d", rc);
	CHECK(strlen(tab.e[0].path) == sizeof(tab.e[0].path) - 1,
	      "900-byte path cut to %zu bytes", strlen(tab.e[0].path));
	CHECK(tab.e[0].size_kb == 8, "900-byte path: size %llu",
	      (unsigned long long)tab.e[0].size_kb);
	free(buf);

	/* Oversized: an 8000-byte line (2000 escaped spaces) between good
	 * lines is cut in its path only; the lines around it are intact. */
	cap = 16384;
	buf = malloc(cap);
	if (buf == NULL)
		return;
	len = (size_t)snprintf(buf, cap, "%s/s/1 file 1 0 -1\n/", HDR);
	for (i = 0; i < 2000; i++)
		len += (size_t)snprintf(buf + len, cap - len, "\\040");
	len += (size_t)snprintf(buf + len, cap - len,
				" file 8 0 -2\n/s/3 file 2 0 -3\n");
	rc = swaps_parse_buf(&tab, buf, len);
	CHECK(rc == 0 && tab.count == 3 && tab.skipped == 0,
	      "oversized line: rc %d count %d skipped %d", rc, tab.count,
	      tab.skipped);
	CHECK(swaps_find(&tab, "/s/3") == 2, "line after an oversized one");
	free(buf);
}

/* Every prefix and many random corruptions of a real capture: never a
 * crash, only 0 or -EINVAL, and a count within the table. */
static void test_hostile(void)
{
	size_t len = 0, cut, i;
	char *orig = fixture("real-partition.txt", &len);
	char *buf;
	int rc, bad = 0, round;
	unsigned seed = 12345;

	if (orig == NULL)
		return;
	for (cut = 0; cut <= len; cut++) {
		buf = malloc(cut ? cut : 1);
		memcpy(buf, orig, cut);
		rc = swaps_parse_buf(&tab, buf, cut);
		if ((rc != 0 && rc != -EINVAL) || tab.count < 0 ||
		    tab.count > SWAPS_MAX || tab.skipped < 0 ||
		    (rc != 0 && (tab.count != 0 || tab.skipped != 0)))
			bad++;
		free(buf);
	}
	CHECK(bad == 0, "%d truncations gave odd results", bad);
	for (round = 0; round < 20000; round++) {
		buf = malloc(len);
		memcpy(buf, orig, len);
		for (i = 0; i < 4; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % len] = (char)(seed >> 20);
		}
		rc = swaps_parse_buf(&tab, buf, len);
		if ((rc != 0 && rc != -EINVAL) || tab.count < 0 ||
		    tab.count > SWAPS_MAX || tab.skipped < 0 ||
		    (rc != 0 && (tab.count != 0 || tab.skipped != 0)))
			bad++;
		free(buf);
	}
	CHECK(bad == 0, "%d corruptions gave odd results", bad);
	free(orig);
}

static void test_read(void)
{
	int rc;

	rc = swaps_read(FIXDIR "real-files-used.txt", &tab);
	CHECK(rc == 0 && tab.count == 8, "swaps_read fixture: rc %d count %d",
	      rc, tab.count);
	CHECK(swaps_find(&tab, CAP "with space") == 1,
	      "swaps_find escaped path");
	CHECK(swaps_find(&tab, CAP "with") == -1, "swaps_find prefix");
	rc = swaps_read(FIXDIR "no-such-file", &tab);
	CHECK(rc == -ENOENT, "swaps_read missing file: %d", rc);
	rc = swaps_read("/proc/swaps", &tab);
	CHECK(rc == 0 || rc == -ENOENT, "swaps_read /proc/swaps: %d", rc);
}

int main(void)
{
	test_good_fixtures();
	test_foreign_control();
	test_mixed_bad_lines();
	test_bad_tables();
	test_bad_lines();
	test_inline_cases();
	test_too_many();
	test_long_path();
	test_hostile();
	test_read();
	T_END();
}
