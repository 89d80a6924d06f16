/* The files we own: adoption at start, grow, shrink, erase. */
#include "pool.h"

#include "config.h"
#include "log.h"
#include "policy.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* "123" -> 123; anything else (leading zero, sign, overflow) -> -1. */
static int slot_of_name(const char *name)
{
	long v = 0;
	const char *p;

	if (name[0] < '1' || name[0] > '9')
		return -1;
	for (p = name; *p; p++) {
		if (*p < '0' || *p > '9' || v > 99999)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return (int)v;
}

/* Slot of a /proc/swaps path inside our directory, or -1. */
static int slot_of_path(const struct pool *p, const char *path)
{
	size_t n = strlen(p->canon);

	if (strncmp(path, p->canon, n) != 0 || path[n] != '/')
		return -1;
	return slot_of_name(path + n + 1);
}

static struct pool_file *find_slot(struct pool *p, int slot)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (p->f[i].slot == slot)
			return &p->f[i];
	return NULL;
}

static void drop(struct pool *p, struct pool_file *f)
{
	*f = p->f[--p->n];
}

static int free_slot(const struct pool *p)
{
	int slot, i;

	for (slot = 1; slot < 100000; slot++) {
		char name[16];
		struct stat st;

		if (slot == p->job.slot)
			continue;
		for (i = 0; i < p->n; i++)
			if (p->f[i].slot == slot)
				break;
		if (i < p->n)
			continue;
		/* A name taken by something we do not own (a directory left
		 * at start, anything planted since) is skipped, not retried
		 * for ever. */
		snprintf(name, sizeof(name), "%d", slot);
		if (fstatat(p->dir.fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
		    errno == ENOENT)
			return slot;
	}
	return -1; /* slot_of_name() accepts no larger number */
}

bool pool_has_spare(const struct pool *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (!p->f[i].active)
			return true;
	return false;
}

uint64_t pool_owned_b(const struct pool *p)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < p->n; i++)
		sum += p->f[i].size_b;
	return sum;
}

int pool_active_count(const struct pool *p)
{
	int i, n = 0;

	for (i = 0; i < p->n; i++)
		n += p->f[i].active;
	return n;
}

