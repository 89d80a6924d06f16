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
#   apt-get update (an empty local file: repository) -> the packaged apt
#     hook reserves upgrade_reserve on the daemon before and, after,
#     has it end 120 s later (RENEW: apt builds its cache after the
#     hook), its id kept for the next pre (issue 14)
#   apt-get purge with those files active -> exit 0, files swapped off and
#     deleted, nothing of the package left.
# Root and qemu-system-x86_64 needed.  The guest runs under TCG (about a
# minute a boot); GM_QEMU_ACCEL=kvm uses KVM where it works (nested KVM
# on some hosts starts guests that never print a line).  The guest has no
# network (-nic none).  Its tree (minbase plus systemd, sysvinit-core,
# udev, rsyslog, Debian's kernel, autopkgtest for t_autopkgtest.sh) is
# made once from Debian's archive and cached in $GM_CACHE (make_guest in
# lib.sh).
set -u
. tests/pkg/lib.sh

TESTS="install running status usr1_syslog swapon reload apt_hook purge"
INITS="systemd sysv"
skip_all() {
	for i in $INITS; do
		for t in $TESTS; do skip "boot_${i}_$t" "$1"; done
	done
	exit 0
}
why=$(guest_cannot) && skip_all "$why"
guest_work boot
guest_unpack
pkg_deb $(for i in $INITS; do echo "boot_${i}_install"; done)

# --- the job the guest runs at boot ---------------------------------------
cp "$deb" "$root/root/ghostmemory.deb"
cat >"$work/gm-boottest" <<'GUEST_EOF'
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

# The packaged apt hook around a real apt-get update (no network: an
# empty file: repository), on the running daemon.
hook_seen() { inlog 'reservation [0-9]* now ends in 120 s'; }
mkdir -p /root/repo && : >/root/repo/Packages
echo 'deb [trusted=yes] file:/root/repo ./' >/root/local.list
echo 'upgrade_reserve=8m' >>/etc/ghostmemory.conf
apt-get update -o Dir::Etc::sourcelist=/root/local.list \
	-o Dir::Etc::sourceparts=/nonexistent >/root/aptupd.log 2>&1
rc=$?
if [ $rc -eq 0 ] && waitfor 10 hook_seen && inlog 'reservation [0-9]*: 8 MiB' &&
	[ -s /run/ghostmemory/apt-hook.id ] &&
	! grep -q '^ghostmemory:' /root/aptupd.log; then
	ok apt_hook
else
	bad apt_hook "exit $rc: $(tail -n 4 /root/aptupd.log | tr '\n' '|') $(logs | grep reservation | tail -n 3 | tr '\n' '|')"
fi

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
guest_job "$root" "$work/gm-boottest" || skip_all "cannot install the boot job"
if ! guest_disk "$root" "$work"; then
	for i in $INITS; do fail "boot_${i}_install" "no kernel, or mkfs.ext4 -d: $(tail_of "$work/mkfs.log")"; done
	exit 0
fi
rm -rf "$root"

for i in $INITS; do
	initarg=
	[ "$i" = systemd ] && initarg=init=/lib/systemd/systemd
	guest_boot "$work" "$i" 400 $initarg
	t=
	for c in $TESTS; do t="$t boot_${i}_$c"; done
	guest_results "$work" "$i" $t
done
