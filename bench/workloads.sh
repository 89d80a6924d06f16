#!/bin/sh
# The real workloads of issue 14 on a real Debian 12 guest, under each
# swap provider; writes bench/workloads.md (and prints it).  Not part of
# make check (tests/vm/t_wl_apt.sh, the apt boot without static and
# swapspace, and tests/vm/t_wl_build.sh, the build boot without them,
# are); make bench appends its output to bench/results.md.
#
# Per workload one boot of the booted guest (tests/pkg/lib.sh, TCG, 2
# vCPUs) at the size the tests use, which runs the workload once per
# provider, one after the other, everything reset in between (swap off
# and deleted, daemons stopped, packages purged, page cache dropped):
#   none       no swap;
#   static     a swap file of BENCH_STATIC_MB (1024) made before;
#   swapspace  Debian's swapspace 1.18 (the cached .deb in
#              $GM_VM_CACHE), installed with dpkg, its init script;
#   reactive   ghostmemory from the built .deb, its init script,
#              upgrade_reserve=0;
#   hook       (apt) the same with upgrade_reserve=auto: the apt hook;
#   reserved   (build) ghostmemory --reserve=WL_RESERVE -- make -j2.
# The workloads are in tests/vm/workload-lib.sh.  Root, qemu and the
# caches of the tests needed.
# Environment: BENCH_WL_OUT (bench/workloads.md), BENCH_WORKLOADS (apt
# build), BENCH_STATIC_MB, WL_APT_MEM, WL_BUILD_MEM, WL_RESERVE, GM_DEB;
# BENCH_WL_KEEP=DIR keeps each boot's result lines as DIR/WORKLOAD.txt,
# and BENCH_WL_FROM=DIR takes them from there instead of booting.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/vm/workload-lib.sh

OUT=${BENCH_WL_OUT:-bench/workloads.md}
WORKLOADS=${BENCH_WORKLOADS:-apt build}
WL_STATIC_MB=${BENCH_STATIC_MB:-1024}
# Five runs a boot: more time than the tests give one.
WL_TIMEOUT=${WL_TIMEOUT:-3600}
# The sizes of tests/vm/t_wl_apt.sh and t_wl_build.sh.
APT_MEM=${WL_APT_MEM:-$(sed -n 's/^mem=\${WL_APT_MEM:-\([0-9]*\)}$/\1/p' tests/vm/t_wl_apt.sh)}
BUILD_MEM=${WL_BUILD_MEM:-$(sed -n 's/^mem=\${WL_BUILD_MEM:-\([0-9]*\)}$/\1/p' tests/vm/t_wl_build.sh)}
WL_RESERVE=${WL_RESERVE:-$(sed -n 's/^WL_RESERVE=\${WL_RESERVE:-\([0-9a-z]*\)}$/\1/p' tests/vm/t_wl_build.sh)}
# The build's thrashing guard (multi-gen LRU min_ttl_ms), as its test has it.
BUILD_MIN_TTL_MS=${WL_MIN_TTL_MS:-$(sed -n 's/^WL_MIN_TTL_MS=\${WL_MIN_TTL_MS:-\([0-9]*\)}$/\1/p' tests/vm/t_wl_build.sh)}

skip_all() {
	echo "SKIP workloads: $1"
	exit 2
}
why=$(guest_cannot) && skip_all "$why"
res=$(mktemp -d /tmp/gm-wlbench.XXXXXX) || exit 1
trap 'rm -rf "$res"' EXIT
trap 'exit 1' INT TERM

# The package, built once for both boots.
if [ -z "${GM_DEB:-}" ]; then
	pkg_build "$res/out" || skip_all "package build failed: $(tail_of "$res/out.log" 6)"
	GM_DEB=$(ls "$res"/out/ghostmemory_*_"$(dpkg --print-architecture)".deb | head -n 1)
fi
export GM_DEB

started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for wl in $WORKLOADS; do
	case $wl in
	apt) mem=$APT_MEM last=hook ttl=0 ;;
	build) mem=$BUILD_MEM last=reserved ttl=${BUILD_MIN_TTL_MS:-0} ;;
	*) skip_all "unknown workload $wl" ;;
	esac
	if [ -s "${BENCH_WL_FROM:-/nonexistent}/$wl.txt" ]; then
		# The lines of an earlier boot (its GMRES and GMLOG lines).
		cp "$BENCH_WL_FROM/$wl.txt" "$res/$wl.txt"
		echo "# $wl: from $BENCH_WL_FROM/$wl.txt" >&2
		continue
	fi
	# A subshell per boot: its own work directory and cleanup trap.
	(
		WL_CASES=
		wl_setup "wlb$wl"
		if WL_MIN_TTL_MS=$ttl wl_boot "$wl" "$mem" "$wl" none static swapspace reactive "$last"; then
			cp "$work/results-$wl.txt" "$res/$wl.txt"
		else
			echo "# $wl: $WL_WHY" >&2
		fi
	)
	[ -n "${BENCH_WL_KEEP:-}" ] && [ -s "$res/$wl.txt" ] &&
		mkdir -p "$BENCH_WL_KEEP" && cp "$res/$wl.txt" "$BENCH_WL_KEEP/"
