# What the obs scripts share beyond tests/lib/common.sh (which they
# source first, from the repository top).  Not a test.
# shellcheck shell=sh

# obs_workspace TAG: a fresh directory $work (/tmp/gm-TAG.XXXXXX) that
# goes on any exit, with the recorder $rec_pid stopped when one runs.
obs_workspace() {
	work=$(mktemp -d "/tmp/gm-$1.XXXXXX") || exit 1
	rec_pid=
	trap obs_cleanup EXIT
	trap 'exit 1' INT TERM
}

obs_cleanup() {
	[ -n "$rec_pid" ] && kill "$rec_pid" 2>/dev/null
	rm -rf "$work"
}

# rec_workspace TAG: obs_workspace, and the recording tests' fixture
# $work/meminfo: 1 GB of RAM, 15% available, no swap.
rec_workspace() {
	obs_workspace "$1"
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
