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
#   and the workload (gm.mb at gm.rate), reports the files (valid,
#   active, not sparse), waits for the surplus to remove them; then the
#   refusals: a soft mount (exit 16), the squashing export (exit 18,
#   with a directory root may not enter and with one it may not make);
#   then NFSv3 with nolock: the write fallback and the lock warning.
# Parameters (besides guest-init.sh's): gm.v3=0 leaves NFSv3 out;
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

# gm_refused NAME SWAPPATH: ghostmemory run in the foreground on
# SWAPPATH; its exit status and first message in one result line.
gm_refused() {
	timeout 60 ghostmemory -c /dev/null --swappath="$2" >/tmp/refuse.$1 2>&1
	rc=$?
	result "refused name=$1 rc=$rc"
	sed "s/^/GMINFO refused.$1: /" /tmp/refuse.$1
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
	# standby=none: the surplus must take every file back (the default
	# keeps one swapsize file on as the floor, which t_standby tests).
	P_args="$P_args --swappath=/srv/swap/%H --standby=none"
	gm_start /tmp/daemon.log
	# One page per MiB checked: a swap-in over NFS is a round trip.
	run_wl main "$P_mb" "$P_rate" "$P_hold" 256
	sleep 1
	result "daemon_alive=$(alive "$GM_PID")"
	TAG=end
	files_report "$SWAPDIR"
	sparse_report "$SWAPDIR"
	t0=$(now_ms)
	gone() { ! grep -q "^$SWAPDIR/" /proc/swaps; }
	# Each swapoff reads the pages left in its file (the other
	# processes') back one round trip at a time.
	wait_shrunk $((P_cooldown * 6 + 300)) "$t0"
	TAG=after
	files_report "$SWAPDIR"
	kill -TERM "$GM_PID"
	wait "$GM_PID"
	result "stopped rc=$?"
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

	[ "${P_v3:-1}" = 1 ] || { nfs_done; return; }
	# NFSv3, no lock daemon: the write fallback, and the warning that
	# the directory lock stays on this host.
	if nfs_mount vers=3,hard,nolock,sec=sys,proto=tcp /var/lib/export/swap /srv/v3; then
		grep ' /srv/v3 ' /proc/self/mountinfo | sed 's/^/GMINFO mountinfo: /'
		(oom0 ghostmemory -v -c /dev/null --swappath=/srv/v3/%H-v3 \
			--swapsize=64m --cooldown=5) >/tmp/daemon2.log 2>&1 &
		V3_PID=$!
		spare() { grep -q 'MiB written in\|MiB allocated with' /tmp/daemon2.log; }
		wait_for 240 spare
		result "v3 written=$(grep -c 'MiB written in' /tmp/daemon2.log) fallocated=$(grep -c 'MiB allocated with' /tmp/daemon2.log) lock_warned=$(grep -c 'the directory lock is local only' /tmp/daemon2.log)"
		TAG=vthree
		files_report /srv/v3/clientb-v3
		sparse_report /srv/v3/clientb-v3
		kill -TERM "$V3_PID"
		wait "$V3_PID"
		timeout 120 ghostmemory -c /dev/null --swappath=/srv/v3/%H-v3 --erase-now >>/tmp/daemon2.log 2>&1
		result "v3_erased rc=$? left=$(ls /srv/v3/clientb-v3 | wc -l)"
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

case "$P_scenario" in
nfs_server) nfs_server ;;
nfs_client) nfs_client ;;
nfs_shared_* | nfs_rates) . /guest-nfs-shared.sh ;;
esac
