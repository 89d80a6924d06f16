#!/bin/sh
# Guest test: a swap server that stops answering.  The two guests of
# t_nfs.sh (tests/vm/nfs-lib.sh: A the NFS server, B a diskless client,
# joined inside a network namespace this test creates and deletes); the
# host stops A's qemu (`stop` on its monitor, a pipe chardev) when B asks
# for it and lets it go on (`cont`) later, so A answers nothing at all
# meanwhile: a faithful "the server does not answer" for a hard mount.
# No swap of B is on A while A is stopped.  On B (guest-nfs.sh,
# nfs_down_client):
# - vm_nfs_down_running: a running daemon says unreachable (status,
#   metric, logged once); --status and a USR1 dump answer within 5 s
#   (a hang is the failure; the times are printed); a reservation's
#   shortage waits for the directory (said once; no "no room", which
#   would be a diet) and no file is attempted; once A goes on the
#   directory answers again (logged once) and the held reservation gets
#   its file there, with no diet (its cooldown is 600 s, so a diet would
#   hold that file past the test's 120 s wait).
# - vm_nfs_down_start: `ghostmemory -d` (what the init script and the
#   unit run) while A is stopped returns, the daemon up with the
#   directory unreachable; once A goes on it is opened, locked and its
#   leftover adopted; A stopped again, SIGTERM ends it within 20 s.
#
# KERNEL NOTES (Debian 12's 6.1 in both guests, 2 x TCG on a busy host,
# five runs):
# - With A stopped, B's statfs on the hard NFSv4.2 mount waits with no
#   error and no log line within these runs (the client's first "not
#   responding" comes only after its 60 s timeo): the daemon's probe
#   thread sat in it, the probe's 5 s deadline said unreachable 14.5 to
#   16 s after the stop (10 s between probes + 5 s), and the loop went
#   on: --status answered in 70 to 220 ms, the USR1 dump in 40 to 270 ms.
# - `timeout -s KILL 3 stat -f` ends a statfs blocked there (the NFS
#   client's waits are killable); the daemon's -d parent, whose start-up
#   thread was blocked the same way, exited (status 0) after the 10 s
#   start-up bound: the start returned in 10.2 to 11.0 s.
# - After `cont` the blocked statfs returned at once (0.4 to 2.7 s, no
#   error: the TCP link resumes where it stopped), and the deferred
#   open, lock and adoption of the late start took 1.0 to 2.0 s.
# - SIGTERM while A is stopped: the daemon, holding its lock on .lock
#   there, was gone in 230 to 320 ms (the lock file is closed by a
#   thread the exit ends).  One earlier run counted 25 s, but with
#   `kill -0`, which a zombie passes: this guest's init is a shell that
#   reaps orphans only now and then; the test now counts a zombie as
#   gone.
# - A stopped for about 25 s (its lease time is 10 s here) cost B
#   nothing seen: A's clock stops with it, the file made right after
#   `cont` (fallocate, 283 MiB in 0.1 to 0.4 s) was accepted by swapon,
#   and no NFS error came to the daemon.
# - No swap of B is on A while A is stopped (standby=none, and the file
#   made after the first stop is turned off before the second): a
#   guest whose swap does not answer only waits, but the run's own
#   tools would then wait with it.
# - Time: the client runs 95 to 160 s; the whole test 2.5 to 4 min on
#   this machine (boots included, the host shared with other runs).
. tests/vm/lib.sh

. tests/vm/nfs-lib.sh

names="vm_nfs_down_running vm_nfs_down_start"
# shellcheck disable=SC2086
nfs_begin $names

