/* The shared helpers of util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int64_t gm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int gm_read_fd(int fd, char *buf, size_t cap, size_t *len, bool full)
{
	size_t got = 0;

	for (;;) {
		ssize_t n;

		if (got == cap) {
			char extra;
			if (full)
				break;
			do
				n = read(fd, &extra, 1);
			while (n < 0 && errno == EINTR);
			if (n < 0)
				return -errno;
			if (n > 0)
				return -EFBIG;
			break;
		}
		n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*len = got;
	return 0;
}

int gm_read_file(const char *path, char *buf, size_t cap, size_t *len,
		 bool full)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int rc;

	if (fd < 0)
		return -errno;
	rc = gm_read_fd(fd, buf, cap, len, full);
	close(fd);
	return rc;
}

int gm_read_alloc(const char *path, size_t max, char **bufp, size_t *lenp)
{
	int fd = strcmp(path, "-") == 0
			 ? 0
			 : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int rc = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;
			/* One byte past max: a file of exactly max bytes
			 * reads to its end; one more is too big. */
			if (cap > max) {
				rc = -EFBIG;
				break;
			}
			cap = cap ? cap * 2 : 65536;
			if (cap > max)
				cap = max < SIZE_MAX ? max + 1 : max;
			nb = realloc(buf, cap ? cap : 1);
			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (fd)
		close(fd);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

bool gm_parse_dec(const char *p, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		uint64_t d;

		if (p[i] < '0' || p[i] > '9')
			return false;
		d = (uint64_t)(p[i] - '0');
		if (d > max || x > (max - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

int gm_unescape_octal(const char *s, size_t n, char *out, size_t cap,
		      size_t *full)
{
	size_t i, o = 0;
	unsigned v;
	int k;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\\') {
			if (n - i < 4)
				return -EINVAL;
			v = 0;
			for (k = 1; k <= 3; k++) {
				if (s[i + k] < '0' || s[i + k] > '7')
					return -EINVAL;
				v = v * 8 + (unsigned)(s[i + k] - '0');
			}
			if (v == 0 || v > 255)
				return -EINVAL;
			c = (char)v;
			i += 3;
		} else if (c == '\0') {
			return -EINVAL;
		}
		if (o + 1 < cap)
			out[o] = c;
		o++;
	}
	if (cap > 0)
		out[o < cap ? o : cap - 1] = '\0';
	*full = o;
	return 0;
}
