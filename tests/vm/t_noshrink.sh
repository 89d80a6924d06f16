#!/bin/sh
# Guest test 7 (issue 6's guest-side fault): a surplus while the swapped
# pages could not come back.  Twice the RAM is allocated and held; with
# upper_freelimit=40 the held state is a surplus (the free figure counts
# the swap files' free space), so after the 3 s cooldown the daemon tries
# to shrink.  Every file holds pages that would not fit back in RAM (or
# its removal would cut free memory under freetarget), so the daemon must
# refuse: no swapoff, no process killed, the workload's data intact.
. tests/vm/lib.sh
n=vm_shrink_refused_when_it_would_not_fit
vm_begin_gm $n
vm_run noshrink 2048 300 gm.scenario=run gm.daemon=ghostmemory \
	gm.mb=$((VM_MEM * 2)) gm.rate=20 gm.hold=25 gm.cooldown=3 \
	gm.args=--upper_freelimit=40
vm_expect 'daemon=' daemon = started
vm_expect 'wl name=main' result = ok
vm_expect 'wl name=main' bad_pages = 0
vm_expect 'daemon_alive' daemon_alive = 1
grep -q '^GMLOG daemon.log: .*overfed' "$VM_LOG" ||
	vm_why "the held allocation never looked like a surplus (no overfed): the test proves nothing"
grep -q '^GMLOG daemon.log: .*no swap file can be removed safely now' "$VM_LOG" ||
	vm_why "the daemon never refused a shrink"
grep -q '^GMKILL' "$VM_LOG" &&
	vm_why "the kernel killed a process: $(grep '^GMKILL' "$VM_LOG" | head -n 1)"
grep -q '^GMLOG daemon.log: .*swapoff .* failed' "$VM_LOG" &&
	vm_why "the daemon attempted a swapoff that failed: $(grep '^GMLOG daemon.log: .*swapoff' "$VM_LOG" | head -n 1)"
vm_files_ok /var/lib/ghostmemory
vm_verdict $n
