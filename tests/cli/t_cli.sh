#!/bin/sh
# The command line as a user meets it: exit codes and messages of the real
# binary.  Cases that need root print SKIP when not run as root.
set -u
. tests/lib/common.sh
work=$(mktemp -d /tmp/gm-cli.XXXXXX)
daemon_pid=
cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	umount "$work/tmpfs" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

calm="$work/calm.meminfo"
cat >"$calm" <<'M'
MemTotal:        1000000 kB
MemFree:          400000 kB
MemAvailable:     400000 kB
SwapTotal:             0 kB
SwapFree:              0 kB
M

expect help 0 "usage: ghostmemory" -- "$GM" --help
expect version 0 "^ghostmemory [0-9]" -- "$GM" -V
expect inspect-defaults 0 'swappath="/var/lib/ghostmemory"' -- "$GM" -c /dev/null -i
expect inspect-override 0 "lower_freelimit=10" -- "$GM" -c /dev/null -i -l 10
expect unknown-option 2 "unknown option '-x'" -- "$GM" -x
expect unknown-long 2 "unknown option '--frob'" -- "$GM" --frob
expect missing-value 2 "needs a value" -- "$GM" -l
expect missing-config 2 "$work/none.conf: cannot open config file" -- "$GM" -c "$work/none.conf" -i
printf 'cooldown=5\nlower_freelimit=abc\n' >"$work/bad.conf"
expect bad-config-line 2 "$work/bad.conf:2: lower_freelimit: not a percentage" -- "$GM" -c "$work/bad.conf" -i
printf 'freetarget=30\nlower_freelimit=50\n' >"$work/incons.conf"
expect inconsistent-config 2 "$work/incons.conf:2: lower_freelimit: lower_freelimit (50) is above freetarget (30)" -- "$GM" -c "$work/incons.conf" -i

# Debian's swapspace 1.18 config file, as shipped, must be accepted.
if (cd "$work" && apt-get download swapspace >/dev/null 2>&1) &&
	dpkg -x "$work"/swapspace_*.deb "$work/swapspace" 2>/dev/null &&
	[ -f "$work/swapspace/etc/swapspace.conf" ]; then
	expect swapspace-conf 0 "cooldown=600" -- "$GM" -c "$work/swapspace/etc/swapspace.conf" -i
	# and with every key uncommented (its documented values)
	sed 's/^#\([a-z_]*=\)/\1/' "$work/swapspace/etc/swapspace.conf" >"$work/uncommented.conf"
	expect swapspace-conf-uncommented 0 'swappath="/var/lib/swapspace"' -- "$GM" -c "$work/uncommented.conf" -i
else
	echo "SKIP swapspace-conf: cannot apt-get download swapspace (no package archive)"
fi

if [ "$(id -u)" -ne 0 ]; then
	expect not-root 3 "must run as root" -- "$GM" -c /dev/null -s "$work/sw" -p "$work/pid"
	echo "SKIP swap-directory-checks: need root"
	exit 0
fi
if command -v setpriv >/dev/null; then
	expect not-root 3 "must run as root" -- setpriv --reuid=65534 --regid=65534 --clear-groups "$GM" -c /dev/null -s "$work/sw" -p "$work/pid"
else
	echo "SKIP not-root: setpriv missing"
fi
# Root without CAP_SYS_ADMIN (a container): its own exit code, before
# anything is made (no directory, no pid file).
if command -v setpriv >/dev/null; then
	expect no-cap-sys-admin 20 "no CAP_SYS_ADMIN" -- setpriv --bounding-set=-sys_admin "$GM" -c /dev/null -s "$work/nocap" -p "$work/nocap.pid"
	[ -e "$work/nocap" ] || [ -e "$work/nocap.pid" ] &&
		echo "FAIL no-cap-sys-admin-side-effect: $(ls -d "$work"/nocap*)"
else
	echo "SKIP no-cap-sys-admin: setpriv missing"
fi

base="-c /dev/null --meminfo-file=$calm --rundir=$work/run --spare=no"
mkdir -m 0700 "$work/real"
ln -s "$work/real" "$work/link"
expect dir-symlink 10 "is a symbolic link; refusing to follow it" -- "$GM" $base -s "$work/link" -p "$work/pid"
mkdir -m 0700 "$work/other" && chown 65534 "$work/other"
expect dir-owner 11 "is owned by uid 65534, not root" -- "$GM" $base -s "$work/other" -p "$work/pid"
mkdir -m 0755 "$work/open"
expect dir-mode 12 "group and others must have no access" -- "$GM" $base -s "$work/open" -p "$work/pid"
mkdir "$work/tmpfs"
if mount -t tmpfs -o size=1m,mode=0700 none "$work/tmpfs"; then
	expect dir-tmpfs 13 "tmpfs" -- "$GM" $base -s "$work/tmpfs" -p "$work/pid"
	umount "$work/tmpfs"
else
	echo "FAIL dir-tmpfs: cannot mount a tmpfs"
fi
: >"$work/plainfile"
expect dir-not-a-directory 14 "not a directory" -- "$GM" $base -s "$work/plainfile" -p "$work/pid"
ln -s "$work/elsewhere.pid" "$work/link.pid"
expect pidfile-symlink 5 "pid file" -- "$GM" $base -s "$work/real" -p "$work/link.pid"
[ -e "$work/elsewhere.pid" ] && echo "FAIL pidfile-symlink-followed: the symlink target was created"

# A second instance is refused while the first holds the pid file.
"$GM" $base -s "$work/real" -p "$work/pid" 2>"$work/first.log" &
daemon_pid=$!
i=0
while [ $i -lt 50 ] && ! grep -q started "$work/first.log"; do sleep 0.1; i=$((i + 1)); done
expect already-running 4 "already running (pid $daemon_pid" -- "$GM" $base -s "$work/real" -p "$work/pid"
kill -TERM "$daemon_pid"
wait "$daemon_pid"
rc=$?
daemon_pid=
if [ "$rc" -eq 0 ] && [ ! -e "$work/pid" ]; then
	echo "PASS sigterm-exits-cleanly"
else
	echo "FAIL sigterm-exits-cleanly: exit $rc, pid file left: $(ls "$work")"
fi
# A stale pid file (no lock held) is fine.
echo 999999 >"$work/pid"
"$GM" $base -s "$work/real" -p "$work/pid" 2>"$work/second.log" &
daemon_pid=$!
i=0
while [ $i -lt 50 ] && ! grep -q started "$work/second.log"; do sleep 0.1; i=$((i + 1)); done
if grep -q started "$work/second.log" && [ "$(cat "$work/pid")" = "$daemon_pid" ]; then
	echo "PASS stale-pidfile"
else
	echo "FAIL stale-pidfile: $(cat "$work/second.log")"
fi
exit 0
