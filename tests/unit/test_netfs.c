/* netfs: the rules for swap on NFS, from the mountinfo fixtures: soft
 * and softerr refused (exit 16), sec=krb5* refused (17), nolock and
 * local_lock= warned about, NFSv4.2 recognised for fallocate, a local
 * filesystem not judged at all; and the root-squash probe's verdict
 * (18) from each way a probe can end. */
#include "config.h"
#include "mountinfo.h"
#include "netfs.h"
#include "t.h"

#include <errno.h>
#include <string.h>

#define FIXDIR "tests/unit/fixtures/mountinfo/"
#define DIR "/var/lib/ghostmemory"

static int judge_fixture(const char *fixture, struct netfs_verdict *v,
			 char *msg, size_t msglen)
{
	char path[256];
	struct mount_entry m;
	size_t len = 0;
	char *buf;
	int rc;

	snprintf(path, sizeof(path), FIXDIR "%s", fixture);
	buf = slurp(path, &len);
	CHECK(buf != NULL, "read %s", path);
	if (buf == NULL)
		return -1;
	rc = mountinfo_find(buf, len, DIR, false, 0, 0, &m, NULL);
	free(buf);
	CHECK(rc == 0, "%s: no mount for " DIR, fixture);
	return netfs_judge(&m, DIR, v, msg, msglen);
}

int main(void)
{
	static const struct {
		const char *fixture;
		int refuse;
		bool lock_local, v42;
		const char *says; /* in the message */
	} cases[] = {
		{"nfs4-vers42.txt", 0, false, true, "fallocate"},
		{"nfs3.txt", 0, false, false, "written in full"},
		{"nfs3-soft.txt", GM_EXIT_NFS_SOFT, false, false,
		 "soft NFS mount"},
		{"nfs4-softerr.txt", GM_EXIT_NFS_SOFT, false, false,
		 "softerr NFS mount"},
		{"nfs4-krb5p.txt", GM_EXIT_NFS_SEC, false, true, "sec=krb5p"},
		{"nfs3-nolock.txt", 0, true, false, "sync or async"},
		{"bind.txt", 0, false, true, "10.0.2.1:/"},
	};
	struct netfs_verdict v;
	struct mount_entry m;
	char msg[512];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = judge_fixture(cases[i].fixture, &v, msg, sizeof(msg));
		CHECK(rc == cases[i].refuse && v.refuse == rc,
		      "%s: refuse %d, want %d", cases[i].fixture, rc,
		      cases[i].refuse);
		CHECK(v.nfs, "%s: on NFS", cases[i].fixture);
		if (rc == 0)
			CHECK(v.lock_local == cases[i].lock_local &&
				      v.v42 == cases[i].v42,
			      "%s: lock_local %d v42 %d", cases[i].fixture,
			      v.lock_local, v.v42);
		CHECK(strstr(msg, cases[i].says) != NULL &&
			      strstr(msg, DIR) != NULL,
		      "%s: message \"%s\" lacks \"%s\"", cases[i].fixture,
		      msg, cases[i].says);
	}
	/* A local filesystem: nothing to judge, nothing to say. */
	memset(&m, 0, sizeof(m));
	strcpy(m.fstype, "ext4");
	m.soft = true; /* not an NFS option there */
	CHECK(netfs_judge(&m, DIR, &v, msg, sizeof(msg)) == 0 && !v.nfs &&
		      msg[0] == '\0',
	      "ext4 is not judged");
	/* NFSv5 some day: still ALLOCATE. */
	strcpy(m.fstype, "nfs4");
	m.soft = false;
	m.vers_major = 5;
	m.vers_minor = 0;
	CHECK(netfs_judge(&m, DIR, &v, msg, sizeof(msg)) == 0 && v.v42,
	      "vers=5.0 has fallocate");
	m.vers_major = -1;
	CHECK(netfs_judge(&m, DIR, &v, msg, sizeof(msg)) == 0 && !v.v42,
	      "no vers: no fallocate assumed");
	netfs_lock_warning(DIR, msg, sizeof(msg));
	CHECK(strstr(msg, "the directory lock is local only") != NULL,
	      "lock warning: %s", msg);

	/* The root-squash probe. */
	CHECK(netfs_squash_verdict(DIR, 0, 0, msg, sizeof(msg)) == 0 &&
		      msg[0] == '\0',
	      "root owns the probe: fine");
	CHECK(netfs_squash_verdict(DIR, 0, 65534, msg, sizeof(msg)) ==
			      GM_EXIT_NFS_SQUASH &&
		      strstr(msg, "the export squashes root: export it with "
				  "no_root_squash to this host") != NULL,
	      "owned by nobody: %s", msg);
	CHECK(netfs_squash_verdict(DIR, EACCES, (uid_t)-1, msg, sizeof(msg)) ==
		      GM_EXIT_NFS_SQUASH,
	      "EACCES: squash");
	CHECK(netfs_squash_verdict(DIR, EPERM, (uid_t)-1, msg, sizeof(msg)) ==
		      GM_EXIT_NFS_SQUASH,
	      "EPERM: squash");
	CHECK(netfs_squash_verdict(DIR, EROFS, (uid_t)-1, msg, sizeof(msg)) ==
			      GM_EXIT_DIR_UNUSABLE &&
		      strstr(msg, "squash") == NULL,
	      "EROFS is not a squash: %s", msg);
	T_END();
}
