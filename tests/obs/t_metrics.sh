#!/bin/sh
# metrics_format's text through `promtool check metrics` without a daemon
# (and so without root): tests/unit/test_status writes samples of several
# snapshots (a hungry state with files, an empty snapshot, no reading).
# t_daemon.sh checks the file a running daemon writes.
set -u
. tests/lib/common.sh
. tests/obs/lib.sh
obs_workspace metrics

command -v promtool >/dev/null 2>&1 ||
	skip_all "promtool not installed (Debian package prometheus)" \
		metrics-format-promtool
if [ ! -x tests/unit/test_status ]; then
	echo "FAIL metrics-format-promtool: tests/unit/test_status not built (make check builds it)"
	exit 0
fi
if ! GM_METRICS_SAMPLES=$work tests/unit/test_status >"$work/log" 2>&1; then
	echo "FAIL metrics-format-promtool: cannot write samples: $(cat "$work/log")"
	exit 0
fi
for f in "$work"/sample*.prom; do
	name=metrics-format-promtool-$(basename "$f" .prom)
	if promtool check metrics <"$f" >"$work/out" 2>&1; then
		echo "PASS $name"
	else
		echo "FAIL $name: $(head -c 600 "$work/out")"
		sed 's/^/  | /' "$f" | head -n 60
	fi
done
