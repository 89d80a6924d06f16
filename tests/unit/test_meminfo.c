/* meminfo: real fixtures, hostile buffers, and the free-figure arithmetic. */
#include "params.h"
#include "config.h"
#include "meminfo.h"
#include "t.h"

#include <errno.h>
#include <stdlib.h>

#define FIX "tests/unit/fixtures/meminfo/"

static void test_fixtures(const struct config *cfg)
{
	struct meminfo mi;
	size_t len;
	char *buf = slurp(FIX "linux-6.18-host.txt", &len);

	CHECK(buf != NULL, "fixture linux-6.18-host.txt missing");
	if (buf) {
		CHECK(meminfo_parse_buf(&mi, buf, len) == 0, "6.18 parses");
		CHECK_EQ_U(mi.mem_total_kb, 24684092, "6.18 MemTotal");
		CHECK(mi.has_mem_available, "6.18 has MemAvailable");
		/* free = MemAvailable + SwapFree */
		CHECK_EQ_U(meminfo_free_kb(&mi, FREE_PARAMS(cfg)), 24315404, "6.18 free");
		CHECK_EQ_U(meminfo_total_kb(&mi), 24684092, "6.18 total");
		/* The optional lines: commit figures and zswap's. */
		CHECK(mi.has_commit && mi.commit_limit_kb == 12342044 &&
		      mi.committed_as_kb == 56496, "6.18 commit lines");
		CHECK(mi.has_zswap && mi.zswap_kb == 0, "6.18 zswap lines");
		{
			uint64_t cf, cl;

			/* Heuristic overcommit: no commit signal. */
			CHECK(!meminfo_commit(&mi, &cf, &cl) && cf == 0,
			      "6.18 not strict");
			mi.commit_strict = true;
			CHECK(meminfo_commit(&mi, &cf, &cl) &&
			      cf == 12342044 - 56496 && cl == 12342044,
			      "6.18 strict headroom");
			mi.committed_as_kb = 20000000;
			CHECK(meminfo_commit(&mi, &cf, &cl) && cf == 0,
			      "over the limit: no headroom");
		}
		CHECK(meminfo_free_pct(&mi, FREE_PARAMS(cfg)) > 98.5 &&
		      meminfo_free_pct(&mi, FREE_PARAMS(cfg)) < 98.6, "6.18 free%% %.3f",
		      meminfo_free_pct(&mi, FREE_PARAMS(cfg)));
	}
	free(buf);
	buf = slurp(FIX "linux-2.6.32-nomemavailable.txt", &len);
	CHECK(buf != NULL, "fixture linux-2.6.32 missing");
	if (buf) {
		CHECK(meminfo_parse_buf(&mi, buf, len) == 0, "2.6.32 parses");
		CHECK(!mi.has_mem_available, "2.6.32 lacks MemAvailable");
		CHECK(!mi.has_zswap, "2.6.32 has no zswap lines");
		/* 20964 free + 250000 swap free + 1100 swap cached
		 * + 30% of 30396 buffers (9118)
		 * + 80% of (213540 - 1540 dirty - 0 wb - 2000 shmem) */
		CHECK_EQ_U(meminfo_free_kb(&mi, FREE_PARAMS(cfg)), 449182, "2.6.32 free");
		CHECK_EQ_U(meminfo_total_kb(&mi), 776740, "2.6.32 total");
	}
	free(buf);
}

