# shellcheck shell=sh disable=SC2034
# Host side of the real workloads on the booted Debian 12 guest (issue
# 14), shared by tests/vm/t_wl_apt.sh, tests/vm/t_wl_build.sh (both in
# make check) and bench/workloads.sh (sourced from the repository top;
# not a test itself).  The guest side is tests/vm/guest-workload.sh.
#
#   apt    apt-get update, then apt-get install of $WL_PKGS (real packages
#          with maintainer scripts), from a file: repository in the guest
#          that carries the host's full bookworm main Packages index
#          (from /var/lib/apt/lists); the .debs the install brings are
#          fetched with apt-get download into $GM_VM_CACHE/workload-apt
#          once and placed at their pool paths.  No network in the guest.
#   build  make -j$WL_JOBS of googletest's gtest_main.cc and gmock_main.cc
#          (the sources the googletest package ships in /usr/src; each
#          includes all of gtest.h or gmock.h) with g++ -O0: two cc1plus
#          of about 165 MiB at once.
#
# The guest tree is tests/pkg/lib.sh's booted guest plus g++, make and
# googletest (guest_work_tarball, cached in $GM_CACHE).
. tests/pkg/lib.sh

WL_PKGS=${WL_PKGS:-cron logrotate less}
WL_JOBS=${WL_JOBS:-2}
WL_VMCACHE=${GM_VM_CACHE:-/var/cache/ghostmemory-vm}

# wl_setup TAG: the work directory, the guest tree unpacked in $root and
# $deb (skip_all or exit when they cannot be had: the caller defines
# skip_all and sets WL_CASES, the names that fail when the build does).
wl_setup() {
	why=$(guest_cannot) && skip_all "$why"
	guest_work "$1"
	GUEST_TREE=guest_work_tarball
	guest_unpack
	# shellcheck disable=SC2086
	pkg_deb $WL_CASES
	cp "$deb" "$root/root/ghostmemory.deb"
}

# wl_field LINE KEY: the value of KEY=value in a GMRES line.
wl_field() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# wl_pkgfile PACKAGES NAME VERSION: that stanza's "Filename SHA256".
wl_pkgfile() {
	awk -v p="$2" -v v="$3" '
		/^Package: / { pk = $2 } /^Version: / { ve = $2 }
		/^Filename: / { fn = $2 } /^SHA256: / { sh = $2 }
		/^$/ { if (pk == p && ve == v) { print fn, sh; exit }
			pk = ve = fn = sh = "" }' "$1"
}

