#!/bin/sh
# The unit suite as i386 programs (issue 12, defect 5: with a 32-bit
# off_t the default 2 GiB file overflowed fallocate and the zero fill, so
# no grow ever worked on i386 or armhf).  make check-32-build builds the
# daemon and every unit test with gcc -m32 -static; each test then runs
# on this kernel when it can run i386 programs, and otherwise in a qemu
# guest of Debian's kernel, which has IA32 emulation (these machines'
# kernels do not), with the fixtures beside it (tests/vm/guest-unit32.sh).
# One PASS or FAIL per unit test: unit32_test_NAME.
. tests/vm/lib.sh
MAKE=${MAKE:-make}
CHECK_32_CC=${CHECK_32_CC:-${CHECK_GCC:-gcc} -m32}

U32=$(mktemp -d /tmp/gm-unit32.XXXXXX) || exit 1
u32_cleanup() { rm -rf "$U32"; vm_cleanup; }
trap 'u32_cleanup' EXIT
trap 'u32_cleanup; exit 1' INT TERM

printf 'int main(void) { return 0; }\n' >"$U32/probe.c"
# shellcheck disable=SC2086
if ! $CHECK_32_CC -static -o "$U32/probe" "$U32/probe.c" >"$U32/probe.log" 2>&1; then
	skip_all "$CHECK_32_CC -static cannot build a program (install gcc-multilib): $(tail -n 1 "$U32/probe.log")" unit32
fi
if ! $MAKE -s check-32-build CHECK_32_OUT="$U32/b" CHECK_32_CC="$CHECK_32_CC" \
	>"$U32/build.log" 2>&1; then
	echo "FAIL unit32_build: $CHECK_32_CC could not build the daemon and the unit tests:"
	tail -n 40 "$U32/build.log" | sed 's/^/  | /'
	exit 1
fi
# ELF's class byte (offset 4): 1 is a 32-bit program.
[ "$(od -An -tu1 -j4 -N1 "$U32/b/ghostmemory" | tr -d ' ')" = 1 ] ||
	{ echo "FAIL unit32_build: $U32/b/ghostmemory is not a 32-bit program"; exit 1; }

# judge NAME RC OUTFILE: the unit test's verdict, as chk_units judges it.
judge() {
	if [ "$2" -eq 0 ] && grep -q '^RESULT [0-9]* 0$' "$3"; then
		pass "unit32_$1: $(grep '^RESULT' "$3") (i386, $WHERE)"
	else
		echo "FAIL unit32_$1: exit $2 (i386, $WHERE):"
		tail -n 40 "$3" | sed 's/^/  | /'
	fi
}

if "$U32/probe" 2>/dev/null; then
	WHERE="this kernel"
	while read -r t; do
		"$U32/b/$t" >"$U32/out" 2>&1
		judge "${t##*/}" $? "$U32/out"
	done <"$U32/b/units"
	exit 0
fi

# This kernel has no IA32 emulation: into a guest with them.
WHERE="a guest of Debian's kernel"
vm_begin unit32
# vm_begin set its own traps: ours also removes the build.
trap 'u32_cleanup' EXIT
trap 'u32_cleanup; exit 1' INT TERM
# The tests unpack into the guest's RAM (about 60 MiB stripped).
VM_MEM=1024
# What the tests read from the top directory (their fixtures, the
# traces, the fuzz seeds, a source file of their own) and util-linux's mkswap, which
# test_swaphdr compares headers with (busybox's lacks -p and -U).
u32_root() {
	mkdir -p "$1/gm32/tests/unit" "$1/gm32/fuzz"
	cp -r tests/unit/fixtures tests/unit/*.c tests/unit/*.h \
		"$1/gm32/tests/unit/" || return 1
	cp -r tests/traces "$1/gm32/tests/" || return 1
	cp -r fuzz/corpus "$1/gm32/fuzz/" || return 1
	rm -f "$1/sbin/mkswap"
	vm_copy_exe "$1" "$(command -v mkswap || echo /sbin/mkswap)" /sbin/mkswap ||
		return 1
	while read -r t; do
		strip -o "$1/gm32/$t" "$U32/b/$t" 2>/dev/null ||
			cp "$U32/b/$t" "$1/gm32/$t" || return 1
	done <"$U32/b/units"
	cp "$U32/b/units" "$1/gm32/units"
	cp tests/vm/guest-unit32.sh "$1/guest-unit32.sh"
}
VM_INITRD=$VM_WORK/initrd.gz
VM_ROOT_HOOK=u32_root vm_initramfs "$VM_INITRD" ||
	{ echo "FAIL unit32: cannot build the initramfs"; exit 1; }
vm_run unit32 1024 400 gm.scenario=unit32
if ! grep -q '^GMRESULT done=1' "$VM_LOG"; then
	vm_fail unit32 "the guest never finished" "$VM_LOG"
	exit 1
fi
# The guest prints each test's output between GMU32 BEGIN/END lines and
# its exit status.
ran=0
while read -r t; do
	n=${t##*/}
	sed -n "/^GMU32 BEGIN $n\$/,/^GMU32 END $n /p" "$VM_LOG" |
		sed '1d;$d' >"$U32/out"
	rc=$(sed -n "s/^GMU32 END $n rc=\([0-9]*\)\$/\1/p" "$VM_LOG")
	if [ -z "$rc" ]; then
		echo "FAIL unit32_$n: the guest did not run it (i386, $WHERE)"
		continue
	fi
	judge "$n" "$rc" "$U32/out"
	ran=$((ran + 1))
done <"$U32/b/units"
echo "# unit32: $ran unit tests ran as i386 programs in the guest"
