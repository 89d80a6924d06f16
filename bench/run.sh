#!/bin/sh
# make bench: the survival matrix and the idle cost, written to
# bench/results.md (and printed).
#
# Survival matrix: a qemu guest (TCG, 256 MiB, Debian 12's kernel, the
# harness of tests/vm/) allocates 400 MiB at 10, 20, 30, 40, 50, 100 MiB/s
# and as fast as it can, with: no daemon; a static 1 GiB swap file made
# before the workload (the physical limit); swapspace (Debian's package,
# fetched at run time, run as `swapspace -s DIR -v` in the foreground);
# ghostmemory (./ghostmemory, `-v -c /dev/null`: standby=active); the same
# with --standby=small (gm-small).  One boot per cell, two
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
# and none), in the same lanes: disk held after BENCH_CALM_S s of calm
# at start and again after the workload, four 10 s cooldowns and (for
# ghostmemory) until no file a shrink turned off is kept, and whether
# one allocation of RAM + swapsize/2 (swapsize=auto) succeeds.
#
# zram rows (issue 15): the same 7 rates with a zram device of 1 x RAM at
# priority 100 (zram-tools' default on small boards) and no daemon
# (`zram`), and the same device plus ghostmemory (`zram+ghostmemory`).
# Their workload's pages are half compressible (WORKLOAD_FILL=half, as in
# tests/vm/t_zram.sh: the first half of every page xorshift noise, the
# rest one repeated byte), so zram stores a page in about half a page.
#
# Stress cells (issue 17): growth beyond one file, for static (1 GiB
# file), swapspace, ghostmemory --standby=active (gm-active) and
# --standby=small (gm-small); BENCH_STRESS picks the kinds:
#   mem128    a 128 MiB guest, 2 x RAM (256 MiB) at 50 MiB/s
#   procs     4 processes at once, 100 MiB each at 25 MiB/s each
#   throttle  the guest disk throttled to BENCH_SD_BPS bytes/s in all
#             (qemu throttling.bps-total; SD-card-like), 400 MiB at 50
#   multi     BENCH_MULTI_MB (800) MiB at 50 MiB/s: more than RAM + one
#             swapsize (auto: 2 x MemTotal), so several files
#   spikes    3 x 600 MiB (1.5 x BENCH_MB) at 50 MiB/s, 5 s apart,
#             ghostmemory's cooldown 5 s (it grows and shrinks each time)
#   xfs btrfs the guest disk made xfs / btrfs on the host (mkfs_image)
# Per cell: outcome, wall, peak swap provisioned and used, most areas at
# once, files made and the largest file.
#
# Environment (all optional):
#   BENCH_RATES      matrix rates, MiB/s, 0 = max (10 20 30 40 50 100 0)
#   BENCH_PROVIDERS  matrix providers (none static swapspace ghostmemory
#                    gm-small; ghostmemory is its default, standby=active,
#                    gm-small the same with --standby=small)
#   BENCH_ZRAM       1 (default): add the zram and zram+ghostmemory rows
#                    to the matrix; 0: not
#   BENCH_SKIP_MATRIX  set: no matrix cells at all (zram rows included)
#   BENCH_STRESS     stress kinds ("mem128 procs throttle multi spikes
#                    xfs btrfs"; empty: none)
#   BENCH_STRESS_PROVIDERS  (static swapspace gm-active gm-small; none
#                    may be added)
#   BENCH_SD_BPS     throttle cell's disk bytes/s (15000000)
#   BENCH_MULTI_MB   multi cell's size in MiB (800)
#   BENCH_STANDBY    what-is-held cells (static swapspace gm-active
#                    gm-small gm-none; empty: none); BENCH_CALM_S (30)
#   BENCH_MB         matrix workload MiB (400); BENCH_JOBS guests at
#                    once (2); BENCH_IDLE_S host idle window (20; 0: skip)
#   BENCH_OUT        the report (bench/results.md; the .svg beside it)
#   BENCH_GM_COMMIT  the commit the measured binary was built from, when
#                    GM_VM_BINARY points at one built elsewhere
#   BENCH_KEEP_LOGS  a directory for the guests' console logs
#   BENCH_FROM       no guests: write the report again from the records
#                    of a workspace kept by GM_VM_KEEP=1 (/tmp/gm-vm.*),
#                    with the same BENCH_* lists, and its file notes
#                    (if any) printed under the header
#   and the GM_VM_* variables of tests/vm/lib.sh.
# An interrupted run (INT/TERM) still writes the report of the cells that
# finished, marked partial.  At the end the report gets bench/workloads.md
# and bench/nfs.md appended when they exist (their own scripts write them).
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/vm/lib.sh
bench_t0=$(date +%s)

