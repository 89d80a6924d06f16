/* swapfile/swapdir: the pure tables (refused filesystems, swapon flags),
 * and the effects that need no swapon: directory checks, making files
 * in a temporary directory, validating planted leftovers, removing.
 * Runs as any user; a few cases need root (chown) and say so when they
 * are skipped.  Never calls swapon or swapoff on the running system. */
#include "config.h"
#include "log.h"
#include "swapfile.h"
#include "swaphdr.h"
#include "t.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB_B (1024ULL * 1024)

static char base[256]; /* our temporary directory */
static size_t ps;
static int is_root;

/* ---- helpers ---------------------------------------------------------- */

static char cap_path[300];
static int cap_saved = -1;

/* Send stderr (the log) to a file, to check what a failure logged. */
static void capture_begin(void)
{
	int fd;

	snprintf(cap_path, sizeof(cap_path), "%s/log.txt", base);
	fflush(stderr);
	fd = open(cap_path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0)
		return;
	cap_saved = dup(2);
	dup2(fd, 2);
	close(fd);
}

static void capture_end(char *out, size_t outlen)
{
	ssize_t n = 0;
	int fd;

	fflush(stderr);
	if (cap_saved >= 0) {
		dup2(cap_saved, 2);
		close(cap_saved);
		cap_saved = -1;
	}
	fd = open(cap_path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, out, outlen - 1);
		close(fd);
	}
	out[n > 0 ? n : 0] = '\0';
	unlink(cap_path);
}

static int exists(const char *dir, const char *name)
{
	char p[600];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return lstat(p, &st) == 0;
}

static struct swapdir open_dir(const char *path)
{
	struct swapdir d;
	struct statfs sfs;

	memset(&d, 0, sizeof(d));
	snprintf(d.path, sizeof(d.path), "%s", path);
	d.fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d.fs_type = fstatfs(d.fd, &sfs) == 0 ? (unsigned long)sfs.f_type : 0;
	return d;
}

static void slot_path(const struct swapdir *d, int slot, char *out,
		      size_t len)
{
	snprintf(out, len, "%s/%d", d->path, slot);
}

/* A directory for the test on a filesystem that can hold swap files
 * (/tmp may be tmpfs). */
static int make_base(void)
{
	static const char *const cand[] = {"/var/tmp", "/tmp", "."};
	struct statfs sfs;
	size_t i;

	for (i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (statfs(cand[i], &sfs) < 0 ||
		    swapfs_refusal((unsigned long)sfs.f_type) != NULL)
			continue;
		snprintf(base, sizeof(base), "%s/gm-swapfile-XXXXXX",
			 cand[i]);
		if (mkdtemp(base) != NULL)
			return 0;
	}
	return -1;
}

/* ---- pure tables ------------------------------------------------------ */

static void test_refusal_table(void)
{
	static const struct {
		unsigned long magic;
		const char *want; /* NULL: can hold swap files */
	} cases[] = {
		{0x01021994, "tmpfs"},	   {0x858458f6, "ramfs"},
		{0x958458f6, "hugetlbfs"}, {0x794c7630, "overlayfs"},
		{0x2fc12fc1, "zfs"},	   {0x73717368, "squashfs"},
		{0xe0f5e1e2, "erofs"},	   {0x9fa0, "proc"},
		{0x62656572, "sysfs"},	   {0x65735546, "fuse"},
		{0x63677270, "cgroup2"},   {0x61756673, "aufs"},
		{0xEF53, NULL},		   {0x58465342, NULL},
		{0x9123683E, NULL},	   {0x6969, NULL},
		{0xF2F52010, NULL},	   {0x4d44, NULL},
		{0x2011BAB0, NULL},	   {0xFF534D42, NULL},
		{0, NULL},		   {0xffffffff, NULL},
		/* A 32-bit ABI hands f_type over sign-extended. */
		{(unsigned long)(long)(int32_t)0x858458f6, "ramfs"},
		{(unsigned long)(long)(int32_t)0x9123683E, NULL},
	};
	static const struct {
		const char *path;
		const char *want;
	} live[] = {{"/proc", "proc"}, {"/sys", "sysfs"}};
	struct statfs sfs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = swapfs_refusal(cases[i].magic);

		if (cases[i].want == NULL)
			CHECK(got == NULL, "f_type %#lx refused as %s",
			      cases[i].magic, got ? got : "");
		else
			CHECK(got != NULL && strcmp(got, cases[i].want) == 0,
			      "f_type %#lx: got %s, want %s", cases[i].magic,
			      got ? got : "NULL", cases[i].want);
	}
	for (i = 0; i < sizeof(live) / sizeof(live[0]); i++) {
		const char *got;

		struct stat st, root;

		/* Only where it is mounted: a build chroot may have an
		 * empty /sys on its root filesystem. */
		if (stat(live[i].path, &st) < 0 || stat("/", &root) < 0 ||
		    st.st_dev == root.st_dev || statfs(live[i].path, &sfs) < 0)
			continue;
		got = swapfs_refusal((unsigned long)sfs.f_type);
		CHECK(got != NULL && strcmp(got, live[i].want) == 0,
		      "statfs(%s): got %s, want %s", live[i].path,
		      got ? got : "NULL", live[i].want);
	}
}

