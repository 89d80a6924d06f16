/* othermem: zram's counted free space from mm_stat fixtures (empty, half
 * full at ratio 3, full at ratio 1.5, a mem_limit, incompressible data),
 * the zswap pool's share, the overcommit mode, the priority of a new
 * file beside zram, and a whole sample through a fake reader. */
#include "othermem.h"
#include "swaps.h"
#include "t.h"

#include <errno.h>
#include <stdlib.h>

#define FIX "tests/unit/fixtures/zram/"
/* The fixtures' device: 1 GiB, as /proc/swaps shows it. */
#define ZSIZE_KB 1048572ULL

static int load(const char *name, struct zram_stat *z)
{
	char path[256];
	size_t len;
	char *buf;
	int rc;

	snprintf(path, sizeof(path), FIX "%s", name);
	buf = slurp(path, &len);
	CHECK(buf != NULL, "fixture %s missing", name);
	if (!buf)
		return -ENOENT;
	rc = zram_parse_mm_stat(buf, len, z);
	free(buf);
	return rc;
}

static void test_zram_fixtures(void)
{
	struct zram_stat z;
	uint64_t used_kb;

	/* Empty: no data yet, the default ratio 2 counts half. */
	CHECK(load("mm_stat-empty.txt", &z) == 0, "empty parses");
	CHECK(zram_ratio(&z) == ZRAM_DEFAULT_RATIO, "empty: default ratio");
	CHECK_EQ_U(zram_counted_free_kb(&z, ZSIZE_KB), ZSIZE_KB / 2,
		   "empty: half of the free space counts");

	/* Half full at ratio 3: 540 MiB in 180 MiB of RAM; two thirds of
	 * the rest count. */
	CHECK(load("mm_stat-half-ratio3.txt", &z) == 0, "half parses");
	CHECK_EQ_U(z.orig_b, 566231040, "orig_data_size");
	CHECK_EQ_U(z.mem_used_b, 188743680, "mem_used_total");
	CHECK(zram_ratio(&z) > 2.9999 && zram_ratio(&z) < 3.0001,
	      "ratio 3: got %f", zram_ratio(&z));
	used_kb = 566231040 / 1024;
	CHECK_EQ_U(zram_counted_free_kb(&z, ZSIZE_KB - used_kb), 330408,
		   "half at 3: (1048572 - 552960) x 2/3");

	/* Full at ratio 1.5: nothing free, nothing counted; and what is
	 * left near full counts a third. */
	CHECK(load("mm_stat-full-ratio1.5.txt", &z) == 0, "full parses");
	CHECK(zram_ratio(&z) > 1.4999 && zram_ratio(&z) < 1.5001,
	      "ratio 1.5: got %f", zram_ratio(&z));
	CHECK_EQ_U(zram_counted_free_kb(&z, 0), 0, "full: nothing counts");
	CHECK_EQ_U(zram_counted_free_kb(&z, 48572), 16190,
		   "near full at 1.5: a third of 48572");

	/* mem_limit 256 MiB with 180 MiB taken: 76 MiB more RAM holds
	 * 228 MiB at ratio 3, of which two thirds count. */
	CHECK(load("mm_stat-limit.txt", &z) == 0, "limit parses");
	CHECK_EQ_U(z.mem_limit_b, 268435456, "mem_limit");
	CHECK_EQ_U(zram_counted_free_kb(&z, ZSIZE_KB - used_kb), 155648,
		   "limit: 77824 KiB x 3 x 2/3");
	/* At the limit nothing more counts. */
	z.mem_used_b = z.mem_limit_b + 4096;
	CHECK_EQ_U(zram_counted_free_kb(&z, 1000), 0, "past the limit");

	/* Incompressible data: filling it frees nothing. */
	CHECK(load("mm_stat-incompressible.txt", &z) == 0,
	      "incompressible parses");
	CHECK(zram_ratio(&z) < 1.0, "ratio under 1");
	CHECK_EQ_U(zram_counted_free_kb(&z, ZSIZE_KB), 0,
		   "incompressible counts nothing");

	/* A tiny sample is not believed; a huge ratio is capped. */
	z.orig_b = 1 << 20, z.mem_used_b = 4096, z.mem_limit_b = 0;
	CHECK(zram_ratio(&z) == ZRAM_DEFAULT_RATIO, "tiny sample: default");
	z.orig_b = (uint64_t)1 << 30, z.mem_used_b = (uint64_t)1 << 20;
	CHECK(zram_ratio(&z) == ZRAM_MAX_RATIO, "ratio capped");
	/* Old kernels: compr_data_size when mem_used_total is 0. */
	z.orig_b = 30 << 20, z.compr_b = 10 << 20, z.mem_used_b = 0;
	CHECK(zram_ratio(&z) > 2.999 && zram_ratio(&z) < 3.001,
	      "compr_data_size fallback");
}

