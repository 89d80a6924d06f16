#!/bin/sh
# /init of the qemu guest (busybox sh).  Reads gm.* parameters from the
# kernel command line, runs one scenario and prints machine-readable lines
# on the serial console, then powers off.  Lines the host parses:
#   GMRESULT key=value ...   facts the host script checks
#   GMFILE path=.. size=.. mode=.. uid=.. active=0|1 sig=..
#   WORKLOAD result=ok|killed|enomem|corrupt ...   (one per workload run)
#   GMLOG <line>             the daemon's log, dumped at the end
# Parameters (gm.NAME=VALUE; commas in gm.args become spaces):
#   scenario  run|shrink|diet|restart|initscript     (default run)
#   daemon    none|static|swapspace|ghostmemory      (default none)
#   mb rate hold   workload size (MiB), rate (MiB/s, 0 = max), hold (s)
#   fs        ext4|xfs|btrfs (what the host formatted /dev/vda with)
#   cooldown  ghostmemory --cooldown (default 600)
#   args      extra ghostmemory options
#   timeout   seconds before the guest gives up and powers off
#   sample_ms sampler interval (default 50)
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
umask 022

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /tmp /run /var/run /var/lib /var/log /etc
# The init process must not be chosen by the OOM killer's heuristics and
# neither must this shell's helpers: only the workload is fair game.
echo -1000 >/proc/self/oom_score_adj
echo

