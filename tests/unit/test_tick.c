/* tick.c: one tick's decision sequence through a fake ops table: the grow
 * back-off, the shrink back-off after a failed swapoff, the standby retry,
 * the provisioning time, the one "calm", and a failed reading. */
#include "fsm.h"
#include "meminfo.h"
#include "t.h"
#include "tick.h"

#include <stdint.h>

#define COOLDOWN_MS 30000

struct fake {
	int grows, shrinks, standbys;
	int64_t keep_ms; /* the last shrink's */
	enum fsm_outcome grow_out, shrink_out;
	int standby_rc;
	int64_t lead;
	uint64_t file_b;
};

static enum fsm_outcome f_grow(void *ctx, const struct meminfo *mi,
			       int64_t now_ms, uint64_t *size_b,
			       int64_t *took_ms)
{
	struct fake *f = ctx;

	(void)mi;
	(void)now_ms;
	f->grows++;
	*size_b = 64u << 20;
	*took_ms = 7;
	return f->grow_out;
}

static enum fsm_outcome f_shrink(void *ctx, const struct meminfo *mi,
				 int64_t now_ms, int64_t keep_ms,
				 uint64_t *size_b)
{
	struct fake *f = ctx;

	(void)mi;
	(void)now_ms;
	f->shrinks++;
	f->keep_ms = keep_ms;
	*size_b = 64u << 20;
	return f->shrink_out;
}

static int64_t f_lead(void *ctx, int64_t provision_ms)
{
	struct fake *f = ctx;

	return f->lead > provision_ms ? f->lead : provision_ms;
}

static int f_standby(void *ctx, const struct meminfo *mi, int64_t now_ms)
{
	struct fake *f = ctx;

	(void)mi;
	(void)now_ms;
	f->standbys++;
	return f->standby_rc;
}

static uint64_t f_file_b(void *ctx)
{
	struct fake *f = ctx;

	return f->file_b;
}

static struct tick_params params(void)
{
	struct tick_params tp = {{{60, 80}, 20, 40, 0},
				 30,
				 COOLDOWN_MS,
				 {100, 5000, 100.0 * 1024}};
	return tp;
}

/* Every case's fixture: the parameters, a fake and its ops table, a tick
 * state; fresh() starts them over (the state at t=0). */
static struct tick_params tp;
static struct fake f;
static struct tick_ops ops;
static struct tick_state ts;
static struct tick_result res;

static void fresh(void)
{
	struct tick_ops o = {&f,        f_grow, f_shrink, f_lead,
			     f_standby, NULL,   NULL};

	tp = params();
	memset(&f, 0, sizeof(f));
	ops = o;
	tick_init(&ts, 0);
	memset(&res, 0, sizeof(res));
}

/* 1000 MiB of RAM, free_pct of it available, no swap. */
static struct meminfo mem(int free_pct)
{
	struct meminfo mi = {0};

	mi.mem_total_kb = 1000 * 1024;
	mi.mem_available_kb = (uint64_t)free_pct * 1024 * 10;
	mi.mem_free_kb = mi.mem_available_kb;
	mi.has_mem_available = true;
	return mi;
}

static void test_no_reading(void)
{
	fresh();
	tick_run(&tp, &ts, &ops, NULL, 1000, &res);
	CHECK(!res.valid && res.act == FSM_ACT_NONE, "no reading: nothing");
	CHECK(f.grows + f.shrinks + f.standbys == 0, "no reading: no op");
	CHECK(res.next_poll_ms == -1, "no reading: the caller's interval");
}

static void test_grow_backoff(void)
{
	struct meminfo short_mi = mem(10);
	int64_t t = 1000, want[] = {1000, 2000, 4000, 8000, 16000, 30000,
				    30000};
	size_t i;

	fresh();
	f.grow_out = FSM_FAILED;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int before = f.grows;

		tick_run(&tp, &ts, &ops, &short_mi, t, &res);
		CHECK(f.grows == before + 1 && res.act == FSM_ACT_GROW,
		      "failure %zu: grown at t=%lld", i, (long long)t);
		tick_run(&tp, &ts, &ops, &short_mi, t + want[i] - 1, &res);
		CHECK(f.grows == before + 1 && res.act == FSM_ACT_NONE,
		      "failure %zu: held back for %lld ms", i,
		      (long long)want[i]);
		t += want[i];
	}
	CHECK(f.standbys == 0, "a shortage is never calm");
	/* A success resets the back-off and measures the provisioning. */
	f.grow_out = FSM_OK;
	tick_run(&tp, &ts, &ops, &short_mi, t, &res);
	CHECK(res.out == FSM_OK && ts.grow_failures == 0, "success resets");
	CHECK(ts.provision_ms == 7, "provision_ms from took_ms: %lld",
	      (long long)ts.provision_ms);
	CHECK(ts.fsm.state == FSM_HUNGRY, "hungry after a grow");
}

