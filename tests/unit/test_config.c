/* config.c: the defaults, -i and --help all come from the key table
 * (every key appears in each with its table default), the cross-field
 * checks name file:line: key, and the merge of file and command line. */
#include "config.h"
#include "config_keys.h"
#include "policy.h"
#include "t.h"

#include <stdlib.h>

static int parse(struct config *cfg, const char *text, char *err)
{
	config_defaults(cfg);
	err[0] = '\0';
	return config_parse_buf(cfg, text, strlen(text), "test.conf", err,
				512);
}

/* What a printer wrote into a 16 KiB buffer, NUL-terminated. */
static char printed[16384];

static const char *capture(void (*print)(const struct config *, FILE *),
			   const struct config *cfg)
{
	FILE *f = fmemopen(printed, sizeof(printed) - 1, "w");

	printed[0] = '\0';
	if (f) {
		print(cfg, f);
		printed[ftell(f)] = '\0';
		fclose(f);
	}
	return printed;
}

static void usage_of(const struct config *cfg, FILE *out)
{
	(void)cfg;
	config_usage(out);
}

/* The line of text that starts with start (after leading blanks), or
 * NULL; copied into line. */
static const char *find_line(const char *text, const char *start,
			     char *line, size_t linelen)
{
	const char *p = text;

	while (*p) {
		const char *e = strchr(p, '\n'), *q = p;
		size_t n = e ? (size_t)(e - p) : strlen(p);

		while (*q == ' ')
			q++;
		if (strncmp(q, start, strlen(start)) == 0 && n < linelen) {
			memcpy(line, p, n);
			line[n] = '\0';
			return line;
		}
		p += n + (e ? 1 : 0);
	}
	return NULL;
}

/* The documented defaults (SPEC.md, ghostmemory.conf(5)), written here a
 * second time on purpose: a changed table row must fail a test. */
static void test_documented_defaults(void)
{
	struct config cfg;

	config_defaults(&cfg);
	CHECK_STR(cfg.swappath, GM_DEFAULT_SWAPPATH, "swappath");
	CHECK_STR(cfg.pidfile, GM_DEFAULT_PIDFILE, "pidfile");
	CHECK_STR(cfg.configfile, GM_DEFAULT_CONFIG, "configfile");
	CHECK_STR(cfg.rundir, GM_DEFAULT_RUNDIR, "rundir");
	CHECK(!cfg.configfile_given, "the default config file may be missing");
	CHECK(cfg.lower_freelimit_pct == 20 && cfg.upper_freelimit_pct == 60 &&
		      cfg.freetarget_pct == 30, "thresholds 20/30/60");
	CHECK(cfg.buffer_elasticity_pct == 30 && cfg.cache_elasticity_pct == 80,
	      "elasticities 30/80");
	CHECK_EQ_U(cfg.min_swapsize_b, 4 * MIB, "min_swapsize");
	CHECK_EQ_U(cfg.max_swapsize_b, 2 * GIB, "max_swapsize");
	CHECK(cfg.cooldown_s == 600, "cooldown");
	CHECK(cfg.swapsize_auto && cfg.swapsize_b == 0, "swapsize auto");
	CHECK(cfg.disk_reserve_is_pct && cfg.disk_reserve_pct == 10 &&
		      cfg.disk_reserve_b == 0, "disk_reserve 10%%");
	CHECK(cfg.max_files == 16 && cfg.max_total_b == 0, "limits");
	CHECK(cfg.priority == -1 && cfg.discard == GM_DISCARD_NONE, "swapon");
	CHECK(cfg.metrics_dir[0] == '\0', "metrics off");
	CHECK(cfg.poll_min_ms == 20 && cfg.poll_max_ms == 20000, "poll");
	CHECK_EQ_U(cfg.spike_rate_b, GIB, "spike_rate");
	CHECK(cfg.psi && cfg.standby == STANDBY_ACTIVE, "psi, standby");
	CHECK_EQ_U(cfg.spare_max_b, 64 * MIB, "spare_max");
	CHECK(!cfg.daemon && !cfg.erase && !cfg.paranoid && !cfg.quiet &&
		      !cfg.verbose, "flags off");
	CHECK(!cfg.inspect && !cfg.show_help && !cfg.show_version &&
		      !cfg.show_status && !cfg.simulate_path[0] &&
		      !cfg.meminfo_path[0], "no action");
}

