#!/bin/sh
# --simulate=TRACE --plot=FILE.svg: for each golden's replay (and one that
# runs out of room), the SVG is well-formed XML by a real parser
# (xmllint), has one mark per grow, shrink and no-room of the text
# replay's summary, and renders (rsvg-convert, where installed);
# --compare-with draws two panels on the same axes and refuses a bad key
# or value with exit status 2; the text replay is unchanged by it all.
# No root.
set -u
GM=${GM:-./ghostmemory}
T=tests/traces
. tests/lib/common.sh
. tests/obs/lib.sh
obs_workspace plot

command -v xmllint >/dev/null 2>&1 ||
	skip_all "xmllint not installed (libxml2-utils)" plot-all
# count FILE CLASS: elements of that class, by XPath.
count() {
	xmllint --xpath "count(//*[@class='$2'])" "$1" 2>/dev/null
}

# trace  name  options (after -c /dev/null): the goldens' and a no-room.
cases='spike default
spike cooldown10 --cooldown=10
spike deficit --swapsize=0 --cooldown=10
leak default
leak cooldown10 --cooldown=10
leak deficit --swapsize=0 --cooldown=10
spike noroom --swapsize=8m --max_total=16m --cooldown=5'

echo "$cases" | while read -r trace name opts; do
	case=plot-$trace-$name
	svg=$work/$trace.$name.svg
	# shellcheck disable=SC2086
	"$GM" -c /dev/null $opts --simulate="$T/$trace.trace" >"$work/text" 2>&1
	# shellcheck disable=SC2086
	"$GM" -c /dev/null $opts --simulate="$T/$trace.trace" --plot="$svg" \
		>"$work/out" 2>&1
	rc=$?
	sum=$(grep '^# summary ' "$work/text")
	g=$(echo "$sum" | sed -n 's/.* grows=\([0-9]*\) .*/\1/p')
	s=$(echo "$sum" | sed -n 's/.* shrinks=\([0-9]*\) .*/\1/p')
	r=$(echo "$sum" | sed -n 's/.* no_room=\([0-9]*\) .*/\1/p')
	if [ $rc -ne 0 ]; then
		echo "FAIL $case: exit $rc: $(head -c 300 "$work/out")"
	elif ! xmllint --noout "$svg" 2>"$work/xml"; then
		echo "FAIL $case: not well-formed: $(head -c 300 "$work/xml")"
	elif [ "$(count "$svg" 'mark grow')" != "$g" ] ||
		[ "$(count "$svg" 'mark shrink')" != "$s" ] ||
		[ "$(count "$svg" 'mark noroom')" != "$r" ]; then
		echo "FAIL $case: marks grow $(count "$svg" 'mark grow')/$g shrink $(count "$svg" 'mark shrink')/$s no-room $(count "$svg" 'mark noroom')/$r"
	elif ! grep -q "^panel 1: ticks=[0-9]* grows=$g shrinks=$s no_room=$r " "$work/out"; then
		echo "FAIL $case: summary line: $(cat "$work/out")"
	else
		echo "PASS $case ($g grow, $s shrink, $r no-room)"
	fi
done

# The no-room case must really run out of room, or it shows nothing.
"$GM" -c /dev/null --swapsize=8m --max_total=16m --cooldown=5 \
	--simulate="$T/spike.trace" | grep -q '^# summary .* no_room=[1-9]' &&
	echo "PASS plot-noroom-case-has-no-room" ||
	echo "FAIL plot-noroom-case-has-no-room"

# Two panels, same axes: both swap charts top at the larger peak.
"$GM" -c /dev/null --simulate="$T/leak.trace" --plot="$work/cmp.svg" \
	--compare-with=cooldown=10,swapsize=0 >"$work/out" 2>&1
rc=$?
panels=$(count "$work/cmp.svg" panel)
# The y labels of both panels: the same list twice.
labels=$(xmllint --xpath "//*[@class='panel']//*[local-name()='text'][@text-anchor='end']/text()" \
	"$work/cmp.svg" 2>/dev/null | tr '\n' ' ')
