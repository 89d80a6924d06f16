#!/bin/sh
# Guest test: a shared swap server.  Three guests in a network namespace
# this test creates and deletes: the NFS server (Debian's nfsd, rpcbind
# and rpc.statd) with one NIC per client, each link a qemu socket netdev
# of its own (nothing else, so no packet leaves the namespace), and two
# diskless clients, clienta and clientb.  The scenarios are in
# tests/vm/guest-nfs-shared.sh.
#   vm_nfs_shared_hosts   swappath=/srv/swap/%H on both, both growing at
#                         once (2 x RAM, a at 10 MiB/s, b at 50): each
#                         has its own directory (0700, root's), its own
#                         files only in /proc/swaps, none of its log
#                         lines name the other's; a's restart adopts
#                         its own files and leaves b's on
#   vm_nfs4_rates         the same runs survive: 2 x RAM at 10 and at 50
#                         MiB/s side by side (t_nfs.sh runs 20 MiB/s;
#                         bench/nfs.sh runs 10, 20, 50 and as fast as it
#                         can, one at a time)
#   vm_nfs_shared_same    one fixed directory on NFSv4.2: b's daemon is
#                         refused by a's directory lock (exit 4, "on
#                         another host"), nothing there changed
#   vm_nfs3_lock          NFSv3 with locks (statd on both sides, no
#                         nolock): a's file is written (no ALLOCATE),
#                         valid, not sparse, no lock warning, the server
#                         holds the lock (lockd); b is refused as above
#
# NOTES (Debian 12's 6.1, three TCG guests on a loaded 2-core host):
# - Both clients' 2 x RAM ran about 190 s whatever the rate (10 or 50
#   MiB/s): the allocation is held back by the swap-out over the link.
#   The whole test took 6.5 to 7.8 minutes.
# - 283 MiB with fallocate (NFSv4.2): 74 ms to 2.8 s, once 40 s (the
#   longer ones while the client was swapping out); 64 MiB written
#   (NFSv3): 7.9 to 15 s.
# - NFSv3 locks: with rpcbind and rpc.statd on the client and the
#   server, a mount without nolock shows local_lock=none and the
#   server's /proc/locks holds lockd's lock on .lock; the second
#   client's flock gets EWOULDBLOCK, as on NFSv4.2.
# - With --standby=none a 2 x RAM allocation as fast as it can was
#   killed 0.6 s in, before the first file was on (made in 0.3 s): a
#   diskless client wants the default standby (bench/nfs.sh runs it).
# - A guest once panicked at 0.07 s ("IO-APIC + timer doesn't work!")
#   on the loaded host: nfs-lib.sh boots them with no_timer_check.
. tests/vm/lib.sh

names="vm_nfs_shared_hosts vm_nfs4_rates vm_nfs_shared_same vm_nfs3_lock"
NFS_GUEST_FILES=guest-nfs-shared.sh
. tests/vm/nfs-lib.sh
# shellcheck disable=SC2086
nfs_begin $names

CLI_MEM=${GM_VM_NFS_MEM:-192}
MB=$((CLI_MEM * 2))
CLI_T=${GM_VM_NFS_SHARED_T:-1500}
SRV_LOG=$VM_WORK/server.log
LOG_A=$VM_WORK/clienta.log
LOG_B=$VM_WORK/clientb.log
PORT_A=$NFS_PORT
PORT_B=$((NFS_PORT + 1))
vm_disk "$VM_WORK/server.img" 3072 ext4 || {
	for n in $names; do echo "FAIL $n: mkfs.ext4 failed"; done
	exit 1
}
s0=$(date +%s)
nfs_qemu "$SRV_LOG" "$SRV_INITRD" $((CLI_T + 120)) \
	"listen=127.0.0.1:$PORT_A listen=127.0.0.1:$PORT_B" 01 \
	"-drive file=$VM_WORK/server.img,if=virtio,format=raw" "$VM_MEM" \
	gm.scenario=nfs_shared_server gm.fs=ext4 gm.clients=2 &
NFS_SRV_PID=$!
nfs_wait_listen "$PORT_A"
nfs_wait_listen "$PORT_B"
# The two clients at once: b in the background, a in the foreground.
cli_args="gm.scenario=nfs_shared_client gm.disk=none gm.mb=$MB gm.rate_a=10 gm.rate_b=50 gm.minfree=${GM_VM_NFS_MINFREE:-16384}"
# shellcheck disable=SC2086
nfs_qemu "$LOG_B" "$CLI_INITRD" "$CLI_T" "connect=127.0.0.1:$PORT_B" 03 "" \
	"$CLI_MEM" $cli_args gm.role=b &
