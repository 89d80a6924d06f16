/* swapdir: which filesystems can hold swap files (the table, and /proc
 * and /sys as mounted), the start-up checks of swapdir_open in a
 * temporary directory, and swapdir_space.  Runs as any user; the owner
 * and tmpfs cases need root and say so when they are skipped. */
#include "config.h"
#include "swapfile.h"
#include "t.h"
#include "swapdir.h"
#include <stdlib.h>
#include "t_swap.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

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

/* ---- swapdir_space ---------------------------------------------------- */

static void test_space(void)
{
	struct swapdir d;
	int rc;

	d = open_dir(base);
	{
		uint64_t avail = 0, size = 0;

		rc = swapdir_space(&d, &avail, &size);
		CHECK(rc == 0 && size > 0 && avail <= size,
		      "swapdir_space: %d avail %llu size %llu", rc,
		      (unsigned long long)avail, (unsigned long long)size);
	}
	close(d.fd);
}

/* Parent directories and links on the way (issue 12, #1): the rule on
 * (uid, mode) tuples, then swapdir_open on real trees as root. */
static void test_rule(void)
{
	static const struct {
		unsigned uid;
		mode_t mode;
		const char *want; /* NULL: safe; else a word of the reason */
		const char *what;
	} cases[] = {
		{0, S_IFDIR | 0755, NULL, "root 0755"},
		{0, S_IFDIR | 0700, NULL, "root 0700"},
		{0, S_IFDIR | 0555, NULL, "root 0555"},
		{0, S_IFDIR | 0711, NULL, "root 0711"},
		{65534, S_IFDIR | 0755, "not owned by root", "nobody 0755"},
		{1000, S_IFDIR | 0700, "not owned by root", "user 0700"},
		{1000, S_IFDIR | 01777, "not owned by root", "user's sticky"},
		{0, S_IFDIR | 0775, "group or others", "root 0775"},
		{0, S_IFDIR | 0757, "group or others", "root 0757"},
		{0, S_IFDIR | 0777, "group or others", "root 0777"},
		{0, S_IFDIR | 02775, "sticky", "root 2775 (setgid)"},
		{0, S_IFDIR | 01777, NULL, "root 1777 (/tmp)"},
		{0, S_IFDIR | 01770, NULL, "root 1770"},
		{0, S_IFDIR | 01755, NULL, "root 1755"},
		{0, S_IFLNK | 0777, NULL, "root's link"},
		{1000, S_IFLNK | 0777, "symbolic link", "user's link"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = swapdir_step_unsafe((uid_t)cases[i].uid,
						      cases[i].mode);

		if (cases[i].want == NULL)
			CHECK(why == NULL, "%s: refused (%s)", cases[i].what,
			      why);
		else
			CHECK(why != NULL && strstr(why, cases[i].want),
			      "%s: \"%s\", want \"%s\"", cases[i].what,
			      why != NULL ? why : "(safe)", cases[i].want);
	}
}

static char pbase[64];

/* pbase/rel made with mode and owner (mode applied after any umask). */
static void mkd(const char *rel, mode_t mode, unsigned uid)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", pbase, rel);
	CHECK(mkdir(p, 0700) == 0 && chmod(p, mode) == 0 &&
		      chown(p, (uid_t)uid, (gid_t)uid) == 0,
	      "mkdir %s: %s", p, strerror(errno));
}

/* pbase/rel made so, with a root 0700 swap directory in it. */
static void mkd_swap(const char *rel, mode_t mode, unsigned uid)
{
	char p[256];

	mkd(rel, mode, uid);
	snprintf(p, sizeof(p), "%s/swap", rel);
	mkd(p, 0700, 0);
}

/* pbase/rel as a refusal names a step: the path and a space. */
static const char *step(const char *rel)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s ", pbase, rel);
	return p;
}

static void mkl(const char *rel, const char *target, unsigned uid)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", pbase, rel);
	CHECK(symlink(target, p) == 0 &&
		      lchown(p, (uid_t)uid, (gid_t)uid) == 0,
	      "symlink %s: %s", p, strerror(errno));
}

