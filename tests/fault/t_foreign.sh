#!/bin/sh
# A foreign swap file whose name holds a control byte (\001: the kernel
# prints it raw in /proc/swaps, escaping only space, tab, newline and
# backslash) must not make the daemon lose track of its own files
# (issue 12, #3).  The daemon makes and turns on $SW/1; a foreign file
# on the same image, outside the swap directory, is turned on; the
# daemon still counts $SW/1 as active, and so does a daemon started
# afterwards (it adopts it); a shortage with max_files=1 makes no second
# file; on a surplus it shrinks $SW/1; it never touches the foreign one.
# Root only.
set -u
. tests/hostile/lib.sh

CASES="foreign-still-counted foreign-adopted-after-restart
foreign-own-file-shrunk foreign-no-second-file foreign-untouched"
need_root $CASES
workspace
mkdir "$W/fs"
mkimage 128m "$W/fs" || skip_all "cannot make a loop ext4 image" $CASES
SW="$W/fs/swap"
mkdir -m 0700 "$SW" "$W/fs/other"
# The workspace's cleanup swaps off every area under $W, this one too.
FOREIGN=$(printf '%s/fs/other/for\001eign' "$W")

log="$W/foreign.log"
# dump_file LOG PID: the newest USR1 dump's line for $SW/1.
dump_file() {
	dump_value "$1" files "$2" >/dev/null
	grep -F "dump file=$SW/1 " "$1" | tail -n 1
}

shortage
gm "$log" -s "$SW" --max_files=1 --cooldown=3
pid=$GM_PID
if ! wait_log "$log" "added swap file $SW/1 "; then
	fail foreign-still-counted "the daemon did not make $SW/1" "$log"
	exit 0
fi
neither
# Allocated, not sparse: swapon refuses holes.
if ! fallocate -l 8m "$FOREIGN" || ! chmod 0600 "$FOREIGN" ||
	! mkswap "$FOREIGN" >/dev/null 2>&1 || ! swapon "$FOREIGN"; then
	fail foreign-still-counted "cannot turn on the foreign file" "$log"
	exit 0
fi
foreign_before=$(fingerprint "$FOREIGN")
# A few ticks with the foreign line in /proc/swaps.
sleep 2
line=$(dump_file "$log" "$pid")
case "$line" in
*" active=1 "*) pass foreign-still-counted ;;
*) fail foreign-still-counted "dump says \"$line\", want active=1" "$log" ;;
esac
stop "$pid"

# A new daemon reads /proc/swaps with the foreign line at start.
log2="$W/foreign2.log"
gm "$log2" -s "$SW" --max_files=1 --cooldown=3
pid=$GM_PID
wait_log "$log2" "started" 5
line=$(dump_file "$log2" "$pid")
if grep -qF "adopted active swap file $SW/1" "$log2" &&
	case "$line" in *" active=1 "*) true ;; *) false ;; esac &&
	"$GM" --status --rundir="$W/run" 2>/dev/null |
	grep -F "file=$SW/1 " | grep -qF " active=1 "; then
	pass foreign-adopted-after-restart
else
	fail foreign-adopted-after-restart "not adopted, or not active in the dump (\"$line\") or --status" "$log2"
fi

# A shortage with max_files=1 reached: no new file.  A daemon that took
# its active $SW/1 for a spare would try to turn it on (EBUSY), forget it
# and make $SW/2.
shortage
sleep 2
# Shrunk as usual once the surplus has lasted a cooldown (3 s).
surplus
if wait_log "$log2" "removed swap file $SW/1" 15 && ! is_active "$SW/1" &&
	[ -z "$(files_in "$SW")" ]; then
	pass foreign-own-file-shrunk
else
	fail foreign-own-file-shrunk "$SW/1 not removed (files: $(files_in "$SW"); active: $(our_swaps | tr '\n' ' '))" "$log2"
fi
neither
sleep 1
stop "$pid"

if [ "$(count_log "$log" "making swap file")$(count_log "$log2" "making swap file")" = "10" ] &&
	! grep -qF "$SW/2" "$log" "$log2" && [ ! -e "$SW/2" ]; then
	pass foreign-no-second-file
else
	fail foreign-no-second-file "a second file was made: $(grep -hF "$SW/2" "$log" "$log2" | head -n 3)" "$log2"
fi
if is_active "$FOREIGN" && [ "$(fingerprint "$FOREIGN")" = "$foreign_before" ] &&
	! grep -qF "$W/fs/other" "$log" "$log2"; then
	pass foreign-untouched
else
	fail foreign-untouched "the foreign file was turned off or changed" "$log2"
fi
exit 0
