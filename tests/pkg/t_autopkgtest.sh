#!/bin/sh
# The package's own tests (debian/tests, issue 16) and a purge under real
# memory pressure (issue 12 defect 6), in one boot of t_boot.sh's Debian
# 12 guest (Debian's kernel, systemd as init, no network at all):
#   autopkgtest ghostmemory.deb SRC/ -- null: every test of
#     debian/tests/control passes (the null runner: the guest is the
#     throwaway machine, so needs-root and isolation-machine hold).
#     Its purge test purges with active files whose pages fit: they
#     are swapped off and deleted, nothing of the package is left.
#   purge_unfit: the daemon's active swap file holds the pages of a live
#     process (pushed out with MADV_PAGEOUT), and RAM is taken away with
#     huge pages until they would not fit back; apt-get purge exits 0,
#     the file stays active and the output names it with the reason, the
#     process is alive and its memory intact.
# The guest side is tests/pkg/guest-autopkgtest.sh.  Root and
# qemu-system-x86_64 needed; the guest tree is made once (lib.sh).
# GM_DEB=FILE tests that .deb instead of building one; GM_APT_ONLY=
# purge_unfit runs that test alone (a shorter boot while working on it).
# About 8.5 minutes on a contended 2-core host: 1 for the package, 5 for
# autopkgtest (it installs its test dependencies before each test), 1.5
# for purge_unfit, the rest booting.
set -u
. tests/pkg/lib.sh

TESTS="autopkgtest_run autopkgtest_daemon autopkgtest_usr1-syslog autopkgtest_reload-error autopkgtest_purge purge_unfit"
skip_all() {
	for t in $TESTS; do skip "$t" "$1"; done
	exit 0
}
why=$(guest_cannot) && skip_all "$why"
guest_work apt
guest_unpack
t0=$(date +%s)
pkg_deb $TESTS
echo "# package: $(($(date +%s) - t0)) s"
cp "$deb" "$root/root/ghostmemory.deb"
cp tests/pkg/guest-workload.py "$root/root/"
# The tests' tree: debian/ of this source, marked as built (debian/files)
# so that autopkgtest runs its tests as they are (no dpkg-source, no
# build in the guest).
mkdir "$root/root/src"
cp -r debian "$root/root/src/"
echo "${deb##*/} admin optional" >"$root/root/src/debian/files"
guest_job "$root" tests/pkg/guest-autopkgtest.sh ||
	skip_all "cannot install the boot job"
if ! guest_disk "$root" "$work"; then
	for t in $TESTS; do
		fail "$t" "no kernel, or mkfs.ext4 -d: $(tail_of "$work/mkfs.log")"
	done
	exit 0
fi
rm -rf "$root"
# GM_APT_ONLY=purge_unfit: that test alone (autopkgtest is skipped).
if [ "${GM_APT_ONLY:-}" = purge_unfit ]; then
	guest_boot "$work" apt 900 init=/lib/systemd/systemd gm.only=purge_unfit
	guest_results "$work" apt purge_unfit
else
	guest_boot "$work" apt 900 init=/lib/systemd/systemd
	guest_results "$work" apt $TESTS
fi
