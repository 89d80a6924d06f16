#!/bin/sh
# Guest test: zram of the RAM's size at priority 100 (zram-tools' default
# on small boards), then three times the RAM of half-compressible memory
# at 50 MiB/s and, in a second boot, as fast as it can; twice in each
# boot.  First with no daemon: the OOM killer
# takes the workload.  Then with ghostmemory, which counts zram's free
# space only for the RAM it frees: the workload survives, zram is used
# first (the files come below it) and no OOM kill happens.  The counted
# free figure over time is printed.  no_timer_check: see t_overcommit.sh.
. tests/vm/lib.sh
vm_begin_gm vm_zram_without_50 vm_zram_with_50 vm_zram_without_max \
	vm_zram_with_max
mb=$((VM_MEM * 3))

# zram_case RATE LABEL: one boot, its two verdicts and the figures.
zram_case() {
	rate=$1 label=$2 how="at $1 MiB/s"
	[ "$rate" = 0 ] && how="as fast as it can"
	vm_run zram_$label 2048 $((2 * mb / 50 + 180)) gm.scenario=zram \
		gm.daemon=ghostmemory gm.without=1 gm.mb=$mb gm.rate=$rate gm.fill=half \
		no_timer_check
	vm_expect 'zram_setup' ok = 1
	vm_expect 'wl name=without' result = killed
	vm_expect 'zram_without' kills -ge 1
	without=$(vm_val "$VM_LOG" 'wl name=without' result)
	without_kill=$(vm_val "$VM_LOG" 'oom' first_kill_ms)
	vm_verdict vm_zram_without_$label

	vm_expect 'daemon=' daemon = started
	vm_expect 'wl name=main' result = ok
	vm_expect 'wl name=main' bad_pages = 0
	vm_expect 'daemon_alive' daemon_alive = 1
	vm_expect 'oom_main' kills = 0
	vm_expect 'files tag=end' active -ge 1
	vm_expect 'zram_end' file_prio_max -lt 100
	# zram was filled first: half of it or more in use at the peak (it
	# empties again when the workload ends), and some of it already when the
	# first file was on.
	zsize=$(vm_val "$VM_LOG" 'zram_end' size_kb)
	peak=$(grep '^GMINFO zram ' "$VM_LOG" | tr ' ' '\n' |
		sed -n 's/^zram_used_kb=\([0-9][0-9]*\)$/\1/p' | sort -n | tail -n 1)
	[ "${peak:-0}" -ge $((${zsize:-2} / 2)) ] 2>/dev/null ||
		vm_why "zram's peak use ${peak:-none} KiB is under half its ${zsize:-?} KiB"
	first=$(grep '^GMINFO zram .* files=[1-9]' "$VM_LOG" | head -n 1)
	at_first=$(echo "$first" | tr ' ' '\n' | sed -n 's/^zram_used_kb=//p')
	[ "${at_first:-0}" -gt 0 ] 2>/dev/null ||
		vm_why "zram was not in use when the first file came: ${first:-no file seen}"
	vm_files_ok /var/lib/ghostmemory
	with=$(vm_val "$VM_LOG" 'wl name=main' result)
	vm_verdict vm_zram_with_$label
	echo "# zram ${zsize:-?} KiB at priority 100, ${mb} MiB (half compressible) $how: without ghostmemory $without (first OOM kill at ${without_kill:-?} ms); with it $with, zram used ${at_first:-?} KiB when the first file came (peak ${peak:-?}), files at priority $(vm_val "$VM_LOG" 'zram_end' file_prio_max)"
	grep '^GMINFO zram ' "$VM_LOG" | awk 'NR % 3 == 1' | head -n 16 | sed 's/^GMINFO /# with: /'
}

zram_case 50 50
zram_case 0 max