/* swapdir_open(pbase/rel): want rc, and each of the words in the message. */
static void expect(const char *rel, int want, const char *w1, const char *w2)
{
	char p[256], err[1024] = "";
	struct swapdir d;
	int rc;

	snprintf(p, sizeof(p), "%s/%s", pbase, rel);
	rc = swapdir_open(p, &d, err, sizeof(err));
	if (rc == 0)
		swapdir_close(&d);
	CHECK(rc == want, "%s: %d, want %d: %s", rel, rc, want, err);
	if (w1 != NULL)
		CHECK(strstr(err, w1) != NULL, "%s: \"%s\" lacks \"%s\"", rel,
		      err, w1);
	if (w2 != NULL)
		CHECK(strstr(err, w2) != NULL, "%s: \"%s\" lacks \"%s\"", rel,
		      err, w2);
}

static void test_trees(void)
{
	char p[256], q[256];
	struct stat st;

	if (geteuid() != 0) {
		printf("SKIP swapdir trees: need root (chown)\n");
		return;
	}
	/* pbase: root 0700 in /tmp or $TMPDIR (root 1777: sticky, safe). */
	mkd_swap("a", 0755, 0);
	expect("a/swap", 0, NULL, NULL);

	mkd_swap("u", 0755, 65534);
	expect("u/swap", GM_EXIT_DIR_PARENT, step("u"), "uid 65534");
	expect("u/swap", GM_EXIT_DIR_PARENT, "mode 0755",
	       "is not owned by root");

	mkd_swap("w", 0777, 0);
	expect("w/swap", GM_EXIT_DIR_PARENT, "mode 0777",
	       "writable by group or others without the sticky bit");

	mkd_swap("g", 0770, 0);
	expect("g/swap", GM_EXIT_DIR_PARENT, "mode 0770", NULL);

	/* Sticky and root's: a user cannot rename root's swap away. */
	mkd_swap("t", 01777, 0);
	expect("t/swap", 0, NULL, NULL);
	/* ...but a user's directory in it is theirs to replace. */
	mkd_swap("t/mine", 0755, 65534);
	expect("t/mine/swap", GM_EXIT_DIR_PARENT, step("t/mine"), "uid 65534");

	/* The first unsafe step from / is named, and the directory's own
	 * faults come first. */
	mkd_swap("u/open", 0777, 0);
	expect("u/open/swap", GM_EXIT_DIR_PARENT, step("u"), NULL);
	mkd("u/bad", 0755, 0);
	mkd("u/bad/swap", 0755, 0);
	expect("u/bad/swap", GM_EXIT_DIR_MODE, NULL, NULL);

	/* Missing under an unsafe parent: refused, and not created. */
	expect("u/new", GM_EXIT_DIR_PARENT, "is not owned by root", NULL);
	snprintf(p, sizeof(p), "%s/u/new", pbase);
	CHECK(lstat(p, &st) < 0, "created %s under a user's parent", p);

	/* Links: root's are followed and their targets judged. */
	snprintf(q, sizeof(q), "%s/a", pbase);
	mkl("abs", q, 0);
	expect("abs/swap", 0, NULL, NULL);
	mkl("rel", "a", 0);
	expect("rel/swap", 0, NULL, NULL);
	snprintf(q, sizeof(q), "%s/u", pbase);
	mkl("tou", q, 0);
	expect("tou/swap", GM_EXIT_DIR_PARENT, step("u"), "not owned by root");
	mkl("t/users-link", "../a", 65534);
	expect("t/users-link/swap", GM_EXIT_DIR_PARENT,
	       "symbolic link not owned by root", "users-link");
	mkl("loop1", "loop2", 0);
	mkl("loop2", "loop1", 0);
	expect("loop1/swap", GM_EXIT_DIR_UNUSABLE, "loop1", NULL);
	/* ".." out of a safe directory into an unsafe one. */
	expect("a/../u/swap", GM_EXIT_DIR_PARENT, "is not owned by root",
	       NULL);
	expect("a/../a/swap", 0, NULL, NULL);
	/* The swap directory itself a link: still refused as one. */
	snprintf(q, sizeof(q), "%s/a/swap", pbase);
	mkl("swaplink", q, 0);
	expect("swaplink", GM_EXIT_DIR_SYMLINK, NULL, NULL);
}


int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[128];

	test_refusal_table();
	test_rule();
	if (swap_fixture_begin() < 0)
		T_END();
	test_swapdir_open();
	test_space();
	rm_tree(base);
	snprintf(pbase, sizeof(pbase), "%s/gm-swapdir.XXXXXX",
		 tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
	if (mkdtemp(pbase) == NULL) {
		CHECK(0, "mkdtemp %s: %s", pbase, strerror(errno));
		T_END();
	}
	test_trees();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pbase);
	CHECK(system(cmd) == 0, "%s", cmd);
	T_END();
}
