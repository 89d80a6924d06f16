#!/bin/sh
# make bench: the survival matrix and the idle cost, written to
# bench/results.md (and printed).
#
# Survival matrix: a qemu guest (TCG, 256 MiB, Debian 12's kernel, the
# harness of tests/vm/) allocates 400 MiB at 10, 20, 30, 40, 50, 100 MiB/s
# and as fast as it can, with: no daemon; a static 1 GiB swap file made
# before the workload (the physical limit); swapspace (Debian's package,
# fetched at run time, run as `swapspace -s DIR -v` in the foreground);
# ghostmemory (./ghostmemory, `-v -c /dev/null`).  One boot per cell, two
# guests at a time (one per core).  Per cell: survived or killed, wall
# time, peak swap provisioned and used, number of swap areas, and the
# reaction time (first sample under 20% free -> more swap), sampled in
# the guest every 20 ms.
#
# Idle cost (root only: needs a loop mount): swapspace and ghostmemory run
# side by side on the host for BENCH_IDLE_S seconds against swap
# directories on a loop-mounted ext4 image, both reading the host's real
# /proc/meminfo, which is calm here.  Wake-ups per second are context
# switches (voluntary + involuntary, /proc/PID/status) over the window.
#
# What is held while calm (issue 17): one boot per provider and standby
# policy (BENCH_STANDBY: static, swapspace, ghostmemory's active, small
# and none), one guest at a time: disk held after BENCH_CALM_S s of calm
# at start and again after the workload and a 10 s cooldown, and whether
# one allocation of RAM + swapsize/2 (swapsize=auto) succeeds.
#
# Environment: BENCH_RATES BENCH_PROVIDERS BENCH_MB BENCH_JOBS BENCH_IDLE_S
# BENCH_STANDBY BENCH_CALM_S BENCH_SKIP_MATRIX
# BENCH_OUT, BENCH_GM_COMMIT (the commit the measured binary was built
# from, when GM_VM_BINARY points at one built elsewhere), BENCH_KEEP_LOGS
# (a directory for the guests' console logs), and the GM_VM_* variables of
# tests/vm/lib.sh.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/vm/lib.sh

RATES=${BENCH_RATES:-10 20 30 40 50 100 0}
PROVIDERS=${BENCH_PROVIDERS:-none static swapspace ghostmemory}
MB=${BENCH_MB:-400}
JOBS=${BENCH_JOBS:-2}
IDLE_S=${BENCH_IDLE_S:-20}
OUT=${BENCH_OUT:-bench/results.md}

IDLE_PIDS=
IDLE_MNT=
bench_cleanup() {
	for p in $IDLE_PIDS; do kill "$p" 2>/dev/null; done
	sleep 1
	if [ -n "$IDLE_MNT" ]; then
		# Nothing of ours may stay in /proc/swaps or mounted.
		grep "^$IDLE_MNT/" /proc/swaps | awk '{ print $1 }' |
			while read -r f; do swapoff "$f"; done
		umount "$IDLE_MNT" 2>/dev/null
	fi
	vm_cleanup
}

if ! vm_setup; then
	echo "SKIP bench: $VM_SKIP"
	exit 2
fi
trap 'bench_cleanup' EXIT
trap 'bench_cleanup; exit 1' INT TERM
# swapspace is also the peer of the idle measurement.
if ! vm_swapspace_setup; then
	echo "SKIP bench: $VM_SKIP"
	exit 2
fi
case " $PROVIDERS " in
*" ghostmemory "*)
	if [ ! -x "$VM_GM_BIN" ]; then
		echo "SKIP bench: $VM_GM_BIN not built (run make)"
		exit 2
	fi
	;;
esac

VM_INITRD=$VM_WORK/initrd.gz
VM_WITH_GM=0
[ -x "$VM_GM_BIN" ] && VM_WITH_GM=1
VM_WITH_SWAPSPACE=1
export VM_WITH_GM VM_WITH_SWAPSPACE
vm_initramfs "$VM_INITRD" || { echo "bench: cannot build the initramfs" >&2; exit 1; }
mkdir -p "$VM_WORK/cells" "$VM_WORK/logs"

