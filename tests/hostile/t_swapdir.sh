#!/bin/sh
# A swap directory the daemon must not use: each is refused at start with
# its own exit code and message (ghostmemory(8)), and nothing is created,
# chmod'ed or chown'ed — in the directory, behind a symlink, or in a
# parent.  Memory is short throughout, so a daemon that wrongly started
# would at once make a swap file.  Root only.
set -u
. tests/hostile/lib.sh

CASES="dir-symlink dir-symlink-trailing-slash dir-owner dir-group-access
dir-world-access dir-tmpfs dir-missing-parent-not-root
dir-missing-parent-world-writable dir-not-a-directory dir-missing-created"
need_root $CASES
workspace
shortage
mkdir "$W/fs"
mkimage 64m "$W/fs" || skip_all "cannot make a loop ext4 image" $CASES

# refused NAME CODE PATTERN DIR WATCHED...: the daemon, started on DIR,
# exits CODE saying PATTERN, and every WATCHED path is as it was.
refused() {
	_name=$1 _code=$2 _pat=$3 _dir=$4
	shift 4
	_log="$W/$_name.log"
	_before=$(fingerprint "$@"; ls -lAR "$W/fs")
	gm_run "$_log" -s "$_dir"
	_after=$(fingerprint "$@"; ls -lAR "$W/fs")
	if [ "$RC" != "$_code" ]; then
		fail "$_name" "exit $RC, want $_code" "$_log"
	elif ! grep -q -e "$_pat" "$_log"; then
		fail "$_name" "no message matching '$_pat'" "$_log"
	elif [ "$_before" != "$_after" ]; then
		fail "$_name" "something changed: $(printf '%s\n' "$_before" "---" "$_after" | tr '\n' '|')" "$_log"
	elif [ -n "$(our_swaps)" ]; then
		fail "$_name" "swap activated: $(our_swaps)" "$_log"
	else
		pass "$_name"
	fi
}

# The symlink's target is a perfectly good directory: still refused.
mkdir -m 0700 "$W/fs/real"
ln -s "$W/fs/real" "$W/fs/link"
refused dir-symlink 10 "symbolic link" "$W/fs/link" "$W/fs/real" "$W/fs/link"
refused dir-symlink-trailing-slash 10 "symbolic link" "$W/fs/link/" "$W/fs/real" "$W/fs/link"

mkdir -m 0700 "$W/fs/other"
chown 65534:65534 "$W/fs/other"
refused dir-owner 11 "owned by uid 65534" "$W/fs/other" "$W/fs/other"

# SPEC: group/world access is refused, never "fixed" with a chmod.
mkdir -m 0750 "$W/fs/group"
refused dir-group-access 12 "mode 0750" "$W/fs/group" "$W/fs/group"
mkdir -m 0701 "$W/fs/world"
refused dir-world-access 12 "mode 0701" "$W/fs/world" "$W/fs/world"

mkdir "$W/tmpfs"
if mount -t tmpfs -o size=32m,mode=0700 gm-hostile "$W/tmpfs"; then
	refused dir-tmpfs 13 "tmpfs" "$W/tmpfs" "$W/tmpfs"
	[ -z "$(ls -A "$W/tmpfs")" ] || fail dir-tmpfs-empty "files appeared on the tmpfs: $(ls -A "$W/tmpfs")"
	umount "$W/tmpfs"
else
	fail dir-tmpfs "cannot mount a tmpfs"
fi

# Missing, under a parent someone else could rename or fill: not created
# (a user's parent is an unsafe parent, 15; a sticky root one is safe to
# pass through but not to create in, 14).
mkdir -m 0755 "$W/fs/userparent"
chown 65534:65534 "$W/fs/userparent"
refused dir-missing-parent-not-root 15 "not owned by root" "$W/fs/userparent/swap" "$W/fs/userparent/swap" "$W/fs/userparent"
mkdir -m 1777 "$W/fs/tmpparent"
refused dir-missing-parent-world-writable 14 "writable by group or others" "$W/fs/tmpparent/swap" "$W/fs/tmpparent/swap" "$W/fs/tmpparent"

: >"$W/fs/plainfile"
refused dir-not-a-directory 14 "not a directory" "$W/fs/plainfile" "$W/fs/plainfile"

# The control: missing under a safe parent, it is created root 0700 and
# the daemon runs (and, memory being short, makes a file in it).
mkdir -m 0755 "$W/fs/safeparent"
log="$W/created.log"
gm "$log" -s "$W/fs/safeparent/swap"
if wait_log "$log" "added swap file $W/fs/safeparent/swap/1" &&
	[ "$(stat -c '%F %u:%g %a' "$W/fs/safeparent/swap")" = "directory 0:0 700" ]; then
	pass dir-missing-created
else
	fail dir-missing-created "not created 0700 root, or no file made: $(stat -c '%F %u:%g %a' "$W/fs/safeparent/swap" 2>&1)" "$log"
fi
stop "$GM_PID"
exit 0
