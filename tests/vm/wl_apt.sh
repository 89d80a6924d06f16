#!/bin/sh
# Issue 14, apt on a real Debian 12 guest too small for it: one boot of
# WL_APT_MEM MiB (default 128: with no swap it finished in 256 MiB, whose
# MemTotal is 205 MiB, lowest MemAvailable 112 MiB, and in 192 MiB,
# MemTotal 145 MiB, lowest MemAvailable 49 MiB) of the booted guest of
# tests/pkg/lib.sh, which
# runs, one after the other with everything reset in between,
#   apt-get update && apt-get install cron logrotate less
# from a file: repository in the guest carrying the full bookworm main
# Packages index (tests/vm/workload-lib.sh), with
#   none      no swap at all: it must fail;
#   reactive  ghostmemory installed from the built .deb with dpkg and
#             started by its init script, upgrade_reserve=0 (no apt
#             hook): must finish;
#   hook      the same with upgrade_reserve=auto: the packaged apt hook
#             reserves before apt-get update and dpkg: must finish.
# Root, qemu-system-x86_64 and debootstrap's archive access (the guest
# tree and the .debs, cached) needed; the guest itself has no network.
set -u
. tests/vm/workload-lib.sh

WL_CASES="wl_apt_none wl_apt_reactive wl_apt_hook"
# With no swap apt-get is OOM-killed at 128 MiB (two boots), but with
# swap each run took more than 10 minutes under TCG on a loaded host, so
# this script is not a t_*.sh of make check: run it by hand.
mem=${WL_APT_MEM:-128}
wl_test wlapt apt "$mem" none reactive hook
wl_judge apt none wl_apt_none fails
wl_judge apt reactive wl_apt_reactive ok
wl_judge apt hook wl_apt_hook ok
