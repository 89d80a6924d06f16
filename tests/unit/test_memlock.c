/* memlock: which /proc/self/smaps mappings may be given back.  Only the
 * scanner and the file reader run here: munlock/madvise are never called
 * (the suite runs unprivileged, and under valgrind and ASan). */
#include "memlock.h"
#include "t.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* One record as Linux 6.x prints it, with the figures that matter. */
static const char *record(const char *header, unsigned rss_kb,
			  unsigned anon_kb, unsigned swap_kb,
			  const char *vmflags)
{
	static char buf[2048];

	snprintf(buf, sizeof(buf),
		 "%s\n"
		 "Size:                952 kB\n"
		 "KernelPageSize:        4 kB\n"
		 "MMUPageSize:           4 kB\n"
		 "Rss:                 %3u kB\n"
		 "Pss:                  12 kB\n"
		 "Pss_Dirty:             0 kB\n"
		 "Shared_Clean:        940 kB\n"
		 "Shared_Dirty:          0 kB\n"
		 "Private_Clean:        12 kB\n"
		 "Private_Dirty:       %3u kB\n"
		 "Referenced:          952 kB\n"
		 "Anonymous:           %3u kB\n"
		 "KSM:                   0 kB\n"
		 "LazyFree:              0 kB\n"
		 "AnonHugePages:         0 kB\n"
		 "ShmemPmdMapped:        0 kB\n"
		 "FilePmdMapped:         0 kB\n"
		 "Shared_Hugetlb:        0 kB\n"
		 "Private_Hugetlb:       0 kB\n"
		 "Swap:                %3u kB\n"
		 "SwapPss:               0 kB\n"
		 "Locked:              %3u kB\n"
		 "THPeligible:           0\n"
		 "VmFlags: %s \n",
		 header, rss_kb, anon_kb, anon_kb, swap_kb, rss_kb,
		 vmflags);
	return buf;
}

#define LIBC "/usr/lib/x86_64-linux-gnu/libc.so.6"
#define PAD "                     "

