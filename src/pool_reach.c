/* The swap directory on a network filesystem (pool_reach.h).  With a
 * hard NFS mount any system call on the mount can wait for as long as
 * the server does not answer, so the loop makes none: a probe thread
 * asks for the free space (statfs goes to the server) and lists the
 * directory; the loop reads what the last probe found, and reach.c
 * judges from the probe's timing whether the directory answers.  A
 * probe that hangs is left to hang; no second one starts meanwhile.
 * The same holds at start: a directory that does not answer is opened
 * by a thread once it does, and the daemon starts without it. */
#include "pool.h"

#include "config.h"
#include "log.h"
#include "mountinfo.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Thousands of mounts (containers) still fit. */
#define MOUNTINFO_MAX (8u << 20)

static void wake(int fd)
{
	if (fd >= 0)
		(void)!write(fd, "", 1);
}

static void note_name(void *ctx, const char *name)
{
	struct pool_probe *pr = ctx;
	int slot = pool_slot_of_name(name);

	if (slot > 0 && slot < PROBE_SLOTS)
		pr->taken[slot / 8] |= (unsigned char)(1u << (slot % 8));
}

void pool_probe_run(struct pool_probe *pr)
{
	const struct pool *p = pr->p;
	int rc, fd;

	memset(pr->taken, 0, sizeof(pr->taken));
	rc = p->sys->space(&p->dir, &pr->avail_b, &pr->size_b);
	if (rc == 0)
		rc = p->sys->sweep(&p->dir, note_name, pr);
	pr->err = -rc;
	/* Nothing of *pr is touched after done: the loop may reuse it. */
	fd = pr->wake_fd;
	__atomic_store_n(&pr->done, 1, __ATOMIC_RELEASE);
	wake(fd);
}

static void *probe_thread(void *arg)
{
	pool_probe_run(arg);
	return NULL;
}

/* A detached thread with a small stack, as the lanes' workers. */
static int start_thread(void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t tid;
	int rc;

	if (pthread_attr_init(&attr) != 0)
		return -ENOMEM;
	(void)pthread_attr_setstacksize(
		&attr, pool_worker_stack_b(sysconf(_SC_THREAD_STACK_MIN)));
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return -rc;
}

static void *close_thread(void *arg)
{
	const int *fds = arg;

	/* The lock file first: its unlock is what waits for the server. */
	if (fds[1] >= 0)
		close(fds[1]);
	if (fds[0] >= 0)
		close(fds[0]);
	return NULL;
}

void pool_reach_release(struct pool *p)
{
	static int fds[2]; /* read by the thread: never on a stack */
	struct pool_probe *probe = p->reach.probe;
	int i;

	/* The probe's memory, unless a thread still writes it. */
	if (probe && (!p->reach.r.probing ||
		      __atomic_load_n(&probe->done, __ATOMIC_ACQUIRE))) {
		free(probe);
		p->reach.probe = NULL;
		p->reach.r.probing = false;
	}
	if (!p->reach.guarded || pool_reach_up(p) ||
	    (p->dir.fd < 0 && p->dir.lock_fd < 0))
		return;
	fds[0] = p->dir.fd;
	fds[1] = p->dir.lock_fd;
	if (start_thread(close_thread, fds) < 0)
		return; /* closed by pool_close then, waiting */
	/* Until the thread has taken both out of the table: a handle left
	 * there is closed by the exit itself, whose last thread then waits
	 * for the server's unlock (seen: 25 s), and fds is reused by the
	 * next tier.  F_GETFD never touches the mount. */
	for (i = 0; i < 100 && (fcntl(fds[0], F_GETFD) >= 0 ||
				fcntl(fds[1], F_GETFD) >= 0); i++)
		(void)poll(NULL, 0, 5);
	log_notice("swap directory %s does not answer: its lock is left to "
		   "the server to drop (when this host's lease runs out)",
		   p->dir.canon);
	p->dir.fd = p->dir.lock_fd = -1;
}

