#!/bin/sh
# The checker builds of mk/check.mk as cases of make check: -Werror with
# gcc and clang, the suites under ASan+UBSan, the unit suite under
# valgrind, cppcheck, the unit suite as an i386 program, and every fuzzer
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
# gcc -m32 needs gcc-multilib (an i386 libc), and running the result a
# kernel with IA32 emulation: say which is missing.
if ! printf 'int main(void) { return 0; }\n' |
	${CHECK_GCC:-gcc} -m32 -x c -o "$log.32" - >/dev/null 2>&1; then
	echo "SKIP unit-32: ${CHECK_GCC:-gcc} -m32 cannot build a program (gcc-multilib is not installed)"
elif ! "$log.32" 2>/dev/null; then
	echo "SKIP unit-32: this kernel cannot run i386 programs (no IA32 emulation)"
else
	run unit-32 check-32 gcc
fi
rm -f "$log.32"
run fuzz fuzz clang
