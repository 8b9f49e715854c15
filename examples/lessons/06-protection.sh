#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Lesson 6: protection. v2's memory.min and memory.low keep a cgroup's
# memory from reclaim while it is under them; v1 has nothing like it.
#
#   /
#   └── box          limit 70M
#       ├── db       30M of page cache; v2: memory.low 30M
#       ├── cache    30M of page cache, unprotected
#       └── batch    then wants 30M of anonymous memory
. "$(dirname "$0")/lesson.sh"
lesson_begin "Lesson 6: protection, memory.min and memory.low, which v1 does not have"

v1 'mkdir box box/db box/cache box/batch; echo 70M > box/memory.limit_in_bytes'
v2 'echo +memory > cgroup.subtree_control; mkdir box; echo +memory > box/cgroup.subtree_control'
v2 'mkdir box/db box/cache box/batch; echo 70M > box/memory.max; echo 30M > box/db/memory.low'
compare box/db/memory.low box/db/memory.low
notice "v1 has no memory.low (nor memory.min): its only knob near this is the" \
	"soft limit, which acts under global pressure alone (lesson 2)."

echo "--- db and cache fill their page cache, side by side"
lesson_record box box/db box/cache box/batch
both 'memcgctl spawn box/db --workload ramp --file 30M --rate 30M'
both 'memcgctl spawn box/cache --workload ramp --file 30M --rate 30M'
both 'memcgctl step 2s'
compare box/db/memory.usage_in_bytes box/db/memory.current
compare box/cache/memory.usage_in_bytes box/cache/memory.current

echo "--- batch wants 30M more than box has room for: box must reclaim"
both 'memcgctl spawn box/batch --workload ramp --anon 30M --rate 15M; memcgctl step 3s'
compare box/db/memory.usage_in_bytes box/db/memory.current
compare box/cache/memory.usage_in_bytes box/cache/memory.current
compare box/batch/memory.usage_in_bytes box/batch/memory.current
compare box/memory.failcnt box/db/memory.events
notice "v2 took the room from cache and left db, under its memory.low, whole" \
	"(no low events: db never had to give up protected memory). v1 reclaimed" \
	"from db and cache both, so the database lost a third of its cache to a" \
	"batch job."
lesson_end
