# Host side of the qemu guest tests and the benchmark; sourced by
# tests/vm/t_*.sh and bench/run.sh from the repository top.
#
#   vm_setup            find tools, fetch/extract the kernel, build the
#                       workload; on trouble sets VM_SKIP to the reason
#   vm_initramfs OUT    busybox + /init + workload + modules (+ ghostmemory
#                       when VM_WITH_GM=1, swapspace when VM_WITH_SWAPSPACE=1)
#   vm_disk FILE MB FS  a raw image formatted ext4|xfs|btrfs
#   vm_boot LOG DISK INITRD HOST_TIMEOUT_S gm.key=value...
#   vm_val LOG 'FILTER' KEY   a value from the last GMRESULT line matching
#
# Environment:
#   GM_VM_CACHE  downloads and extracted packages (default
#                /var/cache/ghostmemory-vm, or ~/.cache/ghostmemory-vm when
#                that is not writable); never inside the repository
#   GM_VM_KERNEL_PKG  linux-image package to use (default: what
#                linux-image-amd64 depends on)
#   GM_VM_MEM    guest RAM in MiB (default 256)
#   GM_VM_FS     filesystem of the guest disk (default ext4)
#   GM_VM_KEEP   keep the workspace (logs, images) for a post-mortem
#   GM_VM_BINARY the ghostmemory binary to test (default ./ghostmemory)
#
# VM_DRIVE_OPTS (set by a test, not the user): extra -drive options for
# the guest disk, e.g. throttling.bps-read=1048576 for a slow disk.
# VM_EXTRA_MODS and VM_ROOT_HOOK (set by a test): more modules for the
# initramfs, and a function called with its root directory to add files.

. tests/lib/common.sh

VM_MEM=${GM_VM_MEM:-256}
VM_FS=${GM_VM_FS:-ext4}
VM_SKIP=
VM_GM_BIN=${GM_VM_BINARY:-./ghostmemory}

vm_cache_dir() {
	if [ -n "${GM_VM_CACHE:-}" ]; then
		VM_CACHE=$GM_VM_CACHE
	else
		VM_CACHE=/var/cache/ghostmemory-vm
		if ! mkdir -p "$VM_CACHE" 2>/dev/null || [ ! -w "$VM_CACHE" ]; then
			VM_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/ghostmemory-vm
		fi
	fi
	mkdir -p "$VM_CACHE" 2>/dev/null && [ -w "$VM_CACHE" ]
}

# Run "$@" holding the cache lock, so parallel runs fetch only once.
vm_locked() {
	if command -v flock >/dev/null 2>&1; then
		flock "$VM_CACHE/.lock" "$@"
	else
		"$@"
	fi
}

# vm_fetch_deb PKG: PKG's .deb extracted into $VM_CACHE/PKG (once).
# Prints the extraction directory.
vm_fetch_deb() {
	d=$VM_CACHE/$1
	if [ ! -f "$d/.extracted" ]; then
		(
			cd "$VM_CACHE" || exit 1
			ls "$1"_*.deb >/dev/null 2>&1 ||
				apt-get download "$1" >"$VM_CACHE/$1.fetch.log" 2>&1 ||
				exit 1
			rm -rf "$d" && mkdir -p "$d" &&
				dpkg -x "$(ls "$1"_*.deb | tail -n 1)" "$d" &&
				touch "$d/.extracted"
		) || return 1
	fi
	echo "$d"
}

