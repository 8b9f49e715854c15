#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgfs run by a user without root holds only processes that user could
# signal: a root process written to cgroup.procs is refused (EPERM) and
# lives through cgroup.kill, pid 2 is EINVAL, the user's own process is
# held and killed.
#
#   /       the user's (the daemon's)
#   └── job    the user's sleep; not root's, not kthreadd
. "${srcdir:-.}/tests/lib.sh"
if [ "$(id -u)" = 0 ]; then
	# root's process, started before privileges go, and ended after
	sleep 300 &
	export FOREIGN_PID=$!
	( become_unprivileged )
	status=$?
	kill "$FOREIGN_PID"
	wait "$FOREIGN_PID" 2>/dev/null
	exit "$status"
fi

[ -n "${FOREIGN_PID:-}" ] || skip_or_fail "run as root, to have a root process to refuse"
expect "the foreign process is root's" 0 "$(stat -c %u "/proc/$FOREIGN_PID")"
mount_memcgfs
mkdir "$MNT/job"
expect "root's process" "Operation not permitted" "$(write_result "$MNT/job/cgroup.procs" "$FOREIGN_PID")"
expect "root's process to cgroup.threads" "Operation not permitted" \
	"$(write_result "$MNT/job/cgroup.threads" "$FOREIGN_PID")"
expect "kthreadd" "Invalid argument" "$(write_result "$MNT/job/cgroup.procs" 2)"
sleep 300 &
own=$!
expect "the user's own process" ok "$(write_result "$MNT/job/cgroup.procs" "$own")"
expect "cgroup.procs" "$own" "$(cat "$MNT/job/cgroup.procs")"
echo 1 > "$MNT/job/cgroup.kill"
wait "$own"
expect "the user's process, killed" 137 "$?"
expect "root's process lives" 0 "$(kill -0 "$FOREIGN_PID" 2>/dev/null; [ -d "/proc/$FOREIGN_PID" ]; echo $?)"
# the daemon learns of the exit from a pidfd, a moment later
for i in $(seq 100); do
	[ -z "$(cat "$MNT/job/cgroup.procs")" ] && break
	sleep 0.1
done
rmdir "$MNT/job" || fail "rmdir job after its process was killed"
unmount_memcgfs
finish
