/* /proc/self/mountinfo, parsed from a buffer (proc(5)):
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   id parent maj:min root mount-point mount-options [optional...] - fstype source super-options
 *
 * Paths (root, mount point, source) have space, tab, newline and
 * backslash escaped as \ooo.  NFS prints its mount options (vers=, soft,
 * sec=, local_lock=, proto=, ...) among the super options.  The file is
 * hostile input like any /proc text: a line that cannot be read is
 * skipped, never trusted in part. */
#include "mountinfo.h"

#include "util.h"

#include <errno.h>
#include <string.h>

struct span {
	const char *s;
	size_t len;
};

bool mount_is_nfs(const char *fstype)
{
	return strcmp(fstype, "nfs") == 0 || strcmp(fstype, "nfs4") == 0;
}

/* The next space-separated field of [*p, end), or false at the end. */
static bool next_field(const char **p, const char *end, struct span *f)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (s == end)
		return false;
	f->s = s;
	while (s < end && *s != ' ')
		s++;
	f->len = (size_t)(s - f->s);
	*p = s;
	return true;
}

static bool span_is(const struct span *f, const char *lit)
{
	return f->len == strlen(lit) && memcmp(f->s, lit, f->len) == 0;
}

/* Unescape into out (cap bytes); a value that does not fit is refused
 * rather than cut: a cut mount point could match a path it does not
 * hold. */
static int copy_field(const struct span *f, char *out, size_t cap)
{
	size_t full;

	if (gm_unescape_octal(f->s, f->len, out, cap, &full) < 0 ||
	    full >= cap)
		return -EINVAL;
	return 0;
}

static int parse_dev(const struct span *f, unsigned *maj, unsigned *min)
{
	const char *colon = memchr(f->s, ':', f->len);
	uint64_t a, b;

	if (colon == NULL ||
	    !gm_parse_dec(f->s, (size_t)(colon - f->s), 0xffffffffu, &a) ||
	    !gm_parse_dec(colon + 1, f->len - (size_t)(colon - f->s) - 1,
			  0xffffffffu, &b))
		return -EINVAL;
	*maj = (unsigned)a;
	*min = (unsigned)b;
	return 0;
}

/* "4.2", "4", "3": major[.minor], small numbers only. */
static void parse_vers(const char *v, size_t n, struct mount_entry *e)
{
	const char *dot = memchr(v, '.', n);
	size_t lead = dot ? (size_t)(dot - v) : n;
	uint64_t a, b = 0;

	if (!gm_parse_dec(v, lead, 99, &a))
		return;
	if (dot && !gm_parse_dec(dot + 1, n - lead - 1, 99, &b))
		return;
	e->vers_major = (int)a;
	e->vers_minor = (int)b;
}

static void copy_value(char *out, size_t cap, const char *v, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(out, v, n);
	out[n] = '\0';
}

/* One option of the super options. */
static void take_option(const char *o, size_t n, struct mount_entry *e)
{
	const char *eq = memchr(o, '=', n);
	size_t klen = eq ? (size_t)(eq - o) : n;
	const char *v = eq ? eq + 1 : "";
	size_t vlen = eq ? n - klen - 1 : 0;

#define KEY_IS(lit) (klen == sizeof(lit) - 1 && memcmp(o, lit, klen) == 0)
	if (!eq && KEY_IS("soft"))
		e->soft = true;
	else if (!eq && KEY_IS("softerr"))
		e->softerr = true;
	else if (!eq && KEY_IS("hard"))
		e->hard = true;
	else if (!eq && KEY_IS("nolock"))
		e->lock = MOUNT_LOCK_LOCAL;
	else if (eq && (KEY_IS("vers") || KEY_IS("nfsvers")))
		parse_vers(v, vlen, e);
	else if (eq && KEY_IS("sec"))
		copy_value(e->sec, sizeof(e->sec), v, vlen);
	else if (eq && KEY_IS("proto"))
		copy_value(e->proto, sizeof(e->proto), v, vlen);
	else if (eq && KEY_IS("local_lock"))
		e->lock = vlen == 4 && memcmp(v, "none", 4) == 0
				  ? MOUNT_LOCK_SERVER
				  : MOUNT_LOCK_LOCAL;
#undef KEY_IS
}

static void parse_options(const struct span *f, struct mount_entry *e)
{
	const char *p = f->s, *end = f->s + f->len;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;

		take_option(p, (size_t)(stop - p), e);
		p = stop + 1;
	}
}

int mountinfo_parse_line(const char *line, size_t len, struct mount_entry *e)
{
	const char *p = line, *end = line + len;
	struct span f[6], sep, fstype, source, super;
	int i;

	memset(e, 0, sizeof(*e));
	e->vers_major = e->vers_minor = -1;
	if (memchr(line, '\0', len) != NULL)
		return -EINVAL;
	/* id, parent, maj:min, root, mount point, mount options. */
	for (i = 0; i < 6; i++)
		if (!next_field(&p, end, &f[i]))
			return -EINVAL;
	/* Optional fields ("shared:1", "master:2", ...) up to "-". */
	do {
		if (!next_field(&p, end, &sep))
			return -EINVAL;
	} while (!span_is(&sep, "-"));
	if (!next_field(&p, end, &fstype) || !next_field(&p, end, &source))
		return -EINVAL;
	/* Super options may be missing on old kernels. */
	if (!next_field(&p, end, &super)) {
		super.s = end;
		super.len = 0;
	}
	if (parse_dev(&f[2], &e->dev_major, &e->dev_minor) < 0 ||
	    copy_field(&f[3], e->root, sizeof(e->root)) < 0 ||
	    copy_field(&f[4], e->mount_point, sizeof(e->mount_point)) < 0 ||
	    e->mount_point[0] != '/' ||
	    copy_field(&fstype, e->fstype, sizeof(e->fstype)) < 0 ||
	    copy_field(&source, e->source, sizeof(e->source)) < 0) {
		memset(e, 0, sizeof(*e));
		e->vers_major = e->vers_minor = -1;
		return -EINVAL;
	}
	if (super.len)
		parse_options(&super, e);
	return 0;
}

/* Is mount point mp path itself or one of its parents? */
static size_t holds(const char *mp, const char *path)
{
	size_t n = strlen(mp);

	if (strcmp(mp, "/") == 0)
		return 1;
	if (strncmp(mp, path, n) != 0 || (path[n] != '\0' && path[n] != '/'))
		return 0;
	return n;
}

int mountinfo_find(const char *buf, size_t len, const char *path,
		   bool want_dev, unsigned dev_major, unsigned dev_minor,
		   struct mount_entry *e, int *skipped)
{
	struct mount_entry cur;
	size_t off = 0, best = 0, n;
	bool best_dev = false, dev_ok;
	int bad = 0;

	if (path == NULL || path[0] != '/')
		return -EINVAL;
	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - buf) : len;

		if (end > off) {
			if (mountinfo_parse_line(buf + off, end - off, &cur) <
			    0) {
				bad++;
			} else if ((n = holds(cur.mount_point, path)) > 0) {
				dev_ok = !want_dev ||
					 (cur.dev_major == dev_major &&
					  cur.dev_minor == dev_minor);
				/* A device match beats any length; then the
				 * longest; then the later line. */
				if ((dev_ok && !best_dev) ||
				    (dev_ok == best_dev && n >= best)) {
					*e = cur;
					best = n;
					best_dev = dev_ok;
				}
			}
		}
		off = end + 1;
	}
	if (skipped)
		*skipped = bad;
	return best > 0 ? 0 : -ENOENT;
}
