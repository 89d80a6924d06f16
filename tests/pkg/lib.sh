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
