#!/bin/sh
# Guest test 4: a 256 MiB disk (320 on xfs) cannot hold what twice the RAM needs.  The
# daemon must go on a diet instead of filling the disk: it stays alive,
# the filesystem keeps its reserve (10% by default), and no partial or
# inactive file is left behind.  The workload itself may die.
. tests/vm/lib.sh
n=vm_diet_small_disk
vm_begin_gm $n
# xfs will not make a filesystem under 300 MiB.
disk_mb=256
[ "$VM_FS" = xfs ] && disk_mb=320
vm_run diet $disk_mb 240 gm.scenario=diet gm.mb=$((VM_MEM * 2)) gm.rate=20
vm_expect 'daemon=' daemon = started
vm_expect 'noroom_seen' noroom_seen = 1
vm_expect 'daemon_alive' daemon_alive = 1
# While on the diet: no partial or inactive file, and the reserve kept
# (10% of the filesystem; 1 MiB of slack for extent metadata).
vm_expect 'files tag=diet' count -ge 1
c=$(vm_val "$VM_LOG" 'files tag=diet' count)
vm_expect 'files tag=diet' active = "$c"
size=$(vm_val "$VM_LOG" 'disk tag=diet' size_kb)
vm_expect 'disk tag=diet' avail_kb -ge $((${size:-0} / 10 - 1024))
# At the end whatever is left is still whole and active.
c=$(vm_val "$VM_LOG" 'files tag=end' count)
vm_expect 'files tag=end' active = "$c"
vm_files_ok /var/lib/ghostmemory
echo "# $n: workload $(vm_val "$VM_LOG" 'wl name=main' result), disk avail on the diet $(vm_val "$VM_LOG" 'disk tag=diet' avail_kb) of $size KiB"
vm_verdict $n
