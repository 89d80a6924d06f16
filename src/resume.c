/* The hibernation resume target (resume.h). */
#include "resume.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* "MAJ:MIN" (trailing newline allowed) -> true with the two numbers. */
static bool parse_majmin(const char *s, size_t n, unsigned *maj,
			 unsigned *min)
{
	const char *colon;
	uint64_t a, b;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	colon = memchr(s, ':', n);
	if (!colon || !gm_parse_dec(s, (size_t)(colon - s), 4095, &a) ||
	    !gm_parse_dec(colon + 1, n - (size_t)(colon - s) - 1, 1048575, &b))
		return false;
	*maj = (unsigned)a;
	*min = (unsigned)b;
	return true;
}

static bool parse_u64(const char *s, size_t n, uint64_t *v)
{
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	return gm_parse_dec(s, n, UINT64_MAX >> 13, v);
}

/* The value of word key= on the command line: its start and length. */
static bool cmdline_value(const char *c, size_t n, const char *key,
			  const char **v, size_t *vlen)
{
	size_t k = strlen(key), i = 0;

	while (i < n) {
		size_t j = i;

		/* A NUL ends a word too: the buffer may not be the
		 * kernel's. */
		while (j < n && c[j] != ' ' && c[j] != '\n' && c[j] != '\t' &&
		       c[j] != '\0')
			j++;
		if (j - i > k && memcmp(c + i, key, k) == 0) {
			*v = c + i + k;
			*vlen = j - i - k; /* the last one wins, as the kernel's */
		}
		i = j + 1;
	}
	return *v != NULL;
}

void resume_parse(const char *sys_dev, size_t dev_len, const char *sys_off,
		  size_t off_len, const char *cmdline, size_t cmd_len,
		  struct resume_target *t)
{
	const char *v = NULL;
	size_t vlen = 0;

	memset(t, 0, sizeof(*t));
	if (sys_dev && parse_majmin(sys_dev, dev_len, &t->major, &t->minor) &&
	    (t->major || t->minor)) {
		t->set = t->have_dev = true;
		if (!sys_off || !parse_u64(sys_off, off_len, &t->offset_pages))
			t->offset_pages = 0;
		return;
	}
	t->major = t->minor = 0;
	if (!cmdline || !cmdline_value(cmdline, cmd_len, "resume=", &v, &vlen) ||
	    vlen == 0)
		return;
	t->set = true;
	if (parse_majmin(v, vlen, &t->major, &t->minor)) {
		t->have_dev = true;
	} else if (vlen < sizeof(t->name)) {
		memcpy(t->name, v, vlen);
		t->name[vlen] = '\0';
	} else {
		t->set = false; /* no device name is that long */
		return;
	}
	v = NULL;
	if (cmdline_value(cmdline, cmd_len, "resume_offset=", &v, &vlen) &&
	    !parse_u64(v, vlen, &t->offset_pages))
		t->offset_pages = 0;
}

bool resume_is_target(const struct resume_target *t, unsigned major,
		      unsigned minor, bool phys_known, uint64_t phys_pages)
{
	if (!t->set || !t->have_dev || t->major != major || t->minor != minor)
		return false;
	/* Offset 0 means the whole device (a partition), not a file. */
	if (t->offset_pages == 0)
		return false;
	return !phys_known || phys_pages == t->offset_pages;
}

/* A name of resume= as a device node path under root. */
static bool name_to_path(const char *root, const char *name, char *out,
			 size_t cap)
{
	static const struct {
		const char *key, *dir;
	} by[] = {{"UUID=", "/dev/disk/by-uuid/"},
		  {"PARTUUID=", "/dev/disk/by-partuuid/"},
		  {"LABEL=", "/dev/disk/by-label/"}};
	size_t i;
	int n;

	for (i = 0; i < sizeof(by) / sizeof(by[0]); i++) {
		size_t k = strlen(by[i].key);

		if (strncmp(name, by[i].key, k) == 0) {
			if (strchr(name + k, '/'))
				return false;
			n = snprintf(out, cap, "%s%s%s", root, by[i].dir,
				     name + k);
			return n > 0 && (size_t)n < cap;
		}
	}
	if (strncmp(name, "/dev/", 5) != 0 || strstr(name, ".."))
		return false;
	n = snprintf(out, cap, "%s%s", root, name);
	return n > 0 && (size_t)n < cap;
}

int resume_read(const char *root, struct resume_target *t)
{
	char dev[64], off[64], cmd[4096], path[512];
	size_t dl = 0, ol = 0, cl = 0;
	bool have_dev, have_off, have_cmd;
	struct stat st;

	snprintf(path, sizeof(path), "%s/sys/power/resume", root);
	have_dev = gm_read_file(path, dev, sizeof(dev), &dl, true) == 0;
	snprintf(path, sizeof(path), "%s/sys/power/resume_offset", root);
	have_off = gm_read_file(path, off, sizeof(off), &ol, true) == 0;
	snprintf(path, sizeof(path), "%s/proc/cmdline", root);
	have_cmd = gm_read_file(path, cmd, sizeof(cmd), &cl, true) == 0;
	resume_parse(have_dev ? dev : NULL, dl, have_off ? off : NULL, ol,
		     have_cmd ? cmd : NULL, cl, t);
	if (t->set && !t->have_dev) {
		/* A name: the device node it stands for. */
		if (name_to_path(root, t->name, path, sizeof(path)) &&
		    stat(path, &st) == 0 && S_ISBLK(st.st_mode)) {
			t->major = major(st.st_rdev);
			t->minor = minor(st.st_rdev);
			t->have_dev = true;
		}
	}
	return have_dev || have_cmd ? 0 : -ENOENT;
}

bool resume_fd_is_target(const struct resume_target *t, int fd)
{
	/* struct fiemap ends in a flexible array: room for one extent. */
	uint64_t space[(sizeof(struct fiemap) + sizeof(struct fiemap_extent)) /
			       sizeof(uint64_t) + 1];
	struct fiemap *fm = (struct fiemap *)(void *)space;
	struct stat st;
	long page = sysconf(_SC_PAGESIZE);
	bool known = false;
	uint64_t pages = 0;

	if (!t->set || fstat(fd, &st) < 0)
		return false;
	memset(space, 0, sizeof(space));
	fm->fm_start = 0;
	fm->fm_length = (uint64_t)(page > 0 ? page : 4096);
	fm->fm_extent_count = 1;
	if (ioctl(fd, FS_IOC_FIEMAP, fm) == 0 && fm->fm_mapped_extents == 1 &&
	    fm->fm_extents[0].fe_logical == 0 && page > 0) {
		known = true;
		pages = fm->fm_extents[0].fe_physical / (uint64_t)page;
	}
	return resume_is_target(t, major(st.st_dev), minor(st.st_dev), known,
				pages);
}
