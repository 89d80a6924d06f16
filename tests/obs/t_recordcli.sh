#!/bin/sh
# ghostmemory --record: a short recording of this machine parses and
# replays; a fixture source gives the expected snapshots and a grow on
# replay; SIGTERM and SIGINT stop it with a whole trace and exit 0; it
# runs without root; it never overwrites a file; bad options and an
# unreadable source exit with the documented codes and create nothing.
set -u
GM=${GM:-./ghostmemory}
GM=$(cd "$(dirname "$GM")" && pwd)/$(basename "$GM")
. tests/lib/common.sh
. tests/obs/lib.sh
rec_workspace recc

# This machine, one second: a trace that replays, one tick per second.
"$GM" -c /dev/null --record="$work/host" --interval=250 --duration=1 2>"$work/err"
rc=$?
n=$(grep -c '^T ' "$work/host" 2>/dev/null)
"$GM" -c /dev/null --simulate="$work/host" >"$work/out" 2>&1
src=$?
if [ $rc -eq 0 ] && [ "$n" -ge 4 ] && [ "$n" -le 6 ] && [ $src -eq 0 ] &&
	grep -q '^# summary ticks=2 .* read_errors=0 ' "$work/out" &&
	grep -q '^page_size=[0-9]*$' "$work/host" &&
	grep -q '^disk_size_kb=[0-9]*$' "$work/host"; then
	echo "PASS recordcli-host-replays"
else
	echo "FAIL recordcli-host-replays: rc $rc, $n snapshots, replay $src: $(tail -n 2 "$work/out") $(cat "$work/err")"
fi

# A fixture at 15% free: three snapshots, and the replay grows at once.
"$GM" -c /dev/null --meminfo_file="$work/meminfo" --record="$work/fix" \
	--interval=100 --duration=0.2 >/dev/null 2>&1
[ $? -eq 2 ] && bad_frac=ok || bad_frac=no
"$GM" -c /dev/null --meminfo_file="$work/meminfo" --record="$work/fix" \
	--interval=500 --duration=1 2>"$work/err"
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c '^T ' "$work/fix")" = 3 ] &&
	[ "$(grep -c '^MemTotal: ' "$work/fix")" = 3 ] &&
	"$GM" -c /dev/null --simulate="$work/fix" | grep -q '^       0     15.0 hungry   grow '; then
	echo "PASS recordcli-fixture"
else
	echo "FAIL recordcli-fixture: rc $rc: $(head -c 300 "$work/fix") $(cat "$work/err")"
fi

# Until a signal: TERM, then INT; exit 0 and whole snapshots only.
for sig in TERM INT; do
	"$GM" -c /dev/null --meminfo_file="$work/meminfo" --record="$work/sig$sig" \
		--interval=100 2>"$work/err" &
	rec_pid=$!
	sleep 0.7
	kill -"$sig" "$rec_pid"
	wait "$rec_pid"
	rc=$?
	rec_pid=
	n=$(grep -c '^T ' "$work/sig$sig")
	if [ $rc -eq 0 ] && [ "$n" -ge 2 ] &&
		[ "$(grep -c '^SwapFree: ' "$work/sig$sig")" = "$n" ] &&
		[ "$(tail -c 1 "$work/sig$sig" | od -An -c | tr -d ' ')" = '\n' ] &&
		grep -q 'stopped: a signal' "$work/err" &&
		"$GM" -c /dev/null --simulate="$work/sig$sig" >/dev/null 2>&1; then
		echo "PASS recordcli-stop-$sig"
	else
		echo "FAIL recordcli-stop-$sig: rc $rc, $n snapshots: $(cat "$work/err")"
	fi
done

# Without root: as nobody, into a directory nobody owns.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	mkdir "$work/nobody" && chown 65534:65534 "$work/nobody"
	chmod 755 "$work"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$GM" -c /dev/null --record="$work/nobody/t" --interval=200 \
		--duration=0 >/dev/null 2>"$work/err" &
	rec_pid=$!
	sleep 0.5
	kill -TERM "$rec_pid"
	wait "$rec_pid"
	rc=$?
	rec_pid=
	if [ $rc -eq 0 ] && [ "$(stat -c %u "$work/nobody/t")" = 65534 ] &&
		"$GM" -c /dev/null --simulate="$work/nobody/t" >/dev/null 2>&1; then
		echo "PASS recordcli-no-root"
	else
		echo "FAIL recordcli-no-root: rc $rc: $(cat "$work/err")"
	fi
elif [ "$(id -u)" -ne 0 ]; then
	echo "PASS recordcli-no-root (this run is not root)"
else
	echo "SKIP recordcli-no-root: no setpriv"
fi

# Standard output, and a reader that stops early: exit 0.
"$GM" -c /dev/null --meminfo_file="$work/meminfo" --record=- --interval=100 \
	--duration=1 2>/dev/null | head -n 1 >"$work/first"
if [ "$(cat "$work/first")" = "ghostmemory-trace 1" ]; then
	echo "PASS recordcli-stdout"
else
	echo "FAIL recordcli-stdout: $(cat "$work/first")"
fi

# Refusals: an existing file (kept as it was), bad options, no source.
bad=
printf 'mine\n' >"$work/exists"
"$GM" -c /dev/null --record="$work/exists" --duration=1 >/dev/null 2>"$work/err"
[ $? -eq 2 ] && grep -q 'never overwritten' "$work/err" &&
	[ "$(cat "$work/exists")" = mine ] || bad="$bad exists"
"$GM" -c /dev/null --record="$work/x" --interval=99 >/dev/null 2>&1; [ $? -eq 2 ] || bad="$bad interval"
"$GM" -c /dev/null --record="$work/x" --interval=abc >/dev/null 2>&1; [ $? -eq 2 ] || bad="$bad interval-abc"
"$GM" -c /dev/null --duration=5 >/dev/null 2>&1; [ $? -eq 2 ] || bad="$bad duration-alone"
"$GM" -c /dev/null --record="$work/x" --simulate="$work/fix" >/dev/null 2>&1; [ $? -eq 2 ] || bad="$bad with-simulate"
[ "$bad_frac" = ok ] || bad="$bad duration-fraction"
"$GM" -c /dev/null --meminfo_file="$work/none" --record="$work/x" >/dev/null 2>&1; [ $? -eq 1 ] || bad="$bad missing-source"
[ -e "$work/x" ] && bad="$bad wrote-on-error"
if [ -z "$bad" ]; then echo "PASS recordcli-usage"; else echo "FAIL recordcli-usage:$bad"; fi
