/* swaphdr: the header page must be byte-for-byte what util-linux mkswap
 * writes for the same size, UUID and label; swaphdr_check must accept
 * exactly our headers.  The mkswap reference is made at test time in a
 * temporary directory (no root needed for a regular file). */
#include "swaphdr.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PAGE (64 * 1024)

/* One spare page after each, to catch writes past the end. */
static uint8_t want[2 * MAX_PAGE], got[2 * MAX_PAGE];

static const uint8_t test_uuid[16] = {0x0d, 0x6b, 0x2c, 0x8e, 0x3b, 0x1f,
				      0x4e, 0x2a, 0x9c, 0x4d, 0x12, 0x34,
				      0x56, 0x78, 0x9a, 0xbc};

static const char *find_mkswap(void)
{
	static const char *const cand[] = {"/usr/sbin/mkswap", "/sbin/mkswap",
					   "/usr/bin/mkswap"};
	size_t i;

	for (i = 0; i < sizeof(cand) / sizeof(cand[0]); i++)
		if (access(cand[i], X_OK) == 0)
			return cand[i];
	return NULL;
}

static void uuid_str(const uint8_t u[16], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

static void show_log(const char *log)
{
	char line[256];
	FILE *f = fopen(log, "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		printf("    mkswap: %s", line);
	fclose(f);
}

/* First differing offset, or -1. */
static long first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

struct ref_case {
	const char *name;
	uint64_t size_b;
	size_t page_size;
	const char *label; /* as given to mkswap -L and swaphdr_build */
};

static void compare_with_mkswap(const char *mkswap, const char *dir,
				const struct ref_case *c)
{
	char file[512], log[512], cmd[2048], uuid[37];
	int fd, rc;
	ssize_t n;

	snprintf(file, sizeof(file), "%s/ref.swap", dir);
	snprintf(log, sizeof(log), "%s/mkswap.log", dir);
	unlink(file);
	/* A sparse file: mkswap only writes the first page. */
	fd = open(file, O_CREAT | O_EXCL | O_WRONLY, 0600);
	CHECK(fd >= 0, "%s: create %s: %s", c->name, file, strerror(errno));
	if (fd < 0)
		return;
	rc = ftruncate(fd, (off_t)c->size_b);
	close(fd);
	CHECK(rc == 0, "%s: ftruncate: %s", c->name, strerror(errno));

	uuid_str(test_uuid, uuid);
	snprintf(cmd, sizeof(cmd), "%s -p %zu -U %s -L '%s' '%s' >'%s' 2>&1",
		 mkswap, c->page_size, uuid, c->label, file, log);
	rc = system(cmd);
	CHECK(rc == 0, "%s: '%s' failed (status %d)", c->name, cmd, rc);
	if (rc != 0) {
		show_log(log);
		return;
	}

	fd = open(file, O_RDONLY);
	memset(want, 0xaa, sizeof(want));
	n = fd >= 0 ? read(fd, want, c->page_size) : -1;
	if (fd >= 0)
		close(fd);
	CHECK(n == (ssize_t)c->page_size, "%s: read reference page: %zd",
	      c->name, n);

	memset(got, 0x55, sizeof(got));
	rc = swaphdr_build(got, c->page_size, c->size_b, test_uuid,
			   c->label);
	CHECK(rc == 0, "%s: swaphdr_build returned %d", c->name, rc);
	{
		long d = first_diff(want, got, c->page_size);

		CHECK(d < 0,
		      "%s: header differs from mkswap at offset %ld "
		      "(mkswap 0x%02x, ours 0x%02x)",
		      c->name, d, d < 0 ? 0 : want[d], d < 0 ? 0 : got[d]);
	}
	/* Our checker must accept what mkswap wrote, too. */
	rc = swaphdr_check(want, c->page_size, c->size_b);
	CHECK(rc == 0, "%s: swaphdr_check rejects mkswap's header (%d)",
	      c->name, rc);
	unlink(file);
	unlink(log);
}

static void test_against_mkswap(void)
{
	static const struct ref_case cases[] = {
		{"40KiB", 40 * 1024, 4096, SWAPHDR_LABEL},
		{"4MiB", 4 * 1024 * 1024, 4096, SWAPHDR_LABEL},
		{"412MiB-sparse", 412ULL * 1024 * 1024, 4096, SWAPHDR_LABEL},
		{"4MiB+100B", 4 * 1024 * 1024 + 100, 4096, SWAPHDR_LABEL},
		{"3GiB-sparse", 3ULL * 1024 * 1024 * 1024, 4096, SWAPHDR_LABEL},
		{"16KiB-pages", 4 * 1024 * 1024, 16384, SWAPHDR_LABEL},
		{"64KiB-pages", 64 * 1024 * 1024, 65536, SWAPHDR_LABEL},
		{"64KiB-pages-min", 10 * 65536, 65536, SWAPHDR_LABEL},
		{"long-label", 4 * 1024 * 1024, 4096, "abcdefghijklmnopqrs"},
		{"16-char-label", 4 * 1024 * 1024, 4096, "0123456789abcdef"},
	};
	const char *mkswap = find_mkswap();
	char dir[] = "/tmp/gm-swaphdr-XXXXXX";
	size_t i;

	CHECK(mkswap != NULL,
	      "mkswap not found in /usr/sbin, /sbin or /usr/bin: install "
	      "util-linux (Debian package util-linux) to compare headers");
	if (mkswap == NULL)
		return;
	CHECK(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		compare_with_mkswap(mkswap, dir, &cases[i]);
	rmdir(dir);
}

static void test_build_rejects(void)
{
	static const struct {
		size_t page_size;
		uint64_t size_b;
		const char *what;
	} bad[] = {
		{0, 1 << 20, "page size 0"},
		{2048, 1 << 20, "page size 2048"},
		{4095, 1 << 20, "page size 4095"},
		{12288, 1 << 20, "page size 12 KiB (not a power of two)"},
		{4096, 0, "empty file"},
		{4096, 9 * 4096, "9 pages"},
		{4096, 10 * 4096 - 1, "just under 10 pages"},
		{65536, 9 * 65536 + 65535, "under 10 64 KiB pages"},
		{4096, (UINT64_C(1) << 32) * 4096 + 4096,
		 "last_page beyond 32 bits"},
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(swaphdr_build(got, bad[i].page_size, bad[i].size_b,
				    test_uuid, SWAPHDR_LABEL) == -EINVAL,
		      "swaphdr_build accepts %s", bad[i].what);
	CHECK(swaphdr_build(NULL, 4096, 1 << 20, test_uuid, NULL) == -EINVAL,
	      "swaphdr_build accepts a NULL page");
	CHECK(swaphdr_build(got, 4096, 10 * 4096, test_uuid, NULL) == 0,
	      "swaphdr_build refuses exactly 10 pages");
	CHECK(got[1024 + 28] == 0, "NULL label leaves the label empty");
	CHECK(swaphdr_build(got, 4096, (UINT64_C(1) << 32) * 4096,
			    test_uuid, NULL) == 0,
	      "swaphdr_build refuses last_page = UINT32_MAX");
}

static void put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void test_check(void)
{
	const uint64_t size = 4 * 1024 * 1024;
	size_t ps = 4096;
	int rc;

	rc = swaphdr_build(got, ps, size, test_uuid, SWAPHDR_LABEL);
	CHECK(rc == 0, "build good header: %d", rc);
	CHECK(swaphdr_check(got, ps, size) == 0, "good header rejected");
	/* A size that is not a page multiple floors like the kernel. */
	CHECK(swaphdr_check(got, ps, size + 4095) == 0,
	      "good header rejected for size + 4095 bytes");
	CHECK(swaphdr_check(got, ps, size + 4096) == -EINVAL,
	      "last_page mismatch (file one page longer) accepted");
	CHECK(swaphdr_check(got, ps, size - 4096) == -EINVAL,
	      "last_page mismatch (file one page shorter) accepted");
	CHECK(swaphdr_check(got, ps, 9 * 4096) == -EINVAL,
	      "file under 10 pages accepted");
	CHECK(swaphdr_check(got, 4095, size) == -EINVAL,
	      "page size 4095 accepted");
	CHECK(swaphdr_check(NULL, ps, size) == -EINVAL, "NULL page accepted");

	memcpy(want, got, ps);
	want[ps - 1] = '1'; /* SWAPSPACE1: the old version-0 signature */
	CHECK(swaphdr_check(want, ps, size) == -EINVAL,
	      "SWAPSPACE1 signature accepted");
	memcpy(want, got, ps);
	want[ps - 10] = 's';
	CHECK(swaphdr_check(want, ps, size) == -EINVAL,
	      "bad signature accepted");
	memcpy(want, got, ps);
	memset(want + ps - 10, 0, 10);
	CHECK(swaphdr_check(want, ps, size) == -EINVAL,
	      "zeroed signature accepted");
	memcpy(want, got, ps);
	put_u32(want + 1024, 2);
	CHECK(swaphdr_check(want, ps, size) == -EINVAL,
	      "version 2 accepted");
	memcpy(want, got, ps);
	put_u32(want + 1024, 0x01000000); /* version 1, other endianness */
	CHECK(swaphdr_check(want, ps, size) == -EINVAL,
	      "byte-swapped version accepted");
	memcpy(want, got, ps);
	put_u32(want + 1028, 0);
	CHECK(swaphdr_check(want, ps, size) == -EINVAL,
	      "last_page 0 accepted");
	memcpy(want, got, ps);
	put_u32(want + 1032, 1);
	CHECK(swaphdr_check(want, ps, size) == -EINVAL,
	      "a bad page accepted");
	memcpy(want, got, ps);
	put_u32(want + 1032, 0xffffffffu);
	CHECK(swaphdr_check(want, ps, size) == -EINVAL,
	      "nr_badpages 0xffffffff accepted");
	memset(want, 0, ps);
	CHECK(swaphdr_check(want, ps, size) == -EINVAL,
	      "all-zero page accepted");
}

static void test_big_pages(void)
{
	static const size_t sizes[] = {16384, 65536};
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t ps = sizes[i];
		uint64_t file_b = 64 * (uint64_t)ps;

		memset(got, 0x55, sizeof(got));
		CHECK(swaphdr_build(got, ps, file_b, test_uuid,
				    SWAPHDR_LABEL) == 0,
		      "build with %zu-byte pages", ps);
		CHECK(memcmp(got + ps - 10, "SWAPSPACE2", 10) == 0,
		      "%zu-byte pages: signature not at page_size - 10", ps);
		CHECK(memcmp(got + 4086, "\0\0\0\0\0\0\0\0\0\0", 10) == 0,
		      "%zu-byte pages: bytes at 4086 not zero", ps);
		CHECK(got[ps] == 0x55, "%zu-byte pages: wrote past the page",
		      ps);
		{
			uint32_t last;

			memcpy(&last, got + 1028, 4);
			CHECK_EQ_U(last, 63, "last_page for 64 big pages");
		}
		CHECK(swaphdr_check(got, ps, file_b) == 0,
		      "%zu-byte pages: own header rejected", ps);
		/* A 4 KiB kernel must not take it, nor a 64 KiB kernel a
		 * 4 KiB header. */
		CHECK(swaphdr_check(got, 4096, file_b) == -EINVAL,
		      "%zu-byte header accepted with 4 KiB pages", ps);
	}
	swaphdr_build(got, 4096, 1 << 20, test_uuid, SWAPHDR_LABEL);
	CHECK(swaphdr_check(got, 65536, 1 << 20) == -EINVAL,
	      "4 KiB header accepted with 64 KiB pages");
}

static void test_uuid_v4(void)
{
	static const uint8_t fill[] = {0x00, 0xff, 0x5a, 0xa5, 0x3c};
	uint8_t u[16], before[16];
	size_t i, j;

	for (i = 0; i < sizeof(fill); i++) {
		for (j = 0; j < 16; j++)
			u[j] = (uint8_t)(fill[i] ^ (j * 17));
		memcpy(before, u, 16);
		swaphdr_uuid_v4(u);
		CHECK((u[6] & 0xf0) == 0x40, "fill %02x: version nibble %02x",
		      fill[i], u[6]);
		CHECK((u[8] & 0xc0) == 0x80, "fill %02x: variant bits %02x",
		      fill[i], u[8]);
		CHECK((u[6] & 0x0f) == (before[6] & 0x0f),
		      "fill %02x: low nibble of byte 6 changed", fill[i]);
		CHECK((u[8] & 0x3f) == (before[8] & 0x3f),
		      "fill %02x: low bits of byte 8 changed", fill[i]);
		int others_same = 1;

		for (j = 0; j < 16; j++)
			if (j != 6 && j != 8 && u[j] != before[j])
				others_same = 0;
		CHECK(others_same, "fill %02x: bytes other than 6 and 8 changed",
		      fill[i]);
	}
}

static void test_hibernation(void)
{
	uint8_t page[4096];

	memset(page, 0, sizeof(page));
	CHECK(!swaphdr_is_hibernation(page, sizeof(page)), "zeros");
	memcpy(page + 4086, "SWAPSPACE2", 10);
	CHECK(!swaphdr_is_hibernation(page, sizeof(page)), "swap");
	memcpy(page + 4086, "S1SUSPEND\0", 10);
	CHECK(swaphdr_is_hibernation(page, sizeof(page)), "kernel image");
	memcpy(page + 4086, "ULSUSPEND\0", 10);
	CHECK(swaphdr_is_hibernation(page, sizeof(page)), "uswsusp image");
	memcpy(page + 4086, "LINHIB0001", 10);
	CHECK(swaphdr_is_hibernation(page, sizeof(page)), "LINHIB0001");
	CHECK(!swaphdr_is_hibernation(page, 100), "short page");
}

int main(void)
{
	test_hibernation();
	test_against_mkswap();
	test_build_rejects();
	test_check();
	test_big_pages();
	test_uuid_v4();
	T_END();
}