static void test_pending_grow(void)
{
	struct meminfo short_mi = mem(10);

	fresh();
	f.grow_out = FSM_PENDING;
	tick_run(&tp, &ts, &ops, &short_mi, 5000, &res);
	CHECK(res.out == FSM_PENDING && ts.grow_wait_ms == 5000,
	      "pending since the ask");
	CHECK(ts.fsm.state == FSM_STEADY, "no state change while pending");
	tick_grow_done(&tp, &ts, FSM_OK, -1, 5400);
	CHECK(ts.provision_ms == 400, "provision measured from the ask: %lld",
	      (long long)ts.provision_ms);
	CHECK(ts.fsm.state == FSM_HUNGRY && ts.grow_wait_ms == -1,
	      "hungry once the file is on");
	/* No room: a diet for a cooldown. */
	tick_init(&ts, 0);
	tick_run(&tp, &ts, &ops, &short_mi, 5000, &res);
	tick_grow_done(&tp, &ts, FSM_NO_ROOM, -1, 5100);
	CHECK(ts.fsm.state == FSM_DIET, "no room: diet");
}

/* A directory that does not answer: the grow waits, asked again at
 * every tick (no diet, no back-off), and grows as soon as it can. */
static void test_wait_grow(void)
{
	struct meminfo short_mi = mem(10);
	int64_t t;

	fresh();
	f.grow_out = FSM_WAIT;
	for (t = 1000; t <= 5000; t += 1000) {
		int before = f.grows;

		tick_run(&tp, &ts, &ops, &short_mi, t, &res);
		CHECK(res.act == FSM_ACT_GROW && f.grows == before + 1 &&
			      res.out == FSM_WAIT,
		      "asked again at t=%lld", (long long)t);
		CHECK(ts.fsm.state == FSM_STEADY && ts.grow_failures == 0 &&
			      ts.grow_retry_ms <= t,
		      "no diet, no back-off at t=%lld", (long long)t);
	}
	f.grow_out = FSM_OK;
	tick_run(&tp, &ts, &ops, &short_mi, 5100, &res);
	CHECK(res.out == FSM_OK && ts.fsm.state == FSM_HUNGRY,
	      "grown the tick it answers");
}

static void test_shrink_backoff(void)
{
	struct meminfo plenty = mem(90);

	fresh();
	tick_force_diet(&tp, &ts, 0);
	f.shrink_out = FSM_PENDING;
	tick_run(&tp, &ts, &ops, &plenty, 1000, &res);
	CHECK(res.act == FSM_ACT_SHRINK && f.shrinks == 1, "diet shrinks");
	/* The swapoff was OOM-killed or interrupted. */
	tick_shrink_done(&tp, &ts, FSM_FAILED, 2000);
	tick_run(&tp, &ts, &ops, &plenty, 2100, &res);
	tick_run(&tp, &ts, &ops, &plenty, 2000 + COOLDOWN_MS - 1, &res);
	CHECK(f.shrinks == 1, "no retry for a cooldown: %d", f.shrinks);
	/* A shortage still grows during the shrink back-off. */
	{
		struct meminfo short_mi = mem(10);
		struct tick_state t2;

		tick_init(&t2, 0);
		tick_shrink_done(&tp, &t2, FSM_FAILED, 0);
		tick_run(&tp, &t2, &ops, &short_mi, 100, &res);
		CHECK(res.act == FSM_ACT_GROW, "grow not held by a failed "
					       "shrink");
	}
	/* After the cooldown, an overfed surplus shrinks again. */
	tick_init(&ts, 0);
	tick_shrink_done(&tp, &ts, FSM_FAILED, 0);
	tick_run(&tp, &ts, &ops, &plenty, 10, &res); /* steady -> overfed */
	tick_run(&tp, &ts, &ops, &plenty, COOLDOWN_MS + 10, &res);
	CHECK(res.act == FSM_ACT_SHRINK && f.shrinks == 2,
	      "retried after the cooldown");
	/* A shrink that went well sets no back-off. */
	tick_init(&ts, 0);
	tick_shrink_done(&tp, &ts, FSM_OK, 0);
	CHECK(ts.shrink_retry_ms == 0, "no back-off after success");
}

