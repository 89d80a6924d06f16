# A shared swap server, and swap on NFS at several rates: sourced by
# guest-nfs.sh (busybox sh) for gm.scenario=nfs_shared_server,
# nfs_shared_client and nfs_rates.  t_nfs_shared.sh boots the server
# with one NIC per client (eth0 10.0.1.1 for clienta at 10.0.1.2, eth1
# 10.0.2.1 for clientb at 10.0.2.2, each link a socket netdev of its
# own); bench/nfs.sh boots the server with one NIC and one client
# (clienta) running nfs_rates.
#
# nfs_shared_server: nfsd, rpcbind and rpc.statd (NLM: NFSv3 locks need
#   statd on both sides); exports /var/lib/export/swap to both clients
#   (rw,sync,no_root_squash); every 5 s a line per directory in it: mode,
#   owner, swap files, and whether the server holds a lock on its .lock
#   (nfsd for NFSv4, lockd for NFSv3: /proc/locks); serves until every
#   client (gm.clients) says bye.
# nfs_shared_client (gm.role=a or b): both mount the export with
#   NFSv4.2 on /srv/swap and, for the hand-offs, again on /srv/sync with
#   noac,lookupcache=none (a flag file one client makes is seen by the
#   other at once).  Then, one phase after the other:
#   1. swappath=/srv/swap/%H on both; both grow at once (2 x RAM: a at
#      gm.rate_a, b at gm.rate_b); each looks at its own files and at
#      the other's directory; a restarts with its files on (adopts its
#      own only) while b's stay on (b has a long cooldown); then a's
#      surplus takes a's files back while b removes its own.
#   2. swappath=/srv/swap/same on both: a's daemon runs, b's is refused
#      by the directory lock (exit 4) and changes nothing there.
#   3. NFSv3 with locks (rpcbind and rpc.statd running, no nolock) on
#      /srv/v3: a's daemon writes its file (no ALLOCATE) and holds the
#      lock through lockd; b's is refused the same way.
# nfs_rates (bench/nfs.sh): gm.daemon=ghostmemory|static|swapspace on
#   /srv/swap, then one 2 x RAM workload per rate of gm.rates (commas;
#   0 = as fast as it can), each followed by a surplus that takes the
#   files back (gm.shrink_s seconds at most; ghostmemory runs with its
#   default standby and keeps one file);
#   the sampler's peaks per rate.
# shellcheck disable=SC2154 # P_* are set by guest-init.sh

# The names of every guest of the shared test, for statd and lockd
# (each side looks the other's name up).
shared_hosts() {
	printf '127.0.0.1 localhost\n10.0.1.1 nfsserver\n10.0.1.2 clienta\n10.0.2.2 clientb\n' >/etc/hosts
	printf 'hosts: files\n' >/etc/nsswitch.conf
	ln -sf /proc/self/mounts /etc/mtab
}

# rpcbind, then rpc.statd (it registers with rpcbind): NLM on either
# side asks its own statd to watch the peer, or refuses the lock.
shared_statd() {
	mkdir -p /var/lib/nfs/sm /var/lib/nfs/sm.bak /run/rpcbind
	[ -f /var/lib/nfs/state ] || : >/var/lib/nfs/state
	rpcbind -w 2>/tmp/rpcbind.err || say "rpcbind: $(cat /tmp/rpcbind.err)"
	rpc.statd --no-notify 2>/tmp/statd.err || say "rpc.statd: $(cat /tmp/statd.err)"
}

