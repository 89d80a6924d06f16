#!/bin/sh
# Start-up refusals of the swap directory, each with its own exit code
# and a message naming the path: tmpfs (13), symlink (10), not root's
# (11), group/world access (12), not a directory or an unsafe parent
# (14).  The daemon must exit at once and create nothing.
. tests/integration/lib.sh

CASES="refuse-tmpfs refuse-symlink refuse-owner refuse-mode refuse-notdir \
refuse-unsafe-parent"
need_root $CASES
workspace

# refused CASE CODE MESSAGE SWAPDIR: run the daemon, expect exit CODE
# and MESSAGE in its output, and no swap area of ours.
refused() {
	newlog
	neither
	start_daemon "$4"
	if ! wait_exit 15; then
		fail "$1" "still running after 15 s with swap directory $4"
		stop_daemon
		return
	fi
	if [ "$RC" != "$2" ]; then
		fail "$1" "exit code $RC, want $2"
	elif ! grep -qF -- "$3" "$LOG"; then
		fail "$1" "no message '$3'"
	elif [ -n "$(our_swaps)" ]; then
		fail "$1" "swap areas active: $(our_swaps)"
	else
		pass "$1"
	fi
}

mkdir "$W/tmpfs"
if mount -t tmpfs -o size=16m,mode=0755 gm-test "$W/tmpfs"; then
	mkdir -m 700 "$W/tmpfs/swap"
	refused refuse-tmpfs 13 \
		"swap directory $W/tmpfs/swap is on tmpfs, which cannot hold swap files" \
		"$W/tmpfs/swap"
	[ -z "$(files_in "$W/tmpfs/swap")" ] ||
		fail refuse-tmpfs "files made on tmpfs: $(files_in "$W/tmpfs/swap")"
else
	fail refuse-tmpfs "cannot mount a tmpfs"
fi

mkdir -m 700 "$W/good"
ln -s "$W/good" "$W/link"
refused refuse-symlink 10 "swap directory $W/link is a symbolic link" "$W/link"

mkdir -m 700 "$W/owner"
chown 1234:1234 "$W/owner"
refused refuse-owner 11 "swap directory $W/owner is owned by uid 1234" "$W/owner"

mkdir -m 755 "$W/mode"
refused refuse-mode 12 "swap directory $W/mode has mode 0755" "$W/mode"

: >"$W/file"
refused refuse-notdir 14 "swap directory $W/file is not a directory" "$W/file"

mkdir -m 777 "$W/open"
refused refuse-unsafe-parent 15 \
	"swap directory $W/open/swap is unsafe: $W/open is writable by group or others" \
	"$W/open/swap"
[ ! -e "$W/open/swap" ] ||
	fail refuse-unsafe-parent "created $W/open/swap under a 0777 parent"
exit $FAILED
