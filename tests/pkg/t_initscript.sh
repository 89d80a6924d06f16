#!/bin/sh
# init.d/ghostmemory on this machine, as LSB says it must behave: start,
# start again, status, USR1 through the pid file, force-reload, stop, stop
# again, status; a stale pid file; a bad configuration.  Exit codes are
# checked, at most one instance may run, and no swap file may appear.
#
# The real system is not touched: the test runs in a private mount
# namespace (unshare -m) where
#   /etc/default   is a copy with a test /etc/default/ghostmemory, which
#                  points DAEMON at a copy of ./ghostmemory and gives it
#                  DAEMON_OPTS: a swap directory on a loop-mounted ext4
#                  image and --meminfo-file with a fixture at 25% free
#                  (no shortage, no surplus, not calm enough for a spare:
#                  the daemon has no reason to create anything);
#   /run           is an empty directory (pid file, status file; and no
#                  /run/systemd/system, so init-functions does not hand
#                  the script over to systemctl);
#   /dev           is a small tmpfs with null, zero, random, urandom and a
#                  /dev/log socket served by busybox syslogd, whose output
#                  shows the USR1 dump and the reload.
# Root only.
set -u
. tests/pkg/lib.sh
GM=${GM:-./ghostmemory}
CASES="init_start init_start_again init_status_running init_usr1
init_force_reload init_reload init_restart init_stop init_stop_again
init_status_stopped init_status_dead_pidfile init_start_stale_pidfile
init_bad_config init_no_stray_files"

