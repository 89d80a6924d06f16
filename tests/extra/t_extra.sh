#!/bin/sh
# The checker builds of mk/check.mk as cases of make check: -Werror with
# gcc and clang, the suites under ASan+UBSan, the unit suite under
# valgrind, cppcheck, and every fuzzer
# for FUZZ_SECONDS (60 by default).
# A missing tool is a SKIP with its name; CI installs them all.
set -u
MAKE=${MAKE:-make}
log=$(mktemp /tmp/gm-extra.XXXXXX)
trap 'rm -f "$log"' EXIT
trap 'exit 1' HUP INT TERM

run() {
	name=$1 target=$2
	shift 2
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "SKIP $name: $tool is not installed"
			return
		fi
	done
	if $MAKE -s "$target" >"$log" 2>&1; then
		echo "PASS $name"
	else
		echo "FAIL $name: make $target failed:"
		tail -n 60 "$log" | sed 's/^/  | /'
	fi
}

run werror-gcc check-werror-gcc gcc
run werror-clang check-werror-clang clang
run asan-ubsan check-asan clang
run valgrind check-valgrind valgrind
run cppcheck check-cppcheck cppcheck
# The unit suite as an i386 program (make check-32) runs in the vm suite:
# tests/vm/t_unit32.sh, in a guest when this kernel cannot run it.
run fuzz fuzz clang
