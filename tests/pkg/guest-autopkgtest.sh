#!/bin/sh
# Guest side of tests/pkg/t_autopkgtest.sh (not a test itself): runs once
# at boot in the Debian 12 guest, reports "GMTEST PASS|FAIL name" lines
# on the second serial line, and powers the guest off.  Expects
# /root/ghostmemory.deb, /root/src/debian (the tests' tree) and
# /root/guest-workload.py.
exec >/dev/ttyS1 2>&1
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
DEBIAN_FRONTEND=noninteractive
export DEBIAN_FRONTEND
say() { echo "GMTEST $1 $2${3:+: $3}"; }
# waitfor SECONDS CMD...: until CMD succeeds.
waitfor() {
	n=$(($1 * 10))
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -le 0 ] && return 1
		sleep 0.1
	done
}
oneline() { tail -n "${2:-6}" "$1" | tr '\n' '|' | cut -c 1-1200; }
echo "GMTEST BEGIN"

# gm.only=purge_unfit on the kernel command line (GM_APT_ONLY on the
# host) skips autopkgtest, to work on the other test.
case " $(cat /proc/cmdline) " in
*" gm.only=purge_unfit "*) only_unfit=1 ;;
*) only_unfit= ;;
esac

# --- the package's own tests ---------------------------------------------
[ -n "$only_unfit" ] || {
echo "GMLOG autopkgtest starts at $(date +%T)"
autopkgtest --output-dir /root/apt-out /root/ghostmemory.deb /root/src/ \
	-- null >/root/autopkgtest.log 2>&1
rc=$?
if [ $rc -eq 0 ]; then
	say PASS autopkgtest_run
else
	say FAIL autopkgtest_run "exit $rc: $(oneline /root/autopkgtest.log 10)"
fi
for t in daemon usr1-syslog reload-error purge; do
	r=$(awk -v t="$t" '$1 == t { print $2 }' /root/apt-out/summary 2>/dev/null)
	if [ "$r" = PASS ]; then
		say PASS "autopkgtest_$t"
	else
		say FAIL "autopkgtest_$t" "${r:-no result}: $(oneline "/root/apt-out/$t-stdout" 8)"
	fi
done
sed -n 's/^/GMLOG autopkgtest: /p' /root/apt-out/summary 2>/dev/null
}
echo "GMLOG purge_unfit starts at $(date +%T)"

