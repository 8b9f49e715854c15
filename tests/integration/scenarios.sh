#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The example scenarios run and show what they teach; a broken scenario is
# refused with its file, line and fault, and changes nothing.
. "${srcdir:-.}/tests/lib.sh"

S=$srcdir/examples/scenarios
bad=$(mktemp -d)
trap 'cleanup; rm -rf "$bad"' EXIT

# within PCT percent, as the kernel selftests' values_close
close() {
	local a=$1 b=$2 pct=$3
	[ $(( (a > b ? a - b : b - a) )) -le $(( (a + b) / 100 * pct )) ]
}

steps() {
	local i
	for i in $(seq "$1"); do ctl step 1s > /dev/null; done
}

# --- protection: memory.min keeps 50M of page cache under a 148M allocation
mount_memcgfs --clock=manual
expect "load protection" "$S/protection.json: 4 task(s) started" "$(ctl load "$S/protection.json")"
steps 10
P=$MNT/workload/protected
close "$(cat "$P/memory.current")" $((50 << 20)) 3 || fail "protected: $(cat "$P/memory.current") is not 50M (3%)"
close "$(cat "$P/c/memory.current")" $((29 << 20)) 15 || fail "c: $(cat "$P/c/memory.current") is not 29M (15%)"
close "$(cat "$P/d/memory.current")" $((21 << 20)) 20 || fail "d: $(cat "$P/d/memory.current") is not 21M (20%)"
expect "nobody was killed" "oom_kill 0" "$(grep '^oom_kill ' "$MNT/workload/memory.events")"
unmount_memcgfs

# --- high: a ramp past memory.high is throttled and raises high events
mount_memcgfs --clock=manual
ctl load "$S/high-throttle.json" > /dev/null
steps 8
current=$(cat "$MNT/batch/memory.current")
[ "$current" -lt $((40 << 20)) ] || fail "batch reached $current despite memory.high 30M"
high=$(awk '/^high / { print $2 }' "$MNT/batch/memory.events")
[ "$high" -gt 0 ] || fail "no high events"
expect "no oom under memory.high" "oom 0" "$(grep '^oom ' "$MNT/batch/memory.events")"
# the throttled task's sleep is a memory stall: full too, it is alone in batch
some=$(awk '/^some/ { sub("total=", "", $5); print $5 }' "$MNT/batch/memory.pressure")
[ "$some" -gt 0 ] || fail "memory.pressure shows no stall after throttling: $(cat "$MNT/batch/memory.pressure")"
expect "full stall equals some for a lone task" "$some" \
	"$(awk '/^full/ { sub("total=", "", $5); print $5 }' "$MNT/batch/memory.pressure")"
awk '/^some/ { split($2, a, "="); exit !(a[2] > 0) }' "$MNT/batch/memory.pressure" ||
	fail "avg10 is 0 after throttling: $(head -1 "$MNT/batch/memory.pressure")"
expect "the root sees the stall too" "$some" \
	"$(awk '/^some/ { sub("total=", "", $5); print $5 }' "$MNT/memory.pressure")"
expect "cpu.pressure stays 0" "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" "$(head -1 "$MNT/batch/cpu.pressure")"
unmount_memcgfs

# --- oom group: the allocator's OOM kills the whole group, but not -1000
mount_memcgfs --clock=manual
ctl load "$S/oom-group.json" > /dev/null
steps 3
expect "oom_group_kill" "oom_group_kill 1" "$(grep '^oom_group_kill ' "$MNT/service/memory.events")"
expect "oom_kill counts the victim twice" "oom_kill 3" "$(grep '^oom_kill ' "$MNT/service/memory.events")"
expect "the -1000 task survives" 1 "$(wc -l < "$MNT/service/cgroup.procs")"
unmount_memcgfs

# --- v1 soft limit: global pressure takes from the cgroup most over its soft limit
mount_memcgfs --mode=v1 --ram=160M --swap=0 --clock=manual
ctl load "$S/v1-softlimit.json" > /dev/null
greedy_before=$(cat "$MNT/greedy/memory.usage_in_bytes")
modest_before=$(cat "$MNT/modest/memory.usage_in_bytes")
ctl pressure 64M > /dev/null
greedy_lost=$((greedy_before - $(cat "$MNT/greedy/memory.usage_in_bytes")))
modest_lost=$((modest_before - $(cat "$MNT/modest/memory.usage_in_bytes")))
[ "$greedy_lost" -ge $((40 << 20)) ] || fail "greedy gave only $greedy_lost bytes to 64M of pressure"
[ "$modest_lost" -le $((greedy_lost / 8)) ] ||
	fail "modest, under its soft limit, gave $modest_lost bytes, greedy $greedy_lost"
unmount_memcgfs

