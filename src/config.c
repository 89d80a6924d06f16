/* Configuration: the defaults, -i and --help generated from the key
 * table (config_keys.c), the cross-field checks, and the merge of
 * defaults, file and command line.  The file parser is config_file.c,
 * the command line config_args.c. */
#include "config_keys.h"
#include "swappath.h"

#include "errbuf.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>

/* --help's option column: the text starts here (two blanks after an
 * option too long for it). */
#define USAGE_COLUMN 29

void config_defaults(struct config *cfg)
{
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	/* The table's defaults are checked by the unit test: none fails. */
	for (i = 0; i < config_nkeys; i++)
		if (config_keys[i].dflt)
			(void)config_key_set(cfg, &config_keys[i],
					     config_keys[i].dflt, NULL, 0);
	/* The default file is not one the user named: it may be missing. */
	cfg->configfile_given = false;
}

/* "FILE:LINE: key" when the key came from the file, else "key". */
static void where(const struct config *cfg, const char *key, char *out,
		  size_t outlen)
{
	const struct config_key *k = config_key_find(key);
	size_t i = k ? (size_t)(k - config_keys) : config_nkeys;

	if (i < sizeof(cfg->src_line) / sizeof(cfg->src_line[0]) &&
	    cfg->src_line[i])
		snprintf(out, outlen, "%s:%u: %s", cfg->configfile,
			 cfg->src_line[i], key);
	else
		snprintf(out, outlen, "%s", key);
}

int config_validate(const struct config *cfg, char *err, size_t errlen)
{
	char w[300], why[400];
	char dirs[SWAPPATH_TIERS_MAX][256], path[SWAPPATH_TIERS_MAX][256];
	int i, j, n;

	/* The list, and %H and %m of each entry: looked up at start; their
	 * syntax is checked here, with stand-ins, so -i and a reload
	 * refuse a bad one.  The same directory twice is refused too. */
	n = swappath_split(cfg->swappath, dirs, SWAPPATH_TIERS_MAX, why,
			   sizeof(why));
	for (i = 0; n > 0 && i < n; i++) {
		if (swappath_expand(dirs[i], "%H", "%m", path[i],
				    sizeof(path[i]), why, sizeof(why)) != 0) {
			n = -1;
			break;
		}
		for (j = 0; j < i; j++)
			if (strcmp(path[i], path[j]) == 0) {
				snprintf(why, sizeof(why), "swappath lists "
					 "%.256s twice", dirs[i]);
				n = -1;
			}
	}
	if (n < 0) {
		where(cfg, "swappath", w, sizeof(w));
		seterr(err, errlen, "%s: %s", w, why);
		return -1;
	}

	if (cfg->lower_freelimit_pct > cfg->freetarget_pct) {
		where(cfg, "lower_freelimit", w, sizeof(w));
		seterr(err, errlen, "%s: lower_freelimit (%d) is above freetarget (%d)",
		       w, cfg->lower_freelimit_pct, cfg->freetarget_pct);
		return -1;
	}
	if (cfg->freetarget_pct > cfg->upper_freelimit_pct) {
		where(cfg, "upper_freelimit", w, sizeof(w));
		seterr(err, errlen, "%s: freetarget (%d) is above upper_freelimit (%d)",
		       w, cfg->freetarget_pct, cfg->upper_freelimit_pct);
		return -1;
	}
	if (cfg->min_swapsize_b > cfg->max_swapsize_b) {
		where(cfg, "max_swapsize", w, sizeof(w));
		seterr(err, errlen,
		       "%s: min_swapsize (%" PRIu64 ") is above max_swapsize (%" PRIu64 ")",
		       w, cfg->min_swapsize_b, cfg->max_swapsize_b);
		return -1;
	}
	if (cfg->poll_min_ms < 1 || cfg->poll_min_ms > cfg->poll_max_ms) {
		where(cfg, "poll_min_ms", w, sizeof(w));
		seterr(err, errlen, "%s: poll_min_ms must be from 1 to poll_max_ms (%" PRId64 ")",
		       w, cfg->poll_max_ms);
		return -1;
	}
	if (cfg->min_swapsize_b < 40 * 1024) {
		where(cfg, "min_swapsize", w, sizeof(w));
		seterr(err, errlen, "%s: min_swapsize must be at least 40k (ten pages)", w);
		return -1;
	}
	if (!cfg->swapsize_auto && cfg->swapsize_b &&
	    cfg->swapsize_b < 40 * 1024) {
		where(cfg, "swapsize", w, sizeof(w));
		seterr(err, errlen, "%s: swapsize must be 0, auto or at least 40k", w);
		return -1;
	}
	if (cfg->spare_max_b < cfg->min_swapsize_b) {
		where(cfg, "spare_max", w, sizeof(w));
		seterr(err, errlen,
		       "%s: spare_max (%" PRIu64 ") is below min_swapsize (%" PRIu64 ")",
		       w, cfg->spare_max_b, cfg->min_swapsize_b);
		return -1;
	}
	/* The command line's modes: say what is missing, never ignore. */
	if ((cfg->plot_path[0] || cfg->compare_with[0]) &&
	    !cfg->simulate_path[0]) {
		seterr(err, errlen, "--plot and --compare-with draw a replay: "
		       "they need --simulate=TRACE");
		return -1;
	}
	if (cfg->compare_with[0] && !cfg->plot_path[0]) {
		seterr(err, errlen, "--compare-with needs --plot=FILE.svg");
		return -1;
	}
	if (cfg->record_path[0] && cfg->simulate_path[0]) {
		seterr(err, errlen, "--record and --simulate do not go together");
		return -1;
	}
	if (!cfg->record_path[0] && (cfg->record_duration_s ||
				     cfg->record_interval_ms != 1000)) {
		seterr(err, errlen, "--interval and --duration go with "
		       "--record=FILE");
		return -1;
	}
	if (cfg->record_interval_ms < 100) {
		seterr(err, errlen, "--interval must be from 100 to 3600000 "
		       "(milliseconds)");
		return -1;
	}
	return 0;
}