/* config_defaults is the table's defaults and nothing else: setting any
 * key to its table default changes nothing, and an empty file neither. */
static void test_defaults_from_table(void)
{
	struct config def, cfg;
	char err[512];
	size_t i;

	config_defaults(&def);
	for (i = 0; i < config_nkeys; i++) {
		const struct config_key *k = &config_keys[i];

		if (!k->dflt)
			continue;
		config_defaults(&cfg);
		err[0] = '\0';
		CHECK(config_set(&cfg, k->name, k->dflt, err, sizeof(err)) == 0,
		      "%s: the table default '%s' is refused: %s", k->name,
		      k->dflt, err);
		if (k->type == CT_CONFIGFILE)
			cfg.configfile_given = false;
		CHECK(memcmp(&cfg, &def, sizeof(cfg)) == 0,
		      "%s=%s is not what config_defaults set", k->name, k->dflt);
	}
	CHECK(parse(&cfg, "", err) == 0, "empty file: %s", err);
	strcpy(cfg.configfile, def.configfile);
	CHECK(memcmp(&cfg, &def, sizeof(cfg)) == 0,
	      "an empty file changes the defaults");
}

/* -i prints every file key with its table default, in table order, and
 * that text alone rebuilds the defaults from a zeroed struct. */
static void test_inspect_from_table(void)
{
	struct config def, cfg;
	char err[512], line[512], want[512], *text;
	const char *prev = NULL;
	size_t i, nfile = 0, nlines = 0;

	config_defaults(&def);
	text = strdup(capture(config_print, &def));
	CHECK(text != NULL, "strdup");
	if (!text)
		return;
	CHECK(strncmp(text, "# effective configuration (config file: "
			    GM_DEFAULT_CONFIG ")\n", 60) == 0,
	      "header: %.60s", text);
	for (i = 0; i < config_nkeys; i++) {
		const struct config_key *k = &config_keys[i];
		const char *at;

		snprintf(want, sizeof(want), "%s=", k->name);
		at = find_line(text, want, line, sizeof(line));
		/* Not printed: command-line-only keys, and spare= (an
		 * alias of standby=, no help line). */
		if (!k->file_ok || !k->help) {
			CHECK(at == NULL, "-i prints %s (command line only, "
			      "or an alias)", k->name);
			continue;
		}
		nfile++;
		if (k->type == CT_PATH)
			snprintf(want, sizeof(want), "%s=\"%s\"", k->name,
				 k->dflt);
		else
			snprintf(want, sizeof(want), "%s=%s", k->name, k->dflt);
		CHECK(at && strcmp(line, want) == 0,
		      "-i: got \"%s\", want \"%s\"", at ? line : "(none)", want);
		at = strstr(text, want);
		CHECK(at && (!prev || at > prev), "-i: %s out of table order",
		      k->name);
		prev = at;
	}
	for (i = 0; text[i]; i++)
		nlines += text[i] == '\n';
	CHECK(nlines == nfile + 1, "-i: %zu lines for %zu keys", nlines, nfile);

	memset(&cfg, 0, sizeof(cfg));
	CHECK(config_parse_buf(&cfg, text, strlen(text), "i.conf", err,
			       sizeof(err)) == 0,
	      "-i output refused: %s", err);
	memset(cfg.src_line, 0, sizeof(cfg.src_line));
	strcpy(cfg.configfile, def.configfile);
	strcpy(cfg.rundir, def.rundir);
	/* Command-line only, so not in -i: as the other two above. */
	cfg.record_interval_ms = def.record_interval_ms;
	cfg.ttl_s = def.ttl_s;
	cfg.wait_s = def.wait_s;
	CHECK(memcmp(&cfg, &def, sizeof(cfg)) == 0,
	      "-i of the defaults, parsed onto zeroes, is not the defaults");
	free(text);
}

/* --help lists every option the table gives a help line, with its short
 * form and table default, and nothing the table does not know. */