P_scenario=run P_daemon=none P_mb=512 P_rate=0 P_hold=2 P_fs=ext4
P_cooldown=600 P_args= P_timeout=600 P_sample_ms=50 P_lower=20 P_mb2=200
for w in $(cat /proc/cmdline); do
	case "$w" in
	gm.*=*)
		k=${w%%=*}
		k=${k#gm.}
		v=${w#*=}
		case "$k" in
		*[!a-z_]*) continue ;;
		esac
		eval "P_$k=\$v"
		;;
	esac
done
P_args=$(echo "$P_args" | tr ',' ' ')

say() { echo "GMINFO $*"; }
result() { echo "GMRESULT $*"; }
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

finish() {
	# Leave a record of everything worth seeing, then stop the machine.
	[ -n "${SAMPLER_PID:-}" ] && kill "$SAMPLER_PID" 2>/dev/null && sleep 1
	[ -f /tmp/sample ] && result "$(cat /tmp/sample)"
	dmesg | grep -E 'Killed process|Out of memory' | sed 's/^/GMKILL /'
	# When the OOM killer first struck, ms on the kernel log's clock.
	oom=$(dmesg | grep -m 1 'Killed process' | sed 's/^\[ *\([0-9]*\)\.\([0-9]\{3\}\).*/\1\2/')
	result "oom first_kill_ms=${oom:--1}"
	for f in /tmp/daemon.log /tmp/daemon2.log /tmp/syslog; do
		[ -s "$f" ] || continue
		# The start and the end of long logs (a flapping daemon).
		n=$(wc -l <"$f")
		if [ "$n" -gt 400 ]; then
			head -n 150 "$f"
			echo "... $((n - 400)) lines left out ..."
			tail -n 250 "$f"
		else
			cat "$f"
		fi | sed "s|^|GMLOG ${f#/tmp/}: |"
	done
	result "done=1"
	sync
	poweroff -f
	sleep 5
}

# The guest's own time limit; the host's timeout is the backstop.
( sleep "$P_timeout"; echo "GMRESULT guest_timeout=1"; finish ) &
WATCHDOG_PID=$!

# Modules, in dependency order (the host wrote the list).
while read -r m; do
	[ -n "$m" ] || continue
	insmod "/lib/modules/$m.ko" 2>/tmp/insmod.err ||
		say "insmod $m failed: $(cat /tmp/insmod.err)"
done </lib/modules/order

i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if ! mount -t "$P_fs" /dev/vda /var/lib 2>/tmp/mount.err; then
	result "setup=fail why=mount_$(tr ' ' _ </tmp/mount.err | head -c 120)"
	finish
fi
result "setup=ok fs=$P_fs kernel=$(uname -r) memtotal_kb=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)"

disk_report() {
	# df -k: size and available KiB of the filesystem holding the swap dir.
	set -- $(df -k /var/lib | tail -n 1)
	result "disk tag=$TAG size_kb=$2 used_kb=$3 avail_kb=$4"
}

files_report() {
	# One GMFILE line per entry of the swap directory.
	for f in "$1"/*; do
		[ -e "$f" ] || continue
		sz=$(stat -c %s "$f")
		mode=$(stat -c %a "$f")
		uid=$(stat -c %u "$f")
		type=$(stat -c %F "$f" | tr ' ' _)
		act=0
		grep -q "^$f " /proc/swaps && act=1
		sig=$(dd if="$f" bs=1 skip=4086 count=10 2>/dev/null | tr -c 'A-Z0-9' '.')
		echo "GMFILE path=$f size=$sz mode=$mode uid=$uid type=$type active=$act sig=$sig tag=$TAG"
	done
	result "files tag=$TAG dir=$1 count=$(ls "$1" 2>/dev/null | wc -l) active=$(grep -c "^$1/" /proc/swaps)"
}

start_sampler() {
	/bin/workload sample "$P_sample_ms" "$P_lower" /tmp/sample &
	SAMPLER_PID=$!
	echo -1000 >/proc/$SAMPLER_PID/oom_score_adj
}

wait_for() {
	# wait_for SECONDS COMMAND...: poll every 0.2 s until COMMAND succeeds.
	n=$(($1 * 5))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

gm_start() {
	# gm_start LOGFILE: ghostmemory in the foreground of a background job.
	(oom0 ghostmemory -v -c /dev/null --cooldown="$P_cooldown" $P_args) \
		>>"$1" 2>&1 &
	GM_PID=$!
	if wait_for 10 test -s /run/ghostmemory.pid; then
		result "daemon=started pid=$GM_PID"
	else
		result "daemon=nostart pid=$GM_PID alive=$(alive $GM_PID)"
	fi
}

# Run a program with the default OOM score (init's -1000 is inherited).
oom0() {
	echo 0 >/proc/self/oom_score_adj
	exec "$@"
}

alive() { kill -0 "$1" 2>/dev/null && echo 1 || echo 0; }

start_daemon() {
	case "$P_daemon" in
	none) ;;
	static)
		# The physical limit: 1 GiB of swap made before the workload.
		fallocate -l 1G /var/lib/swapfile && chmod 600 /var/lib/swapfile &&
			mkswap /var/lib/swapfile >/dev/null &&
			swapon /var/lib/swapfile ||
			result "setup=fail why=static_swapfile"
		SWAPDIR=/var/lib
		;;
	swapspace)
		# As Debian runs it (no self-protection), in the foreground.
		mkdir -p /var/lib/swapspace
		chmod 700 /var/lib/swapspace
		(oom0 swapspace -s /var/lib/swapspace -v) >>/tmp/daemon.log 2>&1 &
		GM_PID=$!
		SWAPDIR=/var/lib/swapspace
		sleep 1
		result "daemon=started pid=$GM_PID"
		;;
	ghostmemory)
		SWAPDIR=/var/lib/ghostmemory
		gm_start /tmp/daemon.log
		;;
	esac
}

# run_wl NAME MB RATE HOLD: one workload in the foreground; prints its
# WORKLOAD line (or a made-up one when it was killed) and a GMRESULT.
run_wl() {
	t0=$(now_ms)
	(oom0 /bin/workload "$2" "$3" "$4") >/tmp/wl.$1 2>>/tmp/wl.err
	rc=$?
	t1=$(now_ms)
	wl_report "$1" "$2" "$3" "$rc" $((t1 - t0))
}

wl_report() {
	if [ "$4" -gt 128 ]; then
		echo "WORKLOAD result=killed signal=$(($4 - 128)) mb=$2 rate=$3" >/tmp/wl.$1
	elif ! grep -q '^WORKLOAD ' /tmp/wl.$1; then
		echo "WORKLOAD result=error rc=$4 mb=$2 rate=$3" >/tmp/wl.$1
	fi
	cat /tmp/wl.$1
	set -- "$1" "$5" $(sed 's/^WORKLOAD //' /tmp/wl.$1)
	n=$1 w=$2
	shift 2
	result "wl name=$n wall_ms=$w $*"
}

TAG=start
SWAPDIR=/var/lib/ghostmemory
SAMPLER_PID=
GM_PID=
case "$P_scenario" in
run)
	# One workload against one kind of swap provider (tests 1-2, bench).
	start_sampler
	disk_report
	start_daemon
	run_wl main "$P_mb" "$P_rate" "$P_hold"
	sleep 1
	[ -n "$GM_PID" ] && result "daemon_alive=$(alive "$GM_PID")"
	TAG=end
	[ "$P_daemon" = static ] || files_report "$SWAPDIR"
	disk_report
	;;
shrink)
	# A bystander keeps some memory (and so some swapped pages) while the
	# big workload comes and goes; once the surplus has lasted the cooldown
	# the daemon must remove its files without killing anyone.
	start_sampler
	TAG=before disk_report
	gm_start /tmp/daemon.log
	(oom0 /bin/workload 40 0 100000) >/tmp/wl.bystander 2>&1 &
	BY_PID=$!
	run_wl main "$P_mb" "$P_rate" "$P_hold"
	t0=$(now_ms)
	result "after_workload swaps=$(grep -c "^$SWAPDIR/" /proc/swaps)"
	# Gone = no active swap area of ours.  An inactive file left in the
	# directory (a warm spare) is reported for the host to judge.
	gone() { ! grep -q "^$SWAPDIR/" /proc/swaps; }
	if wait_for $((P_cooldown * 6 + 60)) gone; then
		result "shrunk=1 after_ms=$(($(now_ms) - t0))"
		sleep 3
	else
		result "shrunk=0"
	fi
	TAG=after
	files_report "$SWAPDIR"
	result "bystander_alive=$(alive $BY_PID) daemon_alive=$(alive $GM_PID)"
	disk_report
	;;
diet)
	# The disk cannot hold what the workload wants.  The files and the
	# disk are looked at as soon as the daemon says it has no room, while
	# the pressure lasts, and again at the end.
	start_sampler
	TAG=before disk_report
	gm_start /tmp/daemon.log
	t0=$(now_ms)
	(oom0 /bin/workload "$P_mb" "$P_rate" "$P_hold") >/tmp/wl.main 2>>/tmp/wl.err &
	W_PID=$!
	noroom() { grep -q 'no room for a new swap file' /tmp/daemon.log; }
	if wait_for $((P_mb / (P_rate + 1) + 30)) noroom; then
		result "noroom_seen=1 after_ms=$(($(now_ms) - t0))"
		TAG=diet
		files_report "$SWAPDIR"
		disk_report
	else
		result "noroom_seen=0"
	fi
	wait "$W_PID"
	rc=$?
	wl_report main "$P_mb" "$P_rate" "$rc" $(($(now_ms) - t0))
	sleep 2
	result "daemon_alive=$(alive "$GM_PID")"
	TAG=end
	files_report "$SWAPDIR"
	disk_report
	;;
restart)
	# Kill -9 the daemon while its files are active, start it again: it
	# must adopt them and still add more when a second workload needs it.
	start_sampler
	gm_start /tmp/daemon.log
	(oom0 /bin/workload "$P_mb" "$P_rate" 45) >/tmp/wl.first 2>>/tmp/wl.err &
	A_PID=$!
	t0=$(now_ms)
	active() { grep -q "^$SWAPDIR/" /proc/swaps; }
	wait_for 60 active || result "no_active_file=1"
	sleep 2
	TAG=before
	files_report "$SWAPDIR"
	kill -9 "$GM_PID"
	sleep 1
	result "killed_daemon alive=$(alive "$GM_PID") active=$(grep -c "^$SWAPDIR/" /proc/swaps)"
	ls "$SWAPDIR" >/tmp/before_restart
	gm_start /tmp/daemon2.log
	GM2_PID=$GM_PID
	sleep 3
	missing=0
	for f in $(cat /tmp/before_restart); do
		[ -e "$SWAPDIR/$f" ] || missing=$((missing + 1))
	done
	result "after_restart_missing=$missing before=$(wc -l </tmp/before_restart)"
	TAG=restarted
	files_report "$SWAPDIR"
	run_wl second "$P_mb2" "$P_rate" 2
	wait "$A_PID"
	rc=$?
	wl_report first "$P_mb" "$P_rate" "$rc" $(($(now_ms) - t0))
	result "daemon_alive=$(alive "$GM2_PID")"
	TAG=end
	files_report "$SWAPDIR"
	;;
initscript)
	# The LSB init script, run by dash as on Debian (busybox's sh would
	# run its own start-stop-daemon applet instead of Debian's).
	syslogd -O /tmp/syslog
	SH=sh
	[ -x /bin/dash ] && SH=/bin/dash
	(oom0 $SH /etc/init.d/ghostmemory start) >/tmp/init.out 2>&1
	result "init_start_rc=$?"
	sleep 3
	pid=$(pidof ghostmemory)
	result "running_after_start=$([ -n "$pid" ] && echo 1 || echo 0) pid=${pid:-none}"
	$SH /etc/init.d/ghostmemory status >>/tmp/init.out 2>&1
	result "init_status_rc=$?"
	$SH /etc/init.d/ghostmemory stop >>/tmp/init.out 2>&1
	result "init_stop_rc=$?"
	sleep 2
	pid=$(pidof ghostmemory)
	result "running_after_stop=$([ -n "$pid" ] && echo 1 || echo 0)"
	$SH /etc/init.d/ghostmemory status >>/tmp/init.out 2>&1
	result "init_status_stopped_rc=$?"
	sed 's/^/GMLOG init: /' /tmp/init.out
	;;
*)
	result "setup=fail why=unknown_scenario_$P_scenario"
	;;
esac
kill "$WATCHDOG_PID" 2>/dev/null
finish
