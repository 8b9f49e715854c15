#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Who may move which process, and who owns what a user makes, on a mount
# made by root: the transcript of tests/diff/perm-probe.sh, as the real
# kernels printed it (tests/golden/perm-probe-*), v2 with memcgfs's one
# deliberate difference (tests/diff/perm-known-differences.sed).
#
#   /                      root's
#   └── perm-probe-N       root's, then chowned to the user with its
#       │                  cgroup.procs (and v2's threads, subtree_control)
#       └── c              made by the user: all of it the user's
. "${srcdir:-.}/tests/lib.sh"
require_root "the probe runs as root, the user as 65534"
command -v setpriv > /dev/null || skip_or_fail "setpriv is missing"
out=$(mktemp -d)
trap 'cleanup; rm -rf "$out"' EXIT
probe=${srcdir:-.}/tests/diff/perm-probe.sh
golden=${srcdir:-.}/tests/golden

# compare NAME EXPECTED ACTUAL
compare() {
	if ! diff -u "$2" "$3" > "$out/diff"; then
		fail "$1 differs from the kernel's:"
		cat "$out/diff" >&2
	fi
}

mount_memcgfs --mode=v1
bash "$probe" "$MNT" v1 > "$out/v1" 2>&1
compare "v1" "$golden/perm-probe-v1.linux-6.18.44-fc-v1045.txt" "$out/v1"
# pid 2, which a shared machine's kernel is not asked: the same EINVAL as v2's
# (cgroup_procs_write_start() serves both)
mkdir "$MNT/k"
expect "v1: kthreadd" "Invalid argument" "$(write_result "$MNT/k/cgroup.procs" 2)"
expect "v1: kthreadd to tasks" "Invalid argument" "$(write_result "$MNT/k/tasks" 2)"
expect "v1: nothing moved" "" "$(cat "$MNT/k/tasks")"
rmdir "$MNT/k"
unmount_memcgfs

mount_memcgfs
bash "$probe" "$MNT" v2 1 > "$out/v2" 2>&1
sed -f "${srcdir:-.}/tests/diff/perm-known-differences.sed" \
	"$golden/perm-probe-v2.linux-6.12.117+deb13-amd64.txt" > "$out/v2.expected"
compare "v2" "$out/v2.expected" "$out/v2"
unmount_memcgfs
finish
