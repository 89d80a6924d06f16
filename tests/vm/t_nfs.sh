#!/bin/sh
# Guest test: swap on NFS.  Two guests joined by one virtual link (qemu's
# socket netdev on 127.0.0.1), both qemus inside a network namespace this
# test creates and deletes, so no packet can leave it: A is the NFS
# server (Debian's nfsd; the tools of nfs-kernel-server, nfs-common and
# rpcbind fetched with apt-get download into the cache, as the kernel
# is), B a diskless client whose swap directory is on A
# (swappath=/srv/swap/%H).  On B: twice its RAM at gm.rate MiB/s
# survives on NFSv4.2; the files are valid, active and not sparse; the
# directory lock is held by the server (nfsd's lock on .lock, seen in its
# /proc/locks); a surplus removes them; a soft mount and a
# root-squashing export are refused with their messages and exit codes,
# leaving nothing behind;
# NFSv3 (nolock) makes its file by writing it and warns that the
# directory lock is local only.  The scenarios are tests/vm/guest-nfs.sh.
#
# KERNEL NOTES (Debian 12's 6.1 in these guests, 2 x TCG on a busy host):
# - Swap over NFS works (CONFIG_NFS_SWAP=y): a file made with fallocate
#   on an NFSv4.2 mount of an ext4 export (ALLOCATE: the server reports
#   it fully allocated) is accepted by swapon and listed as a file
#   ("Adding 290428k swap on /proc/self/fd/9 ... FS"); 283 MiB took 0.1
#   to 0.7 s.  NFSv3 has no ALLOCATE (fallocate: EOPNOTSUPP): the file
#   is written (64 MiB in 5 to 17 s here), then accepted.
# - nfs_swap_activate refuses a file whose blocks (as the server reports
#   them) are fewer than its size: "swapfile has holes" (EINVAL).
# - Swap-out streams (hundreds of MiB in seconds); each swap-in is a READ
#   round trip (tens of ms here), so the workload checks one page per
#   MiB and a swapoff of a file holding pages takes a while.
# - At 20 MiB/s the allocation is held back by the swap-out (about
#   3 MiB/s over this link); the OOM killer struck once in the runs made
#   with 128 MiB files (a grow every 6 s), never with the default size.
# - Creating a file right after the server starts waits for its grace
#   period (nfsd's and lockd's, 90 s by default): the server here sets
#   both to 10 s, and the client waits for it before the daemon starts.
#   A smaller vm.min_free_kbytes than 16 MiB was not tried.
. tests/vm/lib.sh

names="vm_nfs4_survive vm_nfs_refuse_soft vm_nfs_refuse_squash vm_nfs3_write"
# shellcheck disable=SC2086
vm_begin $names
# shellcheck disable=SC2086
vm_need_gm $names
# shellcheck disable=SC2086
command -v ip >/dev/null 2>&1 ||
	skip_all "ip not installed (apt-get install iproute2)" $names

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
trap 'nfs_cleanup' EXIT
trap 'nfs_cleanup; exit 1' INT TERM

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

# nfs_qemu LOG INITRD TIMEOUT_S NETDEV MAC DRIVE gm.k=v...: one guest in
# the namespace, its serial console cleaned into LOG.
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
		$nq_drive </dev/null >"$nq_log.raw" 2>&1
	tr -d '\r' <"$nq_log.raw" | sed 's/^.*\x1b\[[0-9;?]*[A-Za-z]//' >"$nq_log"
}

# The client's RAM: swap-in over NFS is slow under TCG, keep it small.
CLI_MEM=${GM_VM_NFS_MEM:-192}
MB=$((CLI_MEM * 2))
RATE=${GM_VM_NFS_RATE:-20}
CLI_T=$((MB / RATE + ${GM_VM_NFS_SLACK:-800}))
SRV_LOG=$VM_WORK/server.log
VM_LOG=$VM_WORK/client.log
vm_disk "$VM_WORK/server.img" 3072 ext4 || {
	for n in $names; do echo "FAIL $n: mkfs.ext4 failed"; done
	exit 1
}
s0=$(date +%s)
nfs_qemu "$SRV_LOG" "$SRV_INITRD" $((CLI_T + 120)) "listen=127.0.0.1:$NFS_PORT" 01 \
	"-drive file=$VM_WORK/server.img,if=virtio,format=raw" "$VM_MEM" \
	gm.scenario=nfs_server gm.fs=ext4 &
NFS_SRV_PID=$!
# The client connects once the server's qemu listens.
i=0
while [ $i -lt 100 ] && ! ip netns exec "$NFS_NS" sh -c "cat /proc/net/tcp" |
	awk -v p="$(printf %04X "$NFS_PORT")" '$2 ~ ":" p "$" && $4 == "0A" { f = 1 } END { exit !f }'; do
	sleep 0.2
	i=$((i + 1))