static void test_swapon_flags(void)
{
	static const struct {
		int prio, discard, want;
	} cases[] = {
		{-1, GM_DISCARD_NONE, 0},
		{-5, GM_DISCARD_NONE, 0},
		{0, GM_DISCARD_NONE, 0x8000},
		{5, GM_DISCARD_NONE, 0x8005},
		{32767, GM_DISCARD_NONE, 0xffff},
		{32768, GM_DISCARD_NONE, 0xffff}, /* clamped, not wrapped */
		{40000, GM_DISCARD_NONE, 0xffff},
		{-1, GM_DISCARD_ONCE, 0x30000},
		{-1, GM_DISCARD_PAGES, 0x50000},
		{-1, GM_DISCARD_BOTH, 0x10000},
		{10, GM_DISCARD_ONCE, 0x3800a},
		{100, GM_DISCARD_PAGES, 0x58064},
		{7, GM_DISCARD_BOTH, 0x18007},
		{7, 99, 0x8007},
		{-1, -1, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = swapfile_swapon_flags(cases[i].prio,
						cases[i].discard);

		CHECK(got == cases[i].want,
		      "flags(prio %d, discard %d) = %#x, want %#x",
		      cases[i].prio, cases[i].discard, got, cases[i].want);
	}
}

/* ---- swapdir_open ----------------------------------------------------- */

static void expect_dir(const char *what, const char *path, int want,
		       const char *in_msg)
{
	struct swapdir d;
	char err[512] = "";
	int rc = swapdir_open(path, &d, err, sizeof(err));

	CHECK(rc == want, "swapdir_open %s (%s): %d, want %d: %s", what,
	      path, rc, want, err);
	if (rc == 0) {
		CHECK(d.fd >= 0, "%s: no fd", what);
		CHECK(d.path[0] == '/' &&
			      d.path[strlen(d.path) - 1] != '/',
		      "%s: path \"%s\" kept a trailing slash", what, d.path);
		swapdir_close(&d);
		CHECK(d.fd == -1, "%s: swapdir_close left fd %d", what, d.fd);
	} else {
		CHECK(d.fd == -1, "%s: fd %d left open after failure", what,
		      d.fd);
		CHECK(strstr(err, in_msg) != NULL,
		      "%s: message \"%s\" lacks \"%s\"", what, err, in_msg);
	}
}

static void test_swapdir_open(void)
{
	char p[400], q[400], parent[400], log[1024];
	struct stat st;
	int own = is_root ? 0 : GM_EXIT_DIR_OWNER;
	int fd;

	snprintf(p, sizeof(p), "%s/good", base);
	mkdir(p, 0700);
	chmod(p, 0700);
	expect_dir("0700 dir", p, own, "not root");
	snprintf(q, sizeof(q), "%s/good/", base);
	expect_dir("trailing slash", q, own, "not root");
	snprintf(q, sizeof(q), "%s/good//", base);
	expect_dir("two trailing slashes", q, own, "not root");

	snprintf(p, sizeof(p), "%s/open755", base);
	mkdir(p, 0755);
	chmod(p, 0755);
	expect_dir("0755 dir", p,
		   is_root ? GM_EXIT_DIR_MODE : GM_EXIT_DIR_OWNER,
		   is_root ? "mode 0755" : "not root");
	snprintf(p, sizeof(p), "%s/open710", base);
	mkdir(p, 0710);
	chmod(p, 0710);
	expect_dir("0710 dir", p,
		   is_root ? GM_EXIT_DIR_MODE : GM_EXIT_DIR_OWNER,
		   is_root ? "chmod 0700" : "not root");

	snprintf(p, sizeof(p), "%s/link", base);
	snprintf(q, sizeof(q), "%s/good", base);
	CHECK(symlink(q, p) == 0, "symlink: %s", strerror(errno));
	expect_dir("symlink", p, GM_EXIT_DIR_SYMLINK, "symbolic link");
	snprintf(p, sizeof(p), "%s/link/", base);
	expect_dir("symlink with slash", p, GM_EXIT_DIR_SYMLINK,
		   "symbolic link");

	snprintf(p, sizeof(p), "%s/plainfile", base);
	fd = open(p, O_CREAT | O_WRONLY, 0600);
	close(fd);
	expect_dir("regular file", p, GM_EXIT_DIR_UNUSABLE,
		   "not a directory");

	expect_dir("relative path", "var/lib/ghostmemory",
		   GM_EXIT_DIR_UNUSABLE, "absolute");
	expect_dir("empty path", "", GM_EXIT_DIR_UNUSABLE, "absolute");
	memset(q, 'a', 300);
	q[0] = '/';
	q[300] = '\0';
	expect_dir("300-byte path", q, GM_EXIT_DIR_UNUSABLE, "shorter");

	/* Missing: created only under a root-owned, not group/world
	 * writable parent; a user's parent is an unsafe parent (15). */
	snprintf(p, sizeof(p), "%s/new", base);
	capture_begin();
	expect_dir("missing, safe parent", p,
		   is_root ? 0 : GM_EXIT_DIR_PARENT,
		   "not owned by root");
	capture_end(log, sizeof(log));
	if (is_root)
		CHECK(strstr(log, "created swap directory") != NULL,
		      "creation not logged: %s", log);
	if (is_root) {
		CHECK(lstat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
			      (st.st_mode & 07777) == 0700,
		      "created swap directory mode %04o",
		      (unsigned)(st.st_mode & 07777));
	} else {
		CHECK(!exists(base, "new"),
		      "created a swap directory under a user's directory");
	}
	snprintf(parent, sizeof(parent), "%s/wideopen", base);
	mkdir(parent, 0777);
	chmod(parent, 0777);
	snprintf(p, sizeof(p), "%s/wideopen/swap", base);
	expect_dir("missing, 0777 parent", p, GM_EXIT_DIR_PARENT,
		   is_root ? "writable by group or others" : "not owned");
	CHECK(!exists(parent, "swap"), "created under a 0777 parent");
	snprintf(p, sizeof(p), "%s/nope/swap", base);
	expect_dir("missing parent", p, GM_EXIT_DIR_UNUSABLE, "parent");
	snprintf(p, sizeof(p), "%s/plainfile/swap", base);
	expect_dir("parent is a file", p, GM_EXIT_DIR_UNUSABLE,
		   "not a directory");

	if (!is_root) {
		printf("SKIP swapdir_open owner/tmpfs cases: need root\n");
		return;
	}
	snprintf(p, sizeof(p), "%s/notroots", base);
	mkdir(p, 0700);
	CHECK(chown(p, 1234, 1234) == 0, "chown: %s", strerror(errno));
	expect_dir("owned by uid 1234", p, GM_EXIT_DIR_OWNER, "uid 1234");
	{
		char shm[] = "/dev/shm/gm-swapdir-XXXXXX";
		struct statfs sfs;

		if (statfs("/dev/shm", &sfs) == 0 &&
		    (uint32_t)sfs.f_type == 0x01021994 &&
		    mkdtemp(shm) != NULL) {
			expect_dir("dir on tmpfs", shm, GM_EXIT_DIR_FSTYPE,
				   "is on tmpfs, which cannot hold swap");
			rmdir(shm);
		} else {
			printf("SKIP swapdir_open tmpfs: /dev/shm is not a "
			       "writable tmpfs\n");
		}
	}
}

/* ---- swapfile_make ---------------------------------------------------- */

static int read_page0(const char *path, uint8_t *page)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, page, ps);
	close(fd);
	return n == (ssize_t)ps ? 0 : -1;
}

