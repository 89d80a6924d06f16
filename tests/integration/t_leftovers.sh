#!/bin/sh
# Leftovers on ext4: at start the daemon keeps a valid inactive swap file
# as a spare (and swapons it on the next grow instead of making a new
# one), deletes invalid ones, and never follows a symlink or damages
# what a hard link points at.
. tests/integration/lib.sh

CASES="leftover-kept leftover-invalid-deleted leftover-symlink-target-safe \
leftover-hardlink-target-safe leftover-foreign-name-kept leftover-spare-reused"
need_root $CASES
workspace
command -v mkswap >/dev/null 2>&1 && command -v fallocate >/dev/null 2>&1 ||
	skip_all "mkswap/fallocate not installed (util-linux)" $CASES
mnt_image 320M
mkdir -m 700 "$SW"

# swapfile PATH SIZE: what a previous run would have left.
swapfile() {
	fallocate -l "$2" "$1" && chmod 600 "$1" &&
		mkswap -L ghostmemory "$1" >/dev/null 2>&1
}
# Each invalid one with the reason the daemon must give.
swapfile "$SW/1" 16M                    # valid: kept as a spare
swapfile "$SW/2" 16M && chmod 644 "$SW/2"
R2="does not have mode 0600"
swapfile "$W/mnt/victim" 16M            # valid, but reached via a symlink
ln -s "$W/mnt/victim" "$SW/3"
R3="is a symbolic link"
swapfile "$W/mnt/victim2" 16M           # valid, but has a second name
ln "$W/mnt/victim2" "$SW/4"
R4="has more than one hard link"
swapfile "$SW/5" 16M && truncate -s 8M "$SW/5"  # header says 16 MiB
R5="has no valid swap header"
mkfifo -m 600 "$SW/6"                   # a FIFO must not hang the daemon
R6="is not a regular file"
head -c 4194304 /dev/urandom >"$SW/7" && chmod 600 "$SW/7"
R7="has no valid swap header"
swapfile "$SW/8" 1M
R8="is smaller than min_swapsize"
swapfile "$SW/9" 16M && chown 1234 "$SW/9"
R9="is not owned by root"
mkdir -m 700 "$SW/10"                   # a directory is left for the admin
echo "not ours" >"$SW/notes"            # not a slot name: left alone
sum1=$(md5sum <"$W/mnt/victim")
sum2=$(md5sum <"$W/mnt/victim2")

neither
start_daemon "$SW" --max_files=1
wait_log " started (pid" 15 || fail leftover-kept "daemon did not start"

if grep -qF "kept valid leftover $SW/1 as a spare" "$LOG" && [ -f "$SW/1" ] &&
	! is_active "$SW/1"; then
	pass leftover-kept
else
	fail leftover-kept "$SW/1 not kept as an inactive spare"
fi
missing=
for n in 2 3 4 5 6 7 8 9; do
	eval "reason=\$R$n"
	grep -qF "deleted invalid leftover $SW/$n: $reason" "$LOG" &&
		[ ! -e "$SW/$n" ] && [ ! -L "$SW/$n" ] || missing="$missing $n"
done
if [ -z "$missing" ]; then
	pass leftover-invalid-deleted
else
	fail leftover-invalid-deleted "not deleted (or not logged with its reason):$missing"
fi
if [ -f "$W/mnt/victim" ] && [ "$(md5sum <"$W/mnt/victim")" = "$sum1" ] &&
	! is_active "$W/mnt/victim"; then
	pass leftover-symlink-target-safe
else
	fail leftover-symlink-target-safe "the symlink's target was changed or activated"
fi
if [ -f "$W/mnt/victim2" ] && [ "$(md5sum <"$W/mnt/victim2")" = "$sum2" ] &&
	[ "$(stat -c %h "$W/mnt/victim2")" = 1 ]; then
	pass leftover-hardlink-target-safe
else
	fail leftover-hardlink-target-safe "the hard link's other name was damaged"
fi
check leftover-foreign-name-kept "$SW/notes or the directory $SW/10 was touched" \
	sh -c "grep -qx 'not ours' '$SW/notes' && [ -d '$SW/10' ]"

# The next grow uses the spare: no new file is made.
shortage
if wait_log "added swap file $SW/1" 15 && is_active "$SW/1" &&
	[ "$(files_in "$SW")" = "1 10 notes" ]; then
	pass leftover-spare-reused
else
	fail leftover-spare-reused "spare not swapon'd, or a new file made (dir: $(files_in "$SW"))"
fi
neither
stop_daemon
exit $FAILED
