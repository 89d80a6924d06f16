#!/bin/sh
# run.sh: long (one of the longest guest tests: started first)
# Issue 14, apt on a real Debian 12 guest too small for it: one boot of
# WL_APT_MEM MiB (default 136; with no swap apt-get is OOM-killed there; see bench/workloads.md for the sizes tried) of the booted guest of
# tests/pkg/lib.sh, which runs, one after the other with everything
# reset in between,
#   apt-get update && apt-get install cron logrotate less
# from a file: repository in the guest carrying the full bookworm main
# Packages index (tests/vm/workload-lib.sh), with
#   none      no swap at all: must fail, apt-get OOM-killed, or, when it
#             thrashes longer than WL_RUN_TIMEOUT s (300) first, stopped
#             by that timeout (said on a comment line); any other
#             failure fails the case;
#   reactive  ghostmemory installed from the built .deb with dpkg and
#             started by its init script, upgrade_reserve=0: must
#             finish, and the daemon must grant no reservation (the
#             hook is off: the swap came from the reactive loop);
#   hook      the same with upgrade_reserve=auto: must finish, and the
#             daemon must grant at least one reservation while it runs
#             (its "reservation N: ..." syslog line: the packaged apt
#             hook reserved before apt-get update or dpkg).
# Root, qemu-system-x86_64 and debootstrap's archive access (the guest
# tree and the .debs, cached) needed; the guest itself has no network.
set -u
. tests/vm/workload-lib.sh

WL_CASES="wl_apt_none wl_apt_reactive wl_apt_hook"
mem=${WL_APT_MEM:-136}
# The run with no swap is OOM-killed in apt-get update here, but only
# after 195 to 447 s of thrashing on a busy host (bench/workloads.md): a
# run still going after 300 s is stopped, which counts as its failure.
WL_RUN_TIMEOUT=${WL_RUN_TIMEOUT:-300}
wl_test wlapt apt "$mem" none reactive hook
wl_judge apt none wl_apt_none starved
wl_judge apt reactive wl_apt_reactive unhooked
wl_judge apt hook wl_apt_hook hooked
