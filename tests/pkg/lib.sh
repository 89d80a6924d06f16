# Helpers for tests/pkg/t_*.sh (sourced from the repository top; not a
# test itself).  Results follow tests/run.sh: PASS, FAIL name: why, SKIP.

pass() { echo "PASS $1"; }
fail() { n=$1; shift; echo "FAIL $n: $*"; }
skip() { echo "SKIP $1: $2"; }

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
