#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_oom_group_leaf_events: an OOM in a leaf with memory.oom.group
# kills the whole leaf; the oom_kill events count in the parent too (unless
# the mount has memory_localevents).
#
#   ROOT
#   └── memcg_test_0        P: +memory (written after C exists)
#       │                   a 60M holder: cannot join P (no internal
#       │                   processes once P has +memory: EBUSY), as in the
#       │                   selftest, which ignores that
#       └── memcg_test_1    C: memory.max 50M, swap.max 0, oom.group 1
#                           two 1M holders, then a 100M allocator
. "$(dirname "$0")/lib.sh"

prepare_root
P=$ROOT/memcg_test_0
C=$P/memcg_test_1
cg_create "$P"
cg_create "$C"
cg_write "$P/cgroup.subtree_control" +memory || fail "+memory on P: $CG_WRITE_ERR"
cg_write "$C/memory.max" 50M || fail "C memory.max: $CG_WRITE_ERR"
cg_write "$C/memory.swap.max" 0 || fail "C memory.swap.max: $CG_WRITE_ERR"
cg_write "$C/memory.oom.group" 1 || fail "C memory.oom.group: $CG_WRITE_ERR"

task_start "$P" --anon 60M
note "P-holder-status=$?"
task_start "$C" --anon 1M || fail "first 1M holder"
task_start "$C" --anon 1M || fail "second 1M holder"
task_run "$C" --anon 100M
rc=$?
check "the 100M allocator must be killed (status $rc)" [ $rc != 0 ]
check "C's cgroup.procs empty within 1 s" cg_test_proc_killed "$C"

ckill=$(cg_read_key "$C/memory.events" "oom_kill ")
pkill=$(cg_read_key "$P/memory.events" "oom_kill ")
note "status=$rc C-oom_kill=$ckill P-oom_kill=$pkill"
check "C oom_kill $ckill > 0" [ "$ckill" -gt 0 ]
if has_mount_opt memory_localevents; then
	check "P oom_kill $pkill == 0 (memory_localevents)" [ "$pkill" = 0 ]
else
	check "P oom_kill $pkill > 0" [ "$pkill" -gt 0 ]
fi
finish