/* Pages of slot's file in the page cache (mincore), or SIZE_MAX. */
static size_t resident_pages(const struct swapdir *d, int slot,
			     uint64_t size_b)
{
	char path[600];
	size_t n = (size_t)(size_b / ps), count = 0;
	unsigned char *vec = malloc(n);
	void *map = MAP_FAILED;
	int fd;

	slot_path(d, slot, path, sizeof(path));
	fd = open(path, O_RDONLY);
	if (fd >= 0 && vec != NULL)
		map = mmap(NULL, (size_t)size_b, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || mincore(map, (size_t)size_b, vec) < 0) {
		count = SIZE_MAX;
	} else {
		size_t i;

		for (i = 0; i < n; i++)
			count += vec[i] & 1;
	}
	if (map != MAP_FAILED)
		munmap(map, (size_t)size_b);
	if (fd >= 0)
		close(fd);
	free(vec);
	return count;
}

/* Checks one made file: size, mode, owner, header, allocation. */
static void check_made(const struct swapdir *d, int slot, uint64_t want_b,
		       const char *what)
{
	char path[600];
	struct stat st;
	uint8_t *page = malloc(ps);
	uint64_t vsize = 0;
	int rc;

	slot_path(d, slot, path, sizeof(path));
	if (page == NULL || lstat(path, &st) < 0) {
		CHECK(0, "%s: %s missing", what, path);
		free(page);
		return;
	}
	CHECK(S_ISREG(st.st_mode), "%s: not a regular file", what);
	CHECK((st.st_mode & 07777) == 0600, "%s: mode %04o", what,
	      (unsigned)(st.st_mode & 07777));
	CHECK(st.st_uid == geteuid(), "%s: owner %u", what,
	      (unsigned)st.st_uid);
	CHECK_EQ_U(st.st_size, want_b, "file size");
	/* Allocated, not sparse: swapon refuses holes. */
	CHECK((uint64_t)st.st_blocks * 512 >= want_b,
	      "%s: only %llu bytes allocated", what,
	      (unsigned long long)st.st_blocks * 512);
	CHECK(read_page0(path, page) == 0, "%s: read header", what);
	CHECK(swaphdr_check(page, ps, want_b) == 0, "%s: bad header", what);
	CHECK(memcmp(page + 1024 + 28, "ghostmemory", 12) == 0,
	      "%s: label \"%.16s\"", what, (char *)page + 1024 + 28);
	CHECK((page[1024 + 12 + 6] & 0xf0) == 0x40 &&
		      (page[1024 + 12 + 8] & 0xc0) == 0x80,
	      "%s: UUID is not version 4", what);
	rc = swapfile_validate_as(d, slot, 0, geteuid(), &vsize);
	CHECK(rc == 0, "%s: swapfile_validate_as rejects it: %s", what,
	      swapfile_reject_reason(rc));
	CHECK_EQ_U(vsize, want_b, "validated size");
	free(page);
}

