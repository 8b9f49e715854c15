#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The LTP memcg functional expectations that apply to a simulation, on a
# --mode=v1 mount: usage after N pages within the charge batch's slack,
# limit rounding, failcnt after limit hits, force_empty, and
# hierarchical_memory_limit.
#
#   /            (root, v1)
#   ├── u        16M of anon: usage within a batch of 16M
#   ├── f        limit 8M, swap allowed: failcnt rises, the task lives
#   ├── e        force_empty after the task left
#   └── p        limit 32M
#       └── c    no limit: hierarchical_memory_limit is p's
. "${srcdir:-.}/tests/lib.sh"

SLACK=$((64 * 4096))	# one charge batch, MEMCG_CHARGE_BATCH pages
mount_memcgfs --mode=v1

# usage after N pages: the pages, the task's 16 KiB kernel stack, and at most
# one batch of stock
mkdir "$MNT/u"
pid=$(ctl spawn u --anon 16M --wait)
usage=$(cat "$MNT/u/memory.usage_in_bytes")
[ "$usage" -ge $((16 << 20)) ] && [ "$usage" -le $(((16 << 20) + SLACK)) ] ||
	fail "usage_in_bytes $usage is not 16M within one batch"
expect "rss in memory.stat" "rss $((16 << 20))" "$(grep '^rss ' "$MNT/u/memory.stat")"
ctl kill "$pid"

# limit rounding: bytes round down to pages
for v in 4095:0 4096:4096 4097:4096 8191:4096 1M:1048576; do
	echo "${v%%:*}" > "$MNT/u/memory.limit_in_bytes"
	expect "limit_in_bytes ${v%%:*}" "${v##*:}" "$(cat "$MNT/u/memory.limit_in_bytes")"
done
echo -1 > "$MNT/u/memory.limit_in_bytes"
expect "limit -1 is unlimited" 9223372036854771712 "$(cat "$MNT/u/memory.limit_in_bytes")"

# failcnt: hits on the memory limit count; with swap the task survives
mkdir "$MNT/f"
echo 8M > "$MNT/f/memory.limit_in_bytes"
ctl spawn f --anon 16M --wait > /dev/null
expect "16M under 8M with swap is charged" 0 "$?"
failcnt=$(cat "$MNT/f/memory.failcnt")
[ "$failcnt" -gt 0 ] || fail "failcnt is $failcnt after the limit was hit"
expect "memsw counts no failures in 6.18" 0 "$(cat "$MNT/f/memory.memsw.failcnt")"
echo 0 > "$MNT/f/memory.failcnt"
expect "failcnt resets" 0 "$(cat "$MNT/f/memory.failcnt")"
usage=$(cat "$MNT/f/memory.usage_in_bytes")
[ "$usage" -le $((8 << 20)) ] || fail "usage $usage is above the 8M limit"
max_usage=$(cat "$MNT/f/memory.max_usage_in_bytes")
[ "$max_usage" -ge $(((8 << 20) - SLACK)) ] && [ "$max_usage" -le $((8 << 20)) ] ||
	fail "max_usage_in_bytes $max_usage is not at the 8M limit"
echo 0 > "$MNT/f/memory.max_usage_in_bytes"
expect "max_usage resets to usage" "$usage" "$(cat "$MNT/f/memory.max_usage_in_bytes")"

# force_empty: what is left after the task exited (the stock) goes
mkdir "$MNT/e"
pid=$(ctl spawn e --file 16M --wait)
ctl kill "$pid"
[ "$(cat "$MNT/e/memory.usage_in_bytes")" -gt 0 ] || fail "no residual to empty"
echo 0 > "$MNT/e/memory.force_empty"
expect "usage after force_empty" 0 "$(cat "$MNT/e/memory.usage_in_bytes")"

# hierarchical_memory_limit: the smallest limit on the way up
mkdir "$MNT/p" "$MNT/p/c"
echo 32M > "$MNT/p/memory.limit_in_bytes"
expect "hierarchical limit of the child" "hierarchical_memory_limit $((32 << 20))" \
	"$(grep '^hierarchical_memory_limit ' "$MNT/p/c/memory.stat")"
expect "the child's own limit" 9223372036854771712 "$(cat "$MNT/p/c/memory.limit_in_bytes")"

kill_all() {
	local t
	for t in $(cat "$MNT"/*/tasks); do ctl kill "$t"; done
}
kill_all
unmount_memcgfs
finish
