#!/bin/sh
# What a Debian 12 user sees, on a real init: a KVM guest (Debian's own
# kernel, systemd and sysvinit both installed) boots twice, once with
# systemd and once with sysvinit, and each time, from a boot-time job:
#   apt-get install ./ghostmemory.deb   -> exit 0, no warning
#   the daemon runs, /etc/init.d/ghostmemory status says 0
#   kill -USR1 $(cat /run/ghostmemory.pid) -> a state dump in syslog
#     (the journal under systemd, /var/log/syslog from rsyslog on sysvinit)
#   a shortage (--meminfo-file fixture) -> the daemon adds real swap
#     files: swapon works under the systemd unit's hardening
#   reload -> "configuration reloaded"
#   apt-get purge with those files active -> exit 0, files swapped off and
#     deleted, nothing of the package left.
# Root and qemu-system-x86_64 needed.  The guest runs under TCG (about a
# minute a boot); GM_QEMU_ACCEL=kvm uses KVM where it works (nested KVM
# on some hosts starts guests that never print a line).  The guest tree (minbase
# plus systemd, sysvinit-core, udev, rsyslog, Debian's kernel) is made
# once from Debian's archive and cached in $GM_CACHE (see lib.sh).
set -u
. tests/pkg/lib.sh

TESTS="install running status usr1_syslog swapon reload purge"
INITS="systemd sysv"
skip_all() {
	for i in $INITS; do
		for t in $TESTS; do skip "boot_${i}_$t" "$1"; done
	done
	exit 0
}
[ "$(id -u)" -eq 0 ] || skip_all "needs root"
[ "${GM_PKG_BOOT:-1}" = 0 ] && skip_all "turned off (GM_PKG_BOOT=0)"
ACCEL=${GM_QEMU_ACCEL:-tcg}
[ "$ACCEL" != kvm ] || [ -w /dev/kvm ] || skip_all "GM_QEMU_ACCEL=kvm but no /dev/kvm"
miss=$(missing_tools qemu-system-x86_64 debootstrap chroot mkfs.ext4 \
	truncate timeout tar gzip)
[ -z "${GM_DEB:-}" ] && miss="$miss$(missing_tools $PKG_BUILD_TOOLS)"
[ -n "$miss" ] && skip_all "missing $miss"