half=$(echo "$labels" | awk '{ n = NF / 2; s = ""; for (i = 1; i <= n; i++) s = s $i " "; t = ""; for (i = n + 1; i <= NF; i++) t = t $i " "; print (s == t) ? "same" : "differ" }')
if [ $rc -eq 0 ] && [ "$panels" = 2 ] && [ "$half" = same ] &&
	xmllint --noout "$work/cmp.svg" 2>/dev/null &&
	grep -q 'with cooldown=10,swapsize=0: lower 20%, target 30%, upper 60%, cooldown 10 s' "$work/cmp.svg" &&
	grep -q '^panel 2: .* shrinks=1 ' "$work/out"; then
	echo "PASS plot-compare-two-panels"
else
	echo "FAIL plot-compare-two-panels: rc $rc, $panels panels, axes $half: $(cat "$work/out")"
fi

# Refusals: exit 2 and a message naming what is wrong; no file.
bad=
"$GM" -c /dev/null --simulate="$T/leak.trace" --plot="$work/b1.svg" \
	--compare-with=cooldwn=10 >/dev/null 2>"$work/err"
[ $? -eq 2 ] && grep -q 'compare-with: cooldwn: unknown key' "$work/err" || bad="$bad key($(cat "$work/err"))"
"$GM" -c /dev/null --simulate="$T/leak.trace" --plot="$work/b2.svg" \
	--compare-with=cooldown=soon >/dev/null 2>"$work/err"
[ $? -eq 2 ] && grep -q 'cooldown: not a whole number' "$work/err" || bad="$bad value"
"$GM" -c /dev/null --simulate="$T/leak.trace" --plot="$work/b3.svg" \
	--compare-with=lower_freelimit=50 >/dev/null 2>"$work/err"
[ $? -eq 2 ] && grep -q 'lower_freelimit (50) is above freetarget' "$work/err" || bad="$bad validate"
"$GM" -c /dev/null --plot="$work/b4.svg" >/dev/null 2>&1; [ $? -eq 2 ] || bad="$bad no-simulate"
"$GM" -c /dev/null --simulate="$T/leak.trace" --compare-with=cooldown=1 >/dev/null 2>&1
[ $? -eq 2 ] || bad="$bad no-plot"
printf 'nope\n' >"$work/nottrace"
"$GM" -c /dev/null --simulate="$work/nottrace" --plot="$work/b5.svg" >/dev/null 2>&1
[ $? -eq 2 ] || bad="$bad not-a-trace"
"$GM" -c /dev/null --simulate="$T/leak.trace" --plot=/nonexistent/dir/x.svg >/dev/null 2>&1
[ $? -eq 1 ] || bad="$bad unwritable"
ls "$work"/b*.svg >/dev/null 2>&1 && bad="$bad wrote-on-error"
if [ -z "$bad" ]; then echo "PASS plot-refusals"; else echo "FAIL plot-refusals:$bad"; fi

# On standard output, with the summary on stderr.
"$GM" -c /dev/null --simulate="$T/spike.trace" --plot=- >"$work/stdout.svg" 2>"$work/err"
if xmllint --noout "$work/stdout.svg" 2>/dev/null && grep -q '^panel 1: ' "$work/err"; then
	echo "PASS plot-stdout"
else
	echo "FAIL plot-stdout: $(head -c 200 "$work/stdout.svg")"
fi

# It renders (what a browser or an image viewer will do with it).
if command -v rsvg-convert >/dev/null 2>&1; then
	if rsvg-convert -o "$work/cmp.png" "$work/cmp.svg" 2>"$work/err" &&
		[ "$(od -An -tx1 -N4 "$work/cmp.png" | tr -d ' ')" = 89504e47 ]; then
		echo "PASS plot-renders"
	else
		echo "FAIL plot-renders: $(cat "$work/err")"
	fi
else
	echo "SKIP plot-renders: rsvg-convert not installed (librsvg2-bin)"
fi
