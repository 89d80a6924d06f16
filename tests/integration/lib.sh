# Helpers for tests/integration/t_*.sh (POSIX sh, sourced from the
# repository top); the shared ones are in tests/lib/common.sh.
# shellcheck shell=sh disable=SC2034
#
# Each test works in a workspace, loop-mounts small filesystem images
# there (ext4, xfs, btrfs) and drives the real ./ghostmemory in the
# foreground with --meminfo-file pointing at a fixture the test rewrites.
# One daemon at a time ($GM_PID), logging to $LOG; a FAIL shows its tail.

WS_TAG=it
FAIL_TAIL=25
. tests/lib/common.sh
GM_PID=

workspace_ready() {
	LOG=$W/daemon.log
	: >"$LOG"
}
stop_daemons() { stop_daemon; }

# check NAME WHY COMMAND...: PASS if the command succeeds, else FAIL.
check() {
	_name=$1 _why=$2
	shift 2
	if "$@"; then pass "$_name"; else fail "$_name" "$_why"; fi
}

# have_mkfs FS: is mkfs.FS installed (and the filesystem known)?
have_mkfs() {
	command -v "mkfs.$1" >/dev/null 2>&1 || return 1
	grep -qw "$1" /proc/filesystems 2>/dev/null ||
		modprobe "$1" >/dev/null 2>&1
}

# stop_daemon: SIGTERM, SIGKILL after 10 s.
stop_daemon() {
	[ -n "$GM_PID" ] || return 0
	stop "$GM_PID"
	GM_PID=
}

kill_daemon() {
	[ -n "$GM_PID" ] || return 0
	kill -KILL "$GM_PID" 2>/dev/null
	wait "$GM_PID" 2>/dev/null
	GM_PID=
}

# mkimage FS SIZE DIR [mkfs options]: a sparse image DIR.img, made a FS
# and loop-mounted on DIR.
mkimage() {
	_fs=$1 _size=$2 _dir=$3
	shift 3
	loop_image "$_fs" "$_size" "$_dir.img" "$_dir" "$@"
}

# mnt_image SIZE: an ext4 image of SIZE on $W/mnt, and $SW, the swap
# directory on it (not made).  Every case of $CASES is skipped without
# mkfs.ext4, and fails when the image cannot be made.
mnt_image() {
	have_mkfs ext4 || skip_all "mkfs.ext4 not installed"
	mkimage ext4 "$1" "$W/mnt" ||
		{ for c in $CASES; do fail "$c" "cannot make an ext4 image"; done; exit 1; }
	SW=$W/mnt/swap
}

# start_daemon SWAPDIR [options]: run ./ghostmemory in the foreground,
# logging to $LOG.  Files are 64 MiB; no warm spare, so every file the
# test sees was asked for.
start_daemon() {
	_sw=$1
	shift
	"$GM" -v -c /dev/null --meminfo-file="$W/meminfo" -s "$_sw" \
		-p "$W/pid" --rundir "$W/run" --cooldown=2 --swapsize=64m \
		--min_swapsize=4m --max_swapsize=64m --spare=no --psi=no \
		"$@" >>"$LOG" 2>&1 &
	GM_PID=$!
}

# mark: later wait_log calls only look at lines logged from now on.
MARK=0
mark() { MARK=$(wc -l <"$LOG"); }
# newlog: start an empty log (between daemon runs).
newlog() { : >"$LOG"; MARK=0; }

# logged PATTERN: has the log a line with the fixed string PATTERN (after
# the last mark)?
logged() { tail -n +$((MARK + 1)) "$LOG" | grep -qF -- "$1"; }

# wait_log PATTERN [SECONDS]: wait until logged PATTERN (default 15 s).
wait_log() { poll $(( ${2:-15} * 10 )) logged "$1"; }

# wait_exit [SECONDS]: wait for the daemon to exit; its status in RC.
wait_exit() {
	if ! poll $(( ${1:-15} * 10 )) exited "$GM_PID"; then
		RC=running
		return 1
	fi
	wait "$GM_PID"
	RC=$?
	GM_PID=
	return 0
}