done
nfs_qemu "$VM_LOG" "$CLI_INITRD" "$CLI_T" "connect=127.0.0.1:$NFS_PORT" 02 "" "$CLI_MEM" \
	gm.scenario=nfs_client gm.disk=none gm.daemon=ghostmemory \
	gm.mb=$MB gm.rate=$RATE gm.cooldown=5 \
	gm.minfree=${GM_VM_NFS_MINFREE:-16384} ${GM_VM_NFS_EXTRA:-}
echo "# nfs: client ran $(($(date +%s) - s0)) s"
# The client told the server to power off; give it a moment, then stop it.
i=0
while [ $i -lt 50 ] && [ -n "$(ip netns pids "$NFS_NS" 2>/dev/null)" ]; do
	sleep 0.2
	i=$((i + 1))
done
nfs_stop
wait "$NFS_SRV_PID" 2>/dev/null
NFS_SRV_PID=
grep -q '^GMRESULT server=ready' "$SRV_LOG" || {
	echo "---- server log tail"
	tail -n 40 "$SRV_LOG" | sed 's/^/  | /'
}
grep -E '^GMINFO (mountinfo|refused)|^GMKERN|^GMBLOCKS|MiB (written|allocated)' "$VM_LOG" | sed 's/^/# /'

# 1. NFSv4.2: twice the RAM survives; files valid, active, not sparse;
#    the surplus removes them.
n=vm_nfs4_survive
SW=/srv/swap/clientb
vm_expect 'daemon=' daemon = started
vm_expect 'wl name=main' result = ok
vm_expect 'wl name=main' bad_pages = 0
vm_expect 'daemon_alive' daemon_alive = 1
vm_expect 'files tag=end' active -ge 1
vm_expect 'SAMPLE' peak_swap_kb -gt 0
vm_files_ok "$SW"
grep "^GMBLOCKS path=$SW/.* tag=end" "$VM_LOG" | awk '{
	split($3, s, "="); split($4, a, "=");
	if (a[2] + 0 < s[2] + 0) { print; bad = 1 } } END { exit bad }' >"$VM_WORK/sparse" ||
	vm_why "sparse swap files on NFS: $(head -n 2 "$VM_WORK/sparse")"
grep -q "^GMINFO mountinfo: .* /srv/swap .* - nfs4 .*vers=4.2" "$VM_LOG" ||
	vm_why "the swap export is not mounted with NFSv4.2"
grep -q "^GMLOG daemon.log: .*MiB allocated with fallocate in" "$VM_LOG" ||
	vm_why "no file was made with fallocate on NFSv4.2"
vm_expect 'shrunk=' shrunk = 1
vm_expect 'files tag=after' active = 0
vm_expect 'files tag=after' count -le 1
grep -q "^GMLOG daemon.log: .*is on NFS (.*sync or async cannot be seen" "$VM_LOG" ||
	vm_why "no note at start that sync/async cannot be seen"
# The directory lock reaches the server (so a second host would be
# refused): while the daemon runs, nfsd holds a lock on its .lock file.
grep -q '^GMRESULT server_disk tag=run .* lock=1' "$SRV_LOG" ||
	vm_why "the server never held the client's lock on .lock"
vm_verdict "$n"

# 2. A soft mount: exit 16, its message, no directory made.
n=vm_nfs_refuse_soft
vm_expect 'refused name=soft' rc = 16
grep -q '^GMINFO refused.soft: .*soft NFS mount .*mount it with hard' "$VM_LOG" ||
	vm_why "no soft-mount message"
vm_expect 'soft_left' exists = 0
vm_verdict "$n"

# 3. An export that squashes root: exit 18 and exactly its message, for
#    a directory made by the server's root and for one to be made.
n=vm_nfs_refuse_squash
vm_expect 'refused name=squash_enter' rc = 18
vm_expect 'refused name=squash_make' rc = 18
for w in squash_enter squash_make; do
	grep -q "^GMINFO refused.$w: .*the export squashes root: export it with no_root_squash to this host" "$VM_LOG" ||
		vm_why "$w: no squash message"
done
vm_expect 'squash_left' entries = clientb,
vm_expect 'squash_left' new = 0
vm_verdict "$n"

# 4. NFSv3 without a lock daemon: the file is written (no ALLOCATE before
#    4.2), valid and not sparse; the lock warning is said.
n=vm_nfs3_write
vm_expect 'v3 ' written -ge 1
vm_expect 'v3 ' fallocated = 0
vm_expect 'v3 ' lock_warned = 1
vm_files_ok /srv/v3/clientb-v3
grep "^GMBLOCKS .* tag=vthree" "$VM_LOG" | awk '{
	split($3, s, "="); split($4, a, "=");
	if (a[2] + 0 < s[2] + 0) { print; bad = 1 } } END { exit bad }' >"$VM_WORK/sparse3" ||
	vm_why "sparse swap files on NFSv3: $(head -n 2 "$VM_WORK/sparse3")"
vm_expect 'v3_erased' left = 0
# Nothing of ours still on at the end (the guest turns it off before the
# server goes, and says so with a left_on line).
! grep -q '^GMRESULT left_on' "$VM_LOG" ||
	vm_why "swap still on at the end: $(grep '^GMRESULT left_on' "$VM_LOG" | head -n 2)"
vm_verdict "$n"
