#!/bin/sh
# Installs what building and testing ghostmemory needs on Debian 12, from
# Debian's own packages.  Run as root (or it uses sudo).
#   sh tests/prereqs.sh          everything `make check` uses
#   sh tests/prereqs.sh build    only what building the .deb needs
set -eu
build="build-essential autoconf debhelper devscripts fakeroot dpkg-dev"
tests="$build util-linux e2fsprogs xfsprogs btrfs-progs mount kmod
  qemu-system-x86 busybox-static cpio xz-utils
  lintian piuparts debootstrap groff man-db
  clang libclang-rt-14-dev cppcheck valgrind gcc-multilib prometheus lsb-base
  libxml2-utils librsvg2-bin jq
  sysvinit-utils procps iproute2"
case "${1:-tests}" in
build) pkgs=$build ;;
*) pkgs=$tests ;;
esac
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $pkgs
