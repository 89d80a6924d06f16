# Guest side of tests/vm/t_unit32.sh (sourced by guest-init.sh for
# gm.scenario=unit32): run every i386 unit test from a copy of /gm32 on
# the guest's ext4 disk (the tests that make swap files need a
# filesystem that holds them, which the initramfs is not), each output
# framed by GMU32 BEGIN NAME and GMU32 END NAME rc=N.
cp -r /gm32 /var/lib/gm32 && cd /var/lib/gm32 ||
	{ result "setup=fail why=no_gm32"; return; }
rm -rf /gm32
# Their scratch directories too: /var/tmp (first choice of t_swap.h) and
# TMPDIR on the disk, not in the initramfs (tmpfs-like, no swap files).
mkdir -p /var/lib/scratch /var/tmp &&
	mount --bind /var/lib/scratch /var/tmp ||
	{ result "setup=fail why=no_scratch"; return; }
export TMPDIR=/var/tmp
result "unit32 personality=$(uname -m)"
while read -r t; do
	n=${t##*/}
	echo "GMU32 BEGIN $n"
	"./$t" 2>&1
	echo "GMU32 END $n rc=$?"
done <units
cd /
unset TMPDIR
umount /var/tmp