static void test_usage_from_table(void)
{
	char line[512], want[128], *text = strdup(capture(usage_of, NULL));
	const char *p;
	size_t i, listed = 0, lines = 0;

	CHECK(text != NULL, "strdup");
	if (!text)
		return;
	CHECK(strncmp(text, "usage: ghostmemory [options]\n", 29) == 0,
	      "usage line");
	CHECK(strstr(text, "See ghostmemory(8) and ghostmemory.conf(5).\n"),
	      "see also");
	for (i = 0; i < config_nkeys; i++) {
		const struct config_key *k = &config_keys[i];
		const char *at;

		if (k->shortopt)
			snprintf(want, sizeof(want), "-%c, --%s%s", k->shortopt,
				 k->name, k->arg ? "=" : " ");
		else
			snprintf(want, sizeof(want), "--%s%s", k->name,
				 k->arg ? "=" : " ");
		at = find_line(text, want, line, sizeof(line));
		if (!k->help) {
			CHECK(at == NULL, "--help lists unlisted %s", k->name);
			continue;
		}
		listed++;
		CHECK(at != NULL, "--help lacks \"%s\"", want);
		if (!at)
			continue;
		CHECK(strstr(line, k->help) != NULL, "%s: help text: %s",
		      k->name, line);
		if (k->arg) {
			snprintf(want, sizeof(want), "=%s ", k->arg);
			CHECK(strstr(line, want) != NULL, "%s: value name: %s",
			      k->name, line);
		}
		if (k->arg && k->dflt && *k->dflt) {
			snprintf(want, sizeof(want), " (%s%s", k->dflt,
				 k->note ? ": " : ")");
			CHECK(strstr(line, want) != NULL,
			      "%s: default '%s' not shown: %s", k->name,
			      k->dflt, line);
		}
	}
	/* Every option line names a key of the table. */
	for (p = text; (p = strstr(p, "\n  ")) != NULL; p++) {
		const char *dd = strstr(p, "--");
		char name[64];
		size_t n;

		lines++;
		if (!dd)
			break;
		n = strcspn(dd + 2, "= \n");
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, dd + 2, n);
		name[n] = '\0';
		CHECK(config_key_find(name) != NULL,
		      "--help lists --%s, not in the table", name);
	}
	CHECK(lines == listed, "--help: %zu option lines, %zu listed keys",
	      lines, listed);
	free(text);
}

/* Inconsistent values name file, line and key. */
static void test_validate(void)
{
	struct config cfg;
	char err[512];

	CHECK(parse(&cfg, "freetarget=30\nlower_freelimit=40\n", err) == 0,
	      "parses");
	CHECK(config_validate(&cfg, err, sizeof(err)) == -1 &&
		      strcmp(err, "test.conf:2: lower_freelimit: lower_freelimit "
				  "(40) is above freetarget (30)") == 0,
	      "lower > target: %s", err);
	parse(&cfg, "upper_freelimit=25\n", err);
	CHECK(config_validate(&cfg, err, sizeof(err)) == -1 &&
		      strcmp(err, "test.conf:1: upper_freelimit: freetarget (30) "
				  "is above upper_freelimit (25)") == 0,
	      "target > upper: %s", err);
	parse(&cfg, "min_swapsize=1g\nmax_swapsize=512m\n", err);
	CHECK(config_validate(&cfg, err, sizeof(err)) == -1 &&
		      strstr(err, "test.conf:2: max_swapsize: min_swapsize") == err,
	      "min > max: %s", err);
}

/* standby=, and the old spare= that existing configs (and swapspace's)
 * still carry: spare=no is standby=none, spare=yes the default. */
