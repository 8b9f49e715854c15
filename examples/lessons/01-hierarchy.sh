#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Lesson 1: hierarchy and limits. A limit holds for the whole subtree
# below it: a child may ask for more than its parent allows, and the
# parent's limit is the one that bites.
#
#   /
#   └── school       limit 40M
#       └── class    limit 100M, no swap: a task wants 60M
. "$(dirname "$0")/lesson.sh"
lesson_begin "Lesson 1: hierarchy and limits"

echo "--- v2 gives a child memory files only once its parent enables the controller"
v1 'mkdir school school/class; ls school/class | grep -c "^memory\."'
v2 'mkdir school; echo +memory > cgroup.subtree_control; echo +memory > school/cgroup.subtree_control'
v2 'mkdir school/class; ls school/class | grep -c "^memory\."'
notice "v1 has one memory hierarchy for everything; v2 turns the controller on per" \
	"subtree with cgroup.subtree_control, and has fewer, simpler files."

echo "--- the same limits, written the same way"
v1 'echo 40M > school/memory.limit_in_bytes; echo 100M > school/class/memory.limit_in_bytes'
v2 'echo 40M > school/memory.max; echo 100M > school/class/memory.max'
compare school/memory.limit_in_bytes school/memory.max
compare school/class/memory.limit_in_bytes school/class/memory.max
notice "a child's limit may be larger than its parent's: nothing checks it, and" \
	"the smaller of the two is what the child really gets."

echo "--- no swap for the class, then a task that wants 60M"
v1 'echo 100M > school/class/memory.memsw.limit_in_bytes; echo 0 > school/class/memory.swappiness'
v2 'echo 0 > school/class/memory.swap.max'
lesson_record school school/class
v1 'memcgctl spawn school/class --workload ramp --anon 60M --rate 20M'
v2 'memcgctl spawn school/class --workload ramp --anon 60M --rate 20M'
both 'memcgctl step 4s'
compare school/memory.max_usage_in_bytes school/memory.peak
compare school/class/memory.failcnt school/memory.events
compare school/class/memory.oom_control school/class/memory.events
notice "the task was OOM-killed at the parent's 40M, not at the class's 100M:" \
	"usage peaked just under 40M. v1's class never hit its own limit (failcnt 0);" \
	"its oom_control counts the kill. v2's memory.events of school counts the" \
	"limit hits (max) and the kill for the whole subtree, class's the kill."
compare school/memory.failcnt school/class/memory.events.local
notice "v1 counts the hits where the limit was: school's failcnt. v2 keeps a" \
	"cgroup's own events apart in memory.events.local: class's limit was" \
	"never hit (max 0), but the task killed was class's own (oom_kill 1)."
lesson_end
