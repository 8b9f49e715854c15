#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# chmod and chown change one node, as kernfs does, are forgotten with
# their cgroup, and cost nothing at exit: under the sanitizers the daemon
# still stops with status 0 (LeakSanitizer reported them once).
#
#   /
#   └── a        chmod 700, +memory
#       └── b    memory.max chmod 600, removed and made again
. "${srcdir:-.}/tests/lib.sh"
mount_memcgfs
me=$(id -u):$(id -g)
mkdir -p "$MNT/a/b"
echo +memory > "$MNT/a/cgroup.subtree_control"
chmod 700 "$MNT/a"
chmod 600 "$MNT/a/b/memory.max"
chown "$me" "$MNT/a/b/memory.high"
chmod 640 "$MNT/cgroup.procs"
expect "a" "700 $me" "$(stat -c "%a %u:%g" "$MNT/a")"
expect "a's file" 644 "$(stat -c %a "$MNT/a/cgroup.procs")"
expect "a/b" 755 "$(stat -c %a "$MNT/a/b")"
expect "a/b/memory.max" 600 "$(stat -c %a "$MNT/a/b/memory.max")"
expect "a/b/memory.low" 644 "$(stat -c %a "$MNT/a/b/memory.low")"
expect "the root's cgroup.procs" 640 "$(stat -c %a "$MNT/cgroup.procs")"
expect "a read-only file stays so" 444 "$(stat -c %a "$MNT/a/b/memory.current")"
chmod 644 "$MNT/a/b/memory.max"
expect "back to its mode" 644 "$(stat -c %a "$MNT/a/b/memory.max")"
chmod 600 "$MNT/a/b/memory.max"
rmdir "$MNT/a/b"
mkdir "$MNT/a/b"
expect "a new a/b has its own modes" 644 "$(stat -c %a "$MNT/a/b/memory.max")"
chmod 600 "$MNT/a/b/memory.max"
unmount_memcgfs
finish
