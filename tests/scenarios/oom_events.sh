#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_oom_events: one OOM episode counts exactly one oom and one
# oom_kill, and the killed task leaves the cgroup.
#
#   ROOT
#   └── memcg_test      memory.max 30M, memory.swap.max 0; 100M anon task
. "$(dirname "$0")/lib.sh"

prepare_root
cg=$ROOT/memcg_test
cg_create "$cg"
cg_write "$cg/memory.max" 30M || fail "memory.max 30M: $CG_WRITE_ERR"
cg_write "$cg/memory.swap.max" 0 || fail "memory.swap.max 0: $CG_WRITE_ERR"

task_run "$cg" --anon 100M
rc=$?
check "100M of anon under max 30M must be killed (status $rc)" [ $rc != 0 ]
check "cgroup.procs is empty" cg_read_is "$cg/cgroup.procs" ""
oom=$(cg_read_key "$cg/memory.events" "oom ")
kill=$(cg_read_key "$cg/memory.events" "oom_kill ")
note "status=$rc oom=$oom oom_kill=$kill"
check "oom == 1" [ "$oom" = 1 ]
check "oom_kill == 1" [ "$kill" = 1 ]
finish
