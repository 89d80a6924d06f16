#!/bin/sh
# Install the package into a throwaway Debian 12 chroot the way a user
# does (apt-get install ./ghostmemory_*.deb), check files and modes,
# install it again over itself, remove it, purge it: nothing may be left
# behind and no maintainer script may fail.  Two rounds:
#   round 1: /proc mounted, policy-rc.d saying 101 (a normal chroot);
#            a leftover swap file must be deleted by the purge.
#   round 2: no /proc and no policy-rc.d (no init at all).
# Root only.  The minbase chroot comes from debootstrap (its default
# mirror) and is cached as a tarball in $GM_CACHE (default
# /var/cache/ghostmemory-test; see lib.sh), so only the first run
# downloads.
# GM_DEB=path uses an already built .deb instead of building one.
set -u
. tests/pkg/lib.sh

CASES="chroot_base chroot_install chroot_files chroot_not_started
chroot_daemon_runs chroot_reinstall chroot_remove chroot_purge chroot_nothing_left
chroot_noinit_cycle"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (chroot, debootstrap)"
miss=$(missing_tools debootstrap chroot tar gzip mount umount mkfs.ext4 \
	truncate timeout)
[ -z "${GM_DEB:-}" ] && miss="$miss$(missing_tools $PKG_BUILD_TOOLS)"
[ -n "$miss" ] && skip_all "missing $miss"

work=$(mktemp -d /tmp/gm-chroot.XXXXXX)
root=$work/root

# Kill whatever still runs inside the chroot, unmount, and delete the
# tree only when nothing is mounted below it any more.
cleanup() {
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] &&
			kill -9 "${p#/proc/}" 2>/dev/null
	done
	umount_in "$root" mnt/gmswap proc
	cache_rm "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- the base system -----------------------------------------------------
pkg_base

new_root() {
	rm -rf "$root" && mkdir "$root" &&
		tar -C "$root" --numeric-owner -xzf "$BASE"
}
if new_root && [ -x "$root/usr/bin/apt-get" ]; then
	pass chroot_base
else
	fail chroot_base "cannot unpack $BASE"
	exit 0
fi

# --- the package ---------------------------------------------------------
pkg_deb chroot_install

# in_root CMD...: run in the chroot with a clean environment.
in_root() {
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}
# apt_root LOG ARGS...: apt-get in the chroot; fails on a nonzero exit or
# on any maintainer-script warning of ours or dpkg error.
apt_root() {
	log=$1
	shift
	in_root apt-get -y -q -o Dpkg::Use-Pty=0 \
		-o Dpkg::Options::=--force-confold "$@" >"$log" 2>&1 || return 1
	! grep -E -q 'ghostmemory: warning|subprocess .* returned error|^E: ' "$log"
}
# Names of everything in the chroot apart from what apt and dpkg keep
# for themselves, to compare before install and after purge.
snapshot() {
	(cd "$root" && find . -xdev \
		\( -path ./proc -o -path ./dev -o -path ./tmp \
		-o -path ./var/cache/apt -o -path ./var/lib/apt \
		-o -path ./var/log -o -path ./var/cache/debconf \
		-o -path ./var/lib/dpkg \) -prune -o -print) | sort >"$1"
}
running_in_root() {
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && return 0
	done
	return 1
}
fileinfo() {
	stat -c '%A %U:%G' "$root$1" 2>/dev/null
}

cp "$deb" "$root/tmp/ghostmemory.deb"

# --- round 1: a normal chroot -------------------------------------------
mount -t proc proc "$root/proc"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
snapshot "$work/before"

if apt_root "$work/install.log" install /tmp/ghostmemory.deb &&
	in_root dpkg-query -W -f '${Status}\n' ghostmemory |
	grep -qx 'install ok installed'; then
	pass chroot_install
else
	fail chroot_install "$(tail_of "$work/install.log")"
fi

bad=
[ "$(fileinfo /usr/sbin/ghostmemory)" = "-rwxr-xr-x root:root" ] ||
	bad="$bad [/usr/sbin/ghostmemory: $(fileinfo /usr/sbin/ghostmemory)]"
[ "$(fileinfo /etc/init.d/ghostmemory)" = "-rwxr-xr-x root:root" ] ||
	bad="$bad [/etc/init.d/ghostmemory: $(fileinfo /etc/init.d/ghostmemory)]"
[ "$(fileinfo /var/lib/ghostmemory)" = "drwx------ root:root" ] ||
	bad="$bad [/var/lib/ghostmemory: $(fileinfo /var/lib/ghostmemory)]"
[ "$(fileinfo /etc/ghostmemory.conf)" = "-rw-r--r-- root:root" ] ||
	bad="$bad [/etc/ghostmemory.conf: $(fileinfo /etc/ghostmemory.conf)]"
for f in /lib/systemd/system/ghostmemory.service \
	/usr/share/man/man8/ghostmemory.8.gz \
	/usr/share/man/man5/ghostmemory.conf.5.gz; do
	[ -f "$root$f" ] || bad="$bad [$f missing]"
done
conff=$(in_root dpkg-query -W -f '${Conffiles}\n' ghostmemory)
for f in /etc/ghostmemory.conf /etc/default/ghostmemory /etc/init.d/ghostmemory \
	/etc/apt/apt.conf.d/20ghostmemory; do
	echo "$conff" | grep -q "^ $f " || bad="$bad [$f not a conffile]"
