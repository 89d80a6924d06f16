#!/bin/sh
# Stopping while a file is being made (issue 12, #8): SIGTERM while the
# background maker writes zeros into a large file (an extent-less ext4
# image: no fallocate) ends the daemon within 5 s (the init script kills
# at 30 s), and the half-written file is deleted: only a complete valid
# file may stay in the directory, and nothing of it is active.  Once for
# a file a GROW waits for, once for a warm spare made when calm.  A
# daemon that waited for the file to be finished would take far longer
# than 5 s for 8 GiB of zeros here.
# Root only.  Uses up to a few hundred MiB of /tmp while it runs.
set -u
. tests/hostile/lib.sh

CASES="stop-grow-exits-in-time stop-grow-no-half-file
stop-spare-exits-in-time stop-spare-no-half-file"
need_root $CASES
swapdir_image 9g -b 4096 -m 0 -O ^extent,^64bit
SIZE_MB=8192

now_ms() { echo $(($(date +%s%N) / 1000000)); }
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
# partly_written PATH: the file exists and holds at least 32 MiB (the
# maker's first sync), but not all of it.
partly_written() {
	_pw=$(size_of "$1")
	[ "$_pw" -ge $((32 << 20)) ] && [ "$_pw" -lt $((SIZE_MB << 20)) ]
}

# stop_while_making NAME LOG: the daemon $GM_PID is making $SW/1;
# SIGTERM once it is partly written, then the two checks.
stop_while_making() {
	_name=$1 _log=$2
	if ! poll 100 partly_written "$SW/1"; then
		fail "$_name-exits-in-time" "$SW/1 never seen partly written (size $(size_of "$SW/1"))" "$_log"
		skip "$_name-no-half-file" "nothing to stop"
		return
	fi
	_at=$(size_of "$SW/1")
	_t0=$(now_ms)
	kill -TERM "$GM_PID"
	poll 50 exited "$GM_PID"
	_t1=$(now_ms)
	if exited "$GM_PID"; then
		wait "$GM_PID"
		_rc=$?
		echo "# $_name: SIGTERM at $((_at >> 20)) MiB written; exited $_rc in $((_t1 - _t0)) ms"
		if [ "$_rc" = 0 ] && grep -qF "exiting on signal" "$_log"; then
			pass "$_name-exits-in-time"
		else
			fail "$_name-exits-in-time" "exited $_rc, without 'exiting on signal'" "$_log"
		fi
	else
		fail "$_name-exits-in-time" "still running 5 s after SIGTERM (SIGTERM at $((_at >> 20)) MiB)" "$_log"
		stop "$GM_PID"
	fi
	# Only a complete, valid, inactive file may stay.
	_left=$(files_in "$SW")
	if our_swaps | grep -qF "$SW/"; then
		fail "$_name-no-half-file" "left active: $(our_swaps | tr '\n' ' ')" "$_log"
	elif [ -z "$_left" ] && grep -qF "swap file $SW/1: stopped while being made" "$_log"; then
		pass "$_name-no-half-file"
	elif [ "$_left" = 1 ] && valid_swapfile "$SW/1" $((SIZE_MB << 20)) >/dev/null; then
		pass "$_name-no-half-file"
	else
		fail "$_name-no-half-file" "left in $SW: ${_left:-nothing} ($(ls -ls "$SW" | tail -n +2 | tr '\n' ' ')), or no 'stopped while being made'" "$_log"
	fi
	rm -f "$SW"/*
}

# A GROW's file.
log="$W/stop-grow.log"
neither
gm "$log" -s "$SW" --swapsize=${SIZE_MB}m --max_swapsize=${SIZE_MB}m --max_files=1
if wait_log "$log" "started" 5 && shortage &&
	wait_log "$log" "making swap file $SW/1 ($SIZE_MB MiB) in the background" 5; then
	stop_while_making stop-grow "$log"
else
	fail stop-grow-exits-in-time "the daemon did not start making $SW/1" "$log"
	skip stop-grow-no-half-file "nothing to stop"
	stop "$GM_PID"
fi

# A warm spare: made unasked once memory is calm.
log="$W/stop-spare.log"
neither
gm "$log" -s "$SW" --swapsize=${SIZE_MB}m --max_swapsize=${SIZE_MB}m --max_files=1 --spare=yes
if wait_log "$log" "started" 5 && poll 100 test -e "$SW/1"; then
	stop_while_making stop-spare "$log"
else
	fail stop-spare-exits-in-time "the daemon did not start making a spare $SW/1" "$log"
	skip stop-spare-no-half-file "nothing to stop"
	stop "$GM_PID"
fi
exit 0