nfs_shared_server() {
	hostname nfsserver
	ip link set lo up
	ip addr add 10.0.1.1/24 dev eth0 && ip link set eth0 up ||
		{ result "setup=fail why=no_eth0"; finish; }
	if [ "${P_clients:-2}" -ge 2 ]; then
		ip addr add 10.0.2.1/24 dev eth1 && ip link set eth1 up ||
			{ result "setup=fail why=no_eth1"; finish; }
	fi
	shared_hosts
	mkdir -p /var/lib/export/swap /var/lib/nfs/v4recovery /proc/fs/nfsd
	chmod 755 /var/lib/export /var/lib/export/swap
	touch /var/lib/nfs/etab /var/lib/nfs/rmtab
	mount -t nfsd nfsd /proc/fs/nfsd
	echo 10 >/proc/fs/nfsd/nfsv4leasetime
	echo 10 >/proc/fs/nfsd/nfsv4gracetime
	echo 10 >/proc/sys/fs/nfs/nlm_grace_period 2>/dev/null
	echo '/var/lib/export/swap 10.0.1.2(rw,sync,no_root_squash,no_subtree_check) 10.0.2.2(rw,sync,no_root_squash,no_subtree_check)' >/etc/exports
	shared_statd
	exportfs -ra 2>/tmp/exportfs.err || say "exportfs: $(cat /tmp/exportfs.err)"
	rpc.mountd 2>/tmp/mountd.err || say "rpc.mountd: $(cat /tmp/mountd.err)"
	rpc.nfsd 8 2>/tmp/nfsd.err || say "rpc.nfsd: $(cat /tmp/nfsd.err)"
	result "server=ready versions=$(tr ' ' , </proc/fs/nfsd/versions 2>/dev/null) statd=$(pidof rpc.statd >/dev/null && echo 1 || echo 0)"
	shared_report() {
		for d in /var/lib/export/swap/*/; do
			[ -d "$d" ] || continue
			d=${d%/}
			sr_ino=$(stat -c %i "$d/.lock" 2>/dev/null)
			sr_lock=0
			[ -n "$sr_ino" ] && grep -q ":$sr_ino " /proc/locks && sr_lock=1
			# shellcheck disable=SC2010 # slot names are digits
			result "srv tag=$1 dir=${d##*/} mode=$(stat -c %a "$d") uid=$(stat -c %u "$d") files=$(ls "$d" | grep -c '^[0-9]') lock=$sr_lock at_ms=$(now_ms)"
		done
	}
	(while :; do shared_report run; sleep 5; done) &
	SR_PID=$!
	# One bye per client (or the watchdog).
	n=0
	while [ $n -lt "${P_clients:-2}" ]; do
		nc -l -p 7777 >/dev/null 2>&1
		n=$((n + 1))
	done
	kill $SR_PID 2>/dev/null
	shared_report end
	grep -E 'POSIX|FLOCK' /proc/locks | sed 's/^/GMINFO locks: /'
}

# The hand-offs between the clients: flag NAME, wait_flag NAME SECONDS.
flag() { : >"/srv/sync/.flag-$1"; }
flag_set() { [ -e "/srv/sync/.flag-$1" ]; }
wait_flag() {
	if wait_for "$2" flag_set "$1"; then
		return 0
	fi
	result "flag_timeout name=$1"
	return 1
}

# The daemon's swap-file times, as its log says them.
file_times() {
	grep -o '[0-9]* MiB [a-z ]* in [0-9]* ms' "$1" | sed 's/^/GMINFO filetime: /'
}

# Say bye to the server (it listens for one client at a time).
shared_bye() {
	awk '$1 ~ "^/srv/" { print $1 }' /proc/swaps | while read -r f; do
		result "left_on path=$f"
		swapoff "$f"
	done
	n=0
	while [ $n -lt 60 ]; do
		echo bye | nc -w 5 "$SERVER" 7777 >/dev/null 2>&1 && return 0
		n=$((n + 1))
		sleep 1
	done
}

# shared_refused NAME DIR: the second daemon on DIR, which the other
# client's daemon holds: its exit status and message, and whether it
# changed anything there (names, sizes and inodes before and after).
shared_refused() {
	before=$(ls -Ali "$2" 2>&1 | sed 's/ [A-Z][a-z][a-z] .*:.. / /')
	gm_refused "$1" "$2"
	after=$(ls -Ali "$2" 2>&1 | sed 's/ [A-Z][a-z][a-z] .*:.. / /')
	result "refused_left name=$1 changed=$([ "$before" = "$after" ] && echo 0 || echo 1)"
	[ "$before" = "$after" ] || say "$1: before: $before after: $after"
}

