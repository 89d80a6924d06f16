/* --simulate: replay a trace of /proc/meminfo snapshots through the real
 * parser, FSM and sizing policy, with a virtual pool of swap files.
 *
 * The model.  The trace was recorded without ghostmemory's swap, so every
 * virtual file is added to SwapTotal and SwapFree of the snapshots that
 * follow its creation: a file the kernel has not used yet is free swap.
 * Pages the kernel would have moved to that swap leave MemAvailable as
 * they fill SwapFree, so free = MemAvailable + SwapFree, the figure the
 * daemon judges by, comes out the same to a first approximation; the
 * virtual files are therefore counted as empty (used 0), which is what
 * policy_pick_shrink sees.  A file a shrink turns off is kept, off, for
 * the keep time the tick gives (tick_keep_ms), as the daemon keeps it:
 * the next grow turns it on again instead of making one (counted as
 * reused), and it is gone when its time is up or at once on a diet.
 * Ticks come every SIM_TICK_MS on the trace's clock; each uses the
 * latest snapshot taken at or before it. */
#include "params.h"
#include "simulate.h"

#include "errbuf.h"

#include "config.h"
#include "meminfo.h"
#include "policy.h"
#include "pool.h"
#include "predict.h"
#include "tick.h"
#include "trace.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A month of 1 s ticks: more is a typo in a T line, not a recording. */
#define SIM_MAX_TICKS (31L * 86400)
/* Provisioning time assumed by the forecast: the daemon's first guess. */
#define SIM_PROVISION_MS TICK_FIRST_PROVISION_MS
#define TRACE_MAX_BYTES ((size_t)256 << 20)

/* The virtual pool: only sizes matter (no slots, no files).  On files
 * first; kept files (off, until kept_until_ms) beside them. */
struct vpool {
	int n;
	uint64_t size_b[POOL_MAX];
	uint64_t total_b;
	int nk;
	uint64_t kept_b[POOL_MAX];
	int64_t kept_until_ms[POOL_MAX];
	uint64_t kept_total_b;
};

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The virtual pool and what the ops need to size a file. */
struct sim_ctx {
	const struct config *cfg;
	const struct trace *tr;
	struct vpool vp;
	unsigned long reused; /* grows served by a kept file */
};

/* Kept file i leaves the books (its time is up, a diet, or reused). */
static uint64_t sim_unkeep(struct vpool *vp, int i)
{
	uint64_t b = vp->kept_b[i];

	vp->kept_total_b -= b;
	vp->nk--;
	vp->kept_b[i] = vp->kept_b[vp->nk];
	vp->kept_until_ms[i] = vp->kept_until_ms[vp->nk];
	return b;
}

/* A file of size_b on (made, or a kept one turned on again). */
static void sim_on(struct vpool *vp, uint64_t size_b)
{
	vp->size_b[vp->n++] = size_b;
	vp->total_b = sat_add(vp->total_b, size_b);
}

/* As pool_expire: kept files whose time is up are deleted. */
static void sim_expire(struct vpool *vp, int64_t now_ms)
{
	int i = 0;

	while (i < vp->nk)
		if (vp->kept_until_ms[i] <= now_ms)
			sim_unkeep(vp, i);
		else
			i++;
}

/* A virtual file sized as pool.c sizes one, made and on at once; false
 * for no room. */
static bool sim_add(struct sim_ctx *c, const struct meminfo *mi,
		    uint64_t *size_b)
{
	struct vpool *vp = &c->vp;
	/* On and kept files alike count against the limits and the disk. */
	uint64_t held_b = sat_add(vp->total_b, vp->kept_total_b);
	struct grow_ctx g;

	memset(&g, 0, sizeof(g));
	g.mem_total_b = mi->mem_total_kb * 1024;
	g.free_b = meminfo_free_kb(mi, FREE_PARAMS(c->cfg)) * 1024;
	g.total_b = meminfo_total_kb(mi) * 1024;
	g.files = vp->n + vp->nk;
	g.owned_b = held_b;
	g.page_size = c->tr->page_size;
	if (c->tr->have_disk) {
		g.fs_size_b = c->tr->disk_size_b;
		g.fs_avail_b = c->tr->disk_avail_b > held_b
				       ? c->tr->disk_avail_b - held_b
				       : 0;
	} else {
		/* Unlimited: a size of 0 makes a percent reserve 0 too. */
		g.fs_size_b = 0;
		g.fs_avail_b = (uint64_t)1 << 62;
	}
	if (vp->n + vp->nk >= POOL_MAX || policy_grow_size(SIZE_PARAMS(c->cfg), &g, size_b) < 0)
		return false;
	sim_on(vp, *size_b);
	return true;
}

