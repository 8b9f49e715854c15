#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# cgroup v1 notifications through a --mode=v1 mount, received by the
# examples/memcg_event client: a usage threshold crossed both ways, an OOM
# notification, the signal at rmdir; and oom_kill_disable holding a task in
# its OOM wait until the limit is raised.
#
#   /            (root, v1)
#   ├── a        limit 30M, memsw 30M: threshold 8M, OOM listener
#   ├── w        limit 10M, memsw 10M, oom_kill_disable 1
#   └── p        limit 30M: memory.pressure_level listeners, low and critical
#
# The machine has no swap, so only a higher memory limit can end the wait.
. "${srcdir:-.}/tests/lib.sh"

EVENT=${MEMCG_EVENT:-$(pwd)/examples/memcg_event}
out=$(mktemp -d)
trap 'cleanup; rm -rf "$out"' EXIT

mount_memcgfs --mode=v1 --swap=0
A=$MNT/a
mkdir "$A"
echo 30M > "$A/memory.limit_in_bytes"
echo 30M > "$A/memory.memsw.limit_in_bytes"

"$EVENT" "$A" memory.usage_in_bytes 8M > "$out/threshold" 2>&1 &
thr=$!
"$EVENT" "$A" memory.oom_control > "$out/oom" 2>&1 &
oom=$!
# wait_line FILE LINE: until the client has printed LINE (5 s at most)
wait_line() {
	local i
	for i in $(seq 100); do
		grep -qx "$2" "$1" && return 0
		sleep 0.05
	done
	fail "$1 never said '$2': $(tr '\n' ' ' < "$1")"
}

wait_line "$out/threshold" registered
wait_line "$out/oom" registered

# up across 8M at 20M, down when the task exits, up again on the way to 50M,
# down once more when the OOM killer frees it
pid=$(ctl spawn a --anon 20M --wait)
expect "20M under 30M" 0 "$?"
wait_line "$out/threshold" "event 1"
ctl kill "$pid"
wait_line "$out/threshold" "event 2"
ctl spawn a --anon 50M --wait > /dev/null
expect "50M under a 30M limit is OOM-killed" 137 "$?"
wait_line "$out/threshold" "event 4"
wait_line "$out/oom" "event 1"
expect "oom_control counts the kill" "oom_kill 1" "$(grep '^oom_kill ' "$A/memory.oom_control")"
rmdir "$A"
wait "$thr" "$oom"
# the client prints running totals: crossings that land together print once
expect "threshold events" "event 4 cgroup removed" "$(tail -2 "$out/threshold" | tr '\n' ' ' | sed 's/ $//')"
expect "oom events" "registered event 1 cgroup removed" "$(tr '\n' ' ' < "$out/oom" | sed 's/ $//')"

# --- oom_kill_disable: the task waits instead of dying ---
W=$MNT/w
mkdir "$W"
echo 10M > "$W/memory.limit_in_bytes"
echo 10M > "$W/memory.memsw.limit_in_bytes"
echo 1 > "$W/memory.oom_control"
ctl spawn w --anon 20M --wait > "$out/wait" &
waiter=$!
for i in $(seq 100); do
	grep -q "under_oom 1" "$W/memory.oom_control" && break
	sleep 0.05
done
expect "under_oom while the task waits" "under_oom 1" "$(grep under_oom "$W/memory.oom_control")"
kill -0 "$waiter" 2>/dev/null || fail "spawn --wait returned during the OOM wait"
expect "nobody was killed" "oom_kill 0" "$(grep '^oom_kill ' "$W/memory.oom_control")"
echo 40M > "$W/memory.memsw.limit_in_bytes"
sleep 0.2
kill -0 "$waiter" 2>/dev/null || fail "a higher memsw limit without swap ended the wait"
echo 40M > "$W/memory.limit_in_bytes"
wait "$waiter"
expect "raising the limit lets it finish" 0 "$?"
expect "under_oom after" "under_oom 0" "$(grep under_oom "$W/memory.oom_control")"
usage=$(cat "$W/memory.usage_in_bytes")
[ "$usage" -ge $((20 << 20)) ] || fail "usage $usage after the wait is below 20M"
ctl kill "$(cat "$W/tasks")"
rmdir "$W"

# --- memory.pressure_level: page cache reclaim is low pressure, unreclaimable anon critical ---
P=$MNT/p
mkdir "$P"
echo 30M > "$P/memory.limit_in_bytes"
"$EVENT" "$P" memory.pressure_level low > "$out/low" 2>&1 &
low=$!
"$EVENT" "$P" memory.pressure_level critical > "$out/critical" 2>&1 &
critical=$!
wait_line "$out/low" registered
wait_line "$out/critical" registered
ctl spawn p --file 60M --wait > /dev/null
expect "60M of page cache under 30M" 0 "$?"
sleep 0.2
[ "$(wc -l < "$out/low")" -ge 2 ] || fail "no low pressure event while page cache was reclaimed"
expect "no critical pressure for page cache" registered "$(cat "$out/critical")"
ctl spawn p --anon 40M --wait > /dev/null
expect "40M of anon without swap is OOM-killed" 137 "$?"
sleep 0.2
[ "$(wc -l < "$out/critical")" -ge 2 ] || fail "no critical pressure event when anon could not be reclaimed"
ctl kill "$(cat "$P/tasks")"
rmdir "$P"
wait "$low" "$critical"

unmount_memcgfs
finish