static void test_standby_retry(void)
{
	struct meminfo calm = mem(50);

	fresh();
	f.standby_rc = -28;
	tick_run(&tp, &ts, &ops, &calm, 1000, &res);
	CHECK(res.calm && f.standbys == 1, "calm: standby asked");
	tick_run(&tp, &ts, &ops, &calm, 1000 + COOLDOWN_MS - 1, &res);
	CHECK(f.standbys == 1, "failed standby waits a cooldown");
	f.standby_rc = 0;
	tick_run(&tp, &ts, &ops, &calm, 1000 + COOLDOWN_MS, &res);
	CHECK(f.standbys == 2, "retried after it");
	tick_run(&tp, &ts, &ops, &calm, 2000 + COOLDOWN_MS, &res);
	CHECK(f.standbys == 3, "a standby that started is asked every tick");
	/* No standby op (the simulator): calm is still reported. */
	ops.standby = NULL;
	tick_run(&tp, &ts, &ops, &calm, 3000 + COOLDOWN_MS, &res);
	CHECK(res.calm && f.standbys == 3, "NULL standby op");
}

static uint64_t f_short_b;
static uint64_t f_reserve_short(void *ctx)
{
	(void)ctx;
	return f_short_b;
}

/* Reservations that lack swap are a shortage at any free figure: the
 * tick grows at once, and a surplus is not one. */
static void test_reserve_short(void)
{
	struct meminfo calm = mem(50), plenty = mem(90);

	fresh();
	ops.standby = NULL;
	ops.reserve_short_b = f_reserve_short;
	f.grow_out = FSM_OK;
	f_short_b = 0;
	tick_run(&tp, &ts, &ops, &calm, 1000, &res);
	CHECK(res.act == FSM_ACT_NONE && !res.reserve_short,
	      "met: nothing to do");
	f_short_b = 1;
	tick_run(&tp, &ts, &ops, &calm, 2000, &res);
	CHECK(res.act == FSM_ACT_GROW && f.grows == 1 && res.reserve_short &&
		      !res.calm,
	      "short by a byte at 50%% free: grow (act %d)", (int)res.act);
	tick_run(&tp, &ts, &ops, &plenty, 3000, &res);
	CHECK(res.act == FSM_ACT_GROW && f.grows == 2,
	      "still short at 90%% free: grow again, no surplus");
	f_short_b = 0;
	tick_init(&ts, 0);
	tick_run(&tp, &ts, &ops, &plenty, 1000, &res);
	CHECK(!res.reserve_short && ts.fsm.state == FSM_OVERFED,
	      "met at 90%% free: the surplus counts again (state %d)",
	      (int)ts.fsm.state);
}

static void test_calm(void)
{
	struct fsm_reading r = {true, false, false, false};
	struct outlook o = {.free_pct = 50, .free_kb = 500 * 1024,
			     .limit_kb = 200 * 1024, .slope_kb_s = 0};

	fresh();
	CHECK(tick_calm(&tp, FSM_STEADY, &r, &o), "steady, flat: calm");
	CHECK(tick_calm(&tp, FSM_OVERFED, &r, &o), "overfed: calm");
	CHECK(!tick_calm(&tp, FSM_HUNGRY, &r, &o), "hungry: not calm");
	CHECK(!tick_calm(&tp, FSM_DIET, &r, &o), "diet: not calm");
	o.free_pct = 29;
	CHECK(!tick_calm(&tp, FSM_STEADY, &r, &o), "under freetarget");
	o.free_pct = 50;
	/* 300 MiB of headroom at 10 MiB/s: the limit in 30 s. */
	o.slope_kb_s = -10 * 1024;
	CHECK(!tick_calm(&tp, FSM_STEADY, &r, &o), "heading for the limit");
	/* At 1 MiB/s: 300 s away. */
	o.slope_kb_s = -1024;
	CHECK(tick_calm(&tp, FSM_STEADY, &r, &o), "slow decline: calm");
	r.shortage = true;
	CHECK(!tick_calm(&tp, FSM_STEADY, &r, &o), "shortage: not calm");
	r.shortage = false;
	r.valid = false;
	CHECK(!tick_calm(&tp, FSM_STEADY, &r, &o), "no reading: not calm");
}

/* Repeated spikes with a short cooldown: a grow soon after a shrink
 * makes the next surplus last longer; calm brings the wait back down. */