static void test_make(void)
{
	struct swapdir d;
	char path[600], log[2048];
	uint8_t *page = malloc(ps);
	struct rlimit old, lim;
	mode_t old_umask;
	int rc, fd;

	d = open_dir(base);
	CHECK(d.fd >= 0, "open %s", base);

	swapfile_path(&d, 7, path, sizeof(path));
	{
		char want[600];

		snprintf(want, sizeof(want), "%s/7", base);
		CHECK_STR(path, want, "swapfile_path");
	}

	rc = swapfile_make(&d, 1, 4 * MIB_B, false);
	CHECK(rc == 0, "make 4 MiB: %d", rc);
	check_made(&d, 1, 4 * MIB_B, "4 MiB fallocate");

	rc = swapfile_make(&d, 2, 4 * MIB_B + 1000, false);
	CHECK(rc == 0, "make 4 MiB + 1000: %d", rc);
	check_made(&d, 2, 4 * MIB_B, "rounded down to pages");

	/* The two UUIDs must differ: they come from getrandom. */
	slot_path(&d, 1, path, sizeof(path));
	if (page != NULL && read_page0(path, page) == 0) {
		uint8_t a[16];

		memcpy(a, page + 1036, 16);
		slot_path(&d, 2, path, sizeof(path));
		if (read_page0(path, page) == 0)
			CHECK(memcmp(a, page + 1036, 16) != 0,
			      "two files, same UUID");
	}

	old_umask = umask(0277);
	rc = swapfile_make(&d, 3, 3 * MIB_B + ps, true);
	umask(old_umask);
	CHECK(rc == 0, "make zero-filled under umask 0277: %d", rc);
	check_made(&d, 3, 3 * MIB_B + ps, "zero fill");
	slot_path(&d, 3, path, sizeof(path));
	fd = open(path, O_RDONLY);
	if (fd >= 0 && page != NULL) {
		off_t off;
		int nonzero = 0;
		size_t i;

		for (off = (off_t)ps; off < (off_t)(3 * MIB_B + ps);
		     off += (off_t)ps) {
			if (pread(fd, page, ps, off) != (ssize_t)ps) {
				nonzero = -1;
				break;
			}
			for (i = 0; i < ps; i++)
				nonzero |= page[i];
		}
		CHECK(nonzero == 0, "zero fill: body not all zeros (%d)",
		      nonzero);
		close(fd);
	}
	/* The zeros must not stay in the page cache (this runs when memory
	 * is short): count resident pages of a fresh 64 MiB zero fill. */
	rc = swapfile_make(&d, 40, 64 * MIB_B, true);
	CHECK(rc == 0, "make 64 MiB zero-filled: %d", rc);
	{
		size_t resident = resident_pages(&d, 40, 64 * MIB_B);

		CHECK(resident <= 64 * MIB_B / ps / 10,
		      "zero fill left %zu of %llu pages in the page cache",
		      resident, (unsigned long long)(64 * MIB_B / ps));
	}
	swapfile_remove(&d, 40, false);

	/* An existing name is never touched nor unlinked. */
	slot_path(&d, 4, path, sizeof(path));
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "keep", 4) == 4, "plant file 4");
	if (fd >= 0)
		close(fd);
	capture_begin();
	rc = swapfile_make(&d, 4, 4 * MIB_B, false);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "/4: create: File exists") != NULL,
	      "log for an existing file: \"%s\"", log);
	CHECK(rc == -EEXIST, "make over an existing file: %d", rc);
	{
		struct stat st;

		CHECK(lstat(path, &st) == 0 && st.st_size == 4,
		      "existing file was changed or removed");
	}
	/* A planted symlink is not followed (O_EXCL|O_NOFOLLOW). */
	slot_path(&d, 5, path, sizeof(path));
	CHECK(symlink("target5", path) == 0, "plant symlink 5");
	capture_begin();
	rc = swapfile_make(&d, 5, 4 * MIB_B, false);
	capture_end(log, sizeof(log));
	CHECK(rc == -EEXIST, "make over a symlink: %d", rc);
	CHECK(!exists(base, "target5"), "symlink target was created");

	capture_begin();
	rc = swapfile_make(&d, 6, 9 * ps, false);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "under 10 pages") != NULL, "log for 9 pages: %s",
	      log);
	CHECK(rc == -EINVAL, "make 9 pages: %d", rc);
	CHECK(!exists(base, "6"), "9-page file left behind");

	/* File size limit: fallocate and write fail with EFBIG, which is
	 * "no room"; the partial file goes and the step is logged. */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 1 * MIB_B;
	setrlimit(RLIMIT_FSIZE, &lim);
	capture_begin();
	rc = swapfile_make(&d, 8, 4 * MIB_B, false);
	capture_end(log, sizeof(log));
	CHECK(rc == -ENOSPC, "make past RLIMIT_FSIZE: %d, want -ENOSPC", rc);
	CHECK(!exists(base, "8"), "partial file 8 left behind");
	CHECK(strstr(log, "/8: fallocate: File too large") != NULL,
	      "log lacks the step and strerror: \"%s\"", log);
	capture_begin();
	rc = swapfile_make(&d, 9, 4 * MIB_B, true);
	capture_end(log, sizeof(log));
	CHECK(rc == -ENOSPC, "zero fill past RLIMIT_FSIZE: %d", rc);
	CHECK(!exists(base, "9"), "partial file 9 left behind");
	CHECK(strstr(log, "/9: write zeros: File too large") != NULL,
	      "log lacks the step and strerror: \"%s\"", log);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, SIG_DFL);

	{
		uint64_t avail = 0, size = 0;

		rc = swapdir_space(&d, &avail, &size);
		CHECK(rc == 0 && size > 0 && avail <= size,
		      "swapdir_space: %d avail %llu size %llu", rc,
		      (unsigned long long)avail, (unsigned long long)size);
	}
	free(page);
	close(d.fd);
}

