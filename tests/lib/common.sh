# The helpers every script suite shares (POSIX sh; sourced from the
# repository top by tests/<suite>/lib.sh, or by a t_*.sh itself).  Not a
# test.  Each suite's lib.sh sources this first and then adds, or
# redefines, what is its own.
#
# Results follow tests/run.sh: one "PASS name", "FAIL name: why" or
# "SKIP name: why" line per case.
#
# A test that touches the system works in one mktemp -d directory under
# /tmp (workspace); whatever may hold swap is a loop-mounted image inside
# it (loop_image).  cleanup, trapped on EXIT (a signal exits, so it runs
# too), stops the daemons (stop_daemons, which a suite defines), swapoffs
# every swap area under the workspace, unmounts everything mounted under
# it and deletes it, so nothing is left in /proc/swaps or mounted
# whichever way the test ends (SIGKILL aside).
# shellcheck shell=sh disable=SC2034

GM=${GM:-./ghostmemory}
W=
LOG=
FAILED=0
# The workspace is /tmp/gm-$WS_TAG.XXXXXX; a suite names its own.
WS_TAG=${WS_TAG:-test}
# How many lines of a log a FAIL shows as its evidence.
FAIL_TAIL=${FAIL_TAIL:-20}

pass() { echo "PASS $1"; }
skip() { echo "SKIP $1: $2"; }

# fail NAME WHY [LOG]: the last lines of LOG (default $LOG, when a suite
# has one log) are the evidence.
fail() {
	echo "FAIL $1: $2"
	_fail_log=${3:-$LOG}
	if [ -n "$_fail_log" ] && [ -s "$_fail_log" ]; then
		echo "    --- last lines of $_fail_log"
		tail -n "$FAIL_TAIL" "$_fail_log" | sed 's/^/    /'
	fi
	FAILED=1
}

# skip_all REASON [CASE...]: the test cannot run at all: SKIP every CASE
# (without any, every case in $CASES) and exit.
skip_all() {
	_reason=$1
	shift
	[ $# -gt 0 ] || set -- ${CASES:-}
	for _c in "$@"; do skip "$_c" "$_reason"; done
	exit 0
}

# need_root CASE...: SKIP every case unless we are root, with the daemon
# built and every tool of $NEED_TOOLS installed.
NEED_TOOLS=${NEED_TOOLS:-swapon}
need_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root (swapon, mount)" "$@"
	[ -x "$GM" ] || skip_all "$GM not built (run make)" "$@"
	for _t in $NEED_TOOLS; do
		command -v "$_t" >/dev/null 2>&1 ||
			skip_all "$_t not installed" "$@"
	done
}

# workspace: a fresh 0700 directory $W; cleanup on any exit.
workspace() {
	W=$(mktemp -d "/tmp/gm-$WS_TAG.XXXXXX") || exit 1
	chmod 0700 "$W"
	trap cleanup EXIT
	# A signal ends the script through exit, so cleanup runs (a reader
	# such as head going away must not leave swap on).
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 141' PIPE
	trap 'exit 143' TERM
	workspace_ready
}
# workspace_ready: what a suite adds to a new workspace (its log).
workspace_ready() { :; }

# stop_daemons: end every daemon the test started (a suite defines it).
stop_daemons() { :; }

# Every swap area whose path is inside the workspace.
our_swaps() {
	[ -n "$W" ] || return 0
	awk -v w="$W/" 'NR > 1 && index($1, w) == 1 { print $1 }' /proc/swaps
}

# swapoff_ours: swapoff every swap area under the workspace.
swapoff_ours() {
	for _s in $(our_swaps); do
		swapoff "$_s" || echo "swapoff $_s failed" >&2
	done
}

cleanup() {
	_rc=$?
	stop_daemons
	swapoff_ours
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

# mkfs_image FS FILE SIZE [mkfs options]: a sparse FILE of SIZE made a
# FS (ext4, xfs or btrfs) filesystem; mkfs's output on stdout/stderr.
mkfs_image() {
	_mi_fs=$1 _mi_file=$2 _mi_size=$3
	shift 3
	truncate -s "$_mi_size" "$_mi_file" || return 1
	case $_mi_fs in
	ext4) mkfs.ext4 -q -F "$@" "$_mi_file" ;;
	xfs) mkfs.xfs -q -f "$@" "$_mi_file" ;;
	btrfs) mkfs.btrfs -q -f "$@" "$_mi_file" ;;
	*) echo "unknown fs $_mi_fs"; return 1 ;;
	esac
}