/* One generated record: kept or not, and where. */
static void test_records(void)
{
	static const struct {
		const char *name, *header;
		unsigned rss, anon, swap;
		const char *flags;
		uint64_t start, end;   /* 0, 0: not kept */
	} cases[] = {
		{"libc text r-xp",
		 "7f6926b42000-7f6926c98000 r-xp 00026000 fe:00 332835" PAD LIBC,
		 952, 0, 0, "rd ex mr mw me lo", 0x7f6926b42000, 0x7f6926c98000},
		{"libc rodata r--p",
		 "7f6926b1c000-7f6926b42000 r--p 00000000 fe:00 332835" PAD LIBC,
		 152, 0, 0, "rd mr mw me", 0x7f6926b1c000, 0x7f6926b42000},
		{"libc data rw-p",
		 "7f6926cef000-7f6926cf1000 rw-p 001d3000 fe:00 332835" PAD LIBC,
		 8, 0, 0, "rd wr mr mw me ac", 0, 0},
		{"relro r--p with COW pages",
		 "7f6926ceb000-7f6926cef000 r--p 001ce000 fe:00 332835" PAD LIBC,
		 16, 4, 0, "rd mr mw me ac", 0, 0},
		{"r--p with a page in swap",
		 "7f6926ceb000-7f6926cef000 r--p 001ce000 fe:00 332835" PAD LIBC,
		 12, 0, 4, "rd mr mw me ac", 0, 0},
		{"shared r--s",
		 "7f6926d02000-7f6926d09000 r--s 00000000 fe:00 332280" PAD
		 "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache",
		 28, 0, 0, "rd mr me ms", 0, 0},
		{"[vdso]",
		 "7f6926d12000-7f6926d14000 r-xp 00000000 00:00 0" PAD "[vdso]",
		 4, 0, 0, "rd ex mr mw me de", 0, 0},
		{"[vvar]",
		 "7f6926d0c000-7f6926d10000 r--p 00000000 00:00 0" PAD "[vvar]",
		 4, 0, 0, "rd mr pf io de dd", 0, 0},
		{"[stack]",
		 "7ffc22e4c000-7ffc22e6d000 rw-p 00000000 00:00 0" PAD "[stack]",
		 12, 12, 0, "rd wr mr mw me gd ac", 0, 0},
		{"anonymous read-only",
		 "7f6926b19000-7f6926b1c000 r--p 00000000 00:00 0 ",
		 8, 0, 0, "rd mr mw me", 0, 0},
		{"anonymous, no trailing space",
		 "7f6926b19000-7f6926b1c000 r--p 00000000 00:00 0",
		 8, 0, 0, "rd mr mw me", 0, 0},
		{"named anonymous",
		 "7f6926b19000-7f6926b1c000 r--p 00000000 00:00 0" PAD
		 "[anon:glibc]", 8, 0, 0, "rd mr mw me", 0, 0},
		{"deleted file",
		 "7f6926b42000-7f6926c98000 r-xp 00026000 fe:00 332835" PAD LIBC
		 " (deleted)", 952, 0, 0, "rd ex mr mw me", 0, 0},
		{"memfd",
		 "7f6926b42000-7f6926b43000 r-xp 00000000 00:01 2051" PAD
		 "/memfd:jit (deleted)", 4, 0, 0, "rd ex mr mw me", 0, 0},
		{"path with inode 0",
		 "7f6926b42000-7f6926b43000 r-xp 00000000 00:00 0" PAD "/x",
		 4, 0, 0, "rd ex mr mw me", 0, 0},
		{"---p guard",
		 "7f6926b42000-7f6926b43000 ---p 00026000 fe:00 332835" PAD LIBC,
		 4, 0, 0, "mr mw me", 0, 0},
		{"execute-only --xp",
		 "7f6926b42000-7f6926b43000 --xp 00026000 fe:00 332835" PAD LIBC,
		 4, 0, 0, "ex mr mw me", 0, 0},
		{"nothing resident",
		 "7f6926b42000-7f6926c98000 r-xp 00026000 fe:00 332835" PAD LIBC,
		 0, 0, 0, "rd ex mr mw me", 0, 0},
		{"VmFlags says writable",
		 "7f6926b42000-7f6926c98000 r-xp 00026000 fe:00 332835" PAD LIBC,
		 952, 0, 0, "rd wr ex mr mw me", 0, 0},
		{"VmFlags says hugetlb",
		 "7f6926b42000-7f6926c98000 r--p 00000000 00:10 1234" PAD
		 "/dev/hugepages/x", 952, 0, 0, "rd mr mw me ht", 0, 0},
		{"VmFlags says userfaultfd",
		 "7f6926b42000-7f6926c98000 r-xp 00026000 fe:00 332835" PAD LIBC,
		 952, 0, 0, "rd ex mr mw me um", 0, 0},
		{"VmFlags without rd",
		 "7f6926b42000-7f6926c98000 r-xp 00026000 fe:00 332835" PAD LIBC,
		 952, 0, 0, "ex mr mw me", 0, 0},
		{"VmFlags with a long word",
		 "7f6926b42000-7f6926c98000 r-xp 00026000 fe:00 332835" PAD LIBC,
		 952, 0, 0, "rd ex mrx", 0, 0},
		{"start after end",
		 "7f6926c98000-7f6926b42000 r-xp 00026000 fe:00 332835" PAD LIBC,
		 952, 0, 0, "rd ex mr mw me", 0, 0},
		{"empty range",
		 "7f6926b42000-7f6926b42000 r-xp 00026000 fe:00 332835" PAD LIBC,
		 952, 0, 0, "rd ex mr mw me", 0, 0},
		{"unaligned",
		 "7f6926b42001-7f6926c98000 r-xp 00026000 fe:00 332835" PAD LIBC,
		 952, 0, 0, "rd ex mr mw me", 0, 0},
		{"17 hex digits",
		 "10000000000000000-10000000000001000 r-xp 00026000 fe:00 332835"
		 PAD LIBC, 4, 0, 0, "rd ex mr mw me", 0, 0},
		{"upper-case hex",
		 "7F6926B42000-7F6926C98000 r-xp 00026000 fe:00 332835" PAD LIBC,
		 952, 0, 0, "rd ex mr mw me", 0, 0},
		{"perms too short",
		 "7f6926b42000-7f6926c98000 r-x 00026000 fe:00 332835" PAD LIBC,
		 952, 0, 0, "rd ex mr mw me", 0, 0},
		{"no device",
		 "7f6926b42000-7f6926c98000 r-xp 00026000 332835" PAD LIBC,
		 952, 0, 0, "rd ex mr mw me", 0, 0},
		{"inode overflows",
		 "7f6926b42000-7f6926c98000 r-xp 00026000 fe:00 "
		 "99999999999999999999" PAD LIBC,
		 952, 0, 0, "rd ex mr mw me", 0, 0},
		{"no space before path",
		 "7f6926b42000-7f6926c98000 r-xp 00026000 fe:00 332835" LIBC,
		 952, 0, 0, "rd ex mr mw me", 0, 0},
		{"top of a 64-bit space",
		 "fffffffffffff000-fffffffffffff000 r-xp 00026000 fe:00 332835"
		 PAD LIBC, 4, 0, 0, "rd ex mr mw me", 0, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct memlock_scan s;
		const char *text = record(cases[i].header, cases[i].rss,
					  cases[i].anon, cases[i].swap,
					  cases[i].flags);
		bool want = cases[i].end != 0;

		memlock_scan_buf(&s, text, strlen(text));
		CHECK(s.nranges == (want ? 1 : 0), "%s: %d ranges, want %d",
		      cases[i].name, s.nranges, want ? 1 : 0);
		if (want && s.nranges == 1) {
			CHECK(s.range[0].start == cases[i].start &&
				      s.range[0].end == cases[i].end,
			      "%s: got %lx-%lx", cases[i].name,
			      (unsigned long)s.range[0].start,
			      (unsigned long)s.range[0].end);
			CHECK_EQ_U(s.range[0].rss_kb, cases[i].rss,
				   cases[i].name);
		}
	}
}

#define HDR "7f6926b42000-7f6926c98000 r-xp 00026000 fe:00 332835" PAD LIBC
#define HDR2 "7f6926d15000-7f6926d3b000 r-xp 00001000 fe:00 332383" PAD \
	"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
#define GOOD2 HDR2 "\nRss: 152 kB\nAnonymous: 0 kB\nSwap: 0 kB\n" \
	"VmFlags: rd ex mr mw me\n"

/* Records cut or garbled by hand: what is kept, if anything. */
static void test_hostile(void)
{
	static const struct {
		const char *name, *text;
		int n;               /* ranges wanted */
		uint64_t start0;     /* the first one's start */
	} cases[] = {
		{"empty", "", 0, 0},
		{"minimal record",
		 HDR "\nRss: 4 kB\nAnonymous: 0 kB\nSwap: 0 kB\nVmFlags: rd ex\n",
		 1, 0x7f6926b42000},
		{"no Anonymous line",
		 HDR "\nRss: 4 kB\nSwap: 0 kB\nVmFlags: rd ex\n", 0, 0},
		{"no Swap line",
		 HDR "\nRss: 4 kB\nAnonymous: 0 kB\nVmFlags: rd ex\n", 0, 0},
		{"no Rss line",
		 HDR "\nAnonymous: 0 kB\nSwap: 0 kB\nVmFlags: rd ex\n", 0, 0},
		{"no VmFlags line (cut short)",
		 HDR "\nRss: 4 kB\nAnonymous: 0 kB\nSwap: 0 kB\n", 0, 0},
		{"cut inside VmFlags",
		 HDR "\nRss: 4 kB\nAnonymous: 0 kB\nSwap: 0 kB\nVmFlags: rd ex",
		 0, 0},
		{"cut inside Anonymous",
		 HDR "\nRss: 4 kB\nAnonymous: 0", 0, 0},
		{"Anonymous twice",
		 HDR "\nRss: 4 kB\nAnonymous: 0 kB\nAnonymous: 0 kB\n"
		     "Swap: 0 kB\nVmFlags: rd ex\n", 0, 0},
		{"Anonymous 0kB",
		 HDR "\nRss: 4 kB\nAnonymous: 0kB\nSwap: 0 kB\nVmFlags: rd ex\n",
		 0, 0},
		{"Anonymous -0 kB",
		 HDR "\nRss: 4 kB\nAnonymous: -0 kB\nSwap: 0 kB\n"
		     "VmFlags: rd ex\n", 0, 0},
		{"Anonymous 0 KB",
		 HDR "\nRss: 4 kB\nAnonymous: 0 KB\nSwap: 0 kB\nVmFlags: rd ex\n",
		 0, 0},
		{"Anonymous blank",
		 HDR "\nRss: 4 kB\nAnonymous:  kB\nSwap: 0 kB\nVmFlags: rd ex\n",
		 0, 0},
		{"Anonymous huge",
		 HDR "\nRss: 4 kB\nAnonymous: 99999999999999999999999 kB\n"
		     "Swap: 0 kB\nVmFlags: rd ex\n", 0, 0},
		{"Anonymous with trailing junk",
		 HDR "\nRss: 4 kB\nAnonymous: 0 kB x\nSwap: 0 kB\n"
		     "VmFlags: rd ex\n", 0, 0},
		{"fields before any header",
		 "Rss: 4 kB\nAnonymous: 0 kB\nSwap: 0 kB\nVmFlags: rd ex\n",
		 0, 0},
		{"lone VmFlags after a kept record",
		 GOOD2 "VmFlags: rd ex\n", 1, 0x7f6926d15000},
		{"bad record then good one",
		 HDR "\nRss: 4 kB\nAnonymous: 4 kB\nSwap: 0 kB\n"
		     "VmFlags: rd ex\n" GOOD2, 1, 0x7f6926d15000},
		{"garbled header then fields then good one",
		 "7f69zz-7f70 r-xp 0 fe:00 1 /x\nRss: 4 kB\nAnonymous: 0 kB\n"
		 "Swap: 0 kB\nVmFlags: rd ex\n" GOOD2, 1, 0x7f6926d15000},
		{"record cut by the next header",
		 HDR "\nRss: 4 kB\nAnonymous: 0 kB\n" GOOD2, 1, 0x7f6926d15000},
		{"CRLF lines",
		 HDR "\r\nRss: 4 kB\r\nAnonymous: 0 kB\r\nSwap: 0 kB\r\n"
		     "VmFlags: rd ex\r\n", 0, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct memlock_scan s;

		memlock_scan_buf(&s, cases[i].text, strlen(cases[i].text));
		CHECK(s.nranges == cases[i].n, "%s: %d ranges, want %d",
		      cases[i].name, s.nranges, cases[i].n);
		if (cases[i].n > 0 && s.nranges > 0)
			CHECK(s.range[0].start == cases[i].start0,
			      "%s: start %lx", cases[i].name,
			      (unsigned long)s.range[0].start);
	}
	/* A NUL inside a number is not a zero. */
	{
		struct memlock_scan s;
		const char buf[] = HDR "\nRss: 4 kB\nAnonymous: 0\0 kB\n"
				       "Swap: 0 kB\nVmFlags: rd ex\n";

		memlock_scan_buf(&s, buf, sizeof(buf) - 1);
		CHECK(s.nranges == 0, "NUL in Anonymous: kept");
	}
}

/* A lost line (too long for the reader) drops its record only. */
static void test_lost_line(void)
{
	static const char *const before[] = {HDR, "Rss: 4 kB"};
	static const char *const after[] = {"Anonymous: 0 kB", "Swap: 0 kB",
					    "VmFlags: rd ex"};
	struct memlock_scan s;
	size_t i;

	memlock_scan_init(&s);
	for (i = 0; i < 2; i++)
		memlock_scan_line(&s, before[i], strlen(before[i]));
	memlock_scan_line(&s, NULL, 0);
	for (i = 0; i < 3; i++)
		memlock_scan_line(&s, after[i], strlen(after[i]));
	CHECK(s.nranges == 0, "record with a lost line kept");
	memlock_scan_line(&s, HDR2, strlen(HDR2));
	memlock_scan_line(&s, "Rss: 8 kB", 9);
	for (i = 0; i < 3; i++)
		memlock_scan_line(&s, after[i], strlen(after[i]));
	CHECK(s.nranges == 1, "the record after a lost line: %d", s.nranges);
}

/* More eligible mappings than MEMLOCK_MAX_RANGES: the first are kept.
 * Addresses a 32-bit process can have too (check-32). */
#define BOUND_BASE 0x70000000ULL
static void test_bound(void)
{
	static char buf[200 * 160];
	struct memlock_scan s;
	size_t len = 0;
	int i, n = MEMLOCK_MAX_RANGES + 10;

	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"%llx-%llx r--p 00000000 fe:00 %d" PAD
					"/usr/lib/locale/%d\nRss: 4 kB\n"
					"Anonymous: 0 kB\nSwap: 0 kB\n"
					"VmFlags: rd mr mw me\n",
					BOUND_BASE + 0x2000ULL * (unsigned)i,
					BOUND_BASE + 0x1000ULL +
						0x2000ULL * (unsigned)i,
					1000 + i, i);
	CHECK(len < sizeof(buf), "bound fixture fits");
	memlock_scan_buf(&s, buf, len);
	CHECK(s.nranges == MEMLOCK_MAX_RANGES, "bounded: %d ranges",
	      s.nranges);
	CHECK(s.over == 10, "over: %d, want 10", s.over);
	CHECK(s.range[MEMLOCK_MAX_RANGES - 1].start ==
		      BOUND_BASE + 0x2000ULL * (MEMLOCK_MAX_RANGES - 1),
	      "the last kept is the 64th");
}

#define FIX "tests/unit/fixtures/smaps/"

/* `sleep` on Debian 12 (glibc 2.36, Linux 6.18): its text, rodata, libc,
 * ld.so and the C.utf8 locale files; never RELRO, data, heap, stack,
 * vvar/vdso, the shared gconv cache or vsyscall. */
static void test_fixture(void)
{
	static const uint64_t want[][2] = {
		{0x55b0badf4000, 0x55b0badf6000}, /* sleep r--p */
		{0x55b0badf6000, 0x55b0badfb000}, /* sleep r-xp */
		{0x55b0badfb000, 0x55b0badfd000}, /* sleep r--p */
		{0x7f6926abc000, 0x7f6926b13000}, /* LC_CTYPE */
		{0x7f6926b13000, 0x7f6926b14000},
		{0x7f6926b14000, 0x7f6926b15000},
		{0x7f6926b15000, 0x7f6926b16000},
		{0x7f6926b16000, 0x7f6926b17000},
		{0x7f6926b17000, 0x7f6926b18000},
		{0x7f6926b18000, 0x7f6926b19000}, /* LC_PAPER */
		{0x7f6926b1c000, 0x7f6926b42000}, /* libc r--p */
		{0x7f6926b42000, 0x7f6926c98000}, /* libc r-xp */
		{0x7f6926c98000, 0x7f6926ceb000}, /* libc r--p, not RELRO */
		{0x7f6926cfe000, 0x7f6926cff000}, /* LC_NAME */
		{0x7f6926cff000, 0x7f6926d00000},
		{0x7f6926d00000, 0x7f6926d01000},
		{0x7f6926d01000, 0x7f6926d02000}, /* LC_MEASUREMENT */
		{0x7f6926d09000, 0x7f6926d0a000}, /* LC_IDENTIFICATION */
		{0x7f6926d14000, 0x7f6926d15000}, /* ld.so r--p */
		{0x7f6926d15000, 0x7f6926d3b000}, /* ld.so r-xp */
		{0x7f6926d3b000, 0x7f6926d45000}, /* ld.so r--p, not RELRO */
	};
	const int n = (int)(sizeof(want) / sizeof(want[0]));
	struct memlock_scan s, f;
	size_t len;
	char *buf = slurp(FIX "debian12-sleep.txt", &len);
	int i, rc;

	CHECK(buf != NULL, "fixture debian12-sleep.txt missing");
	if (!buf)
		return;
	memlock_scan_buf(&s, buf, len);
	free(buf);
	CHECK(s.nranges == n, "sleep: %d ranges, want %d", s.nranges, n);
	for (i = 0; i < n && i < s.nranges; i++)
		CHECK(s.range[i].start == want[i][0] &&
			      s.range[i].end == want[i][1],
		      "sleep range %d: got %lx-%lx, want %lx-%lx", i,
		      (unsigned long)s.range[i].start,
		      (unsigned long)s.range[i].end, (unsigned long)want[i][0],
		      (unsigned long)want[i][1]);
	CHECK_EQ_U(s.range[11].rss_kb, 952, "libc text Rss");
	/* The chunked reader sees the same (the file is 28 KiB). */
	rc = memlock_scan_file(FIX "debian12-sleep.txt", &f);
	CHECK(rc == 0, "scan_file: %d", rc);
	CHECK(f.nranges == s.nranges &&
		      memcmp(f.range, s.range,
			     sizeof(s.range[0]) * (size_t)s.nranges) == 0,
	      "scan_file differs from scan_buf (%d vs %d)", f.nranges,
	      s.nranges);
}

/* The chunked reader: lines across chunk ends, a line longer than its
 * buffer, a last line without its newline. */
static void test_reader(void)
{
	static char text[131072];
	char path[] = "/tmp/gm-test-memlock.XXXXXX";
	struct memlock_scan s, f;
	size_t len = 0;
	int fd, i, rc;

	fd = mkstemp(path);
	CHECK(fd >= 0, "mkstemp: %s", strerror(errno));
	if (fd < 0)
		return;
	/* A good record, one with a 5000-byte path, then good ones again
	 * (their lines straddle the reader's 4 KiB chunks). */
	len += (size_t)snprintf(text + len, sizeof(text) - len, "%s",
				GOOD2);
	len += (size_t)snprintf(text + len, sizeof(text) - len,
				"7f0000000000-7f0000001000 r-xp 00000000 "
				"fe:00 77" PAD "/");
	for (i = 0; i < 5000; i++)
		text[len++] = 'a';
	len += (size_t)snprintf(text + len, sizeof(text) - len,
				"\nRss: 4 kB\nAnonymous: 0 kB\nSwap: 0 kB\n"
				"VmFlags: rd ex\n");
	for (i = 0; i < 100; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"%s", record(HDR, 952, 0, 0, "rd ex"));
	CHECK(len < sizeof(text), "reader fixture fits");
	if (len >= sizeof(text))
		len = 0;
	CHECK(write(fd, text, len) == (ssize_t)len, "write fixture");
	/* and a last record cut short */
	CHECK(write(fd, HDR "\nRss: 4 kB\nAnonymous: 0 kB\nSwap: 0 kB\n"
			    "VmFlags: rd ex",
		    sizeof(HDR "\nRss: 4 kB\nAnonymous: 0 kB\nSwap: 0 kB\n"
			       "VmFlags: rd ex") - 1) > 0,
	      "write fixture tail");
	close(fd);
	rc = memlock_scan_file(path, &f);
	CHECK(rc == 0, "scan_file: %d", rc);
	CHECK(f.nranges == 1 + 63 && f.over == 37,
	      "long path: %d ranges, %d over; want 64, 37", f.nranges,
	      f.over);
	CHECK(f.nranges > 0 && f.range[0].start == 0x7f6926d15000,
	      "first range is ld.so's");
	CHECK(f.nranges > 1 && f.range[1].start == 0x7f6926b42000,
	      "the long-path record is not kept");
	/* The buffer scanner keeps what is under 4 KiB a line: the same
	 * path is fine there, so compare only the chunking past it. */
	memlock_scan_buf(&s, text, len);
	CHECK(s.nranges == 64 && s.over == 38,
	      "scan_buf: %d ranges, %d over", s.nranges, s.over);
	unlink(path);
	CHECK(memlock_scan_file("/nonexistent/smaps", &f) == -ENOENT &&
		      f.nranges == 0,
	      "missing file is -ENOENT with nothing kept");
}

/* Our own /proc/self/smaps: whatever is kept, an independent reading
 * must show as private, not writable, and without anonymous pages. */
static void test_self(void)
{
	struct memlock_scan s;
	char line[8192], perms[8] = "";
	unsigned long start = 0, end = 0, anon = 1;
	int rc, i, checked = 0;
	bool in = false;
	FILE *f;

	rc = memlock_scan_file("/proc/self/smaps", &s);
	CHECK(rc == 0, "scan /proc/self/smaps: %d", rc);
	if (rc < 0)
		return;
	f = fopen("/proc/self/smaps", "r");
	CHECK(f != NULL, "reopen /proc/self/smaps");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b, kb;
		char p[8];

		if (sscanf(line, "%lx-%lx %7s ", &a, &b, p) == 3) {
			in = false;
			for (i = 0; i < s.nranges; i++)
				if (s.range[i].start == a &&
				    s.range[i].end == b)
					in = true;
			start = a;
			end = b;
			snprintf(perms, sizeof(perms), "%s", p);
			anon = 1;
		} else if (in && sscanf(line, "Anonymous: %lu kB", &kb) == 1) {
			anon = kb;
		} else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			CHECK(perms[1] == '-' && perms[3] == 'p' && anon == 0 &&
				      !strstr(line, " wr"),
			      "kept %lx-%lx: perms %s, Anonymous %lu kB", start,
			      end, perms, anon);
			checked++;
		}
	}
	fclose(f);
	/* Mappings may come and go between the reads, but our own text
	 * and libc's stay: some kept range must have been seen again. */
	CHECK(s.nranges == 0 || checked > 0, "none of %d kept ranges seen",
	      s.nranges);
}

/* A 32-bit process (check-32) has no mapping above 4 GiB: a header
 * naming one is not eligible, whatever else it says. */
static void test_wide_address(void)
{
	static const char wide[] = "7f6926b42000-7f6926c98000 r-xp 00026000 "
				   "fe:00 332835" PAD LIBC "\nRss: 4 kB\n"
				   "Anonymous: 0 kB\nSwap: 0 kB\n"
				   "VmFlags: rd ex mr mw me\n";
	struct memlock_scan s;

	memlock_scan_buf(&s, wide, sizeof(wide) - 1);
	if (UINTPTR_MAX > 0xffffffffu)
		CHECK(s.nranges == 1, "64-bit: wide mapping not kept (%d)",
		      s.nranges);
	else
		CHECK(s.nranges == 0, "32-bit: wide mapping kept (%d)",
		      s.nranges);
}

int main(void)
{
	/* The captures and hand-made records are a 64-bit process's
	 * (addresses above 4 GiB): meaningless in a 32-bit one. */
	if (UINTPTR_MAX > 0xffffffffu) {
		test_records();
		test_hostile();
		test_lost_line();
		test_fixture();
		test_reader();
	}
	test_wide_address();
	test_bound();
	test_self();
	T_END();
}
