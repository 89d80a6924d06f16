# Sourced by the tests in debian/tests (from the top of the source tree,
# where autopkgtest runs them).  Everything goes to stdout: autopkgtest
# fails a test that writes to stderr, and a failure is the exit status.
# shellcheck shell=sh
exec 2>&1
set -u
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
PIDFILE=/run/ghostmemory.pid

if [ -d /run/systemd/system ]; then INIT=systemd; else INIT=sysv; fi

fail() {
	echo "FAIL: $*"
	exit 1
}
ok() { echo "ok: $*"; }

# waitfor SECONDS CMD...: until CMD succeeds (0), or 1 after SECONDS.
waitfor() {
	_n=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# The daemon's pid, when /run/ghostmemory.pid names a live ghostmemory.
daemon_pid() {
	_p=$(cat "$PIDFILE" 2>/dev/null) &&
		[ "$(readlink "/proc/$_p/exe" 2>/dev/null)" = /usr/sbin/ghostmemory ] &&
		echo "$_p"
}
running() { daemon_pid >/dev/null; }
stopped() { ! pgrep -x ghostmemory >/dev/null; }

# The daemon's log: the journal where systemd runs it (foreground,
# stderr), else syslog (-d, facility daemon).
daemon_log() {
	if [ "$INIT" = systemd ]; then
		journalctl -q -o cat -t ghostmemory --no-pager
	else
		cat /var/log/daemon.log /var/log/syslog 2>/dev/null |
			grep ' ghostmemory\[[0-9]*\]: ' | sed 's/^.*\]: //'
	fi
}
# log_has_more N PATTERN: more than N lines of the log match PATTERN.
log_has_more() {
	[ "$(daemon_log | grep -c -e "$2")" -gt "$1" ]
}

init_do() {
	if [ "$INIT" = systemd ]; then
		systemctl "$1" ghostmemory
	else
		/etc/init.d/ghostmemory "$1"
	fi
}

# Our swap files in /proc/swaps (by the real path of the directory).
our_swaps() {
	_d=$(readlink -f /var/lib/ghostmemory 2>/dev/null || echo /var/lib/ghostmemory)
	awk -v d="$_d/" 'index($1, d) == 1 { print $1 }' /proc/swaps
}

# status_value KEY: KEY's value in ghostmemory --status.
status_value() {
	ghostmemory --status | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}