# Lines of the daemon's log that name the other client's directory.
other_named() { grep -c "/$OTHER" "$1"; }

nfs_shared_client() {
	case "${P_role:-a}" in
	a) ME=clienta OTHER=clientb SERVER=10.0.1.1 NET=10.0.1.2 ;;
	*) ME=clientb OTHER=clienta SERVER=10.0.2.1 NET=10.0.2.2 ;;
	esac
	hostname $ME
	ip link set lo up
	ip addr add "$NET/24" dev eth0 && ip link set eth0 up ||
		{ result "setup=fail why=no_eth0"; finish; }
	shared_hosts
	[ -n "${P_minfree:-}" ] && echo "$P_minfree" >/proc/sys/vm/min_free_kbytes
	shared_statd
	if ! nfs_mount vers=4.2,hard,sec=sys /var/lib/export/swap /srv/swap ||
		! nfs_mount vers=4.2,hard,sec=sys,noac,lookupcache=none /var/lib/export/swap /srv/sync; then
		result "setup=fail why=nfs4_mount"
		return
	fi
	t0=$(now_ms)
	: >/srv/swap/.ready-$ME && rm -f /srv/swap/.ready-$ME
	result "grace waited_ms=$(($(now_ms) - t0))"
	SWAPDIR=/srv/swap/$ME
	mb=$P_mb
	if [ "$P_role" = a ]; then rate=${P_rate_a:-10}; else rate=${P_rate_b:-50}; fi
	# 1. One export, a directory per host.  b keeps its files (a long
	# cooldown) until a has restarted.
	# b, at 50 MiB/s, has the default standby file on before it starts
	# (with none, its second file came too late on a loaded host); a
	# none, so that its surplus can take every file back.
	cool=5 standby=none
	[ "$P_role" = a ] || cool=3600 standby=active
	(oom0 ghostmemory -v -c /dev/null --cooldown=$cool --standby=$standby \
		--swappath=/srv/swap/%H) >>/tmp/daemon.log 2>&1 &
	GM_PID=$!
	[ "$standby" = active ] && wait_for 120 ours_at_least 1
	wait_for 60 test -s /run/ghostmemory.pid &&
		result "daemon=started pid=$GM_PID" || result "daemon=nostart"
	flag "started-$ME"
	wait_flag "started-$OTHER" 300
	start_sampler
	run_wl "grow_$ME" "$mb" "$rate" 2 256
	TAG=grown
	files_report "$SWAPDIR"
	sparse_report "$SWAPDIR"
	flag "grown-$ME"
	wait_flag "grown-$OTHER" 600
	# Both have grown: each directory holds its own host's files.
	result "both me=$ME mode=$(stat -c %a "$SWAPDIR") uid=$(stat -c %u "$SWAPDIR") other_files=$(ls "/srv/swap/$OTHER" | grep -c '^[0-9]') other_in_swaps=$(grep -c "^/srv/swap/$OTHER/" /proc/swaps) other_named=$(other_named /tmp/daemon.log)"
	if [ "$P_role" = a ]; then
		# A restart (the files left on) adopts what is in its own
		# directory only; then its surplus takes them back while b
		# removes its own.
		kill -TERM "$GM_PID"
		wait "$GM_PID"
		(oom0 ghostmemory -v -c /dev/null --cooldown=5 --standby=none \
			--swappath=/srv/swap/%H) >>/tmp/daemon.log 2>&1 &
		GM_PID=$!
		wait_for 60 test -s /run/ghostmemory.pid
		sleep 3
		TAG=adopted
		files_report "$SWAPDIR"
		flag "restarted-$ME"
		# The surplus, waited for on the condition with a generous
		# bound (330 s ran out once under load); when it runs out,
		# what is still on and what the daemon's status says.
		gone() { ! grep -q "^$SWAPDIR/" /proc/swaps; }
		wait_shrunk 600 "$(now_ms)"
		gone || {
			grep "^$SWAPDIR/" /proc/swaps | sed 's/^/GMINFO still_on: /'
			sed 's/^/GMINFO status: /' /run/ghostmemory/status 2>/dev/null
		}
		kill -TERM "$GM_PID"
		wait "$GM_PID"
		result "phase1 me=$ME other_named=$(other_named /tmp/daemon.log)"
	else
		wait_flag "restarted-$OTHER" 300
		# a's restart and adoption left b's files alone: still here,
		# still on.
		TAG=kept
		files_report "$SWAPDIR"
		kill -TERM "$GM_PID"
		wait "$GM_PID"
		timeout 300 ghostmemory -c /dev/null --swappath=/srv/swap/%H --erase_now >>/tmp/daemon.log 2>&1
		result "erased rc=$? left=$(ls "$SWAPDIR" | grep -c '^[0-9]')"
		result "phase1 me=$ME other_named=$(other_named /tmp/daemon.log)"
	fi
	file_times /tmp/daemon.log

	# 2. The same fixed directory (NFSv4.2): the second daemon is refused.
	if [ "$P_role" = a ]; then
		(oom0 ghostmemory -v -c /dev/null --cooldown=5 --standby=none \
			--swappath=/srv/swap/same) >/tmp/daemon2.log 2>&1 &
		GM_PID=$!
		wait_for 60 test -s /run/ghostmemory.pid &&
			result "same_daemon=started" || result "same_daemon=nostart"
		flag same-a
		wait_flag same-b 600
		result "same_alive=$(alive "$GM_PID")"
		# Long enough for the server's report (every 5 s) to see the
		# lock.
		sleep 6
		kill -TERM "$GM_PID"
		wait "$GM_PID"
	else
		wait_flag same-a 1200 && shared_refused same /srv/swap/same
		flag same-b
	fi

	# 3. NFSv3 with locks: lockd carries the directory lock to the
	# server.
	if nfs_mount vers=3,hard,sec=sys,proto=tcp /var/lib/export/swap /srv/v3; then
		grep ' /srv/v3 ' /proc/self/mountinfo | sed 's/^/GMINFO mountinfo: /'
		if [ "$P_role" = a ]; then
			(oom0 ghostmemory -v -c /dev/null --swappath=/srv/v3/same3 \
				--swapsize=64m --cooldown=5) >>/tmp/daemon2.log 2>&1 &
			GM_PID=$!
			spare() { grep -q 'MiB written in\|MiB allocated with' /tmp/daemon2.log; }
			wait_for 300 spare
			result "v3lock written=$(grep -c 'MiB written in' /tmp/daemon2.log) fallocated=$(grep -c 'MiB allocated with' /tmp/daemon2.log) lock_warned=$(grep -c 'the directory lock is local only' /tmp/daemon2.log) alive=$(alive "$GM_PID")"
			TAG=vthree
			files_report /srv/v3/same3
			sparse_report /srv/v3/same3
			flag v3-a
			wait_flag v3-b 600
			sleep 6
			kill -TERM "$GM_PID"
			wait "$GM_PID"
			timeout 300 ghostmemory -c /dev/null --swappath=/srv/v3/same3 --erase_now >>/tmp/daemon2.log 2>&1
			result "v3_erased rc=$? left=$(ls /srv/v3/same3 | grep -c '^[0-9]')"
		else
			wait_flag v3-a 900 && shared_refused same3 /srv/v3/same3
			flag v3-b
		fi
	else
		result "v3mount=fail"
		flag "v3-$P_role"
	fi
	file_times /tmp/daemon2.log
	shared_bye
}