/* ---- swapfile_validate ------------------------------------------------ */

static void test_validate(void)
{
	struct swapdir d;
	char path[600], other[600];
	uint64_t size = 0;
	uid_t me = geteuid();
	int rc, fd;
	struct sockaddr_un sun;

	d = open_dir(base);

	rc = swapfile_validate_as(&d, 99, 0, me, &size);
	CHECK(rc == -ENOENT, "missing: %d", rc);

	/* 10: good; 11: symlink to 10 */
	CHECK(swapfile_make(&d, 10, 4 * MIB_B, false) == 0, "make 10");
	slot_path(&d, 11, path, sizeof(path));
	CHECK(symlink("10", path) == 0, "symlink 11");
	rc = swapfile_validate_as(&d, 11, 0, me, &size);
	CHECK(rc == -ELOOP, "symlink: %d (%s)", rc,
	      swapfile_reject_reason(rc));

	slot_path(&d, 12, path, sizeof(path));
	CHECK(mkfifo(path, 0600) == 0, "mkfifo 12");
	rc = swapfile_validate_as(&d, 12, 0, me, &size);
	CHECK(rc == -ENXIO, "FIFO: %d (%s)", rc, swapfile_reject_reason(rc));

	slot_path(&d, 13, path, sizeof(path));
	CHECK(mkdir(path, 0700) == 0, "mkdir 13");
	rc = swapfile_validate_as(&d, 13, 0, me, &size);
	CHECK(rc == -EISDIR, "dir: %d", rc);

	slot_path(&d, 14, path, sizeof(path));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	fd = -1;
	if (strlen(path) < sizeof(sun.sun_path)) {
		memcpy(sun.sun_path, path, strlen(path) + 1);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
	}
	if (fd >= 0 &&
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		rc = swapfile_validate_as(&d, 14, 0, me, &size);
		CHECK(rc == -ENXIO, "socket: %d", rc);
	}
	if (fd >= 0)
		close(fd);

	/* 15 and 16: one file, two names */
	CHECK(swapfile_make(&d, 15, 4 * MIB_B, false) == 0, "make 15");
	slot_path(&d, 15, path, sizeof(path));
	slot_path(&d, 16, other, sizeof(other));
	CHECK(link(path, other) == 0, "link 16");
	rc = swapfile_validate_as(&d, 15, 0, me, &size);
	CHECK(rc == -EMLINK, "hard link (15): %d", rc);
	rc = swapfile_validate_as(&d, 16, 0, me, &size);
	CHECK(rc == -EMLINK, "hard link (16): %d", rc);

	CHECK(swapfile_make(&d, 17, 4 * MIB_B, false) == 0, "make 17");
	slot_path(&d, 17, path, sizeof(path));
	chmod(path, 0644);
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == -EACCES, "mode 0644: %d", rc);
	chmod(path, 04600);
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == -EACCES, "mode 04600: %d", rc);
	chmod(path, 0600);
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == 0, "mode back to 0600: %d", rc);
	rc = swapfile_validate_as(&d, 17, 8 * MIB_B, me, &size);
	CHECK(rc == -ERANGE, "4 MiB file with min 8 MiB: %d", rc);
	rc = swapfile_validate_as(&d, 17, 4 * MIB_B, me, &size);
	CHECK(rc == 0, "4 MiB file with min 4 MiB: %d", rc);

	/* Truncated by a page: the header no longer describes it. */
	CHECK(truncate(path, (off_t)(4 * MIB_B - ps)) == 0, "truncate 17");
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == -EBADMSG, "truncated: %d", rc);
	CHECK(truncate(path, (off_t)(4 * MIB_B + 100)) == 0, "extend 17");
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == -EINVAL, "not a page multiple: %d", rc);
	CHECK(truncate(path, 0) == 0, "empty 17");
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == -EBADMSG, "empty file: %d", rc);

	CHECK(swapfile_make(&d, 18, 4 * MIB_B, false) == 0, "make 18");
	slot_path(&d, 18, path, sizeof(path));
	fd = open(path, O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, "SWAP-SPACE", 10, (off_t)ps - 10) == 10,
	      "spoil signature of 18");
	if (fd >= 0)
		close(fd);
	rc = swapfile_validate_as(&d, 18, 0, me, &size);
	CHECK(rc == -EBADMSG, "bad signature: %d", rc);

	/* Owner: real root check on a file that is not root's. */
	CHECK(swapfile_make(&d, 19, 4 * MIB_B, false) == 0, "make 19");
	if (is_root) {
		slot_path(&d, 19, path, sizeof(path));
		CHECK(chown(path, 1234, 0) == 0, "chown 19");
		rc = swapfile_validate(&d, 19, 0, &size);
		CHECK(rc == -EPERM, "owned by uid 1234: %d", rc);
		CHECK(chown(path, 0, 0) == 0, "chown 19 back to root");
		size = 0;
		rc = swapfile_validate(&d, 19, 0, &size);
		CHECK(rc == 0 && size == 4 * MIB_B,
		      "root-owned good file: %d size %llu", rc,
		      (unsigned long long)size);
	} else {
		rc = swapfile_validate(&d, 19, 0, &size);
		CHECK(rc == -EPERM, "file owned by uid %u: %d", (unsigned)me,
		      rc);
	}

	{
		static const int errs[] = {ELOOP, EISDIR, ENXIO, EMLINK, EPERM,
					   EACCES, ERANGE, EINVAL, EBADMSG,
					   ESTALE, ENOENT};
		size_t i, j;

		for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
			const char *r = swapfile_reject_reason(-errs[i]);

			CHECK(r != NULL && r[0] != '\0', "reason %d empty",
			      errs[i]);
			for (j = 0; j < i; j++)
				CHECK(strcmp(r, swapfile_reject_reason(
							-errs[j])) != 0,
				      "reasons %d and %d read the same",
				      errs[i], errs[j]);
		}
		CHECK(swapfile_reject_reason(-EIO) != NULL, "EIO reason");
	}
	close(d.fd);
}

