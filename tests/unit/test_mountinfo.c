/* mountinfo: /proc/self/mountinfo parsed from fixtures (NFSv3, NFSv4.2,
 * soft, softerr, sec=krb5p, nolock, bind mounts, escaped and shadowed
 * mount points, hostile lines): which mount holds a path, its type and
 * the options swap on NFS depends on. */
#include "mountinfo.h"
#include "t.h"

#include <errno.h>
#include <string.h>

#define FIXDIR "tests/unit/fixtures/mountinfo/"

struct want {
	const char *fixture;
	const char *path;
	bool use_dev;
	unsigned maj, min;
	int rc;
	const char *mount_point, *fstype, *source, *root;
	int vmaj, vmin;
	bool soft, softerr, hard;
	const char *sec;
	enum mount_lock lock;
	const char *proto;
	int skipped;
};

static const struct want cases[] = {
	{"nfs4-vers42.txt", "/var/lib/ghostmemory", false, 0, 0, 0,
	 "/var/lib/ghostmemory", "nfs4", "10.0.2.1:/swap", "/", 4, 2, false,
	 false, true, "sys", MOUNT_LOCK_SERVER, "tcp", 0},
	/* a file below the mount point is held by it */
	{"nfs4-vers42.txt", "/var/lib/ghostmemory/12", false, 0, 0, 0,
	 "/var/lib/ghostmemory", "nfs4", "10.0.2.1:/swap", "/", 4, 2, false,
	 false, true, "sys", MOUNT_LOCK_SERVER, "tcp", 0},
	/* a sibling with a common prefix is not */
	{"nfs4-vers42.txt", "/var/lib/ghostmemoryX", false, 0, 0, 0, "/var",
	 "ext4", "/dev/vda2", "/", -1, -1, false, false, false, "",
	 MOUNT_LOCK_SERVER, "", 0},
	{"nfs4-vers42.txt", "/etc", false, 0, 0, 0, "/", "ext4", "/dev/vda1",
	 "/", -1, -1, false, false, false, "", MOUNT_LOCK_SERVER, "", 0},
	{"nfs3.txt", "/var/lib/ghostmemory", false, 0, 0, 0,
	 "/var/lib/ghostmemory", "nfs", "10.0.2.1:/srv/swap", "/", 3, 0,
	 false, false, true, "sys", MOUNT_LOCK_SERVER, "tcp", 0},
	{"nfs3-soft.txt", "/var/lib/ghostmemory", false, 0, 0, 0,
	 "/var/lib/ghostmemory", "nfs", "10.0.2.1:/srv/swap", "/", 3, 0, true,
	 false, false, "sys", MOUNT_LOCK_SERVER, "udp", 0},
	{"nfs4-softerr.txt", "/var/lib/ghostmemory", false, 0, 0, 0,
	 "/var/lib/ghostmemory", "nfs4", "10.0.2.1:/swap", "/", 4, 1, false,
	 true, false, "sys", MOUNT_LOCK_SERVER, "tcp", 0},
	{"nfs4-krb5p.txt", "/var/lib/ghostmemory", false, 0, 0, 0,
	 "/var/lib/ghostmemory", "nfs4", "fs.example.org:/swap", "/", 4, 2,
	 false, false, true, "krb5p", MOUNT_LOCK_SERVER, "tcp6", 0},
	{"nfs3-nolock.txt", "/var/lib/ghostmemory", false, 0, 0, 0,
	 "/var/lib/ghostmemory", "nfs", "10.0.2.1:/srv/swap", "/", 3, 0,
	 false, false, true, "sys", MOUNT_LOCK_LOCAL, "tcp", 0},
	/* a subdirectory of the export bound onto the swap directory */
	{"bind.txt", "/var/lib/ghostmemory", false, 0, 0, 0,
	 "/var/lib/ghostmemory", "nfs4", "10.0.2.1:/", "/hosts/a", 4, 2,
	 false, false, true, "sys", MOUNT_LOCK_SERVER, "tcp", 0},
	/* a local directory bound below the NFS mount point */
	{"bind.txt", "/mnt/server/local/x", false, 0, 0, 0,
	 "/mnt/server/local", "ext4", "/dev/vda2", "/local", -1, -1, false,
	 false, false, "", MOUNT_LOCK_SERVER, "", 0},
	{"bind.txt", "/mnt/server/hosts/b", false, 0, 0, 0, "/mnt/server",
	 "nfs4", "10.0.2.1:/", "/", 4, 2, false, false, true, "sys",
	 MOUNT_LOCK_SERVER, "tcp", 0},
	/* the device decides where it is known: st_dev 0:48 of a path whose
	 * longest prefix is a mount hidden by an over-mount */
	{"bind.txt", "/mnt/server/local/x", true, 0, 48, 0, "/mnt/server",
	 "nfs4", "10.0.2.1:/", "/", 4, 2, false, false, true, "sys",
	 MOUNT_LOCK_SERVER, "tcp", 0},
	/* a device no entry has: the longest prefix, as without one */
	{"bind.txt", "/mnt/server/local/x", true, 9, 9, 0,
	 "/mnt/server/local", "ext4", "/dev/vda2", "/local", -1, -1, false,
	 false, false, "", MOUNT_LOCK_SERVER, "", 0},
	{"escaped.txt", "/srv/nfs swap/h1", false, 0, 0, 0, "/srv/nfs swap",
	 "nfs4", "10.0.2.1:/a b", "/", 4, 0, false, false, true, "sys",
	 MOUNT_LOCK_SERVER, "tcp", 0},
	{"escaped.txt", "/srv/nfs swap2", false, 0, 0, 0, "/srv/nfs swap2",
	 "nfs", "10.0.2.1:/x", "/", 3, 0, true, false, false, "sys",
	 MOUNT_LOCK_SERVER, "tcp", 0},
	/* two mounts on one point: the later one is what the path reaches */
	{"escaped.txt", "/srv/tab\tand\\slash", false, 0, 0, 0,
	 "/srv/tab\tand\\slash", "nfs4", "10.0.2.1:/t2", "/", 4, 2, false,
	 false, true, "krb5i", MOUNT_LOCK_SERVER, "tcp", 0},
	/* ... unless the device says it is the earlier one */
	{"escaped.txt", "/srv/tab\tand\\slash", true, 0, 52, 0,
	 "/srv/tab\tand\\slash", "nfs4", "10.0.2.1:/t", "/", 4, 1, false,
	 false, true, "sys", MOUNT_LOCK_LOCAL, "rdma", 0},
	/* hostile: every bad line skipped, the good one still found */
	{"hostile.txt", "/data/x", false, 0, 0, 0, "/data", "nfs4", "h:/",
	 "/", 4, 2, false, false, true, "", MOUNT_LOCK_SERVER, "", 7},
	{"hostile.txt", "/other", false, 0, 0, -ENOENT, NULL, NULL, NULL, NULL,
	 0, 0, false, false, false, NULL, MOUNT_LOCK_SERVER, NULL, 7},
	{"nfs3.txt", "relative/path", false, 0, 0, -EINVAL, NULL, NULL, NULL,
	 NULL, 0, 0, false, false, false, NULL, MOUNT_LOCK_SERVER, NULL, -1},
};

