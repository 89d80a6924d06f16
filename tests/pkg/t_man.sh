#!/bin/sh
# The man pages: groff finds nothing to warn about, lexgrog (mandb) finds
# their NAME line, man renders them cleanly, and they keep up with the
# program: every option of --help, every exit code of src/config.h, every
# key the daemon prints with -i (and its default) is documented.
set -u
. tests/pkg/lib.sh
GM=${GM:-./ghostmemory}
PAGES="doc/ghostmemory.8 doc/ghostmemory.conf.5"

work=$(mktemp -d /tmp/gm-man.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

# --- formatting ---------------------------------------------------------
for p in $PAGES; do
	n=man_groff_${p##*/}
	if ! command -v groff >/dev/null 2>&1; then
		skip "$n" "groff missing"
		continue
	fi
	groff -man -ww -z "$p" >"$work/groff" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$work/groff" ]; then
		pass "$n"
	else
		fail "$n" "exit $rc: $(tail_of "$work/groff")"
	fi
done

for p in $PAGES; do
	n=man_lexgrog_${p##*/}
	if ! command -v lexgrog >/dev/null 2>&1; then
		skip "$n" "lexgrog (man-db) missing"
		continue
	fi
	base=${p##*/}
	base=${base%.[0-9]}
	# lexgrog prints: FILE: "name - description"
	if lexgrog "$p" >"$work/lex" 2>&1 &&
		grep -q ": \"$base - [a-z].\{10,\}\"\$" "$work/lex"; then
		pass "$n"
	else
		fail "$n" "$(tail_of "$work/lex")"
	fi
done

for p in $PAGES; do
	n=man_render_${p##*/}
	if ! command -v man >/dev/null 2>&1; then
		skip "$n" "man missing"
		continue
	fi
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$p" \
		>"$work/rendered" 2>"$work/warn"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$work/warn" ] && [ -s "$work/rendered" ]; then
		pass "$n"
	else
		fail "$n" "exit $rc: $(tail_of "$work/warn")"
	fi
done

# --- content ------------------------------------------------------------
# Plain ASCII text of a page: "\-" becomes "-", no overstriking.
text_of() {
	groff -man -Tascii -P-cbou "$1" 2>/dev/null
}
# The text of one section of a rendered page (heading line to the next).
section_of() {
	awk -v s="$2" '$0 == s { on = 1; next } /^[A-Z]/ { on = 0 } on' "$1"
}
if ! command -v groff >/dev/null 2>&1; then
	for n in man8_options man8_exit_codes man8_sections man5_keys \
		man5_defaults conf_sample_keys; do
		skip $n "groff missing"
	done
	exit 0
fi
text_of doc/ghostmemory.8 >"$work/gm8"
text_of doc/ghostmemory.conf.5 >"$work/gm5"

# Every option: common.md's list, plus whatever --help lists now.
opts="-a -B -C -c -d -e -f -h -i -l -m -M -p -P -q -s -u -v -V
--cooldown --buffer_elasticity --cache_elasticity --configfile --config
--daemon --erase --freetarget --help --inspect --lower_freelimit
--min_swapsize --max_swapsize --pidfile --paranoid --quiet --swappath
--upper_freelimit --verbose --version --swapsize --disk_reserve
--max_files --max_total --priority --discard --metrics_dir --rundir
--meminfo-file --status"
if [ -x "$GM" ]; then
	opts="$opts $("$GM" --help 2>/dev/null |
		grep -o -e '--[a-z][a-z_-]*' -e '^ *-[a-zA-Z],' | tr -d ' ,' |
		sort -u)"
fi
missing=
for o in $opts; do
	case $o in
	--*) grep -q -e "$o\([^a-z_-]\|\$\)" "$work/gm8" ;;
	*) grep -q -e "^ *$o, --" "$work/gm8" ;;
	esac || missing="$missing $o"
done
if [ -z "$missing" ]; then
	pass man8_options
else
	fail man8_options "not in ghostmemory.8:$missing"
fi

# Every exit code the program defines, as an item of EXIT STATUS.
section_of "$work/gm8" "EXIT STATUS" >"$work/exit"
codes=$(sed -n 's/^[[:space:]]*GM_EXIT_[A-Z_]* = \([0-9]*\),.*/\1/p' src/config.h)
[ -n "$codes" ] || codes="0 1 2 3 4 5 10 11 12 13 14"
missing=
for c in $codes; do
	grep -q "^       $c\\( \\|\$\\)" "$work/exit" || missing="$missing $c"
done
if [ -z "$missing" ]; then
	pass man8_exit_codes
else
	fail man8_exit_codes "EXIT STATUS lacks:$missing"
fi

# Sections and facts the issue asks for.
missing=
for s in SYNOPSIS DESCRIPTION OPTIONS "STATE MACHINE" SIZING SAFETY \
	SIGNALS "EXIT STATUS" FILES TESTING EXAMPLES \
	"MIGRATING FROM SWAPSPACE" "SEE ALSO"; do
	grep -qx "$s" "$work/gm8" || missing="$missing [$s]"
done
for w in SIGTERM SIGINT SIGHUP SIGUSR1 SIGUSR2 steady hungry overfed diet \
	/etc/ghostmemory.conf /etc/default/ghostmemory /var/lib/ghostmemory \
	/run/ghostmemory.pid /etc/init.d/ghostmemory swapspace.conf \
	subvolume; do
	grep -q -e "$w" "$work/gm8" || missing="$missing [$w]"
done
if [ -z "$missing" ]; then
	pass man8_sections
else
	fail man8_sections "ghostmemory.8 lacks$missing"
fi

# Keys and defaults: from the program itself (-i prints every key).
if [ ! -x "$GM" ]; then
	for n in man5_keys man5_defaults conf_sample_keys; do
		skip $n "no $GM (run make)"
	done
	exit 0
fi
if ! "$GM" -c /dev/null -i >"$work/inspect" 2>&1; then
	fail man5_keys "$GM -c /dev/null -i failed: $(tail_of "$work/inspect")"
	exit 0
fi
grep '^[a-z_]*=' "$work/inspect" >"$work/defaults"
keys=$(sed 's/=.*//' "$work/defaults")

missing=
for k in $keys; do
	grep -q -e "^       $k\\(=\\|\$\\)" "$work/gm5" || missing="$missing $k"
done
if [ -z "$missing" ]; then
	pass man5_keys
else
	fail man5_keys "not in ghostmemory.conf.5 KEYS:$missing"
fi

# The paragraph of each key must say "Default <what -i prints>".
wrong=
while IFS= read -r line; do
	k=${line%%=*}
	v=${line#*=}
	v=$(echo "$v" | tr -d '"')
	[ -z "$v" ] && v=empty
	awk -v k="$k" '
		$0 ~ "^       " k "(=|$)" { on = 1; next }
		on && /^       [^ ]/ { on = 0 }
		on && /^[A-Z]/ { on = 0 }
		on' "$work/gm5" | tr '\n' ' ' | tr -s ' ' >"$work/para"
	grep -q -F -e "Default $v." -e "Default $v " "$work/para" ||
		wrong="$wrong [$k: want 'Default $v']"
done <"$work/defaults"
if [ -z "$wrong" ]; then
	pass man5_defaults
else
	fail man5_defaults "$wrong"
fi

# The sample /etc/ghostmemory.conf names every key (commented out).
missing=
for k in $keys; do
	grep -q "^#$k=" ghostmemory.conf || missing="$missing $k"
done
if [ -z "$missing" ]; then
	pass conf_sample_keys
else
	fail conf_sample_keys "ghostmemory.conf lacks:$missing"
fi
