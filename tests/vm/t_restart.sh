#!/bin/sh
# Guest test 5: the daemon is SIGKILLed while its files are active and
# started again.  It must adopt them (delete nothing that is active) and
# keep working: a second workload makes it add more files, and both
# workloads survive.  Small files (64 MiB) so there are several.
. tests/vm/lib.sh
n=vm_restart_adopts
vm_begin_gm $n
vm_run restart 2048 300 gm.scenario=restart gm.mb=300 gm.mb2=200 gm.rate=20 \
	gm.args=--swapsize=64m
vm_expect 'killed_daemon' alive = 0
vm_expect 'after_restart_missing' after_restart_missing = 0
vm_expect 'after_restart_missing' before -ge 1
vm_expect 'wl name=first' result = ok
vm_expect 'wl name=second' result = ok
vm_expect 'daemon_alive' daemon_alive = 1
before=$(vm_val "$VM_LOG" 'after_restart_missing' before)
adopted=$(grep -c '^GMLOG daemon2.log: .*adopted active swap file' "$VM_LOG")
[ "$adopted" -ge "${before:-1}" ] ||
	vm_why "the restarted daemon adopted $adopted files, $before were active"
grep -q '^GMLOG daemon2.log: .*added swap file' "$VM_LOG" ||
	vm_why "the restarted daemon never added a swap file"
grep -q '^GMLOG daemon2.log: .*deleted invalid leftover' "$VM_LOG" &&
	vm_why "the restarted daemon deleted a file"
vm_files_ok /var/lib/ghostmemory
vm_verdict $n
