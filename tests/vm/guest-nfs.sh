# Swap on NFS in the guest, sourced by guest-init.sh (busybox sh) for
# gm.scenario=nfs_server and nfs_client; t_nfs.sh boots the two guests,
# joined by one virtual link (10.0.0.1 the server, 10.0.0.2 the client).
#
# nfs_server: Debian's kernel nfsd with nfs-kernel-server's and
#   rpcbind's tools; exports, from the ext4 disk on /var/lib:
#     /var/lib/export/swap    rw,sync,no_root_squash   (the swap export)
#     /var/lib/export/squash  rw,sync,root_squash      (to be refused)
#   and reports its disk, and whether it holds the client's directory
#   lock, every 10 s until the client says it is done.
# nfs_client: no disk.  Mounts the swap export with NFSv4.2 (hard,
#   sec=sys) on /srv/swap, runs ghostmemory with swappath=/srv/swap/%H
#   (its default standby: one file on before the workload) and the
#   workload (gm.mb at gm.rate, 0 = as fast as it can), reports the
#   files (valid, active, not sparse), waits for the surplus to take
#   them back to the standby; the same again at gm.rate_second MiB/s
#   when it is given; stops the daemon and erases the rest; then
#   the refusals: a soft mount (exit 16), the squashing export (exit 18,
#   with a directory root may not enter and with one it may not make);
#   then NFSv3 with nolock: the write fallback and the lock warning.
# nfs_client with gm.tier=1 (nfs_tier_client): a small local disk (guest-init.sh mounts it on
#   /var/lib) and the swap export as two tiers (t_nfs_tier.sh), on a
#   memory fixture: a shortage makes a file on the local disk first, and
#   one on the export once the disk is full; the local file's priority is
#   above the export's, so a workload's pages go there; a surplus
#   removes both.
# Parameters (besides guest-init.sh's): gm.vthree=0 leaves NFSv3 out (the names
# of gm.* parameters have no digits); gm.vsize: the NFSv3 daemon's
# swapsize (512m); gm.vrate: twice the RAM at that rate on NFSv3, on
# its standby (no workload when unset);
# gm.part=survive stops after the NFSv4.2 run; gm.opts: the swap mount's
# options; gm.minfree: vm.min_free_kbytes; gm.debug=1: a line of memory
# figures every 2 s and hung-task reports after 20 s.
# shellcheck disable=SC2154 # P_* are set by guest-init.sh

SERVER=10.0.0.1

nfs_net() {
	ip link set lo up
	ip addr add "10.0.0.$1/24" dev eth0 &&
		ip link set eth0 up ||
		{ result "setup=fail why=no_eth0"; finish; }
	printf '127.0.0.1 localhost\n10.0.0.1 nfsserver\n10.0.0.2 clientb\n' >/etc/hosts
	ln -sf /proc/self/mounts /etc/mtab
}

nfs_server() {
	hostname nfsserver
	nfs_net 1
	mkdir -p /var/lib/export/swap /var/lib/export/squash/clientb \
		/var/lib/nfs/v4recovery /run/rpcbind /proc/fs/nfsd
	chmod 755 /var/lib/export /var/lib/export/swap /var/lib/export/squash
	# A directory made for the client by root, as an administrator would.
	chmod 700 /var/lib/export/squash/clientb
	touch /var/lib/nfs/etab /var/lib/nfs/rmtab
	mount -t nfsd nfsd /proc/fs/nfsd
	# Short lease and grace (nfsd's and lockd's: an OPEN waits for
	# both): the client makes files soon after start.
	echo 10 >/proc/fs/nfsd/nfsv4leasetime
	echo 10 >/proc/fs/nfsd/nfsv4gracetime
	echo 10 >/proc/sys/fs/nfs/nlm_grace_period 2>/dev/null
	cat >/etc/exports <<-EOF
		/var/lib/export/swap 10.0.0.2(rw,sync,no_root_squash,no_subtree_check)
		/var/lib/export/squash 10.0.0.2(rw,sync,root_squash,no_subtree_check)
	EOF
	rpcbind -w 2>/tmp/rpcbind.err || say "rpcbind: $(cat /tmp/rpcbind.err)"
	exportfs -ra 2>/tmp/exportfs.err || say "exportfs: $(cat /tmp/exportfs.err)"
	rpc.mountd 2>/tmp/mountd.err || say "rpc.mountd: $(cat /tmp/mountd.err)"
	rpc.nfsd 4 2>/tmp/nfsd.err || say "rpc.nfsd: $(cat /tmp/nfsd.err)"
	result "server=ready versions=$(cat /proc/fs/nfsd/versions 2>/dev/null | tr ' ' ,) threads=$(cat /proc/fs/nfsd/threads 2>/dev/null)"
	server_disk() {
		sd_tag=$1
		# The client's directory lock, as nfsd keeps it: a lock on the
		# inode of .lock in /proc/locks (maj:min:inode).
		sd_ino=$(stat -c %i /var/lib/export/swap/clientb/.lock 2>/dev/null)
		sd_lock=0
		[ -n "$sd_ino" ] && grep -q ":$sd_ino " /proc/locks && sd_lock=1
		# shellcheck disable=SC2046
		set -- $(df -k /var/lib | tail -n 1)
		# shellcheck disable=SC2010 # slot names are digits
		result "server_disk tag=$sd_tag used_kb=$3 avail_kb=$4 files=$(ls /var/lib/export/swap/clientb 2>/dev/null | grep -c '^[0-9]') lock=$sd_lock"
	}
	(while :; do server_disk run; sleep 10; done) &
	# Served until the client says it is done (or the watchdog).
	nc -l -p 7777 >/dev/null 2>&1
	kill $! 2>/dev/null
	# The client's last files were deleted moments ago: what the disk
	# holds once they are committed.
	sync
	server_disk end
}

