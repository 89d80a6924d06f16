#!/bin/sh
# Reservations over the control socket, on a loop-mounted ext4 image with
# memory figures from a fixture (never real pressure): a reservation has
# its swap active before the client returns; the shrink floor holds
# while it is held, and a release plus a surplus shrinks after the
# cooldown; a TTL ends one; a non-root client is refused (by the
# socket's mode, and by SO_PEERCRED); 64 clients at once and one that
# never writes leave the poll interval as it was (the daemon's own tick
# counter against its own clock); the wrapper passes on the command's
# status and releases; the apt hook keeps its id from pre to post and,
# with no daemon, prints one line and exits 0.
. tests/integration/lib.sh

CASES="reserve-active reserve-floor reserve-release-shrink reserve-ttl \
reserve-nonroot-mode reserve-nonroot-peercred reserve-storm \
reserve-wrapper-false reserve-wrapper-signal reserve-no-daemon \
apt-hook-no-daemon apt-hook-pre-post apt-hook-conf"
need_root $CASES
workspace
mnt_image 640M
RUN=$W/run
SOCK=$RUN/ctl
HOLD=tests/helpers/sockhold
POLL_MS=200

# client ARGS...: the client, as root, against this daemon.
client() { "$GM" -c /dev/null --rundir="$RUN" "$@"; }

# The free KiB of our active swap areas (Size - Used in /proc/swaps).
our_free_kb() {
	awk -v w="$W/" 'NR > 1 && index($1, w) == 1 { f += $3 - $4 }
		END { print f + 0 }' /proc/swaps
}

