#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Dirty page cache under a limit, against what a real 6.12 kernel did with
# the same 200M buffered write into a cgroup with memory.max 64M
# (tests/golden/refault-dirty/): usage never passes the limit, nobody is
# OOM-killed, only clean pages are reclaimed (pgscan == pgsteal, about 35712
# pages), dirty pages stay under the cgroup's own dirty limit, and what is
# left dirty below the background threshold waits for dirty_expire (30 s).
. "${srcdir:-.}/tests/lib.sh"
trap cleanup EXIT

stat_of() {	# stat_of FILE KEY
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

mount_memcgfs --clock=manual
mkdir "$MNT/w"
echo 64M > "$MNT/w/memory.max"
S=$MNT/w/memory.stat
ctl spawn w --file 200M --workload write --rate 100M > /dev/null

max_dirty=0 max_current=0
for i in $(seq 25); do		# 2.5 s: the write takes 2
	ctl step 100ms > /dev/null
	dirty=$(stat_of "$S" file_dirty)
	current=$(cat "$MNT/w/memory.current")
	[ "$dirty" -gt "$max_dirty" ] && max_dirty=$dirty
	[ "$current" -gt "$max_current" ] && max_current=$current
done
[ "$max_current" -le $((64 << 20)) ] || fail "memory.current reached $max_current"
[ "$max_dirty" -gt 0 ] || fail "no dirty page cache seen while writing"
# the cgroup's dirty limit: 20% of what it may hold (the kernel peaked at 10.2M)
[ "$max_dirty" -le $(( (64 << 20) / 5 )) ] || fail "file_dirty reached $max_dirty, past 20% of 64M"
expect "nobody OOM-killed" "oom_kill 0" "$(grep '^oom_kill ' "$MNT/w/memory.events")"
steal=$(stat_of "$S" pgsteal)
expect "only clean pages reclaimed" "$steal" "$(stat_of "$S" pgscan)"
[ "$steal" -gt 33900 ] && [ "$steal" -lt 37500 ] || fail "pgsteal $steal, the kernel's was 35712 (5%)"
expect "the file stays cached" $(( (200 << 20) - steal * 4096 )) "$(stat_of "$S" file)"

# the write is over: what is in flight lands, a remainder below the
# background threshold waits for dirty_expire
ctl step 1s > /dev/null
expect "nothing in flight" 0 "$(stat_of "$S" file_writeback)"
left=$(stat_of "$S" file_dirty)
[ "$left" -gt 0 ] && [ "$left" -lt $(( (64 << 20) / 10 )) ] ||
	fail "after the write $left dirty, not between 0 and the background threshold"
ctl step 20s > /dev/null
expect "dirty before dirty_expire" "$left" "$(stat_of "$S" file_dirty)"
ctl step 15s > /dev/null
expect "dirty after dirty_expire and a flusher round" 0 "$(stat_of "$S" file_dirty)"
unmount_memcgfs

# --- v1 shows the same pages as dirty and writeback
mount_memcgfs --mode=v1 --clock=manual
mkdir "$MNT/w"
echo 64M > "$MNT/w/memory.limit_in_bytes"
ctl spawn w --file 200M --workload write --rate 100M > /dev/null
ctl step 2s > /dev/null
S=$MNT/w/memory.stat
[ "$(cat "$MNT/w/memory.usage_in_bytes")" -le $((64 << 20)) ] || fail "v1: usage over the limit"
[ "$(( $(stat_of "$S" dirty) + $(stat_of "$S" writeback) ))" -gt 0 ] || fail "v1: no dirty or writeback pages"
expect "v1: nobody OOM-killed" 0 "$(stat_of "$MNT/w/memory.oom_control" oom_kill)"
unmount_memcgfs

finish
