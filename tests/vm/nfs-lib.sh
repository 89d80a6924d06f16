# shellcheck shell=sh
# Host side of the NFS guest tests (t_nfs.sh, t_nfs_down.sh,
# t_nfs_tier.sh, t_nfs_shared.sh) and bench/nfs.sh, sourced after
# tests/vm/lib.sh: the network namespace, the NFS tools fetched
# into the cache (as the kernel is) and copied into the guests' roots,
# and one qemu per guest joined to the others by socket netdevs.
#
#   nfs_fetch            NFS_DIRS, NFS_LIBPATH (or NFS_WHY)
#   nfs_root_server DIR  VM_ROOT_HOOK of a server; nfs_root_client DIR
#   nfs_netns            create $NFS_NS with lo up (or NFS_WHY)
#   nfs_qemu ...         one guest in the namespace
#   nfs_wait_listen PORT until the namespace has a listener on PORT
#   nfs_initrds          the server's and the client's initramfs
#   nfs_begin NAME...    how a test begins: SKIP (tools, namespace) or
#                        FAIL (initramfs) for every NAME, or ready
#   nfs_server_start LOG TIMEOUT_S DISK_MB
#                        guest A (the server) on an ext4 disk of DISK_MB,
#                        in the background, until it listens on NFS_PORT
#   nfs_server_end [LOG] after the client: let the server power off (and
#                        LOG's tail when it never got ready)
#   nfs_stop, nfs_cleanup   end our qemus by pid, delete the namespace
#
# NFS_GUEST_FILES: more guest-side files for the roots (besides
# guest-nfs.sh); NFS_QEMU_EXTRA: more qemu options (a monitor).
# shellcheck disable=SC2034 # SRV_INITRD, CLI_INITRD: the callers'

NFS_NS=gmnfs$$
NFS_PORT=$((20000 + $$ % 10000))
NFS_SRV_PID=
NFS_GUEST_FILES=${NFS_GUEST_FILES:-}
# Our qemus are the only processes in the namespace: end them by pid.
nfs_stop() {
	for p in $(ip netns pids "$NFS_NS" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
}
nfs_cleanup() {
	nfs_stop
	[ -n "$NFS_SRV_PID" ] && wait "$NFS_SRV_PID" 2>/dev/null
	ip netns del "$NFS_NS" 2>/dev/null
	vm_cleanup
}

# Shared library -> Debian package, for what the host may lack (the
# tools' own packages do not pull their libraries in: dpkg -x only).
nfs_lib_pkg() {
	case "$1" in
	libwrap.so.0) echo libwrap0 ;;
	libtirpc.so.3) echo libtirpc3 ;;
	libgssapi_krb5.so.2) echo libgssapi-krb5-2 ;;
	libkrb5.so.3) echo libkrb5-3 ;;
	libk5crypto.so.3) echo libk5crypto3 ;;
	libkrb5support.so.0) echo libkrb5support0 ;;
	libkeyutils.so.1) echo libkeyutils1 ;;
	libnfsidmap.so.1) echo libnfsidmap1 ;;
	libevent-2.1.so.7) echo libevent-2.1-7 ;;
	libevent_core-2.1.so.7) echo libevent-core-2.1-7 ;;
	*) return 1 ;;
	esac
}

# Fetch the NFS tools, and the libraries the host lacks; sets NFS_DIRS
# (extraction directories) and NFS_LIBPATH (their library directories).
nfs_fetch() {
	NFS_DIRS='' NFS_LIBPATH=''
	for p in nfs-kernel-server nfs-common rpcbind; do
		d=$(vm_locked sh -c ". tests/vm/lib.sh; VM_CACHE='$VM_CACHE'; vm_fetch_deb '$p'") ||
			{ NFS_WHY="cannot fetch $p with apt-get download: $(tail -n 1 "$VM_CACHE/$p.fetch.log" 2>/dev/null)"; return 1; }
		NFS_DIRS="$NFS_DIRS $d"
	done
	for _ in 1 2 3; do
		missing=$(for b in $NFS_BINS; do
			LD_LIBRARY_PATH=$NFS_LIBPATH ldd "$(nfs_bin "$b")" 2>/dev/null
		done | awk '$3 == "not" { print $1 }' | sort -u)
		[ -z "$missing" ] && return 0
		for lib in $missing; do
			pkg=$(nfs_lib_pkg "$lib") || { NFS_WHY="no package known for $lib"; return 1; }
			d=$(vm_locked sh -c ". tests/vm/lib.sh; VM_CACHE='$VM_CACHE'; vm_fetch_deb '$pkg'") ||
				{ NFS_WHY="cannot fetch $pkg with apt-get download"; return 1; }
			NFS_DIRS="$NFS_DIRS $d"
			NFS_LIBPATH="$NFS_LIBPATH${NFS_LIBPATH:+:}$d/lib/x86_64-linux-gnu:$d/usr/lib/x86_64-linux-gnu"
		done
	done
	NFS_WHY="libraries still missing: $missing"
	return 1
}

