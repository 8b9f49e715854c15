#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Real processes in a memcgfs cgroup, run by a user without root: charged
# for their resident memory, children included, frozen, throttled at
# memory.high, OOM-killed at memory.max; and on v1, usage, failcnt and
# oom_kill_disable. tests/tools/memhold holds the memory; each starts from
# a shell that writes its own pid to cgroup.procs first, then execs it.
#
# v2:  /
#      ├── held     memory.max 100M: memhold 60M anon, 10M file, 5M shmem,
#      │            and a child it forks with 7M anon; frozen and thawed
#      ├── over     memory.max 100M: memhold touching 400M -> SIGKILL
#      └── high     memory.high 40M, swap.max 0: memhold 80M -> stopped,
#                   until memory.high is raised
# v1:  /
#      ├── used     limit 100M: memhold 30M
#      ├── over     limit 100M: memhold 400M -> SIGKILL, failcnt
#      └── wait     limit 50M, oom_kill_disable 1: memhold 80M -> stopped
#                   (under_oom 1) until the limit is raised
. "${srcdir:-.}/tests/lib.sh"
become_unprivileged

MEMHOLD=${MEMHOLD:-$(pwd)/tests/tools/memhold}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/memcgfs-realproc.XXXXXX")
HOLDERS=()
stop_holders() {
	local pid
	for pid in "${HOLDERS[@]}"; do
		kill -9 "$pid" 2>/dev/null
	done
	rm -rf "$OUT"
	cleanup
}
trap stop_holders EXIT

# hold CGROUP NAME MEMHOLD-ARGS...: memhold in CGROUP from its first
# instruction on; its pid in $HOLD_PID, its output in $OUT/NAME.
hold() {
	local cg=$1 name=$2
	shift 2
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$MNT/$cg" "$MEMHOLD" "$@" \
		> "$OUT/$name" &
	HOLD_PID=$!
	HOLDERS+=("$HOLD_PID")
}

ready() {
	grep -qx ready "$OUT/$1"
}

state() {
	awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null
}

# for wait_for, which runs its command again each time
stopped() {
	[ "$(state "$1")" = T ]
}

running() {
	[ "$(state "$1")" != T ]
}

no_procs() {
	local cg
	for cg; do
		[ -z "$(cat "$MNT/$cg/cgroup.procs")" ] || return 1
	done
}

# rss PID FIELD: a field of /proc/PID/status, in bytes
rss() {
	awk -v k="$2:" '$1 == k { print $2 * 1024 }' "/proc/$1/status"
}

stat_of() {
	awk -v k="$2" '$1 == k { print $2 }' "$MNT/$1/memory.stat"
}