# --- writeback: a 200M file written under memory.max 64M, dirty pages and all
mount_memcgfs --clock=manual
ctl load "$S/writeback.json" > /dev/null
steps 3
B=$MNT/backup
[ "$(cat "$B/memory.peak")" -le $((64 << 20)) ] || fail "backup: memory.peak $(cat "$B/memory.peak") over 64M"
expect "backup: not OOM-killed" "oom_kill 0" "$(grep '^oom_kill ' "$B/memory.events")"
[ "$(awk '$1 == "file_dirty" { print $2 }' "$B/memory.stat")" -gt 0 ] || fail "backup: no dirty page cache left"
steps 40
expect "backup: written back after dirty_expire" "file_dirty 0" "$(grep '^file_dirty ' "$B/memory.stat")"
unmount_memcgfs

# --- swap refault: a working set of 96M used again under memory.max 64M
mount_memcgfs --clock=manual
ctl load "$S/swap-refault.json" > /dev/null
steps 5
C=$MNT/cache
in=$(awk '$1 == "pswpin" { print $2 }' "$C/memory.stat")
[ "$in" -gt 0 ] || fail "cache: nothing read back from swap"
expect "cache: refaults are workingset refaults" "workingset_refault_anon $in" \
	"$(grep '^workingset_refault_anon ' "$C/memory.stat")"
unmount_memcgfs

# --- errors: file, line, what; and nothing changed
mount_memcgfs
printf '{\n  "cgroups": {\n    "x": { "cgroup.subtree_control": "+memory" },\n    "x/y": { "memory.max": "30X" }\n  }\n}\n' > "$bad/value.json"
expect "bad value" "memcgctl: $bad/value.json:4: x/y/memory.max: writing \"30X\": Invalid argument" \
	"$(ctl load "$bad/value.json" 2>&1)"
[ -e "$MNT/x" ] && fail "a refused scenario left cgroup x behind"
printf '{ "tasks": [ { "cgroup": "a",\n "anon": "1M", "colour": "red" } ] }\n' > "$bad/key.json"
expect "unknown key" "memcgctl: $bad/key.json:2: tasks[0]: unknown key \"colour\"" "$(ctl load "$bad/key.json" 2>&1)"
printf '{ "cgroups": { "a": { "memory.max": null } },\n  "tasks": [ { "cgroup": "a", "workload": null } ] }\n' > "$bad/null.json"
expect "null value" "memcgctl: $bad/null.json:1: a/memory.max: a value is a string or a whole number" \
	"$(ctl load "$bad/null.json" 2>&1)"
printf '{ "tasks": [ { "cgroup": "a",\n "workload": null } ] }\n' > "$bad/nullwl.json"
expect "null workload" "memcgctl: $bad/nullwl.json:2: tasks[0].workload: choose hold, ramp, leak, churn, stream, touch or write" \
	"$(ctl load "$bad/nullwl.json" 2>&1)"
printf '{\n "cgroups": {\n' > "$bad/syntax.json"
ctl load "$bad/syntax.json" > /dev/null 2>&1 && fail "a truncated scenario was accepted"
expect "syntax error names the file" "memcgctl: $bad/syntax.json:3:" "$(ctl load "$bad/syntax.json" 2>&1 | cut -d' ' -f1-2)"
expect "no task started" "" "$(cat "$MNT/cgroup.procs")"

# a write the live tree refuses for its state is found in the dry run too
mkdir "$MNT/busy"
echo 50M > "$MNT/busy/memory.max"
pid=$(ctl spawn busy --anon 10M)
printf '{\n "cgroups": {\n  "new": {},\n  "busy": { "cgroup.subtree_control": "+memory" }\n }\n}\n' > "$bad/busy.json"
expect "+memory on a cgroup with a task" \
	"memcgctl: $bad/busy.json:4: busy/cgroup.subtree_control: writing \"+memory\": Device or resource busy" \
	"$(ctl load "$bad/busy.json" 2>&1)"
[ -e "$MNT/new" ] && fail "a scenario refused in the dry run left cgroup new behind"
# the copy has the live settings, and the tasks under their pids
mkdir "$MNT/shallow"
echo 0 > "$MNT/shallow/cgroup.max.depth"
printf '{\n "cgroups": {\n  "new": {},\n  "shallow/deeper": {}\n }\n}\n' > "$bad/depth.json"
expect "cgroup.max.depth of the live tree" \
	"memcgctl: $bad/depth.json:4: cgroup \"shallow/deeper\": mkdir: Resource temporarily unavailable" \
	"$(ctl load "$bad/depth.json" 2>&1)"
[ -e "$MNT/new" ] && fail "a scenario refused for cgroup.max.depth left cgroup new behind"
printf '{ "cgroups": { "moved": { "cgroup.procs": "%s" } } }\n' "$pid" > "$bad/move.json"
expect "a scenario moves a running task" "$bad/move.json: 0 task(s) started" "$(ctl load "$bad/move.json" 2>&1)"
expect "moved" "$pid" "$(cat "$MNT/moved/cgroup.procs")"
unmount_memcgfs
finish
