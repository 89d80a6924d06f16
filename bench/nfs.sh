#!/bin/sh
# Swap on NFS, benchmarked (not part of make check): writes bench/nfs.md.
#
# Two qemu guests in a network namespace this script creates and deletes,
# joined by one qemu socket netdev (the harness of tests/vm/t_nfs*.sh):
# an NFS server (Debian's nfsd, an ext4 disk, the export
# rw,sync,no_root_squash) and a diskless client (192 MiB, NFSv4.2,
# hard, sec=sys, vm.min_free_kbytes=16384) whose swap is on the export.
# One boot of both per provider, one provider after the other (one
# client at a time):
#   static       one 1 GiB swap file made with fallocate on the export
#                before the workloads (the physical limit)
#   swapspace    Debian's swapspace 1.18 (the cached .deb, as
#                bench/run.sh uses it), `swapspace -s DIR -v`, DIR on the
#                export
#   ghostmemory  ./ghostmemory -v -c /dev/null --cooldown=5
#                --standby=none --swappath=/srv/swap/%H
# and in each boot, one workload after the other: 2 x RAM at each rate
# of BENCH_NFS_RATES (MiB/s, 0 = as fast as it can), checking one page
# per MiB, each followed by a surplus that lets the daemon take its
# files back (BENCH_NFS_SHRINK_S seconds at most).  Per rate: survived
# or killed, wall time, peak swap provisioned and used, most swap areas
# at once; ratios against static in the same run.
#
# Environment: BENCH_NFS_RATES BENCH_NFS_PROVIDERS BENCH_NFS_SHRINK_S
# BENCH_NFS_OUT, BENCH_KEEP_LOGS (a directory for the console logs), and
# the GM_VM_* variables of tests/vm/lib.sh.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/vm/lib.sh

RATES=${BENCH_NFS_RATES:-10 20 50 0}
PROVIDERS=${BENCH_NFS_PROVIDERS:-static swapspace ghostmemory}
SHRINK_S=${BENCH_NFS_SHRINK_S:-300}
OUT=${BENCH_NFS_OUT:-bench/nfs.md}
CLI_MEM=${GM_VM_NFS_MEM:-192}
MB=$((CLI_MEM * 2))

if ! vm_setup; then
	echo "SKIP bench-nfs: $VM_SKIP"
	exit 2
fi
NFS_GUEST_FILES=guest-nfs-shared.sh
. tests/vm/nfs-lib.sh
trap 'nfs_cleanup' EXIT
trap 'nfs_cleanup; exit 1' INT TERM
if ! vm_swapspace_setup; then
	echo "SKIP bench-nfs: $VM_SKIP"
	exit 2
fi
if [ ! -x "$VM_GM_BIN" ]; then
	echo "SKIP bench-nfs: $VM_GM_BIN not built (run make)"
	exit 2
fi
command -v ip >/dev/null 2>&1 || { echo "SKIP bench-nfs: ip not installed"; exit 2; }
if ! nfs_fetch || ! nfs_netns; then
	echo "SKIP bench-nfs: $NFS_WHY"
	exit 2
fi
VM_WITH_SWAPSPACE=1
nfs_initrds || { echo "bench-nfs: $NFS_WHY" >&2; exit 1; }
mkdir -p "$VM_WORK/cells"

# The client's time limit: every rate's allocation, its checks over the
# network and its surplus, with room.
rates_csv=$(echo "$RATES" | tr ' ' ,)
CLI_T=600
for r in $RATES; do
	if [ "$r" -eq 0 ]; then CLI_T=$((CLI_T + 120 + SHRINK_S)); else CLI_T=$((CLI_T + MB / r + 120 + SHRINK_S)); fi
done

