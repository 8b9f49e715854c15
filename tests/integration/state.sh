#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# --state=FILE: what memcgfs had when it stopped (the tree, its settings,
# the simulated tasks) is there again when it starts, in both modes.
. "${srcdir:-.}/tests/lib.sh"
dir=$(mktemp -d)
trap 'cleanup; rm -rf "$dir"' EXIT
cd "$dir" || exit 99

# --- v2, with a relative path: the daemon must still find it
mount_memcgfs --clock=manual --state=v2.json
mkdir -p "$MNT/a/b"
echo +memory > "$MNT/a/cgroup.subtree_control"
echo 100M > "$MNT/a/b/memory.max"
echo 30M > "$MNT/a/b/memory.low"
echo 1 > "$MNT/a/memory.oom.group"
echo 2 > "$MNT/a/cgroup.max.depth"
ctl spawn a/b --anon 20M --oom-score-adj 100 > /dev/null
ctl spawn a/b --file 8M --workload churn --period 2s > /dev/null
unmount_memcgfs
[ -s v2.json ] || fail "no state written to v2.json"
[ -e v2.json.tmp ] && fail "the temporary state file was left behind"
cp v2.json first.json

mount_memcgfs --clock=manual --state=v2.json
expect "subtree_control" "memory" "$(cat "$MNT/a/cgroup.subtree_control")"
expect "memory.max" $((100 << 20)) "$(cat "$MNT/a/b/memory.max")"
expect "memory.low" $((30 << 20)) "$(cat "$MNT/a/b/memory.low")"
expect "memory.oom.group" 1 "$(cat "$MNT/a/memory.oom.group")"
expect "cgroup.max.depth" 2 "$(cat "$MNT/a/cgroup.max.depth")"
expect "a default stays a default" max "$(cat "$MNT/a/memory.max")"
expect "tasks" "2" "$(wc -l < "$MNT/a/b/cgroup.procs")"
expect "the holder's memory" "$((20 << 20))" "$(ctl ps a/b | awk 'NR > 1 && $2 > 0 { print $2 }')"
expect "the churner's file" "$((8 << 20))" "$(ctl ps a/b | awk 'NR > 1 && $3 > 0 { print $3 }')"
rmdir "$MNT/a/b" 2>/dev/null && fail "a/b with tasks could be removed"
unmount_memcgfs
grep -q '"oom_score_adj":100' v2.json || fail "oom_score_adj 100 did not survive two restarts: $(cat v2.json)"
cmp -s first.json v2.json || fail "a restart changed the state: $(diff first.json v2.json)"

# --- a broken state file stops the mount and is left alone
echo '{ "cgroups": ' > broken.json
"$MEMCGFS" -f --state=broken.json "$dir" 2> err.txt && fail "a broken state file was accepted"
grep -q "broken.json:2:" err.txt || fail "the error does not name the state file: $(cat err.txt)"
expect "broken state kept" '{ "cgroups": ' "$(cat broken.json)"

# --- v1
mount_memcgfs --mode=v1 --clock=manual --state=v1.json
mkdir "$MNT/x"
echo 64M > "$MNT/x/memory.limit_in_bytes"
echo 96M > "$MNT/x/memory.memsw.limit_in_bytes"
echo 1 > "$MNT/x/memory.oom_control"
echo 30 > "$MNT/x/memory.swappiness"
ctl spawn x --anon 10M > /dev/null
unmount_memcgfs
mount_memcgfs --mode=v1 --clock=manual --state=v1.json
expect "v1 limit" $((64 << 20)) "$(cat "$MNT/x/memory.limit_in_bytes")"
expect "v1 memsw limit" $((96 << 20)) "$(cat "$MNT/x/memory.memsw.limit_in_bytes")"
expect "v1 oom_kill_disable" "oom_kill_disable 1" "$(head -1 "$MNT/x/memory.oom_control")"
expect "v1 swappiness" 30 "$(cat "$MNT/x/memory.swappiness")"
expect "v1 task" 1 "$(wc -l < "$MNT/x/tasks")"
unmount_memcgfs

finish
