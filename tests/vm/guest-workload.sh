#!/bin/sh
# Guest side of tests/vm/wl_apt.sh, t_wl_build.sh and bench/workloads.sh
# (not a test itself): runs once at boot in the booted Debian 12 guest
# (tests/pkg/lib.sh guest_job) and runs one real workload once per swap
# provider, one after the other, with everything reset in between.
# Its settings are in /root/wl.conf (written by the host, plain
# assignments):
#   WL         apt | build
#   PROVIDERS  in order, of: none static swapspace reactive hook reserved
#   PKGS       apt: what apt-get install installs
#   INST       apt: every package that install brings (purged between runs)
#   JOBS       build: make -j
#   RESERVE    build: the size `ghostmemory --reserve` asks for (reserved)
#   STATIC_MB  the static swap file's size
#   RUN_TIMEOUT  seconds the run with no swap may take before it is
#              stopped (a failure: the kernel may thrash its page cache
#              for a long time before it kills anything); the others
#              have only the host's limit on the whole boot
#   MIN_TTL_MS build: when not 0, the kernel's multi-gen LRU is turned
#              on with min_ttl_ms at this value for the whole boot (every
#              provider): its thrashing prevention, which calls the OOM
#              killer when the working set of the last MIN_TTL_MS ms
#              cannot be kept in memory (Documentation/admin-guide/mm/
#              multigen_lru.rst), as a small device set up to prefer a
#              kill to minutes of thrashing does; without it a compile
#              with no swap thrashes the page cache (cc1plus's own text)
#              for many minutes and nothing is killed
# It reports on /dev/ttyS1, one line per provider:
#   GMRES wl=W prov=P ok=0|1 rc=N wall_s=S swap_max_kb=K used_max_kb=K
#         avail_min_kb=K grew=N hungry=N base_kb=K wused_max_kb=K
#         oom=N killed=NAMES clean=0|1 resv=N mem_kb=K
# (the window: from the point where the workload started -- for
# "reserved", after the reservation was met -- to its end; grew: swap
# areas added in it; hungry: samples with the daemon in state hungry in
# it; base_kb: SwapTotal at its start; wused_max_kb: the most swap used
# in it; clean: reserved only, 1 when the workload finished, nothing
# was OOM-killed, no swap was added and the daemon was never hungry in
# the window, and it never used more swap than was already active when
# it started: the reservation covered all of it; resv: reservations
# the daemon granted during the run, its "reservation N: ..." lines in
# the syslog -- the apt hook's and --reserve's) and
# GMLOG lines for the record, then powers the guest off.
exec >/dev/ttyS1 2>&1
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive
WL=apt PROVIDERS=none PKGS='' INST='' JOBS=2 RESERVE=256m STATIC_MB=1024
RUN_TIMEOUT=900 MIN_TTL_MS=0
# shellcheck disable=SC1091
. /root/wl.conf
echo "GMTEST BEGIN $WL"
log() { echo "GMLOG $*"; }
if [ "$MIN_TTL_MS" != 0 ]; then
	lg=/sys/kernel/mm/lru_gen
	if echo y >$lg/enabled && echo "$MIN_TTL_MS" >$lg/min_ttl_ms; then
		log "multi-gen LRU on ($(cat $lg/enabled)), min_ttl_ms $(cat $lg/min_ttl_ms)"
	else
		log "cannot set $lg (min_ttl_ms $MIN_TTL_MS): thrashing is not prevented"
	fi
fi

# --- measurement ------------------------------------------------------------
# A sampler every 0.5 s: seconds, SwapTotal, SwapTotal - SwapFree, the
# daemon's state (from its status file) or "-", MemAvailable (KiB), one
# line each.
sampler() {
	while :; do
		st=$(sed -n 's/.*state=\([a-z]*\).*/\1/p' /run/ghostmemory/status 2>/dev/null | head -n 1)
		echo "$(date +%s.%N) $(awk '/^SwapTotal:/ { t = $2 } /^SwapFree:/ { f = $2 }
			/^MemAvailable:/ { a = $2 }
			END { print t, t - f }' /proc/meminfo) ${st:--} $(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)"
		sleep 0.5
	done
}
kills() { dmesg | grep -c 'Killed process'; }
# Reservations granted so far: the daemon's syslog lines for them.
resvs() {
	cat /var/log/syslog 2>/dev/null |
		awk '/ghostmemory\[[0-9]+\]: reservation [0-9]+: / { n++ }
			END { print n + 0 }'
}
killed_names() {
	dmesg | sed -n 's/.*Killed process [0-9]* (\([^)]*\)).*/\1/p' |
		tail -n "+$(($1 + 1))" | sort -u | tr '\n' ',' | sed 's/,$//'
}

