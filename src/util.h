/* Small helpers every module shares: the monotonic clock, reading a file
 * to its end, and one strict decimal parser.  No module writes its own. */
#ifndef GM_UTIL_H
#define GM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t gm_now_ms(void);

/* Read fd to its end (or until buf holds cap bytes) into buf; *len gets
 * the count.  Retries EINTR.  0, -EFBIG when more than cap bytes remain
 * (and full is false), or -errno.  With full true, a full buffer is not an
 * error (the caller wants only the start). */
int gm_read_fd(int fd, char *buf, size_t cap, size_t *len, bool full);

/* open(path) read-only, non-blocking, no controlling tty; read it as
 * gm_read_fd does; close.  0 or -errno. */
int gm_read_file(const char *path, char *buf, size_t cap, size_t *len,
		 bool full);

/* Read a whole file ("-": standard input) into a malloc'd buffer of at
 * most max bytes.  0 with *bufp (free it) and *lenp, -EFBIG past max, or
 * -errno. */
int gm_read_alloc(const char *path, size_t max, char **bufp, size_t *lenp);

/* Decimal digits only (no sign, no blank, no empty), value at most max,
 * from [p, p+n).  True with *v; false on anything else. */
bool gm_parse_dec(const char *p, size_t n, uint64_t max, uint64_t *v);

/* Undo the kernel's \ooo escapes (/proc/swaps, /proc/self/mountinfo)
 * of [s, s+n) into out, cut short at cap - 1 bytes and NUL-terminated;
 * *full gets the whole unescaped length (> cap - 1: it was cut).  A
 * backslash not followed by three octal digits, an escaped NUL or a raw
 * NUL is malformed: -EINVAL.  0 otherwise. */
int gm_unescape_octal(const char *s, size_t n, char *out, size_t cap,
		      size_t *full);

#endif
