#!/bin/sh
# Running out of disk in the middle of making a swap file.
#
# ENOSPC, for certain: a 72 MiB ext4 image without extents (indirect
# blocks, as ext2/ext3 lay files out) and no root reserve.  fallocate is
# not supported there, so the daemon writes zeros; and with
# disk_reserve=0 it sizes the last file to exactly the free space, which a
# file with indirect blocks can never fill: the write fails with ENOSPC
# part way through, every time.  Three 16 MiB files fit first (control).
# Expected: "no room" logged, the state goes to diet, the half-written
# file is gone, what is active is whole and valid, the daemon carries on.
#
# EFBIG, from a file size limit (ulimit -f, as an init system may set):
# the daemon must not be killed by SIGXFSZ, and EFBIG is "no room" too.
# Root only.
set -u
. tests/hostile/lib.sh

CASES="enospc-control-grew enospc-mid-creation enospc-diet
enospc-no-partial-file enospc-alive fsize-limit-survives
fsize-limit-no-room fsize-limit-no-partial-file"
need_root $CASES
swapdir_image 72m -b 4096 -m 0 -O ^extent,^64bit

log="$W/enospc.log"
shortage
gm "$log" -s "$SW"
pid=$GM_PID
wait_log "$log" "no room for a new swap file" 20
neither
sleep 1.5

n=$(our_swaps | wc -l)
if [ "$n" -ge 3 ] && grep -qF "added swap file $SW/3 " "$log"; then
	pass enospc-control-grew
else
	fail enospc-control-grew "want 3 files of 16 MiB first, have $n" "$log"
fi
if grep -q "swap file $SW/[0-9]*: write zeros: No space left on device" "$log" &&
	grep -qF "no room for a new swap file" "$log"; then
	pass enospc-mid-creation
else
	fail enospc-mid-creation "no ENOSPC while writing, or no 'no room'" "$log"
fi
if grep -qF -- "-> diet" "$log"; then
	pass enospc-diet
else
	fail enospc-diet "never entered diet" "$log"
fi
bad=
for f in "$SW"/*; do
	[ -e "$f" ] || continue
	{ valid_swapfile "$f" && is_active "$f"; } || bad="$bad $(basename "$f"):$(stat -c %s "$f")"
done
if [ -z "$bad" ] && [ "$(ls -A "$SW" | wc -l)" -eq "$n" ]; then
	pass enospc-no-partial-file
else
	fail enospc-no-partial-file "files not whole and active:$bad ($(files_in "$SW"))" "$log"
fi
# Alive, answering, and still able to shrink: surplus frees a file
# (turned off and kept a minute for a grow, or deleted at once on a
# diet).
surplus
freed() { grep -qsE "(removed|turned off) swap file $SW/" "$log"; }
if [ -n "$(dump_value "$log" state "$pid")" ] && poll 100 freed; then
	pass enospc-alive
else
	fail enospc-alive "no answer to SIGUSR1 or no shrink on surplus" "$log"
fi
clear_swapdir "$pid"

# A file size limit of 8 MiB (dash counts 512-byte blocks) under 16 MiB
# files.  The daemon runs in a subshell that sets it.
log="$W/fsize.log"
shortage
(
	ulimit -f 16384 || exit 99
	exec "$GM" -v -c /dev/null --meminfo-file="$W/meminfo" -p "$W/pid" \
		--rundir="$W/run" --cooldown=2 --swapsize=16m --min_swapsize=1m \
		--max_swapsize=16m --disk_reserve=0 --spare=no --psi=no -s "$SW"
) >>"$log" 2>&1 &
pid=$!
PIDS="$PIDS $pid"
wait_log "$log" "no room for a new swap file" 10
sleep 1
if kill -0 "$pid" 2>/dev/null; then
	pass fsize-limit-survives
else
	wait "$pid"
	fail fsize-limit-survives "the daemon died (exit $?; SIGXFSZ is 25, 128+25=153)" "$log"
fi
if grep -qF "no room for a new swap file" "$log" && grep -qF -- "-> diet" "$log"; then
	pass fsize-limit-no-room
else
	fail fsize-limit-no-room "EFBIG was not taken as 'no room' (diet)" "$log"
fi
if [ -z "$(ls -A "$SW")" ] && [ -z "$(our_swaps)" ]; then
	pass fsize-limit-no-partial-file
else
	fail fsize-limit-no-partial-file "left: $(files_in "$SW")" "$log"
fi
stop "$pid"
exit 0
