/* libFuzzer target: the --simulate trace parser (trace_parse) and, for
 * short traces it accepts, the replay itself (simulate_buf), which runs
 * every snapshot through meminfo_parse_buf, the forecast, the FSM and
 * the sizing policy.
 * Properties: trace_parse returns 0 or -1 with a message, frees everything with trace_free (LeakSanitizer); what it
 * accepts has times that never decrease, bodies inside the buffer, and a
 * power-of-two page size; simulate_buf agrees with it on what is a trace,
 * and its result stays within the pool's bounds. */
#include "config.h"
#include "fuzz.h"
#include "pool.h"
#include "simulate.h"
#include "trace.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A replay costs a tick per simulated second: keep fuzzing fast. */
#define FUZZ_SIM_MAX_SPAN_MS (600 * 1000)

static FILE *fuzz_null;

static int fuzz_trace_one(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct trace tr;
	struct config cfg;
	struct sim_result res;
	char err[256];
	size_t i;
	int rc, src;

	err[0] = '\0';
	rc = trace_parse(&tr, buf, size, err, sizeof(err));
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (rc != 0) {
		FUZZ_ASSERT(err[0] != '\0');
		trace_free(&tr);
		return 0;
	}
	FUZZ_ASSERT(tr.page_size >= 1024 &&
		    (tr.page_size & (tr.page_size - 1)) == 0);
	for (i = 0; i < tr.n; i++) {
		FUZZ_ASSERT(tr.s[i].body >= buf &&
			    tr.s[i].body + tr.s[i].len <= buf + size);
		if (i > 0)
			FUZZ_ASSERT(tr.s[i].t_ms >= tr.s[i - 1].t_ms);
	}
	if (tr.n == 0 ||
	    tr.s[tr.n - 1].t_ms - tr.s[0].t_ms > FUZZ_SIM_MAX_SPAN_MS) {
		trace_free(&tr);
		return 0;
	}
	trace_free(&tr);

	if (fuzz_null == NULL)
		fuzz_null = fopen("/dev/null", "w");
	if (fuzz_null == NULL)
		return 0;
	config_defaults(&cfg);
	memset(&res, 0, sizeof(res));
	src = simulate_buf(&cfg, buf, size, fuzz_null, &res, err, sizeof(err));
	FUZZ_ASSERT(src == 0);
	if (src == 0) {
		FUZZ_ASSERT(res.ticks > 0);
		FUZZ_ASSERT(res.read_errors >= 0 && res.read_errors <= res.ticks);
		FUZZ_ASSERT(res.max_files >= 0 && res.max_files <= POOL_MAX);
		FUZZ_ASSERT(res.final_files >= 0 &&
			    res.final_files <= res.max_files);
		FUZZ_ASSERT(res.final_state >= 0 &&
			    res.final_state < FSM_NSTATES);
	}
	return 0;
}

#ifndef GM_FUZZ_REGRESS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_trace_one(data, size);
}
#endif