# nfs_mount OPTIONS EXPORT DIR: mount, retrying while the server starts.
nfs_mount() {
	mkdir -p "$3"
	n=0
	while [ $n -lt 30 ]; do
		mount.nfs "$SERVER:$2" "$3" -o "$1" 2>/tmp/mount.err && return 0
		n=$((n + 1))
		sleep 2
	done
	say "mount $2 on $3 -o $1: $(cat /tmp/mount.err)"
	return 1
}

# The swap files' allocated bytes against their size: the kernel refuses
# a sparse one on NFS, so every file must be fully allocated.
sparse_report() {
	for f in "$1"/*; do
		[ -f "$f" ] || continue
		echo "GMBLOCKS path=$f size=$(stat -c %s "$f") alloc=$(($(stat -c %b "$f") * $(stat -c %B "$f"))) tag=$TAG"
	done
}

# How many swap files (slots: names of digits) DIR holds.
# shellcheck disable=SC2010 # slot names are digits
slot_count() { ls "$1" 2>/dev/null | grep -c '^[0-9]'; }

# gm_refused NAME SWAPPATH: ghostmemory run in the foreground on
# SWAPPATH; its exit status and first message in one result line.
gm_refused() {
	timeout 60 ghostmemory -c /dev/null --swappath="$2" >/tmp/refuse.$1 2>&1
	rc=$?
	result "refused name=$1 rc=$rc"
	sed "s/^/GMINFO refused.$1: /" /tmp/refuse.$1
}

# shrink_to_standby TAG: the surplus after a workload, waited for on the
# condition (our files in /proc/swaps down to the standby's one) with a
# generous bound: each swapoff reads the pages left in its file back
# one round trip at a time.  Then the files, reported with TAG.
shrink_to_standby() {
	t0=$(now_ms)
	gone() { [ "$(ours_active)" -le 1 ]; }
	wait_shrunk $((P_cooldown * 6 + 300)) "$t0"
	TAG=$1
	files_report "$SWAPDIR"
}

nfs_client() {
	hostname clientb
	nfs_net 2
	# The kernel's reserve, from which the network carries swap-out
	# when memory is short (see SWAP ON NFS in ghostmemory(8)).
	[ -n "${P_minfree:-}" ] && echo "$P_minfree" >/proc/sys/vm/min_free_kbytes
	result "min_free_kbytes=$(cat /proc/sys/vm/min_free_kbytes)"
	if ! nfs_mount "${P_opts:-vers=4.2,hard,sec=sys}" /var/lib/export/swap /srv/swap; then
		result "setup=fail why=nfs4_mount"
		return
	fi
	grep ' /srv/swap ' /proc/self/mountinfo | sed 's/^/GMINFO mountinfo: /'
	# Creating a file waits for the end of the server's grace period:
	# let the test wait, not the daemon's start.
	t0=$(now_ms)
	: >/srv/swap/.ready && rm -f /srv/swap/.ready
	result "grace waited_ms=$(($(now_ms) - t0))"
	SWAPDIR=/srv/swap/clientb
	# gm.debug=1: memory and swap every 10 s on the console.
	if [ "${P_debug:-0}" = 1 ]; then
		echo 20 >/proc/sys/kernel/hung_task_timeout_secs
		echo 1 >/proc/sys/kernel/hung_task_all_cpu_backtrace 2>/dev/null
		(while :; do
			b=
			while read -r k v _; do
				case "$k" in
				MemFree: | SwapFree: | SwapTotal: | Writeback:) b="$b $k$v" ;;
				esac
			done </proc/meminfo
			echo "GMINFO beat$b"
			sleep 2
		done) &
	fi
	start_sampler
	# The default standby, as installed: one file on before the
	# workload.  (With standby=none twice the RAM as fast as it can was
	# killed before the first file was on.)
	P_args="$P_args --swappath=/srv/swap/%H"
	gm_start /tmp/daemon.log
	wait_for 120 ours_at_least 1
	result "standby on=$(ours_active)"
	# One page per MiB checked: a swap-in over NFS is a round trip.
	run_wl main "$P_mb" "$P_rate" "$P_hold" 256
	sleep 1
	result "daemon_alive=$(alive "$GM_PID")"
	TAG=end
	files_report "$SWAPDIR"
	sparse_report "$SWAPDIR"
	shrink_to_standby after
	# gm.rate_second: a second workload at that rate, on what the
	# surplus left (the standby).
	if [ -n "${P_rate_second:-}" ]; then
		run_wl second "$P_mb" "$P_rate_second" "$P_hold" 256
		sleep 1
		TAG=second
		files_report "$SWAPDIR"
		sparse_report "$SWAPDIR"
		shrink_to_standby aftersecond
	fi
	kill -TERM "$GM_PID"
	wait "$GM_PID"
	result "stopped rc=$?"
	timeout 300 ghostmemory -c /dev/null --swappath=/srv/swap/%H --erase-now >>/tmp/daemon.log 2>&1
	result "erased rc=$? left=$(slot_count "$SWAPDIR") on=$(ours_active)"
	# What the kernel said about swap over NFS.
	dmesg | grep -i -E 'swap|nfs' | sed 's/^/GMKERN /'
	[ "${P_part:-all}" = all ] || { nfs_done; return; }

	# A soft mount: refused before anything is made on it.
	if nfs_mount vers=4.2,soft,timeo=100,retrans=2,sec=sys \
		/var/lib/export/swap /srv/soft; then
		gm_refused soft /srv/soft/%H-soft
		result "soft_left exists=$([ -e /srv/soft/clientb-soft ] && echo 1 || echo 0)"
	fi
	# The squashing export: root may not enter the directory made for
	# it, nor make one.
	if nfs_mount vers=4.2,hard,sec=sys /var/lib/export/squash /srv/squash; then
		gm_refused squash_enter /srv/squash/%H
		gm_refused squash_make /srv/squash/%H-new
		result "squash_left entries=$(ls -A /srv/squash | tr '\n' , ) new=$([ -e /srv/squash/clientb-new ] && echo 1 || echo 0)"
	fi

	[ "${P_vthree:-1}" = 1 ] || { nfs_done; return; }
	# NFSv3, no lock daemon: the write fallback (the standby file,
	# written before anything needs it), and the warning that the
	# directory lock stays on this host.
	if nfs_mount vers=3,hard,nolock,sec=sys,proto=tcp /var/lib/export/swap /srv/v3; then
		grep ' /srv/v3 ' /proc/self/mountinfo | sed 's/^/GMINFO mountinfo: /'
		SWAPDIR=/srv/v3/clientb-v3
		# The standby sized for the peak (gm.vsize): a file written
		# over this link while swap-out shares it comes too late for
		# twice the RAM (see t_nfs.sh), so the one written while calm
		# carries the workload, as ghostmemory(8) advises for NFSv3.
		(oom0 ghostmemory -v -c /dev/null --swappath=/srv/v3/%H-v3 \
			--swapsize="${P_vsize:-512m}" --cooldown=5) >/tmp/daemon2.log 2>&1 &
		V3_PID=$!
		spare() { grep -q 'MiB written in\|MiB allocated with' /tmp/daemon2.log 2>/dev/null; }
		wait_for 600 spare
		result "v3 written=$(grep -c 'MiB written in' /tmp/daemon2.log) fallocated=$(grep -c 'MiB allocated with' /tmp/daemon2.log) lock_warned=$(grep -c 'the directory lock is local only' /tmp/daemon2.log)"
		wait_for 120 ours_at_least 1
		result "vthree_standby on=$(ours_active)"
		# gm.vrate: twice the RAM on NFSv3, on that standby.
		if [ -n "${P_vrate:-}" ]; then
			run_wl vthree "$P_mb" "$P_vrate" "$P_hold" 256
			sleep 1
			result "vthree_alive daemon_alive=$(alive "$V3_PID")"
			# A file the shortage started is still being written:
			# its report waits until every slot file is made.
			made_all() { [ "$(grep -c 'MiB written in' /tmp/daemon2.log)" -ge "$(slot_count "$SWAPDIR")" ]; }
			wait_for 300 made_all
		fi
		TAG=vthree
		files_report "$SWAPDIR"
		sparse_report "$SWAPDIR"
		kill -TERM "$V3_PID"
		wait "$V3_PID"
		timeout 120 ghostmemory -c /dev/null --swappath=/srv/v3/%H-v3 --erase-now >>/tmp/daemon2.log 2>&1
		result "v3_erased rc=$? left=$(slot_count "$SWAPDIR") on=$(ours_active)"
	fi
	nfs_done
}

# Tell the server to stop serving and power off; first turn off whatever
# swap is still on its export, or this guest would hang on it (a hard
# mount waits for ever) and only the host's timeout would end the run.
nfs_done() {
	awk '$1 ~ "^/srv/" { print $1 }' /proc/swaps | while read -r f; do
		result "left_on path=$f"
		swapoff "$f"
	done
	echo bye | nc -w 5 "$SERVER" 7777 >/dev/null 2>&1
}

# What --status says of the swap directory's reach (empty: no line).
reach_state() {
	ghostmemory --status 2>/dev/null |
		awk '/^dir=/ { for (i = 1; i <= NF; i++) if ($i ~ /^reach=/) print substr($i, 7) }'
}
reach_is() { [ "$(reach_state)" = "$1" ]; }
# The daemon's counter failures_no_room, from --status.
no_room() {
	ghostmemory --status 2>/dev/null |
		awk '/^counters / { for (i = 1; i <= NF; i++) if ($i ~ /^failures_no_room=/) print substr($i, 18) }'
}
metric_reach() {
	awk '/^ghostmemory_dir_reachable/ { print $2 }' /tmp/metrics/ghostmemory.prom 2>/dev/null
}

# nfs_down_client (t_nfs_down.sh): the host stops the server's qemu
# (the server does not answer: nothing at all comes back) when this
# guest prints GMSTEP pause1 or pause2, and lets it go on at resume1 and
# resume2.  Nothing here touches the mount while the server is stopped:
# only the daemon does, and it must not hang.
#   1. A running daemon (standby=none: no swap on the server while it
#      is stopped): it says unreachable; --status and the USR1 dump
#      answer (times measured); a reservation's shortage waits (said
#      once, no "no room", no diet) and no file is attempted; after
#      resume1 it answers again and the still held reservation gets its
#      file there at once (the cooldown is 600 s: a diet would hold it).
#   2. The daemon started (-d, as the init script does) while the
#      server is stopped: the start returns, the directory unreachable;
#      after resume2 it is opened, locked and adopted.
#   3. That daemon stopped (SIGTERM) while the server is stopped again
#      (pause3): how long its exit takes.
nfs_down_client() {
	hostname clientb
	nfs_net 2
	[ -n "${P_minfree:-}" ] && echo "$P_minfree" >/proc/sys/vm/min_free_kbytes
	syslogd -O /tmp/syslog
	if ! nfs_mount vers=4.2,hard,sec=sys /var/lib/export/swap /srv/swap; then
		result "setup=fail why=nfs4_mount"
		return
	fi
	# The server's grace period, waited for here (see nfs_client).
	: >/srv/swap/.ready && rm -f /srv/swap/.ready
	mkdir -p /tmp/metrics
	GM_ARGS="--swappath=/srv/swap/%H --standby=none --metrics_dir=/tmp/metrics"
	P_args="$P_args $GM_ARGS"
	gm_start /tmp/daemon.log
	wait_for 30 reach_is reachable
	result "down_before reach=$(reach_state) metric=$(metric_reach)"

	echo "GMSTEP pause1"
	t0=$(now_ms)
	wait_for 90 reach_is unreachable
	result "down_seen reach=$(reach_state) after_ms=$(($(now_ms) - t0)) metric=$(metric_reach) lost_logged=$(grep -c 'does not answer' /tmp/daemon.log)"
	t0=$(now_ms)
	timeout -s KILL 60 ghostmemory --status >/tmp/status.down 2>&1
	result "down_status rc=$? ms=$(($(now_ms) - t0))"
	sed 's/^/GMINFO status.down: /' /tmp/status.down
	dumps() { grep -c 'dump dir=.* reach=unreachable' /tmp/daemon.log; }
	d0=$(dumps)
	t0=$(now_ms)
	kill -USR1 "$GM_PID"
	dumped() { [ "$(dumps)" -gt "$d0" ]; }
	wait_for 60 dumped
	result "down_dump seen=$(($(dumps) - d0)) ms=$(($(now_ms) - t0))"
	# A shortage while it is down: a reservation the daemon cannot meet
	# (it stays held, and is met once the server is back).
	nr0=$(no_room)
	made0=$(grep -c 'making swap file\|added swap file' /tmp/daemon.log)
	t0=$(now_ms)
	timeout -s KILL 60 ghostmemory --reserve=32m --wait=5 --ttl=600 >/tmp/resv.out 2>/tmp/resv.err
	rc=$?
	RESV_ID=$(cat /tmp/resv.out)
	result "down_reserve rc=$rc ms=$(($(now_ms) - t0)) id=${RESV_ID:-none}"
	sleep 2
	result "down_grow no_room=$(($(no_room) - nr0)) waits_said=$(grep -c 'is unreachable: a swap file is made there as soon as it answers' /tmp/daemon.log) attempted=$(($(grep -c 'making swap file\|added swap file' /tmp/daemon.log) - made0)) making_line=$(grep -c '^making ' /tmp/status.down) reach=$(reach_state) alive=$(alive "$GM_PID")"

	echo "GMSTEP resume1"
	t0=$(now_ms)
	wait_for 240 reach_is reachable
	result "down_back reach=$(reach_state) after_ms=$(($(now_ms) - t0)) metric=$(metric_reach) back_logged=$(grep -c 'answers again' /tmp/daemon.log) lost_logged=$(grep -c 'does not answer' /tmp/daemon.log)"
	added() { grep -q 'added swap file' /tmp/daemon.log; }
	wait_for 120 added
	result "down_regrow added=$(grep -c 'added swap file' /tmp/daemon.log) after_ms=$(($(now_ms) - t0)) diet=$(grep -c -- '-> diet' /tmp/daemon.log)"
	[ -n "$RESV_ID" ] && ghostmemory --release="$RESV_ID" >/dev/null 2>&1
	kill -TERM "$GM_PID"
	wait "$GM_PID"
	result "down_stopped rc=$?"
	# Its file stays on at exit: off before the server stops again.
	awk '$1 ~ "^/srv/" { print $1 }' /proc/swaps | while read -r f; do
		swapoff "$f"
	done

	echo "GMSTEP pause2"
	# Until a statfs of the mount no longer answers (killed after 3 s).
	i=0
	while [ $i -lt 40 ] && timeout -s KILL 3 stat -f /srv/swap >/dev/null 2>&1; do
		i=$((i + 1))
		sleep 1
	done
	result "down2_stopped server_stopped=$([ $i -lt 40 ] && echo 1 || echo 0)"
	t0=$(now_ms)
	# shellcheck disable=SC2086
	(oom0 timeout -s KILL 120 ghostmemory -d -v -c /dev/null $GM_ARGS) >/tmp/start2.out 2>&1
	rc=$?
	sed 's/^/GMINFO start2: /' /tmp/start2.out
	result "down2_start rc=$rc ms=$(($(now_ms) - t0)) pid=$(cat /run/ghostmemory.pid 2>/dev/null)"
	wait_for 30 reach_is unreachable
	result "down2_status reach=$(reach_state) metric=$(metric_reach)"

	echo "GMSTEP resume2"
	t0=$(now_ms)
	wait_for 240 reach_is reachable
	result "down2_back reach=$(reach_state) after_ms=$(($(now_ms) - t0)) opened=$(grep -c 'answers: opened, locked' /tmp/syslog) adopted=$(grep -o 'locked, [0-9]* file' /tmp/syslog | grep -o '[0-9]*')"
	pid=$(cat /run/ghostmemory.pid 2>/dev/null)

	# 3. Stopped while the server does not answer (it holds the lock
	#    on .lock there): how long the exit takes is reported.
	echo "GMSTEP pause3"
	wait_for 90 reach_is unreachable
	result "down3_seen reach=$(reach_state)"
	t0=$(now_ms)
	[ -n "$pid" ] && kill -TERM "$pid"
	# Gone, or a zombie (this shell, init here, reaps its orphans only
	# now and then).
	gone() {
		[ ! -e "/proc/$pid/stat" ] ||
			[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = Z ]
	}
	wait_for 20 gone
	result "down3_exit exited=$(gone && echo 1 || echo 0) ms=$(($(now_ms) - t0))"
	# Where its threads wait, if it is still there.
	for t in /proc/"$pid"/task/*; do
		[ -d "$t" ] || continue
		echo "GMINFO exit_wait $(cut -d' ' -f1-3 "$t/stat" 2>/dev/null) wchan=$(cat "$t/wchan" 2>/dev/null)"
		sed 's/^/GMINFO exit_stack /' "$t/stack" 2>/dev/null
	done
	echo "GMSTEP resume3"
	wait_for 120 gone
	result "down3_gone exited=$(gone && echo 1 || echo 0) ms=$(($(now_ms) - t0))"
	# Its leftover file is removed by the next run's adoption; leave
	# the export as it was.
	timeout -s KILL 120 ghostmemory -c /dev/null --swappath=/srv/swap/%H --erase-now >/dev/null 2>&1
	result "down2_erased rc=$? left=$(slot_count /srv/swap/clientb)"
	nfs_done
}

# A swap file's priority in /proc/swaps (empty when it is not on).
prio_of() { awk -v f="$1" '$1 == f { print $5 }' /proc/swaps; }

nfs_tier_client() {
	hostname clientb
	nfs_net 2
	[ -n "${P_minfree:-}" ] && echo "$P_minfree" >/proc/sys/vm/min_free_kbytes
	if ! nfs_mount vers=4.2,hard,sec=sys /var/lib/export/swap /srv/swap; then
		result "setup=fail why=nfs4_mount"
		return
	fi
	# The server's grace period, waited for here (see nfs_client).
	: >/srv/swap/.ready && rm -f /srv/swap/.ready
	LOCAL=/var/lib/ghostmemory NET=/srv/swap/clientb
	TAG=disk
	disk_report
	# Files of one size only, no disk reserve: one fits on the disk.
	fixture steady
	P_args="$P_args --swappath=[$LOCAL,/srv/swap/%H] --min_swapsize=$P_swapsize --disk_reserve=0 --max_files=2"
	gm_fixture_start /tmp/daemon.log
	fixture short
	both() { grep -q "^$LOCAL/" /proc/swaps && grep -q "^$NET/" /proc/swaps; }
	wait_for 180 both
	fixture steady
	result "tier_made first=$(grep 'added swap file' /tmp/daemon.log | head -n 1 | sed 's/.*added swap file \([^ ]*\).*/\1/') local_prio=$(prio_of "$LOCAL/1") net_prio=$(prio_of "$NET/1")"
	TAG=made
	files_report "$LOCAL"
	files_report "$NET"
	ghostmemory --status >/tmp/status.tier 2>&1
	result "tier_status lines=$(grep -c '^tier=' /tmp/status.tier) net_line=$(grep -c "^tier=2 dir=$NET fs=nfs " /tmp/status.tier)"
	# A workload a little larger than what is free: its pages go to the
	# higher priority, the local file, and none to the export.
	avail_mb=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
	(oom0 /bin/workload $((avail_mb + 24)) 0 6 64) >/tmp/wl.tier 2>>/tmp/wl.err &
	wl=$!
	local_used() { [ "$(used_kb "$LOCAL/1")" -gt 8192 ] 2>/dev/null; }
	wait_for 60 local_used
	sleep 2
	result "tier_used local_kb=$(used_kb "$LOCAL/1") net_kb=$(used_kb "$NET/1")"
	wait "$wl"
	wl_report tier $((avail_mb + 24)) 0 $? 0
	fixture surplus
	t0=$(now_ms)
	gone() { ! grep -q "^$LOCAL/\|^$NET/" /proc/swaps; }
	wait_shrunk 180 "$t0"
	TAG=after
	files_report "$LOCAL"
	files_report "$NET"
	kill -TERM "$GM_PID"
	wait "$GM_PID"
	result "stopped rc=$?"
	nfs_done
}

case "$P_scenario" in
nfs_server) nfs_server ;;
nfs_client)
	if [ "${P_tier:-0}" = 1 ]; then
		nfs_tier_client
	else
		nfs_client
	fi
	;;
nfs_down_client) nfs_down_client ;;
nfs_shared_* | nfs_rates) . /guest-nfs-shared.sh ;;
esac
