/* The daemon's process plumbing (proc.h). */
#include "proc.h"

#include "config.h"
#include "log.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

volatile sig_atomic_t proc_got_term, proc_got_hup, proc_got_usr1,
	proc_got_usr2;

static void on_signal(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT: proc_got_term = 1; break;
	case SIGHUP: proc_got_hup = 1; break;
	case SIGUSR1: proc_got_usr1 = 1; break;
	case SIGUSR2: proc_got_usr2 = 1; break;
	default: break;
	}
}

int proc_pidfile_lock(const char *path)
{
	struct stat st;
	int fd;

	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		fatalx(GM_EXIT_PIDFILE, "pid file %s is not a regular file"
		       " (a symlink?); refusing to use it", path);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		fatal(GM_EXIT_PIDFILE, "cannot open pid file %s", path);
	/* Judge what was opened: truncating a file with another name
	 * would write through to that name. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1)
		fatalx(GM_EXIT_PIDFILE, "pid file %s is not a plain file with "
		       "one name (a hard link?); refusing to use it", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		char buf[32] = "";
		ssize_t n;

		if (errno != EWOULDBLOCK && errno != EAGAIN)
			fatal(GM_EXIT_PIDFILE, "cannot lock pid file %s", path);
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		if (n > 0)
			buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		fatalx(GM_EXIT_RUNNING, "already running (pid %s, pid file %s)",
		       buf[0] ? buf : "?", path);
	}
	return fd;
}

void proc_pidfile_write(int fd, const char *path)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n)
		fatal(GM_EXIT_PIDFILE, "cannot write pid file %s", path);
}

int proc_daemonize(void)
{
	int ready[2], fd;
	pid_t pid;

	if (pipe(ready) < 0)
		fatal(GM_EXIT_RUNTIME, "pipe");
	pid = fork();
	if (pid < 0)
		fatal(GM_EXIT_RUNTIME, "fork");
	if (pid > 0) {
		char c = 0;
		ssize_t n;

		close(ready[1]);
		/* The intermediate child exits at once: reap it, or it
		 * stays a zombie under an init that does not reap. */
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		do
			n = read(ready[0], &c, 1);
		while (n < 0 && errno == EINTR);
		/* No byte: the daemon died before it was ready. */
		_exit(n == 1 && c == 'R' ? GM_EXIT_OK : GM_EXIT_RUNTIME);
	}
	close(ready[0]);
	if (setsid() < 0)
		fatal(GM_EXIT_RUNTIME, "setsid");
	pid = fork();
	if (pid < 0)
		fatal(GM_EXIT_RUNTIME, "fork");
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		fatal(GM_EXIT_RUNTIME, "chdir /");
	umask(022);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return ready[1];
}

void proc_ready(int fd)
{
	if (fd >= 0) {
		(void)!write(fd, "R", 1);
		close(fd);
	}
}

enum memlock_mode proc_protect(void)
{
	enum memlock_mode mode;
	int fd;

	/* One malloc arena: a worker thread would otherwise map an arena
	 * of its own (64 MiB of address space, locked on touch). */
	mallopt(M_ARENA_MAX, 1);
	mode = memlock_start();
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "-1000", 5) != 5)
		log_warn("cannot set oom_score_adj to -1000");
	if (fd >= 0)
		close(fd);
	return mode;
}

void proc_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;
	int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2};
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* Under a file size limit, fallocate/write must fail with EFBIG
	 * ("no room"), not kill the daemon mid-creation. */
	sigaction(SIGXFSZ, &sa, NULL);
	/* Signals are taken only while we wait, so a flag set just before
	 * the wait still ends it at once.  Threads started later inherit
	 * the block and never take them. */
	sigprocmask(SIG_BLOCK, &block, waitmask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(waitmask, sigs[i]);
}

int proc_mkdir_mode(const char *dir, unsigned mode)
{
	int fd;

	if (mkdir(dir, (mode_t)mode) < 0) {
		if (errno != EEXIST)
			return -errno;
		return 0;
	}
	/* The umask (UMask=0077 under the unit) cut the mode mkdir got. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, (mode_t)mode) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	close(fd);
	return 0;
}

int proc_parse_capeff(const char *buf, size_t len, uint64_t *capeff)
{
	static const char key[] = "CapEff:";
	size_t i = 0, k = sizeof(key) - 1;

	while (i < len) {
		const char *eol = memchr(buf + i, '\n', len - i);
		size_t end = eol ? (size_t)(eol - buf) : len;

		if (end - i > k && memcmp(buf + i, key, k) == 0) {
			size_t j, n = 0;
			uint64_t v = 0;

			for (j = i + k; j < end && (buf[j] == '\t' ||
						   buf[j] == ' '); j++)
				;
			for (; j < end; j++, n++) {
				char c = buf[j];
				int d = c >= '0' && c <= '9'   ? c - '0'
					: c >= 'a' && c <= 'f' ? c - 'a' + 10
					: c >= 'A' && c <= 'F' ? c - 'A' + 10
							       : -1;
				if (d < 0 || n == 16)
					return -EINVAL;
				v = v << 4 | (uint64_t)d;
			}
			if (n == 0)
				return -EINVAL;
			*capeff = v;
			return 0;
		}
		i = end + 1;
	}
	return -EINVAL;
}

int proc_has_sys_admin(const char *status_path)
{
	char buf[4096];
	size_t len = 0;
	uint64_t cap;
	int rc = gm_read_file(status_path, buf, sizeof(buf), &len, true);

	if (rc < 0)
		return rc;
	rc = proc_parse_capeff(buf, len, &cap);
	if (rc < 0)
		return rc;
	return (int)((cap >> PROC_CAP_SYS_ADMIN) & 1);
}
