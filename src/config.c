/* Configuration: defaults, the swapspace.conf-style file, the command
 * line, and the cross-field checks.  Pure apart from config_load. */
#include "config.h"

#include "errbuf.h"

#include "policy.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_LEN 1024

enum ktype { K_PCT, K_INT, K_SIZE, K_FLAG, K_PATH, K_SWAPSIZE, K_RESERVE,
	     K_DISCARD, K_PRIO, K_CMD };

/* Command-line-only actions (K_CMD) */
enum { CMD_HELP = 1, CMD_VERSION, CMD_INSPECT, CMD_STATUS, CMD_CONFIG,
       CMD_SIMULATE, CMD_MEMINFO, CMD_RUNDIR, CMD_PLOT, CMD_COMPARE,
       CMD_RECORD };

static const struct key {
	const char *name;
	char shortopt;
	enum ktype type;
	size_t off;    /* field in struct config (K_CMD: command number) */
	int64_t max;   /* K_INT/K_PRIO upper bound */
	bool file_ok;  /* may appear in the config file */
} keys[] = {
#define F(field) offsetof(struct config, field)
	{"swappath", 's', K_PATH, F(swappath), 0, true},
	{"pidfile", 'p', K_PATH, F(pidfile), 0, true},
	{"lower_freelimit", 'l', K_PCT, F(lower_freelimit_pct), 0, true},
	{"upper_freelimit", 'u', K_PCT, F(upper_freelimit_pct), 0, true},
	{"freetarget", 'f', K_PCT, F(freetarget_pct), 0, true},
	{"buffer_elasticity", 'B', K_PCT, F(buffer_elasticity_pct), 0, true},
	{"cache_elasticity", 'C', K_PCT, F(cache_elasticity_pct), 0, true},
	{"min_swapsize", 'm', K_SIZE, F(min_swapsize_b), 0, true},
	{"max_swapsize", 'M', K_SIZE, F(max_swapsize_b), 0, true},
	{"cooldown", 'a', K_INT, F(cooldown_s), 86400 * 365, true},
	{"daemon", 'd', K_FLAG, F(daemon), 0, true},
	{"erase", 'e', K_FLAG, F(erase), 0, true},
	{"paranoid", 'P', K_FLAG, F(paranoid), 0, true},
	{"quiet", 'q', K_FLAG, F(quiet), 0, true},
	{"verbose", 'v', K_FLAG, F(verbose), 0, true},
	{"swapsize", 0, K_SWAPSIZE, 0, 0, true},
	{"disk_reserve", 0, K_RESERVE, 0, 0, true},
	{"max_files", 0, K_INT, F(max_files), 1024, true},
	{"max_total", 0, K_SIZE, F(max_total_b), 0, true},
	{"priority", 0, K_PRIO, F(priority), 32767, true},
	{"discard", 0, K_DISCARD, F(discard), 0, true},
	{"metrics_dir", 0, K_PATH, F(metrics_dir), 0, true},
	{"poll_min_ms", 0, K_INT, F(poll_min_ms), 60000, true},
	{"poll_max_ms", 0, K_INT, F(poll_max_ms), 600000, true},
	{"spike_rate", 0, K_SIZE, F(spike_rate_b), 0, true},
	{"psi", 0, K_FLAG, F(psi), 0, true},
	{"spare", 0, K_FLAG, F(spare), 0, true},
	{"help", 'h', K_CMD, CMD_HELP, 0, false},
	{"version", 'V', K_CMD, CMD_VERSION, 0, false},
	{"inspect", 'i', K_CMD, CMD_INSPECT, 0, false},
	{"status", 0, K_CMD, CMD_STATUS, 0, false},
	{"configfile", 'c', K_CMD, CMD_CONFIG, 0, false},
	{"config", 0, K_CMD, CMD_CONFIG, 0, false},
	{"simulate", 0, K_CMD, CMD_SIMULATE, 0, false},
	{"meminfo_file", 0, K_CMD, CMD_MEMINFO, 0, false},
	{"rundir", 0, K_CMD, CMD_RUNDIR, 0, false},
	{"plot", 0, K_CMD, CMD_PLOT, 0, false},
	{"compare_with", 0, K_CMD, CMD_COMPARE, 0, false},
	{"record", 0, K_CMD, CMD_RECORD, 0, false},
	{"interval", 0, K_INT, F(record_interval_ms), 3600000, false},
	{"duration", 0, K_INT, F(record_duration_s), 86400 * 366, false},
#undef F
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static bool cmd_takes_value(size_t cmd)
{
	return cmd == CMD_CONFIG || cmd == CMD_SIMULATE ||
	       cmd == CMD_MEMINFO || cmd == CMD_RUNDIR || cmd == CMD_PLOT ||
	       cmd == CMD_COMPARE || cmd == CMD_RECORD;
}

static bool key_takes_value(const struct key *k)
{
	if (k->type == K_FLAG)
		return false;
	if (k->type == K_CMD)
		return cmd_takes_value(k->off);
	return true;
}

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->swappath, GM_DEFAULT_SWAPPATH);
	strcpy(cfg->pidfile, GM_DEFAULT_PIDFILE);
	strcpy(cfg->configfile, GM_DEFAULT_CONFIG);
	strcpy(cfg->rundir, GM_DEFAULT_RUNDIR);
	cfg->lower_freelimit_pct = 20;
	cfg->upper_freelimit_pct = 60;
	cfg->freetarget_pct = 30;
	cfg->buffer_elasticity_pct = 30;
	cfg->cache_elasticity_pct = 80;
	cfg->min_swapsize_b = 4 * MIB;
	cfg->max_swapsize_b = 2 * GIB;
	cfg->cooldown_s = 600;
	cfg->swapsize_auto = true;
	cfg->disk_reserve_is_pct = true;
	cfg->disk_reserve_pct = 10;
	cfg->max_files = 16;
	cfg->max_total_b = 0;
	cfg->priority = -1;
	cfg->discard = GM_DISCARD_NONE;
	cfg->poll_min_ms = 20;
	cfg->poll_max_ms = 20000;
	cfg->spike_rate_b = GIB;
	cfg->psi = true;
	cfg->spare = true;
	cfg->record_interval_ms = 1000;
}

