/* swappath: %H and %m expansion and each of its errors; the short host
 * name and the machine-id as read; and the check at config time, which
 * uses stand-ins. */
#include "config.h"
#include "swappath.h"
#include "t.h"

#include <string.h>

#define ID "4c4c4544003510548036b4c04f4e4d32"

int main(void)
{
	static const struct {
		const char *in, *host, *id;
		int rc;
		const char *out; /* or a piece of the message */
	} cases[] = {
		{"/var/lib/ghostmemory", NULL, NULL, 0, "/var/lib/ghostmemory"},
		{"/srv/swap/%H", "node7", NULL, 0, "/srv/swap/node7"},
		{"/srv/swap/%m", NULL, ID, 0, "/srv/swap/" ID},
		{"/srv/%H/%m/x", "a", ID, 0, "/srv/a/" ID "/x"},
		{"/srv/100%%/%H", "b", NULL, 0, "/srv/100%/b"},
		{"/srv/%H-%H", "c", NULL, 0, "/srv/c-c"},
		{"/srv/%x", "a", ID, GM_EXIT_USAGE, "unknown % conversion"},
		{"/srv/%", "a", ID, GM_EXIT_USAGE, "a % ends it"},
		{"/srv/%h", "a", ID, GM_EXIT_USAGE, "unknown"},
		{"/srv/%H", "", ID, GM_EXIT_SWAPPATH, "no usable host name"},
		{"/srv/%H", NULL, ID, GM_EXIT_SWAPPATH, "host name"},
		{"/srv/%H", "a/b", ID, GM_EXIT_SWAPPATH, "host name"},
		{"/srv/%m", "a", "", GM_EXIT_SWAPPATH, "machine-id"},
		{"/srv/%m", "a", NULL, GM_EXIT_SWAPPATH, "machine-id"},
		{"%H/swap", "a", NULL, GM_EXIT_USAGE, "not an absolute path"},
		{"/srv/%H/../etc", "a", NULL, GM_EXIT_USAGE, ". or .."},
		{"/srv/%H/./x", "a", NULL, GM_EXIT_USAGE, ". or .."},
		{"/srv/%H", "..", NULL, GM_EXIT_USAGE, ". or .."},
		{"/srv/..x/%H", "a", NULL, 0, "/srv/..x/a"},
		/* no % at all: paths as before, even a relative one fails */
		{"relative", NULL, NULL, GM_EXIT_USAGE, "not an absolute"},
	};
	char out[256], err[512], host[65], id[33];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = swappath_expand(cases[i].in, cases[i].host,
					 cases[i].id, out, sizeof(out), err,
					 sizeof(err));

		CHECK(rc == cases[i].rc, "%s: rc %d, want %d (%s)",
		      cases[i].in, rc, cases[i].rc, rc ? err : out);
		if (rc == 0 && cases[i].rc == 0)
			CHECK_STR(out, cases[i].out, cases[i].in);
		else if (rc != 0)
			CHECK(strstr(err, cases[i].out) != NULL &&
				      strstr(err, cases[i].in) != NULL,
			      "%s: message \"%s\" lacks \"%s\"", cases[i].in,
			      err, cases[i].out);
	}
	/* Too long once expanded. */
	{
		char small[16];

		CHECK(swappath_expand("/srv/%m", "a", ID, small, sizeof(small),
				      err, sizeof(err)) == GM_EXIT_USAGE &&
			      strstr(err, "longer than") != NULL,
		      "too long: %s", err);
	}
	CHECK(swappath_uses("/a/%H", 'H') && !swappath_uses("/a/%H", 'm') &&
		      !swappath_uses("/a/%%H", 'H') &&
		      swappath_uses("/a/%%%m", 'm') &&
		      !swappath_uses("/a/%", 'H'),
	      "swappath_uses");

	CHECK(swappath_short_host("node7.example.org", host, sizeof(host)) &&
		      strcmp(host, "node7") == 0,
	      "short host: %s", host);
	CHECK(swappath_short_host("Node_7-b", host, sizeof(host)) &&
		      strcmp(host, "Node_7-b") == 0,
	      "host without a dot");
	CHECK(!swappath_short_host("", host, sizeof(host)), "empty host");
	CHECK(!swappath_short_host(".example", host, sizeof(host)),
	      "host name starting with a dot");
	CHECK(!swappath_short_host("a/b", host, sizeof(host)), "slash");
	CHECK(!swappath_short_host("a b", host, sizeof(host)), "space");
	CHECK(!swappath_short_host("abcdefgh", host, 8), "too long for out");

	CHECK(swappath_machine_id(ID "\n", 33, id) && strcmp(id, ID) == 0,
	      "machine-id with newline");
	CHECK(swappath_machine_id(ID, 32, id), "machine-id without newline");
	CHECK(!swappath_machine_id(ID "\n\n", 34, id), "two newlines");
	CHECK(!swappath_machine_id("4C4C4544003510548036B4C04F4E4D32", 32, id),
	      "uppercase");
	CHECK(!swappath_machine_id(ID, 31, id), "short");
	CHECK(!swappath_machine_id("../../../../../../../../etc/passw", 32,
				   id),
	      "not hex");
	CHECK(!swappath_machine_id("00000000000000000000000000000000", 32,
				   id),
	      "all zeros (an image's placeholder)");
	CHECK(!swappath_machine_id("", 0, id), "empty");

	/* Tiers: "[DIR, DIR ...]"; anything else is one directory. */
	{
		static const struct {
			const char *in;
			int n;
			const char *e0, *e1, *msg;
		} rows[] = {
			{"/var/lib/gm", 1, "/var/lib/gm", NULL, NULL},
			{"/a b,c]", 1, "/a b,c]", NULL, NULL},
			{"[/a]", 1, "/a", NULL, NULL},
			{"[/a,/b]", 2, "/a", "/b", NULL},
			{"[ /local/swap ,\t/srv/%H ]", 2, "/local/swap",
			 "/srv/%H", NULL},
			{"[/a, /b, /c, /d]", 4, "/a", "/b", NULL},
			{"[/a, /b, /c, /d, /e]", -1, NULL, NULL, "more than 4"},
			{"[/a, /b", -1, NULL, NULL, "ends with its ']'"},
			{"[/a] ", -1, NULL, NULL, "ends with its ']'"},
			{"[/a]/b]", -1, NULL, NULL, "ends with its ']'"},
			{"[/a,,/b]", -1, NULL, NULL, "an empty entry"},
			{"[/a, ]", -1, NULL, NULL, "an empty entry"},
			{"[]", -1, NULL, NULL, "an empty entry"},
			{"[/a, [/b]", -1, NULL, NULL, "a '[' inside"},
		};
		char dirs[SWAPPATH_TIERS_MAX][256];
		size_t i;

		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			int n = swappath_split(rows[i].in, dirs,
					       SWAPPATH_TIERS_MAX, err,
					       sizeof(err));

			CHECK(n == rows[i].n, "split %s: %d, want %d (%s)",
			      rows[i].in, n, rows[i].n, n < 0 ? err : "");
			if (n > 0 && rows[i].n > 0)
				CHECK(strcmp(dirs[0], rows[i].e0) == 0 &&
					      (n < 2 ||
					       strcmp(dirs[1], rows[i].e1) == 0),
				      "split %s: [%s] [%s]", rows[i].in,
				      dirs[0], n > 1 ? dirs[1] : "");
			if (n < 0 && rows[i].msg)
				CHECK(strstr(err, rows[i].msg) != NULL,
				      "split %s: message \"%s\" lacks \"%s\"",
				      rows[i].in, err, rows[i].msg);
		}
	}

	/* Config time: stand-ins; a bad % is refused with file and key. */
	{
		struct config cfg;

		config_defaults(&cfg);
		strcpy(cfg.swappath, "/srv/%H/%m");
		CHECK(config_validate(&cfg, err, sizeof(err)) == 0,
		      "config: /srv/%%H/%%m is fine: %s", err);
		strcpy(cfg.swappath, "/srv/%q");
		CHECK(config_validate(&cfg, err, sizeof(err)) < 0 &&
			      strstr(err, "unknown % conversion") != NULL,
		      "config: %%q refused: %s", err);
		strcpy(cfg.swappath, "[/local, /srv/%H]");
		CHECK(config_validate(&cfg, err, sizeof(err)) == 0,
		      "config: two tiers are fine: %s", err);
		strcpy(cfg.swappath, "[/local, /srv/%q]");
		CHECK(config_validate(&cfg, err, sizeof(err)) < 0 &&
			      strstr(err, "unknown % conversion") != NULL,
		      "config: each entry expanded: %s", err);
		strcpy(cfg.swappath, "[/local, relative]");
		CHECK(config_validate(&cfg, err, sizeof(err)) < 0 &&
			      strstr(err, "not an absolute path") != NULL,
		      "config: each entry absolute: %s", err);
		strcpy(cfg.swappath, "[/srv/%H, /srv/%H]");
		CHECK(config_validate(&cfg, err, sizeof(err)) < 0 &&
			      strstr(err, "twice") != NULL,
		      "config: a directory twice: %s", err);
		strcpy(cfg.swappath, "[/a, /b");
		CHECK(config_validate(&cfg, err, sizeof(err)) < 0 &&
			      strstr(err, "swappath") != NULL,
		      "config: an unclosed list: %s", err);
	}
	T_END();
}
