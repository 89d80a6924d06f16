#!/bin/sh
# Things planted in the swap directory.  A symlink, FIFO, directory, hard
# link, wrong-owner, wrong-mode, truncated, headerless or sparse file is
# never followed, never activated and never written through: at start the
# daemon deletes the entry itself (unlinkat, no following; a directory is
# left alone) and says why, and the symlink's target and the hard link's
# other name stay exactly as they were and out of /proc/swaps.  A valid
# leftover beside them is kept and reused (the control).  Then, with the
# daemon running, the same things are planted at the names it will use
# next: creation refuses to go through them, and the daemon carries on.
# Root only.
set -u
. tests/hostile/lib.sh

CASES="planted-symlink planted-fifo planted-directory planted-hardlink
planted-wrong-owner planted-wrong-mode planted-truncated planted-no-header
planted-foreign-name planted-valid-leftover-reused planted-outside-untouched
planted-nothing-invalid-active planted-later-symlink planted-later-fifo
planted-later-directory planted-later-daemon-carries-on"
need_root $CASES
swapdir_image 256m
mkdir "$W/outside"
# Victims live on the same filesystem (a hard link needs that), outside
# the swap directory.  Both would pass every leftover check.
mkdir -m 0700 "$W/fs/victims"
V1="$W/fs/victims/symlink-target"
V2="$W/fs/victims/hardlink-other-name"
mkswapfile "$V1" 8m && mkswapfile "$V2" 8m || skip_all "mkswap failed" $CASES
dd if=/dev/urandom of="$V1" bs=4096 seek=1 count=16 conv=notrunc 2>/dev/null
before=$(fingerprint "$V1" "$V2")

# mkleftover PATH SIZE: a non-sparse file that passes every check.
mkleftover() {
	fallocate -l "$2" "$1" 2>/dev/null || dd if=/dev/zero of="$1" bs=1M count=$(($2 / 1048576)) 2>/dev/null
	chmod 0600 "$1" && mkswap -L ghostmemory "$1" >/dev/null 2>&1
}

ln -s "$V1" "$SW/1"
mkfifo -m 0600 "$SW/2"
mkdir -m 0700 "$SW/3"
: >"$SW/3/keep"
ln "$V2" "$SW/4"
mkswapfile "$SW/5" 8m 65534
mkleftover "$SW/6" 8388608 && chmod 0644 "$SW/6"
mkleftover "$SW/7" 8388608 && truncate -s 4194304 "$SW/7"
truncate -s 8m "$SW/8" && chmod 0600 "$SW/8"
echo "not ours" >"$SW/notes.txt"
mkleftover "$SW/9" 8388608

log="$W/start.log"
neither
# Files are made back to back while the fixture says "short": a cap on
# their number keeps the disk from filling before the later plants (it
# is lifted by a reload below).
printf 'max_files=3\n' >"$W/gm.conf"
gm "$log" -s "$SW" -c "$W/gm.conf"
wait_log "$log" "started" || fail planted-start "daemon did not start" "$log"
sleep 1

gone planted-symlink 1 "is a symbolic link"
gone planted-fifo 2 "is not a regular file"
if [ -d "$SW/3" ] && [ -f "$SW/3/keep" ]; then
	pass planted-directory
else
	fail planted-directory "the directory or its content was removed" "$log"
fi
gone planted-hardlink 4 "has more than one hard link"
gone planted-wrong-owner 5 "is not owned by root"
gone planted-wrong-mode 6 "does not have mode 0600"
gone planted-truncated 7 "has no valid swap header"
gone planted-no-header 8 "has no valid swap header"
if [ -f "$SW/notes.txt" ] && grep -qF "ignoring $SW/notes.txt" "$log"; then
	pass planted-foreign-name
else
	fail planted-foreign-name "notes.txt deleted or not mentioned" "$log"
fi

# Memory runs short: the valid leftover is what gets used first.
shortage
if wait_log "$log" "added swap file $SW/9" && is_active "$SW/9"; then
	pass planted-valid-leftover-reused
else
	fail planted-valid-leftover-reused "the valid leftover $SW/9 was not activated" "$log"
fi
wait_log "$log" "added swap file $SW/1 " 10
neither
sleep 1
after=$(fingerprint "$V1" "$V2")
if [ "$before" = "$after" ] && ! is_active "$V1" && ! is_active "$V2"; then
	pass planted-outside-untouched
else
	fail planted-outside-untouched "victims changed or active: $before / $after / $(our_swaps)" "$log"
fi
bad=
for s in $(our_swaps); do
	case "$s" in "$SW"/[1-9]*) valid_swapfile "$s" || bad="$bad $s" ;; *) bad="$bad $s" ;; esac
done
if [ -z "$bad" ] && [ -n "$(our_swaps)" ]; then
	pass planted-nothing-invalid-active
else
	fail planted-nothing-invalid-active "active: $(our_swaps); invalid:$bad" "$log"
fi

# Now plant at the next names while the daemon runs: the lowest free
# slots after 1 and 9 are 2, 4, 5...  A symlink, a FIFO and a directory.
next=2
while [ -e "$SW/$next" ] || [ -L "$SW/$next" ]; do next=$((next + 1)); done
ln -s "$V1" "$SW/$next"
s1=$next
next=$((next + 1))
while [ -e "$SW/$next" ] || [ -L "$SW/$next" ]; do next=$((next + 1)); done
mkfifo -m 0600 "$SW/$next"
s2=$next
next=$((next + 1))
while [ -e "$SW/$next" ] || [ -L "$SW/$next" ]; do next=$((next + 1)); done
mkdir -m 0700 "$SW/$next"
s3=$next
active_before=$(our_swaps | wc -l)
printf 'max_files=20\n' >"$W/gm.conf"
kill -HUP "$GM_PID"
wait_log "$log" "configuration reloaded" 5
shortage
# Give it several grow attempts.
sleep 6
neither
sleep 1
after=$(fingerprint "$V1" "$V2")
if [ -L "$SW/$s1" ] && [ "$before" = "$after" ] && ! is_active "$V1" &&
	! is_active "$SW/$s1"; then
	pass planted-later-symlink
else
	fail planted-later-symlink "went through the symlink $SW/$s1: $before / $after" "$log"
fi
if [ -p "$SW/$s2" ] && ! is_active "$SW/$s2"; then
	pass planted-later-fifo
else
	fail planted-later-fifo "the FIFO $SW/$s2 was replaced or used" "$log"
fi
if [ -d "$SW/$s3" ] && ! is_active "$SW/$s3"; then
	pass planted-later-directory
else
	fail planted-later-directory "the directory $SW/$s3 was replaced or used" "$log"
fi
# The daemon is alive and answers, and grew past the planted names (and
# past the directory left at start): a name that is taken is no reason
# to stop growing for good.
if kill -0 "$GM_PID" 2>/dev/null && [ -n "$(dump_value "$log" state "$GM_PID")" ] &&
	[ "$(our_swaps | wc -l)" -gt "$active_before" ]; then
	pass planted-later-daemon-carries-on
else
	fail planted-later-daemon-carries-on "dead, mute or stuck at a taken name ($active_before active before, now: $(our_swaps | tr '\n' ' '))" "$log"
fi
stop "$GM_PID"
exit 0
