/* libFuzzer target: /proc/meminfo parsing (meminfo_parse_buf) and the
 * free figure computed from what it accepts.
 * Properties: the parser returns 0 or -EINVAL; what it accepts has a
 * non-zero MemTotal, SwapFree <= SwapTotal and no figure above 2^50 KiB
 * (so the sums in meminfo_free_kb cannot wrap); free% is a finite number
 * >= 0 for any elasticity setting. */
#include "params.h"
#include "config.h"
#include "fuzz.h"
#include "meminfo.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define MEMINFO_FUZZ_MAX_KB (1ULL << 50)

static int fuzz_meminfo_one(const uint8_t *data, size_t size)
{
	struct meminfo mi;
	struct config cfg;
	static const int elasticity[] = {0, 30, 80, 100};
	const uint64_t *fields[11];
	size_t i, j;
	int rc;

	rc = meminfo_parse_buf(&mi, (const char *)data, size);
	FUZZ_ASSERT(rc == 0 || rc == -EINVAL);
	if (rc != 0)
		return 0;
	FUZZ_ASSERT(mi.mem_total_kb > 0);
	FUZZ_ASSERT(mi.swap_free_kb <= mi.swap_total_kb);
	fields[0] = &mi.mem_total_kb;
	fields[1] = &mi.mem_free_kb;
	fields[2] = &mi.mem_available_kb;
	fields[3] = &mi.buffers_kb;
	fields[4] = &mi.cached_kb;
	fields[5] = &mi.dirty_kb;
	fields[6] = &mi.writeback_kb;
	fields[7] = &mi.shmem_kb;
	fields[8] = &mi.swap_cached_kb;
	fields[9] = &mi.swap_total_kb;
	fields[10] = &mi.swap_free_kb;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		FUZZ_ASSERT(*fields[i] <= MEMINFO_FUZZ_MAX_KB);
	if (!mi.has_mem_available)
		FUZZ_ASSERT(mi.mem_available_kb == 0);

	config_defaults(&cfg);
	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++) {
			double pct;

			cfg.buffer_elasticity_pct = elasticity[i];
			cfg.cache_elasticity_pct = elasticity[j];
			pct = meminfo_free_pct(&mi, FREE_PARAMS(&cfg));
			FUZZ_ASSERT(isfinite(pct) && pct >= 0.0);
			FUZZ_ASSERT(meminfo_free_kb(&mi, FREE_PARAMS(&cfg)) >=
				    mi.swap_free_kb);
			FUZZ_ASSERT(meminfo_total_kb(&mi) > 0);
		}
	return 0;
}

#ifndef GM_FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_meminfo_one(data, size);
}
#endif
