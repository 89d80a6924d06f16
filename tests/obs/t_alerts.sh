#!/bin/sh
# doc/prometheus: the alert rules pass `promtool check rules` and their own
# `promtool test rules`; every ghostmemory_* metric they name is one the
# daemon writes (samples from tests/unit/test_status), except the one
# documented as coming with the network-swap issue; each rule has a
# summary and a runbook; the dashboard is valid JSON (jq) and its queries
# are the rules' own expressions (whole, or the side left of the
# threshold), one panel per rule.  No root.
set -u
D=doc/prometheus
work=$(mktemp -d /tmp/gm-alerts.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
# Metrics the rules may use before the daemon writes them.
FUTURE="ghostmemory_tier_reachable"

if command -v promtool >/dev/null 2>&1; then
	if promtool check rules "$D/ghostmemory.rules.yml" >"$work/out" 2>&1; then
		echo "PASS alerts-promtool-check"
	else
		echo "FAIL alerts-promtool-check: $(cat "$work/out")"
	fi
	# test rules resolves rule_files from the tests file's directory.
	if promtool test rules "$D/tests.yml" >"$work/out" 2>&1; then
		echo "PASS alerts-promtool-test"
	else
		echo "FAIL alerts-promtool-test: $(head -c 2000 "$work/out")"
	fi
	promtool check rules "$D/ghostmemory.rules.yml" 2>&1 |
		sed -n 's/.*SUCCESS: \([0-9]*\) rules found.*/\1/p' >"$work/n"
	nrules=$(cat "$work/n")
else
	echo "SKIP alerts-promtool-check: promtool not installed (Debian package prometheus)"
	echo "SKIP alerts-promtool-test: promtool not installed (Debian package prometheus)"
	nrules=
fi

# The expressions, one line each (the file keeps them so: checked by
# counting them against promtool's count of rules).
sed -n 's/^ *expr: //p' "$D/ghostmemory.rules.yml" >"$work/exprs"
n=$(wc -l <"$work/exprs" | tr -d ' ')
alerts=$(grep -c '^ *- alert: ' "$D/ghostmemory.rules.yml")
sums=$(grep -c '^ *summary: ' "$D/ghostmemory.rules.yml")
books=$(grep -c '^ *runbook: ' "$D/ghostmemory.rules.yml")
if [ "$n" = "$alerts" ] && [ "$sums" = "$alerts" ] && [ "$books" = "$alerts" ] &&
	{ [ -z "$nrules" ] || [ "$nrules" = "$alerts" ]; }; then
	echo "PASS alerts-shape ($alerts alerts, each one expr line, summary, runbook)"
else
	echo "FAIL alerts-shape: $alerts alerts, $n expr lines, $sums summaries, $books runbooks, promtool: $nrules rules"
fi

# Every metric named is real.
if [ -x tests/unit/test_status ] &&
	GM_METRICS_SAMPLES=$work tests/unit/test_status >/dev/null 2>&1; then
	cat "$work"/sample*.prom | sed -n 's/^\(ghostmemory_[a-z_]*\).*/\1/p' | sort -u >"$work/written"
	bad=
	for m in $(grep -o 'ghostmemory_[a-z_]*' "$work/exprs" | sort -u); do
		case " $FUTURE " in *" $m "*) continue ;; esac
		grep -qx "$m" "$work/written" || bad="$bad $m"
	done
	if [ -z "$bad" ]; then
		echo "PASS alerts-metrics-exist"
	else
		echo "FAIL alerts-metrics-exist: the daemon does not write:$bad"
	fi
else
	echo "FAIL alerts-metrics-exist: tests/unit/test_status not built or failed"
fi

# The dashboard: JSON, and its queries are the rules'.
if ! command -v jq >/dev/null 2>&1; then
	echo "SKIP alerts-dashboard-json: jq not installed"
	echo "SKIP alerts-dashboard-queries: jq not installed"
	exit 0
fi
if jq -e '.panels | length > 0' "$D/ghostmemory-dashboard.json" >/dev/null 2>"$work/err"; then
	echo "PASS alerts-dashboard-json"
else
	echo "FAIL alerts-dashboard-json: $(cat "$work/err")"
fi
jq -r '.panels[].targets[].expr' "$D/ghostmemory-dashboard.json" >"$work/queries" 2>/dev/null
# A rule's expression without its trailing "OP NUMBER".
sed -E 's/ (>|<|==|!=|>=|<=) -?[0-9.]+$//' "$work/exprs" >"$work/lhs"
bad= used=
while IFS= read -r q; do
	if grep -qxF -- "$q" "$work/exprs" || grep -qxF -- "$q" "$work/lhs"; then
		used="$used|$q"
	else
		bad="$bad [$q]"
	fi
done <"$work/queries"
nq=$(sort -u "$work/queries" | wc -l | tr -d ' ')
if [ -z "$bad" ] && [ "$nq" = "$n" ]; then
	echo "PASS alerts-dashboard-queries ($nq queries, one per rule)"
else
	echo "FAIL alerts-dashboard-queries: $nq queries for $n rules; not in the rules:$bad"
fi
