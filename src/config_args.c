/* The command line: long options named as the keys (--key=value or
 * --key value, '-' for '_'), short options that may be bundled (-dv) or
 * carry their value (-l10).  No getopt: the table is the option list. */
#include "config_keys.h"

#include "errbuf.h"

#include <string.h>

/* --name[=value]; a value may be the next argument (next, NULL if none),
 * and then *took_next is set. */
static int long_option(struct config *cfg, const char *arg, const char *next,
		       bool *took_next, char *err, size_t errlen)
{
	const char *value = NULL, *eq = strchr(arg + 2, '=');
	size_t n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	const struct config_key *k;
	char name[64], why[200];

	if (n >= sizeof(name)) {
		seterr(err, errlen, "unknown option '%s'", arg);
		return GM_EXIT_USAGE;
	}
	memcpy(name, arg + 2, n);
	name[n] = '\0';
	k = config_key_find(name);
	if (!k) {
		seterr(err, errlen, "unknown option '--%s'", name);
		return GM_EXIT_USAGE;
	}
	if (eq) {
		value = eq + 1;
	} else if (config_key_takes_value(k)) {
		if (!next) {
			seterr(err, errlen, "option '--%s' needs a value", name);
			return GM_EXIT_USAGE;
		}
		value = next;
		*took_next = true;
	}
	if (config_key_set(cfg, k, value, why, sizeof(why)) < 0) {
		seterr(err, errlen, "--%s: %s", name, why);
		return GM_EXIT_USAGE;
	}
	return 0;
}

/* -abc: flags, up to one option that takes the rest (or the next
 * argument, as long_option) as its value. */
static int short_options(struct config *cfg, const char *arg,
			 const char *next, bool *took_next, char *err,
			 size_t errlen)
{
	const char *p;

	for (p = arg + 1; *p; p++) {
		const struct config_key *k = config_key_short(*p);
		const char *value = NULL;
		char why[200];

		if (!k) {
			seterr(err, errlen, "unknown option '-%c'", *p);
			return GM_EXIT_USAGE;
		}
		if (config_key_takes_value(k)) {
			if (p[1]) {
				value = p + 1;
			} else if (next) {
				value = next;
				*took_next = true;
			} else {
				seterr(err, errlen, "option '-%c' needs a value", *p);
				return GM_EXIT_USAGE;
			}
		}
		if (config_key_set(cfg, k, value, why, sizeof(why)) < 0) {
			seterr(err, errlen, "-%c (%s): %s", *p, k->name, why);
			return GM_EXIT_USAGE;
		}
		if (value)
			break;
	}
	return 0;
}

int config_parse_args(struct config *cfg, int argc, char *const argv[],
		      char *err, size_t errlen)
{
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		bool took_next = false;

		/* --reserve=SIZE -- COMMAND [ARGS...]: the rest is the
		 * command's. */
		if (strcmp(arg, "--") == 0) {
			if (i + 1 >= argc) {
				seterr(err, errlen, "'--' needs a COMMAND after it");
				return GM_EXIT_USAGE;
			}
			cfg->command_argi = i + 1;
			return 0;
		}
		if (arg[0] == '-' && arg[1] == '-' && arg[2])
			rc = long_option(cfg, arg, next, &took_next, err, errlen);
		else if (arg[0] == '-' && arg[1])
			rc = short_options(cfg, arg, next, &took_next, err,
					   errlen);
		else {
			seterr(err, errlen, "unexpected argument '%s'", arg);
			rc = GM_EXIT_USAGE;
		}
		if (rc)
			return rc;
		if (took_next)
			i++;
	}
	return 0;
}