static void test_churn(void)
{
	struct meminfo plenty = mem(90), short_mi = mem(10);
	int64_t t, w;

	CHECK(tick_shrink_wait_ms(5000, 0) == 5000 &&
		      tick_shrink_wait_ms(5000, 2) == 20000 &&
		      tick_shrink_wait_ms(5000, 99) == 5000 << TICK_CHURN_MAX,
	      "wait doubles per step, up to TICK_CHURN_MAX");
	CHECK(tick_shrink_wait_ms(600000, 4) == 3600000,
	      "never past an hour: %lld",
	      (long long)tick_shrink_wait_ms(600000, 4));
	CHECK(tick_shrink_wait_ms(7200000, 3) == 7200000,
	      "a cooldown over an hour stays itself");
	CHECK(tick_churn_window_ms(5000, 0) == 60000 &&
		      tick_churn_window_ms(30000, 0) == 120000,
	      "window: four waits, at least a minute");

	fresh();
	f.grow_out = FSM_OK;
	f.shrink_out = FSM_OK;
	/* A first spike: no shrink before it, so no churn. */
	tick_run(&tp, &ts, &ops, &short_mi, 1000, &res);
	CHECK(res.act == FSM_ACT_GROW && !res.churn_up && ts.churn == 0,
	      "first grow: no churn");
	/* Calm: hungry ends after the cooldown, then the surplus lasts it. */
	t = 1000 + COOLDOWN_MS;
	tick_run(&tp, &ts, &ops, &plenty, t, &res);
	tick_run(&tp, &ts, &ops, &plenty, t + COOLDOWN_MS, &res);
	CHECK(res.act == FSM_ACT_SHRINK && f.shrinks == 1,
	      "surplus for a cooldown: shrink");
	/* The next spike comes soon: the shrink was premature. */
	t += COOLDOWN_MS + 5000;
	tick_run(&tp, &ts, &ops, &short_mi, t, &res);
	CHECK(res.act == FSM_ACT_GROW && res.churn_up && ts.churn == 1 &&
		      res.shrink_wait_ms == 2 * COOLDOWN_MS,
	      "grow soon after a shrink: churn 1, wait %lld",
	      (long long)res.shrink_wait_ms);
	/* A second grow of the same spike does not count again. */
	tick_run(&tp, &ts, &ops, &short_mi, t + 100, &res);
	CHECK(ts.churn == 1 && !res.churn_up, "one step per shrink");
	/* Now a surplus of one cooldown is not enough (hungry lasts a
	 * cooldown from the last grow, then the surplus is watched). */
	t += 100 + COOLDOWN_MS;
	tick_run(&tp, &ts, &ops, &plenty, t, &res);
	w = t;
	tick_run(&tp, &ts, &ops, &plenty, w + COOLDOWN_MS, &res);
	CHECK(res.act == FSM_ACT_NONE && f.shrinks == 1,
	      "churn 1: a cooldown of surplus keeps the file");
	tick_run(&tp, &ts, &ops, &plenty, w + 2 * COOLDOWN_MS, &res);
	CHECK(res.act == FSM_ACT_SHRINK && f.shrinks == 2,
	      "churn 1: twice the cooldown shrinks");
	/* A long calm, one window per step: back to the cooldown. */
	t = w + 2 * COOLDOWN_MS + tick_churn_window_ms(COOLDOWN_MS, 1);
	tick_run(&tp, &ts, &ops, &plenty, t, &res);
	CHECK(ts.churn == 0 && res.shrink_wait_ms == COOLDOWN_MS,
	      "calm for a window: churn %d", ts.churn);
	/* A shrink done later (the daemon's swapoff lane) counts too. */
	fresh();
	tick_shrink_done(&tp, &ts, FSM_OK, 1000);
	tick_run(&tp, &ts, &ops, &short_mi, 2000, &res);
	CHECK(res.churn_up && ts.churn == 1, "a pending shrink that ended");
	/* A grow long after a shrink is no churn. */
	fresh();
	tick_shrink_done(&tp, &ts, FSM_OK, 1000);
	tick_run(&tp, &ts, &ops, &short_mi,
		 1000 + tick_churn_window_ms(COOLDOWN_MS, 0), &res);
	CHECK(!res.churn_up && ts.churn == 0, "grow after the window");
}

/* A file a shrink turns off is kept a while: the surplus wait, at
 * least a minute; a diet deletes at once.  tick_run hands it to the
 * shrink op. */