field() {
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

# ---- v2 ----
mount_memcgfs

mkdir "$MNT/held"
echo 100M > "$MNT/held/memory.max"
hold held held --anon 60 --file 10 --shmem 5 --child-anon 7
parent=$HOLD_PID
wait_for 30 ready held || fail "memhold never got ready"
child=$(awk '$1 == "child" { print $2 }' "$OUT/held")
# the child is found within one sample of its fork
wait_for 10 grep -qx "$child" "$MNT/held/cgroup.procs" || fail "the child $child is not listed"
expect "cgroup.procs" "$(printf '%s\n' "$parent" "$child" | sort -n)" "$(sort -n "$MNT/held/cgroup.procs")"
# memhold only sleeps now: what the files show is what /proc shows
anon=$(($(rss "$parent" RssAnon) + $(rss "$child" RssAnon)))
shmem=$(($(rss "$parent" RssShmem) + $(rss "$child" RssShmem)))
file=$(($(rss "$parent" RssFile) + $(rss "$child" RssFile) + shmem))
expect "memory.stat anon: both processes' RssAnon" "$anon" "$(stat_of held anon)"
expect "memory.stat shmem: RssShmem" "$shmem" "$(stat_of held shmem)"
expect "memory.stat file: RssFile and RssShmem" "$file" "$(stat_of held file)"
expect "memory.stat unevictable: all of it" "$((anon + file))" "$(stat_of held unevictable)"
[ "$anon" -ge $((67 << 20)) ] && [ "$anon" -le $(( (67 << 20) * 11 / 10 )) ] ||
	fail "anon $anon is not 67M (60M and 7M) within 10%"
current=$(cat "$MNT/held/memory.current")
[ "$current" -ge $((anon + file)) ] && [ "$current" -le $((anon + file + (1 << 20))) ] ||
	fail "memory.current $current is not anon+file $((anon + file)) and the kernel's bits"

echo 1 > "$MNT/held/cgroup.freeze"
wait_for 10 grep -qx "frozen 1" "$MNT/held/cgroup.events" || fail "cgroup.events never says frozen 1"
expect "the parent is stopped" T "$(state "$parent")"
expect "the child is stopped" T "$(state "$child")"
echo 0 > "$MNT/held/cgroup.freeze"
expect "cgroup.events after the thaw" "frozen 0" "$(grep frozen "$MNT/held/cgroup.events")"
wait_for 10 running "$parent" || fail "the parent was not resumed"
wait_for 10 running "$child" || fail "the child was not resumed"

# past memory.max with nothing to reclaim: the OOM killer's SIGKILL
mkdir "$MNT/over"
echo 100M > "$MNT/over/memory.max"
hold over over --anon 400 --progress
wait "$HOLD_PID"
expect "the process past memory.max: exit status" 137 "$?"
expect "oom_kill" 1 "$(field "$MNT/over/memory.events" oom_kill)"
expect "max events raised" 1 "$(($(field "$MNT/over/memory.events" max) > 0))"
expect "peak is memory.max" $((100 << 20)) "$(cat "$MNT/over/memory.peak")"
touched=$(awk '$1 == "touched" { n = $2 } END { print n }' "$OUT/over")
[ "$touched" -lt 400 ] || fail "memhold touched all of its 400M"
wait_for 10 no_procs over || fail "the victim is still listed"
expect "memory.current after the kill" 0 "$(cat "$MNT/over/memory.current")"

# over memory.high with nothing reclaimable: throttled, not killed
mkdir "$MNT/high"
echo 40M > "$MNT/high/memory.high"
echo 0 > "$MNT/high/memory.swap.max"
hold high high --anon 80
wait_for 30 stopped "$HOLD_PID" || fail "the process over memory.high was never stopped"
expect "high events raised" 1 "$(($(field "$MNT/high/memory.events" high) > 0))"
some=$(awk '$1 == "some" { sub("total=", "", $5); print $5 }' "$MNT/high/memory.pressure")
expect "memory.pressure some total raised" 1 "$((some > 0))"
expect "not killed" 0 "$(field "$MNT/high/memory.events" oom_kill)"
expect "alive" 0 "$(kill -0 "$HOLD_PID"; echo $?)"
# memory.high raised: it goes on within one of the kernel's sleeps (2 s), and finishes
echo max > "$MNT/high/memory.high"
wait_for 10 running "$HOLD_PID" || fail "memory.high raised, the process is still stopped"
wait_for 30 ready high || fail "memory.high raised, the process never finished"
kill -9 "$HOLD_PID" "$parent" "$child"
wait "$HOLD_PID" "$parent" 2>/dev/null
wait_for 10 no_procs high held ||
	fail "the killed processes are still listed"
unmount_memcgfs

# ---- v1 ----
mount_memcgfs --mode=v1

mkdir "$MNT/used"
echo 100M > "$MNT/used/memory.limit_in_bytes"
hold used used --anon 30
wait_for 30 ready used || fail "memhold (v1) never got ready"
usage=$(cat "$MNT/used/memory.usage_in_bytes")
held=$(($(rss "$HOLD_PID" RssAnon) + $(rss "$HOLD_PID" RssFile) + $(rss "$HOLD_PID" RssShmem)))
[ "$usage" -ge "$held" ] && [ "$usage" -le $((held + (1 << 20))) ] ||
	fail "usage_in_bytes $usage is not the process's rss $held"
expect "rss in memory.stat" "$(rss "$HOLD_PID" RssAnon)" "$(stat_of used rss)"
kill -9 "$HOLD_PID"

mkdir "$MNT/over"
echo 100M > "$MNT/over/memory.limit_in_bytes"
hold over over1 --anon 400
wait "$HOLD_PID"
expect "v1: past the limit, exit status" 137 "$?"
expect "v1 failcnt raised" 1 "$(($(cat "$MNT/over/memory.failcnt") > 0))"
expect "v1 oom_kill" 1 "$(field "$MNT/over/memory.oom_control" oom_kill)"
expect "v1 max_usage_in_bytes is the limit" $((100 << 20)) "$(cat "$MNT/over/memory.max_usage_in_bytes")"

# oom_kill_disable: the process waits, stopped, until there is room
mkdir "$MNT/wait"
echo 50M > "$MNT/wait/memory.limit_in_bytes"
echo 1 > "$MNT/wait/memory.oom_control"
hold wait wait --anon 80
wait_for 30 grep -qx "under_oom 1" "$MNT/wait/memory.oom_control" || fail "under_oom never 1"
wait_for 10 stopped "$HOLD_PID" || fail "the waiting process is not stopped"
expect "oom_kill_disable: nobody killed" 0 "$(field "$MNT/wait/memory.oom_control" oom_kill)"
echo 200M > "$MNT/wait/memory.limit_in_bytes"
wait_for 30 ready wait || fail "the process did not go on once the limit was raised"
expect "under_oom after the raise" "under_oom 0" "$(grep under_oom "$MNT/wait/memory.oom_control")"
usage=$(cat "$MNT/wait/memory.usage_in_bytes")
expect "all 80M charged after the raise" 1 "$((usage >= (80 << 20)))"
kill -9 "$HOLD_PID"
wait_for 10 no_procs wait used ||
	fail "the killed processes are still listed (v1)"
unmount_memcgfs
finish
