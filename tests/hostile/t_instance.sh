#!/bin/sh
# One daemon per swap directory, and a pid file that cannot be turned
# against anything.  A second instance is refused (exit 4) without
# touching the first one's files, also when it is given another pid file;
# a stale pid file is fine; a pid file path that is a symlink (to a file,
# or dangling), a directory, a FIFO or a file with a second hard link is
# refused (exit 5) and nothing is written through it.  Root only.
set -u
. tests/hostile/lib.sh

CASES="second-instance second-instance-first-untouched
second-instance-other-pidfile stale-pidfile stale-pidfile-garbage
pidfile-symlink pidfile-symlink-dangling pidfile-directory pidfile-fifo
pidfile-hardlink pidfile-missing-directory"
need_root $CASES
swapdir_image 128m

# The first instance, on a fixture of its own, makes a swap file, then
# holds still.
log1="$W/first.log"
shortage
cp "$W/meminfo" "$W/first.meminfo"
gm "$log1" -s "$SW" --meminfo-file="$W/first.meminfo"
first=$GM_PID
if ! wait_log "$log1" "added swap file $SW/1 "; then
	fail second-instance "the first instance made no file" "$log1"
	exit 0
fi
neither
cp "$W/meminfo" "$W/first.meminfo.new" && mv "$W/first.meminfo.new" "$W/first.meminfo"
sleep 1.5
# what the first instance has: its files, its swap, its pid file
first_state() {
	{ fingerprint "$SW"/*; our_swaps; cat "$W/pid"; } | tr '\n' ' '
}
state_before=$(first_state)

# Memory is short (for the second one) while it starts: if it got past
# the checks it would make files.
shortage
log2="$W/second.log"
gm_run "$log2" -s "$SW"
if [ "$RC" = 4 ] && grep -q "already running (pid $first" "$log2"; then
	pass second-instance
else
	fail second-instance "exit $RC, want 4 naming pid $first" "$log2"
fi
neither
sleep 1.2
if kill -0 "$first" 2>/dev/null && [ "$state_before" = "$(first_state)" ]; then
	pass second-instance-first-untouched
else
	fail second-instance-first-untouched "first instance's state changed: $state_before / $(first_state)" "$log2"
fi

# Another pid file, the same swap directory: two daemons would adopt,
# shrink and "clean up" each other's files.
log3="$W/third.log"
shortage
gm_run "$log3" -s "$SW" -p "$W/other.pid"
neither
if [ "$RC" = 4 ] && kill -0 "$first" 2>/dev/null; then
	pass second-instance-other-pidfile
else
	fail second-instance-other-pidfile "exit $RC, want 4: a second daemon ran on $SW" "$log3"
fi
clear_swapdir "$first"

# started NAME LOG: the daemon started and wrote its own pid.
started() {
	if wait_log "$2" "started" 5 && [ "$(cat "$W/pid" 2>/dev/null)" = "$GM_PID" ]; then
		pass "$1"
	else
		fail "$1" "did not start or pid file holds '$(cat "$W/pid" 2>/dev/null)'" "$2"
	fi
	stop "$GM_PID"
}
neither
# Stale: the pid of a live, unrelated process (this shell), not locked.
echo $$ >"$W/pid"
gm "$W/stale.log" -s "$SW"
started stale-pidfile "$W/stale.log"
printf 'garbage\n\0\377' >"$W/pid"
gm "$W/garbage.log" -s "$SW"
started stale-pidfile-garbage "$W/garbage.log"

# refused NAME PIDPATH WATCHED...: exit 5, WATCHED unchanged.
refused() {
	_name=$1 _pid=$2
	shift 2
	_before=$(fingerprint "$@")
	gm_run "$W/$_name.log" -s "$SW" -p "$_pid"
	_after=$(fingerprint "$@")
	if [ "$RC" != 5 ]; then
		fail "$_name" "exit $RC, want 5" "$W/$_name.log"
	elif [ "$_before" != "$_after" ]; then
		fail "$_name" "written through: $_before / $_after" "$W/$_name.log"
	else
		pass "$_name"
	fi
}
echo "precious" >"$W/victim"
ln -s "$W/victim" "$W/link.pid"
refused pidfile-symlink "$W/link.pid" "$W/victim" "$W/link.pid"
ln -s "$W/created-through-link" "$W/dangling.pid"
refused pidfile-symlink-dangling "$W/dangling.pid" "$W/created-through-link" "$W/dangling.pid"
mkdir "$W/dir.pid"
refused pidfile-directory "$W/dir.pid" "$W/dir.pid"
mkfifo "$W/fifo.pid"
refused pidfile-fifo "$W/fifo.pid" "$W/fifo.pid"
echo "precious too" >"$W/victim2"
ln "$W/victim2" "$W/hardlink.pid"
refused pidfile-hardlink "$W/hardlink.pid" "$W/victim2"
refused pidfile-missing-directory "$W/nodir/x.pid" "$W/nodir"
exit 0
