#!/bin/sh
# Runs every test and adds up the results.
#  - tests/unit/test_* programs print "RESULT <passed> <failed>";
#  - tests/*/t_*.sh scripts print "PASS name", "FAIL name: why" and
#    "SKIP name: why" lines (a root- or qemu-only test that cannot run
#    says SKIP with the reason; it never counts as passed).
# Ends with "N passed, N failed, N skipped"; exits 1 if anything failed.
# Usage: tests/run.sh [unit|cli|obs|integration|hostile|fault|pkg|vm|extra]
#   (default: all)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
only=${1:-}
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM

run_unit() {
	for t in tests/unit/test_*; do
		case "$t" in *.c|*.h|*.o) continue ;; esac
		[ -x "$t" ] || continue
		"$t" >"$log" 2>&1
		rc=$?
		grep -v '^RESULT ' "$log"
		res=$(grep '^RESULT ' "$log" | tail -n 1)
		if [ -z "$res" ]; then
			echo "FAIL $t: crashed or exited $rc without a RESULT line"
			failed=$((failed + 1))
			continue
		fi
		set -- $res
		passed=$((passed + $2))
		failed=$((failed + $3))
		if [ "$rc" -ne 0 ] && [ "$3" -eq 0 ]; then
			echo "FAIL $t: exited $rc"
			failed=$((failed + 1))
		fi
		echo "unit $t: $2 passed, $3 failed"
	done
}

run_scripts() {
	for t in tests/"$1"/t_*.sh; do
		[ -f "$t" ] || continue
		echo "== $t"
		sh "$t" >"$log" 2>&1
		rc=$?
		cat "$log"
		p=$(grep -c '^PASS ' "$log")
		f=$(grep -c '^FAIL ' "$log")
		s=$(grep -c '^SKIP ' "$log")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "FAIL $t: exited $rc"
			f=$((f + 1))
		fi
		if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
			echo "FAIL $t: reported nothing"
			f=1
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + s))
	done
}

for suite in unit cli obs integration hostile fault pkg vm extra; do
	[ -n "$only" ] && [ "$only" != "$suite" ] && continue
	if [ "$suite" = unit ]; then run_unit; else run_scripts "$suite"; fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
