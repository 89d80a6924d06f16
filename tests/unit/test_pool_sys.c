/* pool_sys.c in a temporary directory: the real exists (a dangling link
 * or a name it cannot look at counts as taken), page size, meminfo and
 * space; the wake pipe and its drain; and, as root, pool_open (real path
 * through a link, the pipe's flags), the directory lock that keeps a
 * second daemon out, and pool_close.  Not root: those print SKIP. */
#include "config.h"
#include "log.h"
#include "pool.h"
#include "t.h"
#include "t_swap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>

static void test_exists(void)
{
	char p[400], sub[300];
	struct swapdir d;

	snprintf(sub, sizeof(sub), "%s/dir", base);
	mkdir(sub, 0700);
	d = open_dir(sub);
	CHECK(d.fd >= 0, "open %s", sub);
	CHECK(!pool_sys_real.exists(&d, "1"), "an absent name is free");
	snprintf(p, sizeof(p), "%s/1", sub);
	close(open(p, O_CREAT | O_WRONLY, 0600));
	CHECK(pool_sys_real.exists(&d, "1"), "a file is taken");
	snprintf(p, sizeof(p), "%s/2", sub);
	CHECK(symlink("/nonexistent/gm", p) == 0, "symlink");
	CHECK(pool_sys_real.exists(&d, "2"), "a dangling link is taken "
	      "(never followed)");
	snprintf(p, sizeof(p), "%s/3", sub);
	mkdir(p, 0700);
	CHECK(pool_sys_real.exists(&d, "3"), "a directory is taken");
	/* Any error but ENOENT: taken (ENOTDIR here). */
	CHECK(pool_sys_real.exists(&d, "1/x"), "a name that cannot be "
	      "looked at is taken");
	close(d.fd);
}

static void test_world(void)
{
	struct meminfo mi;
	struct swapdir d = open_dir(base);
	uint64_t avail = 0, size = 0;

	CHECK(pool_sys_real.page_size() == sysconf(_SC_PAGESIZE),
	      "page size: %ld", pool_sys_real.page_size());
	CHECK(pool_sys_real.meminfo(&mi) == 0 && mi.mem_total_kb > 0,
	      "a fresh /proc/meminfo reading");
	CHECK(pool_sys_real.space(&d, &avail, &size) == 0 && size > 0 &&
		      avail <= size,
	      "space of the directory: %llu of %llu",
	      (unsigned long long)avail, (unsigned long long)size);
	close(d.fd);
	/* The daemon's table reaches the modules that do the work. */
	CHECK(pool_sys_real.make == swapfile_make &&
		      pool_sys_real.deactivate == swapfile_deactivate &&
		      pool_sys_real.swaps_read == swaps_read &&
		      pool_sys_real.space == swapdir_space,
	      "pool_sys_real calls swapfile, swaps and swapdir");
}

static void test_wake(void)
{
	struct pool p;
	char byte = 1;
	int i;

	memset(&p, 0, sizeof(p));
	p.wake[0] = p.wake[1] = -1;
	p.dir.fd = -1;
	CHECK(pool_wake_fd(&p) == -1, "no pipe: -1 (poll skips it)");
	pool_wake_drain(&p); /* must not block or crash */
	CHECK(pipe2(p.wake, O_NONBLOCK) == 0, "pipe");
	for (i = 0; i < 40; i++)
		CHECK(write(p.wake[1], &byte, 1) == 1, "write %d", i);
	CHECK(pool_wake_fd(&p) == p.wake[0], "the read end is polled");
	pool_wake_drain(&p);
	errno = 0;
	CHECK(read(p.wake[0], &byte, 1) < 0 && errno == EAGAIN,
	      "drained: nothing left (errno %d)", errno);
	pool_close(&p);
	CHECK(p.wake[0] == -1 && p.wake[1] == -1 && p.dir.fd == -1,
	      "pool_close forgets every fd");
}

static void test_open_refused(void)
{
	struct pool p;
	char err[300] = "";

	CHECK(pool_open(&p, "relative/dir", &pool_sys_real, err,
			sizeof(err)) == GM_EXIT_USAGE &&
		      strstr(err, "absolute path"),
	      "a relative path: %s", err);
	CHECK(p.wake[0] == -1 && p.wake[1] == -1 && p.dir.fd == -1,
	      "a refused open leaves no fd");
}

static void test_open_lock(void)
{
	struct pool a, b;
	char dir[300], link[300], via[320], real[PATH_MAX], err[700] = "";
	int fl;

	if (!is_root) {
		printf("SKIP pool_open-lock: not root (the swap directory "
		       "must be root's)\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/pool", base);
	snprintf(link, sizeof(link), "%s/link", base);
	snprintf(via, sizeof(via), "%s/pool", link);
	CHECK(symlink(base, link) == 0, "symlink %s", link);
	CHECK(pool_open(&a, dir, &pool_sys_real, err, sizeof(err)) == 0,
	      "pool_open %s: %s", dir, err);
	CHECK(realpath(dir, real) && strcmp(a.dir.canon, real) == 0,
	      "real path: %s", a.dir.canon);
	CHECK(a.sys == &pool_sys_real && strcmp(a.swaps_path, "/proc/swaps") == 0,
	      "the given ops, /proc/swaps");
	fl = fcntl(a.wake[0], F_GETFL);
	CHECK(a.wake[0] >= 0 && fl >= 0 && (fl & O_NONBLOCK) &&
		      (fcntl(a.wake[1], F_GETFD) & FD_CLOEXEC),
	      "wake pipe: non-blocking, close-on-exec");
	CHECK(pool_lock(&a, err, sizeof(err)) == 0, "first lock: %s", err);

	/* A second daemon, even through another path, is refused. */
	CHECK(pool_open(&b, via, &pool_sys_real, err, sizeof(err)) == 0,
	      "pool_open through a link: %s", err);
	CHECK(strcmp(b.dir.canon, real) == 0, "the link resolved: %s",
	      b.dir.canon);
	err[0] = '\0';
	CHECK(pool_lock(&b, err, sizeof(err)) == GM_EXIT_RUNNING &&
		      strstr(err, "in use by another ghostmemory") &&
		      strstr(err, real),
	      "second lock refused: %s", err);
	pool_close(&a);
	CHECK(pool_lock(&b, err, sizeof(err)) == 0,
	      "the lock is free once the first closed: %s", err);
	pool_close(&b);
	CHECK(b.dir.fd == -1, "pool_close closes the directory");
	unlink(link);
}

int main(void)
{
	log_init(false, -1);
	if (swap_fixture_begin() < 0)
		T_END();
	test_exists();
	test_world();
	test_wake();
	test_open_refused();
	test_open_lock();
	rm_tree(base);
	T_END();
}