# dump: ask for a SIGUSR1 dump and wait for it; its control line in DUMP.
DUMPS=0
dump() {
	DUMPS=$((DUMPS + 1))
	kill -USR1 "$GM_PID"
	poll 100 sh -c "[ \$(grep -c 'dump control ' '$LOG') -ge $DUMPS ]" ||
		return 1
	DUMP=$(grep 'dump control ' "$LOG" | tail -n 1)
	TIMER=$(grep 'dump wakeups ' "$LOG" | tail -n 1 |
		sed 's/.*timer=\([0-9]*\).*/\1/')
	RESV=$(grep 'dump reservations ' "$LOG" | tail -n 1)
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

neither
start_daemon "$SW" --max_files=6 --poll_max_ms=$POLL_MS --poll_min_ms=20
if ! wait_log " started (pid" 15 || [ ! -S "$SOCK" ]; then
	for c in $CASES; do fail "$c" "daemon did not start or no socket $SOCK"; done
	exit 1
fi

# --- a reservation is active swap before the client returns ----------
mark
id=$(client --reserve=100m --wait=60 2>"$W/err")
rc=$?
free=$(our_free_kb)
if [ "$rc" = 0 ] && [ -n "$id" ] && [ "$free" -ge 102400 ]; then
	pass reserve-active
else
	fail reserve-active "rc $rc, id '$id', $free KiB free in our areas (want >= 102400): $(cat "$W/err")"
fi
mode=$(stat -c '%a %U %F' "$SOCK")
[ "$mode" = "600 root socket" ] ||
	fail reserve-active "socket is '$mode', want '600 root socket'"

# --- the floor holds under a surplus; release, then it shrinks --------
mark
surplus
# A shrink removes a file, or turns it off and keeps it a minute for the
# next grow ("turned off swap file ... kept for"): either is a shrink.
shrunk() { logged "removed swap file" || logged "turned off swap file"; }
if wait_log "kept for reservations" 20 &&
	[ "$(our_free_kb)" -ge 102400 ] && ! shrunk; then
	pass reserve-floor
else
	fail reserve-floor "a surplus with 100 MiB reserved: $(our_free_kb) KiB free left"
fi
mark
if client --release="$id" && poll 300 shrunk; then
	pass reserve-release-shrink
else
	fail reserve-release-shrink "no file turned off or removed after the release under a surplus"
fi
if client --release="$id" 2>"$W/err"; then
	fail reserve-release-shrink "a second release of $id succeeded"
elif [ $? != 22 ] || ! grep -q "no such reservation" "$W/err"; then
	fail reserve-release-shrink "second release: want exit 22 'no such reservation': $(cat "$W/err")"
fi
neither

# --- TTL ----------------------------------------------------------------
mark
id=$(client --reserve=8m --ttl=2 --wait=60 2>"$W/err")
if [ -n "$id" ] && wait_log "reservation(s) ended: TTL ran out" 30 &&
	dump && [ "$(field "$RESV" count)" = 0 ]; then
	pass reserve-ttl
else
	fail reserve-ttl "reservation '$id' did not end by its TTL: $RESV $(cat "$W/err")"
fi

# --- non-root ------------------------------------------------------------
# nobody must reach the binary and the socket's directory to be refused
# by the socket itself.
cp "$GM" "$W/gm" && chmod 0755 "$W/gm"
chmod 0711 "$W"
dump
before=$(field "$DUMP" denied)
out=$(runuser -u nobody -- "$W/gm" -c /dev/null --rundir="$RUN" --reserve=1m --wait=5 2>&1)
rc=$?
if [ "$rc" = 3 ] && echo "$out" | grep -q "permission denied: only root"; then
	pass reserve-nonroot-mode
else
	fail reserve-nonroot-mode "exit $rc, want 3: $out"
fi
# The mode opened up: SO_PEERCRED still says no.
chmod 0666 "$SOCK"
out=$(runuser -u nobody -- "$W/gm" -c /dev/null --rundir="$RUN" --reserve=1m --wait=5 2>&1)
rc=$?
chmod 0600 "$SOCK"
dump
if [ "$rc" = 3 ] && echo "$out" | grep -q "only root may use the control socket" &&
	[ "$(field "$DUMP" denied)" -gt "$before" ] &&
	[ "$(field "$RESV" count)" = 0 ]; then
	pass reserve-nonroot-peercred
else
	fail reserve-nonroot-peercred "exit $rc, want 3; $out; $DUMP; $RESV"
fi
chmod 0700 "$W"

# --- 64 clients at once and one that never writes ----------------------
# The loop serves clients between ticks without a tick, so its timer
# keeps firing every POLL_MS: timer wake-ups over the daemon's own
# elapsed time stay near 1 per POLL_MS (a loop blocked on the silent
# client would show none for CTL_CLIENT_MS).
if [ ! -x "$HOLD" ]; then
	skip reserve-storm "$HOLD not built (make $HOLD)"
else
dump
t1=$(field "$DUMP" now_ms) timer1=$TIMER dropped1=$(field "$DUMP" dropped)
"$HOLD" "$SOCK" 30 >"$W/silent" 2>&1 &
silent=$!
i=0
while [ $i -lt 64 ]; do
	client --release=4000000000 >/dev/null 2>"$W/c$i" &
	eval "pid$i=$!"
	i=$((i + 1))
done
bad=0
i=0
while [ $i -lt 64 ]; do
	eval "wait \$pid$i"
	rc=$?
	if [ "$rc" != 22 ] || ! grep -q "no such reservation" "$W/c$i"; then
		bad=$((bad + 1))
		why="client $i: exit $rc: $(cat "$W/c$i")"
	fi
	i=$((i + 1))
done
wait "$silent"
dump
t2=$(field "$DUMP" now_ms) timer2=$TIMER
# ticks * POLL_MS / elapsed, in percent
ratio=$(( (timer2 - timer1) * POLL_MS * 100 / (t2 - t1 + 1) ))
if [ "$bad" = 0 ] && grep -q "^ERR timeout" "$W/silent" &&
	[ "$(field "$DUMP" dropped)" -gt "$dropped1" ] && [ "$ratio" -ge 50 ]; then
	pass reserve-storm
else
	fail reserve-storm "$bad clients wrong ($why); silent got '$(cat "$W/silent")'; ticks at $ratio% of the poll rate over $((t2 - t1)) ms"
fi
echo "    storm: $((timer2 - timer1)) timer ticks in $((t2 - t1)) ms at ${POLL_MS} ms ($ratio%); $DUMP"
fi

# --- the wrapper ---------------------------------------------------------
dump
made=$(field "$RESV" made) released=$(field "$RESV" released)
client --reserve=8m --wait=60 -- false
rc=$?
dump
if [ "$rc" = 1 ] && [ "$(field "$RESV" made)" = $((made + 1)) ] &&
	[ "$(field "$RESV" released)" = $((released + 1)) ] &&
	[ "$(field "$RESV" count)" = 0 ]; then
	pass reserve-wrapper-false
else
	fail reserve-wrapper-false "exit $rc (want 1); $RESV (made was $made, released $released)"
fi
client --reserve=8m --wait=60 -- sh -c 'kill -TERM $$'
rc=$?
dump
if [ "$rc" = 143 ] && [ "$(field "$RESV" count)" = 0 ]; then
	pass reserve-wrapper-signal
else
	fail reserve-wrapper-signal "exit $rc (want 143 = 128 + SIGTERM); $RESV"
fi

# --- the apt hook with the daemon: the id from pre to post -------------
out=$(client --upgrade_reserve=16m --apt-hook=pre 2>&1)
rc=$?
dump
pre_count=$(field "$RESV" count)
idf=$RUN/apt-hook.id
kept=$(cat "$idf" 2>/dev/null)
out2=$(client --upgrade_reserve=16m --apt-hook=post 2>&1)
rc2=$?
dump
# post leaves it for apt's cache build: held, ending within 120 s, its
# id kept for the next pre, which ends it before making its own (one
# held after it, not two).
post_count=$(field "$RESV" count)
post_ttl=$(grep 'dump reservation id='"$kept"' ' "$LOG" | tail -n 1 |
	tr ' ' '\n' | sed -n 's/^ttl_s=//p')
kept2=$(cat "$idf" 2>/dev/null)
out3=$(client --upgrade_reserve=16m --apt-hook=pre 2>&1)
rc3=$?
kept3=$(cat "$idf" 2>/dev/null)
dump
if [ "$rc" = 0 ] && [ -z "$out" ] && [ "$pre_count" = 1 ] &&
	[ -n "$kept" ] && [ "$rc2" = 0 ] && [ -z "$out2" ] &&
	[ "$post_count" = 1 ] && [ -n "$post_ttl" ] && [ "$post_ttl" -le 120 ] &&
	[ "$kept2" = "$kept" ] && [ "$rc3" = 0 ] && [ -z "$out3" ] &&
	[ -n "$kept3" ] && [ "$kept3" != "$kept" ] &&
	[ "$(field "$RESV" count)" = 1 ]; then
	pass apt-hook-pre-post
else
	fail apt-hook-pre-post "pre: exit $rc '$out', $pre_count held, id '$kept'; post: exit $rc2 '$out2', $post_count held, ttl '$post_ttl', id '$kept2'; pre again: exit $rc3 '$out3', id '$kept3'; $RESV"
fi
client --apt-hook=post >/dev/null 2>&1
[ -n "$kept3" ] && client --release="$kept3" >/dev/null 2>&1

stop_daemon
[ -e "$SOCK" ] && fail reserve-active "$SOCK left behind at exit"

# --- no daemon -------------------------------------------------------------
client --reserve=8m --wait=5 >/dev/null 2>"$W/err"
rc=$?
if [ "$rc" = 21 ] && grep -q "ghostmemory is not running" "$W/err"; then
	pass reserve-no-daemon
else
	fail reserve-no-daemon "exit $rc, want 21: $(cat "$W/err")"
fi
out=$(client --upgrade_reserve=256m --apt-hook=pre 2>&1)
rc=$?
lines=$(printf '%s\n' "$out" | grep -c .)
if [ "$rc" = 0 ] && [ "$lines" = 1 ] && echo "$out" | grep -q "not running"; then
	pass apt-hook-no-daemon
else
	fail apt-hook-no-daemon "exit $rc, $lines lines, want 0 and 1: $out"
fi

# --- the packaged apt.conf entries, as apt runs them (sh -c), with no
# daemon: each exits 0 and says at most one line.
if ! command -v apt-config >/dev/null 2>&1; then
	skip apt-hook-conf "apt-config not installed"
else
	apt-config -c debian/apt.conf dump | grep 'Invoke:: .*ghostmemory' |
		sed 's/^[^"]*"//; s/";$//' >"$W/hooks"
	n=$(grep -c . "$W/hooks")
	bad=
	while IFS= read -r cmd; do
		# The installed binary's place, taken by the one under test.
		cmd=$(printf '%s' "$cmd" | sed "s|/usr/sbin/ghostmemory|$W/gm|g; s|--apt-hook|-c /dev/null --rundir=$W/none --upgrade_reserve=64m --apt-hook|")
		out=$(sh -c "$cmd" 2>&1)
		rc=$?
		lines=$(printf '%s' "$out" | grep -c .)
		[ "$rc" = 0 ] && [ "$lines" -le 1 ] || bad="$bad [$cmd: exit $rc, $lines lines]"
	done <"$W/hooks"
	if [ "$n" = 4 ] && [ -z "$bad" ]; then
		pass apt-hook-conf
	else
		fail apt-hook-conf "$n hook commands (want 4)$bad"
	fi
fi
