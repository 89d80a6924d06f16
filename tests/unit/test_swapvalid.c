/* swapvalid: swapfile_validate(_as) on planted leftovers (symlink, FIFO,
 * directory, socket, hard link, wrong mode, size or owner, truncated,
 * bad signature) in a temporary directory, and the reasons they are
 * refused.  Runs as any user; the owner case differs as root. */
#include "swapfile.h"
#include "t.h"
#include "t_swap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* ---- swapfile_validate ------------------------------------------------ */

static void test_validate(void)
{
	struct swapdir d;
	char path[600], other[600];
	uint64_t size = 0;
	uid_t me = geteuid();
	int rc, fd;
	struct sockaddr_un sun;

	d = open_dir(base);

	rc = swapfile_validate_as(&d, 99, 0, me, &size);
	CHECK(rc == -ENOENT, "missing: %d", rc);

	/* 10: good; 11: symlink to 10 */
	CHECK(swapfile_make(&d, 10, 4 * MIB_B, false, NULL) == 0, "make 10");
	slot_path(&d, 11, path, sizeof(path));
	CHECK(symlink("10", path) == 0, "symlink 11");
	rc = swapfile_validate_as(&d, 11, 0, me, &size);
	CHECK(rc == -ELOOP, "symlink: %d (%s)", rc,
	      swapfile_reject_reason(rc));

	slot_path(&d, 12, path, sizeof(path));
	CHECK(mkfifo(path, 0600) == 0, "mkfifo 12");
	rc = swapfile_validate_as(&d, 12, 0, me, &size);
	CHECK(rc == -ENXIO, "FIFO: %d (%s)", rc, swapfile_reject_reason(rc));

	slot_path(&d, 13, path, sizeof(path));
	CHECK(mkdir(path, 0700) == 0, "mkdir 13");
	rc = swapfile_validate_as(&d, 13, 0, me, &size);
	CHECK(rc == -EISDIR, "dir: %d", rc);

	slot_path(&d, 14, path, sizeof(path));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	fd = -1;
	if (strlen(path) < sizeof(sun.sun_path)) {
		memcpy(sun.sun_path, path, strlen(path) + 1);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
	}
	if (fd >= 0 &&
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		rc = swapfile_validate_as(&d, 14, 0, me, &size);
		CHECK(rc == -ENXIO, "socket: %d", rc);
	}
	if (fd >= 0)
		close(fd);

	/* 15 and 16: one file, two names */
	CHECK(swapfile_make(&d, 15, 4 * MIB_B, false, NULL) == 0, "make 15");
	slot_path(&d, 15, path, sizeof(path));
	slot_path(&d, 16, other, sizeof(other));
	CHECK(link(path, other) == 0, "link 16");
	rc = swapfile_validate_as(&d, 15, 0, me, &size);
	CHECK(rc == -EMLINK, "hard link (15): %d", rc);
	rc = swapfile_validate_as(&d, 16, 0, me, &size);
	CHECK(rc == -EMLINK, "hard link (16): %d", rc);

	CHECK(swapfile_make(&d, 17, 4 * MIB_B, false, NULL) == 0, "make 17");
	slot_path(&d, 17, path, sizeof(path));
	chmod(path, 0644);
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == -EACCES, "mode 0644: %d", rc);
	chmod(path, 04600);
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == -EACCES, "mode 04600: %d", rc);
	chmod(path, 0600);
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == 0, "mode back to 0600: %d", rc);
	rc = swapfile_validate_as(&d, 17, 8 * MIB_B, me, &size);
	CHECK(rc == -ERANGE, "4 MiB file with min 8 MiB: %d", rc);
	rc = swapfile_validate_as(&d, 17, 4 * MIB_B, me, &size);
	CHECK(rc == 0, "4 MiB file with min 4 MiB: %d", rc);

	/* Truncated by a page: the header no longer describes it. */
	CHECK(truncate(path, (off_t)(4 * MIB_B - ps)) == 0, "truncate 17");
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == -EBADMSG, "truncated: %d", rc);
	CHECK(truncate(path, (off_t)(4 * MIB_B + 100)) == 0, "extend 17");
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == -EINVAL, "not a page multiple: %d", rc);
	CHECK(truncate(path, 0) == 0, "empty 17");
	rc = swapfile_validate_as(&d, 17, 0, me, &size);
	CHECK(rc == -EBADMSG, "empty file: %d", rc);

	CHECK(swapfile_make(&d, 18, 4 * MIB_B, false, NULL) == 0, "make 18");
	slot_path(&d, 18, path, sizeof(path));
	fd = open(path, O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, "SWAP-SPACE", 10, (off_t)ps - 10) == 10,
	      "spoil signature of 18");
	if (fd >= 0)
		close(fd);
	rc = swapfile_validate_as(&d, 18, 0, me, &size);
	CHECK(rc == -EBADMSG, "bad signature: %d", rc);
	/* A hibernation image in it: the kernel's signature replaces the
	 * swap one until resume; such a leftover must not be deleted. */
	fd = open(path, O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, "S1SUSPEND", 10, (off_t)ps - 10) == 10,
	      "hibernation signature on 18");
	if (fd >= 0)
		close(fd);
	rc = swapfile_validate_as(&d, 18, 0, me, &size);
	CHECK(rc == -EBUSY, "hibernation image: %d (%s)", rc,
	      swapfile_reject_reason(rc));

	/* Owner: real root check on a file that is not root's. */
	CHECK(swapfile_make(&d, 19, 4 * MIB_B, false, NULL) == 0, "make 19");
	if (is_root) {
		slot_path(&d, 19, path, sizeof(path));
		CHECK(chown(path, 1234, 0) == 0, "chown 19");
		rc = swapfile_validate(&d, 19, 0, &size);
		CHECK(rc == -EPERM, "owned by uid 1234: %d", rc);
		CHECK(chown(path, 0, 0) == 0, "chown 19 back to root");
		size = 0;
		rc = swapfile_validate(&d, 19, 0, &size);
		CHECK(rc == 0 && size == 4 * MIB_B,
		      "root-owned good file: %d size %llu", rc,
		      (unsigned long long)size);
	} else {
		rc = swapfile_validate(&d, 19, 0, &size);
		CHECK(rc == -EPERM, "file owned by uid %u: %d", (unsigned)me,
		      rc);
	}

	{
		static const int errs[] = {ELOOP, EISDIR, ENXIO, EMLINK, EPERM,
					   EACCES, ERANGE, EINVAL, EBADMSG,
					   ESTALE, ENOENT, EBUSY};
		size_t i, j;

		for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
			const char *r = swapfile_reject_reason(-errs[i]);

			CHECK(r != NULL && r[0] != '\0', "reason %d empty",
			      errs[i]);
			for (j = 0; j < i; j++)
				CHECK(strcmp(r, swapfile_reject_reason(
							-errs[j])) != 0,
				      "reasons %d and %d read the same",
				      errs[i], errs[j]);
		}
		CHECK(swapfile_reject_reason(-EIO) != NULL, "EIO reason");
	}
	close(d.fd);
}

int main(void)
{
	if (swap_fixture_begin() < 0)
		T_END();
	test_validate();
	rm_tree(base);
	T_END();
}
