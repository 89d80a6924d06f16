/* The key table behind config.h: one row per key and option, with its
 * type, default, and --help line.  Private to the config files (and
 * their unit test); other modules use config.h. */
#ifndef GM_CONFIG_KEYS_H
#define GM_CONFIG_KEYS_H

#include "config.h"

/* How a value is read and stored, and how -i prints it. */
enum config_type {
	CT_PCT,        /* int, 0 to 100 */
	CT_INT,        /* int, 0 to max */
	CT_INT64,      /* int64_t, 0 to max */
	CT_PRIO,       /* int, -1 to max */
	CT_SIZE,       /* uint64_t bytes, digits with k/m/g/t */
	CT_FLAG,       /* bool: bare key, or yes/no */
	CT_PATH,       /* char[256], absolute (empty only if empty_ok) */
	CT_SWAPSIZE,   /* "auto" or a size: swapsize_auto, swapsize_b */
	CT_RESERVE,    /* "N%" or a size: disk_reserve_* */
	CT_DISCARD,    /* none|once|pages|both */
	CT_STANDBY,    /* active|small|none */
	CT_SPARE,      /* the old spare=yes|no: sets standby; never printed */
	CT_ACTION,     /* command line: bool set true, takes no value */
	CT_ARG,        /* command line: char[256], any non-empty text */
	CT_CONFIGFILE, /* as CT_ARG, and the file named must exist */
	CT_AUTOSIZE,   /* char[256]: "auto" or a size, kept as written */
};

struct config_key {
	const char *name;      /* key, and long option (--name) */
	char shortopt;         /* -x, or 0 */
	enum config_type type;
	size_t off;            /* the field in struct config */
	int64_t max;           /* CT_INT, CT_INT64, CT_PRIO: upper bound */
	bool file_ok;          /* may appear in the config file */
	bool empty_ok;         /* CT_PATH: "" is allowed (means off) */
	bool list_ok;          /* CT_PATH: "[DIR, ...]" is allowed (swappath) */
	const char *dflt;      /* default in config-file syntax; NULL: zero */
	const char *arg;       /* --help: the value's name; NULL: none shown */
	const char *help;      /* --help line; NULL: not listed */
	const char *note;      /* --help: what the default means, or NULL */
};

/* The table: the config-file keys first, in the order -i prints them,
 * then the command-line-only options. */
extern const struct config_key config_keys[];
extern const size_t config_nkeys;

/* The row named name ('-' accepted for '_'), or NULL. */
const struct config_key *config_key_find(const char *name);

/* The row of short option c, or NULL. */
const struct config_key *config_key_short(char c);

/* Whether the option needs a value (flags and actions do not). */
bool config_key_takes_value(const struct config_key *k);

/* Read value (NULL: bare key) into cfg.  0, or -1 with the reason
 * (without file, line or key) in err. */
int config_key_set(struct config *cfg, const struct config_key *k,
		   const char *value, char *err, size_t errlen);

/* One "key=value\n" line in config-file syntax. */
void config_key_print(const struct config *cfg, const struct config_key *k,
		      FILE *out);

#endif
