/* The key table, and how each type of value is read and printed.  Every
 * default and help line is written here once: config_defaults, -i and
 * --help are generated from these rows.
 * Over 450 lines on purpose: about sixty rows, one per key or option,
 * and one reader per value type beside the table that names them; split,
 * a new type would be added in two files. */
#include "config_keys.h"

#include "errbuf.h"
#include "util.h"

#include <inttypes.h>
#include <string.h>

#define F(field) offsetof(struct config, field)

const struct config_key config_keys[] = {
	/* swapspace's keys */
	{.name = "swappath", .shortopt = 's', .type = CT_PATH, .off = F(swappath),
	 .file_ok = true, .list_ok = true, .dflt = GM_DEFAULT_SWAPPATH, .arg = "DIR",
	 .help = "swap directory, or [DIR, ...] in order"},
	{.name = "pidfile", .shortopt = 'p', .type = CT_PATH, .off = F(pidfile),
	 .file_ok = true, .dflt = GM_DEFAULT_PIDFILE, .arg = "FILE",
	 .help = "pid file"},
	{.name = "lower_freelimit", .shortopt = 'l', .type = CT_PCT,
	 .off = F(lower_freelimit_pct), .file_ok = true, .dflt = "20",
	 .arg = "P", .help = "grow below this free %"},
	{.name = "upper_freelimit", .shortopt = 'u', .type = CT_PCT,
	 .off = F(upper_freelimit_pct), .file_ok = true, .dflt = "60",
	 .arg = "P", .help = "shrink above this free %"},
	{.name = "freetarget", .shortopt = 'f', .type = CT_PCT,
	 .off = F(freetarget_pct), .file_ok = true, .dflt = "30", .arg = "P",
	 .help = "free % a new file aims for"},
	{.name = "buffer_elasticity", .shortopt = 'B', .type = CT_PCT,
	 .off = F(buffer_elasticity_pct), .file_ok = true, .dflt = "30",
	 .arg = "P", .help = "% of buffers counted free"},
	{.name = "cache_elasticity", .shortopt = 'C', .type = CT_PCT,
	 .off = F(cache_elasticity_pct), .file_ok = true, .dflt = "80",
	 .arg = "P", .help = "% of cache counted free"},
	{.name = "min_swapsize", .shortopt = 'm', .type = CT_SIZE,
	 .off = F(min_swapsize_b), .file_ok = true, .dflt = "4m",
	 .arg = "SIZE", .help = "smallest file"},
	{.name = "max_swapsize", .shortopt = 'M', .type = CT_SIZE,
	 .off = F(max_swapsize_b), .file_ok = true, .dflt = "2g",
	 .arg = "SIZE", .help = "largest file"},
	{.name = "cooldown", .shortopt = 'a', .type = CT_INT64,
	 .off = F(cooldown_s), .max = 86400 * 365, .file_ok = true,
	 .dflt = "600", .arg = "S", .help = "seconds between shrinks"},
	/* new keys */
	{.name = "swapsize", .type = CT_SWAPSIZE, .off = F(swapsize_b),
	 .file_ok = true, .dflt = "auto", .arg = "auto|SIZE",
	 .help = "size of each file", .note = "2 x RAM, max 2g"},
	{.name = "disk_reserve", .type = CT_RESERVE, .off = F(disk_reserve_b),
	 .file_ok = true, .dflt = "10%", .arg = "P%|SIZE",
	 .help = "free space the disk keeps"},
	{.name = "max_files", .type = CT_INT, .off = F(max_files), .max = 1024,
	 .file_ok = true, .dflt = "16", .arg = "N", .help = "at most N files"},
	{.name = "max_total", .type = CT_SIZE, .off = F(max_total_b),
	 .file_ok = true, .dflt = "0", .arg = "SIZE",
	 .help = "at most this much swap", .note = "no cap"},
	{.name = "priority", .type = CT_PRIO, .off = F(priority), .max = 32767,
	 .file_ok = true, .dflt = "-1", .arg = "N", .help = "swap priority",
	 .note = "kernel's"},
	{.name = "discard", .type = CT_DISCARD, .off = F(discard),
	 .file_ok = true, .dflt = "none", .arg = "none|once|pages|both",
	 .help = "swapon discard"},
	{.name = "metrics_dir", .type = CT_PATH, .off = F(metrics_dir),
	 .file_ok = true, .empty_ok = true, .dflt = "", .arg = "DIR",
	 .help = "write DIR/ghostmemory.prom"},
	{.name = "poll_min_ms", .type = CT_INT64, .off = F(poll_min_ms),
	 .max = 60000, .file_ok = true, .dflt = "20", .arg = "MS",
	 .help = "fastest poll near the limit"},
	{.name = "poll_max_ms", .type = CT_INT64, .off = F(poll_max_ms),
	 .max = 600000, .file_ok = true, .dflt = "20000", .arg = "MS",
	 .help = "slowest poll when calm"},
	{.name = "spike_rate", .type = CT_SIZE, .off = F(spike_rate_b),
	 .file_ok = true, .dflt = "1g", .arg = "SIZE",
	 .help = "worst allocation rate per second"},
	{.name = "psi", .type = CT_FLAG, .off = F(psi), .file_ok = true,
	 .dflt = "yes", .arg = "yes|no", .help = "wake on PSI memory pressure"},
	{.name = "standby", .type = CT_STANDBY, .off = F(standby),
	 .file_ok = true, .dflt = "active", .arg = "active|small|none",
	 .help = "what is held while calm"},
	{.name = "spare_max", .type = CT_SIZE, .off = F(spare_max_b),
	 .file_ok = true, .dflt = "64m", .arg = "SIZE",
	 .help = "standby=small: largest spare"},
	/* swapspace-era alias: spare=no is standby=none, spare=yes the
	 * default; accepted, not listed, -i prints standby instead */
	{.name = "spare", .type = CT_SPARE, .off = F(standby), .file_ok = true},
	{.name = "upgrade_reserve", .type = CT_AUTOSIZE, .off = F(upgrade_reserve),
	 .file_ok = true, .dflt = "auto", .arg = "auto|SIZE",
	 .help = "the apt hook reserves this", .note = "from RAM; 0: off"},
	/* swapspace's flags; -i has always printed them last */
	{.name = "daemon", .shortopt = 'd', .type = CT_FLAG, .off = F(daemon),
	 .file_ok = true, .dflt = "no", .help = "detach and log to syslog"},
	{.name = "erase", .shortopt = 'e', .type = CT_FLAG, .off = F(erase),
	 .file_ok = true, .dflt = "no",
	 .help = "at exit, remove the files we can"},
	{.name = "paranoid", .shortopt = 'P', .type = CT_FLAG,
	 .off = F(paranoid), .file_ok = true, .dflt = "no",
	 .help = "zero files before deleting them"},
	{.name = "quiet", .shortopt = 'q', .type = CT_FLAG, .off = F(quiet),
	 .file_ok = true, .dflt = "no", .help = "errors only"},
	{.name = "verbose", .shortopt = 'v', .type = CT_FLAG, .off = F(verbose),
	 .file_ok = true, .dflt = "no", .help = "log every decision"},
	/* command line only */
	{.name = "help", .shortopt = 'h', .type = CT_ACTION,
	 .off = F(show_help), .help = "this text"},
	{.name = "version", .shortopt = 'V', .type = CT_ACTION,
	 .off = F(show_version), .help = "print the version"},
	{.name = "inspect", .shortopt = 'i', .type = CT_ACTION, .off = F(inspect),
	 .help = "check the configuration, print it"},
	{.name = "status", .type = CT_ACTION, .off = F(show_status),
	 .help = "print the running daemon's state"},
	{.name = "configfile", .shortopt = 'c', .type = CT_CONFIGFILE,
	 .off = F(configfile), .dflt = GM_DEFAULT_CONFIG, .arg = "FILE",
	 .help = "config file"},
	/* an alias, not listed */
	{.name = "config", .type = CT_CONFIGFILE, .off = F(configfile)},
	{.name = "rundir", .type = CT_ARG, .off = F(rundir),
	 .dflt = GM_DEFAULT_RUNDIR, .arg = "DIR", .help = "status file directory"},
	{.name = "simulate", .type = CT_ARG, .off = F(simulate_path),
	 .arg = "TRACE", .help = "replay a memory trace, create nothing"},
	{.name = "plot", .type = CT_ARG, .off = F(plot_path), .arg = "FILE.svg",
	 .help = "with --simulate: draw the replay as an SVG"},
	{.name = "compare_with", .type = CT_ARG, .off = F(compare_with),
	 .arg = "KEY=VALUE,...", .help = "with --plot: a second panel so set"},
	{.name = "record", .type = CT_ARG, .off = F(record_path), .arg = "FILE",
	 .help = "record this machine's memory as a trace"},
	{.name = "interval", .type = CT_INT64, .off = F(record_interval_ms),
	 .max = 3600000, .dflt = "1000", .arg = "MS",
	 .help = "with --record: between snapshots"},
	{.name = "duration", .type = CT_INT64, .off = F(record_duration_s),
	 .max = 86400 * 366, .arg = "S",
	 .help = "with --record: stop after (0: never)"},
	{.name = "erase_now", .type = CT_ACTION, .off = F(erase_now),
	 .help = "remove every file that is safe to, exit"},
	/* the reservation client */
	{.name = "reserve", .type = CT_ARG, .off = F(reserve_arg),
	 .arg = "SIZE", .help = "have SIZE of free swap reserved, print the id"},
	{.name = "ttl", .type = CT_INT64, .off = F(ttl_s), .max = 604800,
	 .dflt = "3600", .arg = "S",
	 .help = "with --reserve: it ends after S seconds"},
	{.name = "wait", .type = CT_INT64, .off = F(wait_s), .max = 86400,
	 .dflt = "300", .arg = "S",
	 .help = "with --reserve: wait at most S s for the swap"},
	{.name = "release", .type = CT_ARG, .off = F(release_arg), .arg = "ID",
	 .help = "end reservation ID"},
	{.name = "apt_hook", .type = CT_ARG, .off = F(apt_hook),
	 .arg = "pre|post", .help = "apt's hook: reserve upgrade_reserve, release"},
	/* a test hook, not listed */
	{.name = "meminfo_file", .type = CT_ARG, .off = F(meminfo_path)},
};
const size_t config_nkeys = sizeof(config_keys) / sizeof(config_keys[0]);

