# Shared helpers for tests/integration/t_*.sh (POSIX sh, sourced).
# shellcheck shell=sh disable=SC2034
#
# Each test works in a mktemp -d directory under /tmp, loop-mounts small
# filesystem images there and drives the real ./ghostmemory in the
# foreground with --meminfo-file pointing at a fixture the test rewrites.
# cleanup (trapped on EXIT INT TERM) stops the daemon, swapoffs every
# swap area under the workspace, unmounts and deletes it, so nothing is
# left in /proc/swaps or mounted whatever path the test took.

GM=${GM:-./ghostmemory}
W=
LOG=
GM_PID=
FAILED=0

pass() { echo "PASS $1"; }
skip() { echo "SKIP $1: $2"; }

# fail NAME WHY: prints the daemon log's tail as the evidence.
fail() {
	echo "FAIL $1: $2"
	if [ -n "$LOG" ] && [ -s "$LOG" ]; then
		echo "    --- last lines of $LOG"
		tail -n 25 "$LOG" | sed 's/^/    /'
	fi
	FAILED=1
}

# check NAME WHY COMMAND...: PASS if the command succeeds, else FAIL.
check() {
	_name=$1 _why=$2
	shift 2
	if "$@"; then pass "$_name"; else fail "$_name" "$_why"; fi
}

# skip_all REASON CASE...: the test cannot run at all.
skip_all() {
	_reason=$1
	shift
	for _c in "$@"; do skip "$_c" "$_reason"; done
	exit 0
}

# need_root CASE...: SKIP every case unless we are root and have the
# daemon binary.
need_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root (swapon, mount)" "$@"
	[ -x "$GM" ] || skip_all "$GM not built (run make)" "$@"
	command -v swapon >/dev/null 2>&1 ||
		skip_all "swapon not installed (util-linux)" "$@"
}

# have_mkfs FS: is mkfs.FS installed (and the filesystem known)?
have_mkfs() {
	command -v "mkfs.$1" >/dev/null 2>&1 || return 1
	grep -qw "$1" /proc/filesystems 2>/dev/null ||
		modprobe "$1" >/dev/null 2>&1
}

workspace() {
	W=$(mktemp -d /tmp/gm-it.XXXXXX) || exit 1
	LOG=$W/daemon.log
	: >"$LOG"
	trap cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 141' PIPE
	trap 'exit 143' TERM
}

# Every swap area whose path is inside the workspace.
our_swaps() {
	[ -n "$W" ] || return 0
	awk -v w="$W/" 'NR > 1 && index($1, w) == 1 { print $1 }' /proc/swaps
}

stop_daemon() {
	[ -n "$GM_PID" ] || return 0
	kill -TERM "$GM_PID" 2>/dev/null
	_i=0
	while kill -0 "$GM_PID" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -KILL "$GM_PID" 2>/dev/null
	wait "$GM_PID" 2>/dev/null
	GM_PID=
}

kill_daemon() {
	[ -n "$GM_PID" ] || return 0
	kill -KILL "$GM_PID" 2>/dev/null
	wait "$GM_PID" 2>/dev/null
	GM_PID=
}

cleanup() {
	_rc=$?
	stop_daemon
	for _s in $(our_swaps); do
		swapoff "$_s" || echo "cleanup: swapoff $_s failed" >&2
	done
	if [ -n "$W" ]; then
		for _m in $(awk -v w="$W/" 'index($2, w) == 1 { print $2 }' \
			/proc/mounts | sort -r); do
			umount "$_m" 2>/dev/null || umount -l "$_m" ||
				echo "cleanup: umount $_m failed" >&2
		done
		rm -rf "$W"
	fi
	exit $_rc
}