static void test_zram_hostile(void)
{
	static const char *bad[] = {
		"", "\n", "abc", "1 2 3", "1 2 3\n", "-1 2 3 4", "1 2 3 x4",
		"1 2 3 99999999999999999999", "1,2,3,4", "1 2 3 4x",
	};
	struct zram_stat z;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(zram_parse_mm_stat(bad[i], strlen(bad[i]), &z) == -EINVAL,
		      "mm_stat \"%s\" refused", bad[i]);
	CHECK(zram_parse_mm_stat("1 2 3 4", 7, &z) == 0 && z.mem_limit_b == 4,
	      "four numbers, no newline");
	CHECK(zram_device_index("/dev/zram0") == 0, "zram0");
	CHECK(zram_device_index("/dev/zram12") == 12, "zram12");
	CHECK(zram_device_index("/dev/zram") == -1, "no number");
	CHECK(zram_device_index("/dev/zram1x") == -1, "trailing byte");
	CHECK(zram_device_index("/dev/zram-1") == -1, "sign");
	CHECK(zram_device_index("/var/lib/ghostmemory/1") == -1, "a file");
	CHECK(zram_device_index("/dev/zram99999") == -1, "huge index");
}

static void test_zswap(void)
{
	struct meminfo mi = {0};

	mi.mem_total_kb = 1000000;
	/* No Zswap line: the whole pool may still come. */
	CHECK_EQ_U(zswap_uncounted_kb(&mi, 20, 500000), 200000, "no line");
	mi.has_zswap = true, mi.zswap_kb = 10000, mi.zswapped_kb = 30000;
	CHECK_EQ_U(zswap_uncounted_kb(&mi, 20, 500000), 190000, "pool room");
	CHECK_EQ_U(zswap_uncounted_kb(&mi, 20, 50000), 50000,
		   "at most the swap it fronts");
	CHECK_EQ_U(zswap_uncounted_kb(&mi, 20, 0), 0, "no swap, no pool");
	mi.zswap_kb = 250000;
	CHECK_EQ_U(zswap_uncounted_kb(&mi, 20, 500000), 0, "pool full");
	CHECK_EQ_U(zswap_uncounted_kb(&mi, 200, 5000000), 750000,
		   "percent capped at 100");
}

static void test_overcommit(void)
{
	static const struct {
		const char *s;
		int want;
	} c[] = {{"0\n", 0}, {"1\n", 1}, {"2\n", 2}, {"2", 2}, {"3\n", -1},
		 {"", -1}, {"\n", -1}, {"x\n", -1}, {" 2\n", -1}, {"-1\n", -1},
		 {"22\n", -1}};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		CHECK(overcommit_parse(c[i].s, strlen(c[i].s)) == c[i].want,
		      "overcommit \"%s\"", c[i].s);
}

static void test_priority(void)
{
	/* Unset: the kernel's next priority, below everything on. */
	CHECK(othermem_file_priority(-1, false, 1, 100) == -1, "unset");
	CHECK(othermem_file_priority(-1, false, 0, 0) == -1, "unset, no zram");
	/* Set by the user: kept, even above zram. */
	CHECK(othermem_file_priority(200, true, 1, 100) == 200, "user's own");
	/* Chosen by the daemon: under zram's. */
	CHECK(othermem_file_priority(200, false, 1, 100) == 99, "capped");
	CHECK(othermem_file_priority(100, false, 1, 100) == 99, "equal");
	CHECK(othermem_file_priority(50, false, 1, 100) == 50, "already under");
	CHECK(othermem_file_priority(10, false, 1, 0) == -1, "zram at 0");
	CHECK(othermem_file_priority(10, false, 2, -3) == -1, "zram negative");
	CHECK(othermem_file_priority(10, false, 0, -3) == 10, "no zram");
}

/* A fake reader: a few paths and their contents. */
struct fake {
	const char *path[4];
	const char *text[4];
};