int pool_refresh(struct pool *p, int64_t now_ms)
{
	struct swaps_table t;
	char path[800];
	int i, rc = swaps_read(p->swaps_path, &t);

	(void)now_ms;
	if (rc < 0)
		return rc;
	for (i = 0; i < p->n; i++) {
		struct pool_file *f = &p->f[i];
		int k;

		snprintf(path, sizeof(path), "%s/%d", p->canon, f->slot);
		k = swaps_find(&t, path);
		if (k >= 0 && !t.e[k].deleted) {
			f->active = true;
			f->used_kb = t.e[k].used_kb;
			f->priority = t.e[k].priority;
			continue;
		}
		if (f->active)
			log_warnx("swap file %s was turned off behind our back; "
				  "keeping it as a spare", path);
		f->active = false;
		f->used_kb = 0;
		/* Gone from the directory too: forget it. */
		if (faccessat(p->dir.fd, path + strlen(p->canon) + 1, F_OK,
			      AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT) {
			log_warnx("swap file %s was deleted behind our back",
				  path);
			drop(p, f);
			i--;
		}
	}
	return 0;
}

void pool_adopt(struct pool *p, const struct config *cfg, int64_t now_ms)
{
	struct swaps_table t;
	DIR *d;
	struct dirent *de;
	char path[800];
	int i, fd;

	p->n = 0;
	if (swaps_read(p->swaps_path, &t) < 0) {
		log_warn("cannot read %s; adopting nothing", p->swaps_path);
		t.count = 0;
	}
	for (i = 0; i < t.count && p->n < POOL_MAX; i++) {
		int slot = slot_of_path(p, t.e[i].path);
		struct stat st;

		if (slot < 0 || t.e[i].deleted)
			continue;
		p->f[p->n] = (struct pool_file){
			.slot = slot, .active = true, .used_kb = t.e[i].used_kb,
			.priority = t.e[i].priority, .since_ms = now_ms,
			.size_b = t.e[i].size_kb * 1024,
		};
		snprintf(path, sizeof(path), "%d", slot);
		if (fstatat(p->dir.fd, path, &st, AT_SYMLINK_NOFOLLOW) == 0)
			p->f[p->n].size_b = (uint64_t)st.st_size;
		p->n++;
		p->c.adopted++;
		log_notice("adopted active swap file %s", t.e[i].path);
	}

	/* Inactive leftovers: valid ones become spares, the rest go. */
	fd = dup(p->dir.fd);
	if (fd < 0 || !(d = fdopendir(fd))) {
		log_warn("cannot list %s", p->canon);
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		int slot = slot_of_name(de->d_name);
		uint64_t size_b;
		int rc;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", p->canon, de->d_name);
		if (slot < 0) {
			log_warnx("ignoring %s: not a name ghostmemory uses",
				  path);
			continue;
		}
		if (find_slot(p, slot))
			continue; /* active: adopted above */
		rc = swapfile_validate(&p->dir, slot, cfg->min_swapsize_b,
				       &size_b);
		if (rc == 0 && p->n < POOL_MAX) {
			p->f[p->n++] = (struct pool_file){
				.slot = slot, .size_b = size_b,
				.since_ms = now_ms};
			p->c.spares_kept++;
			log_notice("kept valid leftover %s as a spare", path);
			continue;
		}
		/* Never follows a link: unlinkat removes the entry itself;
		 * a directory is left for the administrator. */
		if (unlinkat(p->dir.fd, de->d_name, 0) < 0) {
			log_warn("cannot delete invalid leftover %s", path);
			continue;
		}
		p->c.leftovers_deleted++;
		log_notice("deleted invalid leftover %s: %s", path,
			   rc ? swapfile_reject_reason(-rc) : "too many files");
	}
	closedir(d);
}

/* Milliseconds since the tick at now_ms began (monotonic clock). */
static long long since_ms(int64_t now_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - now_ms;
}

static struct pool_file *first_spare(struct pool *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (!p->f[i].active)
			return &p->f[i];
	return NULL;
}

static int job_start(struct pool *p, const struct config *cfg,
		     const struct meminfo *mi, bool urgent);

/* What policy_grow_size needs: memory figures, our files, the disk. */
static int grow_context(const struct pool *p, const struct config *cfg,
			const struct meminfo *mi, struct grow_ctx *g)
{
	memset(g, 0, sizeof(*g));
	g->mem_total_b = mi->mem_total_kb * 1024;
	g->free_b = meminfo_free_kb(mi, cfg) * 1024;
	g->total_b = meminfo_total_kb(mi) * 1024;
	g->files = p->n;
	g->owned_b = pool_owned_b(p);
	g->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	return swapdir_space(&p->dir, &g->fs_avail_b, &g->fs_size_b);
}

enum fsm_outcome pool_grow(struct pool *p, const struct config *cfg,
			   const struct meminfo *mi, int64_t now_ms)
{
	struct pool_file *spare = first_spare(p);
	char path[800];
	int rc;

	if (spare) {
		swapfile_path(&p->dir, spare->slot, path, sizeof(path));
		rc = swapfile_activate(&p->dir, spare->slot, cfg);
		if (rc == 0) {
			spare->active = true;
			spare->since_ms = now_ms;
			p->c.grows++;
			log_notice("added swap file %s (%" PRIu64
				   " MiB, spare) in %lld ms", path,
				   spare->size_b / MIB, since_ms(now_ms));
			return FSM_OK;
		}
		p->c.fail_swapon++;
		errno = -rc;
		log_warn("swapon %s (spare) failed; deleting it", path);
		swapfile_remove(&p->dir, spare->slot, false);
		drop(p, spare);
	}
	if (p->job.slot) {
		/* Already being made (a spare, or for an earlier GROW): this
		 * grow is that file, turned on as soon as it is made. */
		if (!__atomic_exchange_n(&p->job.urgent, 1, __ATOMIC_ACQ_REL)) {
			swapfile_path(&p->dir, p->job.slot, path, sizeof(path));
			log_info("short of memory: %s, being made, is turned "
				 "on when ready", path);
		}
		return FSM_PENDING;
	}
	rc = job_start(p, cfg, mi, true);
	if (rc == 0) {
		swapfile_path(&p->dir, p->job.slot, path, sizeof(path));
		log_info("short of memory and no spare: making swap file %s "
			 "(%" PRIu64 " MiB) in the background", path,
			 p->job.size_b / MIB);
		return FSM_PENDING;
	}
	if (rc == -ENOSPC) {
		p->c.fail_no_room++;
		return FSM_NO_ROOM;
	}
	p->c.fail_create++;
	return FSM_FAILED;
}

/* swapoff (if active) and unlink one file; 0 or -errno. */
static int retire(struct pool *p, const struct config *cfg,
		  struct pool_file *f)
{
	char path[800];
	int rc;

	swapfile_path(&p->dir, f->slot, path, sizeof(path));
	if (f->active) {
		rc = swapfile_deactivate(&p->dir, f->slot);
		if (rc < 0) {
			p->c.fail_swapoff++;
			errno = -rc;
			log_warn("swapoff %s failed; keeping it, will retry",
				 path);
			return rc;
		}
	}
	rc = swapfile_remove(&p->dir, f->slot, cfg->paranoid);
	if (rc < 0) {
		errno = -rc;
		log_warn("cannot delete %s", path);
	}
	log_notice("removed swap file %s", path);
	drop(p, f);
	return 0;
}

enum fsm_outcome pool_shrink(struct pool *p, const struct config *cfg,
			     const struct meminfo *mi)
{
	struct shrink_candidate c[POOL_MAX];
	int idx[POOL_MAX];
	struct pool_file *spare = first_spare(p);
	int i, n = 0, pick;

	/* One warm spare is kept for the next spike; more (leftovers)
	 * cost disk and nothing else: they go first. */
	for (i = 0; spare && i < p->n; i++)
		if (!p->f[i].active && &p->f[i] != spare) {
			p->c.shrinks++;
			return retire(p, cfg, &p->f[i]) == 0 ? FSM_OK
							      : FSM_FAILED;
		}
	for (i = 0; i < p->n; i++) {
		if (!p->f[i].active)
			continue;
		c[n].size_kb = p->f[i].size_b / 1024;
		c[n].used_kb = p->f[i].used_kb;
		idx[n++] = i;
	}
	pick = policy_pick_shrink(cfg, meminfo_free_kb(mi, cfg),
				  meminfo_total_kb(mi),
				  meminfo_ram_available_kb(mi, cfg),
				  mi->mem_total_kb, c, n);
	if (pick < 0) {
		if (n)
			log_info("no swap file can be removed safely now");
		return FSM_NOTHING;
	}
	if (retire(p, cfg, &p->f[idx[pick]]) < 0)
		return FSM_FAILED;
	p->c.shrinks++;
	return FSM_OK;
}

void pool_erase(struct pool *p, const struct config *cfg,
		const struct meminfo *mi)
{
	uint64_t avail_kb = mi ? meminfo_ram_available_kb(mi, cfg) : 0;
	uint64_t margin = mi ? policy_swapoff_margin_kb(mi->mem_total_kb) : 0;
	int i;

	for (i = p->n - 1; i >= 0; i--) {
		struct pool_file *f = &p->f[i];
		char path[800];

		swapfile_path(&p->dir, f->slot, path, sizeof(path));
		if (f->active && (!mi || f->used_kb + margin > avail_kb)) {
			log_warnx("not erasing %s: its %" PRIu64
				  " KiB in use would not fit in RAM",
				  path, f->used_kb);
			continue;
		}
		if (retire(p, cfg, f) == 0 && f->used_kb <= avail_kb)
			avail_kb -= f->used_kb;
	}
}

static void job_wake(int fd)
{
	if (fd >= 0)
		(void)!write(fd, "", 1);
}

/* The worker thread: make the file, and turn it on if a GROW is waiting
 * by then.  It touches only p->job (and reads p->dir). */
static void *job_worker(void *arg)
{
	struct pool *p = arg;
	struct pool_job *j = &p->job;
	int64_t t0 = (int64_t)since_ms(0);
	int rc = swapfile_make(&p->dir, j->slot, j->size_b, false);

	j->make_ms = (int64_t)since_ms(t0);
	if (rc == 0 && __atomic_load_n(&j->urgent, __ATOMIC_ACQUIRE)) {
		rc = swapfile_turn_on(&p->dir, j->slot, j->size_b, &j->cfg);
		j->active = rc == 0;
		j->swapon_failed = rc != 0;
	}
	j->rc = rc;
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	job_wake(p->wake[1]);
	return NULL;
}

/* Size and name the next file and start the worker on it.  0, -ENOSPC
 * (no room: limits, reserve, disk) or another -errno; logged when
 * urgent (a spare that cannot be made is only retried later). */
static int job_start(struct pool *p, const struct config *cfg,
		     const struct meminfo *mi, bool urgent)
{
	struct pool_job *j = &p->job;
	struct grow_ctx g;
	pthread_attr_t attr;
	pthread_t tid;
	int rc;

	rc = grow_context(p, cfg, mi, &g);
	if (rc < 0) {
		errno = -rc;
		if (urgent)
			log_warn("statfs %s", p->canon);
		return rc;
	}
	/* One slot stays free for the file being made. */
	if (p->n >= POOL_MAX - 1 || policy_grow_size(cfg, &g, &j->size_b) < 0) {
		if (urgent)
			log_warnx("no room for a new swap file: %d files, %" PRIu64
				  " MiB owned, %" PRIu64 " MiB free on %s "
				  "(reserve kept)", p->n, g.owned_b / MIB,
				  g.fs_avail_b / MIB, p->canon);
		return -ENOSPC;
	}
	j->slot = free_slot(p);
	if (j->slot < 0) {
		j->slot = 0;
		if (urgent)
			log_errx("no free file name left in %s", p->canon);
		return -EEXIST;
	}
	j->urgent = urgent;
	j->done = 0;
	j->rc = 0;
	j->active = j->swapon_failed = false;
	j->cfg = *cfg;
	/* A small stack: with mlockall every page we touch stays. */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &attr, job_worker, p);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		j->slot = 0;
		errno = rc;
		log_warn("cannot start the file maker");
		return -rc;
	}
	return 0;
}

