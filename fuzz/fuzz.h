/* Shared by the libFuzzer targets (fuzz/fuzz_*.c) and by the regression
 * test that replays the inputs they found (tests/unit/test_regress.c).
 *
 * Each target keeps its work in a static function fuzz_<name>_one() so
 * test_regress.c can include every target and call them all; the
 * libFuzzer entry point is only compiled when GM_FUZZ_REGRESS is unset.
 * FUZZ_ASSERT states a property of the parser's output: under libFuzzer
 * it aborts (a crash libFuzzer saves); in the regression test it counts a
 * failure and says which. */
#ifndef GM_FUZZ_H
#define GM_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef GM_FUZZ_REGRESS
static int fuzz_failures;
#define FUZZ_ASSERT(cond)                                                    \
	do {                                                                 \
		if (!(cond)) {                                               \
			fuzz_failures++;                                     \
			printf("FAIL %s:%d: property broken: %s\n",          \
			       __FILE__, __LINE__, #cond);                   \
		}                                                            \
	} while (0)
#else
#define FUZZ_ASSERT(cond)                                                    \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: property broken: %s\n",      \
				__FILE__, __LINE__, #cond);                  \
			abort();                                             \
		}                                                            \
	} while (0)
#endif

#endif
