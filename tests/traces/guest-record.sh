#!/bin/sh
# /init of the qemu guest that records a trace (busybox sh); record-vm.sh
# lays it over the initramfs of tests/vm/lib.sh.  No swap at all in the
# guest: the trace shows the memory a workload takes, and --simulate adds
# ghostmemory's files on top.  Parameters from the kernel command line:
#   gm.pre=S     idle seconds recorded before the workload
#   gm.mb=MB gm.rate=MB_PER_S gm.hold=S   the workload (rate 0: flat out)
#   gm.post=S    idle seconds recorded after it ends
# Prints the trace as "GMTRACE <line>", then "GMTRACE_END rc=<workload rc>".
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /tmp /var/lib
echo -1000 >/proc/self/oom_score_adj

P_pre=10 P_mb=100 P_rate=0 P_hold=10 P_post=20
for w in $(cat /proc/cmdline); do
	case "$w" in
	gm.pre=* | gm.mb=* | gm.rate=* | gm.hold=* | gm.post=*)
		k=${w%%=*}
		v=${w#*=}
		case "$v" in *[!0-9]*) continue ;; esac
		eval "P_${k#gm.}=\$v"
		;;
	esac
done

while read -r m; do
	[ -n "$m" ] && insmod "/lib/modules/$m.ko" 2>/dev/null
done </lib/modules/order
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
# The trace goes to the guest's disk, not to RAM it would distort; the
# disk is also what the swap files would have had (the disk headers).
mount -t ext4 /dev/vda /var/lib || echo "GMTRACE_ERROR mount"
mkdir -p /var/lib/ghostmemory

/bin/gm-record -i 1 -d /var/lib/ghostmemory /var/lib/trace &
rec=$!
sleep "$P_pre"
# The workload at the default OOM score (init's -1000 is inherited).
(echo 0 >/proc/self/oom_score_adj; exec /bin/workload "$P_mb" "$P_rate" "$P_hold") \
	>/tmp/wl.out 2>/dev/null
rc=$?
sleep "$P_post"
kill "$rec"
wait "$rec"
echo "GMWORKLOAD rc=$rc $(cat /tmp/wl.out)"
dmesg | grep -E 'Killed process|Out of memory' | sed 's/^/GMKILL /'
sed 's/^/GMTRACE /' /var/lib/trace
echo "GMTRACE_END rc=$rc"
umount /var/lib
sync
poweroff -f
sleep 5
