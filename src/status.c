/* What the daemon shows of itself: the USR1 dump and the status file (one
 * "key=value ..." line per item), the Prometheus textfile, and the atomic
 * writes of both.  Formatting is pure; only the writers touch files.
 * Over 450 lines on purpose: the dump, the status file and the metrics
 * render one snapshot, and keeping them together means a new field
 * (reservations, zram, the standby) is added to all three in one place. */
#include "status.h"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Appends to a fixed buffer like snprintf: always NUL-terminated when
 * there is room for it, and counts what would have been written so the
 * caller learns the length it needs. */
struct out {
	char *buf;
	size_t len, pos;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->pos < o->len ? o->buf + o->pos : NULL,
		      o->pos < o->len ? o->len - o->pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

/* A path as /proc/swaps shows one: space, backslash and control bytes
 * as \ooo, so a name cannot split a line or a key=value pair. */
static void put_path(struct out *o, const char *path)
{
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++) {
		if (*p <= ' ' || *p == '\\' || *p == 0x7f)
			put(o, "\\%03o", *p);
		else
			put(o, "%c", *p);
	}
}

static size_t finish(struct out *o)
{
	if (o->len)
		o->buf[o->pos < o->len ? o->pos : o->len - 1] = '\0';
	return o->pos;
}

/* A snapshot from a hostile or half-built struct must not read past the
 * file table. */
static int nfiles(const struct snapshot *s)
{
	if (s->nfiles < 0)
		return 0;
	return s->nfiles > SNAPSHOT_FILES ? SNAPSHOT_FILES : s->nfiles;
}

/* The directory of a tier (a hand-made snapshot may only have swapdir). */
static const char *dir_of(const struct snapshot *s, int tier)
{
	return tier > 0 && tier < s->ntiers && tier < TIERS_MAX ? s->dirs[tier]
								: s->swapdir;
}

static int ntiers(const struct snapshot *s)
{
	return s->ntiers < 1 ? 1 : s->ntiers > TIERS_MAX ? TIERS_MAX : s->ntiers;
}

/* A tier's files, active files, provisioned bytes and used KiB. */
static void tier_sums(const struct snapshot *s, int tier, int *files,
		      int *active, uint64_t *prov_b, uint64_t *used_kb)
{
	int i;

	*files = *active = 0;
	*prov_b = *used_kb = 0;
	for (i = 0; i < nfiles(s); i++) {
		const struct pool_file *f = &s->files[i];

		if (s->file_tier[i] != tier)
			continue;
		(*files)++;
		if (f->active) {
			(*active)++;
			*prov_b += f->size_b;
			*used_kb += f->used_kb;
		}
	}
}

/* A Prometheus label value: backslash, quote and newline escaped. */
static void put_label(struct out *o, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			put(o, "\\%c", *v);
		else if (*v == '\n')
			put(o, "\\n");
		else
			put(o, "%c", *v);
	}
}

static int64_t age_s(const struct snapshot *s, const struct pool_file *f)
{
	int64_t a = (s->now_ms - f->since_ms) / 1000;

	return a < 0 ? 0 : a;
}

static uint64_t provisioned_b(const struct snapshot *s)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < nfiles(s); i++)
		if (s->files[i].active)
			sum += s->files[i].size_b;
	return sum;
}

static uint64_t used_kb(const struct snapshot *s)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < nfiles(s); i++)
		if (s->files[i].active)
			sum += s->files[i].used_kb;
	return sum;
}

static int active_files(const struct snapshot *s)
{
	int i, n = 0;

	for (i = 0; i < nfiles(s); i++)
		n += s->files[i].active ? 1 : 0;
	return n;
}

static int nresv(const struct snapshot *s)
{
	if (s->nresv < 0)
		return 0;
	return s->nresv > RESV_MAX ? RESV_MAX : s->nresv;
}

static uint64_t reserved_b(const struct snapshot *s)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < nresv(s); i++)
		sum += s->resv[i].size_b;
	return sum;
}

/* The control socket's and the reservations' lines (resv.h), only on a
 * daemon that has either. */
