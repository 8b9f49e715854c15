#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs every scenario, in the selftest's order, against one cgroup root:
#   run-scenarios.sh ROOT [SCENARIO...]
# with $SCENARIO_BACKEND (kernel | memcgfs) already set. Each scenario prints
# its own PASS/FAIL/SKIP line; this prints a summary and exits 1 if any failed.
# On memcgfs a skip is a failure: a scenario skips when a file or a feature
# it needs is missing (memory.peak not writable, no swap...), and memcgfs
# must have every one; only a kernel may lack them.
# Inside the kernel VM (kernel-vm/run) it is the script that runs: ROOT is
# /sys/fs/cgroup and memhog and peakfd sit beside it.
#
# Not replayed: test_memcg_subtree_control (no memory numbers),
# test_memcg_sock (needs a TCP server and client inside the cgroup: socket
# memory is not something memhog or memcgctl make). test_memcg_high_sync
# waits for memory.events with inotifywait (inotify-tools).
cd "$(dirname "$0")" || exit 1
ROOT=${1:?usage: $0 CGROUP_ROOT [SCENARIO...]}
shift
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} = 0 ] && SCENARIOS=(current_peak min low high high_sync max reclaim oom_events
	swap_max_peak oom_group_leaf oom_group_parent oom_group_score)

pass=0 fail=0 skip=0
for s in "${SCENARIOS[@]}"; do
	start=$SECONDS
	bash "./$s.sh" "$ROOT"
	case $? in
	0) pass=$((pass + 1)) ;;
	77)
		if [ "${SCENARIO_BACKEND:-kernel}" = memcgfs ]; then
			echo "FAIL $s: skipped, but memcgfs must have all it needs"
			fail=$((fail + 1))
		else
			skip=$((skip + 1))
		fi
		;;
	*) fail=$((fail + 1)) ;;
	esac
	[ -n "${SCENARIO_TIMES:-}" ] && echo "  ($s took $((SECONDS - start)) s)"
done
echo "${SCENARIO_BACKEND:-kernel}: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
