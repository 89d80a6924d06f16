#!/bin/sh
# --simulate: the recorded traces of tests/traces replayed and diffed with
# their goldens, and the command's behaviour on bad input.  No root.
#   sh tests/obs/t_simulate.sh            check
#   sh tests/obs/t_simulate.sh --update   rewrite the goldens (review the
#                                         diff before committing it)
set -u
. tests/lib/common.sh
T=tests/traces
update=0
[ "${1:-}" = --update ] && update=1
work=$(mktemp -d /tmp/gm-sim.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

# trace  golden-name  options (after -c /dev/null).  default is the
# default standby (active: a swapsize file on from the first calm tick);
# the others show the state machine alone, with nothing held while calm.
goldens='spike default
spike cooldown10 --cooldown=10 --standby=none
spike deficit --swapsize=0 --cooldown=10 --standby=none
leak default
leak cooldown10 --cooldown=10 --standby=none
leak deficit --swapsize=0 --cooldown=10 --standby=none'

echo "$goldens" | while read -r trace name opts; do
	case=golden-$trace-$name
	golden=$T/$trace.$name.golden
	# shellcheck disable=SC2086
	"$GM" -c /dev/null $opts --simulate "$T/$trace.trace" >"$work/out" 2>"$work/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL $case: exit $rc: $(head -c 300 "$work/err")"
	elif [ $update = 1 ]; then
		cp "$work/out" "$golden"
		echo "PASS $case (golden rewritten)"
	elif [ ! -f "$golden" ]; then
		echo "FAIL $case: no $golden (run with --update)"
	elif diff -u "$golden" "$work/out" >"$work/diff"; then
		echo "PASS $case"
	else
		echo "FAIL $case: replay differs from $golden:"
		head -n 40 "$work/diff" | sed 's/^/  | /'
	fi
done

# The goldens must show what they are for: the spike grows, and with a
# short cooldown the file goes again once the surplus lasted.
for trace in spike leak; do
	g=$T/$trace.cooldown10.golden
	if grep -q ' grow  ' "$g" && grep -q ' shrink  ' "$g" &&
		grep -q '^# summary .* grows=1 shrinks=1 ' "$g"; then
		echo "PASS golden-$trace-story"
	else
		echo "FAIL golden-$trace-story: $g lacks a grow and a shrink: $(grep summary "$g")"
	fi
done

printf 'ghostmemory-trace 1\nT 0\nMemTotal: 1 kB\nT x\n' >"$work/bad.trace"
expect bad-trace 2 "$work/bad.trace: line 4: bad time" -- "$GM" -c /dev/null --simulate "$work/bad.trace"
expect not-a-trace 2 "line 1: not a trace" -- "$GM" -c /dev/null --simulate /proc/self/status
expect missing-trace 1 "cannot read trace $work/none" -- "$GM" -c /dev/null --simulate "$work/none"
expect simulate-needs-value 2 "needs a value" -- "$GM" -c /dev/null --simulate
expect bad-config-still-refused 2 "lower_freelimit" -- "$GM" -c /dev/null -l 50 -f 30 --simulate "$T/spike.trace"

# From stdin, the same replay as from the file.
"$GM" -c /dev/null --simulate "$T/spike.trace" >"$work/file.out" 2>&1
"$GM" -c /dev/null --simulate - <"$T/spike.trace" >"$work/stdin.out" 2>&1
if cmp -s "$work/file.out" "$work/stdin.out" && [ -s "$work/file.out" ]; then
	echo "PASS simulate-stdin"
else
	echo "FAIL simulate-stdin: differs from the file's replay"
fi

# Nothing is created: no swap directory, pid file or status file, even
# when they are named.
"$GM" -c /dev/null -s "$work/swapdir" -p "$work/pid" --rundir="$work/run" \
	--metrics_dir="$work" --simulate "$T/spike.trace" >/dev/null 2>&1
made=$(ls -A "$work" | grep -v -x -e out -e file.out -e stdin.out -e bad.trace -e err -e diff)
if [ -z "$made" ]; then
	echo "PASS simulate-creates-nothing"
else
	echo "FAIL simulate-creates-nothing: made $made"
fi

# No root needed.
if [ "$(id -u)" -ne 0 ]; then
	expect simulate-unprivileged 0 "^# summary " -- "$GM" -c /dev/null --simulate "$T/spike.trace"
elif ! command -v setpriv >/dev/null 2>&1; then
	echo "SKIP simulate-unprivileged: setpriv not installed (util-linux)"
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$T/spike.trace" ||
	! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$GM"; then
	echo "SKIP simulate-unprivileged: nobody cannot read $T or run $GM"
else
	expect simulate-unprivileged 0 "^# summary " -- setpriv --reuid=65534 \
		--regid=65534 --clear-groups "$GM" -c /dev/null --simulate "$T/spike.trace"
fi
