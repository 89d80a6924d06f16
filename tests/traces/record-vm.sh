#!/bin/sh
# Records the traces of tests/traces in a 256 MiB qemu guest with the
# harness of tests/vm (its kernel, busybox initramfs and workload), with
# tests/traces/guest-record.sh as /init and tests/tools/gm-record.sh as
# the recorder.  The guest has no swap.  Run from the repository top:
#   sh tests/traces/record-vm.sh probe|spike|leak [OUT]
# probe prints the guest's MemTotal/MemAvailable at rest (to pick sizes);
# spike and leak write tests/traces/NAME.trace (or OUT).  Then
# regenerate the goldens: sh tests/obs/t_simulate.sh --update
set -u
kind=${1:-}
case "$kind" in
probe) args="gm.pre=3 gm.mb=1 gm.rate=0 gm.hold=0 gm.post=0" ;;
# 150 MiB flat out, held 20 s: a build or a browser tab taking most of
# what is free at once.
spike) args="gm.pre=10 gm.mb=150 gm.rate=0 gm.hold=20 gm.post=30" ;;
# 1 MiB/s for 150 s: a leak, far slower than the poll.
leak) args="gm.pre=10 gm.mb=150 gm.rate=1 gm.hold=10 gm.post=30" ;;
*)
	echo "usage: record-vm.sh probe|spike|leak [OUT]" >&2
	exit 2
	;;
esac
out=${2:-tests/traces/$kind.trace}

. tests/vm/lib.sh
if ! vm_setup; then
	echo "cannot record: $VM_SKIP" >&2
	exit 1
fi
trap vm_cleanup EXIT
trap 'exit 1' INT TERM

vm_initramfs "$VM_WORK/base.cpio.gz" || exit 1
# A second archive after the first: the kernel unpacks both, in order,
# so this /init replaces the harness's.
ov=$VM_WORK/overlay
mkdir -p "$ov/bin"
cp tests/traces/guest-record.sh "$ov/init"
cp tests/tools/gm-record.sh "$ov/bin/gm-record"
chmod 755 "$ov/init" "$ov/bin/gm-record"
(cd "$ov" && find . | cpio -o -H newc --quiet | gzip -1) >"$VM_WORK/ov.cpio.gz" || exit 1
cat "$VM_WORK/base.cpio.gz" "$VM_WORK/ov.cpio.gz" >"$VM_WORK/initrd.gz"

vm_disk "$VM_WORK/disk.img" 1024 ext4 || exit 1
# shellcheck disable=SC2086
vm_boot "$VM_WORK/guest.log" "$VM_WORK/disk.img" "$VM_WORK/initrd.gz" 900 $args
grep -E '^(GMWORKLOAD|GMKILL|GMTRACE_ERROR|GMTRACE_END)' "$VM_WORK/guest.log" >&2
if ! grep -q '^GMTRACE_END' "$VM_WORK/guest.log"; then
	echo "no trace in the guest log:" >&2
	tail -n 30 "$VM_WORK/guest.log" >&2
	exit 1
fi
if [ "$kind" = probe ]; then
	sed -n 's/^GMTRACE //p' "$VM_WORK/guest.log" |
		grep -E '^(T |MemTotal|MemAvailable|disk_)' | tail -n 4
	exit 0
fi
{
	echo "ghostmemory-trace 1"
	echo "# $kind: recorded by tests/traces/record-vm.sh in a ${VM_MEM} MiB qemu"
	echo "# guest without swap ($args)"
	sed -n 's/^GMTRACE //p' "$VM_WORK/guest.log" | sed 1d
} >"$out"
echo "wrote $out ($(grep -c '^T ' "$out") snapshots)" >&2