#undef F

static const char *const discard_names[] = {"none", "once", "pages", "both"};
static const char *const standby_names[] = {"active", "small", "none"};

const struct config_key *config_key_find(const char *name)
{
	char norm[64];
	size_t i, n = strlen(name);

	if (n >= sizeof(norm))
		return NULL;
	/* Accept '-' for '_' (--lower-freelimit). */
	for (i = 0; i <= n; i++)
		norm[i] = name[i] == '-' ? '_' : name[i];
	for (i = 0; i < config_nkeys; i++)
		if (strcmp(config_keys[i].name, norm) == 0)
			return &config_keys[i];
	return NULL;
}

const struct config_key *config_key_short(char c)
{
	size_t i;

	for (i = 0; i < config_nkeys; i++)
		if (c && config_keys[i].shortopt == c)
			return &config_keys[i];
	return NULL;
}

bool config_key_takes_value(const struct config_key *k)
{
	return k->type != CT_FLAG && k->type != CT_ACTION &&
	       k->type != CT_SPARE;
}

const char *config_standby_name(enum standby_policy s)
{
	return (unsigned)s < 3 ? standby_names[s] : "?";
}

/* Decimal digits of the whole string, at most max. */
static bool parse_dec(const char *s, uint64_t max, uint64_t *v)
{
	return gm_parse_dec(s, strlen(s), max, v);
}

