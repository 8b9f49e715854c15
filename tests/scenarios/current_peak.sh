#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_current_peak: memory.current and memory.stat follow 50M of anon,
# then 50M of page cache; memory.peak keeps the high-water mark, and a
# "reset" written to an open memory.peak restarts the peak seen by that one
# open file only.
#
#   ROOT
#   └── memcg_test      a 50M anon task, later a 50M page-cache task
. "$(dirname "$0")/lib.sh"

prepare_root
cg=$ROOT/memcg_test
cg_create "$cg"

current=$(cg_read_long "$cg/memory.current")
peak=$(cg_read_long "$cg/memory.peak")
note "new: current=$current peak=$peak"
check "a new memcg has current 0" [ "$current" = 0 ]
check "a new memcg has peak 0" [ "$peak" = 0 ]

# alloc_anon_50M_check: read while the child holds its 50M
if task_start "$cg" --anon 50M; then
	current=$(cg_read_long "$cg/memory.current")
	anon=$(cg_read_key "$cg/memory.stat" "anon ")
	note "anon task: current=$(fmt_mb "$current") anon=$(fmt_mb "$anon")"
	check "current $current >= 50M" [ "$current" -ge "$(mb 50)" ]
	check "values_close(50M, current, 3)" values_close "$(mb 50)" "$current" 3
	check "values_close(anon, current, 3)" values_close "$anon" "$current" 3
	task_kill "$TASK_PID"
else
	fail "the 50M anon task did not complete"
fi

peak=$(cg_read_long "$cg/memory.peak")
note "peak=$(fmt_mb "$peak")"
check "peak >= 50M after the anon task" [ "$peak" -ge "$(mb 50)" ]

# Three opens of memory.peak, closed in another order than they were reset.
peak_start
peak open 1 "$cg/memory.peak"
[ "$PEAK" = "err ENOENT" ] && skip "no memory.peak"
[ "$PEAK" = ok ] || { fail "open memory.peak: $PEAK"; finish; }
peak writable 1
[ "$PEAK" = 1 ] || skip "memory.peak is not writable"
peak open 2 "$cg/memory.peak"
check "open fd2: $PEAK" [ "$PEAK" = ok ]
peak open 3 "$cg/memory.peak"
check "open fd3: $PEAK" [ "$PEAK" = ok ]
for id in 1 2 3; do
	peak write $id 'reset\n'
	check "reset on fd$id returned $PEAK, not 7" [ "$PEAK" = 7 ]
done

# a reset is local to its open file
peak=$(cg_read_long "$cg/memory.peak")
check "memory.peak $peak >= 50M after fd resets" [ "$peak" -ge "$(mb 50)" ]

peak close 2
check "close fd2: $PEAK" [ "$PEAK" = ok ]
peak open 4 "$cg/memory.peak"
check "open fd4: $PEAK" [ "$PEAK" = ok ]
peak write 4 'reset\n'
check "reset on fd4 returned $PEAK, not 7" [ "$PEAK" = 7 ]

peak read 1
note "fd1-after-reset=$(fmt_mb "$PEAK")"
check "fd1 peak $PEAK in [0, 30M] after its reset" \
	[ "$PEAK" -le "$(mb 30)" -a "$PEAK" -ge 0 ]

# alloc_pagecache_50M_check
if task_start "$cg" --file 50M; then
	current=$(cg_read_long "$cg/memory.current")
	file=$(cg_read_key "$cg/memory.stat" "file ")
	note "file task: current=$(fmt_mb "$current") file=$(fmt_mb "$file")"
	check "current $current >= 50M" [ "$current" -ge "$(mb 50)" ]
	check "values_close(file, current, 10)" values_close "$file" "$current" 10
	task_kill "$TASK_PID"
else
	fail "the 50M page-cache task did not complete"
fi

peak=$(cg_read_long "$cg/memory.peak")
check "memory.peak $peak >= 50M" [ "$peak" -ge "$(mb 50)" ]
peak read 1
fd1=$PEAK
peak read 4
fd4=$PEAK
note "fd1=$(fmt_mb "$fd1") fd4=$(fmt_mb "$fd4")"
check "fd1 peak >= 50M" [ "$fd1" -ge "$(mb 50)" ]
check "fd4 peak >= 50M" [ "$fd4" -ge "$(mb 50)" ]
for id in 3 4 1; do
	peak close $id
	check "close fd$id: $PEAK" [ "$PEAK" = ok ]
done
finish
