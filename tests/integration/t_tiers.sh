#!/bin/sh
# Tiers end to end: swappath lists two ext4 images, a small one first.
# The first file goes to the first tier; once it is full the next goes
# to the second; /proc/swaps has the first tier's file above the
# second's; status and metrics name each file's directory and tier; a
# second daemon on the second directory alone is refused by its lock;
# each tier is checked as a single directory is (an unsafe second tier
# stops the start), and one directory named twice is refused;
# a surplus removes the files of both tiers.  A list that does not parse
# is refused before anything is touched.
. tests/integration/lib.sh

CASES="tiers-bad-list tiers-second-checked tiers-same-dir-twice tiers-first-tier tiers-second-when-full \
tiers-priorities tiers-status tiers-metrics tiers-lock-per-dir \
tiers-shrink-both"
need_root $CASES
workspace
have_mkfs ext4 || skip_all "mkfs.ext4 not installed" $CASES

expect tiers-bad-list 2 "ends with its ']'" -- \
	"$GM" -c /dev/null -s "[$W/a/swap, $W/b/swap" -i

# Tier 1 holds one 64 MiB file (no reserve; files of 64 MiB only, so a
# smaller second one does not fit there either);
# tier 2 holds several.
if ! mkimage ext4 100M "$W/a" -m 0 || ! mkimage ext4 320M "$W/b"; then
	for c in $CASES; do
		[ "$c" = tiers-bad-list ] || fail "$c" "cannot make the ext4 images"
	done
	exit 1
fi
A=$W/a/swap B=$W/b/swap
mkdir -p "$W/metrics"

# The second tier has its own checks: a parent not owned by root.
mkdir -p "$W/np" && chown 65534 "$W/np"
neither
"$GM" -c /dev/null --meminfo-file="$W/meminfo" -s "[$A, $W/np/swap]" \
	-p "$W/pid" --rundir "$W/run" --psi=no >"$W/np.out" 2>&1
rc=$?
if [ "$rc" = 15 ] && grep -qF "swap directory $W/np/swap is unsafe: $W/np is not owned by root" "$W/np.out" &&
	[ ! -e "$W/np/swap" ] && [ -z "$(files_in "$A")" ]; then
	pass tiers-second-checked
else
	fail tiers-second-checked "exit $rc: $(head -c 300 "$W/np.out")"
fi
# One directory under two names (a root-owned link to it).
ln -s "$W/a" "$W/alias"
"$GM" -c /dev/null --meminfo-file="$W/meminfo" -s "[$A, $W/alias/swap]" \
	-p "$W/pid" --rundir "$W/run" --psi=no >"$W/twice.out" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -qF "swappath names the directory $A twice" "$W/twice.out"; then
	pass tiers-same-dir-twice
else
	fail tiers-same-dir-twice "exit $rc: $(head -c 300 "$W/twice.out")"
fi

prio_of() {
	awk -v p="$1" 'NR > 1 && $1 == p { print $5 }' /proc/swaps
}

neither
start_daemon "[$A, $B]" --max_files=2 --disk_reserve=0 --min_swapsize=64m \
	--metrics_dir="$W/metrics"
wait_log " started (pid" 10
shortage
if wait_log "added swap file $A/1 (64 MiB)" 15 && is_active "$A/1"; then
	pass tiers-first-tier
else
	fail tiers-first-tier "no file made in the first tier $A"
fi
if wait_log "added swap file $B/1 (64 MiB)" 20 && is_active "$B/1" &&
	[ ! -e "$A/2" ]; then
	pass tiers-second-when-full
else
	fail tiers-second-when-full "no file in $B once $A was full ($(files_in "$A") / $(files_in "$B"))"
fi
neither
pa=$(prio_of "$A/1") pb=$(prio_of "$B/1")
if [ -n "$pa" ] && [ -n "$pb" ] && [ "$pa" -gt "$pb" ]; then
	pass tiers-priorities
else
	fail tiers-priorities "priorities in /proc/swaps: '$pa' ($A/1), '$pb' ($B/1)"
fi

# status: a line per tier, each file with its tier.
st=$W/status.out
poll 100 sh -c "\"$GM\" --status --rundir \"$W/run\" >\"$st\" 2>&1 && grep -q '^file=$B/1 .* tier=2\$' \"$st\""
if grep -q "^tier=1 dir=$A fs=local files=1 active=1 " "$st" &&
	grep -q "^tier=2 dir=$B fs=local files=1 active=1 " "$st" &&
	grep -q "^file=$A/1 .* tier=1\$" "$st" &&
	grep -q "^file=$B/1 .* tier=2\$" "$st"; then
	pass tiers-status
else
	fail tiers-status "status lacks the tier lines: $(cat "$st")"
fi
prom=$W/metrics/ghostmemory.prom
if poll 100 grep -q "^ghostmemory_dir_files{dir=\"$B\",tier=\"2\"} 1\$" "$prom" &&
	grep -q "^ghostmemory_dir_files{dir=\"$A\",tier=\"1\"} 1\$" "$prom" &&
	grep -q "^ghostmemory_dir_swap_provisioned_bytes{dir=\"$B\",tier=\"2\"} 67108864\$" "$prom"; then
	pass tiers-metrics
else
	fail tiers-metrics "metrics lack the dir series: $(grep dir_ "$prom")"
fi

# Each directory has its own lock: the second tier alone is taken.
"$GM" -c /dev/null --meminfo-file="$W/meminfo" -s "$B" -p "$W/pid2" \
	--rundir "$W/run2" --psi=no >"$W/second.out" 2>&1
rc=$?
if [ "$rc" = 4 ] && grep -qF "swap directory $B is in use" "$W/second.out"; then
	pass tiers-lock-per-dir
else
	fail tiers-lock-per-dir "second daemon on $B: exit $rc: $(head -c 300 "$W/second.out")"
fi

mark
surplus
if wait_log "removed swap file $A/1" 30 && wait_log "removed swap file $B/1" 30 &&
	[ -z "$(files_in "$A")" ] && [ -z "$(files_in "$B")" ] &&
	[ -z "$(our_swaps)" ]; then
	pass tiers-shrink-both
else
	fail tiers-shrink-both "left: $(files_in "$A") / $(files_in "$B") / $(our_swaps)"
fi
neither
stop_daemon
exit $FAILED
