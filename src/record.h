/* --record=FILE: write a trace of this machine's /proc/meminfo for
 * --simulate (the format of trace.h), as tests/tools/gm-record.sh did,
 * without root.  The formatting is pure and unit-tested; record_run is
 * the loop. */
#ifndef GM_RECORD_H
#define GM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;

/* The file never grows past this: 1 MiB under the 256 MiB that
 * --simulate reads, so every recording replays.  At 1 s snapshots of
 * about 1.5 KB that is about two days. */
#define RECORD_MAX_BYTES ((uint64_t)255 << 20)

/* What the header says about the recording. */
struct record_head {
	int64_t interval_ms;
	const char *source;        /* the meminfo file read */
	const char *kernel;        /* uname release, or "" */
	bool have_disk;            /* the swap directory's filesystem */
	uint64_t disk_size_kb, disk_avail_kb;
	uint64_t page_size;
};

/* The magic line and header lines into buf.  Returns the length, or 0
 * when it does not fit in cap. */
size_t record_header(char *buf, size_t cap, const struct record_head *h);

/* "T <seconds>.<ms>" and the meminfo lines of body (len bytes) into
 * buf: only lines that start with a letter and hold a ':', so nothing
 * in the source can forge a T line or a header.  Returns the length, or
 * 0 when no line is left or it does not fit in cap. */
size_t record_snapshot(char *buf, size_t cap, int64_t t_ms,
		       const char *body, size_t len);

/* The command: snapshots every cfg->record_interval_ms until
 * cfg->record_duration_s (0: no limit), SIGINT, SIGTERM or SIGHUP, or
 * RECORD_MAX_BYTES.  Returns an exit code; messages on stderr. */
int record_run(const struct config *cfg);

#endif