static void check_case(const struct want *w)
{
	char path[256];
	struct mount_entry e;
	size_t len = 0;
	char *buf;
	int rc, skipped = -1;

	snprintf(path, sizeof(path), FIXDIR "%s", w->fixture);
	buf = slurp(path, &len);
	CHECK(buf != NULL, "read %s (run from the top directory)", path);
	if (buf == NULL)
		return;
	rc = mountinfo_find(buf, len, w->path, w->use_dev, w->maj, w->min, &e,
			    &skipped);
	free(buf);
	CHECK(rc == w->rc, "%s %s: rc %d, want %d", w->fixture, w->path, rc,
	      w->rc);
	if (w->skipped >= 0)
		CHECK(skipped == w->skipped, "%s: skipped %d, want %d",
		      w->fixture, skipped, w->skipped);
	if (rc != 0 || w->rc != 0)
		return;
	CHECK_STR(e.mount_point, w->mount_point, w->path);
	CHECK_STR(e.fstype, w->fstype, w->path);
	CHECK_STR(e.source, w->source, w->path);
	CHECK_STR(e.root, w->root, w->path);
	CHECK(e.vers_major == w->vmaj && e.vers_minor == w->vmin,
	      "%s %s: vers %d.%d, want %d.%d", w->fixture, w->path,
	      e.vers_major, e.vers_minor, w->vmaj, w->vmin);
	CHECK(e.soft == w->soft && e.softerr == w->softerr &&
		      e.hard == w->hard,
	      "%s %s: soft %d softerr %d hard %d", w->fixture, w->path,
	      e.soft, e.softerr, e.hard);
	CHECK_STR(e.sec, w->sec, w->path);
	CHECK(e.lock == w->lock, "%s %s: lock %d, want %d", w->fixture,
	      w->path, (int)e.lock, (int)w->lock);
	CHECK_STR(e.proto, w->proto, w->path);
	CHECK(mount_is_nfs(e.fstype) == (w->vmaj >= 0 || w->soft),
	      "%s: mount_is_nfs(%s)", w->path, e.fstype);
}

