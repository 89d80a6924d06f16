/* managers: other swap managers found from fixture trees (processes,
 * enabled services, a generator's config) and /proc/swaps areas, and
 * the line logged about each. */
#include "managers.h"
#include "t.h"

#define FIX "tests/unit/fixtures/managers/"

static void test_note(void)
{
	struct manager_found f[MGR_N];

	memset(f, 0, sizeof(f));
	managers_note_area(f, "/var/lib/swapspace/3");
	managers_note_area(f, "/var/swap");
	managers_note_area(f, "/var/swapfile"); /* not dphys-swapfile's */
	managers_note_area(f, "/dev/zram0");
	managers_note_area(f, "/dev/zram1");
	managers_note_area(f, "/var/lib/ghostmemory/1");
	managers_note_area(f, "/var/lib/systemd-swap/swapfc/1");
	CHECK(f[MGR_SWAPSPACE].areas == 1 && f[MGR_DPHYS].areas == 1 &&
		      f[MGR_ZRAM].areas == 2 && f[MGR_SYSTEMD_SWAP].areas == 1,
	      "areas %d %d %d %d", f[MGR_SWAPSPACE].areas, f[MGR_DPHYS].areas,
	      f[MGR_ZRAM].areas, f[MGR_SYSTEMD_SWAP].areas);
	managers_note_enabled(f, "/etc/rc2.d/K01swapspace");
	CHECK(!f[MGR_SWAPSPACE].enabled, "a K link is not enabled");
	managers_note_enabled(f, "/etc/rc2.d/S03swapspace");
	CHECK(f[MGR_SWAPSPACE].enabled, "an S link is");
	managers_note_enabled(f, "/etc/systemd/system/multi-user.target.wants/"
				 "zramswap.service");
	CHECK(f[MGR_ZRAM].enabled, "zram-tools' unit");
	managers_note_comm(f, "systemd-swap");
	managers_note_comm(f, "swapspace2");
	CHECK(f[MGR_SYSTEMD_SWAP].running && !f[MGR_SWAPSPACE].running,
	      "process names match whole");
	CHECK(manager_grows(MGR_SWAPSPACE) && manager_grows(MGR_SYSTEMD_SWAP) &&
		      !manager_grows(MGR_DPHYS) && !manager_grows(MGR_ZRAM),
	      "who grows");
}

static void test_scan(void)
{
	static const char swaps[] =
		"Filename\tType\tSize\tUsed\tPriority\n"
		"/var/lib/swapspace/1 file 65532 0 -2\n"
		"/var/lib/swapspace/2 file 65532 0 -3\n";
	static const char swaps_pi[] =
		"Filename\tType\tSize\tUsed\tPriority\n"
		"/dev/zram0 partition 1048572 0 100\n"
		"/var/swap file 102396 0 -2\n";
	static struct swaps_table t;
	struct manager_found f[MGR_N];
	char line[400];
	size_t n;

	CHECK(swaps_parse_buf(&t, swaps, sizeof(swaps) - 1) == 0, "swaps");
	managers_scan(FIX "debian", &t, f);
	CHECK(f[MGR_SWAPSPACE].running && f[MGR_SWAPSPACE].enabled &&
		      f[MGR_SWAPSPACE].areas == 2,
	      "swapspace: running %d enabled %d areas %d",
	      f[MGR_SWAPSPACE].running, f[MGR_SWAPSPACE].enabled,
	      f[MGR_SWAPSPACE].areas);
	CHECK(!f[MGR_DPHYS].enabled && !f[MGR_ZRAM].enabled, "nothing else");
	n = managers_describe(f, MGR_SWAPSPACE, line, sizeof(line));
	CHECK(n > 0 && strstr(line, "found swapspace (running, 2 swap areas, "
				    "enabled at boot)") &&
		      strstr(line, "leaves its areas alone") &&
		      strstr(line, "will fight"),
	      "swapspace line: %s", line);
	CHECK(managers_describe(f, MGR_DPHYS, line, sizeof(line)) == 0,
	      "nothing to say of dphys-swapfile");

	CHECK(swaps_parse_buf(&t, swaps_pi, sizeof(swaps_pi) - 1) == 0, "pi");
	managers_scan(FIX "raspi", &t, f);
	CHECK(!f[MGR_DPHYS].running && f[MGR_DPHYS].enabled &&
		      f[MGR_DPHYS].areas == 1,
	      "dphys-swapfile");
	CHECK(f[MGR_ZRAM].enabled && f[MGR_ZRAM].areas == 1, "zram");
	n = managers_describe(f, MGR_ZRAM, line, sizeof(line));
	CHECK(n > 0 && strstr(line, "found zram (not running, 1 swap area,") &&
		      !strstr(line, "fight"),
	      "zram line: %s", line);

	managers_scan(FIX "plain", NULL, f);
	for (int m = 0; m < MGR_N; m++)
		CHECK(managers_describe(f, (enum manager)m, line,
					sizeof(line)) == 0,
		      "plain: nothing for %s", manager_name((enum manager)m));
	managers_scan(FIX "missing", NULL, f);
	CHECK(!f[MGR_SWAPSPACE].running, "a missing tree: nothing");
}

int main(void)
{
	test_note();
	test_scan();
	T_END();
}