started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for p in $PROVIDERS; do
	SRV_LOG=$VM_WORK/server.$p.log
	LOG=$VM_WORK/client.$p.log
	vm_disk "$VM_WORK/server.img" 3072 ext4 || { echo "bench-nfs: mkfs.ext4 failed" >&2; exit 1; }
	nfs_qemu "$SRV_LOG" "$SRV_INITRD" $((CLI_T + 120)) "listen=127.0.0.1:$NFS_PORT" 01 \
		"-drive file=$VM_WORK/server.img,if=virtio,format=raw" "$VM_MEM" \
		gm.scenario=nfs_shared_server gm.fs=ext4 gm.clients=1 &
	NFS_SRV_PID=$!
	nfs_wait_listen "$NFS_PORT"
	s0=$(date +%s)
	nfs_qemu "$LOG" "$CLI_INITRD" "$CLI_T" "connect=127.0.0.1:$NFS_PORT" 02 "" "$CLI_MEM" \
		gm.scenario=nfs_rates gm.disk=none gm.daemon="$p" gm.mb="$MB" \
		gm.rates="$rates_csv" gm.shrink_s="$SHRINK_S" gm.minfree=16384 gm.sample_ms=50
	echo "# bench-nfs: $p ran $(($(date +%s) - s0)) s"
	nfs_server_end
	ok=1
	grep -q '^GMRESULT done=1' "$LOG" || ok=0
	grep -q '^GMRESULT setup=ok' "$LOG" || ok=0
	grep -q '^GMRESULT setup=fail' "$LOG" && ok=0
	for r in $RATES; do
		res=$(vm_val "$LOG" "wl name=rate$r " result)
		[ "$ok" = 1 ] || res=error
		wall=$(vm_val "$LOG" "wl name=rate$r " wall_ms)
		ps=$(vm_val "$LOG" "rate=$r " peak_swap_kb)
		pu=$(vm_val "$LOG" "rate=$r " peak_used_kb)
		pf=$(vm_val "$LOG" "rate=$r " peak_files)
		shr=$(grep -A 1 "^GMRESULT files rate=$r " "$LOG" | sed -n 's/^GMRESULT shrunk=\([01]\).*/\1/p' | head -n 1)
		echo "$p $r ${res:-error} ${wall:-0} ${ps:-0} ${pu:-0} ${pf:-0} ${shr:--}" |
			tee "$VM_WORK/cells/$p.$r" | sed 's/^/# /'
	done
	# How long making a file took, as the daemon logged it.
	grep '^GMINFO filetime:' "$LOG" | sed 's/.*: //' >"$VM_WORK/cells/$p.filetimes"
	vm_val "$LOG" 'static ' made_ms >"$VM_WORK/cells/$p.static_ms"
	if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
		mkdir -p "$BENCH_KEEP_LOGS"
		cp "$LOG" "$SRV_LOG" "$BENCH_KEEP_LOGS/"
	fi
done
total_s=$(($(date +%s) - started))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

gm_version=$("$VM_GM_BIN" -V 2>/dev/null | head -n 1)
commit=${BENCH_GM_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null)}
if [ -z "${BENCH_GM_COMMIT:-}" ] && [ -z "${GM_VM_BINARY:-}" ] &&
	[ -n "$(git status --porcelain src 2>/dev/null)" ]; then
	commit="$commit+dirty"