static void opener_run(struct pool_opener *o)
{
	struct pool *s = o->staged;
	int fd;

	o->listed_ms = gm_now_ms();
	if (o->mode != OPENER_ADOPT) {
		o->rc = pool_open(s, o->path, s->sys, o->err, sizeof(o->err));
		if (o->rc == 0) {
			o->rc = pool_lock(s, o->err, sizeof(o->err));
			if (o->rc != 0)
				pool_close(s);
		}
	}
	if (o->rc == 0 && o->mode != OPENER_OPEN_LOCK)
		pool_adopt(s, o->min_swapsize_b, gm_now_ms());
	if (o->rc == 0) {
		/* The first probe's answer, so a GROW need not wait for
		 * the loop's. */
		o->first.p = s;
		o->first.wake_fd = -1;
		pool_probe_run(&o->first);
		if (o->first.err)
			o->listed_ms = -1;
	}
	fd = __atomic_load_n(&o->wake_fd, __ATOMIC_ACQUIRE);
	__atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
	wake(fd);
}

static void *opener_thread(void *arg)
{
	opener_run(arg);
	return NULL;
}

/* from: the pool an adoption works on a copy of (its handles shared);
 * NULL for an open, which starts from nothing. */
static struct pool_opener *opener_start(const struct pool_sys *sys,
					const struct pool *from,
					const char *path,
					enum opener_mode mode,
					uint64_t min_b, int wake_fd)
{
	struct pool_opener *o = calloc(1, sizeof(*o));

	if (!o || !(o->staged = calloc(1, sizeof(*o->staged)))) {
		free(o);
		return NULL;
	}
	if (from) {
		*o->staged = *from;
		o->staged->reach.pending = false;
	}
	o->staged->sys = sys;
	o->wake_fd = wake_fd;
	o->mode = mode;
	o->min_swapsize_b = min_b;
	o->pid = getpid();
	snprintf(o->path, sizeof(o->path), "%s", path);
	if (start_thread(opener_thread, o) < 0) {
		free(o->staged);
		free(o);
		return NULL;
	}
	return o;
}

/* Is path (expanded, not resolved) on an NFS mount, as mountinfo says?
 * Nothing on the path is touched. */
static bool path_on_net(const char *path)
{
	struct mount_entry m;
	char *buf = NULL;
	size_t len;
	int rc;

	if (gm_read_alloc("/proc/self/mountinfo", MOUNTINFO_MAX, &buf, &len) < 0)
		return false;
	rc = mountinfo_find(buf, len, path, false, 0, 0, &m, NULL);
	free(buf);
	return rc == 0 && mount_is_nfs(m.fstype);
}

void pool_reach_guard(struct pool *p, int64_t now_ms)
{
	p->reach.guarded = true;
	p->reach.listed_ms = -1;
	reach_init(&p->reach.r, now_ms);
}

/* An opener's listing of the directory: the first probe's answer. */
static void seed(struct pool *p, const struct pool_opener *o)
{
	p->reach.listed_ms = o->listed_ms;
	p->reach.avail_b = o->first.avail_b;
	p->reach.size_b = o->first.size_b;
	memcpy(p->reach.taken, o->first.taken, sizeof(p->reach.taken));
	p->reach.r.next_ms = gm_now_ms() + reach_defaults.interval_ms;
}

/* Wait until o is done or until_ms; true when done. */
static bool opener_wait(const struct pool_opener *o, int fd, int64_t until_ms)
{
	struct pollfd pfd = {fd, POLLIN, 0};
	int64_t left;

	while (!__atomic_load_n(&o->done, __ATOMIC_ACQUIRE) &&
	       (left = until_ms - gm_now_ms()) > 0)
		(void)poll(&pfd, 1, (int)left);
	return __atomic_load_n(&o->done, __ATOMIC_ACQUIRE);
}

/* The directory does not answer (yet): nothing is made there until
 * the opener o (left to its thread) has finished. */