done
ls "$root"/etc/rc2.d/S[0-9][0-9]ghostmemory >/dev/null 2>&1 ||
	bad="$bad [no /etc/rc2.d start link]"
in_root /usr/sbin/ghostmemory -V >"$work/version" 2>&1 ||
	bad="$bad [ghostmemory -V: $(cat "$work/version")]"
if [ -z "$bad" ]; then pass chroot_files; else fail chroot_files "$bad"; fi

if running_in_root; then
	fail chroot_not_started "a process runs in the chroot after install"
elif grep -q 'policy-rc.d denied\|Defaulting to block' "$work/install.log" ||
	! grep -q 'invoke-rc.d' "$work/install.log"; then
	pass chroot_not_started
else
	fail chroot_not_started "$(tail_of "$work/install.log")"
fi

# The packaged binary (built with Debian's hardening flags) runs: in the
# foreground for 3 s on a loop-mounted ext4, then exits 0 on SIGTERM.
truncate -s 32M "$work/swap.img" && mkfs.ext4 -q -F "$work/swap.img" &&
	mkdir "$root/mnt/gmswap" && mount -o loop "$work/swap.img" "$root/mnt/gmswap"
printf 'MemTotal: 4000000 kB\nMemFree: 1000000 kB\nMemAvailable: 1000000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n' \
	>"$root/tmp/meminfo"
in_root timeout --preserve-status -s TERM 3 /usr/sbin/ghostmemory -v \
	-c /dev/null -s /mnt/gmswap/swap -p /tmp/gm.pid --rundir=/tmp/gmrun \
	--meminfo-file=/tmp/meminfo >"$work/smoke.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q 'started' "$work/smoke.log" &&
	[ -z "$(ls -A "$root/mnt/gmswap/swap" 2>/dev/null)" ]; then
	pass chroot_daemon_runs
else
	fail chroot_daemon_runs "exit $rc: $(tail_of "$work/smoke.log" 5)"
fi
umount "$root/mnt/gmswap" && rmdir "$root/mnt/gmswap"
rm -rf "$root/tmp/gmrun" "$root/tmp/gm.pid" "$root/tmp/meminfo"

# A local change to the config must survive the reinstall (conffile).
echo '# local change' >>"$root/etc/ghostmemory.conf"
if apt_root "$work/reinstall.log" install --reinstall /tmp/ghostmemory.deb &&
	grep -q '^# local change' "$root/etc/ghostmemory.conf" &&
	[ "$(fileinfo /var/lib/ghostmemory)" = "drwx------ root:root" ]; then
	pass chroot_reinstall
else
	fail chroot_reinstall "$(tail_of "$work/reinstall.log")"
fi

if apt_root "$work/remove.log" remove ghostmemory &&
	[ ! -e "$root/usr/sbin/ghostmemory" ] &&
	[ -f "$root/etc/ghostmemory.conf" ] &&
	in_root dpkg-query -W -f '${Status}\n' ghostmemory |
	grep -qx 'deinstall ok config-files'; then
	pass chroot_remove
else
	fail chroot_remove "$(tail_of "$work/remove.log")"
fi

# Leftovers the daemon would have made (inactive: nothing to swapoff).
dd if=/dev/zero of="$root/var/lib/ghostmemory/1" bs=4096 count=16 2>/dev/null
dd if=/dev/zero of="$root/var/lib/ghostmemory/7" bs=4096 count=16 2>/dev/null
chmod 0600 "$root/var/lib/ghostmemory/1" "$root/var/lib/ghostmemory/7"
if apt_root "$work/purge.log" purge ghostmemory &&
	! in_root dpkg-query -W ghostmemory >/dev/null 2>&1 &&
	[ ! -e "$root/var/lib/ghostmemory" ]; then
	pass chroot_purge
else
	fail chroot_purge "$(tail_of "$work/purge.log")"
fi

snapshot "$work/after"
if diff "$work/before" "$work/after" >"$work/diff"; then
	pass chroot_nothing_left
else
	fail chroot_nothing_left "$(grep '^[<>]' "$work/diff" | head -n 20 | tr '\n' ' ')"
fi
umount "$root/proc"

# --- round 2: no init, no policy-rc.d, no /proc ---------------------------
rm -f "$root/usr/sbin/policy-rc.d"
snapshot "$work/before2"
if ! apt_root "$work/i2.log" install /tmp/ghostmemory.deb; then
	fail chroot_noinit_cycle "install: $(tail_of "$work/i2.log")"
elif running_in_root; then
	fail chroot_noinit_cycle "the daemon started in a chroot without init"
elif ! apt_root "$work/r2.log" remove ghostmemory; then
	fail chroot_noinit_cycle "remove: $(tail_of "$work/r2.log")"
elif ! apt_root "$work/p2.log" purge ghostmemory; then
	fail chroot_noinit_cycle "purge: $(tail_of "$work/p2.log")"
else
	snapshot "$work/after2"
	if diff "$work/before2" "$work/after2" >"$work/diff2"; then
		pass chroot_noinit_cycle
	else
		fail chroot_noinit_cycle "left: $(grep '^[<>]' "$work/diff2" | head -n 20 | tr '\n' ' ')"
	fi
fi
echo "# chroot test logs: install, reinstall, remove, purge summaries"
for l in install reinstall remove purge; do
	echo "# $l: $(grep -E 'Setting up|Removing|Purging|invoke-rc.d|warning' "$work/$l.log" | tr '\n' ' ' | cut -c 1-300)"
done
