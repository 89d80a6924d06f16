/* The fixture that test_swapfile, test_swapdir and test_swapvalid share:
 * a temporary directory on a filesystem that can hold swap files (base),
 * the page size, whether we are root, and small helpers around them.
 * Include after t.h. */
#ifndef GM_T_SWAP_H
#define GM_T_SWAP_H

#include "swapfile.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define MIB_B (1024ULL * 1024)

static char base[256]; /* our temporary directory */
static size_t ps;
static int is_root;

static inline int exists(const char *dir, const char *name)
{
	char p[600];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return lstat(p, &st) == 0;
}

static inline struct swapdir open_dir(const char *path)
{
	struct swapdir d;
	struct statfs sfs;

	memset(&d, 0, sizeof(d));
	snprintf(d.path, sizeof(d.path), "%s", path);
	d.fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d.lock_fd = -1;
	d.fs_type = fstatfs(d.fd, &sfs) == 0 ? (unsigned long)sfs.f_type : 0;
	return d;
}

static inline void slot_path(const struct swapdir *d, int slot, char *out,
		      size_t len)
{
	snprintf(out, len, "%s/%d", d->path, slot);
}

/* A directory for the test on a filesystem that can hold swap files
 * (/tmp may be tmpfs). */
static inline int make_base(void)
{
	static const char *const cand[] = {"/var/tmp", "/tmp", "."};
	struct statfs sfs;
	size_t i;

	for (i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (statfs(cand[i], &sfs) < 0 ||
		    swapfs_refusal((unsigned long)sfs.f_type) != NULL)
			continue;
		snprintf(base, sizeof(base), "%s/gm-swapfile-XXXXXX",
			 cand[i]);
		if (mkdtemp(base) != NULL)
			return 0;
	}
	return -1;
}

/* swap_fixture_begin: page size, root or not, umask 022 and base; -1
 * (a failed check) when no filesystem here can hold swap files. */
static inline int swap_fixture_begin(void)
{
	long sc = sysconf(_SC_PAGESIZE);

	ps = sc > 0 ? (size_t)sc : 4096;
	is_root = geteuid() == 0;
	umask(022);
	if (make_base() < 0) {
		CHECK(0, "no directory on a filesystem that holds swap files "
			 "(/var/tmp, /tmp, .)");
		return -1;
	}
	return 0;
}

#endif