static void mark_pending(struct pool *p, struct pool_opener *o)
{
	p->reach.pending = true;
	p->reach.opener = o; /* waited for, not doubled, in this process */
	/* Its end wakes the loop from now on (or its old pipe got the
	 * byte just before: the next tick takes it in). */
	__atomic_store_n(&o->wake_fd, p->wake[1], __ATOMIC_RELEASE);
	p->reach.r.up = false;
	p->reach.r.last_err = ETIMEDOUT;
	p->reach.r.lost++;
	p->reach.r.changed_ms = gm_now_ms();
}

int pool_open_bounded(struct pool *p, const char *swappath,
		      const struct pool_sys *sys, uint64_t min_swapsize_b,
		      int64_t wait_ms, char *err, size_t errlen)
{
	struct pool_opener *o;
	char path[256];
	int rc, pipefd[2];
	int64_t t0 = gm_now_ms();

	rc = pool_expand_swappath(swappath, path, sizeof(path), err, errlen);
	if (rc)
		return rc;
	if (!path_on_net(path))
		return pool_open(p, swappath, sys, err, errlen);
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0)
		return pool_open(p, swappath, sys, err, errlen);
	o = opener_start(sys, NULL, path, OPENER_OPEN_LOCK, min_swapsize_b,
			 pipefd[1]);
	if (!o) {
		close(pipefd[0]);
		close(pipefd[1]);
		return pool_open(p, swappath, sys, err, errlen);
	}
	if (opener_wait(o, pipefd[0], t0 + wait_ms)) {
		close(pipefd[0]);
		close(pipefd[1]);
		rc = o->rc;
		if (rc == 0) {
			*p = *o->staged;
			pool_reach_guard(p, gm_now_ms());
			p->reach.locked = true;
			seed(p, o);
		} else {
			snprintf(err, errlen, "%s", o->err);
		}
		free(o->staged);
		free(o);
		return rc;
	}
	/* It hangs: the thread keeps o, its pipe and its pool (a thread
	 * is never waited on); the daemon starts without the directory. */
	memset(p, 0, sizeof(*p));
	p->sys = sys;
	p->swaps_path = "/proc/swaps";
	p->dir.fd = p->dir.lock_fd = -1;
	snprintf(p->dir.path, sizeof(p->dir.path), "%s", path);
	snprintf(p->dir.canon, sizeof(p->dir.canon), "%s", path);
	if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		p->wake[0] = p->wake[1] = -1;
	pool_reach_guard(p, gm_now_ms());
	p->reach.min_swapsize_b = min_swapsize_b;
	mark_pending(p, o);
	log_warnx("swap directory %s does not answer (its NFS server?) after "
		  "%lld ms; starting without it: it is opened when it "
		  "answers", path, (long long)wait_ms);
	return 0;
}

static void take_opened(struct pool *p, int64_t now_ms, bool late);

void pool_adopt_bounded(struct pool *p, uint64_t min_swapsize_b,
			int64_t now_ms, int64_t wait_ms)
{
	struct pool_opener *o;
	int pipefd[2];

	if (!p->reach.guarded || p->reach.pending) {
		pool_adopt(p, min_swapsize_b, now_ms);
		return;
	}
	p->reach.min_swapsize_b = min_swapsize_b;
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    !(o = opener_start(p->sys, p, p->dir.path, OPENER_ADOPT,
			       min_swapsize_b, pipefd[1]))) {
		pool_adopt(p, min_swapsize_b, now_ms);
		return;
	}
	if (opener_wait(o, pipefd[0], gm_now_ms() + wait_ms)) {
		close(pipefd[0]);
		close(pipefd[1]);
		p->reach.opener = o;
		take_opened(p, gm_now_ms(), false);
		return;
	}
	/* The thread keeps its pipe; the loop takes the adoption in. */
	mark_pending(p, o);
	log_warnx("swap directory %s does not answer (its NFS server?) after "
		  "%lld ms; going on without it: its files are adopted when "
		  "it answers", p->dir.canon, (long long)wait_ms);
}