/* As pool_grow, without the files: a kept file turned on again if
 * there is one, else one made; on at once. */
static enum fsm_outcome sim_grow(void *arg, const struct meminfo *mi,
				 int64_t now_ms, uint64_t *size_b,
				 int64_t *took_ms)
{
	struct sim_ctx *c = arg;
	struct vpool *vp = &c->vp;

	(void)now_ms;
	if (vp->nk > 0) {
		*size_b = sim_unkeep(vp, 0);
		sim_on(vp, *size_b);
		c->reused++;
	} else if (!sim_add(c, mi, size_b)) {
		return FSM_NO_ROOM;
	}
	*took_ms = SIM_PROVISION_MS;
	return FSM_OK;
}

/* As pool_standby_start: standby=active's file is a virtual file on
 * at once (not a grow).  A small spare changes nothing in a replay,
 * where every file is on at once: it is not modelled. */
static int sim_standby(void *arg, const struct meminfo *mi, int64_t now_ms)
{
	struct sim_ctx *c = arg;
	uint64_t size_b;

	(void)now_ms;
	if (policy_standby_act(c->cfg->standby, c->vp.n, 0) != STANDBY_MAKE_ON)
		return 0;
	return sim_add(c, mi, &size_b) ? 0 : -ENOSPC;
}

/* As pool_shrink: on a diet (keep_ms 0) a kept file is deleted first;
 * else the file policy_pick_shrink chooses, if any, turned off at once
 * and kept for keep_ms (deleted at once when keep_ms is 0). */
static enum fsm_outcome sim_shrink(void *arg, const struct meminfo *mi,
				   int64_t now_ms, int64_t keep_ms,
				   uint64_t *size_b)
{
	struct sim_ctx *ctx = arg;
	struct vpool *vp = &ctx->vp;
	const struct free_params *fp = FREE_PARAMS(ctx->cfg);
	struct shrink_candidate c[POOL_MAX];
	int i, pick;

	if (keep_ms <= 0 && vp->nk > 0) {
		*size_b = sim_unkeep(vp, 0);
		return FSM_OK;
	}
	if (!policy_floor_allows_shrink(ctx->cfg->standby, vp->n))
		return FSM_NOTHING; /* the floor, as pool_shrink */
	for (i = 0; i < vp->n; i++) {
		c[i].size_kb = vp->size_b[i] / 1024;
		c[i].used_kb = 0;
	}
	pick = policy_pick_shrink(ctx->cfg->freetarget_pct, meminfo_free_kb(mi, fp),
				  meminfo_total_kb(mi),
				  meminfo_ram_available_kb(mi, fp),
				  mi->mem_total_kb, c, vp->n);
	if (pick < 0)
		return FSM_NOTHING;
	*size_b = vp->size_b[pick];
	vp->total_b -= vp->size_b[pick];
	vp->size_b[pick] = vp->size_b[--vp->n];
	if (keep_ms > 0) {
		vp->kept_b[vp->nk] = *size_b;
		vp->kept_until_ms[vp->nk++] = now_ms + keep_ms;
		vp->kept_total_b = sat_add(vp->kept_total_b, *size_b);
	}
	return FSM_OK;
}

/* A virtual file is on at once: the lead is the provisioning time. */
static int64_t sim_lead_ms(void *arg, int64_t provision_ms)
{
	(void)arg;
	return provision_ms;
}