static void put_reservations(struct out *o, const struct snapshot *s)
{
	int i;

	if (!s->ctl_open && !nresv(s))
		return;
	put(o, "reservations count=%d reserved_kb=%" PRIu64
	    " short_kb=%" PRIu64 " made=%lu released=%lu expired=%lu\n",
	    nresv(s), reserved_b(s) / 1024, s->resv_short_b / 1024,
	    s->resv_made, s->resv_released, s->resv_expired);
	for (i = 0; i < nresv(s); i++) {
		const struct resv *r = &s->resv[i];
		int64_t ttl = (r->expires_ms - s->now_ms + 999) / 1000;
		int64_t age = (s->now_ms - r->since_ms) / 1000;

		put(o, "reservation id=%" PRIu32 " size_kb=%" PRIu64
		    " age_s=%" PRId64 " ttl_s=%" PRId64 "\n", r->id,
		    r->size_b / 1024, age < 0 ? 0 : age, ttl < 0 ? 0 : ttl);
	}
	/* now_ms: the daemon's own clock, so a reader can tell how often
	 * it ticked in between. */
	put(o, "control open=%d clients=%d served=%lu busy=%lu denied=%lu "
	    "dropped=%lu wakeups=%lu now_ms=%" PRId64 "\n",
	    s->ctl_open ? 1 : 0, s->ctl_clients, s->ctl.served, s->ctl.busy,
	    s->ctl.denied, s->ctl.dropped, s->wakeups[WAKE_CTL], s->now_ms);
}

/* A directory on a network filesystem: does it answer?  (A state
 * string from a hostile snapshot is printed only if it is one of ours.) */
static const char *reach_state(const struct pool_reach_view *r)
{
	static const char *const names[] = {"reachable", "unreachable",
					    "unusable"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(r->state, names[i], sizeof(r->state)) == 0)
			return names[i];
	return "unknown";
}

static bool reach_up(const struct pool_reach_view *r)
{
	return !r->guarded || strcmp(reach_state(r), "reachable") == 0;
}

/* A line for each directory on NFS (pool_reach.h). */
static void put_reach(struct out *o, const struct snapshot *s)
{
	int i;

	for (i = 0; i < ntiers(s); i++) {
		const struct pool_reach_view *r = &s->reach[i];

		if (!r->guarded)
			continue;
		put(o, "dir=");
		put_path(o, dir_of(s, i));
		put(o, " reach=%s since_s=%" PRId64 " lost=%lu regained=%lu\n",
		    reach_state(r), r->since_s < 0 ? 0 : r->since_s, r->lost,
		    r->regained);
	}
}

