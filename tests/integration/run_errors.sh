#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgctl run's bad input and failures, as root and then as a user without
# root: one line on stderr, a non-zero exit, no cgroup made by run left, no
# process left in the tree; the exit status of a command, and of one killed
# by a signal (one sent to memcgctl is passed on); a program whose
# supervisor dies is not left blocked.
#
#   /
#   ├── job       where the commands run
#   └── locked    mode 0555: the user may not make gone/ in it
# and, without user namespaces, nouserns/ is not left behind.
. "${srcdir:-.}/tests/lib.sh"
mount_memcgfs
mkdir "$MNT/job"

# run the status of ARGS... and its stderr's number of lines and first line
try() {
	local err status
	err=$("$MEMCGCTL" -m "$MNT" run "$@" 2>&1 >/dev/null)
	status=$?
	echo "$status $(printf '%s' "$err" | grep -c '') ${err%%$'\n'*}"
}

expect "exit status" 3 "$("$MEMCGCTL" -m "$MNT" run --cgroup job -- sh -c 'exit 3' >/dev/null 2>&1; echo $?)"
expect "killed by SIGTERM" 143 "$("$MEMCGCTL" -m "$MNT" run --cgroup job -- sh -c 'kill -TERM $$' >/dev/null 2>&1; echo $?)"
# a signal sent to memcgctl goes on to the command
"$MEMCGCTL" -m "$MNT" run --cgroup job -- sleep 300 &
runner=$!
wait_for 30 grep -q . "$MNT/job/cgroup.procs" || fail "the command never joined job"
kill -TERM "$runner"
wait "$runner"
expect "SIGTERM to memcgctl, passed on" 143 "$?"
expect "a command that does not exist" "127 1 memcgctl: run: no-such-command-xyz: command not found" \
	"$(try --cgroup new/deeper -- no-such-command-xyz)"
expect "the cgroups run made for it are gone" 1 "$([ ! -e "$MNT/new" ] && echo 1)"
expect "a cgroup that was there stays" 1 \
	"$(try --cgroup job -- no-such-command-xyz > /dev/null; [ -d "$MNT/job" ] && echo 1)"
expect "a command that is not executable" "126 1 memcgctl: run: /dev/null: Permission denied" \
	"$(try --cgroup job -- /dev/null)"
expect "no command" "2 1 memcgctl: run: no command to run; usage: memcgctl run [--cgroup PATH] [--cgroupns] [--] COMMAND [ARG...]" \
	"$(try --cgroup job)"
expect "an unknown option" "2 1" "$(try --frobnicate -- true | cut -d' ' -f1,2)"
expect "a path with .." "2 1" "$(try --cgroup ../x -- true | cut -d' ' -f1,2)"
# the daemon learns of exits from pidfds, a moment later
wait_for 10 test -z "$(cat "$MNT/job/cgroup.procs")" || fail "processes left in job: $(cat "$MNT/job/cgroup.procs")"

if [ "$(id -u)" != 0 ]; then
	mkdir "$MNT/locked"
	chmod 555 "$MNT/locked"
	expect "a cgroup the user may not make" "1 1 memcgctl: run: cannot create cgroup /locked/gone: Permission denied" \
		"$(try --cgroup locked/gone -- true)"
	# A host without user namespaces for the user: a namespace of the
	# user's own (mapped to itself, its capabilities kept) whose limit of
	# user namespaces is 0.
	out=$(unshare -U --map-user="$(id -u)" --map-group="$(id -g)" --keep-caps sh -c \
		'echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"' _ \
		"$MEMCGCTL" -m "$MNT" run --cgroup nouserns -- true 2>&1)
	expect "no user namespaces" "125 memcgctl: run: cannot make a user namespace (needed without root): No space left on device" \
		"$? $out"
	expect "no cgroup left for it" 1 "$([ ! -e "$MNT/nouserns" ] && echo 1)"
fi

# The program kills its supervisor: its next intercepted calls fail with
# ENOSYS (even the loading of a program), and nothing waits forever.
out=$(timeout 60 "$MEMCGCTL" -m "$MNT" run --cgroup job -- sh -c \
	'kill -KILL $PPID; sleep 1; cat /proc/self/cgroup 2>/dev/null; echo "status $?"' 2>/dev/null)
expect "without its supervisor, the program goes on" 1 \
	"$(printf '%s\n' "$out" | grep -Eq '^status [1-9]' && echo 1)"
wait_for 10 test -z "$(cat "$MNT/job/cgroup.procs")" || fail "processes left in job: $(cat "$MNT/job/cgroup.procs")"
rmdir "$MNT/job"
unmount_memcgfs
if [ "$(id -u)" = 0 ]; then
	( become_unprivileged ) || fail "the same as an unprivileged user"
fi
finish
