#!/bin/sh
# run.sh: long (one of the longest guest tests: started first)
# Issue 14, a real compile on a real Debian 12 guest too small for it:
# one boot of WL_BUILD_MEM MiB (default 256: MemTotal 205 MiB) of the
# booted guest of tests/pkg/lib.sh, which runs, one after the other with
# everything reset in between, make -j2 of googletest's gtest_main.cc
# and gmock_main.cc as the googletest package ships them (g++ -O0: two
# cc1plus of about 160 and 190 MiB at once; tests/vm/workload-lib.sh),
# with
#   none      no swap at all: a cc1plus is OOM-killed, make fails;
#   reactive  ghostmemory installed from the built .deb with dpkg and
#             started by its init script: must finish;
#   reserved  ghostmemory --reserve=WL_RESERVE (512m) -- make -j2: must
#             finish with no shortage at all: from the moment make starts
#             (the reservation met) no swap is added, the daemon is never
#             seen hungry (its status file, sampled every 0.5 s), nothing
#             is OOM-killed and make never uses more swap than was active
#             then.  The daemon keeps the reserved sum free while make
#             uses it (ghostmemory(8), RESERVATIONS), so this holds
#             because the reservation is met with two 411 MiB files
#             (822 MiB, 310 above 512m) and make uses at most about
#             190 MiB of it.
# The guest turns on the kernel's multi-gen LRU with min_ttl_ms=1000
# (WL_MIN_TTL_MS) for the whole boot: its thrashing prevention, which
# calls the OOM killer when the last second's working set cannot be kept
# in memory.  Without it the run with no swap thrashes cc1plus's own
# text in and out for many minutes and nothing is killed (192 and 256
# MiB, bench/workloads.md).  WL_RUN_TIMEOUT (300 s) stops a run with no
# swap that neither finishes nor is killed (a FAIL of wl_build_none).
# Root, qemu-system-x86_64 and debootstrap's archive access (the guest
# tree, cached) needed; the guest itself has no network.
set -u
. tests/vm/workload-lib.sh

WL_CASES="wl_build_none wl_build_reactive wl_build_reserved"
mem=${WL_BUILD_MEM:-256}
WL_RESERVE=${WL_RESERVE:-512m}
WL_MIN_TTL_MS=${WL_MIN_TTL_MS:-1000}
WL_RUN_TIMEOUT=${WL_RUN_TIMEOUT:-300}
wl_test wlbuild build "$mem" none reactive reserved
wl_judge build none wl_build_none killed
wl_judge build reactive wl_build_reactive ok
wl_judge build reserved wl_build_reserved clean