static const char *action_label(bool valid, bool cannot_grow,
				enum fsm_action_kind act,
				enum fsm_outcome out)
{
	if (!valid)
		return "read_error";
	if (act == FSM_ACT_GROW)
		return out == FSM_OK ? "grow" : "grow:no_room";
	if (act == FSM_ACT_SHRINK)
		return out == FSM_OK ? "shrink" : "shrink:nothing";
	return cannot_grow ? "cannot_grow" : "none";
}

static void print_config(const struct config *cfg, const struct trace *tr,
			 FILE *out)
{
	fprintf(out, "# config lower_freelimit=%d freetarget=%d "
		"upper_freelimit=%d cooldown=%" PRId64 " swapsize=",
		cfg->lower_freelimit_pct, cfg->freetarget_pct,
		cfg->upper_freelimit_pct, cfg->cooldown_s);
	if (cfg->swapsize_auto)
		fprintf(out, "auto");
	else
		fprintf(out, "%" PRIu64 "k", cfg->swapsize_b / 1024);
	fprintf(out, " min_swapsize=%" PRIu64 "k max_swapsize=%" PRIu64
		"k max_files=%d max_total=%" PRIu64 "k standby=%s\n",
		cfg->min_swapsize_b / 1024, cfg->max_swapsize_b / 1024,
		cfg->max_files, cfg->max_total_b / 1024,
		config_standby_name(cfg->standby));
	if (tr->have_disk)
		fprintf(out, "# disk avail_kb=%" PRIu64 " size_kb=%" PRIu64
			" reserve=", tr->disk_avail_b / 1024,
			tr->disk_size_b / 1024);
	else
		fprintf(out, "# disk unlimited reserve=");
	if (cfg->disk_reserve_is_pct)
		fprintf(out, "%d%%", cfg->disk_reserve_pct);
	else
		fprintf(out, "%" PRIu64 "k", cfg->disk_reserve_b / 1024);
	fprintf(out, " page_size=%" PRIu64 " tick_ms=%d\n", tr->page_size,
		SIM_TICK_MS);
	fprintf(out, "# %6s %8s %-8s %-14s %9s %5s %9s\n", "time_s",
		"free_pct", "state", "action", "size_kb", "files", "swap_kb");
}

int simulate_buf(const struct config *cfg, const char *buf, size_t len,
		 FILE *out, struct sim_result *res, char *err, size_t errlen)
{
	return simulate_buf_obs(cfg, buf, len, out, res, err, errlen, NULL);
}

