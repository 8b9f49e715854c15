#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Lesson 5: events and notifications. v1 lets a program ask to be told when
# usage crosses a level of its choosing (an eventfd registered through
# cgroup.event_control) and counts limit hits in failcnt. v2 has no
# thresholds: it counts what happened in memory.events, and a program
# waits for that file to change with poll() (or inotify).
#
#   /
#   └── job          limit 30M: a task ramping to 25M, then 10M more (swapped)
. "$(dirname "$0")/lesson.sh"
lesson_begin "Lesson 5: failcnt and eventfd thresholds against memory.events and poll"

v1 'mkdir job; echo 30M > job/memory.limit_in_bytes'
v2 'mkdir job; echo 30M > job/memory.max'
echo "--- a listener on each tree"
listen v1 threshold 'memcg_event job memory.usage_in_bytes 20M'
listen v2 poller 'memcg_poll job/memory.events'
compare @threshold @poller
notice "v1: memcg_event wrote \"EVENTFD FD 20M\" to cgroup.event_control to hear" \
	"when usage crosses 20M. v2: memcg_poll read memory.events and polls it."

echo "--- a task ramps to 25M: under the limit"
lesson_record job
both 'memcgctl spawn job --workload ramp --anon 25M --rate 10M; memcgctl step 3s'
await threshold 2
compare @threshold @poller
compare job/memory.failcnt job/memory.events
notice "v1's threshold fired as usage went past 20M, a level the listener chose." \
	"v2's poller still waits: nothing was counted in memory.events, and v2 has" \
	"no way to ask for a usage level."

echo "--- 10M more: the limit is hit, and what does not fit goes to swap"
both 'memcgctl spawn job --anon 10M --wait; echo "exit $?"'
await poller 2
compare @threshold @poller
compare job/memory.failcnt job/memory.events
notice "v2's poller woke: memory.events changed (max counts the charges that" \
	"hit the limit and had to reclaim). v1 counts the same hits in failcnt," \
	"a number to read: v1's thresholds tell of usage levels, not of limits," \
	"and usage stayed above 20M, so no second threshold event."
lesson_end