/* A deferred open finished: take its pool over (the loop's wake pipe
 * and reachability stay ours); an adoption: take its books.  late: the
 * loop takes it (said in the log), not the start. */
static void take_opened(struct pool *p, int64_t now_ms, bool late)
{
	struct pool_opener *o = p->reach.opener;
	struct pool_reach keep = p->reach;
	const int wake_fds[2] = {p->wake[0], p->wake[1]};
	struct pool *s = o->staged;
	bool was_down = !p->reach.r.up;

	p->reach.opener = NULL;
	if (o->mode == OPENER_ADOPT) {
		/* The copy shares our handles: only its books are new. */
		p->n = s->n;
		memcpy(p->f, s->f, sizeof(p->f));
		p->c = s->c;
		p->reach.pending = false;
		seed(p, o);
		free(s);
		free(o);
		if (was_down) {
			p->reach.r.up = true;
			p->reach.r.regained++;
			p->reach.r.changed_ms = now_ms;
		}
		if (late)
			log_notice("swap directory %s answers: %d file(s) "
				   "adopted", p->dir.canon, p->n);
		return;
	}
	if (o->rc != 0) {
		log_errx("%s; ghostmemory goes on without this swap directory "
			 "until it is restarted", o->err);
		p->reach.pending = false;
		p->reach.failed = true;
		p->reach.r.up = false;
		p->reach.r.changed_ms = now_ms;
		free(s);
		free(o);
		return;
	}
	if (s->wake[0] >= 0)
		close(s->wake[0]);
	if (s->wake[1] >= 0)
		close(s->wake[1]);
	*p = *s;
	p->wake[0] = wake_fds[0];
	p->wake[1] = wake_fds[1];
	p->reach = keep;
	p->reach.pending = false;
	p->reach.opener = NULL;
	p->reach.locked = true;
	/* The opener listed it just now: that is the first probe. */
	seed(p, o);
	free(s);
	free(o);
	p->reach.r.up = true;
	p->reach.r.probing = false;
	p->reach.r.regained++;
	p->reach.r.changed_ms = now_ms;
	log_notice("swap directory %s answers: opened, locked, %d file(s) "
		   "adopted", p->dir.canon, p->n);
}

/* c as reach.c said it; down_ms: how long it did not answer. */
static void log_change(const struct pool *p, enum reach_change c,
		       int64_t down_ms)
{
	const struct reach *r = &p->reach.r;

	if (c == REACH_LOST)
		log_warnx("swap directory %s does not answer (%s): no new "
			  "swap file there until it does",
			  p->dir.canon,
			  r->last_err == ETIMEDOUT ? "no answer within the deadline"
						   : strerror(r->last_err));
	else if (c == REACH_BACK)
		log_notice("swap directory %s answers again (after %lld s)",
			   p->dir.canon, (long long)((down_ms + 999) / 1000));
}

static bool pending_tick(struct pool *p, int64_t now_ms)
{
	struct pool_opener *o = p->reach.opener;

	if (o && o->pid == getpid()) {
		if (!__atomic_load_n(&o->done, __ATOMIC_ACQUIRE))
			return false; /* still out: never a second one */
		if (o->mode != OPENER_OPEN_LOCK || o->rc != 0) {
			take_opened(p, now_ms, true);
			return true;
		}
		/* start-up's open and lock (no adoption) answered late:
		 * let it go (and its lock), and do it all again now that
		 * it answers. */
		if (o->staged->wake[0] >= 0)
			pool_close(o->staged);
		free(o->staged);
		free(o);
	}
	/* None yet, or the one of the process we were forked from (a
	 * thread does not cross fork): start ours. */
	p->reach.opener = opener_start(p->sys, NULL, p->dir.path, OPENER_ALL,
				       p->reach.min_swapsize_b, p->wake[1]);
	return false;
}

