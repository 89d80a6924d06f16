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
# Every file active at the kill is adopted; a file the kill caught made
# but not yet on (the worker turns files on off the loop) is a valid
# leftover, kept: adopted + kept must cover every file there was.
before=$(vm_val "$VM_LOG" 'after_restart_missing' before)
active=$(vm_val "$VM_LOG" 'killed_daemon' active)
adopted=$(grep -c '^GMLOG daemon2.log: .*adopted active swap file' "$VM_LOG")
kept=$(grep -c '^GMLOG daemon2.log: .*kept valid leftover' "$VM_LOG")
[ "$adopted" -ge "${active:-1}" ] ||
	vm_why "the restarted daemon adopted $adopted files, ${active:-?} were active"
[ $((adopted + kept)) -ge "${before:-1}" ] ||
	vm_why "the restarted daemon adopted $adopted and kept $kept of $before files"
grep -q '^GMLOG daemon2.log: .*added swap file' "$VM_LOG" ||
	vm_why "the restarted daemon never added a swap file"
grep -q '^GMLOG daemon2.log: .*deleted invalid leftover' "$VM_LOG" &&
	vm_why "the restarted daemon deleted a file"
vm_files_ok /var/lib/ghostmemory
vm_verdict $n
