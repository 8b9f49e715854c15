#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Lesson 2: memory.high against memory.soft_limit_in_bytes. Both are "a
# limit that is not a wall", but they work at different times: v2's high
# throttles the cgroup as it grows past it; v1's soft limit does nothing
# until the whole machine runs short, and then it is reclaimed first.
#
#   /
#   ├── batch        high (v1: soft limit) 20M; a task reading a 60M file
#   └── web          no limit;               a task reading a 60M file
. "$(dirname "$0")/lesson.sh"
lesson_begin "Lesson 2: memory.high against memory.soft_limit_in_bytes"

v1 'mkdir batch web; echo 20M > batch/memory.soft_limit_in_bytes'
v2 'echo +memory > cgroup.subtree_control; mkdir batch web; echo 20M > batch/memory.high'
compare batch/memory.soft_limit_in_bytes batch/memory.high
lesson_record batch web
both 'memcgctl spawn batch --workload ramp --file 60M --rate 20M'
both 'memcgctl spawn web --workload ramp --file 60M --rate 20M'
both 'memcgctl step 4s'
compare batch/memory.usage_in_bytes batch/memory.current
compare web/memory.usage_in_bytes web/memory.current
compare batch/memory.failcnt batch/memory.events
notice "v2 held batch near its 20M high while it grew: past high, each charge" \
	"reclaims from the cgroup (and is throttled when that is not enough)," \
	"counted as high events. v1's batch is at its full 60M: a soft limit alone" \
	"holds nothing back while the machine has room."

echo "--- now the machine runs short: something outside every cgroup wants 960M"
both 'memcgctl pressure 960M'
compare batch/memory.usage_in_bytes batch/memory.current
compare web/memory.usage_in_bytes web/memory.current
notice "global reclaim on v1 goes first to the cgroups furthest over their soft" \
	"limit: batch gave up most of what was reclaimed, down below its 20M, and" \
	"web lost far less. v2 has no soft limit: global reclaim took about a fifth" \
	"of each (memory.low, lesson 6, is how v2 says whom to spare)."
lesson_end
