/* regress: inputs found by fuzzing (and hostile inputs kept beside them),
 * replayed through the same harness the fuzzers run (fuzz/fuzz_*.c), so
 * a parser bug that was fixed stays fixed, under `make check`, ASan and
 * valgrind alike.
 *
 * tests/unit/fixtures/regress/<target>-<want>-<what>: target is meminfo,
 * swaps, config, swaphdr, trace, sysfs, ctl or mountinfo (input layout as in
 * fuzz/fuzz_<target>.c);
 * want is "ok" (the parser accepts it), "bad" (rejects it; for swaps:
 * refuses the table or skips a line of it) or "any" (only
 * the harness properties: no crash, no sanitizer report).  The seed
 * corpus under fuzz/corpus/<target>/ is replayed too, for the properties.
 * Bugs the hostile tests found in the parsers' files get a case here as
 * well, so they are caught without root. */
#define GM_FUZZ_REGRESS 1

#include "../../fuzz/fuzz_config.c"
#include "../../fuzz/fuzz_ctl.c"
#include "../../fuzz/fuzz_meminfo.c"
#include "../../fuzz/fuzz_mountinfo.c"
#include "../../fuzz/fuzz_swaphdr.c"
#include "../../fuzz/fuzz_swaps.c"
#include "../../fuzz/fuzz_sysfs.c"
#include "../../fuzz/fuzz_trace.c"
#include "t.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REGRESS_DIR "tests/unit/fixtures/regress"
#define CORPUS_DIR "fuzz/corpus"

static const char *const targets[] = {"meminfo", "swaps", "config",
				      "swaphdr", "trace", "sysfs", "ctl",
				      "mountinfo"};

static int run_harness(const char *target, const uint8_t *d, size_t n)
{
	if (strcmp(target, "meminfo") == 0)
		return fuzz_meminfo_one(d, n);
	if (strcmp(target, "swaps") == 0)
		return fuzz_swaps_one(d, n);
	if (strcmp(target, "config") == 0)
		return fuzz_config_one(d, n);
	if (strcmp(target, "trace") == 0)
		return fuzz_trace_one(d, n);
	if (strcmp(target, "sysfs") == 0)
		return fuzz_sysfs_one(d, n);
	if (strcmp(target, "ctl") == 0)
		return fuzz_ctl_one(d, n);
	if (strcmp(target, "mountinfo") == 0)
		return fuzz_mountinfo_one(d, n);
	return fuzz_swaphdr_one(d, n);
}

/* Does the target's parser accept the input?  1 yes, 0 no. */
static int accepted(const char *target, const uint8_t *d, size_t n)
{
	if (strcmp(target, "meminfo") == 0) {
		struct meminfo mi;

		return meminfo_parse_buf(&mi, (const char *)d, n) == 0;
	}
	/* swaps: one unreadable line is skipped, not the whole table;
	 * "bad" means some line was not taken. */
	if (strcmp(target, "swaps") == 0)
		return swaps_parse_buf(&fuzz_tab, (const char *)d, n) == 0 &&
		       fuzz_tab.skipped == 0;
	/* sysfs: mm_stat accepted, overcommit a mode, resume a target. */
	if (strcmp(target, "sysfs") == 0) {
		if (n < 1)
			return 0;
		if (d[0] % 3 == 0) {
			struct zram_stat z;

			return zram_parse_mm_stat((const char *)d + 1, n - 1,
						  &z) == 0;
		}
		if (d[0] % 3 == 1)
			return overcommit_parse((const char *)d + 1, n - 1) >= 0;
		return 1;
	}
	if (strcmp(target, "ctl") == 0) {
		struct ctlp_req req;

		return ctlp_parse((const char *)d, n, &req) == CTLP_OK;
	}
	/* mountinfo: "bad" means the path's mount is not found (its
	 * line is refused). */
	if (strcmp(target, "mountinfo") == 0) {
		const uint8_t *nl = memchr(d, '\n', n);
		char path[256];
		struct mount_entry e;
		size_t pl = nl ? (size_t)(nl - d) : 0;

		if (nl == NULL || pl >= sizeof(path))
			return 0;
		memcpy(path, d, pl);
		path[pl] = '\0';
		return mountinfo_find((const char *)nl + 1, n - pl - 1, path,
				      false, 0, 0, &e, NULL) == 0 &&
		       strcmp(e.mount_point, "/") != 0;
	}
	if (strcmp(target, "trace") == 0) {
		struct trace tr;
		char err[256];
		int rc = trace_parse(&tr, (const char *)d, n, err, sizeof(err));

		trace_free(&tr);
		return rc == 0;
	}
	if (strcmp(target, "config") == 0) {
		struct config cfg;
		char err[512];
		size_t i, file_len = n;

		for (i = 0; i + 1 < n; i++)
			if (d[i] == '\0' && d[i + 1] == '\0') {
				file_len = i;
				break;
			}
		config_defaults(&cfg);
		return config_parse_buf(&cfg, (const char *)d, file_len,
					"regress.conf", err, sizeof(err)) == 0;
	} else {
		size_t page_size, i;
		uint64_t file_size = 0;
		uint8_t *page;
		int rc;

		if (n < 9)
			return 0;
		page_size = d[0] < 0x80 ? (size_t)1 << (d[0] % 21)
				       : (size_t)((d[0] & 0x7f) + 1) * 1021;
		for (i = 0; i < 8; i++)
			file_size |= (uint64_t)d[1 + i] << (8 * i);
		page = calloc(1, page_size);
		if (page == NULL)
			return 0;
		memcpy(page, d + 9, n - 9 < page_size ? n - 9 : page_size);
		rc = swaphdr_check(page, page_size, file_size);
		free(page);
		return rc == 0;
	}
}