static void metric_head(struct out *o, const char *name, const char *type,
			const char *help)
{
	put(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The free figure's parts and the other swap that shapes it. */
static void put_other(struct out *o, const struct snapshot *s)
{
	const struct othermem *om = &s->om;

	if (!s->have_mem)
		return;
	put(o, "free_kb=%" PRIu64 " swap_uncounted_kb=%" PRIu64 "\n",
	    s->free_kb, s->swap_uncounted_kb);
	put(o, "zram areas=%d size_kb=%" PRIu64 " free_kb=%" PRIu64
	       " counted_kb=%" PRIu64 " ram_kb=%" PRIu64 " ratio=%.2f\n",
	    om->zram_n, om->zram_size_kb, om->zram_free_kb,
	    om->zram_counted_kb, om->zram_ram_kb, om->zram_ratio);
	put(o, "zswap=%s uncounted_kb=%" PRIu64 "\n",
	    om->zswap_on ? "on" : "off", om->zswap_uncounted_kb);
	put(o, "overcommit=%d commit_limit_kb=%" PRIu64
	       " committed_kb=%" PRIu64 "\n",
	    om->overcommit, s->commit_limit_kb, s->committed_as_kb);
}

static void metrics_other(struct out *o, const struct snapshot *s)
{
	const struct othermem *om = &s->om;

	if (!s->have_mem)
		return;
	metric_head(o, "ghostmemory_free_bytes", "gauge",
		    "The free figure: available RAM plus the free swap that "
		    "really frees RAM.");
	put(o, "ghostmemory_free_bytes %" PRIu64 "\n", s->free_kb * 1024);
	metric_head(o, "ghostmemory_swap_uncounted_bytes", "gauge",
		    "Free swap left out of the free figure (zram, zswap).");
	put(o, "ghostmemory_swap_uncounted_bytes %" PRIu64 "\n",
	    s->swap_uncounted_kb * 1024);
	metric_head(o, "ghostmemory_zram_free_bytes", "gauge",
		    "Free space of the active zram swap areas.");
	put(o, "ghostmemory_zram_free_bytes %" PRIu64 "\n",
	    om->zram_free_kb * 1024);
	metric_head(o, "ghostmemory_zram_counted_bytes", "gauge",
		    "What that free space frees if filled, as counted.");
	put(o, "ghostmemory_zram_counted_bytes %" PRIu64 "\n",
	    om->zram_counted_kb * 1024);
	if (om->overcommit == 2 && s->commit_limit_kb) {
		uint64_t h = s->committed_as_kb < s->commit_limit_kb
				     ? s->commit_limit_kb - s->committed_as_kb
				     : 0;
		metric_head(o, "ghostmemory_commit_headroom_ratio", "gauge",
			    "(CommitLimit - Committed_AS) / CommitLimit under "
			    "strict overcommit.");
		put(o, "ghostmemory_commit_headroom_ratio %.4f\n",
		    (double)h / (double)s->commit_limit_kb);
	}
}

size_t status_format(const struct snapshot *s, char *buf, size_t len)
{
	struct out o = {buf, len, 0};
	int i;

	put(&o, "pid=%ld swapdir=", s->pid);
	put_path(&o, s->swapdir);
	put(&o, "\n");
	put(&o, "state=%s seconds_in_state=%" PRId64 "\n",
	    fsm_state_name(s->state),
	    s->seconds_in_state < 0 ? 0 : s->seconds_in_state);
	if (s->have_mem)
		put(&o, "free_pct=%.1f", s->free_pct);
	else
		put(&o, "free_pct=unknown");
	put(&o, " lower_freelimit=%d freetarget=%d upper_freelimit=%d\n",
	    s->lower_freelimit_pct, s->freetarget_pct,
	    s->upper_freelimit_pct);
	if (s->have_mem)
		put(&o,
		    "mem_total_kb=%" PRIu64 " mem_available_kb=%" PRIu64
		    " swap_total_kb=%" PRIu64 " swap_free_kb=%" PRIu64 "\n",
		    s->mem_total_kb, s->mem_available_kb, s->swap_total_kb,
		    s->swap_free_kb);
	else
		put(&o, "mem_total_kb=unknown mem_available_kb=unknown "
			"swap_total_kb=unknown swap_free_kb=unknown\n");
	put_other(&o, s);
	put_reach(&o, s);
	put(&o, "files=%d active=%d provisioned_kb=%" PRIu64
		" used_kb=%" PRIu64 "\n",
	    nfiles(s), active_files(s), provisioned_b(s) / 1024, used_kb(s));
	/* Two tiers or more: a line for each, and each file's tier. */
	for (i = 0; ntiers(s) > 1 && i < ntiers(s); i++) {
		int nf, na;
		uint64_t prov_b, used;

		tier_sums(s, i, &nf, &na, &prov_b, &used);
		put(&o, "tier=%d dir=", i + 1);
		put_path(&o, dir_of(s, i));
		put(&o, " fs=%s files=%d active=%d provisioned_kb=%" PRIu64
			" used_kb=%" PRIu64 "\n", s->tier_net[i] ? "nfs" : "local",
		    nf, na, prov_b / 1024, used);
	}
	for (i = 0; i < nfiles(s); i++) {
		const struct pool_file *f = &s->files[i];

		put(&o, "file=");
		put_path(&o, dir_of(s, s->file_tier[i]));
		put(&o,
		    "/%d size_kb=%" PRIu64 " used_kb=%" PRIu64
		    " priority=%d active=%d age_s=%" PRId64,
		    f->slot, f->size_b / 1024, f->used_kb,
		    f->priority, f->active ? 1 : 0, age_s(s, f));
		/* Turned off by a shrink, kept for a grow: deleted then. */
		if (!f->active && f->keep_until_ms > 0)
			put(&o, " kept_s=%" PRId64,
			    f->keep_until_ms > s->now_ms
				    ? (f->keep_until_ms - s->now_ms + 999) / 1000
				    : 0);
		if (ntiers(s) > 1)
			put(&o, " tier=%d", s->file_tier[i] + 1);
		put(&o, "\n");
	}
	put(&o, "standby=%s floor=", config_standby_name(s->standby));
	if (s->standby_slot) {
		put_path(&o, dir_of(s, s->standby_tier));
		put(&o, "/%d", s->standby_slot);
	} else {
		put(&o, "none");
	}
	put(&o, " idle_held_kb=%" PRIu64 " spare_max_kb=%" PRIu64
		" spare_want_kb=%" PRIu64 "\n", s->idle_held_b / 1024,
	    s->spare_max_b / 1024, s->spare_want_b / 1024);
	if (s->making_slot) {
		put(&o, "making file=");
		put_path(&o, dir_of(s, s->making_tier));
		put(&o, "/%d size_kb=%" PRIu64 " for_grow=%d\n",
		    s->making_slot, s->making_size_b / 1024,
		    s->making_for_grow ? 1 : 0);
	}
	if (s->retiring_slot) {
		put(&o, "retiring file=");
		put_path(&o, dir_of(s, s->retiring_tier));
		put(&o, "/%d\n", s->retiring_slot);
	}
	put(&o,
	    "counters grows=%lu shrinks=%lu failures_no_room=%lu "
	    "failures_create=%lu failures_swapon=%lu failures_swapoff=%lu "
	    "adopted=%lu spares_kept=%lu leftovers_deleted=%lu\n",
	    s->c.grows, s->c.shrinks, s->c.fail_no_room, s->c.fail_create,
	    s->c.fail_swapon, s->c.fail_swapoff, s->c.adopted,
	    s->c.spares_kept, s->c.leftovers_deleted);
	put(&o, "wakeups timer=%lu psi=%lu signal=%lu worker=%lu\n",
	    s->wakeups[WAKE_TIMER], s->wakeups[WAKE_PSI],
	    s->wakeups[WAKE_SIGNAL], s->wakeups[WAKE_WORKER]);
	put_reservations(&o, s);
	return finish(&o);
}

/* The files of each swap directory (tier), labelled by dir and tier. */
static void metrics_dirs(struct out *o, const struct snapshot *s)
{
	static const struct {
		const char *name, *help;
	} m[] = {
		{"ghostmemory_dir_files",
		 "Swap files the daemon owns in each swap directory (tier 1 "
		 "is the first of swappath)."},
		{"ghostmemory_dir_swap_provisioned_bytes",
		 "Size of the daemon's active swap files in each swap "
		 "directory."},
		{"ghostmemory_dir_swap_used_bytes",
		 "Swap in use in the daemon's files in each swap directory."},
	};
	size_t k;
	int i;

	for (k = 0; k < sizeof(m) / sizeof(m[0]); k++) {
		metric_head(o, m[k].name, "gauge", m[k].help);
		for (i = 0; i < ntiers(s); i++) {
			int nf, na;
			uint64_t prov_b, used, v;

			tier_sums(s, i, &nf, &na, &prov_b, &used);
			v = k == 0 ? (uint64_t)nf : k == 1 ? prov_b : used * 1024;
			put(o, "%s{dir=\"", m[k].name);
			put_label(o, dir_of(s, i));
			put(o, "\",tier=\"%d\"} %" PRIu64 "\n", i + 1, v);
		}
	}
}

size_t metrics_format(const struct snapshot *s, char *buf, size_t len)
{
	static const char *const reasons[] = {"no_room", "create", "swapon",
					      "swapoff"};
	static const char *const sources[WAKE_NSOURCES] = {
		[WAKE_TIMER] = "timer", [WAKE_PSI] = "psi",
		[WAKE_SIGNAL] = "signal", [WAKE_WORKER] = "worker",
		[WAKE_CTL] = "ctl"};
	const unsigned long failures[] = {s->c.fail_no_room, s->c.fail_create,
					  s->c.fail_swapon,
					  s->c.fail_swapoff};
	struct out o = {buf, len, 0};
	int i;

	metric_head(&o, "ghostmemory_state", "gauge",
		    "State of the swap state machine (1 for the current "
		    "state, 0 for the others).");
	for (i = 0; i < FSM_NSTATES; i++)
		put(&o, "ghostmemory_state{state=\"%s\"} %d\n",
		    fsm_state_name((enum fsm_state)i), (int)s->state == i);
	metric_head(&o, "ghostmemory_state_seconds", "gauge",
		    "Seconds since the current state was entered.");
	put(&o, "ghostmemory_state_seconds %" PRId64 "\n",
	    s->seconds_in_state < 0 ? 0 : s->seconds_in_state);
	/* Without a reading there is no free figure: leave it out rather
	 * than report a false 0 (an alert would fire on it). */
	if (s->have_mem) {
		metric_head(&o, "ghostmemory_free_ratio", "gauge",
			    "Free memory (available RAM + free swap) over "
			    "RAM + swap, as the daemon judges it.");
		put(&o, "ghostmemory_free_ratio %.4f\n", s->free_pct / 100.0);
	}
	metrics_other(&o, s);
	metric_head(&o, "ghostmemory_lower_freelimit_ratio", "gauge",
		    "Below this free ratio the daemon adds swap.");
	put(&o, "ghostmemory_lower_freelimit_ratio %.2f\n",
	    s->lower_freelimit_pct / 100.0);
	metric_head(&o, "ghostmemory_freetarget_ratio", "gauge",
		    "Free ratio a new swap file aims for.");
	put(&o, "ghostmemory_freetarget_ratio %.2f\n",
	    s->freetarget_pct / 100.0);
	metric_head(&o, "ghostmemory_upper_freelimit_ratio", "gauge",
		    "Above this free ratio the daemon removes swap.");
	put(&o, "ghostmemory_upper_freelimit_ratio %.2f\n",
	    s->upper_freelimit_pct / 100.0);
	metric_head(&o, "ghostmemory_swap_provisioned_bytes", "gauge",
		    "Size of the daemon's active swap files.");
	put(&o, "ghostmemory_swap_provisioned_bytes %" PRIu64 "\n",
	    provisioned_b(s));
	metric_head(&o, "ghostmemory_swap_used_bytes", "gauge",
		    "Swap in use in the daemon's files (/proc/swaps Used).");
	put(&o, "ghostmemory_swap_used_bytes %" PRIu64 "\n",
	    used_kb(s) * 1024);
	metric_head(&o, "ghostmemory_swap_making_bytes", "gauge",
		    "Size of the swap file being made, 0 if none.");
	put(&o, "ghostmemory_swap_making_bytes %" PRIu64 "\n",
	    s->making_slot ? s->making_size_b : 0);
	metric_head(&o, "ghostmemory_idle_held_bytes", "gauge",
		    "Disk the daemon holds while memory is calm: its inactive "
		    "files and the standby file.");
	put(&o, "ghostmemory_idle_held_bytes %" PRIu64 "\n", s->idle_held_b);
	metric_head(&o, "ghostmemory_standby", "gauge",
		    "What the daemon holds while calm (1 for the configured "
		    "standby policy, 0 for the others).");
	for (i = 0; i < 3; i++)
		put(&o, "ghostmemory_standby{policy=\"%s\"} %d\n",
		    config_standby_name((enum standby_policy)i),
		    (int)s->standby == i);
	metric_head(&o, "ghostmemory_dir_reachable", "gauge",
		    "1 when the swap directory answers (always on a local "
		    "filesystem), 0 while its network server does not.");
	for (i = 0; i < ntiers(s); i++) {
		put(&o, "ghostmemory_dir_reachable{dir=\"");
		put_label(&o, dir_of(s, i));
		put(&o, "\",tier=\"%d\"} %d\n", i + 1, reach_up(&s->reach[i]));
	}
	metric_head(&o, "ghostmemory_files", "gauge",
		    "Swap files the daemon owns, active or spare.");
	put(&o, "ghostmemory_files %d\n", nfiles(s));
	metrics_dirs(&o, s);
	metric_head(&o, "ghostmemory_grows_total", "counter",
		    "Swap files added (created or spares turned on).");
	put(&o, "ghostmemory_grows_total %lu\n", s->c.grows);
	metric_head(&o, "ghostmemory_shrinks_total", "counter",
		    "Swap files removed.");
	put(&o, "ghostmemory_shrinks_total %lu\n", s->c.shrinks);
	metric_head(&o, "ghostmemory_failures_total", "counter",
		    "Failed attempts to add or remove swap, by reason.");
	for (i = 0; i < 4; i++)
		put(&o, "ghostmemory_failures_total{reason=\"%s\"} %lu\n",
		    reasons[i], failures[i]);
	metric_head(&o, "ghostmemory_wakeups_total", "counter",
		    "Times the main loop woke up, by source.");
	for (i = 0; i < WAKE_NSOURCES; i++)
		put(&o, "ghostmemory_wakeups_total{source=\"%s\"} %lu\n",
		    sources[i], s->wakeups[i]);
	metric_head(&o, "ghostmemory_reserved_bytes", "gauge",
		    "Free swap held for reservations (their sum).");
	put(&o, "ghostmemory_reserved_bytes %" PRIu64 "\n", reserved_b(s));
	metric_head(&o, "ghostmemory_reservations", "gauge",
		    "Reservations held.");
	put(&o, "ghostmemory_reservations %d\n", nresv(s));
	metric_head(&o, "ghostmemory_reserve_short_bytes", "gauge",
		    "Free swap the reservations still lack (0: met).");
	put(&o, "ghostmemory_reserve_short_bytes %" PRIu64 "\n",
	    s->resv_short_b);
	metric_head(&o, "ghostmemory_control_requests_total", "counter",
		    "Control socket connections, by outcome.");
	put(&o, "ghostmemory_control_requests_total{result=\"served\"} %lu\n"
		"ghostmemory_control_requests_total{result=\"busy\"} %lu\n"
		"ghostmemory_control_requests_total{result=\"denied\"} %lu\n"
		"ghostmemory_control_requests_total{result=\"dropped\"} %lu\n",
	    s->ctl.served, s->ctl.busy, s->ctl.denied, s->ctl.dropped);
	return finish(&o);
}

int status_write_atomic(const char *dir, const char *name, const char *buf,
			size_t len)
{
	char tmp[4096], dst[4096];
	size_t done = 0;
	int fd, rc = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >=
		    sizeof(tmp) ||
	    (size_t)snprintf(dst, sizeof(dst), "%s/%s", dir, name) >=
		    sizeof(dst))
		return -ENAMETOOLONG;
	/* O_EXCL|O_NOFOLLOW on a fresh name: a metrics directory others
	 * can write to must not turn our write into one through a link. */
	if (unlink(tmp) < 0 && errno != ENOENT)
		return -errno;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0)
		return -errno;
	/* Readable by node_exporter's user whatever our umask. */
	if (fchmod(fd, 0644) < 0)
		rc = -errno;
	while (rc == 0 && done < len) {
		ssize_t n = write(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = -errno;
		else
			done += (size_t)n;
	}
	/* No fsync: readers need the rename's atomicity, not durability
	 * (the file is rewritten within seconds and removed at exit), and
	 * a flush every few seconds under memory pressure would add disk
	 * I/O exactly when it hurts. */
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, dst) < 0)
		rc = -errno;
	if (rc < 0)
		unlink(tmp);
	return rc;
}

