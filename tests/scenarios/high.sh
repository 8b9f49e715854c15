#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_high: memory.high keeps anon and page cache near 30M by
# reclaim, without OOM-killing anyone.
#
#   ROOT
#   └── memcg_test      memory.high 30M, memory.swap.max 0
#                       tasks one after another: 31M anon (must finish),
#                       50M page cache (cannot all stay), 50M page cache (~30M)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pagecache30.bash"

prepare_root
cg=$ROOT/memcg_test
cg_create "$cg"

check "memory.high of a new memcg reads \"max\\n\"" cg_read_is "$cg/memory.high" $'max\n'
cg_write "$cg/memory.swap.max" 0 || fail "memory.swap.max 0: $CG_WRITE_ERR"
cg_write "$cg/memory.high" 30M || fail "memory.high 30M: $CG_WRITE_ERR"

task_run "$cg" --anon 31M
rc=$?
note "31M-anon-status=$rc"
check "31M of anon under high 30M must finish (status $rc)" [ $rc = 0 ]

# alloc_pagecache_50M_check must fail: high reclaim keeps current below 50M
if task_start "$cg" --file 50M; then
	current=$(cg_read_long "$cg/memory.current")
	file=$(cg_read_key "$cg/memory.stat" "file ")
	task_kill "$TASK_PID"
	note "50M-pagecache: current=$(fmt_mb "$current") file=$(fmt_mb "$file")"
	if [ "$current" -ge "$(mb 50)" ] && values_close "$file" "$current" 10; then
		fail "50M of page cache all stayed charged under high 30M"
	fi
fi

check "pagecache_max_30M" pagecache_max_30M "$cg"

high=$(cg_read_key "$cg/memory.events" "high ")
note "high-events=$high"
check "high events $high > 0" [ "$high" -gt 0 ]
finish
