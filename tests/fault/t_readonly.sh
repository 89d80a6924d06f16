#!/bin/sh
# The swap directory's filesystem is remounted read-only under the
# running daemon (an ext4 that hit errors=remount-ro does this).  Creation
# then fails cleanly: the failure is logged, no file and no swap appear,
# the daemon stays alive and answers.  Once the filesystem is writable
# again it grows as before (the control).  (A filesystem holding an active
# swap file cannot be remounted read-only — the kernel says busy — so the
# test starts with none.)  Root only.
set -u
. tests/hostile/lib.sh

CASES="readonly-remount readonly-create-fails readonly-nothing-made
readonly-alive readonly-rw-grows-again"
need_root $CASES
swapdir_image 128m

log="$W/ro.log"
neither
gm "$log" -s "$SW"
pid=$GM_PID
wait_log "$log" "started" || { fail readonly-remount "daemon did not start" "$log"; exit 0; }
if mount -o remount,ro "$W/fs"; then
	pass readonly-remount
else
	fail readonly-remount "cannot remount the image read-only"
	exit 0
fi
shortage
sleep 4
if grep -q -e "Read-only file system" "$log" &&
	grep -qF "cannot add swap file $SW/" "$log"; then
	pass readonly-create-fails
else
	fail readonly-create-fails "no logged failure naming EROFS" "$log"
fi
if [ -z "$(ls -A "$SW")" ] && [ -z "$(our_swaps)" ]; then
	pass readonly-nothing-made
else
	fail readonly-nothing-made "made: $(files_in "$SW") / $(our_swaps)" "$log"
fi
if kill -0 "$pid" 2>/dev/null && [ -n "$(dump_value "$log" state "$pid")" ]; then
	pass readonly-alive
else
	fail readonly-alive "dead or not answering SIGUSR1" "$log"
fi
mount -o remount,rw "$W/fs"
if wait_log "$log" "added swap file $SW/" 10 && [ -n "$(our_swaps)" ]; then
	pass readonly-rw-grows-again
else
	fail readonly-rw-grows-again "no file made once writable again" "$log"
fi
neither
stop "$pid"
exit 0