# wl_apt_repo: the guest's file: repository in $root/srv/repo and its
# sources.list; $WL_INST, every package the install brings (asked of apt
# in a chroot of the tree on the host, against the same index); the
# .debs from the cache (fetched first when missing).  Returns 1 with the
# reason in $WL_WHY.
wl_apt_repo() {
	_list=$(ls /var/lib/apt/lists/*_dists_"${GM_SUITE}"_main_binary-"$(dpkg --print-architecture)"_Packages* 2>/dev/null | head -n 1)
	if [ -z "$_list" ]; then
		WL_WHY="no $GM_SUITE main Packages index in /var/lib/apt/lists (apt-get update on the host)"
		return 1
	fi
	_repo=$root/srv/repo
	mkdir -p "$_repo" &&
		/usr/lib/apt/apt-helper cat-file "$_list" >"$_repo/Packages" || {
		WL_WHY="cannot copy $_list"
		return 1
	}
	echo 'deb [trusted=yes] file:/srv/repo ./' >"$root/etc/apt/sources.list"
	mount -t proc proc "$root/proc" || return 1
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c "apt-get update -q && apt-get install -s -q --no-install-recommends $WL_PKGS" \
		>"$work/apt-sim.log" 2>&1
	_rc=$?
	umount "$root/proc"
	rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin
	if [ $_rc -ne 0 ]; then
		WL_WHY="apt-get install -s in the tree: $(tail_of "$work/apt-sim.log" 4)"
		return 1
	fi
	WL_INST=
	_dir=$WL_VMCACHE/workload-apt
	mkdir -p "$_dir" || return 1
	sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*/\1 \2/p' "$work/apt-sim.log" >"$work/inst.txt"
	while read -r _p _v; do
		WL_INST="$WL_INST $_p"
		# shellcheck disable=SC2046
		set -- $(wl_pkgfile "$_repo/Packages" "$_p" "$_v")
		if [ $# -ne 2 ]; then
			WL_WHY="$_p $_v not in the index"
			return 1
		fi
		_f=$_dir/${1##*/}
		if [ ! -s "$_f" ]; then
			_t=$(mktemp -d "$_dir/.get.XXXXXX") || return 1
			(cd "$_t" && apt-get download -q "$_p=$_v") >"$_dir/${_p}.fetch.log" 2>&1 &&
				mv "$_t"/*.deb "$_f"
			rm -rf "$_t"
		fi
		if [ "$(sha256sum "$_f" 2>/dev/null | cut -d' ' -f1)" != "$2" ]; then
			WL_WHY="cannot fetch $_p $_v with apt-get download: $(tail_of "$_dir/${_p}.fetch.log" 2)"
			rm -f "$_f"
			return 1
		fi
		mkdir -p "$_repo/${1%/*}" && cp "$_f" "$_repo/$1" || return 1
	done <"$work/inst.txt"
	[ -n "$WL_INST" ] || {
		WL_WHY="apt would install nothing: $(tail_of "$work/apt-sim.log" 3)"
		return 1
	}
}

# wl_boot WL MIB NAME PROVIDERS...: one boot of MIB MiB that runs the
# workload WL once per provider, in order; the GMRES lines end up in
# $work/results-NAME.txt.  Returns 1 with $WL_WHY when the guest cannot
# be made.  The tree in $root is used up.
wl_boot() {
	_wl=$1 _mem=$2 _name=$3
	shift 3
	WL_INST=
	if [ "$_wl" = apt ]; then
		wl_apt_repo || return 1
	fi
	case " $* " in
	*" swapspace "*)
		_ss=$(ls "$WL_VMCACHE"/swapspace_*.deb 2>/dev/null | tail -n 1)
		if [ -z "$_ss" ]; then
			WL_WHY="no swapspace .deb in $WL_VMCACHE (make bench fetches it)"
			return 1
		fi
		cp "$_ss" "$root/root/swapspace.deb"
		;;
	esac
	printf 'WL=%s\nPROVIDERS="%s"\nPKGS="%s"\nINST="%s"\nJOBS=%s\nRESERVE=%s\nSTATIC_MB=%s\nRUN_TIMEOUT=%s\nMIN_TTL_MS=%s\n' \
		"$_wl" "$*" "$WL_PKGS" "$WL_INST" "$WL_JOBS" "${WL_RESERVE:-256m}" \
		"${WL_STATIC_MB:-1024}" "${WL_RUN_TIMEOUT:-600}" \
		"${WL_MIN_TTL_MS:-0}" >"$root/root/wl.conf"
	guest_job "$root" tests/vm/guest-workload.sh || {
		WL_WHY="cannot install the boot job"
		return 1
	}
	guest_disk "$root" "$work" || {
		WL_WHY="no kernel, or mkfs.ext4 -d: $(tail_of "$work/mkfs.log")"
		return 1
	}
	rm -rf "$root"
	GUEST_MEM=$_mem guest_boot "$work" "$_name" "${WL_TIMEOUT:-1500}"
	# WL_KEEP=DIR keeps the result lines (bench/workloads.sh can render them).
	if [ -n "${WL_KEEP:-}" ]; then
		mkdir -p "$WL_KEEP" && cp "$work/results-$_name.txt" "$WL_KEEP/$_wl.txt"
	fi
	return 0
}

# wl_res NAME PROVIDER: that provider's GMRES line from the boot NAME.
wl_res() {
	grep -a "^GMRES .* prov=$2 " "$work/results-$1.txt" | tail -n 1
}
# wl_noresult NAME: why a boot gave no line (console and qemu tails).
wl_noresult() {
	echo "no result; console: $(tr -d '\r' <"$work/console-$1.log" | tail_of /dev/stdin 6) results: $(tail_of "$work/results-$1.txt" 4) qemu: $(tail_of "$work/qemu-$1.log" 3)"
}

# wl_judge NAME PROVIDER CASE EXPECT: PASS or FAIL CASE from the boot
# NAME's line for PROVIDER.  EXPECT: killed (did not finish, and the
# OOM killer struck), starved
# (did not finish, and either the OOM killer struck or the run timeout
# stopped it while it thrashed: exit 124; any other failure, such as a
# broken repository, fails the case), ok (it
# finished), clean (it finished and, from the moment it
# started, no swap was added, the daemon was never seen hungry, nothing
# was OOM-killed and it never used more swap than was active then: the
# swap it needed was all there ahead of it), hooked (it finished and the daemon granted at
# least one reservation while it ran: the apt hook reserved), unhooked
# (it finished and the daemon granted none: upgrade_reserve=0 turned the
# hook off, so the swap came from the reactive loop alone).  The line
# itself is printed as a comment.
wl_judge() {
	_l=$(wl_res "$1" "$2")
	if [ -z "$_l" ]; then
		fail "$3" "$(wl_noresult "$1")"
		return
	fi
	echo "# ${_l#GMRES }"
	_ok=$(wl_field "$_l" ok)
	_mem=$(($(wl_field "$_l" mem_kb) / 1024))
	case $4 in
	killed)
		if [ "$_ok" = 1 ]; then
			fail "$3" "finished without swap in $_mem MiB: the guest is not too small for it"
		elif [ "$(wl_field "$_l" oom)" -ge 1 ]; then
			pass "$3"
		else
			fail "$3" "failed (exit $(wl_field "$_l" rc)) but nothing was OOM-killed"
		fi
		;;
	starved)
		if [ "$_ok" = 1 ]; then
			fail "$3" "finished without swap in $_mem MiB: the guest is not too small for it"
		elif [ "$(wl_field "$_l" oom)" -ge 1 ]; then
			pass "$3"
		elif [ "$(wl_field "$_l" rc)" = 124 ]; then
			echo "# $3: stopped by the run timeout (WL_RUN_TIMEOUT), not OOM-killed"
			pass "$3"
		else
			fail "$3" "failed (exit $(wl_field "$_l" rc)) but was neither OOM-killed nor stopped by the run timeout"
		fi
		;;
	ok)
		if [ "$_ok" = 1 ]; then pass "$3"
		else fail "$3" "did not finish (exit $(wl_field "$_l" rc), OOM kills $(wl_field "$_l" oom): $(wl_field "$_l" killed))"; fi
		;;
	hooked | unhooked)
		_r=$(wl_field "$_l" resv)
		if [ "$_ok" != 1 ]; then
			fail "$3" "did not finish (exit $(wl_field "$_l" rc), OOM kills $(wl_field "$_l" oom): $(wl_field "$_l" killed))"
		elif [ -z "$_r" ]; then
			fail "$3" "the guest did not count the daemon's reservations (no resv= in its line)"
		elif [ "$4" = hooked ] && [ "$_r" -lt 1 ]; then
			fail "$3" "finished, but the daemon granted no reservation while it ran: the apt hook did not reserve"
		elif [ "$4" = unhooked ] && [ "$_r" -ne 0 ]; then
			fail "$3" "the daemon granted $_r reservation(s) with upgrade_reserve=0: the hook was not off"
		else
			pass "$3"
		fi
		;;
	clean)
		if [ "$_ok" != 1 ]; then
			fail "$3" "did not finish (exit $(wl_field "$_l" rc), OOM kills $(wl_field "$_l" oom))"
		elif [ "$(wl_field "$_l" clean)" != 1 ]; then
			fail "$3" "a shortage while it ran: used $(($(wl_field "$_l" wused_max_kb) / 1024)) MiB of swap with $(($(wl_field "$_l" base_kb) / 1024)) MiB active when it started, OOM kills $(wl_field "$_l" oom) (swap added $(wl_field "$_l" grew) times, hungry in $(wl_field "$_l" hungry) samples)"
		else
			pass "$3"
		fi
		;;
	esac
}

# wl_test TAG WL MIB PROVIDERS...: what wl_apt.sh and t_wl_build.sh run
# before they judge: skip_all (SKIP each of $WL_CASES), the tree, the
# package and one boot NAMEd WL.  A guest that cannot be made FAILs every
# case (a missing index or .deb that cannot be fetched SKIPs them) and
# exits.
wl_test() {
	_tag=$1 _twl=$2 _tmem=$3
	shift 3
	wl_setup "$_tag"
	wl_boot "$_twl" "$_tmem" "$_twl" "$@" && return 0
	case $WL_WHY in
	"no kernel"* | "cannot install"*)
		for _c in $WL_CASES; do fail "$_c" "$WL_WHY"; done
		exit 0
		;;
	esac
	skip_all "$WL_WHY"
}
skip_all() {
	for _c in $WL_CASES; do skip "$_c" "$1"; done
	exit 0
}