bool pool_reach_tick(struct pool *p, int64_t now_ms)
{
	struct pool_reach *pr = &p->reach;
	struct pool_probe *probe = pr->probe;
	enum reach_change c = REACH_SAME;
	int64_t changed = pr->r.changed_ms;

	if (!pr->guarded || pr->failed || p->stopping)
		return false;
	if (pr->pending)
		return pending_tick(p, now_ms);
	if (pr->r.probing && __atomic_load_n(&probe->done, __ATOMIC_ACQUIRE)) {
		if (probe->err == 0) {
			pr->listed_ms = pr->r.started_ms;
			pr->avail_b = probe->avail_b;
			pr->size_b = probe->size_b;
			memcpy(pr->taken, probe->taken, sizeof(pr->taken));
		}
		c = reach_answered(&pr->r, &reach_defaults, probe->err, now_ms);
	} else {
		c = reach_check(&pr->r, &reach_defaults, now_ms);
	}
	if (c != REACH_SAME)
		log_change(p, c, now_ms - changed);
	if (reach_due(&pr->r, now_ms) &&
	    (probe || (probe = pr->probe = calloc(1, sizeof(*probe))))) {
		memset(probe, 0, sizeof(*probe));
		probe->p = p;
		probe->wake_fd = p->wake[1];
		if (start_thread(probe_thread, probe) == 0)
			reach_started(&pr->r, now_ms);
	}
	return c != REACH_SAME;
}

int64_t pool_reach_wait_ms(const struct pool *p, int64_t now_ms,
			   int64_t wait_ms)
{
	int64_t w;

	if (!p->reach.guarded || p->reach.pending || p->reach.failed)
		return wait_ms;
	w = reach_wait_ms(&p->reach.r, &reach_defaults, now_ms);
	return w >= 0 && w < wait_ms ? w : wait_ms;
}

bool pool_reach_up(const struct pool *p)
{
	const struct pool_reach *pr = &p->reach;

	return !pr->guarded ||
	       (!pr->pending && !pr->failed && pr->r.up && pr->listed_ms >= 0);
}

int pool_dir_space(const struct pool *p, uint64_t *avail_b, uint64_t *size_b)
{
	if (!p->reach.guarded)
		return p->sys->space(&p->dir, avail_b, size_b);
	if (!pool_reach_up(p))
		return -EHOSTDOWN;
	*avail_b = p->reach.avail_b;
	*size_b = p->reach.size_b;
	return 0;
}

bool pool_name_taken(const struct pool *p, int slot)
{
	if (!p->reach.guarded) {
		char name[16];

		snprintf(name, sizeof(name), "%d", slot);
		return p->sys->exists(&p->dir, name);
	}
	/* A name made since the listing fails its O_EXCL create: counted,
	 * and the next listing knows it. */
	return slot <= 0 || slot >= PROBE_SLOTS ||
	       (p->reach.taken[slot / 8] & (1u << (slot % 8)));
}

bool pool_file_gone(const struct pool *p, int slot, int64_t since_ms)
{
	if (!p->reach.guarded)
		return !pool_name_taken(p, slot);
	if (!pool_reach_up(p) || p->reach.listed_ms <= since_ms)
		return false;
	return !pool_name_taken(p, slot);
}

void pool_reach_view(const struct pool *p, int64_t now_ms,
		     struct pool_reach_view *v)
{
	const struct pool_reach *pr = &p->reach;
	int64_t s = (now_ms - pr->r.changed_ms) / 1000;

	memset(v, 0, sizeof(*v));
	v->guarded = pr->guarded;
	snprintf(v->state, sizeof(v->state), "%s",
		 !pr->guarded  ? "local"
		 : pr->failed  ? "unusable"
		 : pr->pending ? "unreachable"
			       : reach_name(&pr->r));
	v->since_s = s < 0 ? 0 : s;
	v->lost = pr->r.lost;
	v->regained = pr->r.regained;
}
