/* %H and %m in swappath (swappath.h). */
#include "swappath.h"

#include "config.h"

#include <stdio.h>
#include <string.h>

bool swappath_uses(const char *path, char conv)
{
	const char *p;

	for (p = path; *p; p++)
		if (*p == '%' && p[1] != '\0') {
			if (p[1] == conv)
				return true;
			p++; /* "%%" is one literal % */
		}
	return false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int swappath_split(const char *in, char out[][256], int max, char *err,
		   size_t errlen)
{
	const char *p = in + 1, *end;
	int n = 0;

	if (in[0] != '[') {
		if (strlen(in) >= 256) {
			snprintf(err, errlen, "swappath is too long");
			return -1;
		}
		strcpy(out[0], in);
		return 1;
	}
	end = strchr(in, ']');
	if (end == NULL || end[1] != '\0') {
		snprintf(err, errlen,
			 "swappath %s: a list of directories is written "
			 "[DIR, DIR ...] and ends with its ']'", in);
		return -1;
	}
	for (;;) {
		const char *e;
		size_t len;

		while (is_blank(*p))
			p++;
		e = p + strcspn(p, ",]");
		len = (size_t)(e - p);
		while (len > 0 && is_blank(p[len - 1]))
			len--;
		if (len == 0) {
			snprintf(err, errlen, "swappath %s: an empty entry in "
				 "the list", in);
			return -1;
		}
		if (memchr(p, '[', len) != NULL) {
			snprintf(err, errlen, "swappath %s: a '[' inside the "
				 "list", in);
			return -1;
		}
		if (n >= max) {
			snprintf(err, errlen, "swappath %s: more than %d "
				 "directories", in, max);
			return -1;
		}
		if (len >= 256) {
			snprintf(err, errlen, "swappath %s: an entry is too "
				 "long", in);
			return -1;
		}
		memcpy(out[n], p, len);
		out[n++][len] = '\0';
		if (*e == ']')
			return n;
		p = e + 1;
	}
}

bool swappath_short_host(const char *nodename, char *out, size_t outlen)
{
	size_t n = strcspn(nodename, "."), i;

	if (n == 0 || n >= outlen)
		return false;
	for (i = 0; i < n; i++) {
		char c = nodename[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	memcpy(out, nodename, n);
	out[n] = '\0';
	return true;
}

bool swappath_machine_id(const char *buf, size_t len, char out[33])
{
	size_t i;

	/* systemd writes 32 digits and a newline; accept no newline. */
	if (len != 32 && !(len == 33 && buf[32] == '\n'))
		return false;
	for (i = 0; i < 32; i++)
		if (!((buf[i] >= '0' && buf[i] <= '9') ||
		      (buf[i] >= 'a' && buf[i] <= 'f')))
			return false;
	memcpy(out, buf, 32);
	out[32] = '\0';
	/* All zeros: an image's placeholder, the same on every host. */
	return strspn(out, "0") != 32;
}

/* Does the absolute path hold a "." or ".." component? */
static bool has_dot_component(const char *path)
{
	const char *p = path;

	while (*p) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return true;
		p += n;
	}
	return false;
}

int swappath_expand(const char *in, const char *host,
		    const char *machine_id, char *out, size_t outlen,
		    char *err, size_t errlen)
{
	size_t o = 0;
	const char *p;

	for (p = in; *p; p++) {
		const char *add = NULL;
		char lit[2] = {*p, '\0'};

		if (*p != '%') {
			add = lit;
		} else {
			p++;
			switch (*p) {
			case '%':
				add = "%";
				break;
			case 'H':
				if (host == NULL || host[0] == '\0' ||
				    strchr(host, '/') != NULL) {
					snprintf(err, errlen,
						 "swappath %s uses %%H, but "
						 "this host has no usable "
						 "host name",
						 in);
					return GM_EXIT_SWAPPATH;
				}
				add = host;
				break;
			case 'm':
				if (machine_id == NULL ||
				    machine_id[0] == '\0' ||
				    strchr(machine_id, '/') != NULL) {
					snprintf(err, errlen,
						 "swappath %s uses %%m, but "
						 "/etc/machine-id is missing "
						 "or not 32 hex digits",
						 in);
					return GM_EXIT_SWAPPATH;
				}
				add = machine_id;
				break;
			default:
				snprintf(err, errlen,
					 "swappath %s: %s; only %%H (short "
					 "host name), %%m (machine-id) and "
					 "%%%% expand",
					 in,
					 *p ? "unknown % conversion"
					    : "a % ends it");
				return GM_EXIT_USAGE;
			}
		}
		if (o + strlen(add) >= outlen) {
			snprintf(err, errlen,
				 "swappath %s is longer than %zu bytes once "
				 "expanded",
				 in, outlen - 1);
			return GM_EXIT_USAGE;
		}
		memcpy(out + o, add, strlen(add));
		o += strlen(add);
	}
	out[o] = '\0';
	if (out[0] != '/' || has_dot_component(out)) {
		snprintf(err, errlen,
			 "swappath %s expands to %s, which is not an absolute "
			 "path without . or .. components",
			 in, out);
		return GM_EXIT_USAGE;
	}
	return 0;
}