bool pool_busy(const struct pool *p)
{
	return p->job.slot != 0;
}

void pool_init(struct pool *p)
{
	p->job.slot = 0;
	if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		/* Finished files are then noticed at the next poll. */
		log_warn("pipe for the file maker");
		p->wake[0] = p->wake[1] = -1;
	}
}

int pool_wake_fd(const struct pool *p)
{
	return p->wake[0];
}

void pool_wake_drain(struct pool *p)
{
	char buf[16];

	while (p->wake[0] >= 0 && read(p->wake[0], buf, sizeof(buf)) > 0)
		;
}

/* The finished job joins the pool (or is forgotten after a failure);
 * returns its result and whether a GROW waited for it. */
static int job_finish(struct pool *p, int64_t now_ms, bool *urgent)
{
	struct pool_job *j = &p->job;
	char path[800];
	int rc = j->rc;

	*urgent = __atomic_load_n(&j->urgent, __ATOMIC_ACQUIRE);
	swapfile_path(&p->dir, j->slot, path, sizeof(path));
	p->make_ms = j->make_ms;
	if (rc == 0) {
		/* job_start kept a slot free. */
		p->f[p->n++] = (struct pool_file){.slot = j->slot,
						  .active = j->active,
						  .size_b = j->size_b,
						  .since_ms = now_ms};
		if (j->active) {
			p->c.grows++;
			log_notice("added swap file %s (%" PRIu64 " MiB) in "
				   "%" PRId64 " ms (made in the background)",
				   path, j->size_b / MIB, j->make_ms);
		} else {
			log_info("made warm spare %s (%" PRIu64 " MiB) in %"
				 PRId64 " ms", path, j->size_b / MIB,
				 j->make_ms);
		}
	} else if (*urgent) {
		/* swapfile_make/turn_on logged the failing step. */
		if (rc == -EPERM && j->swapon_failed &&
		    pool_active_count(p) > 0)
			rc = -ENOSPC; /* the kernel's swap table is full */
		if (rc == -ENOSPC)
			p->c.fail_no_room++;
		else if (j->swapon_failed)
			p->c.fail_swapon++;
		else
			p->c.fail_create++;
		log_warnx("%s %s: %s", rc == -ENOSPC
					       ? "no room for a new swap file"
					       : "cannot add swap file",
			  path, strerror(-rc));
	}
	j->slot = 0;
	return rc;
}

