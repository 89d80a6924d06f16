/* The state machine: every state against every input, and the timers. */
#include "params.h"
#include "config.h"
#include "fsm.h"
#include "t.h"

enum input { SHORT, SURPLUS, NEITHER, INVALID, FORECAST };
static const char *const input_names[] = {"shortage", "surplus", "neither",
					  "read error", "forecast shortage"};

static struct fsm_reading reading(enum input in)
{
	struct fsm_reading r = {in != INVALID, in == SHORT || in == FORECAST,
				in == SURPLUS, in == FORECAST};
	return r;
}

/* Put the machine in state s at time t (timers fresh). */
static void put(const struct config *cfg, struct fsm *f, enum fsm_state s,
		int64_t t)
{
	fsm_init(f, t);
	if (s == FSM_HUNGRY)
		fsm_report(TICK_PARAMS(cfg)->cooldown_ms, f, FSM_ACT_GROW, FSM_OK, t);
	else if (s == FSM_DIET)
		fsm_force_diet(TICK_PARAMS(cfg)->cooldown_ms, f, t);
	else if (s == FSM_OVERFED) {
		struct fsm_reading r = reading(SURPLUS);
		fsm_step(TICK_PARAMS(cfg)->cooldown_ms, f, &r, t);
	}
}

static void test_table(const struct config *cfg)
{
	/* One tick at +1 s (timers not expired) */
	static const struct {
		enum fsm_state from;
		enum input in;
		enum fsm_action_kind act;
		enum fsm_state to;
	} rows[] = {
		{FSM_STEADY, SHORT, FSM_ACT_GROW, FSM_STEADY},
		{FSM_STEADY, SURPLUS, FSM_ACT_NONE, FSM_OVERFED},
		{FSM_STEADY, NEITHER, FSM_ACT_NONE, FSM_STEADY},
		{FSM_STEADY, INVALID, FSM_ACT_NONE, FSM_STEADY},
		{FSM_STEADY, FORECAST, FSM_ACT_GROW, FSM_STEADY},
		{FSM_HUNGRY, SHORT, FSM_ACT_GROW, FSM_HUNGRY},
		{FSM_HUNGRY, SURPLUS, FSM_ACT_NONE, FSM_HUNGRY},
		{FSM_HUNGRY, NEITHER, FSM_ACT_NONE, FSM_HUNGRY},
		{FSM_HUNGRY, INVALID, FSM_ACT_NONE, FSM_HUNGRY},
		/* Just grew: the next file waits for the limit itself. */
		{FSM_HUNGRY, FORECAST, FSM_ACT_NONE, FSM_HUNGRY},
		{FSM_OVERFED, SHORT, FSM_ACT_GROW, FSM_OVERFED},
		{FSM_OVERFED, SURPLUS, FSM_ACT_NONE, FSM_OVERFED},
		{FSM_OVERFED, NEITHER, FSM_ACT_NONE, FSM_STEADY},
		{FSM_OVERFED, INVALID, FSM_ACT_NONE, FSM_OVERFED},
		{FSM_OVERFED, FORECAST, FSM_ACT_GROW, FSM_OVERFED},
		{FSM_DIET, SHORT, FSM_ACT_NONE, FSM_DIET},
		{FSM_DIET, SURPLUS, FSM_ACT_SHRINK, FSM_DIET},
		{FSM_DIET, NEITHER, FSM_ACT_NONE, FSM_DIET},
		{FSM_DIET, INVALID, FSM_ACT_NONE, FSM_DIET},
		{FSM_DIET, FORECAST, FSM_ACT_NONE, FSM_DIET},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fsm f;
		struct fsm_reading r = reading(rows[i].in);
		enum fsm_action_kind a;

		put(cfg, &f, rows[i].from, 0);
		a = fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &r, 1000);
		CHECK(a == rows[i].act && f.state == rows[i].to,
		      "%s + %s: got %s -> %s, want %s -> %s",
		      fsm_state_name(rows[i].from), input_names[rows[i].in],
		      fsm_action_name(a), fsm_state_name(f.state),
		      fsm_action_name(rows[i].act),
		      fsm_state_name(rows[i].to));
	}
}

