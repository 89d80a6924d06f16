/* Other swap managers (managers.h). */
#include "managers.h"

#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
	const char *name;
	bool grows;
	const char *comm[3];     /* process names */
	const char *area[3];     /* area path prefixes in /proc/swaps */
	const char *service[4];  /* unit, init script or generator names */
} mgr[MGR_N] = {
	[MGR_SWAPSPACE] = {"swapspace", true, {"swapspace"},
			   {"/var/lib/swapspace/"},
			   {"swapspace.service", "swapspace"}},
	[MGR_DPHYS] = {"dphys-swapfile", false, {"dphys-swapfile"},
		       {"/var/swap"},
		       {"dphys-swapfile.service", "dphys-swapfile"}},
	[MGR_SYSTEMD_SWAP] = {"systemd-swap", true, {"systemd-swap"},
			      {"/var/lib/systemd-swap/", "/run/systemd/swap/"},
			      {"systemd-swap.service", "systemd-swap"}},
	[MGR_ZRAM] = {"zram", false, {"zramswap", "zram-generator"},
		      {"/dev/zram"},
		      {"zramswap.service", "zramswap", "zram-generator",
		       "zram-generator.conf"}},
};

const char *manager_name(enum manager m)
{
	return m >= 0 && m < MGR_N ? mgr[m].name : "?";
}

bool manager_grows(enum manager m)
{
	return m >= 0 && m < MGR_N && mgr[m].grows;
}

void managers_note_comm(struct manager_found f[MGR_N], const char *comm)
{
	int m, i;

	for (m = 0; m < MGR_N; m++)
		for (i = 0; i < 3 && mgr[m].comm[i]; i++)
			if (strcmp(comm, mgr[m].comm[i]) == 0)
				f[m].running = true;
}

void managers_note_area(struct manager_found f[MGR_N], const char *path)
{
	int m, i;

	for (m = 0; m < MGR_N; m++)
		for (i = 0; i < 3 && mgr[m].area[i]; i++) {
			size_t n = strlen(mgr[m].area[i]);
			/* /var/swap is one file: the whole name must match */
			bool whole = mgr[m].area[i][n - 1] != '/' &&
				     strcmp(mgr[m].area[i], "/dev/zram") != 0;

			if (strncmp(path, mgr[m].area[i], n) == 0 &&
			    (!whole || path[n] == '\0')) {
				f[m].areas++;
				break;
			}
		}
}

void managers_note_enabled(struct manager_found f[MGR_N], const char *path)
{
	const char *base = strrchr(path, '/');
	int m, i;

	base = base ? base + 1 : path;
	/* /etc/rcN.d/S01name: the name after the S and the order. */
	if (strstr(path, "/rc") && strstr(path, ".d/") && base[0] == 'S') {
		base++;
		while (*base >= '0' && *base <= '9')
			base++;
	}
	for (m = 0; m < MGR_N; m++)
		for (i = 0; i < 4 && mgr[m].service[i]; i++)
			if (strcmp(base, mgr[m].service[i]) == 0)
				f[m].enabled = true;
}

/* Every entry of root/dir, noted as an enabled service. */
static void scan_dir(const char *root, const char *dir,
		     struct manager_found f[MGR_N])
{
	char path[600];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s", root, dir);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		managers_note_enabled(f, path);
	}
	closedir(d);
}

void managers_scan(const char *root, const struct swaps_table *t,
		   struct manager_found f[MGR_N])
{
	static const char *const dirs[] = {
		"/etc/systemd/system/multi-user.target.wants",
		"/etc/systemd/system/swap.target.wants",
		"/etc/systemd/system/sysinit.target.wants",
		"/etc/rc2.d",
		"/etc/rcS.d",
	};
	static const char *const files[] = {
		/* systemd's zram-generator acts when it has a config */
		"/etc/systemd/zram-generator.conf",
		"/usr/lib/systemd/zram-generator.conf",
	};
	char path[600], comm[64];
	struct dirent *de;
	struct stat st;
	size_t i;
	DIR *d;

	memset(f, 0, sizeof(*f) * MGR_N);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		scan_dir(root, dirs[i], f);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", root, files[i]);
		if (stat(path, &st) == 0)
			managers_note_enabled(f, files[i]);
	}
	for (i = 0; t && i < (size_t)t->count; i++)
		if (!t->e[i].deleted)
			managers_note_area(f, t->e[i].path);
	snprintf(path, sizeof(path), "%s/proc", root);
	d = opendir(path);
	while (d && (de = readdir(d)) != NULL) {
		size_t len = 0;
		uint64_t pid;

		if (!gm_parse_dec(de->d_name, strlen(de->d_name), 1u << 22,
				  &pid))
			continue;
		snprintf(path, sizeof(path), "%s/proc/%s/comm", root,
			 de->d_name);
		if (gm_read_file(path, comm, sizeof(comm) - 1, &len, true) < 0)
			continue;
		while (len > 0 && comm[len - 1] == '\n')
			len--;
		comm[len] = '\0';
		managers_note_comm(f, comm);
	}
	if (d)
		closedir(d);
}

size_t managers_describe(const struct manager_found f[MGR_N], enum manager m,
			 char *buf, size_t cap)
{
	const struct manager_found *x = &f[m];
	int n;

	if (m < 0 || m >= MGR_N || (!x->running && !x->areas && !x->enabled))
		return 0;
	n = snprintf(buf, cap, "found %s (%s, %d swap area%s, %s): "
		     "ghostmemory leaves its areas alone%s",
		     mgr[m].name, x->running ? "running" : "not running",
		     x->areas, x->areas == 1 ? "" : "s",
		     x->enabled ? "enabled at boot" : "not enabled",
		     mgr[m].grows ? "; both growing swap will fight: disable "
				    "one of them (ghostmemory(8), OTHER SWAP "
				    "ON THE MACHINE)"
				  : "");
	return n < 0 ? 0 : (size_t)n;
}
