#!/bin/sh
# Runs every test and adds up the results.
#  - tests/unit/test_* programs print "RESULT <passed> <failed>";
#  - tests/*/t_*.sh scripts print "PASS name", "FAIL name: why" and
#    "SKIP name: why" lines (a root- or qemu-only test that cannot run
#    says SKIP with the reason; it never counts as passed).
# Ends with "N passed, N failed, N skipped"; exits 1 if anything failed.
# Usage: tests/run.sh [unit|cli|obs|integration|hostile|fault|pkg|vm|extra]
#   (default: all)
# GM_VM_JOBS=N runs the guest tests N at a time (default 2).
# Each script's and each suite's seconds are printed.
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

# run_one T LOG: run the script T, its output in LOG, its exit code and
# seconds in LOG.rc and LOG.s.
run_one() {
	t0=$(date +%s)
	sh "$1" >"$2" 2>&1
	echo $? >"$2.rc"
	echo $(($(date +%s) - t0)) >"$2.s"
}

# tally T LOG: print what T said and add up its PASS/FAIL/SKIP lines.
tally() {
	echo "== $1 ($(cat "$2.s") s)"
	cat "$2"
	rc=$(cat "$2.rc")
	p=$(grep -c '^PASS ' "$2")
	f=$(grep -c '^FAIL ' "$2")
	s=$(grep -c '^SKIP ' "$2")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $1: exited $rc"
		f=$((f + 1))
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		echo "FAIL $1: reported nothing"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
}

# scripts SUITE: the suite's scripts, those with a line "# run.sh: long"
# first (a lane that starts the longest guest tests first is not left
# running one alone at the end while the other lane idles), the rest in
# file order.
scripts() {
	grep -l '^# run\.sh: long' tests/"$1"/t_*.sh 2>/dev/null
	for t in tests/"$1"/t_*.sh; do
		[ -f "$t" ] && ! grep -q '^# run\.sh: long' "$t" && echo "$t"
	done
}

# run_scripts SUITE LANES: the suite's scripts in LANES lanes, each lane
# taking the next script not yet taken (mkdir is the atomic claim), so a
# long guest test does not hold back the scripts behind it (the guest
# tests run two at a time: each guest is one TCG CPU, the machine has
# two); results in file order.
run_scripts() {
	dir=$(mktemp -d /tmp/gm-run.XXXXXX) || exit 1
	lanes=$2
	lane=0
	while [ "$lane" -lt "$lanes" ]; do
		(
			for t in $(scripts "$1"); do
				n=${t##*/}
				mkdir "$dir/$n.claim" 2>/dev/null &&
					run_one "$t" "$dir/$n"
			done
		) &
		lane=$((lane + 1))
	done
	wait
	for t in tests/"$1"/t_*.sh; do
		[ -f "$t" ] || continue
		tally "$t" "$dir/${t##*/}"
	done
	rm -rf "$dir"
}

for suite in unit cli obs integration hostile fault pkg vm extra; do
	[ -n "$only" ] && [ "$only" != "$suite" ] && continue
	t0=$(date +%s)
	case "$suite" in
	unit) run_unit ;;
	vm) run_scripts vm "${GM_VM_JOBS:-2}" ;;
	*) run_scripts "$suite" 1 ;;
	esac
	echo "suite $suite: $(($(date +%s) - t0)) s"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
