#!/bin/sh
# swapon flags end to end on ext4: --priority sets the area's priority
# (SWAP_FLAG_PREFER), and --discard=both is accepted by the kernel for a
# file on a loop device.
. tests/integration/lib.sh

CASES="priority-applied priority-discard-accepted"
need_root $CASES
workspace
mnt_image 320M
F=$SW/1

prio_of() {
	awk -v p="$1" 'NR > 1 && $1 == p { print $5 }' /proc/swaps
}

neither
start_daemon "$SW" --max_files=1 --priority=123 --discard=both
wait_log " started (pid" 10
shortage
if wait_log "added swap file $F (64 MiB)" 15 && is_active "$F"; then
	pass priority-discard-accepted
else
	fail priority-discard-accepted "no file added with --discard=both"
fi
neither
p=$(prio_of "$F")
if [ "$p" = 123 ]; then
	pass priority-applied
else
	fail priority-applied "priority in /proc/swaps is '$p', want 123"
fi
stop_daemon
exit $FAILED