int config_parse_size(const char *s, uint64_t *out)
{
	size_t n = strlen(s);
	unsigned shift = 0;
	uint64_t v;

	/* Over 31 characters is refused even as leading zeros: the limit
	 * this parser has always had. */
	if (n == 0 || n >= 32)
		return -1;
	switch (s[n - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	default: break;
	}
	if (!gm_parse_dec(s, shift ? n - 1 : n, UINT64_MAX, &v))
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	/* Sizes beyond 2^60 bytes are typos, and would overflow sums. */
	v <<= shift;
	if (v > (1ULL << 60))
		return -1;
	*out = v;
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"1", "yes", "true", "on"};
	static const char *const no[] = {"0", "no", "false", "off"};
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* "N%" (0 to 99) or a size. */
static int set_reserve(struct config *cfg, const char *value)
{
	size_t n = strlen(value);
	uint64_t u;

	if (n > 1 && value[n - 1] == '%') {
		/* Sixteen digits or more are refused even as leading
		 * zeros, as they always were. */
		if (n - 1 >= 16 || !gm_parse_dec(value, n - 1, 99, &u))
			return -1;
		cfg->disk_reserve_is_pct = true;
		cfg->disk_reserve_pct = (int)u;
		return 0;
	}
	if (config_parse_size(value, &u) < 0)
		return -1;
	cfg->disk_reserve_is_pct = false;
	cfg->disk_reserve_b = u;
	return 0;
}

/* A char[256] field: non-empty (unless empty_ok), absolute if a path. */
static int set_text(char *field, const struct config_key *k,
		    const char *value, char *err, size_t errlen)
{
	if (!*value && !k->empty_ok) {
		seterr(err, errlen, "empty path");
		return -1;
	}
	if (k->type == CT_PATH && *value && value[0] != '/' &&
	    !(k->list_ok && value[0] == '[')) {
		seterr(err, errlen, "not an absolute path: '%s'", value);
		return -1;
	}
	if (strlen(value) >= 256) {
		seterr(err, errlen, "path too long");
		return -1;
	}
	strcpy(field, value);
	return 0;
}

int config_key_set(struct config *cfg, const struct config_key *k,
		   const char *value, char *err, size_t errlen)
{
	char *field = (char *)cfg + k->off;
	uint64_t u;
	size_t i;

	/* A flag may be bare, or say yes/no; an action ignores a value. */
	if (k->type == CT_FLAG || k->type == CT_SPARE) {
		bool b = true;
		if (value && parse_bool(value, &b) < 0) {
			seterr(err, errlen, "not a yes/no value: '%s'", value);
			return -1;
		}
		if (k->type == CT_SPARE)
			cfg->standby = b ? STANDBY_ACTIVE : STANDBY_NONE;
		else
			*(bool *)field = b;
		return 0;
	}
	if (k->type == CT_ACTION) {
		*(bool *)field = true;
		return 0;
	}
	if (!value) {
		seterr(err, errlen, "needs a value");
		return -1;
	}
	switch (k->type) {
	case CT_PCT:
		if (!parse_dec(value, 100, &u)) {
			seterr(err, errlen,
			       "not a percentage from 0 to 100: '%s'", value);
			return -1;
		}
		*(int *)field = (int)u;
		return 0;
	case CT_PRIO:
		if (strcmp(value, "-1") == 0) {
			*(int *)field = -1;
			return 0;
		}
		/* fall through */
	case CT_INT:
	case CT_INT64:
		if (!parse_dec(value, (uint64_t)k->max, &u)) {
			seterr(err, errlen,
			       "not a whole number from %d to %" PRId64 ": '%s'",
			       k->type == CT_PRIO ? -1 : 0, k->max, value);
			return -1;
		}
		if (k->type == CT_INT64)
			*(int64_t *)field = (int64_t)u;
		else
			*(int *)field = (int)u;
		return 0;
	case CT_SIZE:
		if (config_parse_size(value, &u) < 0) {
			seterr(err, errlen,
			       "not a size (digits with k, m, g or t): '%s'",
			       value);
			return -1;
		}
		*(uint64_t *)field = u;
		return 0;
	case CT_SWAPSIZE:
		if (strcmp(value, "auto") == 0) {
			cfg->swapsize_auto = true;
			return 0;
		}
		if (config_parse_size(value, &u) < 0) {
			seterr(err, errlen, "not 'auto' or a size: '%s'", value);
			return -1;
		}
		cfg->swapsize_auto = false;
		cfg->swapsize_b = u;
		return 0;
	case CT_RESERVE:
		if (set_reserve(cfg, value) < 0) {
			seterr(err, errlen,
			       "not a percentage (0%% to 99%%) or a size: '%s'",
			       value);
			return -1;
		}
		return 0;
	case CT_DISCARD:
		for (i = 0; i < 4; i++)
			if (strcmp(value, discard_names[i]) == 0) {
				cfg->discard = (enum gm_discard)i;
				return 0;
			}
		seterr(err, errlen, "not none, once, pages or both: '%s'", value);
		return -1;
	case CT_AUTOSIZE:
		if ((strcmp(value, "auto") != 0 &&
		     config_parse_size(value, &u) < 0) ||
		    strlen(value) >= 256) {
			seterr(err, errlen, "not 'auto' or a size: '%s'", value);
			return -1;
		}
		strcpy(field, value);
		return 0;
	case CT_STANDBY:
		for (i = 0; i < 3; i++)
			if (strcmp(value, standby_names[i]) == 0) {
				cfg->standby = (enum standby_policy)i;
				return 0;
			}
		seterr(err, errlen, "not active, small or none: '%s'", value);
		return -1;
	case CT_CONFIGFILE:
		cfg->configfile_given = true;
		/* fall through */
	case CT_PATH:
	case CT_ARG:
		return set_text(field, k, value, err, errlen);
	default:
		return -1;
	}
}

int config_set(struct config *cfg, const char *key, const char *value,
	       char *err, size_t errlen)
{
	const struct config_key *k = config_key_find(key);

	if (!k) {
		seterr(err, errlen, "unknown key");
		return -1;
	}
	return config_key_set(cfg, k, value, err, errlen);
}

/* A size in the largest unit that divides it (4194304 -> 4m). */
static void print_size(FILE *out, const char *key, uint64_t b)
{
	static const char sfx[] = "kmgt";
	int i = -1;

	while (b && b % 1024 == 0 && i < 3) {
		b /= 1024;
		i++;
	}
	if (i >= 0)
		fprintf(out, "%s=%" PRIu64 "%c\n", key, b, sfx[i]);
	else
		fprintf(out, "%s=%" PRIu64 "\n", key, b);
}

void config_key_print(const struct config *cfg, const struct config_key *k,
		      FILE *out)
{
	const char *field = (const char *)cfg + k->off;

	switch (k->type) {
	case CT_PCT:
	case CT_INT:
	case CT_PRIO:
		fprintf(out, "%s=%d\n", k->name, *(const int *)field);
		break;
	case CT_INT64:
		fprintf(out, "%s=%" PRId64 "\n", k->name,
			*(const int64_t *)field);
		break;
	case CT_SIZE:
		print_size(out, k->name, *(const uint64_t *)field);
		break;
	case CT_FLAG:
	case CT_ACTION:
		fprintf(out, "%s=%s\n", k->name,
			*(const bool *)field ? "yes" : "no");
		break;
	case CT_SWAPSIZE:
		if (cfg->swapsize_auto)
			fprintf(out, "%s=auto\n", k->name);
		else
			print_size(out, k->name, cfg->swapsize_b);
		break;
	case CT_RESERVE:
		if (cfg->disk_reserve_is_pct)
			fprintf(out, "%s=%d%%\n", k->name, cfg->disk_reserve_pct);
		else
			print_size(out, k->name, cfg->disk_reserve_b);
		break;
	case CT_DISCARD:
		fprintf(out, "%s=%s\n", k->name,
			discard_names[(unsigned)cfg->discard % 4]);
		break;
	case CT_STANDBY:
		fprintf(out, "%s=%s\n", k->name,
			config_standby_name(cfg->standby));
		break;
	case CT_SPARE:
		break; /* an alias: standby= says it */
	case CT_PATH:
	case CT_ARG:
	case CT_CONFIGFILE:
		fprintf(out, "%s=\"%s\"\n", k->name, field);
		break;
	case CT_AUTOSIZE:
		fprintf(out, "%s=%s\n", k->name, field);
		break;
	}
}
