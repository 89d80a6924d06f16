/* swapdir_net: the system-call side of swap on NFS, in a local
 * temporary directory posing as NFS (fs_type set by hand): the root-
 * squash probe leaves nothing behind and judges by the owner the file
 * really got (root: accepted; anyone else, as when this test runs
 * unprivileged: the squash refusal); the lock file is exclusive; a
 * directory that is not NFS is never probed, locked or looked up. */
#include "config.h"
#include "swapdir.h"
#include "t.h"
#include "t_swap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

int main(void)
{
	char base[] = "/tmp/gm-netfs.XXXXXX", err[512], lock[600];
	struct swapdir d, other;
	int rc;

	/* f_type is a long: a sign-extended magic on 64-bit machines (the
	 * high half built by a shift, so that the i386 build has no
	 * constant too wide for its long). */
	CHECK(swapfs_is_nfs(0x6969) &&
		      swapfs_is_nfs(0x6969ul | ~(unsigned long)0xffffffffu) &&
		      !swapfs_is_nfs(0xef53),
	      "swapfs_is_nfs");
	if (mkdtemp(base) == NULL) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		T_END();
	}
	d = open_dir(base);
	CHECK(d.fd >= 0, "open %s", base);

	/* Not NFS: nothing looked at, nothing made. */
	d.fs_type = 0xef53;
	CHECK(swapdir_squash_probe(&d, err, sizeof(err)) == 0,
	      "ext4: no probe");
	CHECK(swapdir_net_check(&d, base, 0, true, err, sizeof(err)) == 0 &&
		      !d.nfs,
	      "ext4: no mountinfo look-up");

	/* Posing as NFS: the probe. */
	d.fs_type = NFS_SUPER_MAGIC;
	rc = swapdir_squash_probe(&d, err, sizeof(err));
	if (geteuid() == 0)
		CHECK(rc == 0, "root owns its probe: rc %d %s", rc, err);
	else
		CHECK(rc == GM_EXIT_NFS_SQUASH &&
			      strstr(err, "the export squashes root") != NULL,
		      "a probe not owned by root is a squash: rc %d %s", rc,
		      err);
	CHECK(entries(base) == 0, "the probe left %d entries in %s",
	      entries(base), base);
	/* A directory the probe cannot write to: EACCES as non-root is a
	 * squash too (root is not stopped by the mode). */
	if (geteuid() != 0) {
		CHECK(chmod(base, 0500) == 0, "chmod");
		rc = swapdir_squash_probe(&d, err, sizeof(err));
		CHECK(rc == GM_EXIT_NFS_SQUASH, "EACCES: rc %d %s", rc, err);
		CHECK(chmod(base, 0700) == 0, "chmod back");
	}

	/* The lock file: one holder at a time. */
	other = open_dir(base);
	other.fs_type = NFS_SUPER_MAGIC;
	CHECK(swapdir_lock_file(&d) == 0 && d.lock_fd >= 0, "first lock");
	rc = swapdir_lock_file(&other);
	CHECK(rc == -EWOULDBLOCK && other.lock_fd < 0,
	      "second lock refused: rc %d", rc);
	swapdir_close(&d);
	CHECK(d.fd == -1 && d.lock_fd == -1, "closed");
	CHECK(swapdir_lock_file(&other) == 0, "taken once the first closed");
	swapdir_close(&other);
	snprintf(lock, sizeof(lock), "%s/.lock", base);
	CHECK(access(lock, F_OK) == 0, "the lock file stays (it is reused)");
	unlink(lock);
	CHECK(rmdir(base) == 0, "rmdir %s: %s", base, strerror(errno));
	T_END();
}
