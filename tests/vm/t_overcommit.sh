#!/bin/sh
# Guest test: strict overcommit (vm.overcommit_memory=2).  A program
# commits 3 x RAM without touching it, 16 MiB every 200 ms, twice in one
# boot: first with no daemon, where malloc fails near CommitLimit (half
# the RAM, no swap), then with ghostmemory, which judges the commit
# headroom like the free figure: every allocation succeeds.  Both
# results are printed side by side.
# no_timer_check: under a loaded host TCG can miss the boot-time timer
# check and the kernel panics ("IO-APIC + timer doesn't work").
. tests/vm/lib.sh
vm_begin_gm vm_overcommit_without vm_overcommit_with
mb=$((VM_MEM * 3))
vm_run overcommit 2048 300 gm.scenario=commit gm.daemon=ghostmemory \
	gm.without=1 gm.mb=$mb no_timer_check
vm_expect 'overcommit' mode = 2
vm_expect 'wl name=without' result = enomem
vm_expect 'wl name=without' committed_mb -lt $mb
without=$(vm_val "$VM_LOG" 'wl name=without' committed_mb)
without_limit=$(vm_val "$VM_LOG" 'wl name=without' commit_limit_kb)
vm_verdict vm_overcommit_without

vm_expect 'daemon=' daemon = started
vm_expect 'wl name=main' result = ok
vm_expect 'wl name=main' committed_mb = $mb
vm_expect 'daemon_alive' daemon_alive = 1
vm_expect 'files tag=end' active -ge 1
with=$(vm_val "$VM_LOG" 'wl name=main' committed_mb)
with_limit=$(vm_val "$VM_LOG" 'wl name=main' commit_limit_kb)
vm_files_ok /var/lib/ghostmemory
vm_verdict vm_overcommit_with
echo "# overcommit=2, ${mb} MiB asked in 16 MiB steps: without ghostmemory ${without:-?} MiB committed (CommitLimit ${without_limit:-?} KiB); with it ${with:-?} MiB (CommitLimit ${with_limit:-?} KiB)"
grep '^GMINFO commit ' "$VM_LOG" | awk 'NR % 4 == 1' | head -n 12 | sed 's/^GMINFO /# with: /'
