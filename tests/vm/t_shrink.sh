#!/bin/sh
# Guest test 3: after the workload is gone and the (short) cooldown has
# passed, ghostmemory swaps off and removes its swap files and the disk
# gets its space back (all of it but one warm spare, if the daemon keeps
# one), and no process is killed on the way: a bystander holding 40 MiB,
# part of it swapped out, must live through every swapoff.
. tests/vm/lib.sh
n=vm_shrink_after_cooldown
vm_begin_gm $n
vm_run shrink 2048 300 gm.scenario=shrink gm.mb=$((VM_MEM + 64)) gm.rate=10 \
	gm.cooldown=5
vm_expect 'daemon=' daemon = started
vm_expect 'wl name=main' result = ok
vm_expect 'after_workload' swaps -ge 1
vm_expect 'shrunk=' shrunk = 1
vm_expect 'files tag=after' active = 0
# At most one inactive, valid file may stay as a warm spare; its size is
# the only disk space not returned.
vm_expect 'files tag=after' count -le 1
spare_kb=0
if grep -q '^GMFILE .*tag=after' "$VM_LOG"; then
	grep '^GMFILE .*tag=after' "$VM_LOG" | grep -q -E \
		'^GMFILE path=/var/lib/ghostmemory/[0-9]+ size=[0-9]+ mode=600 uid=0 type=regular_file active=0 sig=SWAPSPACE2 ' ||
		vm_why "the file left behind is not a valid spare: $(grep '^GMFILE .*tag=after' "$VM_LOG")"
	spare_kb=$(($(grep '^GMFILE .*tag=after' "$VM_LOG" | head -n 1 | sed 's/.* size=\([0-9]*\) .*/\1/') / 1024))
	echo "# $n: one warm spare kept, $spare_kb KiB"
fi
vm_expect 'bystander_alive' bystander_alive = 1
vm_expect 'bystander_alive' daemon_alive = 1
grep -q '^GMLOG daemon.log: .*removed swap file /var/lib/ghostmemory/' "$VM_LOG" ||
	vm_why "the daemon never logged 'removed swap file'"
grep -q '^GMKILL' "$VM_LOG" &&
	vm_why "the kernel killed a process: $(grep '^GMKILL' "$VM_LOG" | head -n 1)"
before=$(vm_val "$VM_LOG" 'disk tag=before' avail_kb)
vm_expect 'disk tag=after' avail_kb -ge $((${before:-0} - spare_kb - 1024))
vm_verdict $n
