#!/bin/sh
# Issue 14, a real compile on a real Debian 12 guest too small for it:
# one boot of WL_BUILD_MEM MiB (default 192) of the booted guest
# of tests/pkg/lib.sh, which runs, one after the other with everything
# reset in between, make -j2 of googletest's gtest_main.cc and
# gmock_main.cc as the googletest package ships them (g++ -O0: two
# cc1plus of about 165 MiB at once; tests/vm/workload-lib.sh),
# with
#   none      no swap at all: cc1plus is OOM-killed, make fails;
#   reactive  ghostmemory installed from the built .deb with dpkg and
#             started by its init script: must finish;
#   reserved  ghostmemory --reserve=WL_RESERVE (256m) -- make -j2: must finish
#             with no shortage at all: from the moment make starts (the
#             reservation met) no swap is added, the daemon is never
#             seen hungry (its status file, sampled every 0.5 s) and
#             nothing is OOM-killed.
# Root, qemu-system-x86_64 and debootstrap's archive access (the guest
# tree, cached) needed; the guest itself has no network.
set -u
. tests/vm/workload-lib.sh

WL_CASES="wl_build_none wl_build_reactive wl_build_reserved"
# Not yet run to the end in this size, so not a t_*.sh of make check:
# run it by hand.
mem=${WL_BUILD_MEM:-192}
WL_RESERVE=${WL_RESERVE:-256m}
wl_test wlbuild build "$mem" none reactive reserved
wl_judge build none wl_build_none killed
wl_judge build reactive wl_build_reactive ok
wl_judge build reserved wl_build_reserved clean