/* Decimal digits only, no sign, no overflow. */
static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

int config_parse_size(const char *s, uint64_t *out)
{
	char digits[32];
	size_t n = strlen(s);
	unsigned shift = 0;
	uint64_t v;

	if (n == 0 || n >= sizeof(digits))
		return -1;
	switch (s[n - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	default: break;
	}
	memcpy(digits, s, n + 1);
	if (shift)
		digits[n - 1] = '\0';
	if (parse_u64(digits, &v) < 0)
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

static const struct key *find_key(const char *name)
{
	char norm[64];
	size_t i, n = strlen(name);

	if (n >= sizeof(norm))
		return NULL;
	/* Accept '-' for '_' (--lower-freelimit). */
	for (i = 0; i <= n; i++)
		norm[i] = name[i] == '-' ? '_' : name[i];
	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, norm) == 0)
			return &keys[i];
	return NULL;
}

static int apply_cmd(struct config *cfg, size_t cmd, const char *value,
		     char *err, size_t errlen)
{
	char *dst = NULL;

	switch (cmd) {
	case CMD_HELP: cfg->show_help = true; return 0;
	case CMD_VERSION: cfg->show_version = true; return 0;
	case CMD_INSPECT: cfg->inspect = true; return 0;
	case CMD_STATUS: cfg->show_status = true; return 0;
	case CMD_CONFIG:
		dst = cfg->configfile;
		cfg->configfile_given = true;
		break;
	case CMD_SIMULATE: dst = cfg->simulate_path; break;
	case CMD_MEMINFO: dst = cfg->meminfo_path; break;
	case CMD_RUNDIR: dst = cfg->rundir; break;
	case CMD_PLOT: dst = cfg->plot_path; break;
	case CMD_COMPARE: dst = cfg->compare_with; break;
	case CMD_RECORD: dst = cfg->record_path; break;
	default: break;
	}
	if (!dst)
		return 0;
	if (!*value || strlen(value) >= 256) {
		seterr(err, errlen, "%s", !*value ? "empty path" : "path too long");
		return -1;
	}
	strcpy(dst, value);
	return 0;
}