NFS_BINS="rpcbind rpc.mountd rpc.nfsd exportfs mount.nfs rpc.statd"
# The path of one tool in the extracted packages.
nfs_bin() {
	for d in $NFS_DIRS; do
		for s in sbin usr/sbin; do
			[ -x "$d/$s/$1" ] && { echo "$d/$s/$1"; return 0; }
		done
	done
	return 1
}

# Copy a tool and its libraries into the guest's root: libraries from the
# cache go to /lib/x86_64-linux-gnu, the host's keep their path.
nfs_copy() {
	src=$(nfs_bin "$2") || return 1
	mkdir -p "$1/sbin" "$1/lib/x86_64-linux-gnu"
	cp -L "$src" "$1/sbin/$2" || return 1
	LD_LIBRARY_PATH=$NFS_LIBPATH ldd "$src" |
		awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' |
		while read -r lib; do
			case "$lib" in
			"$VM_CACHE"/*) dst=/lib/x86_64-linux-gnu/$(basename "$lib") ;;
			*) dst=$lib ;;
			esac
			[ -e "$1$dst" ] && continue
			mkdir -p "$1$(dirname "$dst")"
			cp -L "$lib" "$1$dst"
		done
}

# What both guests need: the scenarios, users and libtirpc's netconfig.
nfs_root_common() {
	cp tests/vm/guest-nfs.sh "$1/guest-nfs.sh" || return 1
	for f in $NFS_GUEST_FILES; do
		cp "tests/vm/$f" "$1/$f" || return 1
	done
	mkdir -p "$1/etc" "$1/var/lib/nfs"
	printf 'root:x:0:0:root:/root:/bin/sh\n_rpc:x:100:65534::/run/rpcbind:/bin/false\nstatd:x:101:65534::/var/lib/nfs:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$1/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
	# netconfig(5): the transports libtirpc may use.
	printf '%s\n' \
		'udp        tpi_clts      v     inet     udp     -       -' \
		'tcp        tpi_cots_ord  v     inet     tcp     -       -' \
		'udp6       tpi_clts      v     inet6    udp     -       -' \
		'tcp6       tpi_cots_ord  v     inet6    tcp     -       -' \
		'rawip      tpi_raw       -     inet      -      -       -' \
		'local      tpi_cots_ord  -     loopback  -      -       -' \
		'unix       tpi_cots_ord  -     loopback  -      -       -' \
		>"$1/etc/netconfig"
	printf 'sunrpc 111/tcp portmapper\nsunrpc 111/udp portmapper\nnfs 2049/tcp\nnfs 2049/udp\n' >"$1/etc/services"
	printf 'ip 0 IP\ntcp 6 TCP\nudp 17 UDP\n' >"$1/etc/protocols"
}
nfs_root_server() {
	nfs_root_common "$1" || return 1
	for b in rpcbind rpc.mountd rpc.nfsd exportfs rpc.statd; do
		nfs_copy "$1" "$b" || return 1
	done
}
nfs_root_client() {
	nfs_root_common "$1" || return 1
	# rpcbind and rpc.statd: NFSv3 with locks (NLM needs statd on both
	# sides).
	for b in mount.nfs rpcbind rpc.statd; do
		nfs_copy "$1" "$b" || return 1
	done
}

# nfs_qemu LOG INITRD TIMEOUT_S NETDEVS MAC DRIVE MEM gm.k=v...: one
# guest in the namespace, its serial console cleaned into LOG.  NETDEVS:
# one socket netdev's options (listen=... or connect=...) per NIC,
# separated by spaces (eth0, eth1, ...).  no_timer_check: with three
# TCG guests on a loaded host the kernel's IO-APIC timer check failed
# once ("IO-APIC + timer doesn't work!", a panic at 0.07 s).
nfs_qemu() {
	nq_log=$1 nq_initrd=$2 nq_t=$3 nq_net=$4 nq_mac=$5 nq_drive=$6 nq_mem=$7
	shift 7
	nq_nics='' nq_i=0
	for nq_o in $nq_net; do
		nq_nics="$nq_nics -netdev socket,id=n$nq_i,$nq_o -device virtio-net-pci,netdev=n$nq_i,mac=52:54:00:12:$((34 + nq_i)):$nq_mac"
		nq_i=$((nq_i + 1))
	done
	# shellcheck disable=SC2086
	ip netns exec "$NFS_NS" timeout -k 10 "$nq_t" qemu-system-x86_64 \
		-accel tcg -m "$nq_mem" -smp 1 -nographic -no-reboot \
		-kernel "$VM_KERNEL" -initrd "$nq_initrd" \
		-append "console=ttyS0 panic=-1 quiet no_timer_check gm.timeout=$((nq_t - 20)) $*" \
		$nq_nics $nq_drive ${NFS_QEMU_EXTRA:-} </dev/null >"$nq_log.raw" 2>&1
	tr -d '\r' <"$nq_log.raw" | sed 's/^.*\x1b\[[0-9;?]*[A-Za-z]//' >"$nq_log"
}

# nfs_wait_listen PORT: until a qemu in the namespace listens on PORT
# (20 s at most), so that a client's qemu can connect.
nfs_wait_listen() {
	nw_i=0
	while [ $nw_i -lt 100 ] && ! ip netns exec "$NFS_NS" cat /proc/net/tcp |
		awk -v p="$(printf %04X "$1")" '$2 ~ ":" p "$" && $4 == "0A" { f = 1 } END { exit !f }'; do
		sleep 0.2
		nw_i=$((nw_i + 1))
	done
}

# nfs_netns: the namespace, with its loopback up.
nfs_netns() {
	ip netns add "$NFS_NS" 2>"$VM_WORK/netns.err" ||
		{ NFS_WHY="cannot create a network namespace: $(cat "$VM_WORK/netns.err")"; return 1; }
	ip netns exec "$NFS_NS" ip link set lo up
}

# nfs_initrds: the server's initramfs in SRV_INITRD and the client's
# (with ghostmemory; swapspace too when VM_WITH_SWAPSPACE=1) in
# CLI_INITRD; NFS_WHY when one cannot be built.
nfs_initrds() {
	SRV_INITRD=$VM_WORK/server.gz
	CLI_INITRD=$VM_WORK/client.gz
	VM_EXTRA_MODS="virtio_net nfsd" VM_ROOT_HOOK=nfs_root_server \
		vm_initramfs "$SRV_INITRD" ||
		{ NFS_WHY="cannot build the server's initramfs"; return 1; }
	VM_WITH_GM=1 VM_EXTRA_MODS="virtio_net nfsv4 nfsv3" VM_ROOT_HOOK=nfs_root_client \
		vm_initramfs "$CLI_INITRD" ||
		{ NFS_WHY="cannot build the client's initramfs"; return 1; }
}

# nfs_begin NAME...: how an NFS test begins: vm_begin and vm_need_gm,
# the clean-up on every exit; ip, the tools and the namespace, or SKIP
# for every NAME and exit; then the initramfs, or FAIL for every NAME
# and exit 1.
nfs_begin() {
	vm_begin "$@"
	vm_need_gm "$@"
	trap 'nfs_cleanup' EXIT
	trap 'nfs_cleanup; exit 1' INT TERM
	command -v ip >/dev/null 2>&1 ||
		skip_all "ip not installed (apt-get install iproute2)" "$@"
	nfs_fetch || skip_all "$NFS_WHY" "$@"
	nfs_netns || skip_all "$NFS_WHY" "$@"
	nfs_initrds || {
		for nb_n in "$@"; do echo "FAIL $nb_n: $NFS_WHY"; done
		exit 1
	}
}

# nfs_server_start LOG TIMEOUT_S DISK_MB: guest A on an ext4 disk of
# DISK_MB in the background (NFS_SRV_PID), returning once its qemu
# listens for the client's link on NFS_PORT.
nfs_server_start() {
	vm_disk "$VM_WORK/server.img" "$3" ext4 || return 1
	nfs_qemu "$1" "$SRV_INITRD" "$2" "listen=127.0.0.1:$NFS_PORT" 01 \
		"-drive file=$VM_WORK/server.img,if=virtio,format=raw" "$VM_MEM" \
		gm.scenario=nfs_server gm.fs=ext4 &
	NFS_SRV_PID=$!
	nfs_wait_listen "$NFS_PORT"
}

# nfs_server_end [LOG]: the last client told the server to power off;
# give it a moment, then stop whatever is left; LOG's tail when the
# server never got ready.
nfs_server_end() {
	ne_i=0
	while [ $ne_i -lt 50 ] && [ -n "$(ip netns pids "$NFS_NS" 2>/dev/null)" ]; do
		sleep 0.2
		ne_i=$((ne_i + 1))
	done
	nfs_stop
	[ -n "$NFS_SRV_PID" ] && wait "$NFS_SRV_PID" 2>/dev/null
	NFS_SRV_PID=
	if [ -n "${1:-}" ] && ! grep -q '^GMRESULT server=ready' "$1"; then
		echo "---- server log tail"
		tail -n 40 "$1" | sed 's/^/  | /'
	fi
}
