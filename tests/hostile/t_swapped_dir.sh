#!/bin/sh
# The attack of issue 12, #1: the daemon starts on a safe tree; after
# start a parent of the swap directory becomes writable by nobody (an
# administrator's chown); nobody renames the swap directory away and
# puts at its name a symbolic link to a directory of theirs holding
# readable files with valid swap headers at the next slot names.  On a
# grow, a daemon that activates by path string turns on nobody's file,
# and every process's swapped-out pages become readable by nobody.
# Nothing outside the real swap directory may ever be turned on: the
# file made through the directory fd must be the one activated.
# Root only.
set -u
. tests/hostile/lib.sh

CASES="swapped-dir-started swapped-dir-nothing-foreign-on"
need_root $CASES
id nobody >/dev/null 2>&1 || skip_all "no user nobody" $CASES
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv not installed" $CASES
workspace
mkdir "$W/fs"
mkimage 128m "$W/fs" || skip_all "cannot make a loop ext4 image" $CASES
# nobody must reach $W/fs/p; every step is root's and safe at start.
chmod 0755 "$W" "$W/fs"
P="$W/fs/p"
SW="$P/swap"
mkdir -m 0755 "$P"
mkdir -m 0700 "$SW"

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

log="$W/swapped.log"
neither
gm "$log" -s "$SW" --max_files=4
pid=$GM_PID
if wait_log "$log" "started" 5; then
	pass swapped-dir-started
else
	fail swapped-dir-started "the daemon did not start on a safe tree" "$log"
	exit 0
fi

# After start: the parent becomes nobody's, and nobody swaps the
# directory for a link to their own, with valid swap files at 1..4.
chown 65534:65534 "$P"
if ! as_nobody sh -c '
	set -e
	mkdir -m 0755 "$1/evil"
	for n in 1 2 3 4; do
		fallocate -l 16m "$1/evil/$n"
		chmod 0600 "$1/evil/$n"
		mkswap -L ghostmemory "$1/evil/$n" >/dev/null
	done
	mv "$1/swap" "$1/moved"
	ln -s evil "$1/swap"
' sh "$P" >"$W/nobody.log" 2>&1; then
	fail swapped-dir-nothing-foreign-on "nobody could not set up the attack" "$W/nobody.log"
	exit 0
fi

# A grow; watch /proc/swaps the whole time: only $P/moved/* may show.
shortage
bad=
t=0
while [ $t -lt 80 ]; do
	for s in $(our_swaps); do
		case "$s" in
		"$P/moved/"*) ;;
		*) bad="$bad $s" ;;
		esac
	done
	[ -n "$bad" ] && break
	sleep 0.1
	t=$((t + 1))
done
neither
if [ -z "$bad" ]; then
	pass swapped-dir-nothing-foreign-on
else
	fail swapped-dir-nothing-foreign-on "turned on outside the swap directory:$bad" "$log"
fi
stop "$pid"
exit 0
