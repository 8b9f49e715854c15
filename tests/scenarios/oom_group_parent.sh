#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_oom_group_parent_events: memory.oom.group on the parent kills
# every task below it when a child's task runs it out of memory.
#
#   ROOT
#   └── memcg_test_0        P: memory.max 80M, swap.max 0, oom.group 1;
#       │                   no +memory, so C's tasks are charged to P
#       │                   a 60M holder
#       └── memcg_test_1    C: two 1M holders, then a 100M allocator
. "$(dirname "$0")/lib.sh"

prepare_root
P=$ROOT/memcg_test_0
C=$P/memcg_test_1
cg_create "$P"
cg_create "$C"
cg_write "$P/memory.max" 80M || fail "P memory.max: $CG_WRITE_ERR"
cg_write "$P/memory.swap.max" 0 || fail "P memory.swap.max: $CG_WRITE_ERR"
cg_write "$P/memory.oom.group" 1 || fail "P memory.oom.group: $CG_WRITE_ERR"

task_start "$P" --anon 60M || fail "60M holder in P"
task_start "$C" --anon 1M || fail "first 1M holder"
task_start "$C" --anon 1M || fail "second 1M holder"
task_run "$C" --anon 100M
rc=$?
check "the 100M allocator must be killed (status $rc)" [ $rc != 0 ]
check "C's cgroup.procs empty within 1 s" cg_test_proc_killed "$C"
check "P's cgroup.procs empty within 1 s" cg_test_proc_killed "$P"
note "status=$rc P-oom_kill=$(cg_read_key "$P/memory.events" "oom_kill ")" \
	"P-oom_group_kill=$(cg_read_key "$P/memory.events" "oom_group_kill ")"
finish