static const char *target_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		size_t n = strlen(targets[i]);

		if (strncmp(name, targets[i], n) == 0 && name[n] == '-')
			return targets[i];
	}
	return NULL;
}

static int only_regular(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

/* Replays every file of dir; target NULL: taken from each file name. */
static int replay_dir(const char *dir, const char *target)
{
	struct dirent **list;
	int i, n, count = 0;

	n = scandir(dir, &list, only_regular, alphasort);
	if (n < 0) {
		CHECK(0, "cannot list %s: %s (run from the top directory)",
		      dir, strerror(errno));
		return 0;
	}
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		const char *t = target ? target : target_of(name);
		char path[600];
		uint8_t *d;
		size_t len = 0;
		int before = fuzz_failures;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (t == NULL) {
			CHECK(0, "%s: name must start with meminfo-, swaps-, "
				 "config-, swaphdr-, trace- or mountinfo-", path);
			free(list[i]);
			continue;
		}
		d = (uint8_t *)slurp(path, &len);
		CHECK(d != NULL, "cannot read %s", path);
		if (d != NULL) {
			const char *want = name + strlen(t) + 1;

			run_harness(t, d, len);
			CHECK(fuzz_failures == before,
			      "%s: a fuzz property broke (above)", path);
			if (target == NULL && strncmp(want, "ok-", 3) == 0)
				CHECK(accepted(t, d, len),
				      "%s: the parser should accept it", path);
			else if (target == NULL && strncmp(want, "bad-", 4) == 0)
				CHECK(!accepted(t, d, len),
				      "%s: the parser should refuse it", path);
			else if (target == NULL)
				CHECK(strncmp(want, "any-", 4) == 0,
				      "%s: want ok-, bad- or any- after the "
				      "target", path);
			free(d);
			count++;
		}
		free(list[i]);
	}
	free(list);
	return count;
}

/* Bugs found by the hostile tests, kept here too (no root needed). */
static void test_config_load_fifo(void)
{
	char dir[] = "/tmp/gm-regress.XXXXXX", path[64], err[512] = "";
	struct config cfg;
	int rc;

	if (mkdtemp(dir) == NULL) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/conf", dir);
	CHECK(mkfifo(path, 0600) == 0, "mkfifo %s: %s", path, strerror(errno));
	/* Fixed in 5acb3a7: config_load blocked on a FIFO for ever.  A
	 * hang becomes a crash here rather than a stuck make check. */
	alarm(10);
	config_defaults(&cfg);
	rc = config_load(&cfg, path, true, err, sizeof(err));
	alarm(0);
	CHECK(rc == -1 && strstr(err, "not a regular file") != NULL,
	      "config_load on a FIFO: rc %d, \"%s\"", rc, err);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	char dir[256];
	size_t i;
	int n;

	n = replay_dir(REGRESS_DIR, NULL);
	CHECK(n > 0, "no regression inputs in %s", REGRESS_DIR);
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", CORPUS_DIR, targets[i]);
		n = replay_dir(dir, targets[i]);
		CHECK(n > 0, "no seed inputs in %s", dir);
	}
	test_config_load_fifo();
	T_END();
}
