#!/bin/sh
# Every directory above the swap directory must leave its path in root's
# hands (issue 12, #1; sshd's StrictModes is the model): a parent owned
# by a user, or writable by group or others without the sticky bit, is
# refused at start with exit code 15 and a message naming the parent,
# its owner and mode; nothing is created or changed and no swap comes
# on.  A root-owned sticky parent (1777, as /tmp) is safe — a user
# cannot rename or replace root's entries in it — but a user's directory
# or symbolic link inside it is not.  Symbolic links on the way are
# followed only when root owns them, and their targets' directories are
# judged the same way.  Memory is short throughout, so a daemon that
# wrongly started would make a swap file at once.  Root only.
set -u
. tests/hostile/lib.sh

CASES="parent-owned-by-nobody parent-mode-0777 parent-mode-0775
parent-sticky-root-accepted parent-users-dir-in-sticky
parent-link-to-unsafe parent-users-link parent-safe-link-accepted"
need_root $CASES
id nobody >/dev/null 2>&1 || skip_all "no user nobody" $CASES
workspace
shortage
mkdir "$W/fs"
mkimage 64m "$W/fs" || skip_all "cannot make a loop ext4 image" $CASES
chmod 0755 "$W/fs"

# refused NAME PATTERN DIR: the daemon, started on DIR, exits 15 with a
# line matching PATTERN; nothing under $W/fs changed; no swap on.
refused() {
	_name=$1 _pat=$2 _dir=$3
	_log="$W/$_name.log"
	_before=$(ls -lAR --time-style=+%s "$W/fs")
	gm_run "$_log" -s "$_dir"
	_after=$(ls -lAR --time-style=+%s "$W/fs")
	if [ "$RC" != 15 ]; then
		fail "$_name" "exit $RC, want 15" "$_log"
	elif ! grep -qF -e "$_pat" "$_log"; then
		fail "$_name" "no message with '$_pat'" "$_log"
	elif [ "$_before" != "$_after" ]; then
		fail "$_name" "something under $W/fs changed" "$_log"
	elif [ -n "$(our_swaps)" ]; then
		fail "$_name" "swap activated: $(our_swaps)" "$_log"
	else
		pass "$_name"
	fi
}

# accepted NAME DIR: the daemon starts on DIR and makes its file there.
accepted() {
	_name=$1 _dir=$2
	_log="$W/$_name.log"
	gm "$_log" -s "$_dir"
	# The log names files by their real path, as /proc/swaps does.
	_real=$(readlink -f "$_dir")
	if wait_log "$_log" "added swap file $_real/1 " 10; then
		pass "$_name"
	else
		fail "$_name" "did not start and make $_real/1" "$_log"
	fi
	stop "$GM_PID"
	for _s in $(our_swaps); do swapoff "$_s"; done
	rm -f "$_dir"/*
}

mkdir -m 0755 "$W/fs/np"
mkdir -m 0700 "$W/fs/np/swap"
chown 65534:65534 "$W/fs/np"
refused parent-owned-by-nobody \
	"swap directory $W/fs/np/swap is unsafe: $W/fs/np is not owned by root (owner nobody (uid 65534), mode 0755)" \
	"$W/fs/np/swap"

mkdir -m 0700 "$W/fs/wide" "$W/fs/wide/swap"
chmod 0777 "$W/fs/wide"
refused parent-mode-0777 \
	"$W/fs/wide is writable by group or others without the sticky bit (owner root (uid 0), mode 0777)" \
	"$W/fs/wide/swap"

mkdir -m 0700 "$W/fs/grp" "$W/fs/grp/swap"
chmod 0775 "$W/fs/grp"
refused parent-mode-0775 "$W/fs/grp is writable by group or others without the sticky bit" \
	"$W/fs/grp/swap"

# /tmp's shape: root-owned 1777 holding a root-owned 0700 swap directory.
mkdir -m 0700 "$W/fs/sticky" "$W/fs/sticky/swap"
chmod 1777 "$W/fs/sticky"
accepted parent-sticky-root-accepted "$W/fs/sticky/swap"

# In the sticky directory, nobody's own entries are theirs to replace.
mkdir -m 0755 "$W/fs/sticky/mine"
mkdir -m 0700 "$W/fs/sticky/mine/swap"
chown 65534:65534 "$W/fs/sticky/mine"
refused parent-users-dir-in-sticky "$W/fs/sticky/mine is not owned by root" \
	"$W/fs/sticky/mine/swap"

# A root-owned link whose target lies under nobody's directory.
ln -s "$W/fs/np" "$W/fs/tonp"
refused parent-link-to-unsafe "$W/fs/np is not owned by root" "$W/fs/tonp/swap"

mkdir -m 0755 "$W/fs/ok"
mkdir -m 0700 "$W/fs/ok/swap"
ln -s ../ok "$W/fs/sticky/nobodys-link"
chown -h 65534:65534 "$W/fs/sticky/nobodys-link"
refused parent-users-link \
	"$W/fs/sticky/nobodys-link is a symbolic link not owned by root" \
	"$W/fs/sticky/nobodys-link/swap"

ln -s ok "$W/fs/oklink"
accepted parent-safe-link-accepted "$W/fs/oklink/swap"
exit 0