static void test_outcomes(const struct config *cfg)
{
	static const enum fsm_state froms[] = {FSM_STEADY, FSM_HUNGRY,
					       FSM_OVERFED};
	size_t i;

	/* Every state that grows: ok -> hungry, no room -> diet,
	 * another failure -> stays and retries. */
	for (i = 0; i < 3; i++) {
		struct fsm f;
		struct fsm_reading r = reading(SHORT);

		put(cfg, &f, froms[i], 0);
		CHECK(fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &r, 1000) == FSM_ACT_GROW,
		      "%s grows on shortage", fsm_state_name(froms[i]));
		fsm_report(TICK_PARAMS(cfg)->cooldown_ms, &f, FSM_ACT_GROW, FSM_OK, 1000);
		CHECK(f.state == FSM_HUNGRY, "%s + grow ok -> hungry, got %s",
		      fsm_state_name(froms[i]), fsm_state_name(f.state));
		CHECK(f.timer_ms == 1000 + cfg->cooldown_s * 1000,
		      "hungry timer = now + cooldown");

		put(cfg, &f, froms[i], 0);
		fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &r, 1000);
		fsm_report(TICK_PARAMS(cfg)->cooldown_ms, &f, FSM_ACT_GROW, FSM_NO_ROOM, 1000);
		CHECK(f.state == FSM_DIET, "%s + no room -> diet, got %s",
		      fsm_state_name(froms[i]), fsm_state_name(f.state));

		put(cfg, &f, froms[i], 0);
		fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &r, 1000);
		fsm_report(TICK_PARAMS(cfg)->cooldown_ms, &f, FSM_ACT_GROW, FSM_FAILED, 1000);
		CHECK(f.state == froms[i], "%s + grow failed stays, got %s",
		      fsm_state_name(froms[i]), fsm_state_name(f.state));

		put(cfg, &f, froms[i], 0);
		fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &r, 1000);
		fsm_report(TICK_PARAMS(cfg)->cooldown_ms, &f, FSM_ACT_GROW, FSM_WAIT, 1000);
		CHECK(f.state == froms[i], "%s + grow waits stays, got %s",
		      fsm_state_name(froms[i]), fsm_state_name(f.state));

		/* A file still being made: no state change, no timer. */
		put(cfg, &f, froms[i], 0);
		fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &r, 1000);
		{
			int64_t timer = f.timer_ms, entered = f.entered_ms;

			fsm_report(TICK_PARAMS(cfg)->cooldown_ms, &f, FSM_ACT_GROW, FSM_PENDING, 1000);
			CHECK(f.state == froms[i] && f.timer_ms == timer &&
				      f.entered_ms == entered,
			      "%s + grow pending stays, got %s",
			      fsm_state_name(froms[i]),
			      fsm_state_name(f.state));
		}
		/* ...and its outcome, reported later, counts as a grow. */
		fsm_report(TICK_PARAMS(cfg)->cooldown_ms, &f, FSM_ACT_GROW, FSM_OK, 1500);
		CHECK(f.state == FSM_HUNGRY &&
			      f.timer_ms == 1500 + cfg->cooldown_s * 1000,
		      "%s + pending then ok -> hungry from the ok, got %s",
		      fsm_state_name(froms[i]), fsm_state_name(f.state));
	}
}