static int fake_read(void *ctx, const char *path, char *buf, size_t cap,
		     size_t *len)
{
	struct fake *f = ctx;
	int i;

	for (i = 0; i < 4 && f->path[i]; i++)
		if (strcmp(f->path[i], path) == 0) {
			size_t n = strlen(f->text[i]);
			if (n > cap)
				n = cap;
			memcpy(buf, f->text[i], n);
			*len = n;
			return 0;
		}
	return -ENOENT;
}

static void test_sample(void)
{
	static const char swaps[] =
		"Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
		"/dev/zram0                              partition\t1048572"
		"\t\t552960\t\t100\n"
		"/var/lib/ghostmemory/1                  file\t\t262140"
		"\t\t0\t\t-2\n";
	static struct swaps_table t;
	struct fake f = {{"/sys/block/zram0/mm_stat",
			  "/proc/sys/vm/overcommit_memory",
			  "/sys/module/zswap/parameters/enabled", NULL},
			 {"566231040 180000000 188743680 0 188743680 1200 0 0 0\n",
			  "2\n", "N\n", NULL}};
	struct othermem_ops ops = {fake_read, &f};
	struct othermem om;
	struct meminfo mi = {0};
	struct free_params fp = {30, 80};
	uint64_t cf, cl;

	CHECK(swaps_parse_buf(&t, swaps, sizeof(swaps) - 1) == 0, "swaps");
	mi.mem_total_kb = 1048576, mi.mem_available_kb = 300000;
	mi.has_mem_available = true;
	mi.swap_total_kb = 1048572 + 262140;
	mi.swap_free_kb = 495612 + 262140;
	mi.has_commit = true, mi.commit_limit_kb = 1800000;
	mi.committed_as_kb = 1500000;
	othermem_sample(&ops, &t, &mi, &om);
	CHECK(om.zram_n == 1 && om.zram_min_prio == 100, "one zram at 100");
	CHECK_EQ_U(om.zram_free_kb, 495612, "zram free");
	CHECK_EQ_U(om.zram_counted_kb, 330408, "zram counted");
	CHECK_EQ_U(om.zram_ram_kb, 184320, "zram RAM");
	CHECK(!om.zswap_on && om.zswap_uncounted_kb == 0, "zswap off");
	CHECK(om.overcommit == 2, "strict");
	othermem_apply(&om, &mi);
	CHECK_EQ_U(mi.swap_uncounted_kb, 495612 - 330408, "uncounted");
	/* The free figure drops by the uncounted share; so does the
	 * total, and what is in use stays as it was. */
	CHECK_EQ_U(meminfo_free_kb(&mi, &fp),
		   300000 + 495612 + 262140 - 165204, "free");
	CHECK_EQ_U(meminfo_total_kb(&mi),
		   1048576 + 1048572 + 262140 - 165204, "total");
	CHECK(meminfo_commit(&mi, &cf, &cl) && cf == 300000 && cl == 1800000,
	      "commit headroom");

	/* zswap on, no Zswap line (a 6.1 kernel), default pool: a fifth
	 * of RAM of the file's free space is not counted either. */
	f.text[2] = "Y\n";
	othermem_sample(&ops, &t, &mi, &om);
	CHECK(om.zswap_on, "zswap on");
	CHECK_EQ_U(om.zswap_uncounted_kb, 1048576 / 100 * 20, "zswap pool");
	othermem_apply(&om, &mi);
	CHECK_EQ_U(mi.swap_uncounted_kb, 165204 + 209700, "both");

	/* An unreadable mm_stat: that device's free space counts none. */
	f.path[0] = "/nowhere";
	f.text[2] = "N\n";
	f.text[1] = "0\n";
	othermem_sample(&ops, &t, &mi, &om);
	CHECK_EQ_U(om.zram_counted_kb, 0, "unreadable: nothing counted");
	othermem_apply(&om, &mi);
	CHECK_EQ_U(mi.swap_uncounted_kb, 495612, "unreadable: all uncounted");
	CHECK(!mi.commit_strict && !meminfo_commit(&mi, &cf, &cl),
	      "heuristic overcommit: no commit signal");
	/* Without /proc/swaps nothing about zram is known. */
	othermem_sample(&ops, NULL, &mi, &om);
	CHECK(om.zram_n == 0 && om.zram_counted_kb == 0, "no table");
}

int main(void)
{
	test_zram_fixtures();
	test_zram_hostile();
	test_zswap();
	test_overcommit();
	test_priority();
	test_sample();
	T_END();
}
