#!/bin/sh
# -d under an init that does not reap (issue 12, #8): the first parent
# must reap the intermediate child it forks, or that child stays a
# zombie once reparented.  tests/helpers/subreaper runs `ghostmemory -d`
# as a child subreaper that never waits on its own, then lists its
# children after the first parent has exited: only the daemon itself,
# alive, and no zombie.
# Root only.
set -u
. tests/hostile/lib.sh

REAPER=tests/helpers/subreaper
CASES="daemonize-first-parent-ok daemonize-no-zombie"
need_root $CASES
[ -x "$REAPER" ] || skip_all "$REAPER not built (make $REAPER)"
swapdir_image 64m

# The daemon's pid from its pid file, for cleanup.
daemon_pid=
stop_daemons() {
	[ -n "$daemon_pid" ] || daemon_pid=$(cat "$W/pid" 2>/dev/null)
	if [ -n "$daemon_pid" ] && kill -TERM "$daemon_pid" 2>/dev/null; then
		poll 100 exited "$daemon_pid"
		kill -KILL "$daemon_pid" 2>/dev/null
	fi
	daemon_pid=
}

neither
"$REAPER" "$GM" -d -c /dev/null --meminfo-file="$W/meminfo" -p "$W/pid" \
	--rundir="$W/run" --swapsize=16m --min_swapsize=1m \
	--max_swapsize=16m --disk_reserve=0 --spare=no --psi=no -s "$SW" \
	>"$W/reaper.out" 2>&1
daemon_pid=$(cat "$W/pid" 2>/dev/null)
out=$(cat "$W/reaper.out")

if grep -qx "exit 0" "$W/reaper.out" && [ -n "$daemon_pid" ] &&
	! exited "$daemon_pid"; then
	pass daemonize-first-parent-ok
else
	fail daemonize-first-parent-ok "first parent: $(head -n 1 "$W/reaper.out"); daemon pid '${daemon_pid}' not running"
fi
# Children left to the subreaper: the daemon (its parent exited), and
# nothing else; a zombie shows as state Z.
zombies=$(awk '$1 == "child" && $3 == "Z"' "$W/reaper.out")
others=$(awk -v d="$daemon_pid" '$1 == "child" && $2 != d' "$W/reaper.out")
if [ -z "$zombies" ] && [ -z "$others" ] &&
	grep -q "^child $daemon_pid [^Z] " "$W/reaper.out"; then
	pass daemonize-no-zombie
else
	fail daemonize-no-zombie "the subreaper's children: $(echo "$out" | grep '^child' | tr '\n' ';') (daemon $daemon_pid)"
fi
exit 0
