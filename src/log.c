/* Logging to stderr (foreground) or syslog (daemon).  Never allocates,
 * always preserves errno. */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static bool log_syslog;
static int log_verbosity;

void log_init(bool use_syslog, int verbosity)
{
	log_syslog = use_syslog;
	log_verbosity = verbosity;
	if (use_syslog)
		openlog("ghostmemory", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_verbosity(int verbosity)
{
	log_verbosity = verbosity;
}

static void log_emit(int prio, int errnum, const char *fmt, va_list ap)
{
	char msg[1024];
	int saved = errno;

	if (prio > LOG_ERR && log_verbosity < 0)
		goto out;
	if (prio >= LOG_INFO && log_verbosity < 1)
		goto out;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum) {
		size_t n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(errnum));
	}
	if (log_syslog)
		syslog(prio, "%s", msg);
	else
		fprintf(stderr, "ghostmemory: %s\n", msg);
out:
	errno = saved;
}

#define LOG_FN(name, prio, with_errno)                                       \
	void name(const char *fmt, ...)                                      \
	{                                                                    \
		va_list ap;                                                  \
		int e = errno;                                               \
		va_start(ap, fmt);                                           \
		log_emit(prio, with_errno ? e : 0, fmt, ap);                 \
		va_end(ap);                                                  \
	}

LOG_FN(log_err, LOG_ERR, 1)
LOG_FN(log_errx, LOG_ERR, 0)
LOG_FN(log_warn, LOG_WARNING, 1)
LOG_FN(log_warnx, LOG_WARNING, 0)
LOG_FN(log_notice, LOG_NOTICE, 0)
LOG_FN(log_info, LOG_INFO, 0)
LOG_FN(log_debug, LOG_DEBUG, 0)

void fatal(int code, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	log_emit(LOG_ERR, e, fmt, ap);
	va_end(ap);
	exit(code);
}

void fatalx(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_ERR, 0, fmt, ap);
	va_end(ap);
	exit(code);
}