/* ---- swapfile_remove -------------------------------------------------- */

static void test_remove(void)
{
	struct swapdir d;
	char path[600], other[600];
	uint8_t buf[4096];
	char log[1024];
	int fd, rc;

	d = open_dir(base);
	CHECK(swapfile_make(&d, 30, 4 * MIB_B, false) == 0, "make 30");
	rc = swapfile_remove(&d, 30, false);
	CHECK(rc == 0 && !exists(base, "30"), "remove 30: %d", rc);
	rc = swapfile_remove(&d, 30, false);
	CHECK(rc == -ENOENT, "remove missing: %d", rc);

	/* Paranoid: the blocks are zeros before the name goes.  Read them
	 * back through a descriptor kept open across the unlink. */
	CHECK(swapfile_make(&d, 31, 4 * MIB_B, false) == 0, "make 31");
	slot_path(&d, 31, path, sizeof(path));
	fd = open(path, O_RDWR);
	memset(buf, 0xa5, sizeof(buf));
	CHECK(fd >= 0 && pwrite(fd, buf, sizeof(buf), 1 << 20) ==
				 (ssize_t)sizeof(buf),
	      "scribble on 31");
	rc = swapfile_remove(&d, 31, true);
	CHECK(rc == 0 && !exists(base, "31"), "paranoid remove: %d", rc);
	if (fd >= 0) {
		int zero = 1;
		size_t i;

		CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf),
		      "read back 31");
		for (i = 0; i < sizeof(buf); i++)
			zero &= buf[i] == 0;
		CHECK(pread(fd, buf, sizeof(buf), 1 << 20) ==
			      (ssize_t)sizeof(buf),
		      "read back 31");
		for (i = 0; i < sizeof(buf); i++)
			zero &= buf[i] == 0;
		CHECK(zero, "paranoid remove left data in place");
		close(fd);
	}

	/* Paranoid on a hard-linked file: the other name's data stays. */
	CHECK(swapfile_make(&d, 32, 4 * MIB_B, false) == 0, "make 32");
	slot_path(&d, 32, path, sizeof(path));
	snprintf(other, sizeof(other), "%s/precious", base);
	CHECK(link(path, other) == 0, "link precious");
	capture_begin();
	rc = swapfile_remove(&d, 32, true);
	capture_end(log, sizeof(log));
	CHECK(strstr(log, "not overwriting") != NULL, "log: %s", log);
	CHECK(rc == 0 && !exists(base, "32"), "remove linked 32: %d", rc);
	fd = open(other, O_RDONLY);
	CHECK(fd >= 0 && pread(fd, buf, 10, (off_t)ps - 10) == 10 &&
		      memcmp(buf, "SWAPSPACE2", 10) == 0,
	      "paranoid remove overwrote a hard-linked file");
	if (fd >= 0)
		close(fd);
	close(d.fd);
}

