/* A tiny table-friendly test harness.  Each tests/unit/test_*.c is its own
 * program: it calls CHECK for every expectation and ends with T_END(),
 * which prints "RESULT <passed> <failed>" for tests/run.sh to add up.
 * Failures print what broke and where. */
#ifndef GM_T_H
#define GM_T_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int t_passed, t_failed;

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (cond) {                                                  \
			t_passed++;                                          \
		} else {                                                     \
			t_failed++;                                          \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);          \
			printf(__VA_ARGS__);                                 \
			printf("\n");                                        \
		}                                                            \
	} while (0)

#define CHECK_EQ_U(a, b, what)                                               \
	CHECK((unsigned long long)(a) == (unsigned long long)(b),            \
	      "%s: got %llu, want %llu", what, (unsigned long long)(a),      \
	      (unsigned long long)(b))

#define CHECK_STR(a, b, what)                                                \
	CHECK(strcmp((a), (b)) == 0, "%s: got \"%s\", want \"%s\"", what,   \
	      (a), (b))

/* slurp: the whole file at PATH in a malloc'd buffer of exactly its size
 * (not NUL-terminated, so a parser that reads one byte too far shows
 * under ASan and valgrind), its length in *len; NULL if it cannot be
 * read.  The caller frees. */
static inline char *slurp(const char *path, size_t *len)
{
	char *buf;
	long n;
	FILE *f = fopen(path, "rb");

	*len = 0;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf != NULL)
		*len = (size_t)n;
	return buf;
}

/* slurp_text: the file at PATH as a string (its first 64 KiB) in a
 * static buffer that the next call overwrites; NULL if it cannot be
 * read. */
static inline char *slurp_text(const char *path)
{
	static char text[65536];
	size_t len;
	char *buf = slurp(path, &len);

	if (buf == NULL)
		return NULL;
	if (len > sizeof(text) - 1)
		len = sizeof(text) - 1;
	memcpy(text, buf, len);
	text[len] = '\0';
	free(buf);
	return text;
}

/* capture_begin: what the code under test writes to stderr (fd 2), the
 * log in the foreground, goes to a temporary file until capture_end,
 * which puts stderr back and copies what was written into out (at most
 * outlen - 1 bytes, NUL-terminated; "" if nothing could be captured). */
static inline int *capture_fds(void)
{
	static int fds[2] = {-1, -1}; /* the capture file, saved stderr */
	return fds;
}

static inline void capture_begin(void)
{
	int *fds = capture_fds();
	char path[] = "/tmp/gm-test-stderr.XXXXXX";

	fflush(stderr);
	fds[0] = mkstemp(path);
	if (fds[0] < 0)
		return;
	unlink(path); /* read back through the fd: nothing is left behind */
	fds[1] = dup(2);
	if (fds[1] >= 0 && dup2(fds[0], 2) < 0) {
		close(fds[1]);
		fds[1] = -1;
	}
}

static inline void capture_end(char *out, size_t outlen)
{
	int *fds = capture_fds();
	ssize_t n = 0;

	fflush(stderr);
	if (fds[1] >= 0) {
		dup2(fds[1], 2);
		close(fds[1]);
		n = pread(fds[0], out, outlen - 1, 0);
	}
	if (fds[0] >= 0)
		close(fds[0]);
	fds[0] = fds[1] = -1;
	out[n > 0 ? n : 0] = '\0';
}

/* t_mkdtemp: make the temporary directory TMPL (a mkdtemp template,
 * filled in place); 0, or -1 after a failed check. */
static inline int t_mkdtemp(char *tmpl)
{
	if (mkdtemp(tmpl) != NULL)
		return 0;
	CHECK(0, "mkdtemp %s: %s", tmpl, strerror(errno));
	return -1;
}

/* rm_tree: delete a directory the test made, with all in it. */
static inline void rm_tree(const char *dir)
{
	char cmd[600];

	/* Only ever a mkdtemp directory of ours; nothing in it is swap. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("warning: could not remove %s\n", dir);
}

#define T_END()                                                              \
	do {                                                                 \
		printf("RESULT %d %d\n", t_passed, t_failed);                \
		return t_failed ? 1 : 0;                                     \
	} while (0)

#endif
