/* --record: the trace format's writer (its reader is trace.c).  Every
 * snapshot goes out in one write, so a stop by signal, or a reader
 * tailing the file, only ever sees whole snapshots; a failed write is
 * cut back to the last whole one. */
#include "record.h"

#include "config.h"
#include "swappath.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* /proc/meminfo is about 1.5 KB; a fixture may be larger. */
#define BODY_MAX 65536

size_t record_header(char *buf, size_t cap, const struct record_head *h)
{
	char kernel[65];
	size_t i;
	int n;

	/* One line whatever uname says. */
	snprintf(kernel, sizeof(kernel), "%s", h->kernel ? h->kernel : "");
	for (i = 0; kernel[i]; i++)
		if (kernel[i] == '\n' || kernel[i] == '\r')
			kernel[i] = ' ';
	n = snprintf(buf, cap, "ghostmemory-trace 1\n"
		     "# recorded by ghostmemory --record every %" PRId64
		     " ms from %s, kernel %s\n"
		     "# stops before %" PRIu64 " bytes\n", h->interval_ms,
		     h->source, kernel[0] ? kernel : "unknown",
		     RECORD_MAX_BYTES);
	if (n < 0 || (size_t)n >= cap)
		return 0;
	if (h->have_disk) {
		int m = snprintf(buf + n, cap - (size_t)n,
				 "disk_size_kb=%" PRIu64 "\n"
				 "disk_avail_kb=%" PRIu64 "\n",
				 h->disk_size_kb, h->disk_avail_kb);
		if (m < 0 || (size_t)m >= cap - (size_t)n)
			return 0;
		n += m;
	}
	if (h->page_size) {
		int m = snprintf(buf + n, cap - (size_t)n,
				 "page_size=%" PRIu64 "\n", h->page_size);
		if (m < 0 || (size_t)m >= cap - (size_t)n)
			return 0;
		n += m;
	}
	return (size_t)n;
}

static bool meminfo_line(const char *p, size_t n)
{
	return n > 1 && ((p[0] >= 'A' && p[0] <= 'Z') ||
			 (p[0] >= 'a' && p[0] <= 'z')) &&
	       memchr(p, ':', n) && !memchr(p, '\0', n);
}

size_t record_snapshot(char *buf, size_t cap, int64_t t_ms,
		       const char *body, size_t len)
{
	const char *p = body, *end = body + len;
	size_t out, kept = 0;
	int n;

	if (t_ms < 0)
		return 0;
	n = snprintf(buf, cap, "T %" PRId64 ".%03d\n", t_ms / 1000,
		     (int)(t_ms % 1000));
	if (n < 0 || (size_t)n >= cap)
		return 0;
	out = (size_t)n;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = (size_t)((eol ? eol : end) - p);

		if (meminfo_line(p, l)) {
			if (out + l + 1 > cap)
				return 0;
			memcpy(buf + out, p, l);
			buf[out + l] = '\n';
			out += l + 1;
			kept++;
		}
		p += l + 1;
	}
	return kept ? out : 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The filesystem the swap files would go to: the swap directory, or
 * the nearest parent that exists (before the package made it). */
static bool disk_of(const char *dir, uint64_t *size_kb, uint64_t *avail_kb)
{
	char path[256];
	struct statvfs sv;

	snprintf(path, sizeof(path), "%s", dir);
	for (;;) {
		char *slash;

		if (statvfs(path, &sv) == 0) {
			*size_kb = (uint64_t)sv.f_blocks * sv.f_frsize / 1024;
			*avail_kb = (uint64_t)sv.f_bavail * sv.f_frsize / 1024;
			return true;
		}
		slash = strrchr(path, '/');
		if (!slash || slash == path)
			return false;
		*slash = '\0';
	}
}

static const char *const stop_why[] = {"", "--duration reached",
				       "the size bound reached", "a signal",
				       "the reader closed the pipe"};