static void test_standby(void)
{
	static const struct {
		const char *text;
		int ok;
		enum standby_policy want;
	} rows[] = {
		{"standby=active\n", 1, STANDBY_ACTIVE},
		{"standby=small\n", 1, STANDBY_SMALL},
		{"standby=none\n", 1, STANDBY_NONE},
		{"spare=no\n", 1, STANDBY_NONE},
		{"spare=yes\n", 1, STANDBY_ACTIVE},
		{"spare\n", 1, STANDBY_ACTIVE},
		{"standby=small\nspare=no\n", 1, STANDBY_NONE}, /* the last wins */
		{"spare=no\nstandby=small\n", 1, STANDBY_SMALL},
		{"standby=static\n", 0, STANDBY_ACTIVE},
		{"standby=\n", 0, STANDBY_ACTIVE},
		{"standby=ACTIVE\n", 0, STANDBY_ACTIVE},
		{"spare=maybe\n", 0, STANDBY_ACTIVE},
	};
	struct config cfg;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc = parse(&cfg, rows[i].text, err);

		CHECK((rc == 0) == rows[i].ok, "%s: rc %d (%s)", rows[i].text,
		      rc, err);
		if (rows[i].ok)
			CHECK(cfg.standby == rows[i].want, "%s: standby %s",
			      rows[i].text, config_standby_name(cfg.standby));
	}
	parse(&cfg, "standby=static\n", err);
	CHECK(strcmp(err, "test.conf:1: standby: not active, small or none: "
			  "'static'") == 0, "message: %s", err);
	parse(&cfg, "min_swapsize=64m\nspare_max=32m\n", err);
	CHECK(config_validate(&cfg, err, sizeof(err)) == -1 &&
		      strstr(err, "test.conf:2: spare_max: spare_max") == err,
	      "spare_max < min_swapsize: %s", err);
	parse(&cfg, "spare_max=16m\n", err);
	CHECK(config_validate(&cfg, err, sizeof(err)) == 0 &&
		      cfg.spare_max_b == 16 * MIB, "spare_max=16m: %s", err);
}

/* The merge: a file named with -c must exist; /dev/null means none. */
static void test_build(void)
{
	struct config cfg;
	char err[512];
	const char *argv[] = {"gm", "-c", "/nonexistent/gm.conf", NULL};

	CHECK(config_build(&cfg, 3, (char *const *)argv, err, sizeof(err)) ==
			      GM_EXIT_USAGE &&
		      strstr(err, "/nonexistent/gm.conf: cannot open"),
	      "-c missing file is an error: %s", err);
	argv[2] = "/dev/null";
	CHECK(config_build(&cfg, 3, (char *const *)argv, err, sizeof(err)) == 0,
	      "-c /dev/null is no config file");
}

/* --status reads the status file only: a config file that is missing
 * or broken (the daemon refused it at a reload and runs on) is not its
 * business; --inspect still reports it. */
static void test_build_status_ignores_file(void)
{
	static const char *const bad[] = {
		"lower_freelimit=50\nfreetarget=30\n", /* inconsistent */
		"no_such_key=1\n", "lower_freelimit=abc\n"};
	const char *path = "test_config_bad.conf";
	struct config cfg;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *st[] = {"gm", "-c", path, "--status",
				    "--rundir=/run/x", NULL};
		const char *in[] = {"gm", "-c", path, "-i", NULL};
		FILE *f = fopen(path, "w");

		CHECK(f && fputs(bad[i], f) >= 0 && fclose(f) == 0,
		      "cannot write %s", path);
		err[0] = '\0';
		CHECK(config_build(&cfg, 5, (char *const *)st, err,
				   sizeof(err)) == 0 &&
			      cfg.show_status &&
			      strcmp(cfg.rundir, "/run/x") == 0,
		      "--status with bad file %zu: %s", i, err);
		CHECK(config_build(&cfg, 4, (char *const *)in, err,
				   sizeof(err)) == GM_EXIT_USAGE &&
			      strstr(err, path),
		      "-i with bad file %zu must fail: %s", i, err);
	}
	{
		const char *st[] = {"gm", "-c", "/nonexistent/gm.conf",
				    "--status", NULL};
		CHECK(config_build(&cfg, 4, (char *const *)st, err,
				   sizeof(err)) == 0,
		      "--status with a missing -c file: %s", err);
	}
	remove(path);
}

int main(void)
{
	test_documented_defaults();
	test_defaults_from_table();
	test_inspect_from_table();
	test_usage_from_table();
	test_validate();
	test_standby();
	test_build();
	test_build_status_ignores_file();
	T_END();
}