# One cell: boot, parse, write a record line to cells/PROVIDER.RATE.
cell() {
	p=$1 r=$2
	name=$p.$r
	if [ "$r" -eq 0 ]; then t=200; else t=$((MB / r + 200)); fi
	vm_run "$name" 2048 "$t" gm.scenario=run gm.daemon="$p" gm.mb="$MB" \
		gm.rate="$r" gm.hold=2 gm.sample_ms=20 >/dev/null
	res=$(vm_val "$VM_LOG" 'wl name=main' result)
	grep -q '^GMRESULT done=1' "$VM_LOG" || res="error"
	grep -q '^GMRESULT setup=ok' "$VM_LOG" || res="error"
	alive=$(vm_val "$VM_LOG" 'daemon_alive' daemon_alive)
	rec="$p $r ${res:-error}"
	for k in 'wl name=main:wall_ms' SAMPLE:peak_swap_kb SAMPLE:peak_used_kb \
		SAMPLE:peak_files SAMPLE:reactions SAMPLE:react_med_ms \
		SAMPLE:react_max_ms; do
		v=$(vm_val "$VM_LOG" "${k%%:*}" "${k#*:}")
		rec="$rec ${v:-0}"
	done
	rec="$rec ${alive:--}"
	for k in SAMPLE:first_short_ms SAMPLE:first_swap_ms oom:first_kill_ms; do
		v=$(vm_val "$VM_LOG" "${k%%:*}" "${k#*:}")
		rec="$rec ${v:--1}"
	done
	# ghostmemory's own first grow: from the tick that decided it to the
	# swapon, as its log says ("added swap file ... in N ms").
	v=$(grep -a 'ghostmemory: added swap file' "$VM_LOG" | head -n 1 |
		sed -n 's/.* in \([0-9][0-9]*\) ms.*/\1/p')
	rec="$rec ${v:--1}"
	echo "$rec" >"$VM_WORK/cells/$name"
	echo "# $rec"
	cp "$VM_LOG" "$VM_WORK/logs/$name.log"
}

# Spread the cells over JOBS lanes, slowest first, each lane sequential.
lanes=$VM_WORK/lanes
mkdir -p "$lanes"
i=0
for r in $RATES; do
	for p in $PROVIDERS; do
		# sort key: expected seconds
		if [ "$r" -eq 0 ]; then s=10; else s=$((MB / r)); fi
		echo "$s $p $r"
	done
done | sort -rn >"$VM_WORK/cells.list"
while read -r s p r; do
	echo "$p $r" >>"$lanes/$((i % JOBS))"
	i=$((i + 1))
