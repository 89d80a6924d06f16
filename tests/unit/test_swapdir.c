/* swapdir: every directory above the swap directory, and every symbolic
 * link on the way, must leave its path in root's hands (issue 12, #1:
 * a user who can write a parent can swap the directory for one of
 * theirs after start).  The rule on (uid, mode) tuples, then, as root,
 * swapdir_open on real trees: a user's parent, a 0777 parent, a sticky
 * 1777 one, links followed (and their targets judged), a user's link, a
 * loop, and ".." out of a safe directory into an unsafe one. */
#include "config.h"
#include "swapdir.h"
#include "swapfile.h"
#include "t.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static char base[64];

/* base/rel made with mode and owner (mode applied after any umask). */
static void mkd(const char *rel, mode_t mode, unsigned uid)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	CHECK(mkdir(p, 0700) == 0 && chmod(p, mode) == 0 &&
		      chown(p, (uid_t)uid, (gid_t)uid) == 0,
	      "mkdir %s: %s", p, strerror(errno));
}

static void mkl(const char *rel, const char *target, unsigned uid)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	CHECK(symlink(target, p) == 0 &&
		      lchown(p, (uid_t)uid, (gid_t)uid) == 0,
	      "symlink %s: %s", p, strerror(errno));
}

/* swapdir_open(base/rel): want rc, and each of the words in the message. */
static void expect(const char *rel, int want, const char *w1, const char *w2)
{
	char p[256], err[1024] = "";
	struct swapdir d;
	int rc;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
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
	/* base: root 0700 in /tmp or $TMPDIR (root 1777: sticky, safe). */
	mkd("a", 0755, 0);
	mkd("a/swap", 0700, 0);
	expect("a/swap", 0, NULL, NULL);

	mkd("u", 0755, 65534);
	mkd("u/swap", 0700, 0);
	snprintf(p, sizeof(p), "%s/u ", base);
	expect("u/swap", GM_EXIT_DIR_PARENT, p, "uid 65534");
	expect("u/swap", GM_EXIT_DIR_PARENT, "mode 0755",
	       "is not owned by root");

	mkd("w", 0777, 0);
	mkd("w/swap", 0700, 0);
	expect("w/swap", GM_EXIT_DIR_PARENT, "mode 0777",
	       "writable by group or others without the sticky bit");

	mkd("g", 0770, 0);
	mkd("g/swap", 0700, 0);
	expect("g/swap", GM_EXIT_DIR_PARENT, "mode 0770", NULL);

	/* Sticky and root's: a user cannot rename root's swap away. */
	mkd("t", 01777, 0);
	mkd("t/swap", 0700, 0);
	expect("t/swap", 0, NULL, NULL);
	/* ...but a user's directory in it is theirs to replace. */
	mkd("t/mine", 0755, 65534);
	mkd("t/mine/swap", 0700, 0);
	snprintf(p, sizeof(p), "%s/t/mine ", base);
	expect("t/mine/swap", GM_EXIT_DIR_PARENT, p, "uid 65534");

	/* The first unsafe step from / is named, and the directory's own
	 * faults come first. */
	mkd("u/open", 0777, 0);
	mkd("u/open/swap", 0700, 0);
	snprintf(p, sizeof(p), "%s/u ", base);
	expect("u/open/swap", GM_EXIT_DIR_PARENT, p, NULL);
	mkd("u/bad", 0755, 0);
	mkd("u/bad/swap", 0755, 0);
	expect("u/bad/swap", GM_EXIT_DIR_MODE, NULL, NULL);

	/* Missing under an unsafe parent: refused, and not created. */
	expect("u/new", GM_EXIT_DIR_PARENT, "is not owned by root", NULL);
	snprintf(p, sizeof(p), "%s/u/new", base);
	CHECK(lstat(p, &st) < 0, "created %s under a user's parent", p);

	/* Links: root's are followed and their targets judged. */
	snprintf(q, sizeof(q), "%s/a", base);
	mkl("abs", q, 0);
	expect("abs/swap", 0, NULL, NULL);
	mkl("rel", "a", 0);
	expect("rel/swap", 0, NULL, NULL);
	snprintf(q, sizeof(q), "%s/u", base);
	mkl("tou", q, 0);
	snprintf(p, sizeof(p), "%s/u ", base);
	expect("tou/swap", GM_EXIT_DIR_PARENT, p, "not owned by root");
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
	snprintf(q, sizeof(q), "%s/a/swap", base);
	mkl("swaplink", q, 0);
	expect("swaplink", GM_EXIT_DIR_SYMLINK, NULL, NULL);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[128];

	test_rule();
	snprintf(base, sizeof(base), "%s/gm-swapdir.XXXXXX",
		 tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
	if (mkdtemp(base) == NULL) {
		CHECK(0, "mkdtemp %s: %s", base, strerror(errno));
		T_END();
	}
	test_trees();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	CHECK(system(cmd) == 0, "%s", cmd);
	T_END();
}
