#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_max: memory.max 30M OOM-kills a 100M anon task and keeps page
# cache at 30M by reclaim.
#
#   ROOT
#   └── memcg_test      memory.max 30M, memory.swap.max 0
#                       tasks one after another: 100M anon (OOM-killed),
#                       50M page cache (~30M charged)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pagecache30.bash"

prepare_root
cg=$ROOT/memcg_test
cg_create "$cg"

check "memory.max of a new memcg reads \"max\\n\"" cg_read_is "$cg/memory.max" $'max\n'
cg_write "$cg/memory.swap.max" 0 || fail "memory.swap.max 0: $CG_WRITE_ERR"
cg_write "$cg/memory.max" 30M || fail "memory.max 30M: $CG_WRITE_ERR"

task_run "$cg" --anon 100M
rc=$?
note "100M-anon-status=$rc"
check "100M of anon under max 30M must be killed (status $rc)" [ $rc != 0 ]

check "pagecache_max_30M" pagecache_max_30M "$cg"

# every task is gone; what stays charged (kernel objects, per-cpu stock) is
# small but not nothing
current=$(cg_read_long "$cg/memory.current")
max=$(cg_read_key "$cg/memory.events" "max ")
note "residual=$current max-events=$max"
check "residual current $current in (0, 30M]" [ "$current" -gt 0 -a "$current" -le "$(mb 30)" ]
check "max events $max > 0" [ "$max" -gt 0 ]
finish
