#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Anon memory that went to swap comes back when its task uses it again: a
# "touch" workload larger than memory.max refaults from swap and pushes
# other pages out, while usage stays at the limit and every page is either
# resident or in swap. As on the real 6.12 and 7.2 kernels of
# tests/golden/refault-dirty/, workingset_refault_anon equals pswpin; that
# each page read back is its own major fault is the simulation's (no swap
# readahead, memcgfs(8)). Its tasks, as the kernel's, use no huge pages.
. "${srcdir:-.}/tests/lib.sh"
trap cleanup EXIT

stat_of() {	# stat_of FILE KEY
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

# --- v2: 96M of anon used at random under memory.max 64M
mount_memcgfs --clock=manual --swap=1G
mkdir "$MNT/t"
echo 64M > "$MNT/t/memory.max"
pid=$(ctl spawn t --anon 96M --thp never --workload touch --rate 16M)
ctl step 1s > /dev/null
S=$MNT/t/memory.stat
[ "$(cat "$MNT/t/memory.current")" -le $((64 << 20)) ] || fail "memory.current $(cat "$MNT/t/memory.current") over 64M"
expect "resident + swapped anon" $((96 << 20)) $(( $(stat_of "$S" anon) + $(cat "$MNT/t/memory.swap.current") ))
in1=$(stat_of "$S" pswpin) out1=$(stat_of "$S" pswpout)

ctl step 10s > /dev/null
in2=$(stat_of "$S" pswpin) out2=$(stat_of "$S" pswpout)
# 16M/s for 10 s touches 40960 pages; about a third of them are in swap
[ "$((in2 - in1))" -gt 10000 ] && [ "$((in2 - in1))" -lt 16000 ] ||
	fail "pswpin moved by $((in2 - in1)) in 10 s, not about 13653"
# what comes back pushes as much out again: the limit holds (to within
# a charge batch, which the first sample may have been below it)
[ "$((out2 - out1 + 64))" -ge "$((in2 - in1))" ] || fail "pswpout moved by $((out2 - out1)), less than pswpin"
expect "a refault is a major fault" "$in2" "$(stat_of "$S" pgmajfault)"
expect "a refault is a workingset refault" "$in2" "$(stat_of "$S" workingset_refault_anon)"
# each read back stalls its task for the disk (100 MiB/s: 39.0625 us a
# page), and so does the reclaim that makes room for it (19 us an anon
# page scanned)
stall=$(awk '/^some/ { sub("total=", "", $5); print $5 }' "$MNT/t/memory.pressure")
scan=$(stat_of "$S" pgscan)
[ "$stall" -ge $(( in2 * 390625 / 10000 + scan * 19 - 1000 )) ] &&
	[ "$stall" -le $(( in2 * 390625 / 10000 + scan * 19 )) ] ||
	fail "memory.pressure some total=$stall us for $in2 pages read back and $scan scanned"
[ "$(cat "$MNT/t/memory.current")" -le $((64 << 20)) ] || fail "memory.current over 64M after refaults"
expect "still resident + swapped" $((96 << 20)) $(( $(stat_of "$S" anon) + $(cat "$MNT/t/memory.swap.current") ))
expect "ps: the task's anon" "$((96 << 20))" "$(ctl ps t | awk -v p="$pid" '$1 == p { print $2 }')"

# a swapped page that is freed leaves swap without coming back
ctl free "$pid" --anon 96M > /dev/null
expect "swap after free" 0 "$(cat "$MNT/t/memory.swap.current")"
expect "no refault on free" "$in2" "$(stat_of "$S" pswpin)"
unmount_memcgfs

# --- v1: the same under memory.limit_in_bytes; mem+swap does not move
mount_memcgfs --mode=v1 --clock=manual --swap=1G
mkdir "$MNT/t"
echo 64M > "$MNT/t/memory.limit_in_bytes"
ctl spawn t --anon 96M --thp never --workload touch --rate 16M > /dev/null
ctl step 1s > /dev/null
memsw1=$(cat "$MNT/t/memory.memsw.usage_in_bytes")
ctl step 10s > /dev/null
S=$MNT/t/memory.stat
[ "$(stat_of "$S" pgmajfault)" -gt 10000 ] || fail "v1: pgmajfault $(stat_of "$S" pgmajfault) after 10 s of touching"
[ "$(cat "$MNT/t/memory.usage_in_bytes")" -le $((64 << 20)) ] || fail "v1: usage over the limit"
expect "v1: memsw usage while pages move between memory and swap" "$memsw1" \
	"$(cat "$MNT/t/memory.memsw.usage_in_bytes")"
expect "v1: resident + swapped anon" $((96 << 20)) $(( $(stat_of "$S" rss) + $(stat_of "$S" swap) ))
unmount_memcgfs

finish