int simulate_buf_obs(const struct config *cfg, const char *buf, size_t len,
		     FILE *out, struct sim_result *res, char *err,
		     size_t errlen, const struct sim_observer *obs)
{
	struct trace tr;
	struct sim_ctx ctx;
	struct tick_state ts;
	struct tick_ops ops = {&ctx,        sim_grow, sim_shrink, sim_lead_ms,
			       sim_standby, NULL,     NULL};
	struct sim_result r;
	size_t idx = 0;
	int64_t t0, span, tick;
	char minpct[16];

	if (trace_parse(&tr, buf, len, err, errlen) < 0) {
		trace_free(&tr);
		return -1;
	}
	if ((tr.s[tr.n - 1].t_ms - tr.s[0].t_ms) / SIM_TICK_MS >
	    SIM_MAX_TICKS) {
		seterr(err, errlen, "the trace spans more than %ld ticks",
		       SIM_MAX_TICKS);
		trace_free(&tr);
		return -1;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = cfg;
	ctx.tr = &tr;
	memset(&r, 0, sizeof(r));
	r.min_free_pct = 100.0;
	t0 = tr.s[0].t_ms;
	span = tr.s[tr.n - 1].t_ms - t0;
	tick_init(&ts, 0);
	print_config(cfg, &tr, out);

	for (tick = 0; tick <= span; tick += SIM_TICK_MS) {
		struct vpool *vp = &ctx.vp;
		struct meminfo mi;
		struct tick_result tk;
		bool have_mi;
		char pct[16] = "-", size[24] = "-";

		while (idx + 1 < tr.n && tr.s[idx + 1].t_ms - t0 <= tick)
			idx++;
		sim_expire(vp, tick);
		have_mi = meminfo_parse_buf(&mi, tr.s[idx].body,
					    tr.s[idx].len) == 0;
		if (have_mi) {
			/* Our virtual files, unused: free swap. */
			mi.swap_total_kb = sat_add(mi.swap_total_kb,
						   vp->total_b / 1024);
			mi.swap_free_kb = sat_add(mi.swap_free_kb,
						  vp->total_b / 1024);
		} else {
			r.read_errors++;
		}
		/* As the daemon decides, forecast included. */
		tick_run(TICK_PARAMS(cfg), &ts, &ops, have_mi ? &mi : NULL, tick, &tk);
		if (tk.valid) {
			snprintf(pct, sizeof(pct), "%.1f", tk.o.free_pct);
			if (tk.o.free_pct < r.min_free_pct)
				r.min_free_pct = tk.o.free_pct;
		}
		if (tk.act == FSM_ACT_GROW && tk.out == FSM_OK)
			r.grows++;
		else if (tk.act == FSM_ACT_GROW)
			r.no_room++;
		else if (tk.act == FSM_ACT_SHRINK && tk.out == FSM_OK)
			r.shrinks++;
		if (vp->n > r.max_files)
			r.max_files = vp->n;
		if (vp->total_b > r.max_swap_b)
			r.max_swap_b = vp->total_b;
		if (tk.size_b)
			snprintf(size, sizeof(size), "%" PRIu64,
				 tk.size_b / 1024);
		fprintf(out, "%8" PRId64 " %8s %-8s %-14s %9s %5d %9" PRIu64
			"\n", tick / 1000, pct, fsm_state_name(ts.fsm.state),
			action_label(tk.valid, tk.cannot_grow, tk.act, tk.out),
			size, vp->n, vp->total_b / 1024);
		if (obs && obs->tick) {
			struct sim_tick st = {
				tick, tk.valid ? tk.o.free_pct : NAN,
				tk.valid ? (mi.swap_total_kb - mi.swap_free_kb)
						   * 1024 : 0,
				vp->total_b, tk.size_b, vp->n, ts.fsm.state,
				tk.act, tk.out};
			obs->tick(obs->ctx, &st);
		}
		r.ticks++;
	}
	r.final_state = ts.fsm.state;
	r.final_files = ctx.vp.n;
	r.reused = ctx.reused;
	/* No valid reading at all: no lowest free figure either. */
	if (r.read_errors == r.ticks)
		snprintf(minpct, sizeof(minpct), "-");
	else
		snprintf(minpct, sizeof(minpct), "%.1f", r.min_free_pct);
	fprintf(out, "# summary ticks=%ld grows=%lu shrinks=%lu no_room=%lu "
		"read_errors=%ld max_files=%d max_swap_kb=%" PRIu64
		" min_free_pct=%s final_state=%s final_files=%d reused=%lu\n",
		r.ticks, r.grows, r.shrinks, r.no_room, r.read_errors,
		r.max_files, r.max_swap_b / 1024, minpct,
		fsm_state_name(r.final_state), r.final_files, r.reused);
	trace_free(&tr);
	if (res)
		*res = r;
	return 0;
}

/* The whole trace in memory (a day at 1 s is about 130 MB: the cap). */
int simulate_file(const struct config *cfg, const char *path, FILE *out)
{
	char *buf = NULL, err[256];
	size_t len = 0;
	int rc = gm_read_alloc(path, TRACE_MAX_BYTES, &buf, &len);

	if (rc < 0) {
		fprintf(stderr, "ghostmemory: cannot read trace %s: %s\n", path,
			strerror(-rc));
		return GM_EXIT_RUNTIME;
	}
	rc = simulate_buf(cfg, buf ? buf : "", len, out, NULL, err,
			  sizeof(err));
	free(buf);
	if (rc < 0) {
		fprintf(stderr, "ghostmemory: %s: %s\n", path, err);
		return GM_EXIT_USAGE;
	}
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "ghostmemory: writing the replay: %s\n",
			strerror(errno));
		return GM_EXIT_RUNTIME;
	}
	return GM_EXIT_OK;
}