/* One line at a time, hostile ones included. */
static void test_lines(void)
{
	static const struct {
		const char *line;
		int rc;
	} lines[] = {
		{"1 0 8:1 / / rw - ext4 /dev/sda1 rw", 0},
		{"1 0 8:1 / / rw - ext4 /dev/sda1", 0}, /* no super options */
		{"1 0 8:1 / / rw shared:1 master:2 propagate_from:3 unbindable "
		 "- ext4 /dev/sda1 rw",
		 0},
		{"1 0 8:1 / / rw - ext4", -EINVAL},
		{"1 0 8:1 / / rw ext4 /dev/sda1 rw", -EINVAL},
		{"1 0 81 / / rw - ext4 /dev/sda1 rw", -EINVAL},
		{"1 0 8:-1 / / rw - ext4 /dev/sda1 rw", -EINVAL},
		{"1 0 8:1 / /a\\\\b rw - ext4 /dev/sda1 rw", -EINVAL},
		{"1 0 8:1 / /a\\400 rw - ext4 /dev/sda1 rw", -EINVAL},
		{"1 0 8:1 / /a\\000 rw - ext4 /dev/sda1 rw", -EINVAL},
		{"1 0 8:1 / a rw - ext4 /dev/sda1 rw", -EINVAL},
		{"", -EINVAL},
		{"- - - - - - -", -EINVAL},
	};
	struct mount_entry e;
	char big[1200];
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		int rc = mountinfo_parse_line(lines[i].line,
					      strlen(lines[i].line), &e);

		CHECK(rc == lines[i].rc, "line \"%s\": rc %d, want %d",
		      lines[i].line, rc, lines[i].rc);
	}
	/* a mount point too long for the field is refused, not cut (a
	 * cut one could hold a path it does not) */
	snprintf(big, sizeof(big), "1 0 8:1 / /%0600d rw - ext4 /dev/x rw", 0);
	CHECK(mountinfo_parse_line(big, strlen(big), &e) == -EINVAL,
	      "a 601-byte mount point is refused");
	/* a raw NUL ends nothing: the line is refused */
	CHECK(mountinfo_parse_line("1 0 8:1 / /a\0b rw - ext4 x rw", 28, &e) ==
		      -EINVAL,
	      "a raw NUL is refused");
	/* odd vers values leave vers unknown */
	{
		const char *l = "1 0 0:9 / /n rw - nfs h:/ rw,vers=4.x,hard";

		CHECK(mountinfo_parse_line(l, strlen(l), &e) == 0 &&
			      e.vers_major == -1,
		      "vers=4.x: unknown");
		l = "1 0 0:9 / /n rw - nfs h:/ rw,nfsvers=3,local_lock=flock,sec=krb5";
		CHECK(mountinfo_parse_line(l, strlen(l), &e) == 0 &&
			      e.vers_major == 3 && e.vers_minor == 0 &&
			      e.lock == MOUNT_LOCK_LOCAL &&
			      strcmp(e.sec, "krb5") == 0,
		      "nfsvers=3, local_lock=flock, sec=krb5");
	}
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
	test_lines();
	T_END();
}