vm_kernel_pkg() {
	if [ -n "${GM_VM_KERNEL_PKG:-}" ]; then
		echo "$GM_VM_KERNEL_PKG"
		return
	fi
	# Offline with a filled cache: reuse what was extracted before.
	for d in "$VM_CACHE"/linux-image-*-amd64; do
		[ -f "$d/.extracted" ] && { basename "$d"; return; }
	done
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

vm_setup() {
	for tool in qemu-system-x86_64 cpio gzip mkfs.ext4 timeout cc; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			VM_SKIP="$tool not installed (apt-get install qemu-system-x86 busybox-static e2fsprogs cpio)"
			return 1
		fi
	done
	VM_BUSYBOX=$(command -v busybox 2>/dev/null)
	[ -z "$VM_BUSYBOX" ] && [ -x /bin/busybox ] && VM_BUSYBOX=/bin/busybox
	if [ -z "$VM_BUSYBOX" ]; then
		VM_SKIP="busybox not installed (apt-get install busybox-static)"
		return 1
	fi
	if ! vm_cache_dir; then
		VM_SKIP="no writable cache directory ($VM_CACHE)"
		return 1
	fi
	pkg=$(vm_kernel_pkg)
	if [ -z "$pkg" ]; then
		VM_SKIP="cannot resolve linux-image-amd64 (no apt lists? run apt-get update) and no kernel in $VM_CACHE"
		return 1
	fi
	if ! kdir=$(vm_locked sh -c ". tests/vm/lib.sh; VM_CACHE='$VM_CACHE'; vm_fetch_deb '$pkg'"); then
		VM_SKIP="cannot fetch kernel package $pkg with apt-get download (offline?): $(tail -n 1 "$VM_CACHE/$pkg.fetch.log" 2>/dev/null)"
		return 1
	fi
	VM_KERNEL=$(ls "$kdir"/boot/vmlinuz-* 2>/dev/null | head -n 1)
	VM_MODDIR=$(ls -d "$kdir"/lib/modules/* 2>/dev/null | head -n 1)
	if [ -z "$VM_KERNEL" ] || [ -z "$VM_MODDIR" ]; then
		VM_SKIP="kernel package $pkg has no vmlinuz or modules"
		return 1
	fi
	VM_WORK=$(mktemp -d /tmp/gm-vm.XXXXXX) || return 1
	if ! cc -static -O2 -std=c99 -Wall -o "$VM_WORK/workload" \
		tests/vm/workload.c 2>"$VM_WORK/cc.log"; then
		VM_SKIP="cannot build the static workload (libc6-dev static libc?): $(head -n 3 "$VM_WORK/cc.log")"
		return 1
	fi
	return 0
}

vm_cleanup() {
	[ -n "${VM_WORK:-}" ] || return 0
	if [ -n "${GM_VM_KEEP:-}" ]; then
		echo "# kept $VM_WORK"
	else
		rm -rf "$VM_WORK"
	fi
}

# Copy an executable and the shared libraries it needs into root $1.
vm_copy_exe() {
	ce_root=$1 ce_src=$2 ce_dst=$3
	mkdir -p "$ce_root$(dirname "$ce_dst")"
	cp -L "$ce_src" "$ce_root$ce_dst" || return 1
	ldd "$ce_src" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' |
		while read -r lib; do
			[ -e "$ce_root$lib" ] && continue
			mkdir -p "$ce_root$(dirname "$lib")"
			cp -L "$lib" "$ce_root$lib"
		done
}

# vm_mod_file NAME: the .ko (maybe compressed) of a module, or nothing.
vm_mod_file() {
	n=$1
	alt=$(echo "$n" | tr '_-' '-_')
	find "$VM_MODDIR/kernel" \( -name "$n.ko" -o -name "$n.ko.*" \
		-o -name "$alt.ko" -o -name "$alt.ko.*" \) 2>/dev/null | head -n 1
}

# vm_mod_resolve OUTDIR NAME...: decompress NAME and its dependencies
# into OUTDIR and append them, dependencies first, to OUTDIR/order.
# Built-in modules (modules.builtin) need nothing.
vm_mod_resolve() {
	mr_out=$1
	shift
	for mr_m in "$@"; do
		grep -qx "$mr_m" "$mr_out/order" 2>/dev/null && continue
		mr_f=$(vm_mod_file "$mr_m")
		if [ -z "$mr_f" ]; then
			grep -q "/$mr_m.ko\$" "$VM_MODDIR/modules.builtin" 2>/dev/null ||
				echo "# module $mr_m not found" >&2
			continue
		fi
		case "$mr_f" in
		*.xz) xz -dc "$mr_f" >"$mr_out/$mr_m.ko" ;;
		*.zst) zstd -qdc "$mr_f" >"$mr_out/$mr_m.ko" ;;
		*.gz) gzip -dc "$mr_f" >"$mr_out/$mr_m.ko" ;;
		*) cp "$mr_f" "$mr_out/$mr_m.ko" ;;
		esac
		mr_deps=$(tr '\0' '\n' <"$mr_out/$mr_m.ko" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' ')
		# shellcheck disable=SC2086
		# a subshell: sh has no local variables and this recurses
		[ -n "$mr_deps" ] && (vm_mod_resolve "$mr_out" $mr_deps)
		grep -qx "$mr_m" "$mr_out/order" 2>/dev/null || echo "$mr_m" >>"$mr_out/order"
	done
}

vm_initramfs() {
	vi_out=$1
	root=$VM_WORK/root.$$
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
		"$root/lib/modules" "$root/etc/init.d" "$root/proc" "$root/sys" \
		"$root/dev" "$root/tmp" "$root/run" "$root/var/lib"
	vm_copy_exe "$root" "$VM_BUSYBOX" /bin/busybox || return 1
	"$VM_BUSYBOX" --list-full | while read -r a; do
		[ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
	done
	cp tests/vm/guest-init.sh "$root/init" && chmod 755 "$root/init"
	cp "$VM_WORK/workload" "$root/bin/workload"
	: >"$root/lib/modules/order"
	# zram (and zsmalloc): the zram guest test sets a device up.
	mods="virtio_pci virtio_blk crc32c_generic ext4 zram ${VM_EXTRA_MODS:-}"
	case "$VM_FS" in
	xfs) mods="$mods xfs" ;;
	btrfs) mods="$mods btrfs" ;;
	esac
	# shellcheck disable=SC2086
	vm_mod_resolve "$root/lib/modules" $mods
	if [ "${VM_WITH_GM:-0}" = 1 ]; then
		vm_copy_exe "$root" "$VM_GM_BIN" /usr/sbin/ghostmemory || return 1
		ln -s /usr/sbin/ghostmemory "$root/bin/ghostmemory"
	fi
	if [ "${VM_WITH_SWAPSPACE:-0}" = 1 ]; then
		vm_copy_exe "$root" "$VM_SWAPSPACE" /usr/sbin/swapspace || return 1
	fi
	if [ "${VM_WITH_INITSCRIPT:-0}" = 1 ]; then
		# The script as shipped, with Debian's own start-stop-daemon
		# (busybox's lacks --status and --retry) and lsb-base's
		# init-functions when the host has them (a stub otherwise).
		cp init.d/ghostmemory "$root/etc/init.d/ghostmemory"
		chmod 755 "$root/etc/init.d/ghostmemory"
		mkdir -p "$root/lib/lsb" "$root/etc/default"
		if [ -f /lib/lsb/init-functions ]; then
			cp -r /lib/lsb/. "$root/lib/lsb/"
		else
			cp tests/vm/lsb-init-functions "$root/lib/lsb/init-functions"
		fi
		[ -x /bin/dash ] && vm_copy_exe "$root" /bin/dash /bin/dash
		ssd=$(command -v start-stop-daemon || echo /sbin/start-stop-daemon)
		if [ -x "$ssd" ]; then
			for d in /sbin/start-stop-daemon /usr/sbin/start-stop-daemon; do
				rm -f "$root$d"
				vm_copy_exe "$root" "$ssd" "$d" || return 1
			done
		fi
		# DAEMON_OPTS for the test: verbose, a short cooldown.
		sed 's/^DAEMON_OPTS=.*/DAEMON_OPTS="-v -c \/dev\/null --cooldown=5"/' \
			init.d/ghostmemory.default >"$root/etc/default/ghostmemory"
	fi
	# VM_ROOT_HOOK (set by a test): a function that adds to the root.
	if [ -n "${VM_ROOT_HOOK:-}" ]; then
		"$VM_ROOT_HOOK" "$root" || return 1
	fi
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$vi_out" || return 1
	rm -rf "$root"
}

# vm_disk FILE SIZE_MB FS
vm_disk() {
	rm -f "$1"
	mkfs_image "$3" "$1" "${2}M" >"$1.mkfs.log" 2>&1
}

# vm_boot LOG DISK INITRD HOST_TIMEOUT_S gm.key=value...
# The guest powers itself off; the host timeout is the backstop.
vm_boot() {
	log=$1 disk=$2 initrd=$3 t=$4
	shift 4
	timeout -k 10 "$t" qemu-system-x86_64 -accel tcg -m "$VM_MEM" -smp 1 \
		-nographic -no-reboot -kernel "$VM_KERNEL" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 quiet gm.fs=$VM_FS $*" \
		-drive "file=$disk,if=virtio,format=raw${VM_DRIVE_OPTS:+,$VM_DRIVE_OPTS}" \
		-nic none \
		</dev/null >"$log.raw" 2>&1
	VM_RC=$?
	# SeaBIOS's screen-clearing escapes can precede the first line.
	tr -d '\r' <"$log.raw" | sed 's/^.*\x1b\[[0-9;?]*[A-Za-z]//' >"$log"
	rm -f "$log.raw"
	[ "$VM_RC" -eq 124 ] && echo "GMRESULT host_timeout=1" >>"$log"
	return 0
}

# vm_val LOG FILTER KEY: KEY's value in the last "GMRESULT FILTER..." line.
vm_val() {
	grep "^GMRESULT $2" "$1" | tail -n 1 | tr ' ' '\n' |
		sed -n "s/^$3=//p" | head -n 1
}

# vm_fail NAME WHY LOG: a FAIL line with the guest's log tail.
vm_fail() {
	echo "FAIL $1: $2"
	echo "---- guest log tail ($3)"
	grep -v '^GMLOG ' "$3" | tail -n 40 | sed 's/^/  | /'
	grep '^GMLOG ' "$3" | tail -n 40 | sed 's/^/  | /'
	echo "----"
}

# Debian's swapspace (the peer the benchmark compares with), fetched into
# the cache at run time; sets VM_SWAPSPACE or VM_SKIP.
vm_swapspace_setup() {
	if ! d=$(vm_locked sh -c ". tests/vm/lib.sh; VM_CACHE='$VM_CACHE'; vm_fetch_deb swapspace"); then
		VM_SKIP="cannot fetch swapspace with apt-get download: $(tail -n 1 "$VM_CACHE/swapspace.fetch.log" 2>/dev/null)"
		return 1
	fi
	VM_SWAPSPACE=$d/usr/sbin/swapspace
	VM_SWAPSPACE_VERSION=$(ls "$VM_CACHE"/swapspace_*.deb 2>/dev/null | tail -n 1 | sed 's/.*swapspace_//; s/_.*//')
	[ -x "$VM_SWAPSPACE" ]
}

# vm_begin NAME...: set up, or print SKIP for every NAME and exit.
vm_begin() {
	trap 'vm_cleanup' EXIT
	trap 'vm_cleanup; exit 1' INT TERM
	vm_setup || skip_all "$VM_SKIP" "$@"
}

# vm_need_gm NAME...: SKIP and exit when ./ghostmemory is not built.
vm_need_gm() {
	[ -x "$VM_GM_BIN" ] || skip_all "$VM_GM_BIN not built (run make)" "$@"
}

# vm_begin_gm NAME...: how a guest test of the daemon begins: vm_begin,
# vm_need_gm, and an initramfs with ghostmemory in $VM_INITRD (a FAIL for
# every NAME and exit 1 when it cannot be built).
vm_begin_gm() {
	vm_begin "$@"
	vm_need_gm "$@"
	VM_INITRD=$VM_WORK/initrd.gz
	VM_WITH_GM=1 vm_initramfs "$VM_INITRD" || {
		for _vb_n in "$@"; do echo "FAIL $_vb_n: cannot build the initramfs"; done
		exit 1
	}
}

# vm_expect FILTER KEY OP VALUE: check one value of the current log
# ($VM_LOG); a miss is added to $VM_WHY.  OP: = != -eq -ge -le -gt -lt.
vm_expect() {
	ve=$(vm_val "$VM_LOG" "$1" "$2")
	case "$3" in
	=) [ "$ve" = "$4" ] ;;
	!=) [ "$ve" != "$4" ] ;;
	*) [ -n "$ve" ] && [ "$ve" "$3" "$4" ] 2>/dev/null ;;
	esac || vm_why "'$1' $2=${ve:-missing}, expected $3 $4"
}

