#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A user without root on a machine whose /dev/fuse is 0600 is told, in one
# line, what to do. The 0600 node is bound over /dev/fuse in a private
# mount namespace: the host's is never changed.
. "${srcdir:-.}/tests/lib.sh"
require_root "to make a private 0600 /dev/fuse"
command -v unshare > /dev/null && command -v setpriv > /dev/null ||
	skip_or_fail "unshare or setpriv is missing"
require_fuse
dir=$(mktemp -d)
trap 'cleanup; rm -rf "$dir"' EXIT
chmod 755 "$dir"
cp "$MEMCGFS" "$dir/memcgfs"
mkdir "$dir/mnt"
chown 65534:65534 "$dir/mnt"
msg=$(unshare -m -- "$BASH" -c '
	set -e
	mknod "$1/fuse" c 10 229
	chmod 600 "$1/fuse"
	mount --bind "$1/fuse" /dev/fuse
	setpriv --reuid=65534 --regid=65534 --clear-groups "$1/memcgfs" -f "$1/mnt"
' _ "$dir" 2>&1)
status=$?
expect "exit status" 1 "$status"
expect "the message" "memcgfs: /dev/fuse is mode 0600 here, so only root may use it: run memcgfs as root, or as root chmod 0666 /dev/fuse (Debian's mode)" "$msg"
finish