bool pool_collect(struct pool *p, const struct config *cfg,
		  const struct meminfo *mi, int64_t now_ms,
		  enum fsm_outcome *out)
{
	bool urgent;
	int rc;

	if (!p->job.slot || !__atomic_load_n(&p->job.done, __ATOMIC_ACQUIRE))
		return false;
	rc = job_finish(p, now_ms, &urgent);
	if (!urgent) {
		if (rc < 0)
			p->spare_retry_ms = now_ms + cfg->cooldown_s * 1000;
		return false;
	}
	if (rc == 0 && p->f[p->n - 1].active)
		*out = FSM_OK;
	else if (rc == 0)
		/* Made just before the GROW asked: it is a spare now. */
		*out = pool_grow(p, cfg, mi, now_ms);
	else
		*out = rc == -ENOSPC ? FSM_NO_ROOM : FSM_FAILED;
	return true;
}

void pool_spare_tick(struct pool *p, const struct config *cfg,
		     const struct meminfo *mi, bool calm, int64_t now_ms)
{
	if (p->job.slot || !cfg->spare || !calm || now_ms < p->spare_retry_ms ||
	    first_spare(p))
		return; /* busy, off, not now, or one spare is enough */
	if (job_start(p, cfg, mi, false) < 0)
		p->spare_retry_ms = now_ms + cfg->cooldown_s * 1000;
}

void pool_spare_wait(struct pool *p)
{
	struct timespec ts = {0, 10 * 1000000L};
	bool urgent;
	int i;

	/* fallocate takes milliseconds; a zero-filled file may take a
	 * while, but leaving it half-made would waste the work. */
	__atomic_store_n(&p->job.urgent, 0, __ATOMIC_RELEASE);
	for (i = 0; p->job.slot && i < 6000; i++) {
		if (__atomic_load_n(&p->job.done, __ATOMIC_ACQUIRE)) {
			job_finish(p, 0, &urgent);
			return;
		}
		nanosleep(&ts, NULL);
	}
}