static void test_keep(void)
{
	struct meminfo plenty = mem(90), short_mi = mem(10);
	int64_t t;

	CHECK(tick_keep_ms(5000, 0, FSM_OVERFED) == TICK_KEEP_MIN_MS,
	      "a short cooldown: kept a minute, %lld",
	      (long long)tick_keep_ms(5000, 0, FSM_OVERFED));
	CHECK(tick_keep_ms(600000, 0, FSM_OVERFED) == 600000 &&
		      tick_keep_ms(600000, 1, FSM_OVERFED) == 1200000,
	      "a long cooldown: kept the surplus wait, churn included");
	CHECK(tick_keep_ms(600000, 4, FSM_OVERFED) == 3600000,
	      "never past an hour (the wait's cap)");
	CHECK(tick_keep_ms(600000, 2, FSM_DIET) == 0 &&
		      tick_keep_ms(5000, 0, FSM_DIET) == 0,
	      "a diet deletes at once");

	/* A surplus shrink asks to keep the file for the wait. */
	fresh();
	f.grow_out = FSM_OK;
	f.shrink_out = FSM_OK;
	tick_run(&tp, &ts, &ops, &short_mi, 1000, &res);
	t = 1000 + COOLDOWN_MS;
	tick_run(&tp, &ts, &ops, &plenty, t, &res);
	tick_run(&tp, &ts, &ops, &plenty, t + COOLDOWN_MS, &res);
	CHECK(f.shrinks == 1 && f.keep_ms == 60000,
	      "overfed shrink: keep %lld", (long long)f.keep_ms);
	/* After churn the keep follows the longer wait (cooldown 30 s:
	 * 60 s, still the minute). */
	t += COOLDOWN_MS + 5000;
	tick_run(&tp, &ts, &ops, &short_mi, t, &res);
	t += COOLDOWN_MS;
	tick_run(&tp, &ts, &ops, &plenty, t, &res);
	tick_run(&tp, &ts, &ops, &plenty, t + 2 * COOLDOWN_MS, &res);
	CHECK(f.shrinks == 2 && ts.churn == 1 &&
		      f.keep_ms == tick_keep_ms(COOLDOWN_MS, 1, FSM_OVERFED),
	      "churn 1: keep %lld", (long long)f.keep_ms);
	/* SIGUSR2's diet: no keep. */
	fresh();
	f.shrink_out = FSM_OK;
	f.keep_ms = -1;
	tick_force_diet(&tp, &ts, 0);
	tick_run(&tp, &ts, &ops, &plenty, 1000, &res);
	CHECK(res.act == FSM_ACT_SHRINK && f.keep_ms == 0,
	      "diet shrink: keep %lld", (long long)f.keep_ms);
}

/* A 30 s lead (a file on NFS) at 100 MiB/s, 310 MiB above the limit:
 * the forecast grows without the file size; with a 283 MiB file (which
 * adds 226 MiB above a 20% limit) it waits until it is nearer. */
static void test_ahead(void)
{
	int pass, k;

	for (pass = 0; pass < 3; pass++) {
		struct meminfo mi = mem(60);

		fresh();
		f.lead = 30000;
		f.grow_out = FSM_OK;
		if (pass > 0)
			ops.file_b = f_file_b;
		f.file_b = pass == 2 ? 0 : 283u << 20;
		for (k = 0; k < 10; k++) {
			mi = mem(60 - k);
			tick_run(&tp, &ts, &ops, &mi, 1000 + k * 100, &res);
		}
		CHECK(f.grows == (pass == 1 ? 0 : 1),
		      "pass %d: %d grows (forecast %d)", pass, f.grows,
		      res.act == FSM_ACT_GROW);
	}
	/* Nearer the limit (220 MiB above): the bound lets it grow. */
	{
		struct meminfo mi;

		fresh();
		f.lead = 30000;
		f.grow_out = FSM_OK;
		ops.file_b = f_file_b;
		f.file_b = 283u << 20;
		for (k = 0; k < 10; k++) {
			mi = mem(51 - k);
			tick_run(&tp, &ts, &ops, &mi, 1000 + k * 100, &res);
		}
		CHECK(f.grows == 1, "near the limit: grown (%d)", f.grows);
	}
}

int main(void)
{
	test_no_reading();
	test_grow_backoff();
	test_pending_grow();
	test_wait_grow();
	test_shrink_backoff();
	test_standby_retry();
	test_calm();
	test_churn();
	test_keep();
	test_reserve_short();
	test_ahead();
	T_END();
}
