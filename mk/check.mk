# Robustness checks (included by the Makefile after its variables).
#
#   make fuzz         every libFuzzer target for FUZZ_SECONDS (fuzz/run.sh)
#   make check-extra  all of the below, then the fuzzers:
#     check-werror    -Wall -Wextra -Werror builds with gcc and with clang
#     check-asan      unit suite under ASan+UBSan; as root also the
#                     daemon's script suites (cli obs integration hostile
#                     fault) with an ASan+UBSan ./ghostmemory (its build
#                     directory is readable, and its report directory
#                     writable, by the tests that run it as nobody)
#     check-valgrind  unit suite under valgrind: no error, nothing
#                     definitely lost.  GM_VALGRIND=1 is set for the tests:
#                     valgrind does not implement swapon(2) (ENOSYS), so
#                     a test that expects the kernel's EPERM must know.
#     check-cppcheck  cppcheck over src/: no finding (a suppression is
#                     justified where it stands, in the source)
#     check-32        the daemon and the unit suite built and run as
#                     static i386 programs (gcc -m32 -static, Debian's
#                     gcc-multilib): 32-bit long and size_t, and off_t
#                     only as wide as the build makes it.  They run on
#                     this kernel if it has IA32 emulation, else in a
#                     qemu guest of Debian's kernel (tests/vm/t_unit32.sh,
#                     which make check runs in the vm suite)
# Every build goes to its own mktemp -d directory: the tree's objects are
# never touched.  On two cores the whole takes about five minutes with
# FUZZ_SECONDS=60 (the fuzzers run two at a time, FUZZ_JOBS).

FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 2
CHECK_GCC    ?= gcc
CHECK_32_CC  ?= $(CHECK_GCC) -m32
CHECK_CLANG  ?= clang
CHECK_SAN_CC ?= $(CHECK_CLANG)
CHECK_CC_gcc   = $(CHECK_GCC)
CHECK_CC_clang = $(CHECK_CLANG)
CHECK_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all
CHECK_SAN_SUITES ?= cli obs integration hostile fault
VALGRIND      = valgrind -q --error-exitcode=1 --leak-check=full \
                --errors-for-leak-kinds=definite
CPPCHECK      = cppcheck --enable=warning,style,performance,portability \
                --error-exitcode=1 --inline-suppr -q

.PHONY: fuzz check-extra check-werror check-werror-gcc check-werror-clang \
	check-asan check-valgrind check-cppcheck check-32 check-32-build

# $(call chk_build,CC,FLAGS): in the shell variable $d, build every object,
# the daemon and every unit test with CC and FLAGS; stops at the first
# failure.
define chk_build
mkdir -p "$$d/src" "$$d/tests/unit" && \
for s in $(SRCS); do \
	$(1) $(GM_CFLAGS) $(CPPFLAGS) $(2) -c -o "$$d/$${s%.c}.o" "$$s" || exit 1; \
done && \
$(1) $(2) -pthread -o "$$d/ghostmemory" $(addprefix $$d/,$(OBJS)) && \
for t in $(UNIT_SRCS); do \
	$(1) $(GM_CFLAGS) $(CPPFLAGS) $(2) -Isrc -o "$$d/$${t%.c}" "$$t" \
		$(addprefix $$d/,$(LIBOBJS)) || exit 1; \
done
endef

# $(call chk_units,WRAPPER): run each unit test built in $d from the top
# directory (for the fixtures), under WRAPPER; each must exit 0 with a
# "RESULT n 0" line.  Sets $$bad.
define chk_units
bad=0; \
for t in $(UNIT_BINS); do \
	$(1) "$$d/$$t" >"$$d/out" 2>&1; rc=$$?; \
	if [ $$rc -ne 0 ] || ! grep -q '^RESULT [0-9]* 0$$' "$$d/out"; then \
		echo "FAIL $$t (exit $$rc):"; tail -n 40 "$$d/out"; bad=1; \
	else \
		echo "PASS $$t: $$(grep '^RESULT' "$$d/out")"; \
	fi; \
done
endef

check-extra: check-werror check-asan check-valgrind check-cppcheck check-32 fuzz

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) \
		CLANG=$(CHECK_CLANG) sh fuzz/run.sh

check-werror: check-werror-gcc check-werror-clang

