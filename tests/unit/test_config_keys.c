/* The key table and its value types (config_keys.c). */
#include "config.h"
#include "config_keys.h"
#include "policy.h"
#include "t.h"

static void test_sizes(void)
{
	static const struct {
		const char *s;
		int rc;
		uint64_t v;
	} rows[] = {
		{"0", 0, 0},       {"4096", 0, 4096},   {"4k", 0, 4096},
		{"4K", 0, 4096},   {"2m", 0, 2 * MIB},  {"3g", 0, 3 * GIB},
		{"1t", 0, 1024 * GIB}, {"", -1, 0},     {"k", -1, 0},
		{"1.5g", -1, 0},   {"0x10", -1, 0},     {"10 m", -1, 0},
		{"1e3", -1, 0},    {"+5", -1, 0},       {"5mb", -1, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t v = 0;
		int rc = config_parse_size(rows[i].s, &v);
		CHECK(rc == rows[i].rc && (rc || v == rows[i].v),
		      "size '%s': rc %d v %llu", rows[i].s, rc,
		      (unsigned long long)v);
	}
}

/* The table's own rules: names and short options unique, the file keys
 * first (-i prints them in table order, and src_line has room for
 * them), every value-taking listed option names its value. */
static void test_table(void)
{
	size_t i, j, same, nfile = 0;
	struct config cfg;

	for (i = 0; i < config_nkeys; i++) {
		const struct config_key *k = &config_keys[i];

		CHECK(config_key_find(k->name) == k, "%s: found as another row",
		      k->name);
		for (j = 0, same = 0; j < config_nkeys; j++)
			same += k->shortopt && k->shortopt == config_keys[j].shortopt;
		CHECK(!k->shortopt || (same == 1 && config_key_short(k->shortopt) == k),
		      "-%c: %zu rows", k->shortopt, same);
		if (k->file_ok) {
			CHECK(nfile == i, "file key %s after a command-line one",
			      k->name);
			nfile++;
		}
		if (k->help && config_key_takes_value(k))
			CHECK(k->arg != NULL, "--%s: no value name in --help",
			      k->name);
		if (k->type == CT_FLAG || k->type == CT_ACTION)
			CHECK(!config_key_takes_value(k), "%s takes a value",
			      k->name);
	}
	CHECK(nfile <= sizeof(cfg.src_line) / sizeof(cfg.src_line[0]),
	      "src_line has %zu slots for %zu file keys",
	      sizeof(cfg.src_line) / sizeof(cfg.src_line[0]), nfile);
	CHECK(config_key_find("lower-freelimit") == config_key_find("lower_freelimit"),
	      "'-' for '_'");
	CHECK(config_key_find("nosuchkey") == NULL && config_key_short('x') == NULL &&
		      config_key_short(0) == NULL, "unknown");
}

/* Leading zeros past the old length limits stay refused, as before the
 * shared decimal parser. */
static void test_long_digits(void)
{
	struct config cfg;
	char err[256];
	uint64_t v;

	config_defaults(&cfg);
	CHECK(config_parse_size("0000000000000000000000000000001k", &v) == -1,
	      "32-character size");
	CHECK(config_parse_size("000000000000000000000000000001k", &v) == 0 &&
		      v == 1024, "31-character size");
	CHECK(config_set(&cfg, "disk_reserve", "0000000000000005%", err,
			 sizeof(err)) == -1, "16-digit percentage");
	CHECK(config_set(&cfg, "disk_reserve", "000000000000005%", err,
			 sizeof(err)) == 0 && cfg.disk_reserve_pct == 5,
	      "15-digit percentage");
}

int main(void)
{
	test_table();
	test_sizes();
	test_long_digits();
	T_END();
}