static int apply_key(struct config *cfg, const struct key *k,
		     const char *value, char *err, size_t errlen)
{
	char *field = (char *)cfg + k->off;
	uint64_t u;

	/* A flag may be bare, or say yes/no. */
	if (k->type == K_FLAG) {
		bool b = true;
		if (value && parse_bool(value, &b) < 0) {
			seterr(err, errlen, "not a yes/no value: '%s'", value);
			return -1;
		}
		*(bool *)field = b;
		return 0;
	}
	if (k->type == K_CMD && !cmd_takes_value(k->off))
		return apply_cmd(cfg, k->off, "", err, errlen);
	if (!value) {
		seterr(err, errlen, "needs a value");
		return -1;
	}
	switch (k->type) {
	case K_PCT:
		if (parse_u64(value, &u) < 0 || u > 100) {
			seterr(err, errlen,
			       "not a percentage from 0 to 100: '%s'", value);
			return -1;
		}
		*(int *)field = (int)u;
		return 0;
	case K_INT:
	case K_PRIO:
		if (k->type == K_PRIO && strcmp(value, "-1") == 0) {
			*(int *)field = -1;
			return 0;
		}
		if (parse_u64(value, &u) < 0 || u > (uint64_t)k->max) {
			seterr(err, errlen,
			       "not a whole number from %d to %" PRId64 ": '%s'",
			       k->type == K_PRIO ? -1 : 0, k->max, value);
			return -1;
		}
		if (k->off == offsetof(struct config, cooldown_s) ||
		    k->off == offsetof(struct config, poll_min_ms) ||
		    k->off == offsetof(struct config, poll_max_ms) ||
		    k->off == offsetof(struct config, record_interval_ms) ||
		    k->off == offsetof(struct config, record_duration_s))
			*(int64_t *)field = (int64_t)u;
		else
			*(int *)field = (int)u;
		return 0;
	case K_SIZE:
		if (config_parse_size(value, &u) < 0) {
			seterr(err, errlen,
			       "not a size (digits with k, m, g or t): '%s'",
			       value);
			return -1;
		}
		*(uint64_t *)field = u;
		return 0;
	case K_PATH:
		if (!*value && k->off != offsetof(struct config, metrics_dir)) {
			seterr(err, errlen, "empty path");
			return -1;
		}
		if (*value && value[0] != '/') {
			seterr(err, errlen, "not an absolute path: '%s'", value);
			return -1;
		}
		if (strlen(value) >= 256) {
			seterr(err, errlen, "path too long");
			return -1;
		}
		strcpy(field, value);
		return 0;
	case K_SWAPSIZE:
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
	case K_RESERVE: {
		size_t n = strlen(value);
		if (n > 1 && value[n - 1] == '%') {
			char digits[16];
			if (n - 1 >= sizeof(digits))
				goto bad_reserve;
			memcpy(digits, value, n - 1);
			digits[n - 1] = '\0';
			if (parse_u64(digits, &u) < 0 || u > 99)
				goto bad_reserve;
			cfg->disk_reserve_is_pct = true;
			cfg->disk_reserve_pct = (int)u;
			return 0;
		}
		if (config_parse_size(value, &u) < 0)
			goto bad_reserve;
		cfg->disk_reserve_is_pct = false;
		cfg->disk_reserve_b = u;
		return 0;
	bad_reserve:
		seterr(err, errlen, "not a percentage (0%% to 99%%) or a size: '%s'",
		       value);
		return -1;
	}
	case K_DISCARD: {
		static const char *const names[] = {"none", "once", "pages",
						    "both"};
		int i;
		for (i = 0; i < 4; i++)
			if (strcmp(value, names[i]) == 0) {
				cfg->discard = (enum gm_discard)i;
				return 0;
			}
		seterr(err, errlen, "not none, once, pages or both: '%s'", value);
		return -1;
	}
	case K_CMD:
		return apply_cmd(cfg, k->off, value, err, errlen);
	default:
		return -1;
	}
}

int config_set(struct config *cfg, const char *key, const char *value,
	       char *err, size_t errlen)
{
	const struct key *k = find_key(key);

	if (!k) {
		seterr(err, errlen, "unknown key");
		return -1;
	}
	return apply_key(cfg, k, value, err, errlen);
}

/* The key a bad line starts with (up to '=', '#' or a blank), or
 * "(no key)", for messages about lines that cannot be parsed whole. */
