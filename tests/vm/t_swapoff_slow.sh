#!/bin/sh
# Guest test 8 (issue 11): a swapoff that takes many seconds does not
# hold the daemon.  Sixteen bystanders' pages are pushed into the
# daemon's file, the guest disk reads at 2 MiB/s (qemu's throttling),
# and the daemon is told of a surplus (a --meminfo_file fixture) so it
# swaps the file off.  (Sixteen, not one: a swapoff heeds a fatal signal
# only between address spaces, never within one.)  While that swapoff runs -- checked at each point: the file
# still active with pages in it, the daemon's swapoff child alive --
#   (a) --status and a SIGUSR1 dump answer within 1 s, and the status
#       file is fresh and names the file being retired;
#   (b) a shortage (the fixture) still grows: the kernel holds swapon(2)
#       until a running swapoff ends, so the daemon ends the swapoff
#       (the file stays active, counted) and its new file is on within
#       10 s; the surplus back, the swapoff is retried;
#   (c) SIGTERM during the retried swapoff ends the daemon within 10 s,
#       the file still active;
#   (d) the next start adopts the file.
. tests/vm/lib.sh
n=vm_swapoff_slow_does_not_hold_the_daemon
VM_MEM=${GM_VM_MEM:-192}
VM_DRIVE_OPTS=throttling.bps-read=2097152
vm_begin_gm $n
vm_run swapoff_slow 1536 420 gm.scenario=swapoff_slow gm.cooldown=3 \
	gm.mb=96 gm.procs=16 gm.push=128 gm.swapsize=256m
vm_expect 'daemon=' daemon = started
vm_expect 'first_file' path != none
# The premise: the bystander's pages are in the file, and the swapoff
# was running at every point below.  Else the test proves nothing.
vm_expect 'loaded' used_kb -ge 16384
vm_expect 'swapoff_started' swapoff_started = 1
for p in a a_after c c_after; do
	vm_expect "running point=$p " running = 1
	vm_expect "running point=$p " comm = ghostmemory
done
vm_expect 'same_child' same = 1
# (a)
vm_expect 'status ' rc -eq 0
vm_expect 'status ' ms -le 1000
vm_expect 'status ' file_age_s -le 6
vm_expect 'status ' retiring -eq 1
vm_expect 'status ' lists_f1 -eq 1
vm_expect 'dump ' seen = 1
vm_expect 'dump ' ms -le 1000
vm_expect 'dump ' retiring -ge 1
# (b)
vm_expect 'grow ' seen = 1
vm_expect 'grow ' ms -le 10000
f0=$(vm_val "$VM_LOG" 'grow ' files_before)
vm_expect 'grow ' files_after -gt "${f0:-99}"
vm_expect 'after_grow' f1_used_kb -gt 0
vm_expect 'after_grow' lists_f1 -eq 1
vm_expect 'after_grow' active_files -gt "${f0:-99}"
grep -q '^GMLOG daemon.log: .*short of memory: interrupting the swapoff of ' "$VM_LOG" ||
	vm_why "the daemon did not say it ended the swapoff for the shortage"
vm_expect 'retried=' retried = 1
# (c)
vm_expect 'term ' exited = 1
vm_expect 'term ' ms -le 10000
vm_expect 'after_term' f1_active -eq 1
vm_expect 'after_term' f1_used_kb -gt 0
vm_expect 'after_term' exists -eq 1
[ "$(grep -c '^GMLOG daemon.log: .*swapoff .* was interrupted .*retried later' "$VM_LOG")" -ge 2 ] ||
	vm_why "the daemon did not log both interrupted swapoffs (shortage, SIGTERM)"
grep -q '^GMLOG daemon.log: .*exiting on signal' "$VM_LOG" ||
	vm_why "the daemon did not log its exit"
# (d)
vm_expect 'restart ' adopted -eq 1
vm_expect 'restart ' lists_f1 -eq 1
vm_expect 'restart ' f1_active -eq 1
vm_expect 'restart ' daemon_alive -eq 1
vm_expect 'bystanders ' alive = 16
grep -q '^GMKILL' "$VM_LOG" &&
	vm_why "the kernel killed a process: $(grep '^GMKILL' "$VM_LOG" | head -n 1)"
# Off files: those the surplus turned off before the SIGTERM are kept,
# off and valid, and stay as leftovers for the next start (ghostmemory(8));
# the shortage made at most four besides the first.
vm_files_ok /var/lib/ghostmemory 5
vm_verdict $n
