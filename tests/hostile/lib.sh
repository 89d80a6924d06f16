# Shared helpers for tests/hostile/t_*.sh and tests/fault/t_*.sh (POSIX
# sh, sourced from the repository top).
#
# Every test works in one mktemp -d directory under /tmp; whatever may
# hold swap is a loop-mounted ext4 image inside it.  The daemon runs in
# the foreground with --meminfo-file pointing at a fixture the test
# rewrites, -c /dev/null (or a test's own config), its pid file and
# rundir in the workspace.  cleanup (trapped on EXIT INT TERM) kills every
# daemon the test started, swapoffs every swap area under the workspace,
# unmounts everything mounted under it and deletes it, so nothing is left
# in /proc/swaps or mounted whichever way the test ends (SIGKILL aside).

GM=${GM:-./ghostmemory}
W=
PIDS=
FAILED=0

pass() { echo "PASS $1"; }
skip() { echo "SKIP $1: $2"; }

# fail NAME WHY [LOG]: the last lines of LOG are the evidence.
fail() {
	echo "FAIL $1: $2"
	if [ -n "${3:-}" ] && [ -s "$3" ]; then
		echo "    --- last lines of $3"
		tail -n 20 "$3" | sed 's/^/    /'
	fi
	FAILED=1
}

# skip_all REASON CASE...: the test cannot run at all.
skip_all() {
	_reason=$1
	shift
	for _c in "$@"; do skip "$_c" "$_reason"; done
	exit 0
}

# need_root CASE...: SKIP every case unless root with the daemon built.
need_root() {
	[ "$(id -u)" = 0 ] || skip_all "needs root (swapon, mount, chown)" "$@"
	[ -x "$GM" ] || skip_all "$GM not built (run make)" "$@"
	for _t in swapon swapoff mkfs.ext4 losetup; do
		command -v "$_t" >/dev/null 2>&1 ||
			skip_all "$_t not installed" "$@"
	done
}

workspace() {
	W=$(mktemp -d /tmp/gm-hostile.XXXXXX) || exit 1
	chmod 0700 "$W"
	trap cleanup EXIT
	# A signal ends the script through exit, so cleanup runs (a reader
	# such as head going away must not leave swap on).
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

cleanup() {
	_rc=$?
	for _p in $PIDS; do
		kill -KILL "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	PIDS=
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

# mkimage SIZE DIR [mkfs.ext4 options]: a sparse ext4 image, loop-mounted
# on DIR, its root directory root:root 0700.
mkimage() {
	_size=$1 _dir=$2
	shift 2
	_img="$W/$(basename "$_dir").img"
	truncate -s "$_size" "$_img" || return 1
	mkfs.ext4 -q -F "$@" "$_img" >>"$W/mkfs.log" 2>&1 || return 1
	mkdir -p "$_dir" && mount -o loop "$_img" "$_dir" || return 1
	rm -rf "$_dir/lost+found"
	chmod 0700 "$_dir"
}

# meminfo TOTAL_KB AVAILABLE_KB: rewrite the fixture atomically.  Swap
# figures stay 0, so free% = 100 * AVAILABLE / TOTAL.
meminfo() {
	printf 'MemTotal:       %s kB\nMemFree:        %s kB\nMemAvailable:   %s kB\nBuffers:        0 kB\nCached:         0 kB\nSwapCached:     0 kB\nSwapTotal:      0 kB\nSwapFree:       0 kB\n' \
		"$1" "$2" "$2" >"$W/meminfo.new" && mv -f "$W/meminfo.new" "$W/meminfo"
}
shortage() { meminfo 1000000 100000; } # free 10% < lower 20%
neither() { meminfo 1000000 400000; }  # free 40%: no action
surplus() { meminfo 1000000 900000; }  # free 90% > upper 60%

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
	_t=100
	while kill -0 "$GM_PID" 2>/dev/null && [ "$_t" -gt 0 ]; do
		sleep 0.1
		_t=$((_t - 1))
	done
	kill -KILL "$GM_PID" 2>/dev/null
	wait "$GM_PID"
	RC=$?
	[ "$_t" -gt 0 ] || RC=running
}

# stop PID: SIGTERM, then SIGKILL after 10 s; exit status in RC.
stop() {
	kill -TERM "$1" 2>/dev/null
	_t=100
	while kill -0 "$1" 2>/dev/null && [ "$_t" -gt 0 ]; do
		sleep 0.1
		_t=$((_t - 1))
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1"
	RC=$?
}

# wait_log LOG PATTERN [SECONDS]: until LOG has a line containing the
# fixed string PATTERN (default 15 s).
wait_log() {
	_t=$(( ${3:-15} * 10 ))
	while [ "$_t" -gt 0 ]; do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

# wait_more LOG PATTERN N [SECONDS]: until LOG has more than N lines
# containing the fixed string PATTERN (N from count_log before the act).
wait_more() {
	_t=$(( ${4:-15} * 10 ))
	while [ "$_t" -gt 0 ]; do
		[ "$(count_log "$1" "$2")" -gt "$3" ] && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

# count_log LOG PATTERN: lines of LOG containing the fixed string.
count_log() {
	grep -cF -- "$2" "$1" 2>/dev/null || true
}

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

# is_active PATH: does /proc/swaps list PATH?
is_active() {
	awk -v p="$1" 'NR > 1 && $1 == p { f = 1 } END { exit !f }' /proc/swaps
}

# files_in DIR: names in DIR, sorted, space separated.
files_in() {
	ls -A "$1" 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//'
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

# valid_swapfile PATH: a regular root-owned 0600 file with one link and a
# ghostmemory swap header.
valid_swapfile() {
	[ -f "$1" ] && [ ! -L "$1" ] || return 1
	[ "$(stat -c '%u %a %h' "$1")" = "0 600 1" ] || return 1
	swaplabel "$1" 2>/dev/null | grep -q '^LABEL: ghostmemory$'
}

# dump_value LOG KEY PID: send SIGUSR1, wait for a new dump, print KEY's
# value from the newest dump line that has it.
dump_value() {
	_n=$(count_log "$1" "dump ")
	kill -USR1 "$3" 2>/dev/null || return 1
	_t=50
	while [ "$(count_log "$1" "dump ")" -le "$_n" ] && [ "$_t" -gt 0 ]; do
		sleep 0.1
		_t=$((_t - 1))
	done
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