/* The pid in a status file's "pid=N" line, or -1. */
static long status_pid(const char *buf)
{
	const char *p = buf;

	while (p && *p) {
		if (strncmp(p, "pid=", 4) == 0) {
			char *end;
			long pid;

			errno = 0;
			pid = strtol(p + 4, &end, 10);
			if (errno || end == p + 4 || pid <= 0 ||
			    (*end != ' ' && *end != '\n'))
				return -1;
			return pid;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

int status_print(const char *rundir, FILE *out)
{
	char path[4096], buf[65536];
	struct stat st;
	size_t len = 0;
	long pid;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/status", rundir) >=
	    sizeof(path)) {
		fprintf(stderr, "ghostmemory: status directory name too long\n");
		return STATUS_UNKNOWN;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT) {
			fprintf(stderr, "ghostmemory is not running (no %s)\n",
				path);
			return STATUS_NOT_RUNNING;
		}
		fprintf(stderr, "ghostmemory: cannot read %s: %s\n", path,
			strerror(e));
		return STATUS_UNKNOWN;
	}
	while (len < sizeof(buf) - 1) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (fstat(fd, &st) < 0)
		st.st_mtime = 0;
	close(fd);
	pid = status_pid(buf);
	if (pid < 0 || memchr(buf, '\0', len)) {
		fprintf(stderr, "ghostmemory: %s is not a status file\n", path);
		return STATUS_UNKNOWN;
	}
	/* A daemon killed with -9 leaves its file behind: say so. */
	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH) {
		fprintf(stderr,
			"ghostmemory (pid %ld) is not running; %s is stale\n",
			pid, path);
		return STATUS_DEAD;
	}
	fputs(buf, out);
	if (len && buf[len - 1] != '\n')
		fputc('\n', out);
	if (st.st_mtime) {
		time_t now = time(NULL);
		fprintf(out, "status_age_s=%lld\n",
			now > st.st_mtime ? (long long)(now - st.st_mtime) : 0LL);
	}
	return fflush(out) == 0 ? GM_EXIT_OK : STATUS_UNKNOWN;
}