check-werror-gcc check-werror-clang: check-werror-%:
	@echo "== -Wall -Wextra -Werror build with $(CHECK_CC_$*)"
	@d=$$(mktemp -d /tmp/gm-werror.XXXXXX) || exit 1; \
	trap 'rm -rf "$$d"' EXIT; \
	$(call chk_build,$(CHECK_CC_$*),-O2 -g -Werror) && \
	for h in $(wildcard tests/helpers/*.c); do \
		$(CHECK_CC_$*) -std=c99 -D_GNU_SOURCE $(LFS_CFLAGS) -Wall -Wextra -Werror -O2 \
			-o "$$d/helper" "$$h" || exit 1; \
	done && echo "PASS werror-$*"

check-asan:
	@echo "== unit suite under ASan+UBSan ($(CHECK_SAN_CC))"
	@d=$$(mktemp -d /tmp/gm-asan.XXXXXX) || exit 1; \
	trap 'rm -rf "$$d"' EXIT; \
	$(call chk_build,$(CHECK_SAN_CC),-O1 -g -fno-omit-frame-pointer $(CHECK_SAN)) || exit 1; \
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1; \
	$(call chk_units,); \
	if [ "$$(id -u)" = 0 ]; then \
		echo "== $(CHECK_SAN_SUITES) suites with an ASan+UBSan daemon"; \
		chmod 0755 "$$d"; mkdir -m 1777 "$$d/reports"; \
		export ASAN_OPTIONS="$$ASAN_OPTIONS:log_path=$$d/reports/asan" \
			UBSAN_OPTIONS="$$UBSAN_OPTIONS:log_path=$$d/reports/ubsan"; \
		for s in $(CHECK_SAN_SUITES); do \
			GM="$$d/ghostmemory" sh tests/run.sh $$s >"$$d/suite" 2>&1 || bad=1; \
			awk '/^(FAIL|SKIP) /{p=1; print; next} /^    /{if (p) print; next} {p=0}' "$$d/suite"; \
			echo "suite $$s (ASan daemon): $$(tail -n 1 "$$d/suite")"; \
		done; \
		for r in "$$d"/reports/*; do \
			[ -f "$$r" ] || continue; \
			echo "FAIL sanitizer report from the daemon ($$r):"; \
			head -n 40 "$$r"; bad=1; \
		done; \
	else \
		echo "SKIP asan-daemon-suites: need root"; \
	fi; \
	[ $$bad -eq 0 ]

check-valgrind:
	@echo "== unit suite under valgrind"
	@command -v valgrind >/dev/null || { echo "FAIL valgrind: not installed"; exit 1; }; \
	d=$$(mktemp -d /tmp/gm-valgrind.XXXXXX) || exit 1; \
	trap 'rm -rf "$$d"' EXIT; \
	$(call chk_build,$(CHECK_GCC),-O1 -g) || exit 1; \
	export GM_VALGRIND=1; \
	$(call chk_units,$(VALGRIND)); \
	[ $$bad -eq 0 ]

# check-32-build CHECK_32_OUT=DIR: the daemon and every unit test built
# as static i386 programs into DIR (static, so that a guest with no i386
# libc runs them too), and their names, one a line, in DIR/units.
check-32-build:
	@d="$(CHECK_32_OUT)"; [ -n "$$d" ] || { echo "check-32-build: set CHECK_32_OUT=DIR" >&2; exit 1; }; \
	$(call chk_build,$(CHECK_32_CC),-O2 -g -Werror -static) || exit 1; \
	for t in $(UNIT_BINS); do echo "$$t"; done >"$$d/units"

# check-32: tests/vm/t_unit32.sh runs them, on this kernel when it runs
# i386 programs, in a guest of Debian's kernel (IA32 emulation) if not.
check-32:
	@echo "== unit suite as a 32-bit program ($(CHECK_32_CC))"
	@out=$$(mktemp /tmp/gm-check32.XXXXXX) || exit 1; \
	trap 'rm -f "$$out"' EXIT; \
	MAKE="$(MAKE)" CHECK_32_CC="$(CHECK_32_CC)" sh tests/vm/t_unit32.sh | tee "$$out"; \
	grep -q '^PASS ' "$$out" && ! grep -q '^FAIL \|^SKIP ' "$$out"

check-cppcheck:
	@echo "== cppcheck over src/"
	@command -v cppcheck >/dev/null || { echo "FAIL cppcheck: not installed"; exit 1; }
	$(CPPCHECK) src/ && echo "PASS cppcheck: no findings"
