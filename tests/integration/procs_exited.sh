#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# cgroup.procs, cgroup.threads and tasks never list a process that has
# exited, however busy the daemon is: a real process written there, killed
# and reaped, is gone from the next read. The control thread, which also
# notices exits, is kept busy by a long manual-clock step, so a read that
# relied on it would still list the dead pid.
. "${srcdir:-.}/tests/lib.sh"

for mode in v2 v1; do
	mount_memcgfs --mode=$mode --clock=manual
	mkdir "$MNT/a" "$MNT/w"
	ctl spawn w --workload churn --anon 1M --period 20ms > /dev/null
	ctl step 100000h 2> /dev/null &
	step=$!
	files="cgroup.procs cgroup.threads"
	[ $mode = v1 ] && files="cgroup.procs tasks"
	for i in $(seq 20); do
		sleep 1000 &
		pid=$!
		echo "$pid" > "$MNT/a/cgroup.procs" || fail "$mode: cannot move $pid"
		grep -qx "$pid" "$MNT/a/cgroup.procs" || fail "$mode: $pid not listed while alive"
		kill -9 "$pid"
		wait "$pid" 2> /dev/null
		for f in $files; do
			grep -qx "$pid" "$MNT/a/$f" && fail "$mode: $f lists $pid after it was reaped (try $i)"
		done
	done
	# the control thread was busy all along, or this proved nothing
	kill -0 "$step" 2> /dev/null || { echo "ERROR: $mode: the step ended before the checks did" >&2; exit 99; }
	expect "$mode: cgroup.procs at the end" "" "$(cat "$MNT/a/cgroup.procs")"
	rmdir "$MNT/a" || fail "$mode: rmdir of a cgroup whose process was reaped"
	unmount_memcgfs
	wait "$step"
done
finish
