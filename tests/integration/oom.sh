#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A task charging more than memory.max, with no swap allowed, is OOM-killed.
#
#   /            (root)
#   └── job      memory.max 30M, memory.swap.max 0
#       └── task 50M anon  -> OOM-killed, memcgctl exits 137
. "${srcdir:-.}/tests/lib.sh"

mount_memcgfs
mkdir "$MNT/job"
echo 30M > "$MNT/job/memory.max"
echo 0 > "$MNT/job/memory.swap.max"

ctl spawn job --anon 50M --wait > /dev/null
expect "spawn --wait exit status" 137 "$?"
expect "oom" "oom 1" "$(grep '^oom ' "$MNT/job/memory.events")"
expect "oom_kill" "oom_kill 1" "$(grep '^oom_kill ' "$MNT/job/memory.events")"
expect "max events raised" 1 "$(awk '/^max / { print ($2 > 0) }' "$MNT/job/memory.events")"
expect "cgroup.procs after the kill" "" "$(cat "$MNT/job/cgroup.procs")"
current=$(cat "$MNT/job/memory.current")
[ "$current" -le $((30 << 20)) ] || fail "memory.current $current is above memory.max"
expect "peak reached the limit" 1 "$(($(cat "$MNT/job/memory.peak") > (29 << 20)))"

# the same task with room to spare is charged in full
mkdir "$MNT/roomy"
ctl spawn roomy --anon 20M --wait > /dev/null
expect "20M under no limit: exit status" 0 "$?"
current=$(cat "$MNT/roomy/memory.current")
[ "$current" -ge $((20 << 20)) ] && [ "$current" -le $(((20 << 20) + (256 << 10))) ] ||
	fail "memory.current $current is not 20M plus at most one stock batch"
expect "anon in memory.stat" "anon $((20 << 20))" "$(grep '^anon ' "$MNT/roomy/memory.stat")"

unmount_memcgfs
finish