vm_why() { VM_WHY="${VM_WHY:-}${VM_WHY:+; }$*"; }

# vm_files_ok DIR [MAX_OFF]: every GMFILE under DIR (in the last report
# for it is enough: all of them) is a root-owned 0600 regular file named
# by a slot number, with a swap signature, and active -- but for MAX_OFF
# (default 1: one warm spare) per report.
vm_files_ok() {
	bad=$(grep "^GMFILE path=$1/" "$VM_LOG" | grep -v -E \
		"^GMFILE path=$1/[0-9]+ size=[0-9]+ mode=600 uid=0 type=regular_file active=[01] sig=SWAPSPACE2 tag=[a-z]+\$" |
		head -n 3)
	[ -z "$bad" ] || vm_why "bad swap file: $bad"
	# An inactive file is the warm spare (or one a shrink keeps off for
	# a while): valid (above), and MAX_OFF at most per report.
	for tag in $(grep "^GMFILE path=$1/" "$VM_LOG" | sed 's/.* tag=//' | sort -u); do
		spares=$(grep -c "^GMFILE path=$1/.* active=0 .*tag=$tag\$" "$VM_LOG")
		[ "$spares" -le "${2:-1}" ] ||
			vm_why "$spares inactive files at tag=$tag (${2:-1} at most)"
	done
}