static void test_hostile(void)
{
	static const struct {
		const char *name, *text;
		int want;
	} cases[] = {
		{"empty", "", -EINVAL},
		{"no MemTotal", "MemFree: 1 kB\nMemAvailable: 1 kB\n"
				"SwapTotal: 0 kB\nSwapFree: 0 kB\n", -EINVAL},
		{"no SwapFree", "MemTotal: 10 kB\nMemFree: 1 kB\n"
				"MemAvailable: 1 kB\nSwapTotal: 0 kB\n", -EINVAL},
		{"old kernel without Cached",
		 "MemTotal: 10 kB\nMemFree: 1 kB\nBuffers: 1 kB\n"
		 "SwapTotal: 0 kB\nSwapFree: 0 kB\n", -EINVAL},
		{"minimal ok", "MemTotal: 10 kB\nMemFree: 1 kB\n"
			       "MemAvailable: 5 kB\nSwapTotal: 0 kB\n"
			       "SwapFree: 0 kB", 0},
		{"negative", "MemTotal: -10 kB\nMemFree: 1 kB\n"
			     "MemAvailable: 5 kB\nSwapTotal: 0 kB\n"
			     "SwapFree: 0 kB\n", -EINVAL},
		{"garbage number", "MemTotal: 1x0 kB\nMemFree: 1 kB\n"
				   "MemAvailable: 5 kB\nSwapTotal: 0 kB\n"
				   "SwapFree: 0 kB\n", -EINVAL},
		{"huge number", "MemTotal: 99999999999999999999999 kB\n"
				"MemFree: 1 kB\nMemAvailable: 5 kB\n"
				"SwapTotal: 0 kB\nSwapFree: 0 kB\n", -EINVAL},
		{"over 1 EiB", "MemTotal: 1125899906842625 kB\nMemFree: 1 kB\n"
			       "MemAvailable: 5 kB\nSwapTotal: 0 kB\n"
			       "SwapFree: 0 kB\n", -EINVAL},
		{"truncated unit", "MemTotal: 10 kB\nMemFree: 1 kB\n"
				   "MemAvailable: 5 kB\nSwapTotal: 0 kB\n"
				   "SwapFree: 0 k", -EINVAL},
		{"truncated line", "MemTotal: 10 kB\nMemFree: 1 kB\n"
				   "MemAvailable: 5 kB\nSwapTotal: 0 kB\n"
				   "SwapFr", -EINVAL},
		{"no digits", "MemTotal:  kB\nMemFree: 1 kB\n"
			      "MemAvailable: 5 kB\nSwapTotal: 0 kB\n"
			      "SwapFree: 0 kB\n", -EINVAL},
		{"zero MemTotal", "MemTotal: 0 kB\nMemFree: 0 kB\n"
				  "MemAvailable: 0 kB\nSwapTotal: 0 kB\n"
				  "SwapFree: 0 kB\n", -EINVAL},
		{"SwapFree > SwapTotal", "MemTotal: 10 kB\nMemFree: 1 kB\n"
					 "MemAvailable: 5 kB\nSwapTotal: 1 kB\n"
					 "SwapFree: 2 kB\n", -EINVAL},
		{"duplicate field", "MemTotal: 10 kB\nMemTotal: 20 kB\n"
				    "MemFree: 1 kB\nMemAvailable: 5 kB\n"
				    "SwapTotal: 0 kB\nSwapFree: 0 kB\n", -EINVAL},
		{"unknown lines ignored", "Foo: bar\nMemTotal: 10 kB\n"
					  "HugePages_Total: 0\nMemFree: 1 kB\n"
					  "MemAvailable: 5 kB\nSwapTotal: 0 kB\n"
					  "SwapFree: 0 kB\n:::\n\n", 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct meminfo mi;
		int rc = meminfo_parse_buf(&mi, cases[i].text,
					   strlen(cases[i].text));
		CHECK(rc == cases[i].want, "%s: got %d, want %d", cases[i].name,
		      rc, cases[i].want);
	}
	/* A NUL inside the buffer must not crash or be a surplus. */
	{
		struct meminfo mi;
		const char buf[] = "MemTotal: 10\0 kB\nMemFree: 1 kB\n";
		CHECK(meminfo_parse_buf(&mi, buf, sizeof(buf)) == -EINVAL,
		      "NUL in number is a read error");
	}
}

static void test_arithmetic(struct config *cfg)
{
	struct meminfo mi = {0};

	/* Without MemAvailable, caches never count below zero. */
	mi.mem_total_kb = 1000;
	mi.mem_free_kb = 100;
	mi.cached_kb = 50;
	mi.dirty_kb = 80;
	mi.shmem_kb = 10;
	mi.buffers_kb = 100;
	CHECK_EQ_U(meminfo_free_kb(&mi, FREE_PARAMS(cfg)), 100 + 30, "cache under dirty");
	cfg->buffer_elasticity_pct = 0;
	cfg->cache_elasticity_pct = 100;
	mi.cached_kb = 500;
	CHECK_EQ_U(meminfo_free_kb(&mi, FREE_PARAMS(cfg)), 100 + 410, "elasticity 0/100");
	mi.swap_total_kb = 1000;
	mi.swap_free_kb = 400;
	CHECK_EQ_U(meminfo_total_kb(&mi), 2000, "total with swap");
	CHECK(meminfo_free_pct(&mi, FREE_PARAMS(cfg)) > 45.49 &&
	      meminfo_free_pct(&mi, FREE_PARAMS(cfg)) < 45.51, "free%% = 910/2000");
	mi.has_mem_available = true;
	mi.mem_available_kb = 300;
	CHECK_EQ_U(meminfo_free_kb(&mi, FREE_PARAMS(cfg)), 700, "MemAvailable + SwapFree");
	CHECK_EQ_U(meminfo_ram_available_kb(&mi, FREE_PARAMS(cfg)), 300, "ram available");
}

int main(void)
{
	struct config cfg;

	config_defaults(&cfg);
	test_fixtures(&cfg);
	test_hostile();
	test_arithmetic(&cfg);
	CHECK(meminfo_read("/nonexistent/meminfo", &(struct meminfo){0}) ==
		      -ENOENT, "missing file is -ENOENT");
	T_END();
}
