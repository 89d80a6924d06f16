/* libFuzzer target: the small sysfs and procfs parsers of the other swap
 * on the machine: zram's mm_stat, overcommit_memory, the hibernation
 * resume target (/sys/power/resume, resume_offset, /proc/cmdline).
 *
 * Input layout: byte 0 picks the parser (b % 3: mm_stat, overcommit,
 * resume); the rest is the file (for resume: three parts split at the
 * first two NUL bytes: resume, resume_offset, cmdline), in allocations
 * of exactly their size, so any read beyond is an ASan report.
 *
 * Properties: mm_stat is 0 or -EINVAL, an accepted one yields a ratio in
 * (0, ZRAM_MAX_RATIO] and a counted share never above the free space it
 * is given; overcommit is -1, 0, 1 or 2; a resume target that is set has
 * a device number or a name, a name is a C string shorter than its
 * field, and a file at the target's place is the target only on its
 * device. */
#include "fuzz.h"
#include "othermem.h"
#include "resume.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A copy of [p, p+n) in an allocation of exactly n bytes (1 if n is 0). */
static char *fuzz_dup(const uint8_t *p, size_t n)
{
	char *c = malloc(n ? n : 1);

	if (c && n)
		memcpy(c, p, n);
	return c;
}

static int fuzz_sysfs_one(const uint8_t *data, size_t size)
{
	const uint8_t *body = data + 1;
	size_t n = size ? size - 1 : 0;

	if (size < 1)
		return 0;
	if (data[0] % 3 == 0) {
		struct zram_stat z;
		char *b = fuzz_dup(body, n);
		int rc;

		if (!b)
			return 0;
		rc = zram_parse_mm_stat(b, n, &z);
		FUZZ_ASSERT(rc == 0 || rc == -EINVAL);
		if (rc == 0) {
			static const uint64_t frees[] = {0, 1, 4096, 1ULL << 40};
			size_t i;
			double r = zram_ratio(&z);

			FUZZ_ASSERT(r > 0 && r <= ZRAM_MAX_RATIO);
			for (i = 0; i < sizeof(frees) / sizeof(frees[0]); i++)
				FUZZ_ASSERT(zram_counted_free_kb(&z, frees[i]) <=
					    frees[i]);
		}
		free(b);
	} else if (data[0] % 3 == 1) {
		char *b = fuzz_dup(body, n);
		int v;

		if (!b)
			return 0;
		v = overcommit_parse(b, n);
		FUZZ_ASSERT(v >= -1 && v <= 2);
		free(b);
	} else {
		const uint8_t *z1 = memchr(body, 0, n), *z2 = NULL;
		size_t l1 = z1 ? (size_t)(z1 - body) : n, l2 = 0, l3 = 0;
		char *a, *b, *c;
		struct resume_target t;

		if (z1) {
			z2 = memchr(z1 + 1, 0, n - l1 - 1);
			l2 = z2 ? (size_t)(z2 - z1 - 1) : n - l1 - 1;
			l3 = z2 ? n - l1 - l2 - 2 : 0;
		}
		a = fuzz_dup(body, l1);
		b = fuzz_dup(z1 ? z1 + 1 : body, l2);
		c = fuzz_dup(z2 ? z2 + 1 : body, l3);
		if (a && b && c) {
			resume_parse(a, l1, b, l2, c, l3, &t);
			if (t.set) {
				FUZZ_ASSERT(t.have_dev || t.name[0] != '\0');
				FUZZ_ASSERT(memchr(t.name, '\0',
						   sizeof(t.name)) != NULL);
				FUZZ_ASSERT(!resume_is_target(&t, t.major + 1,
							      t.minor, true,
							      t.offset_pages));
			} else {
				FUZZ_ASSERT(!resume_is_target(&t, t.major,
							      t.minor, false,
							      0));
			}
		}
		free(a);
		free(b);
		free(c);
	}
	return 0;
}

#ifndef GM_FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_sysfs_one(data, size);
}
#endif
