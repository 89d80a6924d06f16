# What the recording tests (t_record.sh, t_recordcli.sh) share; sourced
# from the repository top after common.sh.  Not a test.
# shellcheck shell=sh

# rec_workspace TAG: a fresh directory $work (/tmp/gm-TAG.XXXXXX) that
# goes on any exit, with the recorder $rec_pid (when one runs) stopped;
# and the fixture $work/meminfo: 1 GB of RAM, 15% available, no swap.
rec_workspace() {
	work=$(mktemp -d "/tmp/gm-$1.XXXXXX") || exit 1
	rec_pid=
	trap rec_cleanup EXIT
	trap 'exit 1' INT TERM
	cat >"$work/meminfo" <<'M'
MemTotal:        1000000 kB
MemFree:          100000 kB
MemAvailable:     150000 kB
Buffers:           10000 kB
Cached:            60000 kB
SwapTotal:             0 kB
SwapFree:              0 kB
M
}

rec_cleanup() {
	[ -n "$rec_pid" ] && kill "$rec_pid" 2>/dev/null
	rm -rf "$work"
}
