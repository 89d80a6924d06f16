#!/bin/sh
# Guest test: zswap on (zswap.enabled=1 on the kernel command line), twice
# the RAM of half-compressible memory at 50 MiB/s with a bystander: zswap
# needs a backing swap area and ghostmemory provides it; the workload
# survives, and once it is gone the surplus is shrunk (cooldown 5 s)
# down to the standby file (the floor of the default standby=active;
# 64 MiB files so that there is more to remove) without the OOM killer,
# the bystander alive.  The daemon's status says
# zswap is on.  no_timer_check: see t_overcommit.sh.
. tests/vm/lib.sh
n=vm_zswap_survive_shrink
vm_begin_gm $n
vm_run zswap 2048 300 gm.scenario=shrink gm.mb=$((VM_MEM * 2)) gm.rate=50 \
	gm.fill=half gm.cooldown=5 gm.keep=1 gm.args=--swapsize=64m \
	zswap.enabled=1 no_timer_check
vm_expect 'daemon=' daemon = started
vm_expect 'zswap' enabled = Y
vm_expect 'wl name=main' result = ok
vm_expect 'wl name=main' bad_pages = 0
vm_expect 'after_workload' swaps -ge 2
vm_expect 'shrunk=' shrunk = 1
vm_expect 'files tag=after' active = 1
vm_expect 'files tag=after' count = 1
vm_expect 'bystander_alive' bystander_alive = 1
vm_expect 'bystander_alive' daemon_alive = 1
grep -q '^GMRESULT zswap .*status_line=zswap=on' "$VM_LOG" ||
	vm_why "the daemon's status does not say zswap=on"
grep -q '^GMKILL' "$VM_LOG" &&
	vm_why "the kernel killed a process: $(grep '^GMKILL' "$VM_LOG" | head -n 1)"
vm_verdict $n
grep '^GMRESULT zswap ' "$VM_LOG" | sed 's/^GMRESULT /# /'
