# shellcheck shell=sh
# Shared by the two-guest NFS tests (t_nfs.sh, t_nfs_down.sh,
# t_nfs_tier.sh), sourced
# after tests/vm/lib.sh with $names set: guest A serves NFS (Debian's
# nfsd and the tools of nfs-kernel-server, nfs-common and rpcbind,
# fetched with apt-get download into the cache, as the kernel is), guest
# B is a diskless client; joined by one virtual link (qemu's socket
# netdev on 127.0.0.1), both qemus inside a network namespace this
# library creates (nfs_setup) and deletes (nfs_cleanup, on EXIT), so no
# packet can leave it.  The guest side is tests/vm/guest-nfs.sh.
# shellcheck disable=SC2034 # SRV_INITRD, CLI_INITRD: the callers'
NFS_NS=gmnfs$$
NFS_PORT=$((20000 + $$ % 10000))
NFS_SRV_PID=
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

NFS_BINS="rpcbind rpc.mountd rpc.nfsd exportfs mount.nfs"
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
	cp tests/vm/guest-nfs.sh "$1/guest-nfs.sh"
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
	for b in rpcbind rpc.mountd rpc.nfsd exportfs; do
		nfs_copy "$1" "$b" || return 1
	done
}
nfs_root_client() {
	nfs_root_common "$1" || return 1
	nfs_copy "$1" mount.nfs
}

# nfs_begin NAME...: vm_begin and vm_need_gm for every NAME, ip(8)
# there, and the namespace's clean-up on exit.
nfs_begin() {
	vm_begin "$@"
	vm_need_gm "$@"
	command -v ip >/dev/null 2>&1 ||
		skip_all "ip not installed (apt-get install iproute2)" "$@"
	trap 'nfs_cleanup' EXIT
	trap 'nfs_cleanup; exit 1' INT TERM
}

# nfs_setup: the tools fetched, the namespace made, both initramfs
# built (SRV_INITRD, CLI_INITRD); each test in $names skipped or failed
# when that cannot be done.
nfs_setup() {
	if ! nfs_fetch; then
		# shellcheck disable=SC2086
		skip_all "$NFS_WHY" $names
	fi
	if ! ip netns add "$NFS_NS" 2>"$VM_WORK/netns.err"; then
		# shellcheck disable=SC2086
		skip_all "cannot create a network namespace: $(cat "$VM_WORK/netns.err")" $names
	fi
	ip netns exec "$NFS_NS" ip link set lo up

	SRV_INITRD=$VM_WORK/server.gz
	CLI_INITRD=$VM_WORK/client.gz
	VM_EXTRA_MODS="virtio_net nfsd" VM_ROOT_HOOK=nfs_root_server \
		vm_initramfs "$SRV_INITRD" || {
		for n in $names; do echo "FAIL $n: cannot build the server's initramfs"; done
		exit 1
	}
	VM_WITH_GM=1 VM_EXTRA_MODS="virtio_net nfsv4 nfsv3" VM_ROOT_HOOK=nfs_root_client \
		vm_initramfs "$CLI_INITRD" || {
		for n in $names; do echo "FAIL $n: cannot build the client's initramfs"; done
		exit 1
	}
}

# nfs_qemu LOG INITRD TIMEOUT_S NETDEV MAC DRIVE MEM_MB gm.k=v...: one
# guest in the namespace, its serial console cleaned into LOG (LOG.raw
# as it runs); NFS_QEMU_EXTRA: more qemu options (a monitor).
nfs_qemu() {
	nq_log=$1 nq_initrd=$2 nq_t=$3 nq_net=$4 nq_mac=$5 nq_drive=$6 nq_mem=$7
	shift 7
	# shellcheck disable=SC2086
	ip netns exec "$NFS_NS" timeout -k 10 "$nq_t" qemu-system-x86_64 \
		-accel tcg -m "$nq_mem" -smp 1 -nographic -no-reboot \
		-kernel "$VM_KERNEL" -initrd "$nq_initrd" \
		-append "console=ttyS0 panic=-1 quiet gm.timeout=$((nq_t - 20)) $*" \
		-netdev "socket,id=n0,$nq_net" \
		-device "virtio-net-pci,netdev=n0,mac=52:54:00:12:34:$nq_mac" \
		$nq_drive ${NFS_QEMU_EXTRA:-} </dev/null >"$nq_log.raw" 2>&1
	tr -d '\r' <"$nq_log.raw" | sed 's/^.*\x1b\[[0-9;?]*[A-Za-z]//' >"$nq_log"
}

# nfs_server_start LOG TIMEOUT_S DISK_MB: guest A on an ext4 disk of
# DISK_MB in the background (NFS_SRV_PID), returning once its qemu
# listens for the client's link.
nfs_server_start() {
	vm_disk "$VM_WORK/server.img" "$3" ext4 || return 1
	nfs_qemu "$1" "$SRV_INITRD" "$2" "listen=127.0.0.1:$NFS_PORT" 01 \
		"-drive file=$VM_WORK/server.img,if=virtio,format=raw" "$VM_MEM" \
		gm.scenario=nfs_server gm.fs=ext4 &
	NFS_SRV_PID=$!
	i=0
	while [ $i -lt 100 ] && ! ip netns exec "$NFS_NS" sh -c "cat /proc/net/tcp" |
		awk -v p="$(printf %04X "$NFS_PORT")" '$2 ~ ":" p "$" && $4 == "0A" { f = 1 } END { exit !f }'; do
		sleep 0.2
		i=$((i + 1))
	done
}

# nfs_server_end LOG: the client told the server to power off; give it
# a moment, then stop it; its log's tail if it never got ready.
nfs_server_end() {
	i=0
	while [ $i -lt 50 ] && [ -n "$(ip netns pids "$NFS_NS" 2>/dev/null)" ]; do
		sleep 0.2
		i=$((i + 1))
	done
	nfs_stop
	wait "$NFS_SRV_PID" 2>/dev/null
	NFS_SRV_PID=
	grep -q '^GMRESULT server=ready' "$1" || {
		echo "---- server log tail"
		tail -n 40 "$1" | sed 's/^/  | /'
	}
}