# loop_image FS SIZE IMAGE DIR [mkfs options]: mkfs_image IMAGE (its
# output appended to $W/mkfs.log) and loop-mount it on DIR.
loop_image() {
	_li_fs=$1 _li_size=$2 _li_img=$3 _li_dir=$4
	shift 4
	mkfs_image "$_li_fs" "$_li_img" "$_li_size" "$@" \
		>>"$W/mkfs.log" 2>&1 || return 1
	mkdir -p "$_li_dir" && mount -o loop "$_li_img" "$_li_dir"
}

# meminfo TOTAL_KB AVAILABLE_KB: (re)write the fixture $W/meminfo
# atomically.  The daemon takes every figure from it; SwapTotal/SwapFree
# stay 0, so free% = 100 * AVAILABLE / TOTAL.
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
neither() { meminfo 1000000 400000; }  # free 40%: no action
surplus() { meminfo 1000000 900000; }  # free 90% > upper 60%

# poll TENTHS COMMAND...: run COMMAND every 0.1 s until it succeeds
# (true) or TENTHS tries have failed (false).
poll() {
	_po_n=$1
	shift
	while [ "$_po_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_po_n=$((_po_n - 1))
	done
	return 1
}

# exited PID: is the process gone?
exited() { ! kill -0 "$1" 2>/dev/null; }

# stop PID: SIGTERM, then SIGKILL after 10 s; exit status in RC.
stop() {
	kill -TERM "$1" 2>/dev/null
	poll 100 exited "$1"
	kill -KILL "$1" 2>/dev/null
	wait "$1"
	RC=$?
}

# expect NAME WANT_RC PATTERN -- COMMAND...: PASS if COMMAND exits
# WANT_RC and its output (kept in $work/out, or $W/out) has a line
# matching the regular expression PATTERN (unless PATTERN is empty).
expect() {
	name=$1 want=$2 pat=$3
	shift 4
	"$@" >"${work:-$W}/out" 2>&1
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL $name: exit $rc, want $want: $(head -c 400 "${work:-$W}/out")"
	elif [ -n "$pat" ] && ! grep -q -e "$pat" "${work:-$W}/out"; then
		echo "FAIL $name: output lacks '$pat': $(head -c 400 "${work:-$W}/out")"
	else
		echo "PASS $name"
	fi
}

# is_active PATH: does /proc/swaps list PATH?
is_active() {
	awk -v p="$1" 'NR > 1 && $1 == p { f = 1 } END { exit !f }' /proc/swaps
}

# files_in DIR: names in DIR, sorted, space separated.
files_in() {
	ls -A "$1" 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//'
}

# valid_swapfile PATH [SIZE]: a regular root-owned 0600 file with one
# link and a ghostmemory swap header.  With SIZE also that size, and
# listed by swapon --show with (nearly) that size: the kernel leaves out
# the header page; then it says what is wrong.
valid_swapfile() {
	if [ -z "${2:-}" ]; then
		[ -f "$1" ] && [ ! -L "$1" ] || return 1
		[ "$(stat -c '%u %a %h' "$1")" = "0 600 1" ] || return 1
		swaplabel "$1" 2>/dev/null | grep -q '^LABEL: ghostmemory$'
		return
	fi
	[ -f "$1" ] && [ ! -L "$1" ] || { echo "    $1: not a file"; return 1; }
	_vs_st=$(stat -c '%s %a %u %h' "$1")
	[ "$_vs_st" = "$2 600 0 1" ] ||
		{ echo "    $1: size/mode/owner/links $_vs_st"; return 1; }
	swaplabel "$1" 2>/dev/null | grep -q '^LABEL: ghostmemory$' ||
		{ echo "    $1: label: $(swaplabel "$1" 2>&1)"; return 1; }
	_vs_sz=$(swap_size_b "$1")
	[ -n "$_vs_sz" ] && [ "$_vs_sz" -le "$2" ] &&
		[ "$_vs_sz" -gt $(($2 - 1048576)) ] ||
		{ echo "    $1: swapon --show size '$_vs_sz'"; return 1; }
}

# swap_size_b PATH: size of the swap area as swapon --show reports it.
swap_size_b() {
	swapon --show=NAME,SIZE --bytes --noheadings |
		awk -v p="$1" '$1 == p { print $2 }'
}
