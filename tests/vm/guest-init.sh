#!/bin/sh
# /init of the qemu guest (busybox sh).  Reads gm.* parameters from the
# kernel command line, runs one scenario and prints machine-readable lines
# on the serial console, then powers off.  Lines the host parses:
#   GMRESULT key=value ...   facts the host script checks
#   GMFILE path=.. size=.. mode=.. uid=.. active=0|1 sig=..
#   WORKLOAD result=ok|killed|enomem|corrupt ...   (one per workload run)
#   GMLOG <line>             the daemon's log, dumped at the end
# Parameters (gm.NAME=VALUE; commas in gm.args become spaces):
#   scenario  run|shrink|diet|restart|initscript|swapoff_slow|swapoff_oom|
#             bigalloc|standby_small|idlecost|commit|zram|nfs_*|
#             unit32|bench (default run)
#   calm      idlecost: seconds of calm before the first look (30)
#   disk      none: no /dev/vda to mount (a diskless guest)
#   daemon    none|static|swapspace|ghostmemory      (default none)
#   mb rate hold   workload size (MiB), rate (MiB/s, 0 = max), hold (s)
#   fs        ext4|xfs|btrfs (what the host formatted /dev/vda with)
#   cooldown  ghostmemory --cooldown (default 600)
#   args      extra ghostmemory options
#   timeout   seconds before the guest gives up and powers off
#   sample_ms sampler interval (default 50)
#   procs     swapoff_*: how many bystanders hold mb MiB between them (1)
#   push      swapoff_slow: the workload that pushes the bystander out (MiB)
#   swapsize  swapoff_*: --swapsize and --max_swapsize of the daemon
#             (default 256m)
#   keep      shrink: active files of ours that may stay (default 0)
#   step interval  commit: MiB per step, ms between steps (16, 200)
#   zram_mb   zram: size of /dev/zram0 (default: MemTotal), priority 100
#   fill      workload pages: byte (default) or half (half random)
#   without   zram, commit: 1 = run the workload once before the daemon
#             starts (wl name=without), then again with it (name=main)
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
P_swapsize=256m P_push=128 P_procs=1 P_keep=0 P_calm=30 P_step=16
P_interval=200 P_zram_mb= P_fill=byte P_without=0
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
export WORKLOAD_FILL=$P_fill

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
while [ "${P_disk:-}" != none ] && [ ! -b /dev/vda ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
# gm.disk=none: a diskless guest (the NFS client).
if [ "${P_disk:-}" != none ] &&
	! mount -t "$P_fs" /dev/vda /var/lib 2>/tmp/mount.err; then
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

# zswap's state (zswap.enabled=1 on the command line turns it on): what
# its pool holds, from debugfs (Debian 12's kernel has no Zswap line).
zswap_report() {
	zd=/sys/kernel/debug/zswap
	[ -d $zd ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	result "zswap enabled=$(cat /sys/module/zswap/parameters/enabled 2>/dev/null) stored_pages=$(cat $zd/stored_pages 2>/dev/null) pool_total_size=$(cat $zd/pool_total_size 2>/dev/null) written_back_pages=$(cat $zd/written_back_pages 2>/dev/null) status_line=$(grep '^zswap=' /run/ghostmemory/status 2>/dev/null | tr ' ' ',')"
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

# wait_shrunk SECONDS T0: wait until the scenario's gone() holds, then
# say shrunk=1 with the ms since T0 (and let the files settle), or
# shrunk=0 when SECONDS ran out.
# A file a shrink turns off stays on disk, off, for a minute or more
# (kept_s= in the status file), then goes: gone also means none is kept.
kept_none() { ! grep -q ' kept_s=' /run/ghostmemory/status 2>/dev/null; }
wait_shrunk() {
	if wait_for "$1" gone && wait_for 150 kept_none; then
		result "shrunk=1 after_ms=$(($(now_ms) - $2))"
		sleep 3
	else
		result "shrunk=0"
	fi
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

# run_wl NAME MB RATE HOLD [CHECK_EVERY]: one workload in the foreground
# (checking every CHECK_EVERY-th page, default 8); prints its
# WORKLOAD line (or a made-up one when it was killed) and a GMRESULT.
run_wl() {
	t0=$(now_ms)
	# W_SINGLE=single: the whole size in one mapping (bigalloc).
	(oom0 /bin/workload ${W_SINGLE:-} "$2" "$3" "$4" ${5:-}) >/tmp/wl.$1 2>>/tmp/wl.err
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

# The swapoff scenarios: the daemon reads its memory figures from a
# fixture (--meminfo_file) that the scenario rewrites, so a shortage or a
# surplus comes when the scenario says, whatever the guest really has.
# Free figure: (MemAvailable + SwapFree) / (MemTotal + SwapTotal).
MI=/tmp/meminfo.fixture
fixture() {
	case "$1" in
	short) fx_a=419430 fx_s=0 ;;          # 8 % free: grow
	steady) fx_a=1887436 fx_s=471859 ;;   # 45 %: nothing to do
	surplus) fx_a=3774873 fx_s=1048576 ;; # 92 %: shrink after the cooldown
	esac
	printf 'MemTotal: 4194304 kB\nMemFree: %s kB\nMemAvailable: %s kB\nSwapTotal: 1048576 kB\nSwapFree: %s kB\n' \
		"$fx_a" "$fx_a" "$fx_s" >$MI.new && mv $MI.new $MI
	say "fixture $1 at $(now_ms) ms"
}

# How many of our files /proc/swaps lists; the first of them; a file's
# Used (KiB, empty when it is not active).
ours_active() { grep -c "^$SWAPDIR/" /proc/swaps; }
ours_at_least() { [ "$(ours_active)" -ge "$1" ]; }
first_ours() { awk -v d="$SWAPDIR/" 'index($1, d) == 1 { print $1; exit }' /proc/swaps; }
used_kb() { awk -v f="$1" '$1 == f { print $4 }' /proc/swaps; }
swap_kb() { awk '/^VmSwap:/ { print $2 }' /proc/$1/status 2>/dev/null; }

# The children of a process (the daemon's swapoff child), by /proc.
children_of() {
	for cs in /proc/[0-9]*/stat; do
		{ read -r c_pid c_comm c_st c_ppid c_rest <"$cs"; } 2>/dev/null || continue
		[ "$c_ppid" = "$1" ] && [ "$c_st" != Z ] && echo "$c_pid"
	done
}

# swapoff_running POINT: print one GMRESULT line saying whether the
# swapoff of $F1 is still running: the file still active with pages in
# it, the daemon's status naming it as the file being retired, and the
# daemon's child (the swapoff) alive.  True when it is.
swapoff_running() {
	sr_used=$(used_kb "$F1")
	sr_child=$(children_of "$GM_PID" | head -n 1)
	sr_comm=none
	[ -n "$sr_child" ] && sr_comm=$(cat /proc/$sr_child/comm 2>/dev/null)
	sr_ret=$(grep -c "^retiring file=$F1\$" /run/ghostmemory/status 2>/dev/null)
	sr_run=0
	[ "${sr_used:-0}" -gt 0 ] && [ -n "$sr_child" ] && [ "${sr_ret:-0}" -ge 1 ] && sr_run=1
	result "running point=$1 running=$sr_run used_kb=${sr_used:-none} retiring=${sr_ret:-0} child=${sr_child:-none} comm=${sr_comm:-none} at_ms=$(now_ms)"
	[ "$sr_run" = 1 ]
}

# bystanders_start N MB: N processes holding MB MiB between them (a
# swapoff looks at a fatal signal only between address spaces, so one
# big process would make it deaf to SIGKILL until all its pages are in);
# waits until every one has touched its pages.
bystanders_start() {
	BY_PIDS=
	bs_i=0
	while [ $bs_i -lt "$1" ]; do
		bs_i=$((bs_i + 1))
		(oom0 /bin/workload $(($2 / $1)) 0 100000) >/tmp/wl.by$bs_i \
			2>/tmp/wl.by$bs_i.err &
		BY_PIDS="$BY_PIDS $!"
	done
	bs_done() { [ "$(cat /tmp/wl.by*.err | grep -c allocated)" -ge "$1" ]; }
	wait_for 180 bs_done "$1"
}
bystanders_alive() {
	ba_n=0
	for ba_p in $BY_PIDS; do
		kill -0 "$ba_p" 2>/dev/null && ba_n=$((ba_n + 1))
	done
	echo "$ba_n"
}
bystanders_swap_kb() {
	bw_kb=0
	for bw_p in $BY_PIDS; do
		bw_kb=$((bw_kb + $(swap_kb "$bw_p" || echo 0)))
	done
	echo "$bw_kb"
}

# gm_fixture_start LOG: the daemon on the fixture, one file at a time,
# no warm spare, polling at least every 500 ms.
gm_fixture_start() {
	P_args="$P_args --meminfo_file=$MI --swapsize=$P_swapsize --max_swapsize=$P_swapsize --spare=no --poll_max_ms=500"
	gm_start "$1"
}

# surplus_swapoff KEY POINT SECONDS: the fixture says surplus; wait up
# to SECONDS for the swapoff of $F1 (swapoff_running POINT), then say
# "KEY=1 after_ms=N" or "KEY=0".
surplus_swapoff() {
	fixture surplus
	ss_t0=$(now_ms)
	if wait_for "$3" swapoff_running "$2" >/dev/null; then
		result "$1=1 after_ms=$(($(now_ms) - ss_t0))"
	else
		result "$1=0"
	fi
}

# first_file_bystanders: the daemon (gm_fixture_start) grows its first
# file, F1, on a shortage; memory is then steady, and the bystanders
# ($P_procs of them, $P_mb MiB between them) start.
first_file_bystanders() {
	fixture short
	gm_fixture_start /tmp/daemon.log
	wait_for 120 ours_at_least 1 || result "no_first_file=1"
	fixture steady
	F1=$(first_ours)
	result "first_file path=${F1:-none}"
	bystanders_start "$P_procs" "$P_mb"
}

# wait_ms MS COMMAND...: poll every 50 ms until COMMAND succeeds.
wait_ms() {
	wm_end=$(($(now_ms) + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$(now_ms)" -ge "$wm_end" ] && return 1
		sleep 0.05
	done
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
	zswap_report
	# Gone = no more than gm.keep active areas of ours (1: the floor of
	# standby=active).  What is left in the directory is reported for
	# the host to judge.
	gone() { [ "$(ours_active)" -le "$P_keep" ]; }
	wait_shrunk $((P_cooldown * 6 + 60)) "$t0"
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
swapoff_slow)
	# A swapoff that takes many seconds (the bystander's pages in one
	# file, the disk's reads throttled by the host): meanwhile the daemon
	# answers --status and SIGUSR1, grows on a shortage, and stops on
	# SIGTERM with the file still active; the next start adopts it.
	first_file_bystanders
	# A second workload pushes the bystander's (older) pages out to the
	# file, and goes: its own slots are freed, the bystander's stay.
	run_wl push "$P_push" 0 1
	sleep 1
	result "loaded used_kb=$(used_kb "$F1") by_swap_kb=$(bystanders_swap_kb) files=$(ours_active) memavail_kb=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)"
	surplus_swapoff swapoff_started start 60
	# (a) --status and the USR1 dump, while the swapoff runs.
	swapoff_running a
	CHILD_A=$sr_child
	t=$(now_ms)
	ghostmemory --status >/tmp/status.a 2>&1
	rc=$?
	st_ms=$(($(now_ms) - t))
	age=$(($(date +%s) - $(stat -c %Y /run/ghostmemory/status 2>/dev/null || echo 0)))
	result "status rc=$rc ms=$st_ms file_age_s=$age retiring=$(grep -c '^retiring file=' /tmp/status.a) lists_f1=$(grep -c "^file=$F1 .*active=1" /tmp/status.a)"
	sed 's/^/GMLOG status.a: /' /tmp/status.a
	dumps() { grep -c ': dump counters' /tmp/daemon.log; }
	n0=$(dumps)
	dumped() { [ "$(dumps)" -gt "$n0" ]; }
	t=$(now_ms)
	kill -USR1 "$GM_PID"
	wait_ms 5000 dumped
	result "dump seen=$(dumped && echo 1 || echo 0) ms=$(($(now_ms) - t)) retiring=$(grep -c ': dump retiring file=' /tmp/daemon.log)"
	swapoff_running a_after
	# (b) a shortage during the swapoff.  The kernel lists a new area
	# at once but holds swapon(2) until a running swapoff ends, so the
	# daemon ends the swapoff (its file stays active) and grows.
	added() { grep -c 'added swap file' /tmp/daemon.log; }
	n0=$(added) f0=$(ours_active)
	grown() { [ "$(added)" -gt "$n0" ]; }
	kernel_on() { ours_at_least $((f0 + 1)); }
	fixture short
	t=$(now_ms)
	wait_for 120 kernel_on
	result "grow_kernel seen=$(kernel_on && echo 1 || echo 0) ms=$(($(now_ms) - t)) files=$(ours_active)"
	wait_for 120 grown
	result "grow seen=$(grown && echo 1 || echo 0) ms=$(($(now_ms) - t)) files_before=$f0 files_after=$(ours_active)"
	fixture steady
	sleep 1
	ghostmemory --status >/tmp/status.b 2>&1
	result "after_grow f1_used_kb=$(used_kb "$F1") child_left=$(children_of "$GM_PID" | wc -l) lists_f1=$(grep -c "^file=$F1 .*active=1" /tmp/status.b) active_files=$(grep '^files=' /tmp/status.b | sed 's/.* active=\([0-9]*\).*/\1/')"
	sed 's/^/GMLOG status.b: /' /tmp/status.b
	# The surplus again: the new (empty) files go first, then the
	# swapoff of the first file is retried.
	surplus_swapoff retried retry 120
	# (c) SIGTERM during the (retried) swapoff.
	swapoff_running c
	CHILD_C=$sr_child
	sleep 1
	swapoff_running c_after
	result "same_child c=${CHILD_C:-none} c_after=${sr_child:-none} a=${CHILD_A:-none} same=$([ -n "$CHILD_C" ] && [ "$CHILD_C" = "$sr_child" ] && echo 1 || echo 0)"
	t=$(now_ms)
	kill -TERM "$GM_PID"
	gone() { ! kill -0 "$GM_PID" 2>/dev/null; }
	wait_ms 20000 gone
	result "term exited=$(gone && echo 1 || echo 0) ms=$(($(now_ms) - t)) child_left=$(children_of "$GM_PID" | wc -l) child_state=$(awk '{ print $3 }' /proc/${CHILD_C:-0}/stat 2>/dev/null || echo gone)"
	wait "$GM_PID"
	fixture steady
	result "after_term f1_active=$(grep -c "^$F1 " /proc/swaps) f1_used_kb=$(used_kb "$F1") files=$(ours_active) exists=$([ -e "$F1" ] && echo 1 || echo 0)"
	TAG=stopped
	files_report "$SWAPDIR"
	# (d) the next start adopts it.
	gm_start /tmp/daemon2.log
	GM2_PID=$GM_PID
	sleep 3
	ghostmemory --status >/tmp/status.d 2>&1
	result "restart adopted=$(grep -c "adopted active swap file $F1" /tmp/daemon2.log) lists_f1=$(grep -c "^file=$F1 .*active=1" /tmp/status.d) f1_active=$(grep -c "^$F1 " /proc/swaps) daemon_alive=$(alive "$GM2_PID")"
	sed 's/^/GMLOG status.d: /' /tmp/status.d
	result "bystanders alive=$(bystanders_alive) of=$P_procs"
	kill -TERM "$GM2_PID"
	wait "$GM2_PID"
	# Exiting frees the bystander's slots without reading them back.
	kill -9 $BY_PIDS
	;;
swapoff_oom)
	# A swapoff that cannot fit: the bystander holds more than the RAM,
	# most of it in our one file, and the fixture says there is plenty
	# so the daemon swaps it off.  The OOM killer must take the swapoff
	# (the kernel marks it the first victim) and no one else; the file
	# stays active and counted, the daemon retries later.
	first_file_bystanders
	sleep 1
	all_alive() { [ "$(bystanders_alive)" = "$P_procs" ] && echo 1 || echo 0; }
	result "loaded used_kb=$(used_kb "$F1") by_swap_kb=$(bystanders_swap_kb) files=$(ours_active) memtotal_kb=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo) memavail_kb=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)"
	failed() { grep -c 'swapoff .* and is retried later' /tmp/daemon.log; }
	# Note every child the daemon forks (the swapoffs, each short-lived
	# here) from the children files of its threads, every 50 ms.
	: >/tmp/children
	(
		while :; do
			for c in $(cat /proc/$GM_PID/task/*/children 2>/dev/null); do
				grep -qx "$c" /tmp/children ||
					{ echo "$c" >>/tmp/children; say "child $c comm=$(cat /proc/$c/comm 2>/dev/null)"; }
			done
			sleep 0.05
		done
	) &
	WATCH_PID=$!
	watch_children() { test "$(failed)" -ge "$1"; }
	fixture surplus
	t0=$(now_ms)
	wait_for 240 watch_children 1
	result "first_failure seen=$([ "$(failed)" -ge 1 ] && echo 1 || echo 0) after_ms=$(($(now_ms) - t0))"
	sleep 2
	result "after_failure daemon_alive=$(alive "$GM_PID") bystander_alive=$(all_alive) bystanders=$(bystanders_alive) f1_active=$(grep -c "^$F1 " /proc/swaps) f1_used_kb=$(used_kb "$F1") by_swap_kb=$(bystanders_swap_kb)"
	ghostmemory --status >/tmp/status.a 2>&1
	result "status lists_f1=$(grep -c "^file=$F1 .*active=1" /tmp/status.a) $(grep '^counters' /tmp/status.a | tr ' ' '\n' | grep failures_swapoff)"
	sed 's/^/GMLOG status.a: /' /tmp/status.a
	kill -USR1 "$GM_PID"
	sleep 2
	result "dump lists_f1=$(grep -c ": dump file=$F1 .*active=1" /tmp/daemon.log)"
	# The retry, after another cooldown of surplus.
	t0=$(now_ms)
	wait_for 90 watch_children 2
	result "retry seen=$([ "$(failed)" -ge 2 ] && echo 1 || echo 0) after_ms=$(($(now_ms) - t0))"
	fixture steady
	sleep 2
	kill "$WATCH_PID"
	result "end daemon_alive=$(alive "$GM_PID") bystander_alive=$(all_alive) bystanders=$(bystanders_alive) f1_active=$(grep -c "^$F1 " /proc/swaps) children=$(tr '\n' , </tmp/children)"
	# The bystanders check their pages (back through the file the kernel
	# put back after each failed swapoff) and exit.
	kill -USR1 $BY_PIDS
	ok=0 k=0
	for b in $BY_PIDS; do
		k=$((k + 1))
		wait "$b"
		wl_report by$k $((P_mb / P_procs)) 0 $? 0
		grep -q 'result=ok .*bad_pages=0' /tmp/wl.by$k && ok=$((ok + 1))
	done
	result "bystanders_check ok=$ok of=$P_procs"
	kill -TERM "$GM_PID"
	wait "$GM_PID"
	dmesg | grep -E 'invoked oom-killer|oom-kill:|Killed process|reaped process' |
		sed 's/^/GMOOM /'
	;;
bigalloc)
	# Issue 17: one allocation of RAM + swapsize/2 (swapsize=auto: twice
	# the RAM, so 2 x MemTotal) in a single mapping.  The kernel's
	# heuristic overcommit refuses it at once unless that much swap is
	# on: with standby=none it must fail (no pressure for the daemon to
	# see), with the default standby=active it must succeed.
	mt_kb=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)
	sw_mb=$((mt_kb * 2 / 1024))
	[ "$sw_mb" -gt 2048 ] && sw_mb=2048
	big=$((mt_kb / 1024 + sw_mb / 2))
	result "bigalloc memtotal_kb=$mt_kb swapsize_mb=$sw_mb big_mb=$big"
	W_SINGLE=single
	P_args0=$P_args
	P_args="$P_args0 --standby=none"
	gm_start /tmp/daemon.log
	sleep 2
	TAG=none
	files_report "$SWAPDIR"
	run_wl none "$big" 0 1
	result "none_daemon_alive=$(alive "$GM_PID")"
	kill -TERM "$GM_PID"
	wait "$GM_PID"
	P_args=$P_args0
	gm_start /tmp/daemon2.log
	wait_for 60 ours_at_least 1 || result "no_standby=1"
	TAG=active
	files_report "$SWAPDIR"
	ghostmemory --status >/tmp/status.a 2>&1
	result "standby_status $(grep '^standby=' /tmp/status.a)"
	result "swaps_before active=$(ours_active) swap_total_kb=$(awk '/^SwapTotal/ { print $2 }' /proc/meminfo)"
	start_sampler
	run_wl active "$big" 0 1
	result "active_daemon_alive=$(alive "$GM_PID")"
	TAG=end
	files_report "$SWAPDIR"
	;;
standby_small)
	# Issue 17: standby=small holds a spare no larger than the bound the
	# daemon reports, at start and again after a workload and the
	# cooldown, and the workload (2 x RAM at a fast rate) survives; then
	# the same from that spare again as fast as it can.
	start_sampler
	gm_start /tmp/daemon.log
	spare_there() { [ "$(ls "$SWAPDIR" 2>/dev/null | wc -l)" -ge 1 ] && ! grep -q "^$SWAPDIR/" /proc/swaps; }
	wait_for 30 spare_there || result "no_spare=1"
	sleep 1
	idle_report() {
		ghostmemory --status >/tmp/status.$TAG 2>&1
		sed "s/^/GMLOG status.$TAG: /" /tmp/status.$TAG
		held=0
		for f in "$SWAPDIR"/*; do
			[ -f "$f" ] && held=$((held + $(stat -c %s "$f") / 1024))
		done
		st=$(grep '^standby=' /tmp/status.$TAG)
		result "idle tag=$TAG held_kb=$held $st"
		files_report "$SWAPDIR"
	}
	TAG=start idle_report
	run_wl main "$P_mb" "$P_rate" "$P_hold"
	t0=$(now_ms)
	# Calm again: none of our files on, none kept by a shrink (a
	# minute after the last), and the spare made again.
	calm_again() { ! grep -q "^$SWAPDIR/" /proc/swaps && kept_none && spare_there; }
	if wait_for $((P_cooldown * 8 + 150)) calm_again; then
		result "calm_again=1 after_ms=$(($(now_ms) - t0))"
		sleep 1
	else
		result "calm_again=0"
	fi
	result "daemon_alive=$(alive "$GM_PID")"
	TAG=after idle_report
	run_wl fast "$P_mb" 0 "$P_hold"
	;;
idlecost)
	# The bench's standby cells (issue 17): disk held while calm, after
	# P_calm s at start and again after a workload and the cooldown, and
	# whether one allocation of RAM + swapsize/2 (swapsize=auto: 2 x RAM,
	# at most 2 GiB) succeeds.
	held_kb() {
		if [ "$P_daemon" = static ]; then
			echo $(($(stat -c %s /var/lib/swapfile 2>/dev/null || echo 0) / 1024))
			return
		fi
		hk=0
		for f in "$SWAPDIR"/*; do
			[ -f "$f" ] && hk=$((hk + $(stat -c %s "$f") / 1024))
		done
		echo "$hk"
	}
	mt_kb=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)
	sw_mb=$((mt_kb * 2 / 1024))
	[ "$sw_mb" -gt 2048 ] && sw_mb=2048
	start_daemon
	sleep "$P_calm"
	result "held tag=start kb=$(held_kb)"
	start_sampler
	W_SINGLE=single run_wl big $((mt_kb / 1024 + sw_mb / 2)) 0 1
	W_SINGLE= run_wl main "$P_mb" "$P_rate" "$P_hold"
	t0=$(now_ms)
	sleep $((P_cooldown * 4 + 10))
	# A file a shrink turned off is kept a minute (or the surplus wait
	# if longer) for a grow, then deleted: held after means after that.
	wait_for 150 kept_none
	result "held_wait ms=$(($(now_ms) - t0))"
	[ -n "$GM_PID" ] && result "daemon_alive=$(alive "$GM_PID")"
	result "held tag=after kb=$(held_kb)"
	;;
zram)
	# zram of the RAM's size at priority 100 (zram-tools' defaults on
	# small boards), then the workload.  Every 500 ms: zram's use, the
	# daemon's files and its free figure (GMINFO zram ...).
	export WORKLOAD_FILL=$P_fill
	[ -n "$P_zram_mb" ] || P_zram_mb=$(($(awk '/^MemTotal/ { print $2 }' /proc/meminfo) / 1024))
	if [ -b /dev/zram0 ] && echo "${P_zram_mb}M" >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null && workload swapon /dev/zram0 100; then
		result "zram_setup ok=1 mb=$P_zram_mb"
	else
		result "setup=fail why=zram"
	fi
	start_sampler
	zram_used() { awk '$1 == "/dev/zram0" { print $4 }' /proc/swaps; }
	kills() { dmesg | grep -c 'Killed process'; }
	if [ "$P_without" = 1 ]; then
		run_wl without "$P_mb" "$P_rate" "$P_hold"
		result "zram_without kills=$(kills) used_kb=$(zram_used)"
		sleep 2
	fi
	k0=$(kills)
	start_daemon
	(
		while :; do
			say "zram t_ms=$(now_ms) zram_used_kb=$(zram_used) files=$(grep -c "^$SWAPDIR/" /proc/swaps) $(grep '^free_kb=' /run/ghostmemory/status 2>/dev/null) $(grep '^free_pct=' /run/ghostmemory/status 2>/dev/null | cut -d' ' -f1) $(grep '^zram ' /run/ghostmemory/status 2>/dev/null | tr ' ' '\n' | grep -E '^(counted_kb|ratio)=' | sed 's/^/zram_/' | tr '\n' ' ')"
			sleep 0.5
		done
	) 2>/dev/null &
	FIGS_PID=$!
	run_wl main "$P_mb" "$P_rate" "$P_hold"
	kill "$FIGS_PID"
	sleep 1
	result "oom_main kills=$(($(kills) - k0))"
	[ -n "$GM_PID" ] && result "daemon_alive=$(alive "$GM_PID")"
	# The lowest priority of our files against zram's.
	result "zram_end used_kb=$(zram_used) size_kb=$(awk '$1 == "/dev/zram0" { print $3 }' /proc/swaps) file_prio_max=$(awk -v d="$SWAPDIR/" 'index($1, d) == 1 { if (m == "" || $5 > m) m = $5 } END { print (m == "" ? "none" : m) }' /proc/swaps) orig_b=$(awk '{ print $1 }' /sys/block/zram0/mm_stat) mem_used_b=$(awk '{ print $3 }' /sys/block/zram0/mm_stat)"
	TAG=end
	files_report "$SWAPDIR"
	;;
commit)
	# Strict overcommit: a program commits mb MiB without touching it,
	# step MiB every interval ms; malloc fails once Committed_AS reaches
	# CommitLimit, and only added swap raises that.  The commit figures
	# are noted every 500 ms (GMINFO commit ...).
	commit_figs() {
		awk '/^CommitLimit:/ { l = $2 } /^Committed_AS:/ { c = $2 }
			END { printf "commit_limit_kb=%d committed_kb=%d\n", l, c }' /proc/meminfo
	}
	echo 2 >/proc/sys/vm/overcommit_memory
	result "overcommit mode=$(cat /proc/sys/vm/overcommit_memory) ratio=$(cat /proc/sys/vm/overcommit_ratio) $(commit_figs)"
	if [ "$P_without" = 1 ]; then
		t0=$(now_ms)
		(oom0 /bin/workload commit "$P_mb" "$P_step" "$P_interval") >/tmp/wl.without 2>>/tmp/wl.err
		wl_report without "$P_mb" 0 $? $(($(now_ms) - t0))
	fi
	start_daemon
	sleep 3
	(
		while :; do
			say "commit t_ms=$(now_ms) $(commit_figs) swaps=$(grep -c "^$SWAPDIR/" /proc/swaps)"
			sleep 0.5
		done
	) 2>/dev/null &
	FIGS_PID=$!
	result "commit_start $(commit_figs)"
	t0=$(now_ms)
	(oom0 /bin/workload commit "$P_mb" "$P_step" "$P_interval") >/tmp/wl.main 2>>/tmp/wl.err
	wl_report main "$P_mb" 0 $? $(($(now_ms) - t0))
	kill "$FIGS_PID"
	result "commit_end $(commit_figs)"
	[ -n "$GM_PID" ] && result "daemon_alive=$(alive "$GM_PID")"
	# Back to the default so that the reports below can fork freely.
	echo 0 >/proc/sys/vm/overcommit_memory
	TAG=end
	files_report "$SWAPDIR"
	;;
bench)
	# bench/run.sh's zram and stress cells: bench/guest-bench.sh (the
	# bench puts it in).
	. /guest-bench.sh
	;;
nfs_*)
	# Swap on NFS: tests/vm/guest-nfs.sh (t_nfs.sh puts it in).
	. /guest-nfs.sh
	;;
unit32)
	# The i386 unit suite: tests/vm/guest-unit32.sh (t_unit32.sh).
	. /guest-unit32.sh
	;;
*)
	result "setup=fail why=unknown_scenario_$P_scenario"
	;;
esac
kill "$WATCHDOG_PID" 2>/dev/null
finish
