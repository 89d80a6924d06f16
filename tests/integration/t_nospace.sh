#!/bin/sh
# Out of disk space.  On a tiny ext4 image whose free space is cut into
# thousands of holes, statfs says a file fits but fallocate fails with
# ENOSPC (the extent tree needs blocks too): the daemon must delete the
# partial file, say "no room" and go on a diet.  When statfs already
# shows too little room, the policy says "no room" without trying.
. tests/integration/lib.sh

CASES="nospace-enospc-diet nospace-enospc-no-partial-file \
nospace-policy-diet nospace-policy-no-file"
need_root $CASES
workspace
FRAG=tests/helpers/fragfill
have_mkfs ext4 || skip_all "mkfs.ext4 not installed" $CASES
[ -x "$FRAG" ] || skip_all "$FRAG not built (make $FRAG)" $CASES

# ENOSPC from fallocate itself.  No reserve (-m 0, --disk_reserve=0), so
# the file asked for is exactly what statfs reports free.
if mkimage ext4 48M "$W/frag" -m 0 -b 4096 &&
	holes=$("$FRAG" "$W/frag" 16) && [ "$holes" -gt 300 ]; then
	SW=$W/frag/swap
	neither
	start_daemon "$SW" --disk_reserve=0
	wait_log " started (pid" 10
	shortage
	if wait_log "no room for a new swap file" 15 && wait_log "-> diet" 5 &&
		grep -qF "$SW/1: fallocate: No space left on device" "$LOG"; then
		pass nospace-enospc-diet
	else
		fail nospace-enospc-diet "no 'fallocate: No space left on device', 'no room' and '-> diet'"
	fi
	sleep 1
	if [ -z "$(files_in "$SW")" ] && [ -z "$(our_swaps)" ]; then
		pass nospace-enospc-no-partial-file
	else
		fail nospace-enospc-no-partial-file "left behind: $(files_in "$SW") $(our_swaps)"
	fi
	neither
	stop_daemon
else
	fail nospace-enospc-diet "cannot make a fragmented ext4 image ($holes holes)"
	fail nospace-enospc-no-partial-file "no image"
fi

# Too little room by statfs: 48 MiB image, 64 MiB minimum file.
newlog
if mkimage ext4 48M "$W/small"; then
	SW=$W/small/swap
	neither
	start_daemon "$SW" --min_swapsize=64m
	wait_log " started (pid" 10
	shortage
	if wait_log "no room for a new swap file" 15 && wait_log "-> diet" 5; then
		pass nospace-policy-diet
	else
		fail nospace-policy-diet "no 'no room' and '-> diet'"
	fi
	if [ -z "$(files_in "$SW")" ] && [ -z "$(our_swaps)" ]; then
		pass nospace-policy-no-file
	else
		fail nospace-policy-no-file "left behind: $(files_in "$SW") $(our_swaps)"
	fi
	neither
	stop_daemon
else
	fail nospace-policy-diet "cannot make a small ext4 image"
	fail nospace-policy-no-file "no image"
fi
exit $FAILED
