#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgfs as a user without root: mounted through fusermount3, the tree is
# the user's, and the simulation works as it does for root.
#
#   /            (root, owned by the user who mounted)
#   └── job      memory.max 30M, memory.swap.max 0
#       └── task 50M anon  -> OOM-killed, memcgctl exits 137
. "${srcdir:-.}/tests/lib.sh"
become_unprivileged

expect "running unprivileged" 1 "$([ "$(id -u)" != 0 ] && echo 1)"
mount_memcgfs
expect "mount options" "rw,user_id=$(id -u),group_id=$(id -g),default_permissions" \
	"$(awk -v m="$MNT" '$5 == m { print $NF }' /proc/self/mountinfo)"
mkdir "$MNT/job"
expect "owner of a new cgroup" "$(id -u)" "$(stat -c %u "$MNT/job")"
echo 30M > "$MNT/job/memory.max"
echo 0 > "$MNT/job/memory.swap.max"
expect "memory.max" 31457280 "$(cat "$MNT/job/memory.max")"
ctl spawn job --anon 50M --wait > /dev/null
expect "spawn --wait exit status" 137 "$?"
expect "oom_kill" "oom_kill 1" "$(grep '^oom_kill ' "$MNT/job/memory.events")"
rmdir "$MNT/job"
unmount_memcgfs
finish