CLI_B_PID=$!
# shellcheck disable=SC2086
nfs_qemu "$LOG_A" "$CLI_INITRD" "$CLI_T" "connect=127.0.0.1:$PORT_A" 02 "" \
	"$CLI_MEM" $cli_args gm.role=a
wait "$CLI_B_PID"
echo "# nfs_shared: clients ran $(($(date +%s) - s0)) s"
nfs_server_end
grep -q '^GMRESULT server=ready' "$SRV_LOG" || {
	echo "---- server log tail"
	tail -n 40 "$SRV_LOG" | sed 's/^/  | /'
}
for l in "$LOG_A" "$LOG_B"; do
	grep -E '^GMINFO (mountinfo|refused|filetime)|^GMRESULT (wl|both|refused|v3lock|phase1|other)' "$l" |
		sed "s/^/# ${l##*/}: /"
done
grep -E '^GMINFO locks' "$SRV_LOG" | sed 's/^/# server: /'

# vm_expect on another log.
expect_in() {
	ei_log=$1
	shift
	VM_LOG=$ei_log vm_expect "$@"
}
# A line of the server's for DIR with KEY=VALUE.
srv_has() { grep -q "^GMRESULT srv tag=[a-z]* dir=$1 .*$2" "$SRV_LOG"; }
# Both clients finished and the guests stopped by themselves.
clients_ok() {
	for l in "$LOG_A" "$LOG_B"; do
		VM_LOG=$l
		grep -q '^GMRESULT flag_timeout' "$l" &&
			vm_why "${l##*/}: a hand-off ran out: $(grep '^GMRESULT flag_timeout' "$l" | head -n 1)"
		grep -q '^GMRESULT left_on' "$l" &&
			vm_why "${l##*/}: swap still on at the end"
	done
}
# vm_verdict on both logs (the first log's tail on failure).
verdict2() {
	VM_LOG=$LOG_B
	for w in 'host_timeout=1' 'guest_timeout=1'; do
		grep -q "^GMRESULT $w" "$LOG_B" && vm_why "clientb: $w"
	done
	grep -q '^GMRESULT done=1' "$LOG_B" || vm_why "clientb never finished"
	if [ -n "${VM_WHY:-}" ]; then
		echo "---- clientb log tail"
		grep -v '^GMLOG ' "$LOG_B" | tail -n 30 | sed 's/^/  | /'
		grep '^GMLOG ' "$LOG_B" | tail -n 20 | sed 's/^/  | /'
	fi
	VM_LOG=$LOG_A
	vm_verdict "$1"
}

# 1. One export, a directory per host.
n=vm_nfs_shared_hosts
clients_ok
for r in a b; do
	l=$VM_WORK/client$r.log
	me=client$r
	expect_in "$l" 'daemon=' daemon = started
	expect_in "$l" "both me=$me" mode = 700
	expect_in "$l" "both me=$me" uid = 0
	# While both had grown: not a file of the other's in /proc/swaps,
	# not a line of the daemon's log naming the other's directory.
	expect_in "$l" "both me=$me" other_in_swaps = 0
	expect_in "$l" "both me=$me" other_named = 0
	expect_in "$l" "phase1 me=$me" other_named = 0
	expect_in "$l" 'files tag=grown' active -ge 1
	# Off files: those a (cooldown 5 s) turned off after its workload
	# are kept off, valid, on disk for a minute before they go.
	VM_LOG=$l vm_files_ok "/srv/swap/$me" 3
	grep "^GMBLOCKS path=/srv/swap/$me/.* tag=grown" "$l" | awk '{
		split($3, s, "="); split($4, a, "=");
		if (a[2] + 0 < s[2] + 0) { print; bad = 1 } } END { exit bad }' >"$VM_WORK/sparse.$r" ||
		vm_why "$me: sparse swap files: $(head -n 2 "$VM_WORK/sparse.$r")"
	# The server saw the directory root's and 0700, with files in it.
	srv_has "$me" 'mode=700 uid=0 files=[1-9]' ||
		vm_why "the server never saw $me's directory 0700, root's, with files"