int config_build(struct config *cfg, int argc, char *const argv[],
		 char *err, size_t errlen)
{
	struct config first;
	char file[256];

	/* First pass: which config file, and is the command line sane. */
	config_defaults(&first);
	if (config_parse_args(&first, argc, argv, err, errlen))
		return GM_EXIT_USAGE;
	/* --status reads the running daemon's status file, never the
	 * config: it must answer while the file is being edited or broken
	 * (the daemon keeps its old settings then).  --help and --version
	 * need nothing from it either. */
	if (first.show_status || first.show_help || first.show_version) {
		*cfg = first;
		return 0;
	}
	strcpy(file, first.configfile);
	config_defaults(cfg);
	if (config_load(cfg, file, first.configfile_given, err, errlen) < 0)
		return GM_EXIT_USAGE;
	/* The command line wins over the file. */
	if (config_parse_args(cfg, argc, argv, err, errlen))
		return GM_EXIT_USAGE;
	strcpy(cfg->configfile, file);
	if (config_validate(cfg, err, errlen) < 0)
		return GM_EXIT_USAGE;
	return 0;
}

void config_print(const struct config *cfg, FILE *out)
{
	size_t i;

	fprintf(out, "# effective configuration (config file: %s)\n",
		cfg->configfile[0] ? cfg->configfile : "none");
	for (i = 0; i < config_nkeys; i++)
		if (config_keys[i].file_ok)
			config_key_print(cfg, &config_keys[i], out);
}

/* One option line: "  -x, --name=ARG   help (default: note)". */
static void usage_line(const struct config_key *k, FILE *out)
{
	int n;

	if (k->shortopt)
		n = fprintf(out, "  -%c, --%s", k->shortopt, k->name);
	else
		n = fprintf(out, "      --%s", k->name);
	if (k->arg)
		n += fprintf(out, "=%s", k->arg);
	fprintf(out, "%*s%s", n < USAGE_COLUMN ? USAGE_COLUMN - n : 2, "",
		k->help);
	/* A default is shown where the option takes a value. */
	if (k->arg && k->dflt && *k->dflt)
		fprintf(out, " (%s%s%s)", k->dflt, k->note ? ": " : "",
			k->note ? k->note : "");
	fputc('\n', out);
}

/* Short options in letter order (-C before -c, -m before -M: the table's
 * order breaks the tie), then the long-only ones in table order. */
static bool usage_before(const struct config_key *a,
			 const struct config_key *b)
{
	int la = tolower((unsigned char)a->shortopt);
	int lb = tolower((unsigned char)b->shortopt);

	if (!a->shortopt || !b->shortopt)
		return a->shortopt && !b->shortopt;
	return la < lb;
}

void config_usage(FILE *out)
{
	const struct config_key *order[96];
	size_t i, j, n = 0;

	/* Insertion sort, stable: equal letters keep the table's order. */
	for (i = 0; i < config_nkeys && n < sizeof(order) / sizeof(order[0]);
	     i++) {
		if (!config_keys[i].help)
			continue;
		for (j = n; j > 0 && usage_before(&config_keys[i], order[j - 1]);
		     j--)
			order[j] = order[j - 1];
		order[j] = &config_keys[i];
		n++;
	}
	fprintf(out, "usage: ghostmemory [options]\n"
		     "Grows swap on demand with swap files, and removes them"
		     " when no longer needed.\n\n");
	for (i = 0; i < n; i++)
		usage_line(order[i], out);
	fprintf(out, "Reservations: ghostmemory --reserve=SIZE [--ttl=S] "
		     "[--wait=S] [-- COMMAND [ARGS...]]\n"
		     "See ghostmemory(8) and ghostmemory.conf(5).\n");
}