CLI_MEM=${GM_VM_NFS_MEM:-192}
CLI_T=${GM_VM_NFS_DOWN_T:-900}
SRV_LOG=$VM_WORK/server.log
VM_LOG=$VM_WORK/client.log
# A's monitor: qemu reads commands from MON.in and answers on MON.out.
# Both are opened read-write, by qemu and here, so that no open waits
# for the other side (A may already have powered off).
MON=$VM_WORK/mon
mkfifo "$MON.in" "$MON.out" || {
	for n in $names; do echo "FAIL $n: mkfifo failed"; done
	exit 1
}
exec 3<>"$MON.in" 4<>"$MON.out"
cat <&4 >"$VM_WORK/mon.log" 2>/dev/null &
MON_CAT=$!
mon() { printf '%s\n' "$1" >&3; }
s0=$(date +%s)
NFS_QEMU_EXTRA="-monitor pipe:$MON" nfs_server_start "$SRV_LOG" $((CLI_T + 120)) 512 || {
	for n in $names; do echo "FAIL $n: mkfs.ext4 failed"; done
	exit 1
}
nfs_qemu "$VM_LOG" "$CLI_INITRD" "$CLI_T" "connect=127.0.0.1:$NFS_PORT" 02 "" "$CLI_MEM" \
	gm.scenario=nfs_down_client gm.disk=none gm.daemon=ghostmemory \
	gm.cooldown=600 gm.minfree=${GM_VM_NFS_MINFREE:-16384} &
CLI_PID=$!
# B's steps, in order, as they appear on its console.
for step in pause1 resume1 pause2 resume2 pause3 resume3; do
	while ! grep -q "^GMSTEP $step" "$VM_LOG.raw" 2>/dev/null; do
		kill -0 "$CLI_PID" 2>/dev/null || break 2
		sleep 0.5
	done
	case $step in
	pause*) mon stop ;;
	resume*) mon cont ;;
	esac
	echo "# nfs_down: $step at $(($(date +%s) - s0)) s"
done
wait "$CLI_PID"
# Whatever happened to B, A goes on and is stopped cleanly.
mon cont
echo "# nfs_down: client ran $(($(date +%s) - s0)) s"
nfs_server_end "$SRV_LOG"
kill "$MON_CAT" 2>/dev/null
grep -E '^GMRESULT (down|up)|^GMINFO (status.down|start2)' "$VM_LOG" | sed 's/^/# /'
grep -E 'GMLOG .*(does not answer|answers again|answers: opened|adopted|kept valid|added swap file|exiting)' "$VM_LOG" | sed 's/^/# /'

n=vm_nfs_down_running
vm_expect 'daemon=' daemon = started
vm_expect 'down_before' reach = reachable
vm_expect 'down_before' metric = 1
vm_expect 'down_seen' reach = unreachable
vm_expect 'down_seen' metric = 0
vm_expect 'down_seen' lost_logged = 1
# A hang is the failure: an answer at all within a generous bound.
vm_expect 'down_status' rc = 0
vm_expect 'down_status' ms -le 5000
grep -q '^GMINFO status.down: dir=/srv/swap/clientb reach=unreachable ' "$VM_LOG" ||
	vm_why "--status did not say the directory is unreachable"
vm_expect 'down_dump' seen -ge 1
vm_expect 'down_dump' ms -le 5000
vm_expect 'down_reserve' rc = 23
vm_expect 'down_grow' no_room = 0
vm_expect 'down_grow' waits_said = 1
vm_expect 'down_grow' attempted = 0
vm_expect 'down_grow' making_line = 0
vm_expect 'down_grow' alive = 1
vm_expect 'down_back' reach = reachable
vm_expect 'down_back' metric = 1
vm_expect 'down_back' back_logged = 1
vm_expect 'down_back' lost_logged = 1
vm_expect 'down_regrow' added -ge 1
vm_expect 'down_regrow' diet = 0
vm_expect 'down_stopped' rc = 0
vm_verdict "$n"

n=vm_nfs_down_start
vm_expect 'down2_stopped' server_stopped = 1
vm_expect 'down2_start' rc = 0
vm_expect 'down2_status' reach = unreachable
vm_expect 'down2_status' metric = 0
grep -q '^GMINFO start2: .*does not answer (its NFS server?)' "$VM_LOG" ||
	vm_why "the start did not say the directory does not answer"
vm_expect 'down2_back' reach = reachable
vm_expect 'down2_back' opened = 1
vm_expect 'down2_back' adopted -ge 1
# Stopped while the server is stopped again, it exits (its lock on
# .lock is left to the server).
vm_expect 'down3_seen' reach = unreachable
vm_expect 'down3_exit' exited = 1
vm_expect 'down2_erased' left = 0
! grep -q '^GMRESULT left_on' "$VM_LOG" ||
	vm_why "swap still on at the end: $(grep '^GMRESULT left_on' "$VM_LOG" | head -n 2)"
vm_verdict "$n"
