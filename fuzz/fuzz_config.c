/* libFuzzer target: the config file parser (config_parse_buf), the
 * command line (config_parse_args), the cross-field checks and the
 * --inspect printer.
 *
 * Input layout: the config file, then two NUL bytes, then the command
 * line arguments separated by single NUL bytes (each copied to its own
 * exact-size allocation, so reading past one is an ASan report).  With no
 * "\0\0" the whole input is the file.
 *
 * Properties: config_parse_buf returns 0 or -1, and its error starts with
 * "fuzz.conf:LINE: "; config_parse_args returns 0 or GM_EXIT_USAGE with a
 * message; an accepted file, printed by config_print (config-file
 * syntax), parses back to the same settings (printed again, the text is
 * the same, and so is the struct). */
#include "config.h"
#include "fuzz.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_ARGS 32
#define FUZZ_CONF "fuzz.conf"

static char fuzz_printed[16384], fuzz_reprinted[16384];

/* What config_print cannot show, made equal: where a value came from,
 * bytes after a string's NUL, and the value a mode switch hides (a
 * swapsize given before swapsize=auto, a disk_reserve size before a
 * percentage). */
static void normalize(struct config *c)
{
#define CLEAR_TAIL(s) memset((s) + strlen(s), 0, sizeof(s) - strlen(s))
	CLEAR_TAIL(c->swappath);
	CLEAR_TAIL(c->pidfile);
	CLEAR_TAIL(c->configfile);
	CLEAR_TAIL(c->metrics_dir);
	CLEAR_TAIL(c->simulate_path);
	CLEAR_TAIL(c->meminfo_path);
	CLEAR_TAIL(c->rundir);
	CLEAR_TAIL(c->upgrade_reserve);
#undef CLEAR_TAIL
	memset(c->src_line, 0, sizeof(c->src_line));
	if (c->swapsize_auto)
		c->swapsize_b = 0;
	if (c->disk_reserve_is_pct)
		c->disk_reserve_b = 0;
	else
		c->disk_reserve_pct = 0;
}

/* Print cfg with config_print into out (16 KiB); its length, or 0. */
static size_t print_config(const struct config *cfg, char *out)
{
	FILE *f = fmemopen(out, sizeof(fuzz_printed), "w");
	long n;

	if (f == NULL)
		return 0;
	config_print(cfg, f);
	n = ftell(f);
	fclose(f);
	if (n <= 0 || (size_t)n >= sizeof(fuzz_printed))
		return 0;
	out[n] = '\0';
	return (size_t)n;
}

static void check_file(const char *buf, size_t len)
{
	struct config cfg, again;
	char err[512];
	size_t n;
	int rc;

	config_defaults(&cfg);
	err[0] = '\0';
	rc = config_parse_buf(&cfg, buf, len, FUZZ_CONF, err, sizeof(err));
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (rc != 0) {
		/* FILE:LINE: ... */
		FUZZ_ASSERT(strncmp(err, FUZZ_CONF ":", sizeof(FUZZ_CONF)) ==
				    0 &&
			    err[sizeof(FUZZ_CONF)] >= '1' &&
			    err[sizeof(FUZZ_CONF)] <= '9');
		return;
	}
	err[0] = '\0';
	if (config_validate(&cfg, err, sizeof(err)) != 0)
		FUZZ_ASSERT(err[0] != '\0');

	/* Every setting config_print shows must survive the round trip:
	 * printed again, the text is the same. */
	n = print_config(&cfg, fuzz_printed);
	FUZZ_ASSERT(n > 0);
	if (n == 0)
		return;
	config_defaults(&again);
	rc = config_parse_buf(&again, fuzz_printed, n, FUZZ_CONF, err,
			      sizeof(err));
	if (rc != 0)
		fprintf(stderr, "printed config refused: %s\n", err);
	FUZZ_ASSERT(rc == 0);
	if (rc != 0)
		return;
	FUZZ_ASSERT(print_config(&again, fuzz_reprinted) == n);
	FUZZ_ASSERT(strcmp(fuzz_printed, fuzz_reprinted) == 0);
	normalize(&cfg);
	normalize(&again);
	FUZZ_ASSERT(memcmp(&cfg, &again, sizeof(cfg)) == 0);
}

static void check_args(const uint8_t *p, size_t len)
{
	char *argv[FUZZ_MAX_ARGS + 2];
	struct config cfg;
	char err[512];
	int argc = 0, rc, i;
	size_t pos = 0;

	argv[argc++] = strdup("ghostmemory");
	while (pos <= len && argc <= FUZZ_MAX_ARGS) {
		const uint8_t *nul = memchr(p + pos, '\0', len - pos);
		size_t n = nul ? (size_t)(nul - (p + pos)) : len - pos;

		argv[argc] = malloc(n + 1);
		if (argv[argc] == NULL)
			break;
		memcpy(argv[argc], p + pos, n);
		argv[argc][n] = '\0';
		argc++;
		pos += n + 1;
	}
	argv[argc] = NULL;

	config_defaults(&cfg);
	err[0] = '\0';
	rc = config_parse_args(&cfg, argc, argv, err, sizeof(err));
	FUZZ_ASSERT(rc == 0 || rc == GM_EXIT_USAGE);
	if (rc != 0) {
		FUZZ_ASSERT(err[0] != '\0');
	} else {
		if (config_validate(&cfg, err, sizeof(err)) != 0)
			FUZZ_ASSERT(err[0] != '\0');
		(void)print_config(&cfg, fuzz_printed);
	}
	for (i = 0; i < argc; i++)
		free(argv[i]);
}

static int fuzz_config_one(const uint8_t *data, size_t size)
{
	size_t i, file_len = size;

	for (i = 0; i + 1 < size; i++)
		if (data[i] == '\0' && data[i + 1] == '\0') {
			file_len = i;
			break;
		}
	check_file((const char *)data, file_len);
	if (file_len < size)
		check_args(data + file_len + 2, size - file_len - 2);
	return 0;
}

#ifndef GM_FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_config_one(data, size);
}
#endif
