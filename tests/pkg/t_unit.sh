#!/bin/sh
# Static checks of what the package ships besides the binary: the systemd
# unit keeps its shape and its hardening (and the capabilities swapon
# needs), the init script keeps the LSB header the issue asks for, and no
# shell script of the package uses bashisms.  No root needed.  (t_boot.sh
# runs both for real.)
set -u
. tests/pkg/lib.sh
UNIT=init.d/ghostmemory.service
SCRIPT=init.d/ghostmemory

work=$(mktemp -d /tmp/gm-unit.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
# key=value lines of the unit, without comments
grep -v '^[#;]' "$UNIT" | grep '=' >"$work/unit"
has() { grep -qx -e "$1" "$work/unit"; }

bad=
has 'Type=simple' || bad="$bad [Type=simple]"
has 'ExecStart=/usr/sbin/ghostmemory \$DAEMON_OPTS' || bad="$bad [ExecStart]"
has 'EnvironmentFile=-/etc/default/ghostmemory' || bad="$bad [EnvironmentFile]"
has 'Restart=on-failure' || bad="$bad [Restart=on-failure]"
has 'ExecReload=/bin/kill -HUP \$MAINPID' || bad="$bad [ExecReload]"
has 'WantedBy=multi-user.target' || bad="$bad [WantedBy]"
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$work/unit")
for c in CAP_SYS_ADMIN CAP_SYS_RESOURCE CAP_IPC_LOCK; do
	case " $caps " in *" $c "*) ;; *) bad="$bad [no $c]" ;; esac
done
# swapon needs no device node, but PrivateDevices would also drop
# CAP_SYS_RAWIO and filter @raw-io; ProtectHome/PrivateTmp would hide
# swap directories an admin may choose.
for k in PrivateDevices ProtectHome PrivateTmp; do
	grep -q "^$k=yes" "$work/unit" && bad="$bad [$k]"
done
if [ -z "$bad" ]; then pass unit_shape; else fail unit_shape "$bad"; fi

if ! command -v systemd-analyze >/dev/null 2>&1; then
	skip unit_hardening "systemd-analyze missing"
elif systemd-analyze security --offline=true --threshold=40 "$UNIT" \
	>"$work/out" 2>&1; then
	pass unit_hardening
else
	fail unit_hardening "exposure above 4.0: $(grep 'Overall' "$work/out")"
fi

bad=
hdr=$(sed -n '/^### BEGIN INIT INFO/,/^### END INIT INFO/p' "$SCRIPT")
for l in 'Provides: *ghostmemory' \
	'Required-Start: *\$local_fs \$remote_fs \$syslog' \
	'Required-Stop: *\$local_fs \$remote_fs \$syslog' \
	'Default-Start: *2 3 4 5' 'Default-Stop: *0 1 6' \
	'Short-Description: .' 'Description: .'; do
	echo "$hdr" | grep -q "^# $l" || bad="$bad [$l]"
done
grep -q '^\. /lib/lsb/init-functions' "$SCRIPT" || bad="$bad [init-functions]"
[ -x "$SCRIPT" ] || bad="$bad [not executable]"
sh -n "$SCRIPT" 2>/dev/null || bad="$bad [sh -n]"
if [ -z "$bad" ]; then pass initscript_lsb_header; else fail initscript_lsb_header "$bad"; fi

if command -v checkbashisms >/dev/null 2>&1; then
	if checkbashisms "$SCRIPT" debian/postinst debian/prerm debian/postrm \
		>"$work/out" 2>&1; then
		pass scripts_posix
	else
		fail scripts_posix "$(tail_of "$work/out")"
	fi
else
	skip scripts_posix "checkbashisms (devscripts) missing"
fi