static void test_timers(const struct config *cfg)
{
	struct fsm f;
	struct fsm_reading neither = reading(NEITHER);
	struct fsm_reading surplus = reading(SURPLUS);
	struct fsm_reading shortage = reading(SHORT);
	int64_t cd = cfg->cooldown_s * 1000;

	/* hungry: expires after exactly cooldown seconds */
	put(cfg, &f, FSM_HUNGRY, 0);
	fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &neither, cd - 1);
	CHECK(f.state == FSM_HUNGRY, "hungry before cooldown");
	fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &neither, cd);
	CHECK(f.state == FSM_STEADY, "hungry -> steady at cooldown, got %s",
	      fsm_state_name(f.state));

	/* hungry + surplus + timer expired: judged as steady -> overfed */
	put(cfg, &f, FSM_HUNGRY, 0);
	CHECK(fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &surplus, cd) == FSM_ACT_NONE &&
		      f.state == FSM_OVERFED,
	      "hungry expired + surplus -> overfed, got %s",
	      fsm_state_name(f.state));

	/* diet: expires; a shortage then grows at once */
	put(cfg, &f, FSM_DIET, 0);
	CHECK(fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &shortage, cd - 1) == FSM_ACT_NONE,
	      "diet cannot grow");
	CHECK(f.say_cannot_grow, "diet says it cannot grow once");
	fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &shortage, cd - 1);
	CHECK(!f.say_cannot_grow, "... and only once");
	CHECK(fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &shortage, cd) == FSM_ACT_GROW &&
		      f.state == FSM_STEADY,
	      "diet expired + shortage grows from steady");

	/* diet frees at once on surplus, every tick, and stays */
	put(cfg, &f, FSM_DIET, 0);
	CHECK(fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &surplus, 1) == FSM_ACT_SHRINK, "diet shrink 1");
	fsm_report(TICK_PARAMS(cfg)->cooldown_ms, &f, FSM_ACT_SHRINK, FSM_OK, 1);
	CHECK(fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &surplus, 2) == FSM_ACT_SHRINK &&
		      f.state == FSM_DIET, "diet shrink 2, still diet");

	/* overfed: shrink only once the surplus lasted a whole cooldown */
	put(cfg, &f, FSM_OVERFED, 0);
	CHECK(fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &surplus, cd - 1) == FSM_ACT_NONE,
	      "overfed waits for the cooldown");
	CHECK(fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &surplus, cd) == FSM_ACT_SHRINK,
	      "overfed shrinks after the cooldown");
	fsm_report(TICK_PARAMS(cfg)->cooldown_ms, &f, FSM_ACT_SHRINK, FSM_OK, cd);
	CHECK(f.state == FSM_STEADY, "overfed + shrink -> steady");
	/* the surplus must last again before the next file goes */
	fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &surplus, cd + 1);
	CHECK(f.state == FSM_OVERFED &&
		      fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &surplus, 2 * cd) == FSM_ACT_NONE &&
		      fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &surplus, 2 * cd + 1) == FSM_ACT_SHRINK,
	      "one file per cooldown");

	/* an interrupted surplus restarts the wait */
	put(cfg, &f, FSM_OVERFED, 0);
	fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &neither, cd / 2);
	CHECK(f.state == FSM_STEADY, "overfed + neither -> steady");
	fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &surplus, cd / 2 + 1);
	CHECK(fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &surplus, cd + 1) == FSM_ACT_NONE,
	      "surplus clock restarted");

	/* a spike: one file a tick, never waiting for a timer */
	put(cfg, &f, FSM_STEADY, 0);
	for (int i = 0; i < 5; i++) {
		CHECK(fsm_step(TICK_PARAMS(cfg)->cooldown_ms, &f, &shortage, i * 1000) == FSM_ACT_GROW,
		      "spike tick %d grows", i);
		fsm_report(TICK_PARAMS(cfg)->cooldown_ms, &f, FSM_ACT_GROW, FSM_OK, i * 1000);
	}
	CHECK(f.state == FSM_HUNGRY && f.timer_ms == 4000 + cd,
	      "hungry timer restarts with each grow");

	/* SIGUSR2 forces diet from any state */
	put(cfg, &f, FSM_HUNGRY, 0);
	fsm_force_diet(TICK_PARAMS(cfg)->cooldown_ms, &f, 5);
	CHECK(f.state == FSM_DIET && f.timer_ms == 5 + cd, "USR2 -> diet");
	CHECK(strcmp(fsm_state_name(FSM_NSTATES), "?") == 0, "bad state name");
}

int main(void)
{
	struct config cfg;

	config_defaults(&cfg);
	cfg.cooldown_s = 7; /* seconds, not ticks */
	test_table(&cfg);
	test_outcomes(&cfg);
	test_timers(&cfg);
	T_END();
}
