/*
 * Guest-side helper for the qemu tests and the benchmark.  Static, libc
 * only, so it runs inside a busybox initramfs.
 *
 *   workload MB RATE HOLD_S [CHECK_EVERY]
 *     Allocate MB MiB in 1 MiB chunks and touch every page at RATE MiB/s
 *     (0 = as fast as it can), hold HOLD_S seconds, check a sample of the
 *     pages (every CHECK_EVERY-th page, default 8: so swap that lost data
 *     is a failure, not a pass), free, exit.  Swap over NFS under TCG
 *     reads a page back in tens of ms: its test checks one page per MiB.
 *     Prints one line on stdout:
 *       WORKLOAD result=ok mb=.. rate=.. elapsed_ms=.. alloc_ms=..
 *     result=enomem when mmap refused a chunk, result=corrupt when a page
 *     came back wrong.  Progress goes to stderr every 64 MiB, and
 *     "WORKLOAD allocated mb=.. ms=.." once every page is touched.
 *     SIGUSR1 ends the hold early (the check and the free still run).
 *     WORKLOAD_FILL=half in the environment: the first half of each page
 *     is pseudo-random, so a page compresses to about half (what zram
 *     and zswap see of real anonymous memory); default: one byte value.
 *
 *   workload swapon DEVICE PRIORITY
 *     swapon(2) with SWAP_FLAG_PREFER (busybox's swapon has no -p).
 *
 *   workload commit MB STEP_MB INTERVAL_MS
 *     Commit MB MiB without touching it (under vm.overcommit_memory=2 a
 *     private writable mapping is charged when it is made), STEP_MB at a
 *     time every INTERVAL_MS, and stop at the first refusal.  One line:
 *       WORKLOAD result=ok|enomem mb=.. committed_mb=.. steps=..
 *                elapsed_ms=.. commit_limit_kb=..
 *     commit_limit_kb: CommitLimit when it stopped.
 *
 *   workload single MB RATE HOLD_S
 *     The same with all MB MiB in ONE mapping: the kernel's heuristic
 *     overcommit refuses it at once (result=enomem at_mb=0) when it is
 *     larger than RAM + the swap that is on.  The line says single=1.
 *
 *   workload sample INTERVAL_MS LOWER_PCT OUTFILE
 *     Watch /proc/meminfo and /proc/swaps until SIGTERM and keep the peaks
 *     in OUTFILE (rewritten on every change, so a SIGKILL loses nothing):
 *       SAMPLE peak_swap_kb=.. peak_used_kb=.. peak_files=.. min_avail_kb=..
 *              samples=.. reactions=.. react_med_ms=.. react_max_ms=..
 *     A "reaction" is the time from the first sample whose free% (as the
 *     daemons compute it: MemAvailable+SwapFree over MemTotal+SwapTotal)
 *     is under LOWER_PCT to the first sample showing more swap.
 *     first_short_ms / first_swap_ms are CLOCK_MONOTONIC times (about the
 *     kernel log's clock) of the first shortage and the first swap seen,
 *     -1 if none, to set against the OOM killer's timestamp.  Chunks
 *     are 1 MiB each because the kernel's heuristic overcommit refuses a
 *     single mapping larger than RAM + swap, and we want the OOM killer,
 *     not ENOMEM, to be the way a workload dies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <time.h>
#include <unistd.h>

#define CHUNK_B (1024UL * 1024UL)
#define MAX_REACT 256

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static volatile sig_atomic_t hold_over;

static void on_usr1(int sig)
{
	(void)sig;
	hold_over = 1;
}

/* A value each page can be checked against: depends on chunk and page. */
static uint64_t stamp(size_t chunk, size_t page)
{
	return 0x9e3779b97f4a7c15ULL * (chunk * 4096 + page + 1);
}

/* workload single: one mapping for the whole size. */
static int single_map;

