#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgfs refuses a mount point it cannot serve, with the reason on one
# line and exit status 1, and mounts nothing:
#  - a directory memcgfs already serves: the message names the daemon's pid,
#    and that daemon goes on serving (no second daemon stacked over it);
#  - a regular file;
#  - the disconnected mount a killed daemon leaves: the message says how to
#    clear it, and after that command the directory can be mounted again;
#  - (as root) a directory another filesystem is mounted on.
# And a mount point unmounted and mounted again at once is served.
. "${srcdir:-.}/tests/lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/memcgfs-mountpoint.XXXXXX")
stale=
trap 'cleanup; [ -n "$stale" ] && fusermount3 -u -z "$stale" 2>/dev/null; rm -rf "$tmp"' EXIT

nr_mounts() {
	awk -v m="$1" '$2 == m' /proc/self/mounts | wc -l
}

# refused WHAT PATH PATTERN: memcgfs PATH exits 1 with one line matching PATTERN
refused() {
	local out rc
	out=$("$MEMCGFS" "$2" 2>&1)
	rc=$?
	expect "$1: exit status" 1 "$rc"
	expect "$1: lines of the message" 1 "$(printf '%s\n' "$out" | wc -l)"
	[[ $out == $3 ]] || fail "$1: message '$out' does not match '$3'"
}

mount_memcgfs
mkdir "$MNT/job"
refused "already mounted" "$MNT" "memcgfs: $MNT is already mounted by memcgfs, pid $DAEMON_PID: *fusermount3 -u $MNT*"
expect "mounts on $MNT after the refusal" 1 "$(nr_mounts "$MNT")"
while [ "$(nr_mounts "$MNT")" -gt 1 ]; do fusermount3 -u "$MNT" || break; done
expect "the first daemon still serves the tree" "/job" "$(ctl stat job | cut -d' ' -f1)"
unmount_memcgfs

touch "$tmp/file"
refused "a regular file" "$tmp/file" "memcgfs: $tmp/file is not a directory*"
expect "mounts on the file" 0 "$(nr_mounts "$tmp/file")"
while [ "$(nr_mounts "$tmp/file")" -gt 0 ]; do fusermount3 -u "$tmp/file" || break; done

require_fuse
mkdir "$tmp/stale"
stale=$tmp/stale
"$MEMCGFS" -f "$stale" &
pid=$!
for i in $(seq 100); do
	[ "$(nr_mounts "$stale")" = 1 ] && break
	sleep 0.05
done
expect "the mount to be left stale" 1 "$(nr_mounts "$stale")"
kill -9 "$pid"
wait "$pid" 2> /dev/null
refused "a stale mount" "$stale" \
	"memcgfs: $stale: Transport endpoint is not connected: *clear it with fusermount3 -u -z $stale*"
fusermount3 -u -z "$stale"
stale=
expect "mounts after fusermount3 -u -z" 0 "$(nr_mounts "$tmp/stale")"
"$MEMCGFS" "$tmp/stale" || fail "memcgfs cannot mount where the stale mount was cleared"
[ "$(nr_mounts "$tmp/stale")" = 1 ] && fusermount3 -u "$tmp/stale"

# mounted again as soon as it is unmounted: the new daemon's control
# socket outlives the old daemon's exit, which must remove only its own
mkdir "$tmp/again"
for i in $(seq 10); do
	"$MEMCGFS" "$tmp/again" || { fail "mount $i on $tmp/again"; break; }
	"$MEMCGCTL" -m "$tmp/again" ps > /dev/null || fail "remount $i: the control socket is gone"
	fusermount3 -u "$tmp/again"
done

if [ "$(id -u)" = 0 ] && command -v unshare > /dev/null; then
	mkdir "$tmp/tmpfs"
	out=$(unshare -m -- sh -c 'mount --make-rprivate / && mount -t tmpfs memcgfs-test "$1" &&
		"$2" "$1" 2>&1; rc=$?; [ $rc = 0 ] && fusermount3 -u "$1"; exit $rc' _ "$tmp/tmpfs" "$MEMCGFS")
	expect "a tmpfs mount point: exit status" 1 "$?"
	[[ $out == "memcgfs: $tmp/tmpfs is already a mount point (tmpfs from memcgfs-test)"* ]] ||
		fail "a tmpfs mount point: message '$out'"
fi
finish
