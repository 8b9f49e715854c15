#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Lesson 3: swap accounting. v1 limits memory plus swap together
# (memory.memsw.*); v2 limits swap on its own (memory.swap.max).
#
#   /
#   └── job          memory 30M; v1: memory+swap 40M, v2: swap 10M
#       └── tasks    35M of anonymous memory, then 10M more
. "$(dirname "$0")/lesson.sh"
lesson_begin "Lesson 3: swap accounting, memsw against memory.swap.max"

v1 'mkdir job; echo 30M > job/memory.limit_in_bytes; echo 40M > job/memory.memsw.limit_in_bytes'
v2 'mkdir job; echo 30M > job/memory.max; echo 10M > job/memory.swap.max'
compare job/memory.memsw.limit_in_bytes job/memory.swap.max
notice "the same room, said two ways: v1's 40M is memory and swap together" \
	"(so 10M of swap on top of 30M of memory); v2's 10M is swap alone."

echo "--- v1's memsw limit can never be below its memory limit"
v1 'echo 20M > job/memory.memsw.limit_in_bytes'
v2 'echo 0 > job/memory.swap.max; echo 10M > job/memory.swap.max'
notice "v1 refuses a memsw limit below the memory limit (EINVAL): memsw" \
	"includes memory. v2's two limits are independent: swap.max 0 is \"no swap\"."

echo "--- a task of 35M: 5M must go to swap"
lesson_record job
both 'memcgctl spawn job --anon 35M --wait; echo "exit $?"'
compare job/memory.usage_in_bytes job/memory.current
compare job/memory.memsw.usage_in_bytes job/memory.swap.current
notice "v1's memsw.usage is memory plus swap (about 35M); v2's swap.current is" \
	"the swap alone (about 5M): memory.current + memory.swap.current is v1's memsw."

echo "--- 10M more: past 40M together, and past 10M of swap"
both 'memcgctl spawn job --anon 10M --wait; echo "exit $?"'
both 'memcgctl step 1s'
both 'memcgctl ps job'
compare job/memory.memsw.failcnt job/memory.swap.events
compare job/memory.oom_control job/memory.events
notice "memory full and no more swap allowed: both OOM-killed the bigger task" \
	"(the first), and the new one got its 10M (exit 0). v2 counts swap.max's" \
	"hits in memory.swap.events (max, fail) and the kill in memory.events." \
	"v1's memsw.failcnt stays 0: Linux 6.18 counts failcnt on the memory" \
	"counter alone."
lesson_end
