#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Lesson 4: OOM control. v1 can switch the OOM killer off for a cgroup
# (oom_kill_disable): a task over the limit then waits until there is room.
# v2 cannot; instead memory.oom.group kills a whole cgroup at once, so a
# job made of several processes never runs on half killed.
#
#   /
#   └── job          limit 30M, no swap: two tasks of 20M
. "$(dirname "$0")/lesson.sh"
lesson_begin "Lesson 4: oom_kill_disable and oom_control against memory.oom.group"

v1 'mkdir job; echo 30M > job/memory.limit_in_bytes; echo 30M > job/memory.memsw.limit_in_bytes'
v2 'mkdir job; echo 30M > job/memory.max; echo 0 > job/memory.swap.max'

echo "--- v1: the OOM killer off"
v1 'echo 1 > job/memory.oom_control'
v2 'echo 1 > job/memory.oom.group'
compare job/memory.oom_control job/memory.oom.group
lesson_record job
both 'memcgctl spawn job --workload ramp --anon 20M --rate 20M; memcgctl step 1s'
both 'memcgctl spawn job --workload ramp --anon 20M --rate 20M; memcgctl step 1s'
both 'memcgctl ps job'
compare job/memory.oom_control job/memory.events
notice "v1: the second task is stuck at the limit, not killed: under_oom 1, and" \
	"it holds what it got so far. v2: with oom.group 1 the OOM killer took" \
	"both tasks, the one that was fine too (oom_group_kill 1). oom_kill says 3" \
	"for 2 tasks: the kernel's group kill signals the first victim again, and" \
	"counts it again."

echo "--- v1: room again (a higher limit) lets the waiting task go on"
v1 'echo 50M > job/memory.memsw.limit_in_bytes; echo 50M > job/memory.limit_in_bytes'
v1 'memcgctl step 1s; memcgctl ps job'
compare job/memory.oom_control job/memory.events
notice "v1's oom_kill_disable leaves the way out to someone else (raise the" \
	"limit, kill a task); under_oom is 0 again once the task got its memory." \
	"v2 has no such switch: memory.max is a wall the OOM killer enforces," \
	"and memory.high (lesson 2) is the limit that slows instead."
lesson_end