# --- providers --------------------------------------------------------------
gm_conf() {
	sed -i '/^upgrade_reserve=/d' /etc/ghostmemory.conf
	echo "upgrade_reserve=$1" >>/etc/ghostmemory.conf
}
gm_start() {
	if [ ! -x /usr/sbin/ghostmemory ]; then
		dpkg -i /root/ghostmemory.deb >/root/gm-install.log 2>&1 ||
			log "ghostmemory install failed: $(tail -n 3 /root/gm-install.log | tr '\n' '|')"
		/etc/init.d/ghostmemory stop >/dev/null 2>&1
	fi
	gm_conf "$1"
	/etc/init.d/ghostmemory start >/root/gm-start.log 2>&1 ||
		log "ghostmemory start: $(tr '\n' '|' </root/gm-start.log)"
	n=300
	until [ -S /run/ghostmemory/ctl ] && [ -s /run/ghostmemory/status ]; do
		n=$((n - 1)); [ $n -le 0 ] && break; sleep 0.1
	done
}
ss_start() {
	if [ ! -x /usr/sbin/swapspace ]; then
		dpkg -i /root/swapspace.deb >/root/ss-install.log 2>&1 ||
			log "swapspace install failed: $(tail -n 3 /root/ss-install.log | tr '\n' '|')"
	fi
	pgrep -x swapspace >/dev/null || /etc/init.d/swapspace start >/dev/null 2>&1
	pgrep -x swapspace >/dev/null || log "swapspace not running"
}
prov_start() {
	case $1 in
	none) ;;
	static)
		fallocate -l "${STATIC_MB}M" /swapfile && chmod 600 /swapfile &&
			mkswap /swapfile >/dev/null && swapon /swapfile ||
			log "static swap file failed"
		;;
	swapspace) ss_start ;;
	reactive | reserved) gm_start 0 ;;
	hook) gm_start auto ;;
	esac
}
# Everything back to no swap at all.
prov_stop() {
	[ -x /etc/init.d/ghostmemory ] && /etc/init.d/ghostmemory stop >/dev/null 2>&1
	[ -x /etc/init.d/swapspace ] && /etc/init.d/swapspace stop >/dev/null 2>&1
	n=100
	while pgrep -x ghostmemory >/dev/null || pgrep -x swapspace >/dev/null; do
		n=$((n - 1)); [ $n -le 0 ] && break; sleep 0.1
	done
	swapoff -a 2>/dev/null
	for f in $(awk 'NR > 1 { print $1 }' /proc/swaps); do swapoff "$f"; done
	rm -f /swapfile /var/lib/ghostmemory/[0-9]* /var/lib/swapspace/[0-9]*
}

# --- workloads --------------------------------------------------------------
# wl_reset: the workload's own state back to before its first run.
wl_reset() {
	case $WL in
	apt)
		dpkg --configure -a >/dev/null 2>&1
		# shellcheck disable=SC2086
		[ -n "$INST" ] && dpkg --purge $INST >/root/purge.log 2>&1
		rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
		;;
	build) rm -rf /root/build ;;
	esac
	sync
	echo 3 >/proc/sys/vm/drop_caches
}
# The compile: googletest's two main programs, gtest_main.cc and
# gmock_main.cc, as the package ships them in /usr/src/googletest (the
# whole of gtest.h and gmock.h: about 165 MiB of cc1plus each), one
# cc1plus each at once (make -j), into one library.
# shellcheck disable=SC2016
build_makefile() {
	mkdir -p /root/build
	g=/usr/src/googletest
	{
		printf 'G = %s\n' "$g"
		printf 'CXXFLAGS = -O0 -std=c++17 -I$(G)/googletest -I$(G)/googletest/include -I$(G)/googlemock -I$(G)/googlemock/include\n'
		printf 'libgm_main.a: gtest_main.o gmock_main.o\n\tar rcs $@ $^\n'
		printf 'gtest_main.o: $(G)/googletest/src/gtest_main.cc\n\t$(CXX) $(CXXFLAGS) -c $< -o $@\n'
		printf 'gmock_main.o: $(G)/googlemock/src/gmock_main.cc\n\t$(CXX) $(CXXFLAGS) -c $< -o $@\n'
	} >/root/build/Makefile
}
# wl_run PROVIDER: the workload; its exit status.  /run/wl-start gets
# the time the measured window starts, to the nanosecond as the
# sampler's (whole seconds let a sample taken before the reservation was
# met, in the same second, count as the window's base: a "grow" in it).
wl_run() {
	to=0
	[ "$1" = none ] && to=$RUN_TIMEOUT
	case $WL in
	apt)
		date +%s.%N >/run/wl-start
		timeout "$to" apt-get update >/root/wl-$1.log 2>&1 || return $?
		# shellcheck disable=SC2086
		timeout "$to" apt-get install -y --no-install-recommends $PKGS \
			>>/root/wl-$1.log 2>&1 || return $?
		for _pk in $PKGS; do
			dpkg-query -W -f '${Status}\n' "$_pk" 2>/dev/null |
				grep -q 'install ok installed' || {
				echo "$_pk not installed" >>/root/wl-$1.log
				return 1
			}
		done
		;;
	build)
		build_makefile
		cd /root/build || return 1
		if [ "$1" = reserved ]; then
			ghostmemory --reserve="$RESERVE" --wait=600 -- \
				sh -c 'date +%s.%N >/run/wl-start; exec make -j"$1"' \
				sh "$JOBS" >/root/wl-$1.log 2>&1
		else
			date +%s.%N >/run/wl-start
			timeout "$to" make -j"$JOBS" >/root/wl-$1.log 2>&1
		fi
		rc=$?
		cd /
		[ $rc -eq 0 ] && [ -s /root/build/libgm_main.a ] || return $((rc ? rc : 1))
		;;
	esac
}

mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
log "kernel $(uname -r), MemTotal $mem_kb kB, $(nproc) CPUs, booted in $(cut -d' ' -f1 /proc/uptime) s"
prov_stop
for p in $PROVIDERS; do
	wl_reset
	prov_start "$p"
	k0=$(kills)
	r0=$(resvs)
	rm -f /run/wl-start
	sampler >/root/samples-$p &
	spid=$!
	t0=$(date +%s.%N)
	wl_run "$p"
	rc=$?
	t1=$(date +%s.%N)
	sleep 1
	kill "$spid"
	wait "$spid" 2>/dev/null
	k1=$(kills)
	resv=$(($(resvs) - r0))
	ok=0
	[ $rc -eq 0 ] && ok=1
	s0=$(cat /run/wl-start 2>/dev/null || echo 0)
	# grew: increases of SwapTotal after the window started (the first
	# sample in it is the base); hungry: samples in state hungry there.
	res=$(awk -v s0="$s0" '
		{ if ($2 > tmax) tmax = $2; if ($3 > umax) umax = $3
			if (amin == "" || $5 < amin) amin = $5 }
		$1 >= s0 { if (seen && $2 > last) grew++; last = $2
			if (!seen) base = $2; seen = 1
			if ($3 > wumax) wumax = $3
			if ($4 == "hungry") hungry++ }
		END { printf "swap_max_kb=%d used_max_kb=%d avail_min_kb=%d grew=%d hungry=%d base_kb=%d wused_max_kb=%d",
			tmax, umax, amin, grew, hungry, base, wumax }' /root/samples-$p)
	oom=$((k1 - k0))
	clean=
	if [ "$p" = reserved ]; then
		clean=0
		wu=$(echo "$res" | sed 's/.* base_kb=\([0-9]*\) wused_max_kb=\([0-9]*\)$/\1 \2/')
		# shellcheck disable=SC2086
		set -- $wu
		case $res in
		*" grew=0 hungry=0 "*)
			[ $ok -eq 1 ] && [ $oom -eq 0 ] && [ "$2" -le "$1" ] && clean=1
			;;
		esac
	fi
	echo "GMRES wl=$WL prov=$p ok=$ok rc=$rc wall_s=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') $res oom=$oom killed=$(killed_names "$k0") ${clean:+clean=$clean }resv=$resv mem_kb=$mem_kb"
	[ $ok -eq 1 ] || log "$p: $(tail -n 4 /root/wl-$p.log | tr '\n' '|' | cut -c 1-600)"
	case $p in
	reactive | reserved | hook)
		grep 'ghostmemory' /var/log/syslog 2>/dev/null |
			grep -e 'reservation' -e 'added swap' -e ' -> ' | tail -n 8 |
			sed -n 's/^.* ghostmemory\[[0-9]*\]: /GMLOG gm: /p'
		;;
	esac
	prov_stop
done
echo "GMTEST END $WL"
sync
echo o >/proc/sysrq-trigger
