#!/bin/sh
# The kernel's swap table full (issue 12, #4): swapon says EPERM, which
# is not the spare's fault, so the spare must stay.  The daemon's own
# directory holds an active file $SW/1 and a valid inactive spare $SW/2;
# every other slot of the kernel's table (MAX_SWAPFILES, found by trying:
# swapon tiny foreign areas on a second loop image until swapon says
# EPERM) is taken.  A shortage then asks for a grow, several times over
# (one per cooldown): the spare keeps its inode, no file is made (none
# appears in the directory, not even for a moment, and the log says
# nothing was made), the log says why, and the daemon stays up.  Once
# one foreign area is swapped off the next grow turns the spare on; the
# grow after that, with the table full again and no spare, makes one file
# and keeps it as the spare when its swapon says EPERM.
# A daemon that deleted the spare on any swapon error made and deleted a
# full-size file on every round.
# Root only.  For the few seconds the table is full, any other swapon
# on this machine fails too.
set -u
. tests/hostile/lib.sh

CASES="table-full-spare-kept table-full-nothing-made table-full-logged
table-full-daemon-up table-full-grow-after-free table-full-made-file-kept"
NEED_TOOLS="$NEED_TOOLS mkswap swaplabel"
need_root $CASES
swapdir_image 64m
mkdir "$W/for"
mkimage 32m "$W/for" || skip_all "cannot make the foreign loop image"

log="$W/table.log"

# A valid ghostmemory file, every block written (swapon refuses holes).
mkfile() {
	dd if=/dev/zero of="$1" bs=1M count="$2" status=none &&
		chmod 0600 "$1" && mkswap -L ghostmemory "$1" >/dev/null 2>&1
}
if ! mkfile "$SW/1" 16 || ! mkfile "$SW/2" 16 || ! swapon "$SW/1"; then
	fail table-full-spare-kept "cannot make $SW/1 and $SW/2 or turn on $SW/1"
	exit 0
fi

# Fill the table: foreign 64 KiB areas until swapon refuses with EPERM.
n=0 why=
while [ $n -lt 64 ]; do
	n=$((n + 1))
	f="$W/for/f$n"
	if ! dd if=/dev/zero of="$f" bs=64k count=1 status=none ||
		! chmod 0600 "$f" || ! mkswap "$f" >/dev/null 2>&1; then
		why="cannot make the foreign area $f"
		break
	fi
	if ! swapon "$f" 2>"$W/swapon.err"; then
		rm -f "$f"
		n=$((n - 1))
		grep -q "Operation not permitted" "$W/swapon.err" ||
			why="swapon $f: $(cat "$W/swapon.err")"
		break
	fi
done
areas=$(($(wc -l </proc/swaps) - 1))
if [ -n "$why" ] || [ $n -ge 64 ] || [ $n -lt 1 ]; then
	swapoff_ours
	skip_all "cannot fill the kernel's swap table (${why:-$n foreign areas, no EPERM})"
fi
echo "# the kernel's swap table is full at $areas areas ($n foreign ones of ours)"

ino2=$(stat -c %i "$SW/2")
neither
gm "$log" -s "$SW" --cooldown=2 --max_files=4
if ! wait_log "$log" "started" 5 ||
	! grep -qF "adopted active swap file $SW/1" "$log" ||
	! grep -qF "kept valid leftover $SW/2 as a spare" "$log"; then
	fail table-full-spare-kept "the daemon did not start, adopt $SW/1 and keep $SW/2" "$log"
	exit 0
fi

# The shortage lasts about four cooldowns: a grow each round (after a
# "no room" the daemon waits a cooldown on its diet).  Watch the
# directory meanwhile: any other name, or another inode at 2, is a file
# made (and deleted).
eperm="swapon $SW/2 (spare): Operation not permitted"
shortage
seen=
t=0
while [ $t -lt 90 ]; do
	for e in "$SW"/*; do
		[ -e "$e" ] || continue
		case "$e" in
		"$SW/1") ;;
		"$SW/2") [ "$(stat -c %i "$e" 2>/dev/null)" = "$ino2" ] ||
			seen="$seen 2(inode $(stat -c %i "$e" 2>/dev/null))" ;;
		*) seen="$seen ${e##*/}" ;;
		esac
	done
	[ "$(count_log "$log" "$eperm")" -ge 3 ] && break
	sleep 0.1
	t=$((t + 1))
done
tries=$(count_log "$log" "$eperm")

if [ -f "$SW/2" ] && [ "$(stat -c %i "$SW/2")" = "$ino2" ] &&
	valid_swapfile "$SW/2" && ! is_active "$SW/2" &&
	[ "$tries" -ge 2 ]; then
	pass table-full-spare-kept
else
	fail table-full-spare-kept "after $tries refused swapon(s), $SW/2 is not the same valid inactive file (inode $ino2, now $(stat -c %i "$SW/2" 2>&1))" "$log"
fi
if [ -z "$seen" ] && [ "$(files_in "$SW")" = "1 2" ] &&
	[ "$(count_log "$log" "making swap file")" = 0 ] &&
	[ "$(count_log "$log" "made warm spare")" = 0 ] &&
	[ "$(count_log "$log" "deleting it")" = 0 ]; then
	pass table-full-nothing-made
else
	fail table-full-nothing-made "files seen:${seen:- none}; now: $(files_in "$SW"); $(count_log "$log" "making swap file") file(s) made" "$log"
fi
if [ "$tries" -ge 1 ] &&
	grep -F "$eperm" "$log" | grep -qF "swap table is full" &&
	grep -qF "keeping it" "$log"; then
	pass table-full-logged
else
	fail table-full-logged "no '$eperm (the kernel's swap table is full...); keeping it'" "$log"
fi
if ! exited "$GM_PID"; then
	pass table-full-daemon-up
else
	fail table-full-daemon-up "the daemon exited" "$log"
fi

# One slot free: the next grow turns the spare on.
swapoff "$W/for/f$n"
if wait_log "$log" "added swap file $SW/2 (16 MiB, spare)" 15 &&
	is_active "$SW/2" && [ "$(stat -c %i "$SW/2")" = "$ino2" ]; then
	pass table-full-grow-after-free
else
	fail table-full-grow-after-free "$SW/2 not turned on after a slot was freed" "$log"
fi
# The table is full again and the shortage goes on: the daemon makes
# $SW/3, whose swapon says EPERM; the new file stays as the spare, and
# the rounds after that only try its swapon again: one file made in all.
if wait_log "$log" "no room for a new swap file $SW/3: Operation not permitted (the kernel's swap table is full) (the file is kept as a spare)" 15 &&
	ino3=$(stat -c %i "$SW/3") &&
	wait_more "$log" "swapon $SW/3 (spare): Operation not permitted" 0 10 &&
	[ "$(stat -c %i "$SW/3")" = "$ino3" ] && valid_swapfile "$SW/3" &&
	! is_active "$SW/3" && [ "$(files_in "$SW")" = "1 2 3" ] &&
	[ "$(count_log "$log" "making swap file")" = 1 ]; then
	pass table-full-made-file-kept
else
	fail table-full-made-file-kept "$SW/3 not made once and kept through a refused swapon (files: $(files_in "$SW"))" "$log"
fi
neither
# Give the table back at once: other swapons on this machine wait.
stop_daemons
swapoff_ours
exit 0
