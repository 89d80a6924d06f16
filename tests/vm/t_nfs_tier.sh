#!/bin/sh
# Guest test: tiers, a small local disk first and an NFS export second
# (swappath=[/var/lib/ghostmemory, /srv/swap/%H]).  The two guests of
# t_nfs.sh (nfs-lib.sh: one virtual link inside a network namespace this
# test creates and deletes); the client has a 100 MiB disk of its own,
# room for one 64 MiB file, and runs on a memory fixture, so the
# shortage and the surplus come when the scenario says.  Shown on the
# client: the first file is made on the local disk, the second on the
# export once the disk is full; the local file's priority is above the
# export's (0 and the kernel's own) and a workload's pages go to it,
# none to the export; status has a line per tier; a surplus removes
# both files.  The scenario is nfs_tier_client in tests/vm/guest-nfs.sh
# (gm.scenario=nfs_client gm.tier=1).
. tests/vm/lib.sh
. tests/vm/nfs-lib.sh

names="vm_nfs_tier_local_first vm_nfs_tier_priority vm_nfs_tier_shrink"
# shellcheck disable=SC2086
nfs_begin $names

LOCAL=/var/lib/ghostmemory NET=/srv/swap/clientb
vm_disk "$VM_WORK/local.img" 100 ext4 || {
	for n in $names; do echo "FAIL $n: mkfs.ext4 failed"; done
	exit 1
}
CLI_T=${GM_VM_NFS_TIER_T:-600}
SRV_LOG=$VM_WORK/server.log
VM_LOG=$VM_WORK/client.log
s0=$(date +%s)
nfs_server_start "$SRV_LOG" $((CLI_T + 120)) 512 || {
	for n in $names; do echo "FAIL $n: mkfs.ext4 failed"; done
	exit 1
}
nfs_qemu "$VM_LOG" "$CLI_INITRD" "$CLI_T" "connect=127.0.0.1:$NFS_PORT" 02 \
	"-drive file=$VM_WORK/local.img,if=virtio,format=raw" 192 \
	gm.scenario=nfs_client gm.tier=1 gm.swapsize=64m gm.cooldown=3 \
	gm.minfree=16384
echo "# nfs: client ran $(($(date +%s) - s0)) s"
nfs_server_end "$SRV_LOG"
grep -E '^GMRESULT (disk |tier_|files tag=(made|after)|shrunk)' "$VM_LOG" | sed 's/^/# /'

# 1. The local disk first; the export once it is full.
n=vm_nfs_tier_local_first
vm_expect 'daemon=' daemon = started
vm_expect 'tier_made' first = "$LOCAL/1"
vm_expect "files tag=made dir=$LOCAL" active = 1
vm_expect "files tag=made dir=$NET" active = 1
vm_files_ok "$LOCAL"
vm_files_ok "$NET"
vm_expect 'tier_status' lines = 2
vm_expect 'tier_status' net_line = 1
vm_verdict "$n"

# 2. The local file above the export's: the kernel fills it first.
n=vm_nfs_tier_priority
vm_expect 'tier_made' local_prio = 0
vm_expect 'tier_made' net_prio -lt 0
vm_expect 'tier_used' local_kb -gt 8192
vm_expect 'tier_used' net_kb = 0
vm_expect 'wl name=tier' result = ok
vm_verdict "$n"

# 3. A surplus removes the files of both tiers.
n=vm_nfs_tier_shrink
vm_expect 'shrunk=' shrunk = 1
vm_expect "files tag=after dir=$LOCAL" count = 0
vm_expect "files tag=after dir=$NET" count = 0
vm_expect 'stopped' rc = 0
! grep -q '^GMRESULT left_on' "$VM_LOG" ||
	vm_why "swap still on at the end: $(grep '^GMRESULT left_on' "$VM_LOG" | head -n 2)"
vm_verdict "$n"
