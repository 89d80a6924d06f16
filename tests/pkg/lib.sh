# shellcheck shell=sh disable=SC2034
# Helpers for tests/pkg/t_*.sh (sourced from the repository top; not a
# test itself); pass, fail, skip and skip_all are in tests/lib/common.sh.

. tests/lib/common.sh

# missing_tools tool...: print the ones not on PATH (nothing: all there).
missing_tools() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || printf '%s ' "$t"
	done
}

# tail_of FILE: the last lines of a log, on one line, for a FAIL message.
tail_of() {
	tail -n "${2:-8}" "$1" 2>/dev/null | tr '\n' '|' | cut -c 1-1500
}

# pkg_build OUTDIR [DEB_BUILD_OPTIONS]: build source + binary packages of
# this tree with mk/deb.mk into OUTDIR; the log goes to OUTDIR.log.
# The unit tests are skipped unless asked for: they have their own suite.
pkg_build() {
	(
		unset MAKEFLAGS MAKELEVEL MFLAGS
		make -f mk/deb.mk deb DEB_OUT="$1" \
			DEB_BUILD_OPTIONS="${2-nocheck}"
	) >"$1.log" 2>&1
}

# The tools a package build needs.
PKG_BUILD_TOOLS="make dpkg-buildpackage dpkg-parsechangelog dh autoconf cc"

# --- cached Debian trees (root only) ------------------------------------
# Tarballs live in $GM_CACHE (default /var/cache/ghostmemory-test), made
# once with debootstrap's default mirror and reused by every later run.
GM_CACHE=${GM_CACHE:-/var/cache/ghostmemory-test}
GM_SUITE=bookworm

# cache_make NAME LOG CMD...: unless $GM_CACHE/NAME exists, run CMD with
# the path of a new empty directory appended; CMD fills it, and its
# contents become the tarball NAME.  Serialized with flock when there.
# Returns 1 (with CMD's output in LOG) when CMD fails.
cache_make() {
	_name=$1 _log=$2
	shift 2
	[ -s "$GM_CACHE/$_name" ] && return 0
	mkdir -p "$GM_CACHE" || return 1
	if command -v flock >/dev/null 2>&1; then
		(
			flock 9 || exit 1
			[ -s "$GM_CACHE/$_name" ] || cache_fill "$_name" "$_log" "$@"
		) 9>"$GM_CACHE/.lock"
	else
		cache_fill "$_name" "$_log" "$@"
	fi
}
cache_fill() {
	_name=$1 _log=$2
	shift 2
	_tmp=$(mktemp -d "$GM_CACHE/.new.XXXXXX") || return 1
	mkdir "$_tmp/root"
	if "$@" "$_tmp/root" >"$_log" 2>&1 &&
		tar -C "$_tmp/root" --numeric-owner -czf "$_tmp/t.tar.gz" . &&
		mv "$_tmp/t.tar.gz" "$GM_CACHE/$_name"; then
		cache_rm "$_tmp"
		return 0
	fi
	cache_rm "$_tmp"
	return 1
}
# rm -rf a tree, but never through a mount point left inside it.
cache_rm() {
	if grep -q " $1/" /proc/mounts; then
		echo "# $1 still has mounts; left in place" >&2
		return 1
	fi
	rm -rf "$1"
}

# The minbase system: debootstrap --variant=minbase.
debootstrap_minbase() {
	debootstrap --variant=minbase "$GM_SUITE" "$1"
}
base_tarball() {
	cache_make "$GM_SUITE-minbase.tar.gz" "$1" debootstrap_minbase &&
		echo "$GM_CACHE/$GM_SUITE-minbase.tar.gz"
}

# --- what the tests that install the package share -----------------------
# umount_in ROOT DIR...: unmount each ROOT/DIR that is a mount point.
umount_in() {
	_ui_root=$1
	shift
	for _ui_m in "$@"; do
		grep -q " $_ui_root/$_ui_m " /proc/mounts &&
			umount "$_ui_root/$_ui_m"
	done
}