static void line_key(const char *p, size_t n, char *out, size_t outlen)
{
	size_t i = 0, j = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	while (i < n && j + 1 < outlen && (isalnum((unsigned char)p[i]) ||
					   p[i] == '_' || p[i] == '-'))
		out[j++] = p[i++];
	out[j] = '\0';
	if (j == 0)
		snprintf(out, outlen, "(no key)");
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int config_parse_buf(struct config *cfg, const char *buf, size_t len,
		     const char *filename, char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned lineno = 0;

	/* Remembered so a later cross-field error can name file:line. */
	snprintf(cfg->configfile, sizeof(cfg->configfile), "%s", filename);
	while (pos < len) {
		char line[LINE_MAX_LEN], why[200];
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char *key, *value, *eq;
		const struct key *k;

		lineno++;
		if (n >= sizeof(line) || memchr(buf + pos, '\0', n)) {
			char what[48];
			line_key(buf + pos, n, what, sizeof(what));
			if (n >= sizeof(line))
				seterr(err, errlen,
				       "%s:%u: %s: line too long (over %d bytes)",
				       filename, lineno, what, LINE_MAX_LEN - 1);
			else
				seterr(err, errlen, "%s:%u: %s: NUL byte in line",
				       filename, lineno, what);
			return -1;
		}
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos += n + 1;

		key = trim(line);
		if (*key == '#' || *key == '\0')
			continue;
		value = NULL;
		eq = strchr(key, '=');
		if (eq) {
			*eq = '\0';
			value = eq + 1;
		}
		key = trim(key);
		if (value) {
			size_t vl;
			char *hash;

			/* A comment may follow an unquoted value. */
			value = trim(value);
			if (*value != '"' && (hash = strchr(value, '#')))
				*hash = '\0';
			value = trim(value);
			vl = strlen(value);
			if (vl >= 2 && ((value[0] == '"' && value[vl - 1] == '"') ||
					(value[0] == '\'' && value[vl - 1] == '\''))) {
				value[vl - 1] = '\0';
				value++;
			} else if (vl && (value[0] == '"' || value[0] == '\'')) {
				seterr(err, errlen, "%s:%u: %s: unterminated quote",
				       filename, lineno, key);
				return -1;
			}
		}
		if (!*key) {
			seterr(err, errlen, "%s:%u: missing key before '='",
			       filename, lineno);
			return -1;
		}
		k = find_key(key);
		if (!k || !k->file_ok) {
			seterr(err, errlen, "%s:%u: %s: unknown key", filename,
			       lineno, key);
			return -1;
		}
		if (apply_key(cfg, k, value, why, sizeof(why)) < 0) {
			seterr(err, errlen, "%s:%u: %s: %s", filename, lineno,
			       key, why);
			return -1;
		}
		if ((size_t)(k - keys) < sizeof(cfg->src_line) / sizeof(cfg->src_line[0]))
			cfg->src_line[k - keys] =
				(unsigned short)(lineno > 65535 ? 65535 : lineno);
	}
	return 0;
}

int config_load(struct config *cfg, const char *path, bool must_exist,
		char *err, size_t errlen)
{
	static char buf[256 * 1024];
	struct stat st;
	size_t len = 0;
	int fd, rc;

	if (strcmp(path, "/dev/null") == 0)
		return 0;
	/* O_NONBLOCK: a FIFO put in the file's place must not block the
	 * daemon (at SIGHUP) until someone writes to it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT && !must_exist)
			return 0;
		seterr(err, errlen, "%s: cannot open config file: %s", path,
		       strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		seterr(err, errlen, "%s: config file is not a regular file",
		       path);
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			seterr(err, errlen, "%s: cannot read config file: %s",
			       path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf)) {
			seterr(err, errlen, "%s: config file larger than %zu bytes",
			       path, sizeof(buf) - 1);
			close(fd);
			return -1;
		}
	}
	close(fd);
	rc = config_parse_buf(cfg, buf, len, path, err, errlen);
	return rc;
}

/* "FILE:LINE: key" when the key came from the file, else "key". */
static void where(const struct config *cfg, const char *key, char *out,
		  size_t outlen)
{
	size_t i;

	/* keys[i] is bounded by the loop; the second test bounds the
	 * other array, src_line. */
	for (i = 0; i < NKEYS; i++)
		/* cppcheck-suppress arrayIndexThenCheck */
		if (strcmp(keys[i].name, key) == 0 &&
		    i < sizeof(cfg->src_line) / sizeof(cfg->src_line[0]) &&
		    cfg->src_line[i]) {
			snprintf(out, outlen, "%s:%u: %s", cfg->configfile,
				 cfg->src_line[i], key);
			return;
		}
	snprintf(out, outlen, "%s", key);
}

int config_validate(const struct config *cfg, char *err, size_t errlen)
{
	char w[300];

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

int config_parse_args(struct config *cfg, int argc, char *const argv[],
		      char *err, size_t errlen)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		char why[200];
		const char *value = NULL;
		const struct key *k = NULL;

		if (arg[0] == '-' && arg[1] == '-' && arg[2]) {
			char name[64];
			const char *eq = strchr(arg + 2, '=');
			size_t n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
			if (n >= sizeof(name)) {
				seterr(err, errlen, "unknown option '%s'", arg);
				return GM_EXIT_USAGE;
			}
			memcpy(name, arg + 2, n);
			name[n] = '\0';
			k = find_key(name);
			if (!k) {
				seterr(err, errlen, "unknown option '--%s'", name);
				return GM_EXIT_USAGE;
			}
			if (eq)
				value = eq + 1;
			else if (key_takes_value(k)) {
				if (i + 1 >= argc) {
					seterr(err, errlen, "option '--%s' needs a value", name);
					return GM_EXIT_USAGE;
				}
				value = argv[++i];
			}
			if (apply_key(cfg, k, value, why, sizeof(why)) < 0) {
				seterr(err, errlen, "--%s: %s", name, why);
				return GM_EXIT_USAGE;
			}
			continue;
		}
		if (arg[0] != '-' || !arg[1]) {
			seterr(err, errlen, "unexpected argument '%s'", arg);
			return GM_EXIT_USAGE;
		}
		/* Short options; flags may be bundled (-dv). */
		for (const char *p = arg + 1; *p; p++) {
			size_t j;
			k = NULL;
			for (j = 0; j < NKEYS; j++)
				if (keys[j].shortopt == *p)
					k = &keys[j];
			if (!k) {
				seterr(err, errlen, "unknown option '-%c'", *p);
				return GM_EXIT_USAGE;
			}
			value = NULL;
			if (key_takes_value(k)) {
				if (p[1])
					value = p + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else {
					seterr(err, errlen, "option '-%c' needs a value", *p);
					return GM_EXIT_USAGE;
				}
			}
			if (apply_key(cfg, k, value, why, sizeof(why)) < 0) {
				seterr(err, errlen, "-%c (%s): %s", *p, k->name, why);
				return GM_EXIT_USAGE;
			}
			if (value)
				break;
		}
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

void config_print(const struct config *cfg, FILE *out)
{
	static const char *const discard[] = {"none", "once", "pages", "both"};

	fprintf(out, "# effective configuration (config file: %s)\n",
		cfg->configfile[0] ? cfg->configfile : "none");
	fprintf(out, "swappath=\"%s\"\n", cfg->swappath);
	fprintf(out, "pidfile=\"%s\"\n", cfg->pidfile);
	fprintf(out, "lower_freelimit=%d\n", cfg->lower_freelimit_pct);
	fprintf(out, "upper_freelimit=%d\n", cfg->upper_freelimit_pct);
	fprintf(out, "freetarget=%d\n", cfg->freetarget_pct);
	fprintf(out, "buffer_elasticity=%d\n", cfg->buffer_elasticity_pct);
	fprintf(out, "cache_elasticity=%d\n", cfg->cache_elasticity_pct);
	print_size(out, "min_swapsize", cfg->min_swapsize_b);
	print_size(out, "max_swapsize", cfg->max_swapsize_b);
	fprintf(out, "cooldown=%" PRId64 "\n", cfg->cooldown_s);
	if (cfg->swapsize_auto)
		fprintf(out, "swapsize=auto\n");
	else
		print_size(out, "swapsize", cfg->swapsize_b);
	if (cfg->disk_reserve_is_pct)
		fprintf(out, "disk_reserve=%d%%\n", cfg->disk_reserve_pct);
	else
		print_size(out, "disk_reserve", cfg->disk_reserve_b);
	fprintf(out, "max_files=%d\n", cfg->max_files);
	print_size(out, "max_total", cfg->max_total_b);
	fprintf(out, "priority=%d\n", cfg->priority);
	fprintf(out, "discard=%s\n", discard[cfg->discard]);
	fprintf(out, "metrics_dir=\"%s\"\n", cfg->metrics_dir);
	fprintf(out, "poll_min_ms=%" PRId64 "\npoll_max_ms=%" PRId64 "\n",
		cfg->poll_min_ms, cfg->poll_max_ms);
	print_size(out, "spike_rate", cfg->spike_rate_b);
	fprintf(out, "psi=%s\nspare=%s\n", cfg->psi ? "yes" : "no",
		cfg->spare ? "yes" : "no");
	fprintf(out, "daemon=%s\nerase=%s\nparanoid=%s\nquiet=%s\nverbose=%s\n",
		cfg->daemon ? "yes" : "no", cfg->erase ? "yes" : "no",
		cfg->paranoid ? "yes" : "no", cfg->quiet ? "yes" : "no",
		cfg->verbose ? "yes" : "no");
}