# bench/nfs.sh: one provider on the export, one 2 x RAM workload per
# rate, each followed by a surplus that takes the files back.
nfs_rates() {
	SERVER=10.0.1.1
	hostname clienta
	ip link set lo up
	ip addr add 10.0.1.2/24 dev eth0 && ip link set eth0 up ||
		{ result "setup=fail why=no_eth0"; finish; }
	shared_hosts
	[ -n "${P_minfree:-}" ] && echo "$P_minfree" >/proc/sys/vm/min_free_kbytes
	nfs_mount vers=4.2,hard,sec=sys /var/lib/export/swap /srv/swap ||
		{ result "setup=fail why=nfs4_mount"; return; }
	: >/srv/swap/.ready && rm -f /srv/swap/.ready
	case "$P_daemon" in
	static)
		# A static file of gm.static_mb MiB (1 GiB: the physical limit,
		# as in bench/run.sh), made before the workloads.
		t0=$(now_ms)
		fallocate -l "${P_static_mb:-1024}M" /srv/swap/swapfile && chmod 600 /srv/swap/swapfile &&
			mkswap /srv/swap/swapfile >/dev/null && swapon /srv/swap/swapfile ||
			result "setup=fail why=static_swapfile"
		result "static made_ms=$(($(now_ms) - t0))"
		SWAPDIR=/srv/swap
		;;
	swapspace)
		SWAPDIR=/srv/swap/swapspace
		mkdir -p $SWAPDIR && chmod 700 $SWAPDIR
		(oom0 swapspace -s $SWAPDIR -v) >>/tmp/daemon.log 2>&1 &
		GM_PID=$!
		sleep 1
		;;
	ghostmemory)
		SWAPDIR=/srv/swap/clienta
		# As installed: the default standby (one file on as the floor).
		(oom0 ghostmemory -v -c /dev/null --cooldown=5 \
			--swappath=/srv/swap/%H) >>/tmp/daemon.log 2>&1 &
		GM_PID=$!
		wait_for 60 test -s /run/ghostmemory.pid
		;;
	esac
	# What a surplus leaves: ghostmemory its standby file, swapspace
	# nothing.
	keep=0
	[ "$P_daemon" = ghostmemory ] && keep=1
	result "daemon=$P_daemon alive=$(alive "${GM_PID:-0}")"
	for r in $(echo "$P_rates" | tr , ' '); do
		rm -f /tmp/sample
		start_sampler
		run_wl "rate$r" "$P_mb" "$r" 2 256
		kill "$SAMPLER_PID" 2>/dev/null
		sleep 1
		result "rate=$r $(sed 's/^SAMPLE //' /tmp/sample 2>/dev/null)"
		SAMPLER_PID=
		result "files rate=$r count=$(ls "$SWAPDIR" 2>/dev/null | grep -c '^[0-9]*$')"
		# The surplus: the files go back (not the static one).
		if [ "$P_daemon" != static ]; then
			gone() { [ "$(grep -c "^$SWAPDIR/" /proc/swaps)" -le $keep ]; }
			wait_shrunk "${P_shrink_s:-300}" "$(now_ms)"
		fi
		result "daemon_alive rate=$r alive=$(alive "${GM_PID:-0}")"
	done
	[ -n "${GM_PID:-}" ] && kill -TERM "$GM_PID" && wait "$GM_PID"
	[ "$P_daemon" = ghostmemory ] &&
		timeout 300 ghostmemory -c /dev/null --swappath=/srv/swap/%H --erase_now >>/tmp/daemon.log 2>&1
	file_times /tmp/daemon.log
	awk '$1 ~ "^/srv/" { print $1 }' /proc/swaps | while read -r f; do
		swapoff "$f"
	done
	rm -f /srv/swap/swapfile
	echo bye | nc -w 5 "$SERVER" 7777 >/dev/null 2>&1
}

case "$P_scenario" in
nfs_shared_server) nfs_shared_server ;;
nfs_shared_client) nfs_shared_client ;;
nfs_rates) nfs_rates ;;
esac