static int run_workload(long mb, long rate, long hold_s, long every)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t pages_per_chunk = CHUNK_B / (size_t)page;
	unsigned char **chunks;
	int64_t t0, t_alloc, t_end;
	long i;
	size_t p;
	long bad = 0;
	const char *fill = getenv("WORKLOAD_FILL");
	int half = fill && strcmp(fill, "half") == 0;

	chunks = calloc((size_t)mb, sizeof(*chunks));
	if (!chunks) {
		printf("WORKLOAD result=enomem mb=%ld rate=%ld\n", mb, rate);
		return 3;
	}
	t0 = now_ms();
	if (single_map) {
		unsigned char *base = mmap(NULL, (size_t)mb * CHUNK_B,
					   PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base == MAP_FAILED) {
			printf("WORKLOAD result=enomem mb=%ld rate=%ld at_mb=0 "
			       "errno=%d single=1\n", mb, rate, errno);
			fflush(stdout);
			return 3;
		}
		for (i = 0; i < mb; i++)
			chunks[i] = base + (size_t)i * CHUNK_B;
	}
	for (i = 0; i < mb; i++) {
		if (!single_map)
			chunks[i] = mmap(NULL, CHUNK_B, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (chunks[i] == MAP_FAILED) {
			printf("WORKLOAD result=enomem mb=%ld rate=%ld at_mb=%ld "
			       "errno=%d\n", mb, rate, i, errno);
			fflush(stdout);
			return 3;
		}
		for (p = 0; p < pages_per_chunk; p++) {
			uint64_t v = stamp((size_t)i, p);
			unsigned char *pg = chunks[i] + p * (size_t)page;
			/* Fill the whole page so it is not a trivially
			 * compressible one, and stamp its first word. */
			memset(pg, (int)(v & 0xff) | 1, (size_t)page);
			if (half) {
				uint64_t x = v | 1;
				size_t k;

				for (k = 0; k + 8 <= (size_t)page / 2; k += 8) {
					x ^= x << 13, x ^= x >> 7, x ^= x << 17;
					memcpy(pg + k, &x, 8);
				}
			}
			memcpy(pg, &v, sizeof(v));
		}
		if ((i + 1) % 64 == 0) {
			fprintf(stderr, "WORKLOAD progress mb=%ld ms=%lld\n",
				i + 1, (long long)(now_ms() - t0));
		}
		if (rate > 0)
			sleep_ms(t0 + (i + 1) * 1000 / rate - now_ms());
	}
	t_alloc = now_ms();
	fprintf(stderr, "WORKLOAD allocated mb=%ld ms=%lld\n", mb,
		(long long)(t_alloc - t0));
	while (!hold_over && now_ms() < t_alloc + hold_s * 1000)
		sleep_ms(100);
	/* Check every 8th page: enough to catch a lost or mixed-up area
	 * without reading the whole set back through swap under TCG. */
	if (every < 1)
		every = 8;
	for (i = 0; i < mb; i++) {
		for (p = 0; p < pages_per_chunk; p += (size_t)every) {
			uint64_t v;
			memcpy(&v, chunks[i] + p * (size_t)page, sizeof(v));
			if (v != stamp((size_t)i, p))
				bad++;
		}
		if (!single_map)
			munmap(chunks[i], CHUNK_B);
	}
	if (single_map)
		munmap(chunks[0], (size_t)mb * CHUNK_B);
	t_end = now_ms();
	printf("WORKLOAD result=%s mb=%ld rate=%ld elapsed_ms=%lld "
	       "alloc_ms=%lld bad_pages=%ld single=%d\n", bad ? "corrupt" : "ok",
	       mb, rate, (long long)(t_end - t0), (long long)(t_alloc - t0), bad,
	       single_map);
	fflush(stdout);
	free(chunks);
	return bad ? 4 : 0;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Read a whole small /proc file into buf; returns length or -1. */
static long slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = 0;
	return (long)n;
}

