# shellcheck shell=sh disable=SC2154,SC2034
# (sourced: guest-init.sh sets the P_* parameters and helpers)
# Guest side of bench/run.sh's zram and stress cells (issues 15 and 17):
# sourced by tests/vm/guest-init.sh for gm.scenario=bench (the host puts
# it in the initramfs as /guest-bench.sh), so its helpers (result,
# start_daemon, start_sampler, wl_report...) and P_* parameters are here.
# Parameters beyond guest-init.sh's:
#   zram     1: a zram device of MemTotal at priority 100 before the
#            daemon starts (zram-tools' default on small boards)
#   procs    workloads at once, mb/procs MiB each, each at gm.rate
#   spikes   how many times the workload runs (1), gm.gap s apart (5)
# Reports, beyond guest-init.sh's run scenario: one "wl name=main" line
# for the whole cell (ok only when every workload was ok; wall from the
# first start to the last end, gaps included), and
# "made files=N largest_mb=M": files the provider made (its log:
# ghostmemory's "swap file ...: N MiB written|allocated"; swapspace's
# mkswap's "Setting up swapspace version", one per file; the static
# file is one) and the largest file seen in its directory (polled every
# 0.5 s).

bench_zram() {
	bz_mb=$(($(awk '/^MemTotal/ { print $2 }' /proc/meminfo) / 1024))
	if [ -b /dev/zram0 ] && echo "${bz_mb}M" >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null && workload swapon /dev/zram0 100; then
		result "zram_setup ok=1 mb=$bz_mb"
	else
		result "setup=fail why=zram"
	fi
}

# One round of the workload: procs of them at once.
bench_round() {
	br_n=${P_procs:-1}
	if [ "$br_n" -le 1 ]; then
		run_wl "s$1" "$P_mb" "$P_rate" "$P_hold"
		return
	fi
	br_pids='' br_i=0
	br_t0=$(now_ms)
	while [ $br_i -lt "$br_n" ]; do
		br_i=$((br_i + 1))
		(oom0 /bin/workload $((P_mb / br_n)) "$P_rate" "$P_hold") \
			>/tmp/wl.s$1p$br_i 2>>/tmp/wl.err &
		br_pids="$br_pids $!"
	done
	br_i=0
	for br_p in $br_pids; do
		br_i=$((br_i + 1))
		wait "$br_p"
		wl_report "s${1}p$br_i" $((P_mb / br_n)) "$P_rate" $? \
			$(($(now_ms) - br_t0))
	done
}

# The largest file in the provider's directory, polled.
bench_sizes() {
	: >/tmp/bench.sizes
	while :; do
		for bs_f in "$SWAPDIR"/*; do
			[ -f "$bs_f" ] && stat -c %s "$bs_f"
		done >>/tmp/bench.sizes 2>/dev/null
		sleep 0.5
	done
}

bench_made() {
	case "$P_daemon" in
	static) bm_n=1 ;;
	swapspace) bm_n=$(grep -c 'Setting up swapspace version' /tmp/daemon.log) ;;
	ghostmemory)
		bm_n=$(grep -cE 'swap file .*: [0-9]+ MiB (written|allocated with fallocate) in' /tmp/daemon.log)
		;;
	*) bm_n=0 ;;
	esac
	bm_l=$(sort -n /tmp/bench.sizes 2>/dev/null | tail -n 1)
	result "made files=${bm_n:-0} largest_mb=$((${bm_l:-0} / 1048576))"
}

# Static on btrfs: a swap file there must be NOCOW before it has data.
if [ "$P_daemon" = static ] && [ "$P_fs" = btrfs ]; then
	: >/var/lib/swapfile && chattr +C /var/lib/swapfile ||
		result "setup=fail why=static_nocow"
fi
[ "${P_zram:-0}" = 1 ] && bench_zram
start_sampler
disk_report
start_daemon
SWAPDIR=${SWAPDIR:-/var/lib/ghostmemory}
[ "$P_daemon" = static ] && SWAPDIR=/var/lib
bench_sizes &
SIZES_PID=$!
b_t0=$(now_ms)
b_i=0
while [ $b_i -lt "${P_spikes:-1}" ]; do
	b_i=$((b_i + 1))
	[ $b_i -gt 1 ] && sleep "${P_gap:-5}"
	bench_round $b_i
done
b_wall=$(($(now_ms) - b_t0))
# The cell's outcome: killed when any workload was, else the first
# that was not ok, else ok.
b_res=ok
for b_f in /tmp/wl.s*; do
	b_r=$(sed -n 's/^WORKLOAD result=\([a-z]*\).*/\1/p' "$b_f" | head -n 1)
	case "$b_r" in
	ok) ;;
	killed) b_res=killed ;;
	*) [ "$b_res" = ok ] && b_res=${b_r:-error} ;;
	esac
done
result "wl name=main wall_ms=$b_wall result=$b_res mb=$P_mb rate=$P_rate procs=${P_procs:-1} spikes=${P_spikes:-1}"
sleep 1
kill "$SIZES_PID" 2>/dev/null
[ -n "$GM_PID" ] && result "daemon_alive=$(alive "$GM_PID")"
bench_made
TAG=end
[ "$P_daemon" = static ] || files_report "$SWAPDIR"
disk_report