# pkg_base: $BASE, the cached minbase tarball, its log in $work; when
# debootstrap cannot make it, skip_all.
pkg_base() {
	BASE=$(base_tarball "$work/debootstrap.log") ||
		skip_all "debootstrap $GM_SUITE failed (no archive access?): $(tail_of "$work/debootstrap.log" 4)"
}

# pkg_deb CASE...: $deb, the package to install: $GM_DEB, or one built
# from this tree into $work/out.  A failed build FAILs every CASE and
# ends the test.
pkg_deb() {
	if [ -n "${GM_DEB:-}" ]; then
		deb=$GM_DEB
		return 0
	fi
	if ! pkg_build "$work/out"; then
		for _pd_c in "$@"; do
			fail "$_pd_c" "package build failed: $(tail_of "$work/out.log" 12)"
		done
		exit 0
	fi
	deb=$(ls "$work"/out/ghostmemory_*_"$(dpkg --print-architecture)".deb | head -n 1)
}

# --- the booted Debian 12 guest (t_boot.sh, t_autopkgtest.sh) -------------
# chroot_apt DIR SCRIPT: SCRIPT (sh, apt's network there) in the tree
# DIR with /proc and /dev mounted and services kept from starting; after
# it apt's lists and sources are removed, so nothing in the guest can
# reach an archive.  SCRIPT's status.
chroot_apt() {
	printf '#!/bin/sh\nexit 101\n' >"$1/usr/sbin/policy-rc.d"
	chmod 0755 "$1/usr/sbin/policy-rc.d"
	mount -t proc proc "$1/proc" && mount --bind /dev "$1/dev" || return 1
	chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive sh -c "$2"
	_ca_rc=$?
	umount "$1/proc" "$1/dev"
	rm -f "$1/usr/sbin/policy-rc.d"
	rm -rf "$1"/var/lib/apt/lists/*
	: >"$1/etc/apt/sources.list"
	rm -f "$1"/etc/apt/sources.list.d/*
	return $_ca_rc
}

# make_guest DIR: minbase + both inits + Debian's kernel, plus autopkgtest
# (the package's own tests run inside the guest with its null runner) and
# python3 (autopkgtest needs it; the purge test's workload uses it).
# systemd-sysv is left out so that /sbin/init is sysvinit's and systemd is
# booted with init=/lib/systemd/systemd.  orphan-sysvinit-scripts gives
# rsyslog its init script.  The guest has no network.
make_guest() {
	tar -C "$1" --numeric-owner -xzf "$BASE" || return 1
	chroot_apt "$1" '
		apt-get update -q &&
		apt-get install -y -q --no-install-recommends systemd \
			sysvinit-core orphan-sysvinit-scripts udev rsyslog \
			procps kmod linux-image-amd64 initramfs-tools \
			autopkgtest python3 &&
		apt-get clean'
	rc=$?
	echo gmvm >"$1/etc/hostname"
	return $rc
}
# guest_tarball LOG: the cached guest tree (made once); its path on stdout.
# Needs BASE (base_tarball).
guest_tarball() {
	cache_make "$GM_SUITE-guest-apt.tar.gz" "$1" make_guest &&
		echo "$GM_CACHE/$GM_SUITE-guest-apt.tar.gz"
}

# make_guest_work DIR: the guest tree of make_guest plus what the real
# workloads of tests/vm/wl_*.sh need (issue 14): g++ and make for
# the compile, and googletest, whose sources in /usr/src/googletest are
# what it compiles.  Its initramfs holds only the modules that mount the
# root (virtio_pci, virtio_blk, ext4: 6 instead of 36 MiB), so that a
# guest of less than 256 MiB can unpack it at boot.  Made from the
# cached guest tree with the host's own apt sources (copied in for the
# install, removed after): Debian packages only, no network left in the
# guest.
make_guest_work() {
	tar -C "$1" --numeric-owner -xzf "$GUEST_TARBALL" || return 1
	cp -a /etc/apt/sources.list.d/. "$1/etc/apt/sources.list.d/" 2>/dev/null
	[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$1/etc/apt/"
	rm -f "$1"/etc/apt/sources.list.d/*.disabled*
	chroot_apt "$1" '
		apt-get update -q &&
		apt-get install -y -q --no-install-recommends g++ make \
			googletest &&
		apt-get clean &&
		echo MODULES=list >/etc/initramfs-tools/conf.d/gm-small &&
		printf "virtio_pci\nvirtio_blk\next4\n" >>/etc/initramfs-tools/modules &&
		update-initramfs -u -k all'
}
# guest_work_tarball LOG: the cached tree of make_guest_work (made once
# from guest_tarball's); its path on stdout.  Needs BASE.
guest_work_tarball() {
	GUEST_TARBALL=$(guest_tarball "$1") &&
		cache_make "$GM_SUITE-guest-work.tar.gz" "$1" make_guest_work &&
		echo "$GM_CACHE/$GM_SUITE-guest-work.tar.gz"
}

# guest_cannot: why a booted-guest test cannot run here (on stdout, and
# status 0), or status 1 when it can.
guest_cannot() {
	_miss=$(missing_tools qemu-system-x86_64 debootstrap chroot mkfs.ext4 \
		truncate timeout tar gzip)
	[ -z "${GM_DEB:-}" ] && _miss="$_miss$(missing_tools $PKG_BUILD_TOOLS)"
	if [ "$(id -u)" -ne 0 ]; then
		echo "needs root"
	elif [ "${GM_PKG_BOOT:-1}" = 0 ]; then
		echo "turned off (GM_PKG_BOOT=0)"
	elif [ "${GM_QEMU_ACCEL:-tcg}" = kvm ] && [ ! -w /dev/kvm ]; then
		echo "GM_QEMU_ACCEL=kvm but no /dev/kvm"
	elif [ -n "$_miss" ]; then
		echo "missing $_miss"
	else
		return 1
	fi
}

# guest_work TAG: sets work (a new /tmp/gm-TAG.XXXXXX), root ($work/root,
# where the guest tree is unpacked) and qemu_pid, and traps guest_cleanup.
guest_work() {
	work=$(mktemp -d "/tmp/gm-$1.XXXXXX") || exit 1
	root=$work/root
	qemu_pid=
	trap guest_cleanup EXIT
	trap 'exit 1' INT TERM
}
guest_cleanup() {
	# TERM to timeout(1), which passes it on to qemu (its own group).
	[ -n "$qemu_pid" ] && kill -TERM "$qemu_pid" 2>/dev/null &&
		wait "$qemu_pid" 2>/dev/null
	umount_in "$root" proc sys dev
	cache_rm "$work"
}

# guest_unpack: the cached guest tree (made first if need be) unpacked in
# $root; when it cannot be, skip_all.  GUEST_TREE names another function
# that gives a tree's tarball (guest_work_tarball).
guest_unpack() {
	pkg_base
	_g=$(${GUEST_TREE:-guest_tarball} "$work/guest.log") ||
		skip_all "cannot make the guest tree: $(tail_of "$work/guest.log" 4)"
	mkdir "$root" && tar -C "$root" --numeric-owner -xzf "$_g" ||
		skip_all "cannot unpack $_g"
}

# guest_job ROOT SCRIPT: SCRIPT runs once at boot in the guest tree ROOT,
# from a systemd unit or (sysvinit) from inittab after rc 2 (l2 is a
# "wait" entry, so it comes first).  It reports on the second serial
# line (/dev/ttyS1), which nothing else writes to, lines
#   GMTEST PASS name | GMTEST FAIL name: why | GMLOG text
# and powers the guest off (echo o >/proc/sysrq-trigger).
guest_job() {
	mkdir -p "$1/usr/local/sbin" "$1/etc/systemd/system/multi-user.target.wants"
	cp "$2" "$1/usr/local/sbin/gm-boottest" &&
		chmod 0755 "$1/usr/local/sbin/gm-boottest" || return 1
	cat >"$1/etc/systemd/system/gm-boottest.service" <<'UNIT'
[Unit]
Description=ghostmemory package test
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/gm-boottest

[Install]
WantedBy=multi-user.target
UNIT
	ln -s /etc/systemd/system/gm-boottest.service \
		"$1/etc/systemd/system/multi-user.target.wants/gm-boottest.service"
	echo 'gm:2:once:/usr/local/sbin/gm-boottest' >>"$1/etc/inittab"
}

# guest_disk ROOT WORK: the kernel and initrd of ROOT go to WORK/vmlinuz
# and WORK/initrd, the tree itself to the ext4 image WORK/disk0.img
# (GUEST_DISK bytes, default 3G).
guest_disk() {
	cp "$(ls "$1"/boot/vmlinuz-* | head -n 1)" "$2/vmlinuz" &&
		cp "$(ls "$1"/boot/initrd.img-* | head -n 1)" "$2/initrd" ||
		return 1
	truncate -s "${GUEST_DISK:-3G}" "$2/disk0.img"
	mkfs.ext4 -q -F -L gmroot -d "$1" "$2/disk0.img" >"$2/mkfs.log" 2>&1
}

# guest_boot WORK NAME SECONDS [KERNEL ARGS]: one boot from a fresh copy
# of WORK/disk0.img, $GUEST_MEM MiB (default 1 GiB), 2 vCPUs, no network at all (-nic none: qemu
# would otherwise give it user-mode networking).  The job's report lands
# in WORK/results-NAME.txt, the console in WORK/console-NAME.log.
# $qemu_pid is set while it runs (for the caller's cleanup).
guest_boot() {
	_w=$1 _n=$2 _t=$3
	shift 3
	cp --sparse=always "$_w/disk0.img" "$_w/disk.img"
	_t0=$(date +%s)
	timeout "$_t" qemu-system-x86_64 -accel "${GM_QEMU_ACCEL:-tcg}" \
		-smp 2 -m "${GUEST_MEM:-1024}" -nic none \
		-display none -monitor none -no-reboot \
		-serial "file:$_w/console-$_n.log" \
		-serial "file:$_w/results-$_n.log" \
		-kernel "$_w/vmlinuz" -initrd "$_w/initrd" \
		-drive "file=$_w/disk.img,format=raw,if=virtio" \
		-append "root=/dev/vda rw console=ttyS0 panic=-1 $*" \
		>"$_w/qemu-$_n.log" 2>&1 &
	qemu_pid=$!
	wait "$qemu_pid"
	qemu_pid=
	echo "# boot $_n (${GM_QEMU_ACCEL:-tcg}): $(($(date +%s) - _t0)) s"
	tr -d '\r' <"$_w/results-$_n.log" >"$_w/results-$_n.txt"
	grep -a '^GMLOG ' "$_w/results-$_n.txt" | sed "s/^GMLOG /# $_n guest: /"
}

# guest_results WORK NAME TEST...: a PASS or FAIL line for each TEST from
# WORK/results-NAME.txt; a test the guest never reported fails with the
# console's and qemu's last lines.
guest_results() {
	_w=$1 _n=$2
	shift 2
	for _c in "$@"; do
		_l=$(grep -a "^GMTEST [A-Z]* $_c\\(:\\|\$\\)" "$_w/results-$_n.txt" | tail -n 1)
		case $_l in
		"GMTEST PASS $_c") pass "$_c" ;;
		"GMTEST FAIL $_c"*) echo "FAIL ${_l#GMTEST FAIL }" ;;
		*) fail "$_c" "no result; console: $(tr -d '\r' <"$_w/console-$_n.log" | tail_of /dev/stdin 6) results: $(tail_of "$_w/results-$_n.txt" 4) qemu: $(tail_of "$_w/qemu-$_n.log" 3)" ;;
		esac
	done
}