done <"$VM_WORK/cells.list"
[ -n "${BENCH_SKIP_MATRIX:-}" ] && rm -f "$lanes"/*
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for l in "$lanes"/*; do
	[ -f "$l" ] || continue
	(while read -r p r; do cell "$p" "$r"; done <"$l") &
done
wait
matrix_s=$(($(date +%s) - started))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- what is held while calm (one guest at a time) ----
STANDBY_CELLS=${BENCH_STANDBY-static swapspace gm-active gm-small gm-none}
CALM_S=${BENCH_CALM_S:-30}
mkdir -p "$VM_WORK/standby"
for c in $STANDBY_CELLS; do
	case $c in
	gm-*) d=ghostmemory a=--standby=${c#gm-} ;;
	*) d=$c a= ;;
	esac
	vm_run "idle.$c" 2048 $((CALM_S + MB / 50 + 300)) gm.scenario=idlecost \
		gm.daemon="$d" ${a:+gm.args=$a} gm.calm="$CALM_S" gm.cooldown=10 \
		gm.mb="$MB" gm.rate=50 gm.hold=2 >/dev/null
	ok=$(grep -q '^GMRESULT done=1' "$VM_LOG" && echo 1 || echo 0)
	echo "$c ${ok} $(vm_val "$VM_LOG" 'held tag=start' kb) $(vm_val "$VM_LOG" 'wl name=big' result) $(vm_val "$VM_LOG" 'wl name=big' mb) $(vm_val "$VM_LOG" 'wl name=main' result) $(vm_val "$VM_LOG" 'held tag=after' kb)" |
		tee "$VM_WORK/standby/$c" | sed 's/^/# standby /'
	cp "$VM_LOG" "$VM_WORK/logs/idle.$c.log"
done

# ---- idle cost on the host ----
idle_line() { echo "$1 ${2:--} ${3:--} ${4:--} ${5:--}" >>"$VM_WORK/idle"; }
: >"$VM_WORK/idle"
proc_switches() {
	awk '/^(voluntary|nonvoluntary)_ctxt_switches/ { n += $2 } END { print n + 0 }' \
		"/proc/$1/status"
}
proc_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
idle_note=
if [ "$(id -u)" -ne 0 ]; then
	idle_note="not measured: needs root (loop mount, swap daemons)"
elif ! command -v losetup >/dev/null 2>&1; then
	idle_note="not measured: losetup missing"
else
	img=$VM_WORK/idle.img
	IDLE_MNT=$VM_WORK/mnt
	mkdir -p "$IDLE_MNT"
	# Sparse and as large as RAM + 8 GiB: swapspace refuses a filesystem
	# too small for "useful swapfiles" on this machine's RAM.
	img_g=$(awk '/^MemTotal:/ { printf "%d", $2 / 1048576 + 9 }' /proc/meminfo)
	truncate -s "${img_g}G" "$img" && mkfs.ext4 -q -F "$img" &&
		mount -o loop "$img" "$IDLE_MNT" || idle_note="not measured: loop mount failed"
	if [ -z "$idle_note" ]; then
		mkdir -m 700 "$IDLE_MNT/gm" "$IDLE_MNT/ss"
		if [ -x "$VM_GM_BIN" ]; then
			"$VM_GM_BIN" -v -c /dev/null -s "$IDLE_MNT/gm" \
				-p "$VM_WORK/gm.pid" --rundir="$VM_WORK/run" \
				>"$VM_WORK/idle.gm.log" 2>&1 &
			gm_pid=$!
			IDLE_PIDS="$IDLE_PIDS $gm_pid"
		fi
		# The same sources linked statically (make STATIC=1): with
		# mlockall, libc's touched pages are what the RSS is made of.
		if cc -static -std=c99 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -pthread -O2 \
			-DGM_VERSION='"static"' -o "$VM_WORK/gm-static" src/*.c \
			>"$VM_WORK/gm-static.cc.log" 2>&1; then
			mkdir -m 700 "$IDLE_MNT/gms"
			"$VM_WORK/gm-static" -v -c /dev/null -s "$IDLE_MNT/gms" \
				-p "$VM_WORK/gms.pid" --rundir="$VM_WORK/runs" \
				>"$VM_WORK/idle.gms.log" 2>&1 &
			gms_pid=$!
			IDLE_PIDS="$IDLE_PIDS $gms_pid"
		fi
		if [ -n "${VM_SWAPSPACE:-}" ]; then
			"$VM_SWAPSPACE" -s "$IDLE_MNT/ss" -v >"$VM_WORK/idle.ss.log" 2>&1 &
			ss_pid=$!
			IDLE_PIDS="$IDLE_PIDS $ss_pid"
		fi
		sleep 3
		for p in $IDLE_PIDS; do
			kill -0 "$p" 2>/dev/null || idle_note="a daemon exited early (see logs)"
		done
		gm0=$(proc_switches "${gm_pid:-self}" 2>/dev/null)
		gms0=$(proc_switches "${gms_pid:-self}" 2>/dev/null)
		ss0=$(proc_switches "${ss_pid:-self}" 2>/dev/null)
		sleep "$IDLE_S"
		gm1=$(proc_switches "${gm_pid:-self}" 2>/dev/null)
		gms1=$(proc_switches "${gms_pid:-self}" 2>/dev/null)
		ss1=$(proc_switches "${ss_pid:-self}" 2>/dev/null)
		if [ -n "${gm_pid:-}" ] && kill -0 "$gm_pid" 2>/dev/null; then
			idle_line ghostmemory \
				"$(awk -v a="$gm0" -v b="$gm1" -v s="$IDLE_S" 'BEGIN { printf "%.2f", (b - a) / s }')" \
				"$(proc_kb "$gm_pid" VmRSS)" "$(proc_kb "$gm_pid" VmLck)" \
				"$(proc_kb "$gm_pid" VmSize)"
		fi
		if [ -n "${gms_pid:-}" ] && kill -0 "$gms_pid" 2>/dev/null; then
			idle_line ghostmemory-static \
				"$(awk -v a="$gms0" -v b="$gms1" -v s="$IDLE_S" 'BEGIN { printf "%.2f", (b - a) / s }')" \
				"$(proc_kb "$gms_pid" VmRSS)" "$(proc_kb "$gms_pid" VmLck)" \
				"$(proc_kb "$gms_pid" VmSize)"
		fi
		if [ -n "${ss_pid:-}" ] && kill -0 "$ss_pid" 2>/dev/null; then
			idle_line swapspace \
				"$(awk -v a="$ss0" -v b="$ss1" -v s="$IDLE_S" 'BEGIN { printf "%.2f", (b - a) / s }')" \
				"$(proc_kb "$ss_pid" VmRSS)" "$(proc_kb "$ss_pid" VmLck)" \
				"$(proc_kb "$ss_pid" VmSize)"
		fi
	fi
fi

# ---- report ----
gm_version=$("$VM_GM_BIN" -V 2>/dev/null | head -n 1)
# Which sources the daemon came from: HEAD, marked +dirty when src/ has
# uncommitted changes and the tree's own binary is measured.
commit=${BENCH_GM_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null)}
if [ -z "${BENCH_GM_COMMIT:-}" ] && [ -z "${GM_VM_BINARY:-}" ] &&
	[ -n "$(git status --porcelain src 2>/dev/null)" ]; then
	commit="$commit+dirty"
fi
qemu_version=$(qemu-system-x86_64 --version | head -n 1)
kernel=$(basename "$VM_KERNEL" | sed 's/^vmlinuz-//')
{
	echo "# ghostmemory benchmark results"
	echo
	echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo "ghostmemory: ${gm_version:-?} (commit ${commit:-?}); swapspace: ${VM_SWAPSPACE_VERSION:-?} (Debian package);"
	echo "guest: ${VM_MEM} MiB, 1 vCPU, kernel $kernel, $qemu_version, \`-accel tcg\`,"
	echo "ext4 on a 2 GiB virtio disk; host: $(nproc) cores, $JOBS guests at a time; matrix took ${matrix_s} s"
	echo "(host load average before: $load_before, after: $load_after)."
	echo
	echo "## Survival matrix: ${MB} MiB allocated in a ${VM_MEM} MiB guest"
	echo
	echo "Rate is MiB/s (\`max\` = as fast as it can). Wall is the workload's"
	echo "whole run (allocate, hold 2 s, check every 8th page, free) or the time"
	echo "until the OOM killer ended it. Peak swap provisioned and used are the"
	echo "highest SwapTotal and SwapTotal - SwapFree seen (sampled every 20 ms);"
	echo "areas is the most swap areas active at once. Reaction: first sample"
	echo "under 20% free (MemAvailable + SwapFree over MemTotal + SwapTotal) to"
	echo "the first sample with more swap, median / max over the run. The last"
	echo "columns place the first swap seen and the OOM killer's first kill"
	echo "(kernel log) in ms after the first sample under 20% free, and give"
	echo "ghostmemory's own time for its first grow, from the tick that decided"
	echo "it to the swapon (its log). \"swap first\": swap came before any"
	echo "sample under 20% free (the forecast grew early), so there is no"
	echo "reaction to measure."
	echo
	echo "| provider | rate | outcome | wall s | peak swap MiB | peak used MiB | areas | reaction ms (med/max) | swap / OOM kill, ms after shortage | first grow in the daemon, ms |"
	echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for p in $PROVIDERS; do
		for r in $RATES; do
			f=$VM_WORK/cells/$p.$r
			[ -f "$f" ] || continue
			awk '{
				rate = ($2 == 0) ? "max" : $2
				out = ($3 == "ok") ? "survived" : $3
				if ($11 == "0") out = out " (daemon died)"
				react = ($8 > 0) ? sprintf("%d / %d", $9, $10) : \
					(NF >= 14 && $12 < 0 && $13 >= 0) ? "swap first" : "-"
				gm = (NF >= 15 && $15 >= 0) ? $15 : "-"
				# swap and OOM kill, ms after the first shortage
				sw = "-"; oo = "-"
				if (NF >= 14 && $12 >= 0) {
					if ($13 >= 0) sw = sprintf("%+d", $13 - $12)
					if ($14 >= 0) oo = sprintf("%+d", $14 - $12)
				}
				printf "| %s | %s | %s | %.1f | %d | %d | %d | %s | %s / %s | %s |\n",
					$1, rate, out, $4 / 1000, $5 / 1024, $6 / 1024, $7, react, sw, oo, gm
			}' "$f"
		done
	done
	echo
	echo "Survived, per provider:"
	echo
	echo "| provider | survived | rates survived | reaction ms over the matrix: median of cell medians / max | cells with swap first | first grow in the daemon, ms: median / max |"
	echo "| --- | ---: | --- | ---: | ---: | ---: |"
	for p in $PROVIDERS; do
		for r in $RATES; do cat "$VM_WORK/cells/$p.$r" 2>/dev/null; done |
			awk -v p="$p" 'NF >= 3 && $1 == p {
				n++
				if ($3 == "ok") { s++; l = l sep (($2 == 0) ? "max" : $2); sep = ", " }
				if ($8 > 0) { m[++k] = $9; if ($10 > mx) mx = $10 }
				if ($8 == 0 && NF >= 14 && $12 < 0 && $13 >= 0) first++
				if (NF >= 15 && $15 >= 0) { g[++kg] = $15; if ($15 > gx) gx = $15 }
			}
			END {
				for (i = 2; i <= k; i++) for (j = i; j > 1 && m[j - 1] > m[j]; j--) { t = m[j]; m[j] = m[j - 1]; m[j - 1] = t }
				for (i = 2; i <= kg; i++) for (j = i; j > 1 && g[j - 1] > g[j]; j--) { t = g[j]; g[j] = g[j - 1]; g[j - 1] = t }
				react = (k > 0) ? sprintf("%d / %d", m[int((k + 1) / 2)], mx) : "-"
				gm = (kg > 0) ? sprintf("%d / %d", g[int((kg + 1) / 2)], gx) : "-"
				printf "| %s | %d of %d | %s | %s | %d | %s |\n", p, s, n, (l == "") ? "none" : l, react, first, gm
			}'
	done
	echo
	echo "## Ratios"
	echo
	for other in static swapspace; do
		cat "$VM_WORK"/cells/ghostmemory.* "$VM_WORK"/cells/"$other".* 2>/dev/null |
			awk -v o="$other" 'NF >= 11 {
				k = $2
				if ($1 == "ghostmemory") { g[k] = $3; gw[k] = $4; gs[k] = $5; gu[k] = $6; gn++; if ($3 == "ok") gok++ }
				else if ($1 == o) { x[k] = $3; xw[k] = $4; xs[k] = $5; xu[k] = $6; xn++; if ($3 == "ok") xok++ }
			}
			END {
				for (k in g) if ((k in x) && g[k] == "ok" && x[k] == "ok") {
					both++; sgw += gw[k]; sxw += xw[k]; sgs += gs[k]; sxs += xs[k]
				}
				printf "- ghostmemory vs %s: survived %d vs %d of %d rates", o, gok, xok, gn
				if (xok > 0) printf " (ratio %.2f)", gok / xok
				if (both > 0)
					printf "; where both survived (%d rates): wall time x%.2f, peak swap provisioned x%.2f", both, sgw / sxw, sgs / sxs
				printf "\n"
			}'
	done
	lost=
	for r in $RATES; do
		g=$VM_WORK/cells/ghostmemory.$r
		x=$VM_WORK/cells/static.$r
		[ -f "$g" ] && [ -f "$x" ] || continue
		if [ "$(cut -d' ' -f3 "$g")" != ok ] && [ "$(cut -d' ' -f3 "$x")" = ok ]; then
			[ "$r" -eq 0 ] && l=max || l=$r
			lost="$lost${lost:+, }$l"
		fi
	done
	[ -n "$lost" ] && echo "- where the static file survived and ghostmemory did not (MiB/s): $lost"
	echo
	echo "Caveats: TCG runs the guest several times slower than hardware, so"
	echo "file creation and reclaim take longer than on a real machine, while"
	echo "the workload's rate is wall-clock; the in-guest sampler costs a few"
	echo "percent of the guest's one vCPU; two guests run at a time and other"
	echo "work on the host (see the load average) slows both. Cells near the"
	echo "edge (the last rate a provider survives) can flip between runs."
	echo
	if [ -n "$STANDBY_CELLS" ]; then
		echo "## What is held while calm"
		echo
		echo "One boot per row, ${VM_MEM} MiB guest: disk held (swap files on"
		echo "disk, on or off) after ${CALM_S} s of calm from the start, whether one"
		echo "allocation of RAM + swapsize/2 in a single mapping succeeds (the"
		echo "kernel's heuristic overcommit counts only swap that is on), the"
		echo "workload (${MB} MiB at 50 MiB/s), and the disk held again after it"
		echo "and a 10 s cooldown (ghostmemory's; swapspace keeps its own)."
		echo
		echo "| provider | held at start MiB | RAM + swapsize/2 in one mapping | ${MB} MiB at 50 MiB/s | held after MiB |"
		echo "| --- | ---: | --- | --- | ---: |"
		for c in $STANDBY_CELLS; do
			[ -f "$VM_WORK/standby/$c" ] || continue
			awk '{
				big = ($4 == "ok") ? "ok" : ($4 == "enomem") ? "refused" : ($4 == "") ? "-" : $4
				if ($5 != "") big = big " (" $5 " MiB)"
				wl = ($6 == "ok") ? "survived" : ($6 == "") ? "-" : $6
				if ($2 != "1") wl = wl " (no result)"
				printf "| %s | %s | %s | %s | %s |\n", $1,
					($3 == "") ? "-" : sprintf("%d", $3 / 1024), big, wl,
					($7 == "") ? "-" : sprintf("%d", $7 / 1024)
			}' "$VM_WORK/standby/$c"
		done
		echo
	fi
	echo "## Idle cost on the host (${IDLE_S} s, memory calm)"
	echo
	if [ -n "$idle_note" ]; then
		echo "$idle_note"
	fi
	if [ -s "$VM_WORK/idle" ]; then
		echo "| daemon | wake-ups/s | RSS KiB | locked KiB | VmSize KiB |"
		echo "| --- | ---: | ---: | ---: | ---: |"
		awk '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$VM_WORK/idle"
		echo
		awk '$1 == "ghostmemory" { gw = $2; gr = $3 } $1 == "swapspace" { sw = $2; sr = $3 }
			END { if (gw != "" && sw != "" && sw > 0 && sr > 0)
				printf "- ghostmemory vs swapspace: wake-ups x%.2f, RSS x%.2f\n", gw / sw, gr / sr }' "$VM_WORK/idle"
	fi
} >"$VM_WORK/results.md"
# A picture of the matrix: one row per provider, one square per rate,
# green survived / red killed, with the wall time in it.
svg=${OUT%.md}.svg
nr=0
for r in $RATES; do nr=$((nr + 1)); done
np=0
for p in $PROVIDERS; do np=$((np + 1)); done
{
	w=$((130 + nr * 74)) h=$((60 + np * 44))
	echo "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"$w\" height=\"$h\" font-family=\"sans-serif\" font-size=\"12\">"
	echo "<rect width=\"$w\" height=\"$h\" fill=\"white\"/>"
	echo "<text x=\"8\" y=\"18\" font-size=\"14\">${MB} MiB in a ${VM_MEM} MiB guest: survived (green) or OOM-killed (red), wall s</text>"
	x=130
	for r in $RATES; do
		[ "$r" -eq 0 ] && l=max || l="$r MiB/s"
		echo "<text x=\"$((x + 32))\" y=\"44\" text-anchor=\"middle\">$l</text>"
		x=$((x + 74))
	done
	y=54
	for p in $PROVIDERS; do
		echo "<text x=\"8\" y=\"$((y + 24))\">$p</text>"
		x=130
		for r in $RATES; do
			f=$VM_WORK/cells/$p.$r
			if [ -f "$f" ]; then
				awk -v x="$x" -v y="$y" '{
					c = ($3 == "ok") ? "#3a3" : ($3 == "killed") ? "#d33" : "#999"
					printf "<rect x=\"%d\" y=\"%d\" width=\"66\" height=\"36\" fill=\"%s\"/>", x, y, c
					printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"white\">%.1f</text>\n", x + 33, y + 23, $4 / 1000
				}' "$f"
			fi
			x=$((x + 74))
		done
		y=$((y + 44))
	done
	echo "</svg>"
} >"$VM_WORK/survival.svg"
echo "" >>"$VM_WORK/results.md"
echo "![survival matrix]($(basename "$svg"))" >>"$VM_WORK/results.md"
cp "$VM_WORK/survival.svg" "$svg"
cp "$VM_WORK/results.md" "$OUT"
cat "$OUT"
if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
	mkdir -p "$BENCH_KEEP_LOGS" && cp "$VM_WORK"/logs/*.log "$VM_WORK"/idle.*.log "$BENCH_KEEP_LOGS"/ 2>/dev/null
fi
