#!/bin/sh
# Guest test 2: with ghostmemory running, twice the guest's RAM allocated
# at 10, 20 and 50 MiB/s survives (one boot per rate, a fresh disk each),
# and the swap it used are valid, active files in /var/lib/ghostmemory.
. tests/vm/lib.sh
rates=${GM_VM_RATES:-10 20 50}
names=
for r in $rates; do names="$names vm_survive_${r}mbs"; done
# shellcheck disable=SC2086
vm_begin_gm $names
mb=$((VM_MEM * 2))
for r in $rates; do
	n=vm_survive_${r}mbs
	vm_run "$n" 2048 $((mb / r + 150)) gm.scenario=run gm.daemon=ghostmemory \
		gm.mb=$mb gm.rate=$r
	vm_expect 'daemon=' daemon = started
	vm_expect 'wl name=main' result = ok
	vm_expect 'wl name=main' bad_pages = 0
	vm_expect 'daemon_alive' daemon_alive = 1
	vm_expect 'files tag=end' count -ge 1
	vm_expect 'SAMPLE' peak_swap_kb -gt 0
	# Every file is active but, at most, one warm spare made after the
	# workload was done.
	c=$(vm_val "$VM_LOG" 'files tag=end' count)
	vm_expect 'files tag=end' active -ge 1
	vm_expect 'files tag=end' active -ge $((${c:-1} - 1))
	vm_files_ok /var/lib/ghostmemory
	vm_verdict "$n"
done
