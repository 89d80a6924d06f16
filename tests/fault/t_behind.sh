#!/bin/sh
# An administrator acts behind the daemon's back.  A swap file swapped off
# by hand: the daemon notices, says so, keeps the file as a spare and
# turns it back on when memory runs short.  A file swapped off and deleted
# by hand: the daemon notices, says so, forgets it, and makes a new one
# when needed.  Neither disturbs the other files.  Root only.
set -u
. tests/hostile/lib.sh

CASES="behind-swapoff-noticed behind-swapoff-reused behind-delete-noticed
behind-delete-regrows behind-others-untouched"
need_root $CASES
swapdir_image 128m

log="$W/behind.log"
shortage
gm "$log" -s "$SW" --max_files=2
pid=$GM_PID
if ! wait_log "$log" "added swap file $SW/2 "; then
	fail behind-swapoff-noticed "the daemon did not make two files" "$log"
	exit 0
fi
neither
sleep 1.5
other_before=$(fingerprint "$SW/2"; is_active "$SW/2" && echo active)

swapoff "$SW/1"
if wait_log "$log" "swap file $SW/1 was turned off behind our back" 5 && [ -f "$SW/1" ]; then
	pass behind-swapoff-noticed
else
	fail behind-swapoff-noticed "not noticed, or the file was deleted" "$log"
fi
shortage
if wait_log "$log" "added swap file $SW/1 (16 MiB, spare)" 5 && is_active "$SW/1"; then
	pass behind-swapoff-reused
else
	fail behind-swapoff-reused "the swapped-off file was not turned back on" "$log"
fi
neither
sleep 1.5

swapoff "$SW/1" && rm -f "$SW/1"
if wait_log "$log" "swap file $SW/1 was deleted behind our back" 5; then
	pass behind-delete-noticed
else
	fail behind-delete-noticed "not noticed" "$log"
fi
n=$(count_log "$log" "added swap file $SW/1 (16 MiB) in")
shortage
# max_files=2: only possible if the deleted file was forgotten.
if wait_more "$log" "added swap file $SW/1 (16 MiB) in" "$n" 5 && is_active "$SW/1" &&
	valid_swapfile "$SW/1"; then
	pass behind-delete-regrows
else
	fail behind-delete-regrows "no new file after the deletion" "$log"
fi
neither
sleep 1
if [ "$other_before" = "$(fingerprint "$SW/2"; is_active "$SW/2" && echo active)" ] &&
	kill -0 "$pid" 2>/dev/null; then
	pass behind-others-untouched
else
	fail behind-others-untouched "file 2 changed, or the daemon died" "$log"
fi
stop "$pid"
exit 0
