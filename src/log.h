/* Logging: stderr in the foreground, syslog (daemon facility) with -d. */
#ifndef GM_LOG_H
#define GM_LOG_H

#include <stdbool.h>

#define GM_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* verbosity: -1 quiet (errors only), 0 normal, 1 verbose (-v). */
void log_init(bool use_syslog, int verbosity);
void log_set_verbosity(int verbosity);

/* log_err/log_warn append ": strerror(errno)"; the x forms do not.
 * None of them changes errno. */
void log_err(const char *fmt, ...) GM_PRINTF(1, 2);
void log_errx(const char *fmt, ...) GM_PRINTF(1, 2);
void log_warn(const char *fmt, ...) GM_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) GM_PRINTF(1, 2);
void log_notice(const char *fmt, ...) GM_PRINTF(1, 2); /* grow/shrink */
void log_info(const char *fmt, ...) GM_PRINTF(1, 2);   /* shown with -v */
void log_debug(const char *fmt, ...) GM_PRINTF(1, 2);  /* shown with -v */
/* Exit with code after logging; fatal appends strerror(errno). */
void fatal(int code, const char *fmt, ...) GM_PRINTF(2, 3)
	__attribute__((noreturn));
void fatalx(int code, const char *fmt, ...) GM_PRINTF(2, 3)
	__attribute__((noreturn));

#endif
