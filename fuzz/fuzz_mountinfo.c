/* libFuzzer target: /proc/self/mountinfo parsing (mountinfo_find,
 * mountinfo_parse_line).  Input: the path to look up on the first line,
 * the mountinfo text after it.  Properties: 0, -ENOENT or -EINVAL
 * (only for a path that is not absolute); skipped never more than the
 * lines given; a found entry's strings are NUL-terminated inside their
 * fields, its mount point is absolute and holds the path, and it parses
 * again to the same entry once printed back the way the kernel prints
 * it (octal escapes of space, tab, newline and backslash). */
#include "fuzz.h"
#include "mountinfo.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static char fuzz_mi_path[4096];
static char fuzz_mi_line[8192];

static size_t mi_escape(char *out, const char *s)
{
	size_t o = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			o += (size_t)sprintf(out + o, "\\%03o",
					     (unsigned char)*s);
		else
			out[o++] = *s;
	}
	return o;
}

static bool mi_holds(const char *mp, const char *path)
{
	size_t n = strlen(mp);

	return strcmp(mp, "/") == 0 ||
	       (strncmp(mp, path, n) == 0 &&
		(path[n] == '\0' || path[n] == '/'));
}

static int fuzz_mountinfo_one(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - data) : size, rest, lines = 0, k, o;
	struct mount_entry e, again;
	int rc, skipped = -1;

	if (plen >= sizeof(fuzz_mi_path) || memchr(data, '\0', plen))
		return 0;
	memcpy(fuzz_mi_path, data, plen);
	fuzz_mi_path[plen] = '\0';
	rest = nl ? size - plen - 1 : 0;
	for (k = 0; k < rest; k++)
		lines += nl[1 + k] == '\n';
	rc = mountinfo_find(nl ? (const char *)nl + 1 : "", rest, fuzz_mi_path,
			    plen > 0 && data[0] == '/' && plen % 2, 0, plen % 7,
			    &e, &skipped);
	FUZZ_ASSERT(rc == 0 || rc == -ENOENT || rc == -EINVAL);
	FUZZ_ASSERT((rc == -EINVAL) == (fuzz_mi_path[0] != '/'));
	if (rc == -EINVAL)
		return 0;
	FUZZ_ASSERT(skipped >= 0 && (size_t)skipped <= lines + 1);
	if (rc != 0)
		return 0;
	FUZZ_ASSERT(memchr(e.mount_point, '\0', sizeof(e.mount_point)));
	FUZZ_ASSERT(memchr(e.root, '\0', sizeof(e.root)));
	FUZZ_ASSERT(memchr(e.fstype, '\0', sizeof(e.fstype)));
	FUZZ_ASSERT(memchr(e.source, '\0', sizeof(e.source)));
	FUZZ_ASSERT(memchr(e.sec, '\0', sizeof(e.sec)));
	FUZZ_ASSERT(memchr(e.proto, '\0', sizeof(e.proto)));
	FUZZ_ASSERT(e.mount_point[0] == '/');
	FUZZ_ASSERT(mi_holds(e.mount_point, fuzz_mi_path));
	FUZZ_ASSERT(e.vers_major >= -1 && e.vers_major <= 99);

	/* Printed back as the kernel would (no options but these), it
	 * parses to the same entry. */
	if (e.root[0] == '\0' || e.fstype[0] == '\0' || e.source[0] == '\0')
		return 0;
	o = (size_t)sprintf(fuzz_mi_line, "1 0 %u:%u ", e.dev_major,
			    e.dev_minor);
	o += mi_escape(fuzz_mi_line + o, e.root);
	fuzz_mi_line[o++] = ' ';
	o += mi_escape(fuzz_mi_line + o, e.mount_point);
	o += (size_t)sprintf(fuzz_mi_line + o, " rw - ");
	o += mi_escape(fuzz_mi_line + o, e.fstype);
	fuzz_mi_line[o++] = ' ';
	o += mi_escape(fuzz_mi_line + o, e.source);
	o += (size_t)sprintf(fuzz_mi_line + o, " rw%s%s%s", e.soft ? ",soft" : "",
			     e.softerr ? ",softerr" : "",
			     e.hard ? ",hard" : "");
	if (e.lock == MOUNT_LOCK_LOCAL)
		o += (size_t)sprintf(fuzz_mi_line + o, ",local_lock=all");
	rc = mountinfo_parse_line(fuzz_mi_line, o, &again);
	FUZZ_ASSERT(rc == 0);
	if (rc != 0)
		return 0;
	FUZZ_ASSERT(strcmp(again.mount_point, e.mount_point) == 0);
	FUZZ_ASSERT(strcmp(again.root, e.root) == 0);
	FUZZ_ASSERT(strcmp(again.fstype, e.fstype) == 0);
	FUZZ_ASSERT(strcmp(again.source, e.source) == 0);
	FUZZ_ASSERT(again.dev_major == e.dev_major &&
		    again.dev_minor == e.dev_minor);
	FUZZ_ASSERT(again.soft == e.soft && again.softerr == e.softerr &&
		    again.hard == e.hard && again.lock == e.lock);
	return 0;
}

#ifndef GM_FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_mountinfo_one(data, size);
}
#endif
