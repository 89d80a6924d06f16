#!/bin/sh
# tests/tools/gm-record.sh: what it writes replays, appending keeps one
# header, -d adds the disk, TERM stops it cleanly, and it refuses to
# append to a file that is not a trace.  No root.
set -u
GM=${GM:-./ghostmemory}
REC="sh tests/tools/gm-record.sh"
. tests/lib/common.sh
. tests/obs/lib.sh
rec_workspace rec

# Three snapshots: a trace that replays, short of memory (15%): a grow.
$REC -n 3 -i 0.2 -m "$work/meminfo" "$work/t" 2>"$work/err"
rc=$?
snaps=$(grep -c '^T [0-9][0-9]*\.*[0-9]*$' "$work/t" 2>/dev/null)
if [ $rc -eq 0 ] && [ "$(head -n 1 "$work/t")" = "ghostmemory-trace 1" ] &&
	[ "$snaps" = 3 ] && [ "$(grep -c '^MemTotal: ' "$work/t")" = 3 ]; then
	echo "PASS record-three"
else
	echo "FAIL record-three: rc $rc, $snaps snapshots: $(head -c 300 "$work/t") $(cat "$work/err")"
fi
"$GM" -c /dev/null --simulate "$work/t" >"$work/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q '^       0     15.0 hungry   grow ' "$work/out"; then
	echo "PASS record-replays"
else
	echo "FAIL record-replays: rc $rc: $(head -c 400 "$work/out")"
fi

# Appending adds snapshots, not a second header.
$REC -n 2 -i 0.1 -m "$work/meminfo" "$work/t" 2>"$work/err"
if [ "$(grep -c '^T ' "$work/t")" = 5 ] && [ "$(grep -c '^ghostmemory-trace' "$work/t")" = 1 ] &&
	"$GM" -c /dev/null --simulate "$work/t" >/dev/null 2>&1; then
	echo "PASS record-append"
else
	echo "FAIL record-append: $(grep -c '^T ' "$work/t") snapshots, $(grep -c '^ghostmemory-trace' "$work/t") headers"
fi

# -d: the disk of a directory, in KiB as df -P -k says.
$REC -n 1 -d "$work" -m "$work/meminfo" "$work/d" 2>"$work/err"
size=$(df -P -k "$work" | awk 'NR == 2 { print $2 }')
if grep -q -x "disk_size_kb=$size" "$work/d" && grep -q '^disk_avail_kb=[0-9][0-9]*$' "$work/d" &&
	"$GM" -c /dev/null --simulate "$work/d" 2>&1 | grep -q "^# disk avail_kb=[0-9]* size_kb=$size "; then
	echo "PASS record-disk"
else
	echo "FAIL record-disk: $(head -n 6 "$work/d" | tr '\n' '|') $(cat "$work/err")"
fi

# Until TERM: exits 0, and what it wrote is whole.
$REC -i 0.1 -m "$work/meminfo" "$work/long" 2>"$work/err" &
rec_pid=$!
sleep 1
kill -TERM "$rec_pid"
wait "$rec_pid"
rc=$?
rec_pid=
n=$(grep -c '^T ' "$work/long")
if [ $rc -eq 0 ] && [ "$n" -ge 2 ] && [ "$(grep -c '^SwapFree: ' "$work/long")" -ge $((n - 1)) ] &&
	"$GM" -c /dev/null --simulate "$work/long" >/dev/null 2>&1; then
	echo "PASS record-until-term"
else
	echo "FAIL record-until-term: rc $rc, $n snapshots"
fi

# Refusals: not a trace, bad numbers, unreadable source.
printf 'hello\n' >"$work/notrace"
$REC -n 1 -m "$work/meminfo" "$work/notrace" >"$work/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'not a trace' "$work/out" && [ "$(cat "$work/notrace")" = hello ]; then
	echo "PASS record-refuses-non-trace"
else
	echo "FAIL record-refuses-non-trace: rc $rc: $(cat "$work/out")"
fi
bad=
$REC -n x "$work/x" >/dev/null 2>&1; [ $? -eq 2 ] || bad="$bad -n"
$REC -i 1s "$work/x" >/dev/null 2>&1; [ $? -eq 2 ] || bad="$bad -i"
$REC >/dev/null 2>&1; [ $? -eq 2 ] || bad="$bad no-trace"
$REC -n 1 -m "$work/none" "$work/x" >/dev/null 2>&1; [ $? -eq 1 ] || bad="$bad missing-source"
[ -e "$work/x" ] && bad="$bad wrote-on-error"
if [ -z "$bad" ]; then echo "PASS record-usage"; else echo "FAIL record-usage:$bad"; fi

# Under busybox sh too (the guest recorder).
if command -v busybox >/dev/null 2>&1; then
	busybox sh tests/tools/gm-record.sh -n 2 -i 0.1 -m "$work/meminfo" "$work/bb" 2>"$work/err"
	if [ "$(grep -c '^T ' "$work/bb")" = 2 ] && "$GM" -c /dev/null --simulate "$work/bb" >/dev/null 2>&1; then
		echo "PASS record-busybox"
	else
		echo "FAIL record-busybox: $(head -c 300 "$work/bb") $(cat "$work/err")"
	fi
else
	echo "SKIP record-busybox: busybox not installed"
fi
