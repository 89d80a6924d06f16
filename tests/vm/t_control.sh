#!/bin/sh
# Guest test 1 (control): no daemon, twice the guest's RAM at 50 MiB/s.
# The OOM killer must end the workload; if it survived, the guest would
# prove nothing about ghostmemory.
. tests/vm/lib.sh
vm_begin vm_control_oom
VM_INITRD=$VM_WORK/initrd.gz
vm_initramfs "$VM_INITRD" || { echo "FAIL vm_control_oom: cannot build the initramfs"; exit 1; }
mb=$((VM_MEM * 2))
vm_run control 1024 180 gm.scenario=run gm.daemon=none gm.mb=$mb gm.rate=50
vm_expect 'wl name=main' result = killed
vm_expect 'wl name=main' signal = 9
vm_expect 'SAMPLE' peak_swap_kb = 0
grep -q '^GMKILL .*Killed process [0-9]* (workload)' "$VM_LOG" ||
	vm_why "the kernel log shows no OOM kill of the workload"
vm_verdict vm_control_oom