# ---------------------------------------------------------------------
# Inner part: runs inside the private mount namespace.
# ---------------------------------------------------------------------
if [ "${1:-}" = --inner ]; then
	work=$2
	DAEMON=$work/sbin/ghostmemory
	SWAPDIR=$work/mnt/swap
	PIDFILE=/run/ghostmemory.pid
	SCRIPT=init.d/ghostmemory
	syslogd_pid=

	instances() {
		n=0
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/exe" 2>/dev/null)" = "$DAEMON" ] &&
				n=$((n + 1))
		done
		echo $n
	}
	daemon_pids() {
		for p in /proc/[0-9]*; do
			[ "$(readlink "$p/exe" 2>/dev/null)" = "$DAEMON" ] &&
				echo "${p#/proc/}"
		done
	}
	inner_cleanup() {
		for p in $(daemon_pids); do kill -TERM "$p" 2>/dev/null; done
		i=0
		while [ "$(instances)" -gt 0 ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		for p in $(daemon_pids); do kill -KILL "$p" 2>/dev/null; done
		[ -n "$syslogd_pid" ] && kill "$syslogd_pid" 2>/dev/null
		while read -r path rest; do
			case $path in "$work"/*) swapoff "$path" ;; esac
		done </proc/swaps
		for m in /dev /etc/default /run "$work/mnt"; do
			umount "$m" 2>/dev/null
		done
	}
	trap inner_cleanup EXIT
	trap 'exit 1' INT TERM

	setup_fail() {
		for n in $CASES; do fail "$n" "setup: $1"; done
		exit 1
	}
	mount -o loop "$work/ext4.img" "$work/mnt" || setup_fail "loop mount"
	mount --bind "$work/run" /run || setup_fail "bind /run"
	mount --bind "$work/default" /etc/default || setup_fail "bind /etc/default"
	mount -t tmpfs -o mode=0755,size=1m gm-dev /dev || setup_fail "tmpfs /dev"
	mknod -m 0666 /dev/null c 1 3 && mknod -m 0666 /dev/zero c 1 5 &&
		mknod -m 0666 /dev/random c 1 8 &&
		mknod -m 0666 /dev/urandom c 1 9 &&
		ln -s /proc/self/fd /dev/fd || setup_fail "device nodes"
	busybox syslogd -n -O "$work/syslog" -l 8 &
	syslogd_pid=$!
	i=0
	while [ ! -S /dev/log ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -S /dev/log ] || setup_fail "busybox syslogd made no /dev/log"

	# run NAME: the init script with ACTION; output in $work/NAME.out
	run() {
		_SYSTEMCTL_SKIP_REDIRECT=1 sh "$SCRIPT" "$2" >"$work/$1.out" 2>&1
	}
	why() {
		echo "exit $1, $(instances) instance(s): $(tail_of "$work/$2.out" 4)" \
			"syslog: $(tail_of "$work/syslog" 4)"
	}
	# wait_log PATTERN: up to 5 s for syslog to show it
	wait_log() {
		i=0
		while ! grep -q -e "$1" "$work/syslog" 2>/dev/null; do
			[ $i -ge 50 ] && return 1
			sleep 0.1
			i=$((i + 1))
		done
	}

	run start start
	rc=$?
	pid=$(cat "$PIDFILE" 2>/dev/null)
	if [ "$rc" -eq 0 ] && [ "$(instances)" -eq 1 ] &&
		[ "$(daemon_pids)" = "$pid" ]; then
		pass init_start
	else
		fail init_start "$(why $rc start)"
	fi

	run start_again start
	rc=$?
	if [ "$rc" -eq 0 ] && [ "$(instances)" -eq 1 ] &&
		[ "$(daemon_pids)" = "$pid" ]; then
		pass init_start_again
	else
		fail init_start_again "$(why $rc start_again)"
	fi

	run status status
	rc=$?
	# More than "running": the daemon's own state lines (--status).
	if [ "$rc" -eq 0 ] && grep -q "running" "$work/status.out" &&
		grep -q "state=[a-z]* seconds_in_state=" "$work/status.out"; then
		pass init_status_running
	else
		fail init_status_running "$(why $rc status)"
	fi

	# USR1 through the pid file: a state dump in syslog, daemon lives on.
	if kill -USR1 "$(cat "$PIDFILE")" && wait_log 'ghostmemory.*dump state=' &&
		[ "$(daemon_pids)" = "$pid" ]; then
		pass init_usr1
	else
		fail init_usr1 "no dump in syslog or daemon gone: $(tail_of "$work/syslog" 6)"
	fi

	run force_reload force-reload
	rc=$?
	if [ "$rc" -eq 0 ] && wait_log 'ghostmemory.*configuration reloaded' &&
		[ "$(daemon_pids)" = "$pid" ]; then
		pass init_force_reload
	else
		fail init_force_reload "$(why $rc force_reload)"
	fi

	run reload reload
	rc=$?
	if [ "$rc" -eq 0 ] && [ "$(daemon_pids)" = "$pid" ]; then
		pass init_reload
	else
		fail init_reload "$(why $rc reload)"
	fi

	run restart restart
	rc=$?
	newpid=$(cat "$PIDFILE" 2>/dev/null)
	if [ "$rc" -eq 0 ] && [ "$(instances)" -eq 1 ] &&
		[ "$(daemon_pids)" = "$newpid" ] && [ "$newpid" != "$pid" ]; then
		pass init_restart
	else
		fail init_restart "old pid $pid, new $newpid: $(why $rc restart)"
	fi

	run stop stop
	rc=$?
	if [ "$rc" -eq 0 ] && [ "$(instances)" -eq 0 ] && [ ! -e "$PIDFILE" ]; then
		pass init_stop
	else
		fail init_stop "$(why $rc stop)"
	fi

	run stop_again stop
	rc=$?
	if [ "$rc" -eq 0 ] && [ "$(instances)" -eq 0 ]; then
		pass init_stop_again
	else
		fail init_stop_again "$(why $rc stop_again)"
	fi

	run status_stopped status
	rc=$?
	if [ "$rc" -eq 3 ]; then
		pass init_status_stopped
	else
		fail init_status_stopped "want 3: $(why $rc status_stopped)"
	fi

	# A pid file left by a killed daemon: status 1, and start still works.
	sh -c 'exit 0' &
	dead=$!
	wait $dead
	echo "$dead" >"$PIDFILE"
	run status_dead status
	rc=$?
	if [ "$rc" -eq 1 ]; then
		pass init_status_dead_pidfile
	else
		fail init_status_dead_pidfile "want 1: $(why $rc status_dead)"
	fi
	run start_stale start
	rc=$?
	pid=$(cat "$PIDFILE" 2>/dev/null)
	if [ "$rc" -eq 0 ] && [ "$(instances)" -eq 1 ] &&
		[ "$(daemon_pids)" = "$pid" ] && run stop_stale stop &&
		[ "$(instances)" -eq 0 ]; then
		pass init_start_stale_pidfile
	else
		fail init_start_stale_pidfile "$(why $rc start_stale)"
	fi

	# A bad option: start fails with LSB 6 (not configured), nothing runs.
	cp /etc/default/ghostmemory "$work/good-default"
	echo 'DAEMON_OPTS="$DAEMON_OPTS --lower_freelimit=abc"' >>/etc/default/ghostmemory
	run bad start
	rc=$?
	cp "$work/good-default" /etc/default/ghostmemory
	if [ "$rc" -eq 6 ] && [ "$(instances)" -eq 0 ]; then
		pass init_bad_config
	else
		fail init_bad_config "want 6: $(why $rc bad)"
	fi

	# The daemon had no reason to make a file: none may be there.
	stray=$(ls -A "$SWAPDIR" 2>/dev/null)
	inswaps=$(grep -c "^$work/" /proc/swaps)
	if [ -d "$SWAPDIR" ] && [ -z "$stray" ] && [ "$inswaps" -eq 0 ]; then
		pass init_no_stray_files
	else
		fail init_no_stray_files "swap dir: [$stray], /proc/swaps: $inswaps"
	fi
	exit 0
fi

# ---------------------------------------------------------------------
# Outer part: checks, workspace, then the inner part in a namespace.
# ---------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || skip_all "needs root (mount namespace, loop device)"
[ -x "$GM" ] || skip_all "no $GM (run make)"
[ -r /lib/lsb/init-functions ] || skip_all "no /lib/lsb/init-functions"
miss=$(missing_tools unshare mount umount mknod mkfs.ext4 start-stop-daemon \
	busybox swapoff truncate)
[ -n "$miss" ] && skip_all "missing $miss"

work=$(mktemp -d /tmp/gm-initscript.XXXXXX)
DAEMON=$work/sbin/ghostmemory
cleanup() {
	# The namespace is gone with its last process; make sure no daemon
	# of ours (which would keep it alive) survived.
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$DAEMON" ] &&
			kill -KILL "${p#/proc/}" 2>/dev/null
	done
	while read -r path rest; do
		case $path in "$work"/*) swapoff "$path" ;; esac
	done </proc/swaps
	if grep -q " $work/" /proc/mounts; then
		echo "# cleanup: mounts left under $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir -p "$work/sbin" "$work/mnt" "$work/run" "$work/default"
cp "$GM" "$DAEMON"
chmod 0755 "$DAEMON"
cp -a /etc/default/. "$work/default/"
cat >"$work/meminfo" <<'EOF'
MemTotal:        4000000 kB
MemFree:         1000000 kB
MemAvailable:    1000000 kB
Buffers:           10000 kB
Cached:           100000 kB
SwapCached:            0 kB
Dirty:                 0 kB
Writeback:             0 kB
Shmem:              1000 kB
SwapTotal:             0 kB
SwapFree:              0 kB
EOF
cat >"$work/default/ghostmemory" <<EOF
# written by tests/pkg/t_initscript.sh
DAEMON=$DAEMON
DAEMON_OPTS="-v -c /dev/null -s $work/mnt/swap --meminfo-file=$work/meminfo"
EOF
if ! truncate -s 64M "$work/ext4.img" ||
	! mkfs.ext4 -q -F "$work/ext4.img" >"$work/mkfs.log" 2>&1; then
	for n in $CASES; do fail "$n" "mkfs.ext4: $(tail_of "$work/mkfs.log")"; done
	exit 0
fi

unshare --mount --propagation private sh tests/pkg/t_initscript.sh --inner "$work"
