#!/bin/sh
# Making a file never stalls the loop.  With no spare, a GROW hands the
# file to the background maker; while the file is being written (zeros on
# an extent-less ext4 image: no fallocate, about a second for 1 GiB) the
# loop still answers SIGUSR1, its dump names the file being made, it does
# not start a second file for the same shortage, and the file is turned
# on as soon as it is made.
# Root only.
set -u
. tests/hostile/lib.sh

CASES="busy-dump-while-making busy-one-file-at-a-time busy-turned-on-when-made
busy-status-file-names-it"
need_root $CASES
swapdir_image 2g -b 4096 -m 0 -O ^extent,^64bit

log="$W/busy.log"
# start_making: a daemon on an empty directory, then a shortage; true
# once it says it is making $SW/1 in the background.
start_making() {
	neither
	gm "$log" -s "$SW" --swapsize=1g --max_swapsize=1g --max_files=1
	wait_log "$log" "started" 5 &&
		shortage &&
		wait_log "$log" "making swap file $SW/1 (1024 MiB) in the background" 5
}

if ! start_making; then
	fail busy-dump-while-making "no 'started', then 'making swap file $SW/1', in the log" "$log"
	stop "$GM_PID"
	exit 0
fi
kill -USR1 "$GM_PID"
wait_log "$log" "added swap file $SW/1 (1024 MiB)" 60
neither
# The dump asked for after the making began must have come out before the
# file was on, and must name it.
dump_at=$(grep -nF "dump making file=$SW/1 size_kb=1048576 for_grow=1" "$log" | head -n 1 | cut -d: -f1)
added_at=$(grep -nF "added swap file $SW/1 (1024 MiB)" "$log" | head -n 1 | cut -d: -f1)
if [ -n "$dump_at" ] && [ -n "$added_at" ] && [ "$dump_at" -lt "$added_at" ]; then
	pass busy-dump-while-making
else
	fail busy-dump-while-making "no dump naming the file while it was made (dump line ${dump_at:-none}, added line ${added_at:-none})" "$log"
fi
# Several fast polls happened during the fill; none made a second file.
if [ "$(files_in "$SW")" = "1" ] && [ "$(count_log "$log" "making swap file")" = 1 ]; then
	pass busy-one-file-at-a-time
else
	fail busy-one-file-at-a-time "files: $(files_in "$SW" | tr '\n' ' '); $(count_log "$log" "making swap file") started" "$log"
fi
if is_active "$SW/1" && valid_swapfile "$SW/1" &&
	grep -qF "added swap file $SW/1 (1024 MiB) in" "$log" &&
	grep -F "added swap file $SW/1 (1024 MiB) in" "$log" | grep -qF "(made in the background)"; then
	pass busy-turned-on-when-made
else
	fail busy-turned-on-when-made "$SW/1 not active and valid, or no 'added ... (made in the background)'" "$log"
fi
stop "$GM_PID"

# The same through the status file: a second run, read while it works.
rm -f "$log"
clear_swapdir
start_making
seen=
t=0
while [ $t -lt 100 ] && ! grep -qF "added swap file $SW/1" "$log"; do
	if "$GM" --status --rundir="$W/run" 2>/dev/null |
		grep -qF "making file=$SW/1 size_kb=1048576 for_grow=1"; then
		seen=1
		break
	fi
	sleep 0.05
	t=$((t + 1))
done
if [ -n "$seen" ]; then
	pass busy-status-file-names-it
else
	fail busy-status-file-names-it "--status never showed 'making file=$SW/1' while it was made" "$log"
fi
wait_log "$log" "added swap file $SW/1" 60
neither
stop "$GM_PID"
exit 0
