#!/bin/sh
# Guest test 9 (issue 11): a swapoff forced into the OOM killer costs
# the daemon nothing.  Sixteen bystanders hold more than the guest's RAM
# between them, most of it in the daemon's one file; a --meminfo_file
# fixture tells the daemon there is plenty of memory, so it swaps that
# file off and the pages cannot come back.  The kernel makes the caller
# of swapoff the OOM killer's first victim: that must be the daemon's
# short-lived child (its comm is the daemon's, "ghostmemory", with
# another pid).  The daemon lives, the file stays active and counted
# (status, dump), the failure is logged, the swapoff is retried only
# after the back-off, and every bystander that lives reads its pages
# back intact through the area the kernel put back.
#
# What no daemon can promise, measured and reported, not asserted: a
# second victim.  A killed swapoff looks at its signal only between
# address spaces, and while it unwinds the area it was turning off takes
# no new page, so the machine has no swap at all; the OOM reaper gives
# up on the child after about 2 s and the next OOM may take a bystander
# (Debian 12's 6.1: about one run in two, with 1, 16 or 64 bystanders).
# The daemon's guard is not to start a swapoff whose pages do not fit in
# MemAvailable on a fresh reading, which the fixture defeats on purpose.
. tests/vm/lib.sh
n=vm_swapoff_oom_daemon_outlives_it
VM_MEM=${GM_VM_MEM:-192}
vm_begin_gm $n
vm_run swapoff_oom 1024 420 gm.scenario=swapoff_oom gm.cooldown=3 \
	gm.mb=$((VM_MEM + 32)) gm.procs="${GM_VM_PROCS:-16}" gm.swapsize=256m \
	gm.args=--max_files=1
vm_expect 'daemon=' daemon = started
vm_expect 'first_file' path != none
# The premise: more in the file than the guest has available.
avail=$(vm_val "$VM_LOG" 'loaded' memavail_kb)
vm_expect 'loaded' used_kb -gt "${avail:-999999999}"
vm_expect 'loaded' files -eq 1
vm_expect 'first_failure' seen = 1
grep -q '^GMOOM .*Killed process' "$VM_LOG" ||
	vm_why "the OOM killer never struck: the test proves nothing"
# Every victim is one of the daemon's children (the swapoffs).
children=$(grep '^GMINFO child ' "$VM_LOG" | sed 's/^GMINFO child \([0-9]*\) .*/\1/')
daemon=$(vm_val "$VM_LOG" 'daemon=' pid)
grep '^GMOOM .*Killed process' "$VM_LOG" |
	sed 's/.*Killed process \([0-9]*\) (\([^)]*\)).*oom_score_adj:\(-*[0-9]*\).*/\1 \2 \3/' >"$VM_WORK/victims"
# A swapoff child has the daemon's comm, its own pid and oom_score_adj 0
# (the kernel's kill line says which); the daemon and the only other
# ghostmemory processes (--status) run at -1000.  Children live for a
# fraction of a second here, often less than the 50 ms watch: a victim
# seen as the daemon's child, or named ghostmemory at 0 and not the
# daemon, is a swapoff child; at least one victim must be one.
seen=0 first=1 others=0
while read -r pid comm adj; do
	if echo "$children" | grep -qx "$pid"; then
		seen=$((seen + 1))
		echo "# $n: the OOM killer took pid $pid ($comm), a child of the daemon"
	elif [ "$comm" = ghostmemory ] && [ "$adj" = 0 ] && [ "$pid" != "$daemon" ]; then
		seen=$((seen + 1))
		echo "# $n: the OOM killer took pid $pid ($comm, oom_score_adj 0): a swapoff child, too short-lived for the 50 ms watch"
	elif [ "$comm" = ghostmemory ]; then
		echo "# $n: the OOM killer took pid $pid ($comm, oom_score_adj $adj), not seen as a child"
	else
		others=$((others + 1))
		echo "# $n: NOTE: a second victim while a killed swapoff unwound: pid $pid ($comm)"
	fi
	[ "$first" = 0 ] || [ "$comm" = ghostmemory ] ||
		vm_why "the OOM killer's first victim was $comm (pid $pid), not the swapoff"
	first=0
	[ "$pid" != "$daemon" ] ||
		vm_why "the OOM killer took the daemon itself (pid $pid)"
done <"$VM_WORK/victims"
[ "$seen" -ge 1 ] ||
	vm_why "no OOM victim was a swapoff child of the daemon (children seen: ${children:-none})"
vm_expect 'after_failure' daemon_alive = 1
vm_expect 'after_failure' f1_active -eq 1
vm_expect 'status ' lists_f1 -eq 1
vm_expect 'status ' failures_swapoff -ge 1
vm_expect 'dump ' lists_f1 -ge 1
grep -q '^GMLOG daemon.log: .*swapoff /var/lib/ghostmemory/[0-9]* .* and is retried later' "$VM_LOG" ||
	vm_why "the daemon did not log the failed swapoff"
vm_expect 'retry ' seen = 1
vm_expect 'end ' daemon_alive = 1
vm_expect 'end ' f1_active -eq 1
# Every bystander that lived read its pages back intact.
if grep '^GMRESULT wl name=by' "$VM_LOG" | grep -v ' bad_pages=0' |
	grep -q 'result=ok'; then
	vm_why "a bystander read back bad pages"
fi
procs=$(vm_val "$VM_LOG" 'bystanders_check' of)
alive=$(vm_val "$VM_LOG" 'bystanders_check' ok)
echo "# $n: bystanders alive at the end: ${alive:-?} of ${procs:-?}; other victims: $others"
vm_files_ok /var/lib/ghostmemory
vm_verdict $n