static unsigned long long field_kb(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	if (!p)
		return 0;
	return strtoull(p + strlen(key), NULL, 10);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static int run_sampler(long interval_ms, long lower_pct, const char *out)
{
	char buf[8192];
	unsigned long long peak_swap = 0, peak_used = 0, min_avail = ~0ULL;
	unsigned long long last_swap = 0;
	long peak_files = 0, samples = 0, nreact = 0;
	long long react[MAX_REACT], sorted[MAX_REACT];
	int64_t short_since = -1;
	int64_t first_short = -1, first_swap = -1; /* CLOCK_MONOTONIC ms */
	char tmp[512];
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	snprintf(tmp, sizeof(tmp), "%s.tmp", out);
	for (;;) {
		unsigned long long mt, ma, st, sf, fr;
		long files = 0, changed = 0;
		char *l;

		if (slurp("/proc/meminfo", buf, sizeof(buf)) > 0) {
			mt = field_kb(buf, "MemTotal:");
			ma = field_kb(buf, "MemAvailable:");
			st = field_kb(buf, "SwapTotal:");
			sf = field_kb(buf, "SwapFree:");
			samples++;
			if (st > peak_swap)
				peak_swap = st, changed = 1;
			if (st - sf > peak_used)
				peak_used = st - sf, changed = 1;
			if (ma < min_avail)
				min_avail = ma, changed = 1;
			fr = mt + st ? 100 * (ma + sf) / (mt + st) : 100;
			if (st > last_swap && short_since >= 0) {
				if (nreact < MAX_REACT)
					react[nreact++] = now_ms() - short_since;
				short_since = -1;
				changed = 1;
			} else if (fr < (unsigned long long)lower_pct &&
				   short_since < 0) {
				short_since = now_ms();
			} else if (fr >= (unsigned long long)lower_pct &&
				   short_since >= 0 &&
				   now_ms() - short_since > 5000) {
				/* A shortage that went away by itself (page
				 * cache, or the OOM killer) is forgotten after
				 * 5 s; swap that came late still counts. */
				short_since = -1;
			}
			if (fr < (unsigned long long)lower_pct && first_short < 0)
				first_short = now_ms(), changed = 1;
			if (st > 0 && first_swap < 0)
				first_swap = now_ms(), changed = 1;
			last_swap = st;
		}
		if (slurp("/proc/swaps", buf, sizeof(buf)) > 0) {
			for (l = strchr(buf, '\n'); l && l[1]; l = strchr(l + 1, '\n'))
				files++;
			if (files > peak_files)
				peak_files = files, changed = 1;
		}
		if (changed || stop || samples == 1) {
			FILE *f = fopen(tmp, "w");
			long long med = 0, max = 0;

			if (nreact) {
				memcpy(sorted, react, sizeof(react[0]) * nreact);
				qsort(sorted, nreact, sizeof(sorted[0]), cmp_ll);
				med = sorted[nreact / 2];
				max = sorted[nreact - 1];
			}
			if (f) {
				fprintf(f, "SAMPLE peak_swap_kb=%llu peak_used_kb=%llu "
					"peak_files=%ld min_avail_kb=%llu samples=%ld "
					"reactions=%ld react_med_ms=%lld "
					"react_max_ms=%lld first_short_ms=%lld "
					"first_swap_ms=%lld\n", peak_swap, peak_used,
					peak_files, min_avail, samples, nreact, med,
					max, (long long)first_short,
					(long long)first_swap);
				fclose(f);
				rename(tmp, out);
			}
		}
		if (stop)
			return 0;
		sleep_ms(interval_ms);
	}
}

static int run_commit(long mb, long step_mb, long interval_ms)
{
	char buf[8192];
	long done = 0, steps = 0;
	int64_t t0 = now_ms();
	int ok = 1;

	if (step_mb <= 0)
		step_mb = 1;
	while (done < mb) {
		long n = mb - done < step_mb ? mb - done : step_mb;
		void *p = mmap(NULL, (size_t)n * CHUNK_B,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			ok = 0;
			break;
		}
		done += n;
		steps++;
		sleep_ms(interval_ms);
	}
	printf("WORKLOAD result=%s mb=%ld committed_mb=%ld steps=%ld "
	       "elapsed_ms=%lld commit_limit_kb=%llu\n",
	       ok ? "ok" : "enomem", mb, done, steps,
	       (long long)(now_ms() - t0),
	       slurp("/proc/meminfo", buf, sizeof(buf)) > 0
		       ? field_kb(buf, "CommitLimit:")
		       : 0ULL);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && strcmp(argv[1], "swapon") == 0) {
		int prio = atoi(argv[3]);

		if (swapon(argv[2], SWAP_FLAG_PREFER |
					    ((prio << SWAP_FLAG_PRIO_SHIFT) &
					     SWAP_FLAG_PRIO_MASK)) < 0) {
			perror("swapon");
			return 1;
		}
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "commit") == 0)
		return run_commit(atol(argv[2]), atol(argv[3]), atol(argv[4]));
	if (argc == 5 && strcmp(argv[1], "sample") == 0)
		return run_sampler(atol(argv[2]), atol(argv[3]), argv[4]);
	if (argc >= 5 && strcmp(argv[1], "single") == 0) {
		single_map = 1;
		argv++;
		argc--;
	}
	if (argc == 4 || argc == 5) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sigaction(SIGUSR1, &sa, NULL);
		return run_workload(atol(argv[1]), atol(argv[2]), atol(argv[3]),
				    argc == 5 ? atol(argv[4]) : 8);
	}
	fprintf(stderr, "usage: workload [single] MB RATE HOLD_S [CHECK_EVERY]\n"
			"       workload swapon DEVICE PRIORITY\n"
			"       workload commit MB STEP_MB INTERVAL_MS\n"
			"       workload sample INTERVAL_MS LOWER_PCT OUTFILE\n");
	return 2;
}