# vm_verdict NAME: PASS, or FAIL with every reason and the log tail.
vm_verdict() {
	grep -q '^GMRESULT host_timeout=1' "$VM_LOG" &&
		vm_why "the guest did not stop by itself (host timeout)"
	grep -q '^GMRESULT guest_timeout=1' "$VM_LOG" &&
		vm_why "the scenario ran past its time limit (guest timeout)"
	grep -q '^GMRESULT done=1' "$VM_LOG" || vm_why "the guest never finished"
	grep -q '^GMRESULT setup=ok' "$VM_LOG" ||
		vm_why "guest setup failed: $(grep '^GMRESULT setup=' "$VM_LOG" | head -n 1)"
	if [ -z "${VM_WHY:-}" ]; then
		pass "$1"
	else
		vm_fail "$1" "$VM_WHY" "$VM_LOG"
	fi
	VM_WHY=
}

# vm_run NAME DISK_MB HOST_TIMEOUT_S gm.k=v...: a fresh disk, one boot;
# sets VM_LOG and echoes a line with the time it took.
vm_run() {
	vr_name=$1 vr_mb=$2 vr_t=$3
	shift 3
	VM_LOG=$VM_WORK/$vr_name.log
	vm_disk "$VM_WORK/$vr_name.img" "$vr_mb" "$VM_FS" || {
		echo "FAIL $vr_name: mkfs.$VM_FS failed: $(cat "$VM_WORK/$vr_name.img.mkfs.log")"
		return 1
	}
	vr_s=$(date +%s)
	vm_boot "$VM_LOG" "$VM_WORK/$vr_name.img" "$VM_INITRD" "$vr_t" \
		gm.timeout=$((vr_t - 30)) "$@"
	rm -f "$VM_WORK/$vr_name.img"
	echo "# $vr_name: guest ran $(($(date +%s) - vr_s)) s ($*)"
}