# --- purge while an active file's pages would not fit in RAM --------------
has_swap() { grep -q '^/var/lib/ghostmemory/' /proc/swaps; }
# unfit: 0 when all holds; else 1 with the reason in /root/unfit.why.
# Its progress goes to the serial line as it happens.
step() { echo "GMLOG unfit $(date +%T): $*"; }
why() {
	echo "$*" >/root/unfit.why
	step "fails: $*"
}
unfit() {
	# Installed but not started (policy-rc.d), so that the first start
	# has the options below: no standby file of the default size.
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 0755 /usr/sbin/policy-rc.d
	apt-get install -y /root/ghostmemory.deb >/root/install2.log 2>&1
	rc=$?
	rm -f /usr/sbin/policy-rc.d
	[ $rc -eq 0 ] || { why "install: $(oneline /root/install2.log)"; return 1; }
	printf '%s\n' 'MemTotal:        1000000 kB' 'MemFree:          100000 kB' \
		'MemAvailable:     100000 kB' 'SwapTotal:             0 kB' \
		'SwapFree:              0 kB' >/run/gm-meminfo
	# The daemon sees a shortage and makes one 320 MiB file; the
	# kernel sees none (the fixture is the daemon's view only).
	echo 'DAEMON_OPTS="--meminfo-file=/run/gm-meminfo --swapsize=320m --max_swapsize=320m --max_total=320m --psi=no --spare=no"' \
		>/etc/default/ghostmemory
	step installed
	systemctl start ghostmemory
	waitfor 120 has_swap ||
		{ why "no swap file: $(journalctl -q -o cat -t ghostmemory | tail -n 4 | tr '\n' '|')"; return 1; }
	f=$(grep -o '^/var/lib/ghostmemory/[0-9]*' /proc/swaps)
	[ "$(echo "$f" | wc -l)" -eq 1 ] || { why "not one file: $f"; return 1; }
	# The only swap area: the workload's pages go there.
	[ "$(grep -c -v '^Filename' /proc/swaps)" -eq 1 ] ||
		{ why "other swap: $(tr '\n' '|' </proc/swaps)"; return 1; }
	python3 /root/guest-workload.py 256 /run/gm-work.pid /run/gm-work.ok \
		>/root/workload.log 2>&1 &
	pypid=$!
	ready() { [ -s /run/gm-work.pid ] || ! kill -0 "$pypid"; }
	waitfor 600 ready && [ -s /run/gm-work.pid ] ||
		{ why "workload never ready: $(oneline /root/workload.log 3)"; return 1; }
	wpid=$(cat /run/gm-work.pid)
	step "workload $wpid paged out: $(grep -v '^Filename' /proc/swaps | tr '\n' ' ')"
	used=$(awk -v f="$f" '$1 == f { print $4 }' /proc/swaps)
	[ "${used:-0}" -ge $((200 * 1024)) ] ||
		{ why "only ${used:-0} KiB of $f in use"; return 1; }
	# Take RAM away (huge pages) until MemAvailable is about 160 MiB:
	# the file's 256 MiB would not come back, whatever the margin.
	avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
	echo $(((avail - 160 * 1024) / 2048)) >/proc/sys/vm/nr_hugepages
	avail=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
	step "$f holds $((used / 1024)) MiB, MemAvailable $((avail / 1024)) MiB with $(cat /proc/sys/vm/nr_hugepages) huge pages"
	[ "$avail" -lt "$used" ] ||
		{ why "MemAvailable $avail KiB: the pages would fit"; return 1; }

	apt-get purge -y ghostmemory >/root/purge2.log 2>&1
	rc=$?
	step "purged: exit $rc"
	grep 'ghostmemory' /root/purge2.log | head -n 8 | sed 's/^/GMLOG purge: /'
	[ $rc -eq 0 ] ||
		{ why "apt-get purge: exit $rc: $(oneline /root/purge2.log)"; return 1; }
	kill -0 "$wpid" 2>/dev/null ||
		{ why "the workload (pid $wpid) is gone: $(dmesg | grep -i 'killed process' | tail -n 2 | tr '\n' '|')"; return 1; }
	grep -q "^$f " /proc/swaps || { why "$f is no longer active"; return 1; }
	grep -q "$f stays active: .*would not fit in RAM" /root/purge2.log ||
		{ why "the output does not name $f and why: $(oneline /root/purge2.log)"; return 1; }
	[ -f "$f" ] || { why "$f deleted while active"; return 1; }
	kill -USR1 "$wpid"
	waitfor 300 test -s /run/gm-work.ok || { why "the workload never checked its pages"; return 1; }
	[ "$(cat /run/gm-work.ok)" = ok ] || { why "the workload's pages changed"; return 1; }
	if pgrep -x ghostmemory >/dev/null; then
		why "the daemon still runs"
		return 1
	fi
	s=$(dpkg-query -W -f '${db:Status-Status}' ghostmemory 2>/dev/null)
	[ -z "$s" ] || [ "$s" = not-installed ] || { why "dpkg: $s"; return 1; }
	return 0
}
rm -f /root/unfit.why
if unfit; then
	say PASS purge_unfit
else
	say FAIL purge_unfit "$(cat /root/unfit.why 2>/dev/null)"
fi
echo "GMLOG purge_unfit ends at $(date +%T)"
echo "GMTEST END"
sync
echo o >/proc/sysrq-trigger
