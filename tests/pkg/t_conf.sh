#!/bin/sh
# The sample /etc/ghostmemory.conf the package installs: as shipped it
# changes nothing, and with every key uncommented it still gives exactly
# the defaults, so the values it shows are the real ones.
set -u
. tests/pkg/lib.sh
GM=${GM:-./ghostmemory}
if [ ! -x "$GM" ]; then
	skip conf_sample_as_shipped "no $GM (run make)"
	skip conf_sample_uncommented "no $GM (run make)"
	exit 0
fi
work=$(mktemp -d /tmp/gm-conf.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

# -i output without its first line (which names the config file).
inspect() {
	"$GM" -c "$1" -i >"$2.raw" 2>&1 || return 1
	grep -v '^#' "$2.raw" >"$2"
}
if ! inspect /dev/null "$work/defaults"; then
	fail conf_sample_as_shipped "-c /dev/null -i: $(tail_of "$work/defaults.raw")"
	exit 0
fi

if ! inspect ghostmemory.conf "$work/shipped"; then
	fail conf_sample_as_shipped "$(tail_of "$work/shipped.raw")"
elif ! diff "$work/defaults" "$work/shipped" >"$work/d1"; then
	fail conf_sample_as_shipped "$(tr '\n' ' ' <"$work/d1")"
else
	pass conf_sample_as_shipped
fi

sed 's/^#\([a-z_]*=\)/\1/' ghostmemory.conf >"$work/uncommented.conf"
n=$(grep -c '^[a-z_]*=' "$work/uncommented.conf")
if ! inspect "$work/uncommented.conf" "$work/unc"; then
	fail conf_sample_uncommented "$(tail_of "$work/unc.raw")"
elif ! diff "$work/defaults" "$work/unc" >"$work/d2"; then
	fail conf_sample_uncommented "$(tr '\n' ' ' <"$work/d2")"
elif [ "$n" -lt 20 ]; then
	fail conf_sample_uncommented "only $n keys uncommented"
else
	pass conf_sample_uncommented
fi