/* ---- swapfile_create without privilege -------------------------------- */

/* swapon fails with EPERM for an unprivileged caller: create must
 * report -EPERM and leave no file.  As root, the check runs in a child
 * that drops to nobody, so the system's swap is never touched. */
static void test_create_unprivileged(void)
{
	char dir[400];
	struct swapdir d;
	struct config cfg;
	pid_t pid;
	int status = 0, rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.priority = -1;
	cfg.discard = GM_DISCARD_NONE;
	snprintf(dir, sizeof(dir), "%s/unpriv", base);
	mkdir(dir, 0700);
	if (!is_root) {
		char log[2048];

		d = open_dir(dir);
		capture_begin();
		rc = swapfile_create(&d, 1, 4 * MIB_B, &cfg);
		capture_end(log, sizeof(log));
		if (rc == -ENOSYS && getenv("GM_VALGRIND") != NULL)
			rc = -EPERM;
		CHECK(rc == -EPERM, "unprivileged create: %d", rc);
		CHECK(!exists(dir, "1"), "failed create left its file");
		CHECK(strstr(log, "swapon") != NULL, "swapon not logged: %s",
		      log);
		close(d.fd);
		return;
	}
	CHECK(chown(dir, 65534, 65534) == 0, "chown unpriv");
	chmod(base, 0711);
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(10);
		log_init(false, -1);
		d = open_dir(dir);
		rc = swapfile_create(&d, 1, 4 * MIB_B, &cfg);
		/* valgrind does not implement swapon: ENOSYS. */
		if (rc == -ENOSYS && getenv("GM_VALGRIND") != NULL)
			rc = -EPERM;
		_exit(rc == -EPERM ? (exists(dir, "1") ? 12 : 0) : 11);
	}
	waitpid(pid, &status, 0);
	chmod(base, 0700);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "unprivileged create as nobody: status %d (10 setuid, 11 "
	      "not -EPERM, 12 file left)",
	      status);
}

/* ---- cleanup ---------------------------------------------------------- */

static void rm_tree(const char *dir)
{
	char cmd[600];

	/* base is ours, made by mkdtemp; nothing in it is active swap. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("warning: could not remove %s\n", dir);
}

int main(void)
{
	long sc = sysconf(_SC_PAGESIZE);

	ps = sc > 0 ? (size_t)sc : 4096;
	is_root = geteuid() == 0;
	umask(022);
	test_refusal_table();
	test_swapon_flags();
	if (make_base() < 0) {
		CHECK(0, "no directory on a filesystem that holds swap files "
			 "(/var/tmp, /tmp, .)");
		T_END();
	}
	test_swapdir_open();
	test_make();
	test_validate();
	test_remove();
	test_create_unprivileged();
	rm_tree(base);
	T_END();
}
