# shellcheck shell=sh disable=SC2034
# Helpers for tests/hostile/t_*.sh and tests/fault/t_*.sh (POSIX sh,
# sourced from the repository top); the shared ones are in
# tests/lib/common.sh.
#
# Whatever may hold swap is a loop-mounted ext4 image in the workspace.
# The daemon runs in the foreground with --meminfo-file pointing at a
# fixture the test rewrites, -c /dev/null (or a test's own config), its
# pid file and rundir in the workspace, logging to a file of the test's
# own that each FAIL names.  Every daemon started ($PIDS) is killed by
# cleanup.

WS_TAG=hostile
NEED_TOOLS="swapon swapoff mkfs.ext4 losetup"
. tests/lib/common.sh
PIDS=

stop_daemons() {
	for _p in $PIDS; do
		kill -KILL "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	PIDS=
}

# mkimage SIZE DIR [mkfs.ext4 options]: a sparse ext4 image, loop-mounted
# on DIR, its root directory root:root 0700.
mkimage() {
	_size=$1 _dir=$2
	shift 2
	loop_image ext4 "$_size" "$W/$(basename "$_dir").img" "$_dir" "$@" ||
		return 1
	rm -rf "$_dir/lost+found"
	chmod 0700 "$_dir"
}

# swapdir_image SIZE [mkfs.ext4 options]: how most tests begin: a
# workspace, an ext4 image of SIZE mounted on $W/fs and an empty 0700
# swap directory $SW on it.  Every case of $CASES is skipped when the
# image cannot be made.
swapdir_image() {
	_si_size=$1
	shift
	workspace
	mkdir "$W/fs"
	mkimage "$_si_size" "$W/fs" "$@" ||
		skip_all "cannot make a loop ext4 image${1:+ (mkfs.ext4 $*)}"
	SW="$W/fs/swap"
	mkdir -m 0700 "$SW"
}

# gm LOG [options]: start the daemon in the foreground (verbose, logging to
# LOG) on the workspace's fixture, pid file and rundir; its pid in GM_PID.
# Small files, short cooldown, no warm spare, no PSI: every file a test
# sees was asked for.  Later options override these.
gm() {
	_log=$1
	shift
	"$GM" -v -c /dev/null --meminfo-file="$W/meminfo" -p "$W/pid" \
		--rundir="$W/run" --cooldown=2 --swapsize=16m \
		--min_swapsize=1m --max_swapsize=16m --disk_reserve=0 \
		--spare=no --psi=no "$@" >>"$_log" 2>&1 &
	GM_PID=$!
	PIDS="$PIDS $GM_PID"
}

# gm_run LOG [options]: run the daemon to its exit (a start-up refusal);
# its exit status in RC.  Killed after 10 s if it does not exit.
gm_run() {
	gm "$@"
	poll 100 exited "$GM_PID"
	_gr_exited=$?
	kill -KILL "$GM_PID" 2>/dev/null
	wait "$GM_PID"
	RC=$?
	[ "$_gr_exited" = 0 ] || RC=running
}

# wait_log LOG PATTERN [SECONDS]: until LOG has a line containing the
# fixed string PATTERN (default 15 s).
wait_log() { poll $(( ${3:-15} * 10 )) grep -qsF -- "$2" "$1"; }

# wait_more LOG PATTERN N [SECONDS]: until LOG has more than N lines
# containing the fixed string PATTERN (N from count_log before the act).
wait_more() { poll $(( ${4:-15} * 10 )) more_logged "$1" "$2" "$3"; }

# count_log LOG PATTERN: lines of LOG containing the fixed string.
count_log() {
	grep -cF -- "$2" "$1" 2>/dev/null || true
}
# more_logged LOG PATTERN N: has LOG more than N such lines?
more_logged() { [ "$(count_log "$1" "$2")" -gt "$3" ]; }

# gone NAME SLOT REASON: pass NAME if $SW/SLOT was deleted (no entry
# left, not even a dangling link) and $log says why, with REASON.
gone() {
	if [ -e "$SW/$2" ] || [ -L "$SW/$2" ]; then
		fail "$1" "$SW/$2 still there: $(ls -la "$SW/$2")" "$log"
	elif ! grep -qF "deleted invalid leftover $SW/$2: $3" "$log"; then
		fail "$1" "no 'deleted invalid leftover $SW/$2: $3'" "$log"
	else
		pass "$1"
	fi
}

# fingerprint PATH...: type, owner, mode, links, size and checksum of
# each (without following a symlink), to show something was not touched.
fingerprint() {
	for _f in "$@"; do
		if [ -L "$_f" ]; then
			echo "$_f link $(readlink "$_f")"
		elif [ -f "$_f" ]; then
			echo "$_f $(stat -c '%F %u:%g %a %h %s %Y' "$_f") $(cksum <"$_f")"
		elif [ -e "$_f" ]; then
			echo "$_f $(stat -c '%F %u:%g %a %h' "$_f")"
		else
			echo "$_f missing"
		fi
	done
}

# dump_value LOG KEY PID: send SIGUSR1, wait for a new dump, print KEY's
# value from the newest dump line that has it.
dump_value() {
	_n=$(count_log "$1" "dump ")
	kill -USR1 "$3" 2>/dev/null || return 1
	poll 50 more_logged "$1" "dump " "$_n"
	sleep 0.2
	grep -F "dump " "$1" | grep -o " $2=[^ ]*" | tail -n 1 | cut -d= -f2
}

# mkswapfile PATH SIZE [UID]: a file that passes every leftover check
# (mkswap'd, 0600) owned by UID (default root).
mkswapfile() {
	rm -f "$1"
	truncate -s "$2" "$1" && chmod 0600 "$1" &&
		mkswap -L ghostmemory "$1" >/dev/null 2>&1 &&
		chown "${3:-0}:${3:-0}" "$1"
}

# clear_swapdir [PID]: stop the daemon PID (when given), swap off every
# area of the workspace and empty $SW: the next case starts afresh.
clear_swapdir() {
	[ -n "${1:-}" ] && stop "$1"
	swapoff_ours
	rm -f "$SW"/*
}
