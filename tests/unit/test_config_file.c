/* The config file parser (config_file.c): good lines, and each kind of
 * bad line with the exact "FILE:LINE: KEY: what" message. */
#include "config.h"
#include "policy.h"
#include "t.h"

static int parse(struct config *cfg, const char *text, char *err)
{
	config_defaults(cfg);
	err[0] = '\0';
	return config_parse_buf(cfg, text, strlen(text), "test.conf", err,
				512);
}

static void test_good(void)
{
	struct config cfg;
	char err[512];
	const char *text =
		"# swapspace.conf style\n"
		"swappath=\"/var/lib/swapspace\"\n"
		"  lower_freelimit = 15  # trailing comment\n"
		"upper_freelimit=70\n"
		"freetarget=35\n"
		"min_swapsize=8m\n"
		"max_swapsize=2t\n"
		"cooldown=30\n"
		"buffer_elasticity=10\n"
		"cache_elasticity=90\n"
		"verbose\n"
		"paranoid=no\n"
		"swapsize=512M\n"
		"disk_reserve=1g\n"
		"max_files=4\n"
		"max_total=3g\n"
		"priority=10\n"
		"discard=once\r\n"
		"metrics_dir='/var/lib/prometheus/node-exporter'\n"
		"\n";

	CHECK(parse(&cfg, text, err) == 0, "good file: %s", err);
	CHECK_STR(cfg.swappath, "/var/lib/swapspace", "quoted swappath");
	CHECK(cfg.lower_freelimit_pct == 15 && cfg.upper_freelimit_pct == 70 &&
		      cfg.freetarget_pct == 35, "thresholds");
	CHECK_EQ_U(cfg.min_swapsize_b, 8 * MIB, "min_swapsize 8m");
	CHECK_EQ_U(cfg.max_swapsize_b, 2048 * GIB, "max_swapsize 2t");
	CHECK(cfg.cooldown_s == 30, "cooldown");
	CHECK(cfg.buffer_elasticity_pct == 10 && cfg.cache_elasticity_pct == 90,
	      "elasticities");
	CHECK(cfg.verbose && !cfg.paranoid, "flags");
	CHECK(!cfg.swapsize_auto && cfg.swapsize_b == 512 * MIB, "swapsize");
	CHECK(!cfg.disk_reserve_is_pct && cfg.disk_reserve_b == GIB, "reserve");
	CHECK(cfg.max_files == 4 && cfg.max_total_b == 3 * GIB, "limits");
	CHECK(cfg.priority == 10 && cfg.discard == GM_DISCARD_ONCE, "swapon");
	CHECK_STR(cfg.metrics_dir, "/var/lib/prometheus/node-exporter",
		  "single-quoted");
	CHECK(config_validate(&cfg, err, sizeof(err)) == 0, "validates: %s",
	      err);

	/* Debian's shipped swapspace.conf has every key commented out. */
	CHECK(parse(&cfg, "swappath = [/local/swap, /srv/swap/%H]  # tiers\n",
		    err) == 0 &&
		      strcmp(cfg.swappath, "[/local/swap, /srv/swap/%H]") == 0,
	      "a list of tiers, a comment after it: %s", cfg.swappath);
	CHECK(parse(&cfg, "#swappath=\"/var/lib/swapspace\"\n#cooldown=600\n",
		    err) == 0 && cfg.cooldown_s == 600 &&
		      strcmp(cfg.swappath, GM_DEFAULT_SWAPPATH) == 0,
	      "commented-out file keeps defaults");
}

static void test_bad(void)
{
	static const struct {
		const char *text, *msg;
	} rows[] = {
		{"frobnicate=1\n", "test.conf:1: frobnicate: unknown key"},
		{"\n# c\nlower_freelimit=abc\n",
		 "test.conf:3: lower_freelimit: not a percentage from 0 to 100: "
		 "'abc'"},
		{"lower_freelimit=101\n",
		 "test.conf:1: lower_freelimit: not a percentage from 0 to 100: "
		 "'101'"},
		{"min_swapsize=-4m\n",
		 "test.conf:1: min_swapsize: not a size (digits with k, m, g or "
		 "t): '-4m'"},
		{"max_swapsize=99999999999999999999\n",
		 "test.conf:1: max_swapsize: not a size (digits with k, m, g or "
		 "t): '99999999999999999999'"},
		{"max_swapsize=16777216t\n",
		 "test.conf:1: max_swapsize: not a size (digits with k, m, g or "
		 "t): '16777216t'"},
		{"cooldown=1.5\n",
		 "test.conf:1: cooldown: not a whole number from 0 to 31536000: "
		 "'1.5'"},
		{"swappath=\n", "test.conf:1: swappath: empty path"},
		{"swappath=\"\"\n", "test.conf:1: swappath: empty path"},
		{"swappath=relative/dir\n",
		 "test.conf:1: swappath: not an absolute path: 'relative/dir'"},
		{"swappath=\"/x\n", "test.conf:1: swappath: unterminated quote"},
		{"pidfile=[/a, /b]\n",
		 "test.conf:1: pidfile: not an absolute path: '[/a, /b]'"},
		{"=5\n", "test.conf:1: missing key before '='"},
		{"cooldown\n", "test.conf:1: cooldown: needs a value"},
		{"verbose=maybe\n",
		 "test.conf:1: verbose: not a yes/no value: 'maybe'"},
		{"discard=sometimes\n",
		 "test.conf:1: discard: not none, once, pages or both: "
		 "'sometimes'"},
		{"disk_reserve=150%\n",
		 "test.conf:1: disk_reserve: not a percentage (0% to 99%) or a "
		 "size: '150%'"},
		{"priority=40000\n",
		 "test.conf:1: priority: not a whole number from -1 to 32767: "
		 "'40000'"},
		{"inspect\n", "test.conf:1: inspect: unknown key"},
	};
	struct config cfg;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc = parse(&cfg, rows[i].text, err);
		CHECK(rc == -1 && strcmp(err, rows[i].msg) == 0,
		      "line %zu: rc %d, message \"%s\", want \"%s\"", i, rc, err,
		      rows[i].msg);
	}
	/* an over-long line and a NUL byte */
	{
		char big[3000];
		memset(big, 'x', sizeof(big));
		memcpy(big, "swappath=/", 10);
		config_defaults(&cfg);
		CHECK(config_parse_buf(&cfg, big, sizeof(big), "test.conf", err,
				       sizeof(err)) == -1 &&
			      strcmp(err, "test.conf:1: swappath: line too long "
					  "(over 1023 bytes)") == 0,
		      "long line: %s", err);
		CHECK(config_parse_buf(&cfg, "cooldown=1\0\n", 12, "test.conf",
				       err, sizeof(err)) == -1 &&
			      strcmp(err, "test.conf:1: cooldown: NUL byte in line") == 0,
		      "NUL byte: %s", err);
	}
}

int main(void)
{
	test_good();
	test_bad();
	T_END();
}
