#!/bin/sh
# Guest test 3: after the workload is gone and the (short) cooldown has
# passed, ghostmemory swaps off and removes the swap files it added and
# the disk gets its space back (each file first kept off for a minute in
# case swap is needed again) -- all of it but the standby file, which
# the default standby=active keeps on as the floor (one swapsize file,
# here 64 MiB so that the workload needs more) -- and no process is
# killed on the way: a bystander holding 40 MiB, part of it swapped out,
# must live through every swapoff.
. tests/vm/lib.sh
n=vm_shrink_after_cooldown
vm_begin_gm $n
vm_run shrink 2048 300 gm.scenario=shrink gm.mb=$((VM_MEM + 64)) gm.rate=10 \
	gm.cooldown=5 gm.keep=1 gm.args=--swapsize=64m
vm_expect 'daemon=' daemon = started
vm_expect 'wl name=main' result = ok
# More than the floor was needed, so there is something to remove.
vm_expect 'after_workload' swaps -ge 2
vm_expect 'shrunk=' shrunk = 1
# Only the floor stays: one file, on, of swapsize; no inactive spare.
vm_expect 'files tag=after' count = 1
vm_expect 'files tag=after' active = 1
floor_kb=0
if grep -q '^GMFILE .*tag=after' "$VM_LOG"; then
	grep '^GMFILE .*tag=after' "$VM_LOG" | grep -q -E \
		'^GMFILE path=/var/lib/ghostmemory/[0-9]+ size=67108864 mode=600 uid=0 type=regular_file active=1 sig=SWAPSPACE2 ' ||
		vm_why "the file left is not the 64 MiB standby, on: $(grep '^GMFILE .*tag=after' "$VM_LOG")"
	floor_kb=65536
	echo "# $n: the standby file stays, $floor_kb KiB"
fi
vm_expect 'bystander_alive' bystander_alive = 1
vm_expect 'bystander_alive' daemon_alive = 1
grep -q '^GMLOG daemon.log: .*removed swap file /var/lib/ghostmemory/' "$VM_LOG" ||
	vm_why "the daemon never logged 'removed swap file'"
# A file the surplus turns off is first kept (off, on disk) for a grow,
# then deleted when no grow came in its time (tick_keep_ms).
grep -q '^GMLOG daemon.log: .*turned off swap file /var/lib/ghostmemory/[0-9]* .*; kept for [0-9]* s' "$VM_LOG" ||
	vm_why "no file was kept after its swapoff"
grep -q '^GMLOG daemon.log: .*swap file /var/lib/ghostmemory/[0-9]* was not needed again in the time it was kept; deleting it' "$VM_LOG" ||
	vm_why "no kept file was deleted when its time was up"
grep -q '^GMKILL' "$VM_LOG" &&
	vm_why "the kernel killed a process: $(grep '^GMKILL' "$VM_LOG" | head -n 1)"
before=$(vm_val "$VM_LOG" 'disk tag=before' avail_kb)
vm_expect 'disk tag=after' avail_kb -ge $((${before:-0} - floor_kb - 1024))
vm_verdict $n
