#!/bin/sh
# Builds the libFuzzer targets (fuzz/fuzz_*.c) with ASan and UBSan and runs
# each for a bounded time from its seed corpus (fuzz/corpus/<target>/).
# Fails on any crash, leak, timeout, sanitizer report or broken property.
#
# Usage: fuzz/run.sh [target...]        (default: every target)
#   FUZZ_SECONDS  time per target (default 60)
#   FUZZ_JOBS     targets run at once (default 2)
#   FUZZ_MERGE=1  merge new coverage-increasing inputs into fuzz/corpus/
#   CLANG         compiler (default clang)
# A failing input is copied to fuzz/artifacts/ (not tracked by git):
# minimise it, keep it as tests/unit/fixtures/regress/<target>-..., fix the
# parser.  Replay one: <binary> fuzz/artifacts/<file> (path printed below).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_JOBS=${FUZZ_JOBS:-2}
FUZZ_MERGE=${FUZZ_MERGE:-0}
CLANG=${CLANG:-clang}
FLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c99 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Wall -Wextra -Werror -Isrc -Ifuzz"
ALL="meminfo swaps config swaphdr trace sysfs ctl mountinfo"
targets=${*:-$ALL}

work=$(mktemp -d /tmp/gm-fuzz.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT PIPE TERM

# The parser sources each target needs (never main.c).
CONFIG_SRCS="src/config.c src/config_keys.c src/config_file.c src/config_args.c src/util.c src/errbuf.c src/swappath.c"
sources() {
	case "$1" in
	meminfo) echo "src/meminfo.c $CONFIG_SRCS" ;;
	swaps) echo "src/swaps.c src/util.c" ;;
	config) echo "$CONFIG_SRCS" ;;
	swaphdr) echo "src/swaphdr.c" ;;
	ctl) echo "src/ctlproto.c src/util.c" ;;
	sysfs) echo "src/othermem.c src/resume.c src/util.c" ;;
	mountinfo) echo "src/mountinfo.c src/util.c" ;;
	trace) echo "src/trace.c src/simulate.c $CONFIG_SRCS src/meminfo.c src/policy.c src/fsm.c src/predict.c src/tick.c" ;;
	*) return 1 ;;
	esac
}

# Longest input per target: over the parsers' own limits (meminfo reads
# 8 KiB, config lines stop at 1 KiB) and one 64 KiB page plus 9 bytes.
max_len() {
	case "$1" in
	swaphdr) echo 65545 ;;
	ctl) echo 512 ;;
	swaps | trace | mountinfo) echo 16384 ;;
	*) echo 8192 ;;
	esac
}

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "FAIL fuzz: $CLANG not found (libFuzzer needs clang)"
	exit 1
fi

failed=0
for t in $targets; do
	srcs=$(sources "$t") || { echo "FAIL fuzz_$t: no such target (have: $ALL)"; failed=1; continue; }
	# shellcheck disable=SC2086
	if ! $CLANG $FLAGS -o "$work/fuzz_$t" "fuzz/fuzz_$t.c" $srcs >"$work/build_$t.log" 2>&1; then
		echo "FAIL fuzz_$t: build failed:"
		cat "$work/build_$t.log"
		failed=1
	fi
done
[ "$failed" -eq 0 ] || exit 1

run_one() {
	t=$1
	mkdir -p "$work/corpus_$t" "$work/art_$t"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$work/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
		-rss_limit_mb=2048 -max_len="$(max_len "$t")" \
		-print_final_stats=1 -artifact_prefix="$work/art_$t/" \
		"$work/corpus_$t" "fuzz/corpus/$t" >"$work/run_$t.log" 2>&1
	echo $? >"$work/rc_$t"
}

# Targets run FUZZ_JOBS at a time; each takes FUZZ_SECONDS, so batches.
n=0
for t in $targets; do
	run_one "$t" &
	n=$((n + 1))
	if [ "$n" -ge "$FUZZ_JOBS" ]; then
		wait
		n=0
	fi
done
wait

for t in $targets; do
	log="$work/run_$t.log"
	rc=$(cat "$work/rc_$t" 2>/dev/null || echo 99)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	arts=$(ls "$work/art_$t" 2>/dev/null)
	if [ "$rc" -ne 0 ] || [ -n "$arts" ] ||
		grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' \
			-e 'runtime error:' -e 'property broken' "$log"; then
		echo "FAIL fuzz_$t: exit $rc after ${execs:-?} runs"
		grep -A 30 -m 1 -e '==ERROR' -e 'runtime error:' -e 'property broken' -e 'ALARM' "$log" | head -n 40
		if [ -n "$arts" ]; then
			mkdir -p fuzz/artifacts
			for a in $arts; do
				cp "$work/art_$t/$a" "fuzz/artifacts/$t-$a"
				echo "  input kept: fuzz/artifacts/$t-$a"
			done
		fi
		failed=1
	else
		echo "PASS fuzz_$t: ${execs:-?} runs in ${FUZZ_SECONDS} s (${rate:-?}/s, ${cov:-cov: ?}, corpus $(ls "fuzz/corpus/$t" | wc -l) seeds + $(ls "$work/corpus_$t" | wc -l) found)"
	fi
	if [ "$FUZZ_MERGE" = 1 ] && [ -x "$work/fuzz_$t" ]; then
		"$work/fuzz_$t" -merge=1 -max_len="$(max_len "$t")" \
			"fuzz/corpus/$t" "$work/corpus_$t" >/dev/null 2>&1 &&
			echo "  merged new inputs into fuzz/corpus/$t"
	fi
done
exit "$failed"
