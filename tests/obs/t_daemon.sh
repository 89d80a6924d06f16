#!/bin/sh
# A running daemon seen from outside: the SIGUSR1 dump's keys, --status,
# the status file's rewrites, and the Prometheus file through promtool.
# Runs ./ghostmemory in the foreground on a meminfo fixture, with its swap
# directory, pid file, rundir and metrics directory in a temp directory.
# Needs root (the daemon refuses to start otherwise).
set -u
. tests/lib/common.sh
cases="dump-keys dump-values dump-file-line rundir-created status status-unprivileged status-rewritten status-on-transition metrics-promtool metrics-values metrics-with-file exit-removes-files status-stale status-after-reload reload-error-keeps status-bad-config"

if [ "$(id -u)" -ne 0 ]; then
	for c in $cases; do echo "SKIP $c: needs root (the daemon must run)"; done
	exit 0
fi

work=$(mktemp -d /tmp/gm-obs.XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null
		sleep 1
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	# Whatever the daemon left active in our directory goes.
	awk -v d="$work/" 'index($1, d) == 1 { print $1 }' /proc/swaps |
		while read -r f; do swapoff "$f"; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A FAIL shows the daemon's log tail.
LOG=$work/err
FAIL_TAIL=25

calm() {
	cat >"$work/meminfo.new" <<'M'
MemTotal:        1000000 kB
MemFree:          400000 kB
MemAvailable:     400000 kB
SwapTotal:             0 kB
SwapFree:              0 kB
M
	mv "$work/meminfo.new" "$work/meminfo"
}
short() {
	cat >"$work/meminfo.new" <<'M'
MemTotal:        1000000 kB
MemFree:           50000 kB
MemAvailable:      50000 kB
SwapTotal:             0 kB
SwapFree:              0 kB
M
	mv "$work/meminfo.new" "$work/meminfo"
}
calm
mkdir -m 0700 "$work/swap" "$work/metrics"
# Files of 16 MiB, one at most: a short fixture makes one, then diet.
opts="-v -e -c /dev/null --meminfo-file=$work/meminfo -s $work/swap -p $work/pid --rundir=$work/run --metrics_dir=$work/metrics --swapsize=16m --min_swapsize=4m --max_swapsize=16m --max_files=1"
# A warm spare (when the build has one) would be a file in a calm run.
"$GM" $opts --spare=no -i >/dev/null 2>&1 && opts="$opts --spare=no"

# shellcheck disable=SC2086
"$GM" $opts 2>"$work/err" &
pid=$!
if ! poll 100 test -s "$work/run/status"; then
	for c in $cases; do fail "$c" "no $work/run/status 10 s after the start"; done
	exit 0
fi

# dump LABEL: send USR1 and wait for the dump's last line; the dump's
# lines (without the log prefix) go to $work/dump.LABEL.
dump() {
	before=$(grep -c 'dump wakeups ' "$work/err")
	kill -USR1 "$pid"
	poll 50 sh -c "[ \$(grep -c 'dump wakeups ' '$work/err') -gt $before ]" || return 1
	sed -n 's/^.*: dump //p' "$work/err" | awk -v n="$before" '
		/^pid=/ { k++ } k == n + 1' >"$work/dump.$1"
}

# --- the dump
if dump calm; then
	missing=
	for key in pid= swapdir= state= seconds_in_state= free_pct= \
		lower_freelimit= freetarget= upper_freelimit= mem_total_kb= \
		mem_available_kb= swap_total_kb= swap_free_kb= files= \
		provisioned_kb= used_kb= 'counters grows=' shrinks= \
		failures_no_room= failures_create= failures_swapon= \
		failures_swapoff= 'wakeups timer=' psi= signal=; do
		grep -q -e "$key" "$work/dump.calm" || missing="$missing $key"
	done
	if [ -z "$missing" ]; then pass dump-keys; else fail dump-keys "missing:$missing"; fi
	# The calm fixture: 40% free, steady, default thresholds, no file.
	want="pid=$pid swapdir=$work/swap
state=steady
free_pct=40.0 lower_freelimit=20 freetarget=30 upper_freelimit=60
mem_total_kb=1000000 mem_available_kb=400000 swap_total_kb=0 swap_free_kb=0
files=0 active=0 provisioned_kb=0 used_kb=0"
	bad=$(echo "$want" | while read -r l; do grep -q -F "$l" "$work/dump.calm" || echo "$l"; done)
	if [ -z "$bad" ]; then pass dump-values; else fail dump-values "lines lacking: $bad"; fi
else
	fail dump-keys "no dump 5 s after SIGUSR1"
	fail dump-values "no dump"
fi

# --- rundir: created 0755 by the daemon
mode=$(stat -c %a "$work/run" 2>/dev/null)
if [ "$mode" = 755 ]; then pass rundir-created; else fail rundir-created "mode '$mode', want 755"; fi

# --- --status as root and as nobody (it only reads a file)
"$GM" --status --rundir="$work/run" >"$work/status.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "^pid=$pid " "$work/status.out" &&
	grep -q '^state=steady ' "$work/status.out" &&
	grep -q '^status_age_s=[0-9]' "$work/status.out"; then
	pass status
else
	fail status "rc $rc: $(head -c 300 "$work/status.out")"
fi
chmod 0755 "$work"
if ! command -v setpriv >/dev/null 2>&1; then
	echo "SKIP status-unprivileged: setpriv not installed (util-linux)"
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$GM"; then
	echo "SKIP status-unprivileged: nobody cannot run $GM from here"
else
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$GM" --status --rundir="$work/run" >"$work/status.nobody" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q "^pid=$pid " "$work/status.nobody"; then
		pass status-unprivileged
	else
		fail status-unprivileged "rc $rc: $(head -c 300 "$work/status.nobody")"
	fi
fi

# --- rewritten at most every 5 s: seconds_in_state moves on
s1=$(sed -n 's/^state=.* seconds_in_state=//p' "$work/run/status")
sleep 6.5
s2=$(sed -n 's/^state=.* seconds_in_state=//p' "$work/run/status")
if [ -n "$s1" ] && [ -n "$s2" ] && [ "$s2" -ge $((s1 + 4)) ]; then
	pass status-rewritten
else
	fail status-rewritten "seconds_in_state $s1 then $s2 after 6.5 s"
fi

# --- metrics: promtool, and the values of the calm state
prom=$work/metrics/ghostmemory.prom
if ! command -v promtool >/dev/null 2>&1; then
	echo "SKIP metrics-promtool: promtool not installed (Debian package prometheus)"
elif promtool check metrics <"$prom" >"$work/promtool.out" 2>&1; then
	pass metrics-promtool
else
	fail metrics-promtool "$(head -c 600 "$work/promtool.out")"
fi
bad=
for l in 'ghostmemory_state{state="steady"} 1' 'ghostmemory_state{state="diet"} 0' \
	'ghostmemory_free_ratio 0.4000' 'ghostmemory_files 0' \
	'ghostmemory_swap_provisioned_bytes 0' 'ghostmemory_grows_total 0' \
	'ghostmemory_failures_total{reason="no_room"} 0'; do
	grep -q -x -F "$l" "$prom" || bad="$bad [$l]"
done
pmode=$(stat -c %a "$prom")
[ "$pmode" = 644 ] || bad="$bad mode=$pmode"
ls -A "$work/metrics" | grep -qv '^ghostmemory.prom$' && bad="$bad stray:$(ls -A "$work/metrics")"
if [ -z "$bad" ]; then pass metrics-values; else fail metrics-values "lacking or wrong:$bad"; fi

# --- a transition is written at once, not at the next 5 s mark
kill -USR2 "$pid"
both_diet() {
	grep -q '^state=diet ' "$work/run/status" &&
		grep -q -x -F 'ghostmemory_state{state="diet"} 1' "$prom"
}
if poll 25 both_diet; then
	pass status-on-transition
else
	fail status-on-transition "no state=diet 2.5 s after SIGUSR2: $(sed -n 2p "$work/run/status"), $(grep 'state=' "$prom" | tr '\n' ' ')"
fi
# Diet lasts a cooldown (600 s): restart to grow.  The daemon leaves
# nothing behind with -e and a calm fixture.
kill -TERM "$pid"
wait "$pid"
pid=

# --- a file in the dump and in the metrics
# shellcheck disable=SC2086
"$GM" $opts 2>"$work/err" &
pid=$!
poll 100 test -s "$work/run/status"
short
if ! poll 100 grep -q 'added swap file' "$work/err"; then
	fail dump-file-line "no swap file added 10 s after a shortage"
	fail metrics-with-file "no swap file"
else
	calm
	# The status file's next write (state changes to diet as the
	# second file finds no room) carries the file too.
	dump file
	f="file=$work/swap/1 size_kb=16384 used_kb=0 priority=-?[0-9]+ active=1 age_s=[0-9]+"
	if grep -q -E -x "$f" "$work/dump.file" &&
		grep -q -x 'files=1 active=1 provisioned_kb=16384 used_kb=0' "$work/dump.file" &&
		grep -q '^counters grows=1 ' "$work/dump.file"; then
		pass dump-file-line
	else
		fail dump-file-line "want /$f/ in: $(cat "$work/dump.file")"
	fi
	poll 70 grep -q -x 'ghostmemory_files 1' "$prom"
	bad=
	# The one swap directory is tier 1 of the per-directory series.
	for l in 'ghostmemory_files 1' 'ghostmemory_swap_provisioned_bytes 16777216' \
		'ghostmemory_grows_total 1' \
		"ghostmemory_dir_files{dir=\"$work/swap\",tier=\"1\"} 1" \
		"ghostmemory_dir_swap_provisioned_bytes{dir=\"$work/swap\",tier=\"1\"} 16777216"; do
		grep -q -x -F "$l" "$prom" || bad="$bad [$l]"
	done
	if command -v promtool >/dev/null 2>&1 &&
		! promtool check metrics <"$prom" >"$work/promtool.out" 2>&1; then
		bad="$bad promtool: $(head -c 300 "$work/promtool.out")"
	fi
	if [ -z "$bad" ]; then pass metrics-with-file; else fail metrics-with-file "$bad"; fi
fi

# --- TERM: status and metrics files go, --status says "not running"
kill -TERM "$pid"
wait "$pid"
pid=
"$GM" --status --rundir="$work/run" >"$work/status.out" 2>&1
rc=$?
left=$(ls -A "$work/run"; ls -A "$work/metrics")
if [ $rc -eq 3 ] && grep -q 'not running' "$work/status.out" && [ -z "$left" ]; then
	pass exit-removes-files
else
	fail exit-removes-files "rc $rc (want 3), left: $left, said: $(cat "$work/status.out")"
fi

# --- a daemon killed with -9 leaves a stale status: exit 1
# shellcheck disable=SC2086
"$GM" $opts 2>"$work/err" &
pid=$!
poll 100 test -s "$work/run/status"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
pid=
"$GM" --status --rundir="$work/run" >"$work/status.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'stale' "$work/status.out"; then
	pass status-stale
else
	fail status-stale "rc $rc (want 1): $(cat "$work/status.out")"
fi

# --- a reload: the status file shows the settings in force at once (not
# at its next periodic write); a refused reload keeps the old ones, and
# --status answers whatever the config file holds.
printf 'lower_freelimit=20\npoll_max_ms=60000\n' >"$work/gm.conf"
ropts=$(echo "$opts" | sed "s|-c /dev/null|-c $work/gm.conf|")
: >"$work/err"
# shellcheck disable=SC2086
"$GM" $ropts --psi=no 2>"$work/err" &
pid=$!
# (the status file left by the killed daemon names another pid)
poll 100 grep -q "^pid=$pid " "$work/run/status"
# The HUP goes right after a periodic write (each is a new inode: temp
# file + rename), so the next periodic one is 5 s away; the reload's own
# write follows its log line in the same loop pass.
ino=$(stat -c %i "$work/run/status")
poll 100 sh -c "[ \$(stat -c %i '$work/run/status') != $ino ]"
printf 'lower_freelimit=15\npoll_max_ms=60000\n' >"$work/gm.conf"
kill -HUP "$pid"
poll 50 grep -q 'configuration reloaded' "$work/err"
if grep -q 'configuration reloaded' "$work/err" &&
	poll 30 grep -q ' lower_freelimit=15 ' "$work/run/status"; then
	pass status-after-reload
else
	fail status-after-reload "reloaded: $(grep -c 'configuration reloaded' "$work/err"); status: $(sed -n 3p "$work/run/status")"
fi
# lower_freelimit above freetarget: refused, whole.
printf 'lower_freelimit=50\nfreetarget=30\n' >"$work/gm.conf"
kill -HUP "$pid"
poll 50 grep -q 'reload refused, keeping the old configuration: .*gm.conf:1: lower_freelimit' "$work/err"
if grep -q 'reload refused' "$work/err" && dump refused &&
	grep -q ' lower_freelimit=15 freetarget=30 ' "$work/dump.refused" &&
	kill -0 "$pid"; then
	pass reload-error-keeps
else
	fail reload-error-keeps "dump: $(grep lower_freelimit "$work/dump.refused" 2>/dev/null)"
fi
"$GM" -c "$work/gm.conf" --status --rundir="$work/run" >"$work/status.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "^pid=$pid " "$work/status.out" &&
	grep -q ' lower_freelimit=15 ' "$work/status.out"; then
	pass status-bad-config
else
	fail status-bad-config "rc $rc: $(head -c 300 "$work/status.out")"
fi
kill -TERM "$pid"
wait "$pid"
pid=
