/* A tiny table-friendly test harness.  Each tests/unit/test_*.c is its own
 * program: it calls CHECK for every expectation and ends with T_END(),
 * which prints "RESULT <passed> <failed>" for tests/run.sh to add up.
 * Failures print what broke and where. */
#ifndef GM_T_H
#define GM_T_H

#include <stdio.h>
#include <string.h>

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

#define T_END()                                                              \
	do {                                                                 \
		printf("RESULT %d %d\n", t_passed, t_failed);                \
		return t_failed ? 1 : 0;                                     \
	} while (0)

#endif