# mkimage FS SIZE DIR [mkfs options]: make a sparse image DIR.img, mkfs
# it, loop-mount it on DIR.
mkimage() {
	_fs=$1 _size=$2 _dir=$3
	shift 3
	truncate -s "$_size" "$_dir.img" || return 1
	case $_fs in
	ext4) mkfs.ext4 -q -F "$@" "$_dir.img" ;;
	xfs) mkfs.xfs -q -f "$@" "$_dir.img" ;;
	btrfs) mkfs.btrfs -q -f "$@" "$_dir.img" ;;
	*) return 1 ;;
	esac >>"$W/mkfs.log" 2>&1 || return 1
	mkdir -p "$_dir" && mount -o loop "$_dir.img" "$_dir"
}

# meminfo TOTAL_KB AVAILABLE_KB: (re)write the fixture atomically.
# The daemon takes every figure from it; SwapTotal/SwapFree stay 0, so
# free% = 100 * AVAILABLE / TOTAL.
meminfo() {
	cat >"$W/meminfo.new" <<EOM
MemTotal:       $1 kB
MemFree:        $2 kB
MemAvailable:   $2 kB
Buffers:        0 kB
Cached:         0 kB
SwapCached:     0 kB
Dirty:          0 kB
Writeback:      0 kB
Shmem:          0 kB
SwapTotal:      0 kB
SwapFree:       0 kB
EOM
	mv -f "$W/meminfo.new" "$W/meminfo"
}
shortage() { meminfo 1000000 100000; } # free 10% < lower 20%
neither() { meminfo 1000000 400000; }  # free 40%
surplus() { meminfo 1000000 900000; }  # free 90% > upper 60%

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

# wait_log PATTERN [SECONDS]: wait until the log has a line matching the
# fixed string PATTERN (after the last mark).
wait_log() {
	_t=$(( ${2:-15} * 10 ))
	while [ "$_t" -gt 0 ]; do
		tail -n +$((MARK + 1)) "$LOG" | grep -qF -- "$1" && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

# wait_exit [SECONDS]: wait for the daemon to exit; its status in RC.
wait_exit() {
	_t=$(( ${1:-15} * 10 ))
	while kill -0 "$GM_PID" 2>/dev/null && [ "$_t" -gt 0 ]; do
		sleep 0.1
		_t=$((_t - 1))
	done
	if kill -0 "$GM_PID" 2>/dev/null; then
		RC=running
		return 1
	fi
	wait "$GM_PID"
	RC=$?
	GM_PID=
	return 0
}

# is_active PATH: does /proc/swaps list PATH?
is_active() {
	awk -v p="$1" 'NR > 1 && $1 == p { f = 1 } END { exit !f }' /proc/swaps
}

# swap_size_b PATH: size of the swap area as swapon --show reports it.
swap_size_b() {
	swapon --show=NAME,SIZE --bytes --noheadings |
		awk -v p="$1" '$1 == p { print $2 }'
}

# valid_swapfile PATH SIZE: a root-owned 0600 regular file of SIZE bytes
# with a ghostmemory swap header, listed by swapon --show with (nearly)
# that size: the kernel leaves out the header page.
valid_swapfile() {
	[ -f "$1" ] && [ ! -L "$1" ] || { echo "    $1: not a file"; return 1; }
	_st=$(stat -c '%s %a %u %h' "$1")
	[ "$_st" = "$2 600 0 1" ] ||
		{ echo "    $1: size/mode/owner/links $_st"; return 1; }
	swaplabel "$1" 2>/dev/null | grep -q '^LABEL: ghostmemory$' ||
		{ echo "    $1: label: $(swaplabel "$1" 2>&1)"; return 1; }
	_sz=$(swap_size_b "$1")
	[ -n "$_sz" ] && [ "$_sz" -le "$2" ] &&
		[ "$_sz" -gt $(($2 - 1048576)) ] ||
		{ echo "    $1: swapon --show size '$_sz'"; return 1; }
}

# files_in DIR: names in DIR, sorted, space separated.
files_in() {
	ls -A "$1" 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//'
}
