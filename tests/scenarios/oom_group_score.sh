#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_oom_group_score_events: a group OOM kill spares tasks with
# oom_score_adj -1000. oom_kill counts 3: the allocator as the victim, then
# the group kill counts the victim again and the other holder.
#
#   ROOT
#   └── memcg_test_0        memory.max 50M, swap.max 0, oom.group 1
#                           1M holder (oom_score_adj -1000: survives),
#                           1M holder, then a 100M allocator
. "$(dirname "$0")/lib.sh"

prepare_root
cg=$ROOT/memcg_test_0
cg_create "$cg"
cg_write "$cg/memory.max" 50M || fail "memory.max: $CG_WRITE_ERR"
cg_write "$cg/memory.swap.max" 0 || fail "memory.swap.max: $CG_WRITE_ERR"
cg_write "$cg/memory.oom.group" 1 || fail "memory.oom.group: $CG_WRITE_ERR"

task_start "$cg" --anon 1M --oom-score-adj -1000 || fail "the protected holder"
safe=$TASK_PID
task_start "$cg" --anon 1M || fail "the other holder"
task_run "$cg" --anon 100M
rc=$?
check "the 100M allocator must be killed (status $rc)" [ $rc != 0 ]
kill=$(cg_read_key "$cg/memory.events" "oom_kill ")
note "status=$rc oom_kill=$kill"
check "oom_kill $kill == 3" [ "$kill" = 3 ]
check "the oom_score_adj -1000 holder survived (kill it now)" task_kill "$safe"
finish
