/* proc.c: the run directory gets the mode meant whatever the umask (the
 * unit's UMask=0077 made it 0700 and --status failed for non-root). */
#include "proc.h"
#include "t.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* CapEff from /proc/self/status fixtures: a root shell on a host, root
 * in an unprivileged container (no CAP_SYS_ADMIN), and hostile lines. */
static void test_capeff(void)
{
	static const struct {
		const char *name, *text;
		int rc;
		int admin;
	} c[] = {
		{"host root", "Name:\tsh\nCapInh:\t0000000000000000\n"
			      "CapPrm:\t000001ffffffffff\n"
			      "CapEff:\t000001ffffffffff\n"
			      "CapBnd:\t000001ffffffffff\n", 0, 1},
		{"lxc root", "CapPrm:\t00000000a80425fb\n"
			     "CapEff:\t00000000a80425fb\n", 0, 0},
		{"last line, no newline", "CapEff:\t0000000000200000", 0, 1},
		{"no CapEff", "Name:\tsh\nCapPrm:\t0\n", -EINVAL, 0},
		{"empty value", "CapEff:\t\n", -EINVAL, 0},
		{"not hex", "CapEff:\t00000000002g0000\n", -EINVAL, 0},
		{"too long", "CapEff:\t00000000000000000000\n", -EINVAL, 0},
		{"a prefix only", "CapEffX:\t1\n", -EINVAL, 0},
		{"empty", "", -EINVAL, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t v = 0;
		int rc = proc_parse_capeff(c[i].text, strlen(c[i].text), &v);

		CHECK(rc == c[i].rc, "%s: rc %d", c[i].name, rc);
		if (rc == 0)
			CHECK((int)((v >> PROC_CAP_SYS_ADMIN) & 1) ==
				      c[i].admin,
			      "%s: CAP_SYS_ADMIN %d", c[i].name,
			      (int)((v >> PROC_CAP_SYS_ADMIN) & 1));
	}
	CHECK(proc_has_sys_admin("/nonexistent/status") == -ENOENT,
	      "unreadable status file");
}

int main(void)
{
	test_capeff();
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