fi
kernel=$(basename "$VM_KERNEL" | sed 's/^vmlinuz-//')
{
	echo "## Swap on NFS: $MB MiB allocated in a $CLI_MEM MiB diskless guest"
	echo
	echo "Written by bench/nfs.sh on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo "ghostmemory: ${gm_version:-?} (commit ${commit:-?}); swapspace: ${VM_SWAPSPACE_VERSION:-?} (Debian package);"
	echo "client: $CLI_MEM MiB, 1 vCPU, no disk, kernel $kernel, \`-accel tcg\`, NFSv4.2 (hard, sec=sys),"
	echo "vm.min_free_kbytes=16384; server: a second guest ($VM_MEM MiB, Debian's nfsd, ext4 export"
	echo "rw,sync,no_root_squash), joined by one qemu socket netdev in a network namespace;"
	echo "one boot of both per provider, the rates in turn in that boot, each followed by a"
	echo "surplus (up to $SHRINK_S s) that lets the daemon take its files back; took ${total_s} s"
	echo "(host load average before: $load_before, after: $load_after)."
	echo
	echo "Rate is MiB/s (\`max\` = as fast as it can). Wall is the workload's whole run"
	echo "(allocate, hold 2 s, check one page per MiB, each a READ over the network once"
	echo "swapped, free) or the time until the OOM killer ended it. Peak swap provisioned"
	echo "and used: the highest SwapTotal and SwapTotal - SwapFree seen (every 50 ms);"
	echo "areas: the most swap areas on at once; shrunk: the surplus after the workload"
	echo "took the files back (1; ghostmemory keeps its standby file) or not within the"
	echo "limit (0)."
	echo
	echo "| provider | rate | outcome | wall s | peak swap MiB | peak used MiB | areas | shrunk |"
	echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
	for p in $PROVIDERS; do
		for r in $RATES; do
			[ -f "$VM_WORK/cells/$p.$r" ] || continue
			awk '{
				out = ($3 == "ok") ? "survived" : $3
				rt = ($2 == 0) ? "max" : $2
				printf "| %s | %s | %s | %.1f | %d | %d | %d | %s |\n", $1, rt, out,
					$4 / 1000, $5 / 1024, $6 / 1024, $7, $8
			}' "$VM_WORK/cells/$p.$r"
		done
	done
	echo
	echo "Against the static file in the same run (rates both survived):"
	echo
	for p in $PROVIDERS; do
		[ "$p" = static ] && continue
		for r in $RATES; do
			[ -f "$VM_WORK/cells/$p.$r" ] && [ -f "$VM_WORK/cells/static.$r" ] &&
				cat "$VM_WORK/cells/$p.$r" "$VM_WORK/cells/static.$r"
		done | awk -v p="$p" -v n="$(echo "$RATES" | wc -w)" '
			NR % 2 == 1 { ok = ($3 == "ok"); gw = $4; gs = $5; if (ok) sok++ ; next }
			{ if ($3 == "ok") xok++; if (ok && $3 == "ok" && $4 > 0 && $5 > 0) { both++; sw += gw / $4; ss += gs / $5 } }
			END {
				printf "- %s: survived %d of %d rates (static: %d)", p, sok, n, xok
				if (both > 0) printf "; where both survived (%d): wall time x%.2f, peak swap provisioned x%.2f (mean of the ratios)", both, sw / both, ss / both
				printf "\n"
			}'
	done
	echo
	echo "Making a file on the export, as the daemon logged it (ghostmemory, NFSv4.2:"
	echo "fallocate, the ALLOCATE operation):"
	echo
	if [ -s "$VM_WORK/cells/ghostmemory.filetimes" ]; then
		sed 's/^/- /' "$VM_WORK/cells/ghostmemory.filetimes" | sort | uniq -c |
			awk '{ c = $1; $1 = ""; sub(/^ /, ""); print $0 (c > 1 ? " (x" c ")" : "") }'
	else
		echo "- none logged"
	fi
	st=$(cat "$VM_WORK/cells/static.static_ms" 2>/dev/null)
	[ -n "$st" ] && echo "- static: 1024 MiB made with fallocate, mkswap and swapon in $st ms"
	echo
	echo "Caveats: one run on a shared 2-core machine with other jobs (see the load"
	echo "average), guests under TCG: wall times are noisy and only the ratios within"
	echo "this run mean anything. The link is a TCP socket between two qemu processes on"
	echo "one host, far from a real network's latency and bandwidth. A later rate in a"
	echo "boot starts with whatever the surplus left (swapspace keeps files longer than"
	echo "the limit); the static file is on throughout."
} >"$OUT"
cat "$OUT"