RATES=${BENCH_RATES:-10 20 30 40 50 100 0}
PROVIDERS=${BENCH_PROVIDERS:-none static swapspace ghostmemory gm-small}
ZRAM=${BENCH_ZRAM:-1}
STRESS=${BENCH_STRESS-mem128 procs throttle multi spikes xfs btrfs}
STRESS_PROVIDERS=${BENCH_STRESS_PROVIDERS:-static swapspace gm-active gm-small}
SD_BPS=${BENCH_SD_BPS:-15000000}
MULTI_MB=${BENCH_MULTI_MB:-800}
STANDBY_CELLS=${BENCH_STANDBY-static swapspace gm-active gm-small gm-none}
CALM_S=${BENCH_CALM_S:-30}
MB=${BENCH_MB:-400}
JOBS=${BENCH_JOBS:-2}
IDLE_S=${BENCH_IDLE_S:-20}
OUT=${BENCH_OUT:-bench/results.md}
# The matrix's rows: the providers, then the zram pair.
MATRIX=$PROVIDERS
[ "$ZRAM" = 1 ] && MATRIX="$MATRIX zram zram+ghostmemory"
[ -n "${BENCH_SKIP_MATRIX:-}" ] && MATRIX=
BASE_MEM=$VM_MEM
BASE_FS=$VM_FS

IDLE_PIDS=
IDLE_MNT=
LANE_PIDS=
PARTIAL=
idle_note="not measured (the run stopped before it)"
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
# Interrupted: stop the lanes (their qemu stops with its timeout's
# TERM), write what finished, marked partial.
bench_interrupted() {
	trap - INT TERM
	# A lane's child is the running cell's timeout, which passes the
	# TERM on to its qemu; the lane goes first, so it starts no other.
	for p in $LANE_PIDS; do
		kids=$(ps -o pid= --ppid "$p" 2>/dev/null)
		kill "$p" 2>/dev/null
		# shellcheck disable=SC2086
		[ -n "$kids" ] && kill $kids 2>/dev/null
	done
	wait
	PARTIAL="interrupted before the end"
	report
	bench_cleanup
	exit 1
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
if [ ! -x "$VM_GM_BIN" ]; then
	echo "SKIP bench: $VM_GM_BIN not built (run make)"
	exit 2
fi

# The bench's own guest scenario (zram and stress cells), and chattr for
# a static file on btrfs (NOCOW).
bench_root() {
	cp bench/guest-bench.sh "$1/guest-bench.sh" || return 1
	if command -v chattr >/dev/null 2>&1; then
		vm_copy_exe "$1" "$(command -v chattr)" /usr/bin/chattr
	fi
}
VM_INITRD=$VM_WORK/initrd.gz
VM_WITH_GM=1
VM_WITH_SWAPSPACE=1
# shellcheck disable=SC2034 # read by vm_initramfs
VM_ROOT_HOOK=bench_root
export VM_WITH_GM VM_WITH_SWAPSPACE
vm_initramfs "$VM_INITRD" || { echo "bench: cannot build the initramfs" >&2; exit 1; }
# The xfs and btrfs cells' modules in an initramfs of their own (btrfs
# brings raid6 and its boot-time speed test).
INITRD_FS=$VM_WORK/initrd-fs.gz
case " $STRESS " in
*" xfs "* | *" btrfs "*)
	VM_EXTRA_MODS="xfs btrfs" vm_initramfs "$INITRD_FS" ||
		{ echo "bench: cannot build the xfs/btrfs initramfs" >&2; exit 1; }
	;;
esac
mkdir -p "$VM_WORK/cells" "$VM_WORK/stress" "$VM_WORK/standby" "$VM_WORK/logs"

# Every cell starts from the defaults (lanes run cells one after another
# in one shell).
cell_env() {
	VM_MEM=$BASE_MEM VM_FS=$BASE_FS VM_DRIVE_OPTS='' VM_INITRD=$VM_WORK/initrd.gz
}

# vm_run with no_timer_check (under a loaded host, TCG's kernel can
# panic at boot with "IO-APIC + timer doesn't work"; see
# tests/vm/t_overcommit.sh), and once more when the guest never reached
# its scenario (noted in $VM_WORK/retries for the report).
bench_run() {
	vm_run "$@" no_timer_check
	grep -q '^GMRESULT setup=' "$VM_LOG" && return 0
	echo "$1: $(grep -a -m 1 -o 'Kernel panic.*' "$VM_LOG" | cut -c1-80)" >>"$VM_WORK/retries"
	vm_run "$@" no_timer_check
}

# Whether the guest's record is usable: set up, finished, no setup failure.
cell_res() {
	res=$(vm_val "$VM_LOG" 'wl name=main' result)
	grep -q '^GMRESULT done=1' "$VM_LOG" || res="error"
	grep -q '^GMRESULT setup=ok' "$VM_LOG" || res="error"
	grep -q '^GMRESULT setup=fail' "$VM_LOG" && res="error"
	echo "${res:-error}"
}