done
# Each saw the other's files while both had grown (so they were there
# to be taken, and were not).
expect_in "$LOG_A" 'both me=clienta' other_files -ge 1
expect_in "$LOG_B" 'both me=clientb' other_files -ge 1
# a's restart adopted its own files (all still on) and none of b's,
# whose files were all still on after it; a's surplus then took a's
# back.
[ "$(vm_val "$LOG_A" 'files tag=adopted' active)" = \
	"$(vm_val "$LOG_A" 'files tag=grown' active)" ] ||
	vm_why "clienta had $(vm_val "$LOG_A" 'files tag=grown' active) files on after growing, $(vm_val "$LOG_A" 'files tag=adopted' active) after its restart"
expect_in "$LOG_B" 'files tag=kept' active -ge 1
[ "$(vm_val "$LOG_B" 'files tag=kept' active)" = \
	"$(vm_val "$LOG_B" 'files tag=grown' active)" ] ||
	vm_why "clientb had $(vm_val "$LOG_B" 'files tag=grown' active) files on after growing, $(vm_val "$LOG_B" 'files tag=kept' active) after clienta's restart"
expect_in "$LOG_A" 'shrunk=' shrunk = 1
expect_in "$LOG_B" 'erased' left = 0
verdict2 "$n"

# 2. The rates: 10 and 50 MiB/s side by side, then as fast as it can.
n=vm_nfs4_rates
expect_in "$LOG_A" 'wl name=grow_clienta' result = ok
expect_in "$LOG_A" 'wl name=grow_clienta' bad_pages = 0
expect_in "$LOG_B" 'wl name=grow_clientb' result = ok
expect_in "$LOG_B" 'wl name=grow_clientb' bad_pages = 0
grep -q '^GMINFO filetime: .*MiB allocated with fallocate in' "$LOG_A" ||
	vm_why "clienta made no file with fallocate on NFSv4.2"
grep -q '^GMKILL' "$LOG_A" "$LOG_B" &&
	vm_why "the OOM killer struck: $(grep -h '^GMKILL' "$LOG_A" "$LOG_B" | head -n 2)"
verdict2 "$n"

# 3. The same directory twice on NFSv4.2.
n=vm_nfs_shared_same
expect_in "$LOG_A" 'same_daemon=' same_daemon = started
expect_in "$LOG_A" 'same_alive=' same_alive = 1
expect_in "$LOG_B" 'refused name=same ' rc = 4
grep -q '^GMINFO refused.same: .*swap directory /srv/swap/same is in use by ghostmemory on another host' "$LOG_B" ||
	vm_why "clientb: not the other-host message: $(grep '^GMINFO refused.same:' "$LOG_B" | head -n 1)"
expect_in "$LOG_B" 'refused_left name=same ' changed = 0
srv_has same 'lock=1' || vm_why "the server never held a lock on same/.lock"
verdict2 "$n"

# 4. NFSv3 with locks.
n=vm_nfs3_lock
for l in "$LOG_A" "$LOG_B"; do
	grep -q '^GMINFO mountinfo: .* /srv/v3 .* - nfs .*vers=3' "$l" ||
		vm_why "${l##*/}: no NFSv3 mount"
	grep '^GMINFO mountinfo: .* /srv/v3 ' "$l" | grep -q 'local_lock=none' ||
		vm_why "${l##*/}: the NFSv3 mount's locks are local: $(grep '^GMINFO mountinfo: .* /srv/v3 ' "$l" | head -n 1)"
done
expect_in "$LOG_A" 'v3lock' written -ge 1
expect_in "$LOG_A" 'v3lock' fallocated = 0
expect_in "$LOG_A" 'v3lock' lock_warned = 0
expect_in "$LOG_A" 'v3lock' alive = 1
VM_LOG=$LOG_A vm_files_ok /srv/v3/same3
grep "^GMBLOCKS .* tag=vthree" "$LOG_A" | awk '{
	split($3, s, "="); split($4, a, "=");
	if (a[2] + 0 < s[2] + 0) { print; bad = 1 } } END { exit bad }' >"$VM_WORK/sparse3" ||
	vm_why "sparse swap files on NFSv3: $(head -n 2 "$VM_WORK/sparse3")"
srv_has same3 'lock=1' || vm_why "the server never held a lock on same3/.lock (lockd)"
expect_in "$LOG_B" 'refused name=same3 ' rc = 4
grep -q '^GMINFO refused.same3: .*swap directory /srv/v3/same3 is in use by ghostmemory on another host' "$LOG_B" ||
	vm_why "clientb: not the other-host message on NFSv3: $(grep '^GMINFO refused.same3:' "$LOG_B" | head -n 1)"
expect_in "$LOG_B" 'refused_left name=same3 ' changed = 0
expect_in "$LOG_A" 'v3_erased' left = 0
verdict2 "$n"