done
took=$(($(date +%s) - started))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

commit=$(git rev-parse --short HEAD 2>/dev/null)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit+dirty"
{
	echo "## Real workloads on a real Debian 12 guest (issue 14)"
	echo
	echo "Written by bench/workloads.sh on $(date -u '+%Y-%m-%d %H:%M UTC'), commit ${commit:-?};"
	echo "ghostmemory $(dpkg-deb -f "$GM_DEB" Version) and swapspace $(ls "$WL_VMCACHE"/swapspace_*.deb 2>/dev/null | tail -n 1 | sed 's/.*swapspace_//; s/_.*//') from their .debs, installed"
	echo "with dpkg in the guest and started by their init scripts (sysvinit)."
	echo "Guest: the booted Debian 12 system of tests/pkg (Debian's kernel, 2 vCPUs,"
	echo "\`-accel tcg\`, ext4 on a virtio disk, no network); host: 2 cores shared"
	echo "with other jobs, so wall times are noisy: compare them as ratios"
	echo "against static, measured in the same boot. Took $took s (load average"
	echo "before: $load_before, after: $load_after)."
	echo
	echo "- apt: \`apt-get update\` then \`apt-get install $WL_PKGS\` from a"
	echo "  file: repository in the guest with the full bookworm main Packages"
	echo "  index; guest of $APT_MEM MiB."
	echo "- build: \`make -j$WL_JOBS\` of googletest's gtest_main.cc and"
	echo "  gmock_main.cc from /usr/src/googletest (g++ -O0, two cc1plus of"
	echo "  about 160 and 190 MiB at once); guest of $BUILD_MEM MiB with the"
	echo "  multi-gen LRU on and min_ttl_ms=${BUILD_MIN_TTL_MS:-0} (the kernel's thrashing"
	echo "  prevention: an OOM kill instead of minutes of thrashing); reserved is"
	echo "  \`ghostmemory --reserve=$WL_RESERVE -- make -j$WL_JOBS\`."
	echo
	echo "One boot per workload runs the providers in this order, everything"
	echo "reset in between (swap off and deleted, daemons stopped, the installed"
	echo "packages purged, page cache dropped). Static is a ${WL_STATIC_MB} MiB swap file"
	echo "made before; reactive is ghostmemory with upgrade_reserve=0; hook is"
	echo "the default upgrade_reserve=auto with the packaged apt hook. Peak swap"
	echo "provisioned and used: the highest SwapTotal and SwapTotal - SwapFree"
	echo "sampled every 0.5 s; min avail: the lowest MemAvailable; OOM kills:"
	echo "\"Killed process\" lines of the kernel log during the run."
	echo
	echo "| workload | provider | survived | wall s | wall / static | peak swap MiB | peak used MiB | min avail MiB | OOM kills (killed) |"
	echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
	for wl in $WORKLOADS; do
		f=$res/$wl.txt
		if [ ! -s "$f" ] || ! grep -q '^GMRES ' "$f"; then
			echo "| $wl | (no result) | | | | | | | |"
			continue
		fi
		sw=$(wl_field "$(grep -a '^GMRES .* prov=static ' "$f" | tail -n 1)" wall_s)
		grep -a '^GMRES ' "$f" | while read -r l; do
			w=$(wl_field "$l" wall_s)
			ok=$(wl_field "$l" ok)
			r=$(awk -v a="$w" -v b="${sw:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
			k=$(wl_field "$l" killed)
			echo "| $wl | $(wl_field "$l" prov) | $([ "$ok" = 1 ] && echo yes || echo "no (exit $(wl_field "$l" rc))") | $w | $r | $(($(wl_field "$l" swap_max_kb) / 1024)) | $(($(wl_field "$l" used_max_kb) / 1024)) | $(($(wl_field "$l" avail_min_kb) / 1024)) | $(wl_field "$l" oom)${k:+ ($k)} |"
		done
	done
	echo
	echo "The guests' result lines and own words (reservations, files added,"
	echo "state changes):"
	echo
	for wl in $WORKLOADS; do
		[ -s "$res/$wl.txt" ] || continue
		grep -a -e '^GMLOG ' -e '^GMRES ' "$res/$wl.txt" |
			sed -e "s/^GMLOG /    $wl: /" -e "s/^GMRES /    $wl: GMRES /"
	done
} >"$OUT.new" && mv "$OUT.new" "$OUT"
cat "$OUT"
