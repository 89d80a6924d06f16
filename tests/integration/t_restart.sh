#!/bin/sh
# Restarts on ext4: after SIGKILL the next instance adopts the active
# file and never deletes it; SIGTERM leaves active files in place; with
# -e the daemon swapoffs and deletes its files on the way out.
. tests/integration/lib.sh

CASES="restart-grow restart-survives-kill restart-adopt restart-keeps \
restart-term-leaves-active restart-erase"
need_root $CASES
workspace
mnt_image 320M
F=$SW/1

neither
start_daemon "$SW" --max_files=1
wait_log " started (pid" 10
shortage
if wait_log "added swap file $F (64 MiB)" 15 && is_active "$F"; then
	pass restart-grow
else
	fail restart-grow "no file was added"
fi
neither
sleep 0.5
kill_daemon
check restart-survives-kill "$F not active after SIGKILL" is_active "$F"

newlog
start_daemon "$SW" --max_files=1
if wait_log " started (pid" 10 &&
	grep -qF "adopted active swap file $F" "$LOG"; then
	pass restart-adopt
else
	fail restart-adopt "no 'adopted active swap file $F'"
fi
# A few ticks with neither shortage nor surplus: the file must stay.
sleep 3
if is_active "$F" && [ -f "$F" ] &&
	! grep -qE "(removed swap file|deleted invalid leftover) $F" "$LOG"; then
	pass restart-keeps
else
	fail restart-keeps "the adopted file was swapped off or deleted"
fi
stop_daemon
check restart-term-leaves-active "SIGTERM swapped off or deleted $F" \
	sh -c "awk 'NR > 1 { print \$1 }' /proc/swaps | grep -qxF '$F' && [ -f '$F' ]"

newlog
start_daemon "$SW" --max_files=1 -e
wait_log " started (pid" 10
stop_daemon
if ! is_active "$F" && [ ! -e "$F" ] &&
	grep -qF "removed swap file $F" "$LOG"; then
	pass restart-erase
else
	fail restart-erase "-e did not swapoff and delete $F on SIGTERM"
fi
exit $FAILED
