#!/bin/sh
# Guest tests of issue 17, what the daemon holds while calm.
#  - vm_standby_active_big_alloc: one mapping of RAM + swapsize/2,
#    touched: refused at once with standby=none (the kernel's heuristic
#    overcommit counts only swap that is on), and it succeeds with the
#    default standby=active, whose file is on before the workload starts.
#  - vm_standby_small_footprint: standby=small holds, at start and again
#    after a workload (2 x RAM at 50 MiB/s, which must survive) and the
#    cooldown, one inactive spare no larger than the bound the daemon
#    itself reports (spare_max_kb) and equal to what it says it holds
#    (idle_held_kb); then, from that spare again, the same workload as
#    fast as it can (the matrix's max rate) must survive too.
. tests/vm/lib.sh
na=vm_standby_active_big_alloc
ns=vm_standby_small_footprint
vm_begin_gm $na $ns

vm_run bigalloc 2048 400 gm.scenario=bigalloc gm.cooldown=600
big=$(vm_val "$VM_LOG" 'bigalloc' big_mb)
vm_expect 'wl name=none' result = enomem
vm_expect 'wl name=none' single = 1
vm_expect 'files tag=none' count = 0
vm_expect 'none_daemon_alive' none_daemon_alive = 1
vm_expect 'files tag=active' active = 1
vm_expect 'standby_status' standby = active
vm_expect 'wl name=active' result = ok
vm_expect 'wl name=active' single = 1
vm_expect 'wl name=active' bad_pages = 0
vm_expect 'active_daemon_alive' active_daemon_alive = 1
# The standby is a whole swapsize file (2 x RAM), not a spare.
sz=$(grep '^GMFILE .*tag=active' "$VM_LOG" | head -n 1 | sed 's/.* size=\([0-9]*\) .*/\1/')
sw=$(vm_val "$VM_LOG" 'bigalloc' swapsize_mb)
[ -n "$sz" ] && [ $((sz / 1048576 + 1)) -ge "${sw:-0}" ] ||
	vm_why "the standby file is ${sz:-missing} bytes, swapsize ${sw:-?} MiB"
grep -q '^GMLOG daemon2.log: .*standby swap file .* on ' "$VM_LOG" ||
	vm_why "the daemon never logged its standby file"
grep -q '^GMKILL' "$VM_LOG" &&
	vm_why "the kernel killed a process: $(grep '^GMKILL' "$VM_LOG" | head -n 1)"
echo "# $na: ${big:-?} MiB in one mapping; $(grep -o 'standby swap file .*' "$VM_LOG" | head -n 1)"
vm_verdict $na

mb=$((VM_MEM * 2))
vm_run small 2048 400 gm.scenario=standby_small gm.cooldown=5 \
	gm.mb=$mb gm.rate=50 gm.hold=2 gm.args=--standby=small
vm_expect 'wl name=main' result = ok
vm_expect 'wl name=main' bad_pages = 0
vm_expect 'daemon_alive' daemon_alive = 1
vm_expect 'calm_again' calm_again = 1
vm_expect 'wl name=fast' result = ok
vm_expect 'wl name=fast' bad_pages = 0
for tag in start after; do
	held=$(vm_val "$VM_LOG" "idle tag=$tag" held_kb)
	bound=$(vm_val "$VM_LOG" "idle tag=$tag" spare_max_kb)
	said=$(vm_val "$VM_LOG" "idle tag=$tag" idle_held_kb)
	vm_expect "idle tag=$tag" standby = small
	vm_expect "files tag=$tag" count = 1
	vm_expect "files tag=$tag" active = 0
	[ -n "$held" ] && [ -n "$bound" ] && [ "$held" -gt 0 ] &&
		[ "$held" -le "$bound" ] ||
		vm_why "$tag: disk held ${held:-?} KiB, the daemon's bound ${bound:-?} KiB"
	[ -n "$said" ] && [ "$said" = "$held" ] ||
		vm_why "$tag: the daemon says it holds ${said:-?} KiB, the directory holds ${held:-?} KiB"
	echo "# $ns: $tag: $held KiB held, bound $bound KiB"
done
grep -q '^GMLOG daemon.log: .*spare taken: making the next swap file' "$VM_LOG" ||
	vm_why "the spare was taken without the next file being started"
grep -q '^GMKILL' "$VM_LOG" &&
	vm_why "the kernel killed a process: $(grep '^GMKILL' "$VM_LOG" | head -n 1)"
vm_files_ok /var/lib/ghostmemory
vm_verdict $ns
