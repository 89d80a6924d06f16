/* record_header and record_snapshot: what --record writes is a trace
 * that trace_parse and meminfo_parse_buf accept, and nothing in the
 * source can forge a T line or a header. */
#include "record.h"

#include "meminfo.h"
#include "trace.h"
#include "t.h"

#include <stdint.h>

static const char meminfo[] =
	"MemTotal:        1000000 kB\n"
	"MemFree:          100000 kB\n"
	"MemAvailable:     150000 kB\n"
	"SwapTotal:             0 kB\n"
	"SwapFree:              0 kB\n";

int main(void)
{
	static char buf[65536];
	struct record_head h = {1000, "/proc/meminfo", "6.1.0-test", true,
				996780, 927940, 4096};
	struct trace tr;
	struct meminfo mi;
	char err[256];
	size_t n, m;

	/* A header and two snapshots: a trace, its disk and page size. */
	n = record_header(buf, sizeof(buf), &h);
	CHECK(n > 0, "header does not fit in 64 KiB");
	m = record_snapshot(buf + n, sizeof(buf) - n, 0, meminfo,
			    sizeof(meminfo) - 1);
	CHECK(m > 0, "first snapshot empty");
	n += m;
	m = record_snapshot(buf + n, sizeof(buf) - n, 1234, meminfo,
			    sizeof(meminfo) - 1);
	n += m;
	CHECK(trace_parse(&tr, buf, n, err, sizeof(err)) == 0,
	      "recorded trace refused: %s", err);
	CHECK_EQ_U(tr.n, 2, "snapshots");
	if (tr.n == 2) {
		CHECK_EQ_U(tr.s[1].t_ms, 1234, "second T in ms");
		CHECK(meminfo_parse_buf(&mi, tr.s[1].body, tr.s[1].len) == 0,
		      "snapshot body not meminfo");
		CHECK_EQ_U(mi.mem_total_kb, 1000000, "MemTotal");
	}
	CHECK(tr.have_disk, "disk header lost");
	CHECK_EQ_U(tr.disk_size_b, 996780ULL * 1024, "disk size");
	CHECK_EQ_U(tr.disk_avail_b, 927940ULL * 1024, "disk avail");
	CHECK_EQ_U(tr.page_size, 4096, "page size");
	trace_free(&tr);
	CHECK(strstr(buf, "T 1.234\n") != NULL, "T line format");

	/* Without a disk: no disk lines (the replay takes it unlimited). */
	h.have_disk = false;
	n = record_header(buf, sizeof(buf), &h);
	CHECK(n > 0 && !strstr(buf, "disk_"), "disk lines without a disk");

	/* A kernel string with a newline stays on its comment line. */
	h.kernel = "evil\ndisk_size_kb=1";
	n = record_header(buf, sizeof(buf), &h);
	CHECK(n > 0 && !strstr(buf, "\ndisk_size_kb"), "kernel forged a header");
	h.kernel = "6.1";

	/* Lines that are not meminfo are dropped: T, headers, comments,
	 * blank, NUL. */
	{
		static const char hostile[] =
			"MemTotal: 1000 kB\nT 99\n# x\n\ndisk_size_kb=1\n"
			"Mem\0Free: 3 kB\nMemFree: 10 kB";
		m = record_snapshot(buf, sizeof(buf), 5, hostile,
				    sizeof(hostile) - 1);
		buf[m] = '\0';
		CHECK_STR(buf, "T 0.005\nMemTotal: 1000 kB\nMemFree: 10 kB\n",
			  "hostile body filtered");
	}
	/* Nothing left, too small, negative time: 0. */
	CHECK_EQ_U(record_snapshot(buf, sizeof(buf), 0, "# only\n", 7), 0,
		   "comment-only body");
	CHECK_EQ_U(record_snapshot(buf, 20, 0, meminfo, sizeof(meminfo) - 1), 0,
		   "snapshot over cap");
	CHECK_EQ_U(record_snapshot(buf, sizeof(buf), -1, meminfo,
				   sizeof(meminfo) - 1), 0, "negative time");
	CHECK_EQ_U(record_header(buf, 30, &h), 0, "header over cap");
	/* The bound keeps every recording under what --simulate reads. */
	CHECK(RECORD_MAX_BYTES < ((uint64_t)256 << 20), "bound above the replay's cap");
	T_END();
}
