#!/bin/sh
# gm-record.sh: append timestamped /proc/meminfo snapshots to a trace for
# `ghostmemory --simulate TRACE` (format: doc/observability.md).
#
#   gm-record.sh [-i SECONDS] [-n COUNT] [-d DIR] [-m FILE] TRACE
#     -i SECONDS  time between snapshots (default 1; fractions work where
#                 sleep(1) takes them: GNU coreutils, busybox)
#     -n COUNT    stop after COUNT snapshots (default: until INT/TERM)
#     -d DIR      start the trace with the size and free space of DIR's
#                 filesystem (where the swap files would go); without it
#                 --simulate takes the disk as unlimited
#     -m FILE     read FILE instead of /proc/meminfo (tests)
#     TRACE       the trace file, appended to; "-" for stdout
#
# `ghostmemory --record=FILE` is the way to record (ghostmemory(8)); this
# script stays for where the binary is not at hand, as in the busybox
# guest of tests/traces/record-vm.sh, and writes the same format.
# Record without ghostmemory (or any swap you mean to simulate) running:
# the replay adds its virtual files to SwapTotal/SwapFree itself.
# POSIX sh plus cat, awk, df, sleep: runs under busybox in the qemu guest.
set -u

interval=1 count=0 disk_dir= src=/proc/meminfo
usage() {
	echo "usage: gm-record.sh [-i SECONDS] [-n COUNT] [-d DIR] [-m FILE] TRACE" >&2
	exit 2
}
while getopts i:n:d:m: opt; do
	case "$opt" in
	i) interval=$OPTARG ;;
	n) count=$OPTARG ;;
	d) disk_dir=$OPTARG ;;
	m) src=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
out=$1
case "$count" in
'' | *[!0-9]*) echo "gm-record.sh: -n wants a number" >&2; exit 2 ;;
esac
case "$interval" in
'' | *[!0-9.]* | *.*.* | .) echo "gm-record.sh: -i wants seconds" >&2; exit 2 ;;
esac
[ -r "$src" ] || { echo "gm-record.sh: cannot read $src" >&2; exit 1; }

emit() {
	if [ "$out" = - ]; then
		printf '%s\n' "$1"
	else
		printf '%s\n' "$1" >>"$out"
	fi
}

# A new trace starts with the magic line and the headers; appending to
# an existing one adds snapshots only (headers must precede the first T).
if [ "$out" = - ] || [ ! -s "$out" ]; then
	hdr="ghostmemory-trace 1
# recorded by gm-record.sh every ${interval}s from $src, kernel $(uname -r)"
	if [ -n "$disk_dir" ]; then
		# df -P -k: 1024-byte blocks, one line per filesystem.
		set -- $(df -P -k "$disk_dir" | awk 'NR == 2 { print $2, $4 }')
		if [ $# -ne 2 ]; then
			echo "gm-record.sh: cannot df $disk_dir" >&2
			exit 1
		fi
		hdr="$hdr
disk_size_kb=$1
disk_avail_kb=$2"
	fi
	emit "$hdr"
elif ! head -n 1 "$out" | grep -qx 'ghostmemory-trace 1'; then
	echo "gm-record.sh: $out exists and is not a trace" >&2
	exit 1
fi

trap 'exit 0' INT TERM
n=0
while [ "$count" -eq 0 ] || [ "$n" -lt "$count" ]; do
	# /proc/uptime: seconds since boot, two decimals; the replay only
	# looks at differences.  One write per snapshot, so a reader (or a
	# kill) never sees half a block.
	t=$(awk '{ print $1; exit }' /proc/uptime)
	if snap=$(cat "$src"); then
		emit "T $t
$snap"
	else
		echo "gm-record.sh: cannot read $src; snapshot skipped" >&2
	fi
	n=$((n + 1))
	if [ "$count" -eq 0 ] || [ "$n" -lt "$count" ]; then
		sleep "$interval"
	fi
done