# One matrix cell: boot, parse, write a record line to cells/PROVIDER.RATE.
cell() {
	p=$1 r=$2
	cell_env
	name=$p.$r
	if [ "$r" -eq 0 ]; then t=200; else t=$((MB / r + 200)); fi
	case $p in
	zram) set -- gm.scenario=bench gm.zram=1 gm.fill=half gm.daemon=none ;;
	zram+ghostmemory)
		set -- gm.scenario=bench gm.zram=1 gm.fill=half gm.daemon=ghostmemory
		t=$((t + 100))
		;;
	gm-*) set -- gm.scenario=run gm.daemon=ghostmemory \
		gm.args=--standby="${p#gm-}" ;;
	*) set -- gm.scenario=run gm.daemon="$p" ;;
	esac
	bench_run "$name" 2048 "$t" "$@" gm.mb="$MB" \
		gm.rate="$r" gm.hold=2 gm.sample_ms=20 >/dev/null
	res=$(cell_res)
	alive=$(vm_val "$VM_LOG" 'daemon_alive' daemon_alive)
	rec="$p $r $res"
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

# What a stress kind asks for: sets s_mem s_fs s_drive s_initrd s_mb
# s_rate s_procs s_spikes s_cool, and s_what (its words in the report).
stress_kind() {
	s_mem=$BASE_MEM s_fs=$BASE_FS s_drive='' s_initrd=$VM_WORK/initrd.gz
	s_mb=$MB s_rate=50 s_procs=1 s_spikes=1 s_cool=600
	case $1 in
	mem128) s_mem=128 s_mb=256 s_what="128 MiB guest, 256 MiB (2 x RAM) at 50 MiB/s" ;;
	procs) s_procs=4 s_rate=25 s_what="4 processes at once, $((MB / 4)) MiB each at 25 MiB/s each" ;;
	throttle)
		s_drive=throttling.bps-total=$SD_BPS
		s_what="disk throttled to $((SD_BPS / 1000000)) MB/s, $MB MiB at 50 MiB/s"
		;;
	multi) s_mb=$MULTI_MB s_what="$MULTI_MB MiB at 50 MiB/s (more than RAM + one swapsize)" ;;
	spikes)
		s_spikes=3 s_cool=5 s_mb=$((MB * 3 / 2))
		s_what="3 x $s_mb MiB at 50 MiB/s (more than RAM + the standby file), 5 s apart, ghostmemory's cooldown 5 s"
		;;
	xfs | btrfs) s_fs=$1 s_initrd=$INITRD_FS s_what="$1 disk, $MB MiB at 50 MiB/s" ;;
	*) return 1 ;;
	esac
}

# One stress cell: record line in stress/KIND.PROVIDER.
scell() {
	k=$1 c=$2
	cell_env
	stress_kind "$k" || { echo "bench: unknown stress kind $k" >&2; return; }
	case $c in
	gm-*) d=ghostmemory a=--standby=${c#gm-} ;;
	*) d=$c a= ;;
	esac
	# shellcheck disable=SC2034 # read by vm_boot
	VM_MEM=$s_mem VM_FS=$s_fs VM_DRIVE_OPTS=$s_drive VM_INITRD=$s_initrd
	t=$(((s_mb / s_rate / s_procs + 60) * s_spikes + 300))
	bench_run "s.$k.$c" 2048 "$t" gm.scenario=bench gm.daemon="$d" \
		${a:+gm.args=$a} gm.mb="$s_mb" gm.rate="$s_rate" gm.hold=2 \
		gm.procs="$s_procs" gm.spikes="$s_spikes" gm.gap=5 \
		gm.cooldown="$s_cool" gm.sample_ms=50 >/dev/null
	rec="$k $c $(cell_res)"
	for f in 'wl name=main:wall_ms' SAMPLE:peak_swap_kb SAMPLE:peak_used_kb \
		SAMPLE:peak_files made:files made:largest_mb setup=ok:memtotal_kb; do
		v=$(vm_val "$VM_LOG" "${f%%:*}" "${f#*:}")
		rec="$rec ${v:-0}"
	done
	alive=$(vm_val "$VM_LOG" 'daemon_alive' daemon_alive)
	v=$(vm_val "$VM_LOG" SAMPLE min_avail_kb)
	rec="$rec ${alive:--} ${v:--1}"
	echo "$rec" >"$VM_WORK/stress/$k.$c"
	echo "# stress $rec"
	cp "$VM_LOG" "$VM_WORK/logs/s.$k.$c.log"
	cell_env
}

