/* The command line (config_args.c): the exit code of each argv, the
 * exact message of each kind of error, and what the options set. */
#include "config.h"
#include "t.h"

static void test_args(void)
{
	static const struct {
		const char *argv[6];
		int rc;
	} rows[] = {
		{{"gm", "-v", "-l", "10", NULL}, 0},
		{{"gm", "-dv", NULL}, 0},
		{{"gm", "-l10", "-u90", NULL}, 0},
		{{"gm", "--lower_freelimit=10", NULL}, 0},
		{{"gm", "--lower-freelimit", "10", NULL}, 0},
		{{"gm", "--swapsize=auto", "--disk-reserve=5%", NULL}, 0},
		{{"gm", "-p", "/tmp/x.pid", "-s", "/tmp/sw", NULL}, 0},
		{{"gm", "--meminfo-file=/tmp/m", "--rundir=/tmp/r", NULL}, 0},
		{{"gm", "-x", NULL}, GM_EXIT_USAGE},
		{{"gm", "--bogus", NULL}, GM_EXIT_USAGE},
		{{"gm", "-l", NULL}, GM_EXIT_USAGE},
		{{"gm", "-l", "abc", NULL}, GM_EXIT_USAGE},
		{{"gm", "--pidfile", NULL}, GM_EXIT_USAGE},
		{{"gm", "stray", NULL}, GM_EXIT_USAGE},
		{{"gm", "-s", "relative", NULL}, GM_EXIT_USAGE},
		{{"gm", "--cooldown=-1", NULL}, GM_EXIT_USAGE},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct config cfg;
		char err[512] = "";
		int argc = 0;

		while (rows[i].argv[argc])
			argc++;
		config_defaults(&cfg);
		CHECK(config_parse_args(&cfg, argc, (char *const *)rows[i].argv,
					err, sizeof(err)) == rows[i].rc,
		      "argv row %zu (%s ...): want %d, err \"%s\"", i,
		      rows[i].argv[1], rows[i].rc, err);
	}
}

static int run(struct config *cfg, const char *const *argv, char *err)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	config_defaults(cfg);
	err[0] = '\0';
	return config_parse_args(cfg, argc, (char *const *)argv, err, 512);
}

/* "--" ends the options: what follows is the wrapped COMMAND's, even
 * when it looks like an option. */
static void test_command(void)
{
	const char *argv[] = {"gm", "--reserve=1g", "--", "make", "-j8", NULL};
	const char *none[] = {"gm", "-v", NULL};
	struct config cfg;
	char err[512];

	CHECK(run(&cfg, argv, err) == 0 && cfg.command_argi == 3 &&
		      strcmp(cfg.reserve_arg, "1g") == 0,
	      "-- make -j8: rc, index %d, err %s", cfg.command_argi, err);
	CHECK(run(&cfg, none, err) == 0 && cfg.command_argi == 0,
	      "no command: index %d", cfg.command_argi);
}

static void test_messages(void)
{
	static const struct {
		const char *argv[5];
		const char *msg;
	} rows[] = {
		{{"gm", "-x", NULL}, "unknown option '-x'"},
		{{"gm", "-dx", NULL}, "unknown option '-x'"},
		{{"gm", "--", NULL}, "'--' needs a COMMAND after it"},
		{{"gm", "--bogus=1", NULL}, "unknown option '--bogus'"},
		{{"gm", "-l", NULL}, "option '-l' needs a value"},
		{{"gm", "--pidfile", NULL}, "option '--pidfile' needs a value"},
		{{"gm", "-l", "abc", NULL},
		 "-l (lower_freelimit): not a percentage from 0 to 100: 'abc'"},
		{{"gm", "--cooldown=-1", NULL},
		 "--cooldown: not a whole number from 0 to 31536000: '-1'"},
		{{"gm", "--verbose=maybe", NULL},
		 "--verbose: not a yes/no value: 'maybe'"},
		{{"gm", "-c", "", NULL}, "-c (configfile): empty path"},
		{{"gm", "stray", NULL}, "unexpected argument 'stray'"},
		{{"gm", "-", NULL}, "unexpected argument '-'"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct config cfg;
		char err[512];
		int rc = run(&cfg, rows[i].argv, err);

		CHECK(rc == GM_EXIT_USAGE && strcmp(err, rows[i].msg) == 0,
		      "argv row %zu: rc %d, \"%s\", want \"%s\"", i, rc, err,
		      rows[i].msg);
	}
}

static void test_values(void)
{
	static const char *const bundled[] = {"gm", "-dvl10", "-u", "70",
					      "--swappath", "/srv/sw",
					      "--help=no", "-c", "/etc/x.conf",
					      "--simulate=t.trace", NULL};
	struct config cfg;
	char err[512];

	CHECK(run(&cfg, bundled, err) == 0, "bundled: %s", err);
	CHECK(cfg.daemon && cfg.verbose && cfg.lower_freelimit_pct == 10,
	      "-dvl10");
	CHECK(cfg.upper_freelimit_pct == 70, "-u 70 takes the next argument");
	CHECK_STR(cfg.swappath, "/srv/sw", "--swappath VALUE");
	CHECK(cfg.show_help, "an action ignores its value");
	CHECK(cfg.configfile_given, "-c names a file that must exist");
	CHECK_STR(cfg.configfile, "/etc/x.conf", "-c");
	CHECK_STR(cfg.simulate_path, "t.trace", "--simulate: any path");
}

int main(void)
{
	test_args();
	test_messages();
	test_command();
	test_values();
	T_END();
}
