#!/bin/sh
# On loop-mounted ext4, xfs and btrfs images: a shortage makes the daemon
# create, format and swapon a file; a surplus turns it off once the
# cooldown has passed and keeps it (off, on disk) for a minute, and a
# shortage in that minute turns the same file on again instead of making
# one.  Memory figures come from a fixture we rewrite.
. tests/integration/lib.sh

FSES="ext4 xfs btrfs"
cases() {
	for fs in $FSES; do
		echo "lifecycle-$fs-create lifecycle-$fs-valid" \
			"lifecycle-$fs-cooldown lifecycle-$fs-shrink" \
			"lifecycle-$fs-reuse"
	done
	echo lifecycle-btrfs-nocow
}
need_root $(cases)
workspace

one_fs() {
	fs=$1
	t=lifecycle-$fs
	if ! have_mkfs "$fs"; then
		for c in create valid cooldown shrink reuse; do
			skip "$t-$c" "mkfs.$fs not installed or $fs unknown"
		done
		[ "$fs" = btrfs ] && skip "$t-nocow" "mkfs.btrfs not installed"
		return
	fi
	if ! mkimage "$fs" 320M "$W/$fs"; then
		for c in create valid cooldown shrink reuse; do
			fail "$t-$c" "cannot make/mount a $fs image: $(tail -n 3 "$W/mkfs.log")"
		done
		return
	fi
	SW=$W/$fs/swap
	F=$SW/1
	newlog
	neither
	# max_files=1: the next grow while still short is "no room" (diet)
	# instead of a second file, whatever the poll interval.
	start_daemon "$SW" --max_files=1
	if ! wait_log " started (pid" 10; then
		fail "$t-create" "daemon did not start"
		stop_daemon
		return
	fi
	mark
	shortage
	if wait_log "added swap file $F (64 MiB)" 15 && is_active "$F"; then
		pass "$t-create"
	else
		fail "$t-create" "no 'added swap file $F (64 MiB)' or not in /proc/swaps"
	fi
	neither
	check "$t-valid" "$F is not a valid active 64 MiB ghostmemory swap file" \
		valid_swapfile "$F" 67108864
	if [ "$fs" = btrfs ]; then
		check "$t-nocow" "$F lacks the NOCOW (C) attribute: $(lsattr "$F" 2>&1)" \
			sh -c "lsattr '$F' | cut -d' ' -f1 | grep -q C"
	fi
	# Back to steady (from hungry, or from diet if it tried a second
	# file), then surplus: overfed, and the file goes only once the
	# surplus lasted a cooldown (2 s).
	if ! wait_log "-> steady" 10; then
		fail "$t-cooldown" "never went back to steady"
	fi
	mark
	surplus
	wait_log "steady -> overfed" 10
	sleep 1
	if is_active "$F" && [ -f "$F" ]; then
		pass "$t-cooldown"
	else
		fail "$t-cooldown" "$F removed less than a cooldown (2 s) after the surplus began"
	fi
	# Turned off, and kept on disk for a grow (a minute: it is deleted
	# only after that, which tests/unit and t_shrink check).
	if wait_log "turned off swap file $F (64 MiB)" 10 &&
		logged "kept for 60 s" && ! is_active "$F" &&
		valid_swapfile "$F" && [ "$(files_in "$SW")" = 1 ]; then
		pass "$t-shrink"
	else
		fail "$t-shrink" "surplus did not turn $F off and keep it (left: $(files_in "$SW"))"
	fi
	# Needed again within the minute: the same file, on, none made.
	mark
	shortage
	if wait_log "added swap file $F (64 MiB, kept since a shrink)" 10 &&
		is_active "$F" && [ "$(files_in "$SW")" = 1 ] &&
		! logged "making swap file"; then
		pass "$t-reuse"
	else
		fail "$t-reuse" "the kept $F was not turned on again (left: $(files_in "$SW"))"
	fi
	stop_daemon
}

for fs in $FSES; do
	one_fs "$fs"
done
exit $FAILED