# One what-is-held cell: record line in standby/CELL.
icell() {
	c=$1
	cell_env
	case $c in
	gm-*) d=ghostmemory a=--standby=${c#gm-} ;;
	*) d=$c a= ;;
	esac
	bench_run "idle.$c" 2048 $((CALM_S + MB / 50 + 300)) gm.scenario=idlecost \
		gm.daemon="$d" ${a:+gm.args=$a} gm.calm="$CALM_S" gm.cooldown=10 \
		gm.mb="$MB" gm.rate=50 gm.hold=2 >/dev/null
	ok=$(grep -q '^GMRESULT done=1' "$VM_LOG" && echo 1 || echo 0)
	echo "$c ${ok} $(vm_val "$VM_LOG" 'held tag=start' kb) $(vm_val "$VM_LOG" 'wl name=big' result) $(vm_val "$VM_LOG" 'wl name=big' mb) $(vm_val "$VM_LOG" 'wl name=main' result) $(vm_val "$VM_LOG" 'held tag=after' kb) $(vm_val "$VM_LOG" 'setup=ok' memtotal_kb) $(vm_val "$VM_LOG" 'held_wait' ms)" |
		tee "$VM_WORK/standby/$c" | sed 's/^/# standby /'
	cp "$VM_LOG" "$VM_WORK/logs/idle.$c.log"
}

# ---- the report (written at the end, or when interrupted) ----
# The cells of the list that have no record (an interrupted run).
missing_cells() {
	while read -r s f a b; do
		case $f in
		cell) [ -f "$VM_WORK/cells/$a.$b" ] || echo "$a at ${b}" ;;
		scell) [ -f "$VM_WORK/stress/$a.$b" ] || echo "stress $a $b" ;;
		icell) [ -f "$VM_WORK/standby/$a" ] || echo "held-while-calm $a" ;;
		esac
	done <"$VM_WORK/cells.list" | sed 's/ at 0$/ at max/' | paste -sd, - | sed 's/,/, /g'
}

# Summed wall time of matrix row $1 over row $2 where both survived.
matrix_wall() {
	cat "$VM_WORK/cells/$1".* "$VM_WORK/cells/$2".* 2>/dev/null |
		awk -v a="$1" -v o="$2" 'NF >= 11 {
			if ($1 == a) { g[$2] = $3; gw[$2] = $4 } else if ($1 == o) { x[$2] = $3; xw[$2] = $4 }
		}
		END {
			for (k in g) if ((k in x) && g[k] == "ok" && x[k] == "ok") { n++; sg += gw[k]; sx += xw[k] }
			if (n > 0 && sx > 0) printf "%.3f %d\n", sg / sx, n
		}'
}

