#!/bin/sh
# Guest test 6: /etc/init.d/ghostmemory starts and stops the daemon on a
# real kernel (Debian's start-stop-daemon and lsb-base's init-functions
# copied from the host; busybox's start-stop-daemon lacks --status and
# --retry).  status must say 0 while it runs and 3 once it is stopped.
. tests/vm/lib.sh
n=vm_initscript_start_stop
vm_begin $n
vm_need_gm $n
if [ ! -f init.d/ghostmemory ]; then
	echo "SKIP $n: init.d/ghostmemory not in the tree"
	exit 0
fi
VM_INITRD=$VM_WORK/initrd.gz
VM_WITH_GM=1 VM_WITH_INITSCRIPT=1 vm_initramfs "$VM_INITRD" ||
	{ echo "FAIL $n: cannot build the initramfs"; exit 1; }
vm_run initscript 1024 150 gm.scenario=initscript
vm_expect 'init_start_rc' init_start_rc = 0
vm_expect 'running_after_start' running_after_start = 1
vm_expect 'init_status_rc' init_status_rc = 0
vm_expect 'init_stop_rc' init_stop_rc = 0
vm_expect 'running_after_stop' running_after_stop = 0
vm_expect 'init_status_stopped_rc' init_status_stopped_rc = 3
vm_verdict $n
