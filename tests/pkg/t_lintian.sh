#!/bin/sh
# Build the source and binary packages the way `make deb` does, with the
# unit tests the package build runs, then hold them to lintian: no error
# and no warning on the .deb, .dsc or .changes.  Pedantic and info tags
# are shown (lines starting "# ") but do not fail the test.
set -u
. tests/pkg/lib.sh

miss=$(missing_tools $PKG_BUILD_TOOLS lintian)
if [ -n "$miss" ]; then
	for n in pkg_build lintian_clean pkg_depends pkg_contents; do
		skip $n "missing $miss"
	done
	exit 0
fi

work=$(mktemp -d /tmp/gm-lintian.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
out=$work/out

if ! pkg_build "$out" ""; then
	fail pkg_build "make -f mk/deb.mk deb failed: $(tail_of "$out.log" 12)"
	exit 0
fi
arch=$(dpkg --print-architecture)
deb=$out/ghostmemory_$(dpkg-parsechangelog -S Version)_$arch.deb
changes=$(ls "$out"/ghostmemory_*_"$arch".changes 2>/dev/null | head -n 1)
if [ -f "$deb" ] && [ -f "$changes" ] && ls "$out"/ghostmemory_*.dsc >/dev/null 2>&1; then
	pass pkg_build
else
	fail pkg_build "missing products: $(ls "$out" | tr '\n' ' ')"
	exit 0
fi

# --pedantic -I: show everything; only E: and W: lines fail.  The .changes
# names the .dsc, the source tarball, the .deb and the -dbgsym .deb.
lintian --pedantic -I --tag-display-limit 0 "$changes" >"$work/lintian" 2>&1
lrc=$?
grep -E '^[IPXCON]: ' "$work/lintian" | sed 's/^/# lintian: /'
bad=$(grep -E '^[EW]: ' "$work/lintian")
if [ -n "$bad" ]; then
	fail lintian_clean "$(echo "$bad" | tr '\n' '|')"
elif [ "$lrc" -ne 0 ]; then
	fail lintian_clean "lintian exited $lrc: $(tail_of "$work/lintian")"
else
	pass lintian_clean
fi

# No runtime dependency but libc (init-system-helpers is the Pre-Depends
# debhelper adds for invoke-rc.d --skip-systemd-native).
dep=$(dpkg-deb -f "$deb" Depends)
case $dep in
"libc6 (>= "*")")
	pass pkg_depends ;;
*)
	fail pkg_depends "Depends: $dep" ;;
esac

# What the package holds, and that it does not ship the swap directory
# (postinst makes it 0700; dpkg must not own a directory of swap files).
dpkg-deb -c "$deb" | awk '{ print $1, $6 }' >"$work/contents"
missing=
for want in \
	'-rwxr-xr-x ./usr/sbin/ghostmemory' \
	'-rw-r--r-- ./etc/ghostmemory.conf' \
	'-rw-r--r-- ./etc/default/ghostmemory' \
	'-rw-r--r-- ./etc/apt/apt.conf.d/20ghostmemory' \
	'-rwxr-xr-x ./etc/init.d/ghostmemory' \
	'-rw-r--r-- ./lib/systemd/system/ghostmemory.service' \
	'-rw-r--r-- ./usr/share/man/man8/ghostmemory.8.gz' \
	'-rw-r--r-- ./usr/share/man/man5/ghostmemory.conf.5.gz' \
	'-rw-r--r-- ./usr/share/doc/ghostmemory/copyright'; do
	grep -qxF -e "$want" "$work/contents" || missing="$missing [$want]"
done
if grep -q 'var/lib/ghostmemory' "$work/contents"; then
	fail pkg_contents "ships var/lib/ghostmemory"
elif [ -n "$missing" ]; then
	fail pkg_contents "missing$missing"
else
	pass pkg_contents
fi