# Stress summed wall of provider $1 over static where both survived.
stress_wall() {
	cat "$VM_WORK"/stress/* 2>/dev/null | awk -v a="$1" '
		$2 == a { g[$1] = $3; gw[$1] = $4 }
		$2 == "static" { x[$1] = $3; xw[$1] = $4 }
		END {
			for (k in g) if ((k in x) && g[k] == "ok" && x[k] == "ok") { n++; sg += gw[k]; sx += xw[k] }
			if (n > 0 && sx > 0) printf "%.3f %d\n", sg / sx, n
		}'
}

# Where static survived and provider $1 (matrix row $2) did not:
# matrix rates, stress cells, the one big allocation (active only).
# One line per comparison: "cmp -" or "lost WHERE".
lost_vs_static() {
	for r in $RATES; do
		g=$VM_WORK/cells/$2.$r x=$VM_WORK/cells/static.$r
		[ -f "$g" ] && [ -f "$x" ] || continue
		if [ "$(cut -d' ' -f3 "$g")" != ok ] && [ "$(cut -d' ' -f3 "$x")" = ok ]; then
			[ "$r" -eq 0 ] && echo "lost matrix max" || echo "lost matrix $r MiB/s"
		else
			echo "cmp -"
		fi
	done
	for k in $STRESS; do
		g=$VM_WORK/stress/$k.$1 x=$VM_WORK/stress/$k.static
		[ -f "$g" ] && [ -f "$x" ] || continue
		if [ "$(cut -d' ' -f3 "$g")" != ok ] && [ "$(cut -d' ' -f3 "$x")" = ok ]; then
			echo "lost stress $k"
		else
			echo "cmp -"
		fi
	done
	g=$VM_WORK/standby/$1 x=$VM_WORK/standby/static
	if [ "$1" = gm-active ] && [ -f "$g" ] && [ -f "$x" ]; then
		if [ "$(cut -d' ' -f4 "$x")" = ok ] && [ "$(cut -d' ' -f4 "$g")" != ok ]; then
			echo "lost one allocation of RAM + swapsize/2"
		else
			echo "cmp -"
		fi
	fi
}

verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v + 0 <= g + 0) ? "met" : "missed" }'; }

stress_section() {
	echo "## Stress: growth beyond one file"
	echo
	echo "One boot per cell, a ${BASE_MEM} MiB guest with ext4 unless the cell says"
	echo "otherwise: static (a 1 GiB file made before the workload), swapspace,"
	echo "ghostmemory --standby=active (gm-active, the default) and"
	echo "--standby=small (gm-small), each with its defaults. Wall runs from the"
	echo "first workload's start to the last one's end, gaps included. Files"
	echo "made: from the provider's log (ghostmemory: every file it wrote or"
	echo "fallocated, its standby or spare included; swapspace: mkswap's"
	echo "\"Setting up swapspace\" per file; static: its one file). Bound: issue 17's peak swap used /"
	echo "swapsize + 1, and the same with every begun swapsize counted whole"
	echo "(used rounded up to swapsizes, + 1), swapsize being ghostmemory's"
	echo "auto size (2 x MemTotal) for every provider; \"over\" marks a cell"
	echo "above the first (\"the first\") or both. Lowest"
	echo "MemAvailable: the sampler's minimum (every 50 ms), how near the cell"
	echo "came to the OOM killer. The cells:"
	echo
	for k in $STRESS; do
		stress_kind "$k" && echo "- $k: $s_what"
	done
	echo
	echo "| cell | provider | outcome | wall s | peak swap MiB | peak used MiB | areas | files made | largest file MiB | bound: used/swapsize + 1 / begun swapsizes + 1 | lowest MemAvailable MiB |"
	echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for k in $STRESS; do
		for c in $STRESS_PROVIDERS; do
			[ -f "$VM_WORK/stress/$k.$c" ] || continue
			awk '{
				out = ($3 == "ok") ? "survived" : $3
				if ($11 == "0") out = out " (daemon died)"
				sw = 2 * $10; if (sw > 2097152) sw = 2097152
				lit = (sw > 0) ? $6 / sw + 1 : 0
				beg = (sw > 0) ? int(($6 + sw - 1) / sw) + 1 : 0
				b = sprintf("%.2f / %d", lit, beg)
				if ($8 > lit) b = b " (over" (($8 > beg) ? " both)" : " the first)")
				printf "| %s | %s | %s | %.1f | %d | %d | %d | %d | %d | %s | %s |\n",
					$1, $2, out, $4 / 1000, $5 / 1024, $6 / 1024, $7, $8, $9, b,
					($12 >= 0) ? sprintf("%d", $12 / 1024) : "-"
			}' "$VM_WORK/stress/$k.$c"
		done
	done
	echo
	echo "| provider | survived | wall vs static where both survived | cells over the files bound (literal / begun) |"
	echo "| --- | ---: | ---: | ---: |"
	for c in $STRESS_PROVIDERS; do
		w=$(stress_wall "$c")
		cat "$VM_WORK"/stress/*."$c" 2>/dev/null | awk -v c="$c" -v w="$w" '{
			n++; if ($3 == "ok") s++
			sw = 2 * $10; if (sw > 2097152) sw = 2097152
			if (sw > 0 && $8 > $6 / sw + 1) over++
			if (sw > 0 && $8 > int(($6 + sw - 1) / sw) + 1) overb++
		}
		END {
			split(w, a, " ")
			if (n > 0) printf "| %s | %d of %d | %s | %d / %d |\n", c, s, n,
				(w == "") ? "-" : sprintf("x%.2f (%d cells)", a[1], a[2]), over, overb
		}'
	done
	echo
}

goals_section() {
	echo "## Issue 17's goals, computed from this run"
	echo
	mw=$(matrix_wall ghostmemory static)
	sw=$(stress_wall gm-active)
	if [ -n "$mw" ]; then
		echo "- active (the default, the matrix's ghostmemory row): wall time vs the static file where both survived: x$(echo "$mw" | awk '{ printf "%.2f over %d rates", $1, $2 }'), goal <= x1.05: $(verdict "${mw% *}" 1.05)"
	fi
	if [ -n "$sw" ]; then
		echo "- active, stress cells: wall time vs static where both survived: x$(echo "$sw" | awk '{ printf "%.2f over %d cells", $1, $2 }'), goal <= x1.05: $(verdict "${sw% *}" 1.05)"
	fi
	for c in gm-active gm-small; do
		lost_vs_static "$c" "$([ "$c" = gm-active ] && echo ghostmemory || echo "$c")" >"$VM_WORK/lost.$c"
		n=$(grep -c . "$VM_WORK/lost.$c")
		[ "$n" -gt 0 ] || continue
		l=$(sed -n 's/^lost //p' "$VM_WORK/lost.$c" | paste -sd, - | sed 's/,/, /g')
		echo "- ${c#gm-}: of $n cells set against the static file's, lost where static survived: ${l:-none} ($([ -z "$l" ] && echo met || echo missed))"
	done
	f=$VM_WORK/standby/gm-active
	if [ -f "$f" ]; then
		awk '{
			sw = 2 * $8; if (sw > 2097152) sw = 2097152
			ok = ($3 != "" && $7 != "" && sw > 0 && $3 <= sw && $7 <= sw)
			printf "- active: idle disk held %s MiB at start, %s MiB after the workload; one swapsize is %d MiB: %s\n",
				($3 == "") ? "?" : int($3 / 1024), ($7 == "") ? "?" : int($7 / 1024), sw / 1024,
				ok ? "met (never more)" : "missed"
		}' "$f"
	fi
	f=$VM_WORK/standby/gm-small
	if [ -f "$f" ]; then
		awk -v m="$BASE_MEM" -v fs="$BASE_FS" '{
			ok = ($3 != "" && $7 != "" && $3 <= 65536 && $7 <= 65536)
			printf "- small: idle disk held %s MiB at start, %s MiB after the workload and cooldown (%s s after it, no file kept; %s, %d MiB guest), goal <= 64 MiB: %s\n",
				($3 == "") ? "?" : int($3 / 1024), ($7 == "") ? "?" : int($7 / 1024),
				($9 == "") ? "?" : sprintf("%.0f", $9 / 1000), fs, m,
				ok ? "met" : "missed"
		}' "$f"
	fi
	for c in $STRESS_PROVIDERS; do
		cat "$VM_WORK"/stress/*."$c" 2>/dev/null | awk -v c="$c" '{
			n++
			sw = 2 * $10; if (sw > 2097152) sw = 2097152
			if (sw <= 0) next
			if ($8 > $6 / sw + 1) { over++; l = l sep $1 " (" $8 " files, bound " sprintf("%.2f", $6 / sw + 1) ")"; sep = ", " }
			if ($8 > int(($6 + sw - 1) / sw) + 1) overb++
		}
		END {
			if (n > 0) printf "- %s: files made <= peak swap used / swapsize + 1 in %d of %d stress cells%s: %s; with every begun swapsize counted whole, in %d of %d: %s\n",
				c, n - over, n, (over > 0) ? " (over in " l ")" : "", (over > 0) ? "missed" : "met",
				n - overb, n, (overb > 0) ? "missed" : "met"
		}'
	done
	echo
	echo "The 7-rate matrix runs ghostmemory with its default policy (active,"
	echo "the ghostmemory row) and with --standby=small (the gm-small row)."
	echo "Closest to losing, among the survived cells: the fullest swap"
	echo "(peak used over peak provisioned, two maxima of the same run, not"
	echo "always of the same moment):"
	{
		cat "$VM_WORK"/cells/* 2>/dev/null | awk 'NF >= 11 && $3 == "ok" && $5 > 0 {
			printf "%.3f %s@%s\n", $6 / $5, $1, ($2 == 0) ? "max" : $2 }'
		cat "$VM_WORK"/stress/* 2>/dev/null | awk '$3 == "ok" && $5 > 0 {
			printf "%.3f %s/%s\n", $6 / $5, $1, $2 }'
	} | sort -rn | head -n 6 |
		awk '{ printf "%s%s (%d%%)", (NR > 1) ? ", " : "", $2, $1 * 100 + 0.5 } END { print "." }'
	echo "(matrix cells as provider@rate, stress cells as cell/provider.)"
	echo
}
# ratio A B: matrix row A against row B, over the rates both ran.
ratio() {
	cat "$VM_WORK/cells/$1".* "$VM_WORK/cells/$2".* 2>/dev/null |
		awk -v a="$1" -v o="$2" 'NF >= 11 {
			k = $2
			if ($1 == a) { g[k] = $3; gw[k] = $4; gs[k] = $5; gn++; if ($3 == "ok") gok++ }
			else if ($1 == o) { x[k] = $3; xw[k] = $4; xs[k] = $5; xn++; if ($3 == "ok") xok++ }
		}
		END {
			for (k in g) if ((k in x) && g[k] == "ok" && x[k] == "ok") {
				both++; sgw += gw[k]; sxw += xw[k]; sgs += gs[k]; sxs += xs[k]
			}
			if (gn == 0 || xn == 0) exit
			printf "- %s vs %s: survived %d vs %d of %d rates", a, o, gok, xok, gn
			if (xok > 0) printf " (ratio %.2f)", gok / xok
			if (both > 0 && sxs > 0)
				printf "; where both survived (%d rates): wall time x%.2f, peak swap provisioned x%.2f", both, sgw / sxw, sgs / sxs
			printf "\n"
		}'
}

report() {
so_far=
[ -n "${guests_s:-}" ] || { guests_s=$(($(date +%s) - started)); so_far=" so far"; }
when=$(date -u '+%Y-%m-%d %H:%M UTC') bench_s=$(($(date +%s) - bench_t0))
jobs=$JOBS
# The facts of the run, for a re-render (BENCH_FROM) to say the same.
if [ -n "${BENCH_FROM:-}" ] && [ -f "$BENCH_FROM/meta" ]; then
	. "$BENCH_FROM/meta"
	PARTIAL=${partial:-}
	when="$when (written again on $(date -u '+%Y-%m-%d %H:%M UTC') from the run's records)"
else
	printf "guests_s='%s'\nso_far='%s'\nwhen='%s'\nbench_s='%s'\nload_before='%s'\nload_after='%s'\njobs='%s'\npartial='%s'\n" \
		"$guests_s" "$so_far" "$when" "$bench_s" "$load_before" "$load_after" "$JOBS" "$PARTIAL" >"$VM_WORK/meta"
fi
[ -n "${load_after:-}" ] || load_after=$(cut -d' ' -f1-3 /proc/loadavg)
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
	echo "Written by \`make bench\` (bench/run.sh) on $when."
	echo "ghostmemory: ${gm_version:-?} (commit ${commit:-?}); swapspace: ${VM_SWAPSPACE_VERSION:-?} (Debian package);"
	echo "guest: ${VM_MEM} MiB, 1 vCPU, kernel $kernel, $qemu_version, \`-accel tcg\`,"
	echo "ext4 on a 2 GiB virtio disk (unless a cell says otherwise); host: $(nproc) cores, $jobs guests at a time;"
	echo "the guest cells took ${guests_s} s${so_far}, the whole bench ${bench_s} s"
	echo "(host load average before: $load_before, after: $load_after)."
	echo
	if [ -s "$VM_WORK/retries" ]; then
		echo "Cells booted a second time because the first boot did not reach"
		echo "the scenario: $(cut -d: -f1 "$VM_WORK/retries" | paste -sd, - | sed 's/,/, /g')"
		echo "($(head -n 1 "$VM_WORK/retries" | cut -d: -f2- | sed 's/^ //'))."
		echo
	fi
	if [ -n "${BENCH_FROM:-}" ] && [ -s "$BENCH_FROM/notes" ]; then
		cat "$BENCH_FROM/notes"
		echo
	fi
	if [ -n "$PARTIAL" ]; then
		echo "**PARTIAL RESULTS: $PARTIAL.** Only the cells in the tables"
		echo "below ran; these did not finish: $(missing_cells)."
		echo
	fi
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
	if [ "$ZRAM" = 1 ]; then
		echo
		echo "zram rows (issue 15): a zram device of 1 x RAM (MemTotal) at"
		echo "priority 100, as zram-tools sets up small boards, with no daemon"
		echo "(\`zram\`) and with ghostmemory (\`zram+ghostmemory\`). Their workload's"
		echo "data is half compressible (WORKLOAD_FILL=half, as in"
		echo "tests/vm/t_zram.sh): in every page the first half is xorshift noise"
		echo "and the rest one repeated byte, so zram stores a page in about half a"
		echo "page of RAM. The other rows' pages are one repeated byte each (disk"
		echo "swap does not compress; the noise only costs the workload some CPU)."
		echo "Peak swap provisioned and areas include the zram device."
	fi
	echo
	echo "| provider | rate | outcome | wall s | peak swap MiB | peak used MiB | areas | reaction ms (med/max) | swap / OOM kill, ms after shortage | first grow in the daemon, ms |"
	echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for p in $MATRIX; do
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
	for p in $MATRIX; do
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
	case " $MATRIX " in
	*" ghostmemory "*)
		for other in static swapspace; do
			case " $MATRIX " in *" $other "*) ratio ghostmemory "$other" ;; esac
		done
		;;
	esac
	case " $MATRIX " in
	*" gm-small "*)
		for other in static ghostmemory; do
			case " $MATRIX " in *" $other "*) ratio gm-small "$other" ;; esac
		done
		;;
	esac
	if [ "$ZRAM" = 1 ] && [ -n "$MATRIX" ]; then
		for pair in "zram none" "zram static" "zram+ghostmemory none" \
			"zram+ghostmemory static" "zram+ghostmemory zram" \
			"zram+ghostmemory ghostmemory"; do
			# shellcheck disable=SC2086
			ratio $pair
		done
		echo "  (the zram rows' data is half compressible, the others' one byte"
		echo "  per page: see above)"
	fi
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
	if [ -n "$STRESS" ]; then
		stress_section
	fi
	if [ -n "$STANDBY_CELLS" ]; then
		echo "## What is held while calm"
		echo
		echo "One boot per row, ${VM_MEM} MiB guest: disk held (swap files on"
		echo "disk, on or off) after ${CALM_S} s of calm from the start, whether one"
		echo "allocation of RAM + swapsize/2 in a single mapping succeeds (the"
		echo "kernel's heuristic overcommit counts only swap that is on), the"
		echo "workload (${MB} MiB at 50 MiB/s), and the disk held again after it,"
		echo "four 10 s cooldowns (ghostmemory's; swapspace keeps its own) and"
		echo "once no file a shrink turned off is kept (ghostmemory keeps one for"
		echo "a minute for a grow): s after is how long after the workload."
		echo
		echo "| provider | held at start MiB | RAM + swapsize/2 in one mapping | ${MB} MiB at 50 MiB/s | held after MiB | s after |"
		echo "| --- | ---: | --- | --- | ---: | ---: |"
		for c in $STANDBY_CELLS; do
			[ -f "$VM_WORK/standby/$c" ] || continue
			awk '{
				big = ($4 == "ok") ? "ok" : ($4 == "enomem") ? "refused" : ($4 == "") ? "-" : $4
				if ($5 != "") big = big " (" $5 " MiB)"
				wl = ($6 == "ok") ? "survived" : ($6 == "") ? "-" : $6
				if ($2 != "1") wl = wl " (no result)"
				printf "| %s | %s | %s | %s | %s | %s |\n", $1,
					($3 == "") ? "-" : sprintf("%d", $3 / 1024), big, wl,
					($7 == "") ? "-" : sprintf("%d", $7 / 1024),
					($9 == "") ? "-" : sprintf("%.0f", $9 / 1000)
			}' "$VM_WORK/standby/$c"
		done
		echo
	fi
	goals_section
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
for p in $MATRIX; do np=$((np + 1)); done
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
	for p in $MATRIX; do
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
# The other bench scripts' reports, when they have been written.
for extra in bench/workloads.md bench/nfs.md; do
	[ -f "$extra" ] || continue
	{
		echo
		echo "---"
		echo
		echo "*The following is $extra, appended as it is: its own script"
		echo "(bench/$(basename "$extra" .md).sh) wrote it, not this run.*"
		echo
		cat "$extra"
	} >>"$VM_WORK/results.md"
done
cp "$VM_WORK/survival.svg" "$svg"
cp "$VM_WORK/results.md" "$OUT"
cat "$OUT"
if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
	mkdir -p "$BENCH_KEEP_LOGS" && cp "$VM_WORK"/logs/*.log "$VM_WORK"/idle.*.log "$BENCH_KEEP_LOGS"/ 2>/dev/null
fi
}

# Every cell into one list, slowest first (expected seconds), spread
# over JOBS lanes, each lane sequential.
lanes=$VM_WORK/lanes
mkdir -p "$lanes"
{
	for r in $RATES; do
		for p in $MATRIX; do
			if [ "$r" -eq 0 ]; then s=10; else s=$((MB / r)); fi
			echo "$s cell $p $r"
		done
	done
	for k in $STRESS; do
		stress_kind "$k" || { echo "bench: unknown stress kind $k" >&2; continue; }
		for c in $STRESS_PROVIDERS; do
			echo "$(((s_mb / s_rate / s_procs + 10) * s_spikes)) scell $k $c"
		done
	done
	for c in $STANDBY_CELLS; do
		echo "$((CALM_S + MB / 50 + 20)) icell $c"
	done
} | sort -rn >"$VM_WORK/cells.list"
i=0
while read -r s f a b; do
	echo "$f $a $b" >>"$lanes/$((i % JOBS))"
	i=$((i + 1))
done <"$VM_WORK/cells.list"
if [ -n "${BENCH_FROM:-}" ]; then
	# No guests: the report again from a kept workspace's records.
	for d in cells stress standby; do
		cp "$BENCH_FROM/$d"/* "$VM_WORK/$d"/ 2>/dev/null
	done
	cp "$BENCH_FROM/retries" "$VM_WORK/" 2>/dev/null
	rm -f "$lanes"/*
fi
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
trap 'bench_interrupted' INT TERM
for l in "$lanes"/*; do
	[ -f "$l" ] || continue
	# shellcheck disable=SC2086
	(while read -r f a b; do "$f" $a $b; done <"$l") &
	LANE_PIDS="$LANE_PIDS $!"
done
wait
LANE_PIDS=
guests_s=$(($(date +%s) - started))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- idle cost on the host ----
idle_line() { echo "$1 ${2:--} ${3:--} ${4:--} ${5:--}" >>"$VM_WORK/idle"; }
: >"$VM_WORK/idle"
proc_switches() {
	awk '/^(voluntary|nonvoluntary)_ctxt_switches/ { n += $2 } END { print n + 0 }' \
		"/proc/$1/status"
}
proc_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
idle_note=
if [ -n "${BENCH_FROM:-}" ]; then
	cp "$BENCH_FROM/idle" "$VM_WORK/idle" 2>/dev/null ||
		idle_note="not measured (none in $BENCH_FROM)"
elif [ "$IDLE_S" -eq 0 ]; then
	idle_note="not measured (BENCH_IDLE_S=0)"
elif [ "$(id -u)" -ne 0 ]; then
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

# ---- the report ----
report
