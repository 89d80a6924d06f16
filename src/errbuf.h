/* Error messages handed back to a caller in its buffer (parsers report
 * "file:line: key: what" this way; only main.c decides what to print). */
#ifndef GM_ERRBUF_H
#define GM_ERRBUF_H

#include <stddef.h>

/* vsnprintf into err (nothing when errlen is 0). */
void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
