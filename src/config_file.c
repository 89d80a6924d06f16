/* The config file: swapspace.conf syntax parsed from a buffer, errors as
 * "FILE:LINE: KEY: what", and the thin reader that fills the buffer. */
#include "config_keys.h"

#include "errbuf.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_LEN 1024
/* Larger files are refused whole, never half-applied. */
#define FILE_MAX_BYTES (256 * 1024 - 1)

/* The key a bad line starts with (up to '=', '#' or a blank), or
 * "(no key)", for messages about lines that cannot be parsed whole. */
static void line_key(const char *p, size_t n, char *out, size_t outlen)
{
	size_t i = 0, j = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	while (i < n && j + 1 < outlen && (isalnum((unsigned char)p[i]) ||
					   p[i] == '_' || p[i] == '-'))
		out[j++] = p[i++];
	out[j] = '\0';
	if (j == 0)
		snprintf(out, outlen, "(no key)");
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Split the value off the line: drop a trailing comment and one pair of
 * quotes.  NULL for a bare key; sets *bad on an unterminated quote. */
static char *split_value(char *key, bool *bad)
{
	char *value, *eq = strchr(key, '='), *hash;
	size_t vl;

	*bad = false;
	if (!eq)
		return NULL;
	*eq = '\0';
	/* A comment may follow an unquoted value. */
	value = trim(eq + 1);
	if (*value != '"' && (hash = strchr(value, '#')))
		*hash = '\0';
	value = trim(value);
	vl = strlen(value);
	if (vl >= 2 && ((value[0] == '"' && value[vl - 1] == '"') ||
			(value[0] == '\'' && value[vl - 1] == '\''))) {
		value[vl - 1] = '\0';
		value++;
	} else if (vl && (value[0] == '"' || value[0] == '\'')) {
		*bad = true;
	}
	return value;
}

int config_parse_buf(struct config *cfg, const char *buf, size_t len,
		     const char *filename, char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned lineno = 0;

	/* Remembered so a later cross-field error can name file:line. */
	snprintf(cfg->configfile, sizeof(cfg->configfile), "%s", filename);
	while (pos < len) {
		char line[LINE_MAX_LEN], why[200];
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t idx, n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char *key, *value;
		const struct config_key *k;
		bool badquote;

		lineno++;
		if (n >= sizeof(line) || memchr(buf + pos, '\0', n)) {
			char what[48];
			line_key(buf + pos, n, what, sizeof(what));
			if (n >= sizeof(line))
				seterr(err, errlen,
				       "%s:%u: %s: line too long (over %d bytes)",
				       filename, lineno, what, LINE_MAX_LEN - 1);
			else
				seterr(err, errlen, "%s:%u: %s: NUL byte in line",
				       filename, lineno, what);
			return -1;
		}
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos += n + 1;

		key = trim(line);
		if (*key == '#' || *key == '\0')
			continue;
		value = split_value(key, &badquote);
		key = trim(key);
		if (badquote) {
			seterr(err, errlen, "%s:%u: %s: unterminated quote",
			       filename, lineno, key);
			return -1;
		}
		if (!*key) {
			seterr(err, errlen, "%s:%u: missing key before '='",
			       filename, lineno);
			return -1;
		}
		k = config_key_find(key);
		if (!k || !k->file_ok) {
			seterr(err, errlen, "%s:%u: %s: unknown key", filename,
			       lineno, key);
			return -1;
		}
		if (config_key_set(cfg, k, value, why, sizeof(why)) < 0) {
			seterr(err, errlen, "%s:%u: %s: %s", filename, lineno,
			       key, why);
			return -1;
		}
		idx = (size_t)(k - config_keys);
		if (idx < sizeof(cfg->src_line) / sizeof(cfg->src_line[0]))
			cfg->src_line[idx] =
				(unsigned short)(lineno > 65535 ? 65535 : lineno);
	}
	return 0;
}

int config_load(struct config *cfg, const char *path, bool must_exist,
		char *err, size_t errlen)
{
	static char buf[FILE_MAX_BYTES];
	struct stat st;
	size_t len = 0;
	int fd, rc;

	if (strcmp(path, "/dev/null") == 0)
		return 0;
	/* O_NONBLOCK: a FIFO put in the file's place must not block the
	 * daemon (at SIGHUP) until someone writes to it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT && !must_exist)
			return 0;
		seterr(err, errlen, "%s: cannot open config file: %s", path,
		       strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		seterr(err, errlen, "%s: config file is not a regular file",
		       path);
		close(fd);
		return -1;
	}
	rc = gm_read_fd(fd, buf, sizeof(buf), &len, false);
	close(fd);
	if (rc == -EFBIG) {
		seterr(err, errlen, "%s: config file larger than %zu bytes",
		       path, sizeof(buf));
		return -1;
	}
	if (rc < 0) {
		seterr(err, errlen, "%s: cannot read config file: %s", path,
		       strerror(-rc));
		return -1;
	}
	return config_parse_buf(cfg, buf, len, path, err, errlen);
}
