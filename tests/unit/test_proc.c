/* proc.c: the run directory gets the mode meant whatever the umask (the
 * unit's UMask=0077 made it 0700 and --status failed for non-root). */
#include "proc.h"
#include "t.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	char base[] = "/tmp/gm-proc.XXXXXX", dir[64];
	struct stat st;

	if (!mkdtemp(base)) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		T_END();
	}
	snprintf(dir, sizeof(dir), "%s/run", base);
	umask(077);
	CHECK(proc_mkdir_mode(dir, 0755) == 0, "mkdir under umask 077");
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 07777) == 0755,
	      "run directory mode %04o, want 0755",
	      (unsigned)(st.st_mode & 07777));
	/* An existing directory keeps its mode (the administrator's). */
	chmod(dir, 0750);
	CHECK(proc_mkdir_mode(dir, 0755) == 0, "existing directory");
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 07777) == 0750,
	      "existing directory's mode changed to %04o",
	      (unsigned)(st.st_mode & 07777));
	rmdir(dir);
	rmdir(base);
	T_END();
}
