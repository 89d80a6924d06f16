/* swaps: /proc/swaps parsing from fixtures (real captures from a 6.18
 * kernel with swap files, escaped names and a loop "partition" active,
 * plus hand-made deleted, partition and hostile files) and from
 * generated input: too many lines, every truncation, random bytes. */
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
			  int n)
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

	check_fixture("real-files-used.txt", used, 8);
	check_fixture("real-partition.txt", part, 9);
	check_fixture("deleted.txt", del, 2);
	check_fixture("partition.txt", hand_part, 3);
	check_fixture("escaped.txt", esc, 2);
	check_fixture("header-only.txt", NULL, 0);
}

static void test_bad_fixtures(void)
{
	static const char *const bad[] = {
		"bad-empty.txt",	   "bad-header.txt",
		"bad-no-header.txt",	   "bad-truncated-line.txt",
		"bad-truncated-file.txt",  "bad-garbage.txt",
		"bad-short-escape.txt",	   "bad-nul-escape.txt",
		"bad-nonoctal-escape.txt", "bad-negative-size.txt",
		"bad-overflow-size.txt",   "bad-overflow-prio.txt",
		"bad-crlf.txt",		   "bad-raw-space.txt",
		"bad-lone-minus.txt",
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

#define HDR "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"

static void test_inline_cases(void)
{
	static const struct {
		const char *buf;
		int rc;
		int count;
		const char *what;
	} cases[] = {
		{HDR, 0, 0, "header only"},
		{"Filename", 0, 0, "bare header, no newline"},
		{HDR "/s/1 file 1 2 -3", 0, 1, "last line without newline"},
		{HDR "\n/s/1 file 1 2 -3\n\n", 0, 1, "blank lines"},
		{HDR "/s/1 file 1 2 -2147483648\n", 0, 1, "INT_MIN priority"},
		{HDR "/s/1 file 18446744073709551615 0 0\n", 0, 1,
		 "UINT64_MAX size"},
		{HDR "/s/1 file 18446744073709551616 0 0\n", -EINVAL, 0,
		 "UINT64_MAX + 1 size"},
		{HDR "/s/1 file 1 2 -2147483649\n", -EINVAL, 0,
		 "priority under INT_MIN"},
		{HDR "/s/1 file 1 2 --3\n", -EINVAL, 0, "double minus"},
		{HDR "/s/1 file +1 2 3\n", -EINVAL, 0, "plus sign"},
		{HDR "/s/1 file 1 2 3 4\n", -EINVAL, 0, "six fields"},
		{HDR "/s/1\\ file 1 2 3\n", -EINVAL, 0, "trailing backslash"},
		{HDR "/s/1\\400 file 1 2 3\n", -EINVAL, 0, "escape over 255"},
		{HDR "/s/1 file 1 2 3\n/s/\0002 file 1 2 3\n", -EINVAL, 0,
		 "raw NUL byte"},
		{HDR "/s/1 file 0x10 2 3\n", -EINVAL, 0, "hex size"},
		{HDR "/s/1 file 1 2 3\x01\n", -EINVAL, 0, "control byte"},
		{" Filename\n", -EINVAL, 0, "header with leading space"},
		{"", -EINVAL, 0, "empty"},
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
	CHECK(strcmp(tab.e[SWAPS_MAX - 1].path, "/var/lib/ghostmemory/64") ==
		      0,
	      "last kept entry is \"%s\"", tab.e[SWAPS_MAX - 1].path);
	CHECK(swaps_find(&tab, "/var/lib/ghostmemory/17") == 16,
	      "swaps_find /17");
	CHECK(swaps_find(&tab, "/var/lib/ghostmemory/70") == -1,
	      "swaps_find found a dropped entry");
	/* A bad line beyond the kept ones still makes the buffer bad. */
	len += (size_t)snprintf(buf + len, cap - len, "garbage\n");
	rc = swaps_parse_buf(&tab, buf, len);
	CHECK(rc == -EINVAL, "bad line after %d lines accepted", lines);
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
		    tab.count > SWAPS_MAX)
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
		    tab.count > SWAPS_MAX)
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
	test_bad_fixtures();
	test_inline_cases();
	test_too_many();
	test_long_path();
	test_hostile();
	test_read();
	T_END();
}