work=$(mktemp -d /tmp/gm-boot.XXXXXX)
root=$work/root
qemu_pid=
cleanup() {
	# TERM to timeout(1), which passes it on to qemu (its own group).
	[ -n "$qemu_pid" ] && kill -TERM "$qemu_pid" 2>/dev/null &&
		wait "$qemu_pid" 2>/dev/null
	umount_in "$root" proc sys dev
	cache_rm "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- the guest tree -------------------------------------------------------
pkg_base

# make_guest DIR: minbase + both inits + kernel, from Debian's archive.
# systemd-sysv is left out so that /sbin/init is sysvinit's and systemd is
# booted with init=/lib/systemd/systemd.  orphan-sysvinit-scripts gives
# rsyslog its init script.
make_guest() {
	tar -C "$1" --numeric-owner -xzf "$BASE" || return 1
	printf '#!/bin/sh\nexit 101\n' >"$1/usr/sbin/policy-rc.d"
	chmod 0755 "$1/usr/sbin/policy-rc.d"
	mount -t proc proc "$1/proc" && mount --bind /dev "$1/dev" || return 1
	chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive sh -c '
		apt-get update -q &&
		apt-get install -y -q --no-install-recommends systemd \
			sysvinit-core orphan-sysvinit-scripts udev rsyslog \
			procps kmod linux-image-amd64 initramfs-tools &&
		apt-get clean'
	rc=$?
	umount "$1/proc" "$1/dev"
	rm -f "$1/usr/sbin/policy-rc.d"
	rm -rf "$1"/var/lib/apt/lists/*
	echo gmvm >"$1/etc/hostname"
	return $rc
}
cache_make "$GM_SUITE-guest.tar.gz" "$work/guest.log" make_guest ||
	skip_all "cannot make the guest tree: $(tail_of "$work/guest.log" 4)"
GUEST=$GM_CACHE/$GM_SUITE-guest.tar.gz

# --- the package ----------------------------------------------------------
pkg_deb $(for i in $INITS; do echo "boot_${i}_install"; done)

# --- the job the guest runs at boot ---------------------------------------
mkdir "$root"
tar -C "$root" --numeric-owner -xzf "$GUEST" || skip_all "cannot unpack $GUEST"
cp "$deb" "$root/root/ghostmemory.deb"
mkdir -p "$root/usr/local/sbin"
cat >"$root/usr/local/sbin/gm-boottest" <<'GUEST_EOF'
#!/bin/sh
# Runs once at boot (systemd unit or inittab); reports on the second
# serial line, which nothing else writes to.
exec >/dev/ttyS1 2>&1
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive
if [ -d /run/systemd/system ]; then init=systemd; else init=sysv; fi
say() { echo "GMTEST $1 boot_${init}_$2${3:+: $3}"; }
ok() { say PASS "$1"; }
bad() { say FAIL "$1" "$2"; }
# waitfor SECONDS CMD...: until CMD succeeds
waitfor() {
	n=$(($1 * 10)); shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1)); [ $n -le 0 ] && return 1; sleep 0.1
	done
}
logs() {
	if [ $init = systemd ]; then journalctl -b -q -o cat -t ghostmemory
	else cat /var/log/syslog; fi 2>/dev/null
}
inlog() { logs | grep -q -e "$1"; }
gm_swaps() { grep -c '^/var/lib/ghostmemory/' /proc/swaps; }
has_swaps() { [ "$(gm_swaps)" -ge 1 ]; }
pid_ok() {
	p=$(cat /run/ghostmemory.pid 2>/dev/null) &&
		[ "$(readlink /proc/$p/exe)" = /usr/sbin/ghostmemory ]
}
short() {
	cat >/run/gm-meminfo <<EOF
MemTotal:        1000000 kB
MemFree:          100000 kB
MemAvailable:     100000 kB
SwapTotal:             0 kB
SwapFree:              0 kB
EOF
}

echo "GMTEST BEGIN $init"
apt-get install -y /root/ghostmemory.deb >/root/install.log 2>&1
rc=$?
if [ $rc -eq 0 ] && ! grep -q 'ghostmemory: warning' /root/install.log; then
	ok install
else
	bad install "exit $rc: $(tail -n 5 /root/install.log | tr '\n' '|')"
fi

if waitfor 30 pid_ok; then
	if [ $init = systemd ] && ! systemctl -q is-active ghostmemory; then
		bad running "systemctl: $(systemctl is-active ghostmemory)"
	elif [ $init = sysv ] && [ -d /run/systemd/system ]; then
		bad running "systemd present"
	else
		ok running
	fi
else
	bad running "no daemon behind /run/ghostmemory.pid: $(logs | tail -n 5 | tr '\n' '|')"
fi

/etc/init.d/ghostmemory status >/root/status.log 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok status
else bad status "exit $rc: $(tr '\n' '|' </root/status.log)"; fi

if kill -USR1 "$(cat /run/ghostmemory.pid)" && waitfor 10 inlog 'dump state='; then
	ok usr1_syslog
else
	bad usr1_syslog "no dump: $(logs | tail -n 5 | tr '\n' '|')"
fi

# A shortage the daemon believes: it must add real swap files.
short
echo 'DAEMON_OPTS="--meminfo-file=/run/gm-meminfo --swapsize=16m --max_swapsize=16m --max_total=32m --psi=no --spare=no"' \
	>/etc/default/ghostmemory
/etc/init.d/ghostmemory restart >/root/restart.log 2>&1
if waitfor 30 has_swaps; then
	f=$(grep -o '^/var/lib/ghostmemory/[0-9]*' /proc/swaps | head -n 1)
	m=$(stat -c '%a %U' "$f" /var/lib/ghostmemory | tr '\n' ' ')
	if [ "$m" = "600 root 700 root " ]; then ok swapon
	else bad swapon "modes: $m"; fi
else
	bad swapon "no swap file: $(logs | tail -n 6 | tr '\n' '|')"
fi

if [ $init = systemd ]; then systemctl reload ghostmemory
else /etc/init.d/ghostmemory force-reload; fi >/root/reload.log 2>&1
rc=$?
if [ $rc -eq 0 ] && waitfor 10 inlog 'configuration reloaded'; then ok reload
else bad reload "exit $rc: $(logs | tail -n 3 | tr '\n' '|')"; fi

before=$(gm_swaps)
apt-get purge -y ghostmemory >/root/purge.log 2>&1
rc=$?
left=$(ls -d /var/lib/ghostmemory /etc/ghostmemory.conf /etc/default/ghostmemory \
	/etc/init.d/ghostmemory /usr/sbin/ghostmemory /run/ghostmemory.pid 2>/dev/null)
if [ $rc -ne 0 ] || grep -q 'ghostmemory: warning' /root/purge.log; then
	bad purge "exit $rc: $(tail -n 5 /root/purge.log | tr '\n' '|')"
elif [ "$before" -lt 1 ] || [ "$(gm_swaps)" -ne 0 ] || [ -n "$left" ]; then
	bad purge "swap files before $before, after $(gm_swaps); left: $left"
elif pgrep -x ghostmemory >/dev/null; then
	bad purge "daemon still running"
else
	ok purge
fi
# The daemon's own words, for the record (not judged).
logs | grep 'ghostmemory' | grep -v 'dump ' | head -n 12 | sed 's/^/GMLOG /'
echo "GMTEST END $init"
sync
echo o >/proc/sysrq-trigger
GUEST_EOF
chmod 0755 "$root/usr/local/sbin/gm-boottest"

cat >"$root/etc/systemd/system/gm-boottest.service" <<'EOF'
[Unit]
Description=ghostmemory package test
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/gm-boottest

[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -s /etc/systemd/system/gm-boottest.service \
	"$root/etc/systemd/system/multi-user.target.wants/gm-boottest.service"
# sysvinit: after rc 2 has run (l2 is a "wait" entry, so it comes first).
echo 'gm:2:once:/usr/local/sbin/gm-boottest' >>"$root/etc/inittab"

kernel=$(ls "$root"/boot/vmlinuz-* | head -n 1)
initrd=$(ls "$root"/boot/initrd.img-* | head -n 1)
cp "$kernel" "$work/vmlinuz" && cp "$initrd" "$work/initrd" ||
	skip_all "no kernel in the guest tree"
truncate -s 3G "$work/disk0.img"
if ! mkfs.ext4 -q -F -L gmroot -d "$root" "$work/disk0.img" >"$work/mkfs.log" 2>&1; then
	for i in $INITS; do fail "boot_${i}_install" "mkfs.ext4 -d: $(tail_of "$work/mkfs.log")"; done
	exit 0
fi
rm -rf "$root"

# boot INIT: one boot from a fresh copy of the disk, results on stdout.
boot() {
	cp --sparse=always "$work/disk0.img" "$work/disk.img"
	t0=$(date +%s)
	initarg=
	[ "$1" = systemd ] && initarg=init=/lib/systemd/systemd
	timeout 400 qemu-system-x86_64 -accel "$ACCEL" -smp 2 -m 1024 \
		-display none -monitor none -no-reboot \
		-serial "file:$work/console-$1.log" \
		-serial "file:$work/results-$1.log" \
		-kernel "$work/vmlinuz" -initrd "$work/initrd" \
		-drive "file=$work/disk.img,format=raw,if=virtio" \
		-append "root=/dev/vda rw console=ttyS0 panic=-1 $initarg" \
		>"$work/qemu-$1.log" 2>&1 &
	qemu_pid=$!
	wait "$qemu_pid"
	qemu_pid=
	echo "# boot with $1 ($ACCEL): $(($(date +%s) - t0)) s"
	tr -d '\r' <"$work/results-$1.log" >"$work/results-$1.txt"
	grep -a '^GMLOG ' "$work/results-$1.txt" | sed "s/^GMLOG /# $1 guest log: /"
	for t in $TESTS; do
		n=boot_${1}_$t
		line=$(grep -a "^GMTEST [A-Z]* $n\\(:\\|\$\\)" "$work/results-$1.txt" | tail -n 1)
		case $line in
		"GMTEST PASS $n") pass "$n" ;;
		"GMTEST FAIL $n"*) echo "FAIL ${line#GMTEST FAIL }" ;;
		*) fail "$n" "no result; console: $(tr -d '\r' <"$work/console-$1.log" | tail_of /dev/stdin 6) results: $(tail_of "$work/results-$1.txt" 4) qemu: $(tail_of "$work/qemu-$1.log" 3)" ;;
		esac
	done
}
for i in $INITS; do
	boot "$i"
done
