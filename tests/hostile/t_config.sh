#!/bin/sh
# Bad configuration files.  Each kind of bad line (unknown key, not a
# number, negative size, overflowing number, lower above upper, empty
# swappath, an over-long line, a NUL byte) is refused at start with exit 2
# and a message naming file:line: key.  At SIGHUP the same files are
# refused, the error is logged ("reload refused, keeping the old
# configuration: ...") and the old settings stay in force, including the
# ones the bad file changed before its bad line (seen in the SIGUSR1 dump);
# so does a config file that was deleted or replaced by a FIFO (which
# must not hang the daemon).  A good file then reloads (the control).
# Root only (the daemon runs).
set -u
. tests/hostile/lib.sh

KINDS="unknown-key not-a-number negative-size overflowing-number
lower-above-upper empty-swappath over-long-line nul-byte"
CASES=
for k in $KINDS; do CASES="$CASES start-$k hup-$k"; done
CASES="$CASES start-huge-file hup-deleted hup-fifo hup-good-reload"
need_root $CASES
swapdir_image 64m
CONF="$W/gm.conf"

# badconf KIND FILE: two good lines (one moves lower_freelimit to 17),
# then on line 3 the bad one.  Prints what the message must name after
# FILE:3: — the key, and for a line the parser cannot split (too long, a
# NUL byte) what is wrong with it (test_config_file.c pins those messages).
badconf() {
	printf '# line 1\nlower_freelimit=17\n' >"$2"
	case $1 in
	unknown-key) printf 'frobnicate=1\n' >>"$2"; echo frobnicate ;;
	not-a-number) printf 'cooldown=ten\n' >>"$2"; echo cooldown ;;
	negative-size) printf 'min_swapsize=-4m\n' >>"$2"; echo min_swapsize ;;
	overflowing-number) printf 'max_swapsize=18446744073709551617\n' >>"$2"; echo max_swapsize ;;
	lower-above-upper) printf 'upper_freelimit=10\n' >>"$2"; echo upper_freelimit ;;
	empty-swappath) printf 'swappath=\n' >>"$2"; echo swappath ;;
	over-long-line)
		{ printf 'pidfile="/'; head -c 2000 /dev/zero | tr '\0' p; printf '"\n'; } >>"$2"
		echo "pidfile: line too long" ;;
	nul-byte) printf 'cooldown=6\0000\n' >>"$2"; echo "cooldown: NUL byte" ;;
	esac
	printf 'freetarget=31\n' >>"$2"
}

shortage
for k in $KINDS; do
	key=$(badconf "$k" "$CONF")
	log="$W/start-$k.log"
	gm_run "$log" -s "$SW" -c "$CONF"
	if [ "$RC" != 2 ]; then
		fail "start-$k" "exit $RC, want 2" "$log"
	elif ! grep -qF "$CONF:3: $key" "$log"; then
		fail "start-$k" "no '$CONF:3: $key' in the message" "$log"
	elif [ -n "$(ls -A "$SW")" ]; then
		fail "start-$k" "files made: $(ls -A "$SW")" "$log"
	else
		pass "start-$k"
	fi
done
# Larger than the daemon reads: refused, not truncated and half-applied.
{ printf 'lower_freelimit=17\n'; i=0; while [ $i -lt 9000 ]; do printf '# padding padding padding padding\n'; i=$((i + 1)); done; } >"$CONF"
gm_run "$W/huge.log" -s "$SW" -c "$CONF"
if [ "$RC" = 2 ] && grep -qF "$CONF" "$W/huge.log"; then
	pass start-huge-file
else
	fail start-huge-file "exit $RC, want 2 naming $CONF" "$W/huge.log"
fi

# The daemon, on a good file: lower_freelimit 15.
neither
printf 'lower_freelimit=15\nfreetarget=30\nupper_freelimit=60\n' >"$CONF"
log="$W/hup.log"
gm "$log" -s "$SW" -c "$CONF"
pid=$GM_PID
if ! wait_log "$log" "started" || [ "$(dump_value "$log" lower_freelimit "$pid")" != 15 ]; then
	fail hup-good-reload "did not start with lower_freelimit=15" "$log"
	exit 0
fi

# hup NAME KEY: send SIGHUP; the reload must be refused naming
# CONF:3: KEY (KEY empty: any message), and lower_freelimit stay 15.
hup() {
	_n=$(count_log "$log" "reload refused")
	kill -HUP "$pid"
	_t=50
	while [ "$(count_log "$log" "reload refused")" -le "$_n" ] && [ "$_t" -gt 0 ]; do
		sleep 0.1
		_t=$((_t - 1))
	done
	_got=$(grep -F "reload refused, keeping the old configuration:" "$log" | tail -n 1)
	_lower=$(dump_value "$log" lower_freelimit "$pid")
	if ! kill -0 "$pid" 2>/dev/null; then
		fail "$1" "the daemon died" "$log"
	elif [ "$(count_log "$log" "reload refused")" -le "$_n" ]; then
		fail "$1" "no 'reload refused, keeping the old configuration'" "$log"
	elif [ -n "$2" ] && ! echo "$_got" | grep -qF "$CONF:3: $2"; then
		fail "$1" "refusal does not name $CONF:3: $2: $_got" "$log"
	elif [ "$_lower" != 15 ]; then
		fail "$1" "lower_freelimit is now '$_lower', want the old 15" "$log"
	else
		pass "$1"
	fi
}
for k in $KINDS; do
	key=$(badconf "$k" "$CONF")
	hup "hup-$k" "$key"
done
rm -f "$CONF"
hup hup-deleted ""

# A FIFO nobody writes to: opening it to read would block for ever.
mkfifo "$CONF"
n=$(count_log "$log" "dump state=")
kill -HUP "$pid"
sleep 1
if [ "$(dump_value "$log" lower_freelimit "$pid")" = 15 ] &&
	[ "$(count_log "$log" "dump state=")" -gt "$n" ] &&
	grep -qF "reload refused" "$log"; then
	pass hup-fifo
else
	fail hup-fifo "no answer to SIGUSR1 after SIGHUP on a FIFO config (hung?)" "$log"
	# Unblock it so the rest can run.
	(printf 'lower_freelimit=15\n' >"$CONF") &
	sleep 1
	kill %1 2>/dev/null
fi
rm -f "$CONF"

printf 'lower_freelimit=18\nfreetarget=30\nupper_freelimit=60\n' >"$CONF"
kill -HUP "$pid"
sleep 1
if [ "$(dump_value "$log" lower_freelimit "$pid")" = 18 ] &&
	grep -qF "configuration reloaded" "$log"; then
	pass hup-good-reload
else
	fail hup-good-reload "a good file was not taken (lower_freelimit $(dump_value "$log" lower_freelimit "$pid"))" "$log"
fi
stop "$pid"
exit 0
