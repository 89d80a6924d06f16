#!/bin/sh
# SIGKILL at each step of making a swap file, then a restart: no half-made
# or corrupt file may ever be active, and none may stay behind.
#
# Two ways, because each alone falls short:
#  1. Every state a killed creation can leave, made by hand (precise,
#     one per step of SPEC's order): killed right after openat (empty
#     file), during the zero fill (part of the size, or not even a page
#     multiple), after allocating but before the header, after the
#     header and fsync but before swapon (a whole valid file), after
#     swapon (active).  On restart the half-made ones are deleted with
#     the reason, the whole one is kept as a spare and used first, the
#     active one is adopted.
#  2. Real kills, at delays from 0 to 400 ms after the file appears,
#     while the daemon makes 128 MiB files by writing zeros (an extent-less
#     ext4 image: no fallocate), which takes ~200 ms, so the kills land
#     in the fill, between fill and swapon, or after.  After each
#     restart: every file left is a valid swap file, each active one is
#     one of them, each file that was half-made at the kill is gone.
#     At least one kill must have landed mid-creation.
# Root only.
set -u
. tests/hostile/lib.sh

DELAYS="0 0 0.02 0.05 0.1 0.15 0.2 0.25 0.4"
CASES="state-empty state-partial state-partial-unaligned state-no-header
state-valid-kept state-active-adopted state-spare-used-first
state-nothing-invalid-active kill-landed-mid-creation kill-restart-grows"
i=0
for d in $DELAYS; do i=$((i + 1)); CASES="$CASES kill-$i-after-${d}s"; done
need_root $CASES
swapdir_image 1g -b 4096 -m 0 -O ^extent,^64bit
M=1048576

# ---- 1. every step's leftover, made by hand --------------------------
: >"$SW/1"
dd if=/dev/zero of="$SW/2" bs=$M count=5 2>/dev/null
dd if=/dev/zero of="$SW/3" bs=1000 count=$((5 * M / 1000 + 1)) 2>/dev/null
dd if=/dev/zero of="$SW/4" bs=$M count=16 2>/dev/null
dd if=/dev/zero of="$SW/5" bs=$M count=16 2>/dev/null && mkswap -L ghostmemory "$SW/5" >/dev/null 2>&1
dd if=/dev/zero of="$SW/6" bs=$M count=16 2>/dev/null && mkswap -L ghostmemory "$SW/6" >/dev/null 2>&1
chmod 0600 "$SW"/*
swapon "$SW/6" || fail state-active-adopted "cannot swapon the planted file"

log="$W/states.log"
neither
gm "$log" -s "$SW"
pid=$GM_PID
wait_log "$log" "started" || fail state-empty "daemon did not start" "$log"
sleep 0.5
gone state-empty 1 "is smaller than min_swapsize"
gone state-partial 2 "has no valid swap header"
gone state-partial-unaligned 3 "is not a whole number of pages"
gone state-no-header 4 "has no valid swap header"
if grep -qF "kept valid leftover $SW/5 as a spare" "$log" && [ -f "$SW/5" ] &&
	! is_active "$SW/5"; then
	pass state-valid-kept
else
	fail state-valid-kept "the whole, inactive file was not kept as a spare" "$log"
fi
if grep -qF "adopted active swap file $SW/6" "$log" && is_active "$SW/6"; then
	pass state-active-adopted
else
	fail state-active-adopted "the active file was not adopted" "$log"
fi
shortage
if wait_log "$log" "added swap file $SW/5 (16 MiB, spare)" 5 && is_active "$SW/5"; then
	pass state-spare-used-first
else
	fail state-spare-used-first "the spare was not the first file used" "$log"
fi
wait_log "$log" "added swap file $SW/1 " 5
neither
sleep 0.5
bad=
for s in $(our_swaps); do valid_swapfile "$s" || bad="$bad $s"; done
if [ -z "$bad" ]; then
	pass state-nothing-invalid-active
else
	fail state-nothing-invalid-active "invalid but active:$bad" "$log"
fi
clear_swapdir "$pid"

# ---- 2. real kills during real creation -------------------------------
# state_of FILE: how far its making got, as far as can be seen.
state_of() {
	if is_active "$1"; then
		echo active
	elif valid_swapfile "$1"; then
		echo made
	else
		echo "half-made($(stat -c %s "$1" 2>/dev/null || echo gone))"
	fi
}
mid=0 seen= i=0
for d in $DELAYS; do
	i=$((i + 1))
	name="kill-$i-after-${d}s"
	log="$W/kill-$i.log"
	neither
	gm "$log" -s "$SW" --swapsize=128m --max_swapsize=128m --max_files=4
	pid=$GM_PID
	if ! wait_log "$log" "started" 5; then
		fail "$name" "daemon did not start" "$log"
		continue
	fi
	before=$(files_in "$SW")
	shortage
	t=0
	while [ "$(files_in "$SW")" = "$before" ] && [ $t -lt 2000 ]; do t=$((t + 1)); done
	sleep "$d"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	neither
	at_kill=
	for f in "$SW"/*; do
		[ -e "$f" ] || continue
		st=$(state_of "$f")
		at_kill="$at_kill $(basename "$f"):$st"
		case $st in half-made*) mid=$((mid + 1)) ;; esac
	done
	seen="$seen [$d:$at_kill ]"
	# Restart: no shortage, so the start-up pass is all that happens.
	log2="$W/restart-$i.log"
	gm "$log2" -s "$SW" --swapsize=128m --max_swapsize=128m --max_files=4
	pid=$GM_PID
	wait_log "$log2" "started" 5
	sleep 0.3
	why=
	for f in "$SW"/*; do
		[ -e "$f" ] || continue
		valid_swapfile "$f" || why="$why $(basename "$f") left invalid;"
	done
	for s in $(our_swaps); do
		case "$s" in "$SW"/*) valid_swapfile "$s" || why="$why $s active but invalid;" ;;
		*) why="$why $s active outside;" ;; esac
	done
	for e in $at_kill; do
		f=${e%%:*}
		case ${e#*:} in
		active) grep -qF "adopted active swap file $SW/$f" "$log2" || why="$why $f not adopted;" ;;
		made) grep -qF "kept valid leftover $SW/$f as a spare" "$log2" || why="$why $f not kept;" ;;
		half-made*) [ ! -e "$SW/$f" ] || why="$why $f half-made and kept;" ;;
		esac
	done
	if ! kill -0 "$pid" 2>/dev/null; then
		fail "$name" "the restarted daemon died" "$log2"
	elif [ -n "$why" ]; then
		fail "$name" "at the kill:$at_kill; after restart:$why" "$log2"
	else
		pass "$name"
	fi
	last_pid=$pid last_log=$log2
	# The last round goes on; the others clear up for the next one.
	[ "$d" = 0.4 ] && break
	clear_swapdir "$pid"
done
if [ "$mid" -gt 0 ]; then
	pass kill-landed-mid-creation
else
	fail kill-landed-mid-creation "no kill landed while a file was half-made: $seen"
fi
echo "    where the kills landed:$seen"
n=$(count_log "$last_log" "added swap file")
shortage
if wait_more "$last_log" "added swap file" "$n" 10; then
	pass kill-restart-grows
else
	fail kill-restart-grows "the restarted daemon did not grow" "$last_log"
fi
neither
stop "$last_pid"
exit 0