int record_run(const struct config *cfg)
{
	static char body[BODY_MAX], snap[BODY_MAX + 64];
	const char *src = cfg->meminfo_path[0] ? cfg->meminfo_path
					       : "/proc/meminfo";
	const char *path = cfg->record_path;
	struct record_head h;
	struct utsname un;
	char dirs[SWAPPATH_TIERS_MAX][256], msg[300];
	sigset_t stop, old;
	char head[1024];
	size_t len = 0, n;
	uint64_t written = 0;
	int64_t start, k;
	long snaps = 0;
	long ps = sysconf(_SC_PAGESIZE);
	int fd, rc, why = 0;
	bool to_stdout = strcmp(path, "-") == 0;

	/* An unreadable source creates nothing. */
	rc = gm_read_file(src, body, sizeof(body), &len, false);
	if (rc < 0) {
		fprintf(stderr, "ghostmemory: cannot read %s: %s\n", src,
			strerror(-rc));
		return GM_EXIT_RUNTIME;
	}
	memset(&h, 0, sizeof(h));
	h.interval_ms = cfg->record_interval_ms;
	h.source = src;
	h.kernel = uname(&un) == 0 ? un.release : "";
	/* Tiers: the first directory's disk (the one filled first). */
	h.have_disk = swappath_split(cfg->swappath, dirs, SWAPPATH_TIERS_MAX,
				     msg, sizeof(msg)) > 0 &&
		      disk_of(dirs[0], &h.disk_size_kb, &h.disk_avail_kb);
	h.page_size = ps > 0 ? (uint64_t)ps : 0;
	n = record_header(head, sizeof(head), &h);

	/* A trace is never appended to or overwritten: a second recording
	 * has another clock, and the file may be someone else's. */
	fd = to_stdout ? STDOUT_FILENO
		       : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
					    O_NOCTTY, 0644);
	if (fd < 0) {
		int e = errno;
		fprintf(stderr, "ghostmemory: cannot create %s: %s%s\n", path,
			strerror(e), e == EEXIST ? " (choose a new name: a "
			"trace is never overwritten)" : "");
		return e == EEXIST ? GM_EXIT_USAGE : GM_EXIT_RUNTIME;
	}
	/* Stop signals are taken synchronously by sigtimedwait below: no
	 * handler, and nothing stops the process between two writes. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &old);
	signal(SIGPIPE, SIG_IGN);

	rc = n ? write_all(fd, head, n) : -EINVAL;
	written = n;
	start = gm_now_ms();
	for (k = 0; rc == 0; k++) {
		int64_t now = gm_now_ms(), due;
		size_t sl;

		sl = record_snapshot(snap, sizeof(snap), now - start, body, len);
		if (sl && written + sl > RECORD_MAX_BYTES) {
			why = 2;
			break;
		}
		if (sl) {
			rc = write_all(fd, snap, sl);
			if (rc == -EPIPE) {
				/* `--record=- | head`: the reader is done. */
				rc = 0;
				why = 4;
				break;
			}
			if (rc < 0) {
				/* Leave whole snapshots only. */
				if (!to_stdout &&
				    ftruncate(fd, (off_t)written) < 0)
					rc = -errno;
				break;
			}
			written += sl;
			snaps++;
		} else if (!cfg->quiet) {
			fprintf(stderr, "ghostmemory: %s has no meminfo line; "
				"snapshot skipped\n", src);
		}
		due = start + (k + 1) * cfg->record_interval_ms;
		if (cfg->record_duration_s &&
		    due - start > cfg->record_duration_s * 1000) {
			why = 1;
			break;
		}
		while ((now = gm_now_ms()) < due) {
			struct timespec ts;
			int64_t left = due - now;

			ts.tv_sec = (time_t)(left / 1000);
			ts.tv_nsec = (long)(left % 1000) * 1000000L;
			if (sigtimedwait(&stop, NULL, &ts) > 0) {
				why = 3;
				break;
			}
		}
		if (why)
			break;
		rc = gm_read_file(src, body, sizeof(body), &len, false);
		if (rc < 0) {
			if (!cfg->quiet)
				fprintf(stderr, "ghostmemory: cannot read %s: "
					"%s; snapshot skipped\n", src,
					strerror(-rc));
			len = 0;
			rc = 0;
		}
	}
	if (!to_stdout && close(fd) < 0 && rc == 0)
		rc = -errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc < 0) {
		fprintf(stderr, "ghostmemory: writing %s: %s (%ld whole "
			"snapshots kept)\n", path, strerror(-rc), snaps);
		return GM_EXIT_RUNTIME;
	}
	if (!cfg->quiet)
		fprintf(stderr, "ghostmemory: %ld snapshots, %" PRIu64
			" bytes, in %s; stopped: %s\n", snaps, written,
			to_stdout ? "standard output" : path, stop_why[why]);
	return GM_EXIT_OK;
}
