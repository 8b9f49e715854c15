#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# --state is saved within moments of a change, so memcgfs killed with
# SIGKILL comes back with its tree, settings, modes, owners and tasks; a
# kill at any moment leaves a state that loads.
#
#   /
#   └── a        +memory
#       └── b    +memory, memory.max 100M, chmod 750, given to 65534 with its cgroup.procs
#           └── u   made by 65534: all of it 65534's
. "${srcdir:-.}/tests/lib.sh"
require_root "chown"
command -v setpriv > /dev/null || skip_or_fail "setpriv is missing"
dir=$(mktemp -d)
trap 'cleanup; rm -rf "$dir"' EXIT
state=$dir/state.json

# crash: SIGKILL the daemon, and take its dead mount away
crash() {
	kill -9 "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	fusermount3 -u -z "$MNT"
	rmdir "$MNT"
	MNT=
	DAEMON_PID=
}

mount_memcgfs --clock=manual --state="$state"
mkdir -p "$MNT/a/b"
echo +memory > "$MNT/a/cgroup.subtree_control"
echo +memory > "$MNT/a/b/cgroup.subtree_control"
echo 100M > "$MNT/a/b/memory.max"
echo 1 > "$MNT/a/b/memory.oom.group"
chmod 750 "$MNT/a/b"
chown 65534:65534 "$MNT/a/b" "$MNT/a/b/cgroup.procs"
setpriv --reuid=65534 --regid=65534 --clear-groups mkdir "$MNT/a/b/u"
ctl spawn a/b/u --anon 10M > /dev/null
chmod 640 "$MNT/a/b/memory.max"
# the last change is in the file within moments (a generous bound: not a speed test)
wait_for 10 grep -qs '"memory.max":"0640 0:0"' "$state" ||
	fail "the state file did not have the last change within 10 s: $(cat "$state" 2>&1)"
crash

mount_memcgfs --clock=manual --state="$state"
expect "memory.max" $((100 << 20)) "$(cat "$MNT/a/b/memory.max")"
expect "memory.oom.group" 1 "$(cat "$MNT/a/b/memory.oom.group")"
expect "subtree_control" memory "$(cat "$MNT/a/cgroup.subtree_control")"
expect "a/b" "750 65534:65534" "$(stat -c '%a %u:%g' "$MNT/a/b")"
expect "a/b/cgroup.procs" "644 65534:65534" "$(stat -c '%a %u:%g' "$MNT/a/b/cgroup.procs")"
expect "a/b/memory.max" "640 0:0" "$(stat -c '%a %u:%g' "$MNT/a/b/memory.max")"
expect "a/b/cgroup.threads, never chowned" "644 0:0" "$(stat -c '%a %u:%g' "$MNT/a/b/cgroup.threads")"
expect "a/b/u, the user's" "755 65534:65534" "$(stat -c '%a %u:%g' "$MNT/a/b/u")"
expect "a/b/u/memory.high, the user's" "644 65534:65534" "$(stat -c '%a %u:%g' "$MNT/a/b/u/memory.high")"
expect "the task" 1 "$(wc -l < "$MNT/a/b/u/cgroup.procs")"
expect "the user still uses its cgroup" ok \
	"$(setpriv --reuid=65534 --regid=65534 --clear-groups bash -c "echo 20M > $MNT/a/b/u/memory.high" 2>&1 && echo ok)"
unmount_memcgfs

# killed at any moment, amid changes, the state left loads
for delay in 0.3 0.9 1.7; do
	mount_memcgfs --clock=manual --state="$state"
	(
		i=0
		while :; do
			i=$((i + 1))
			mkdir "$MNT/churn$i" 2>/dev/null || exit 0
			echo "$((i % 50 + 1))M" > "$MNT/a/b/memory.high" || exit 0
			[ $((i % 3)) = 0 ] && { rmdir "$MNT/churn$((i - 1))" || exit 0; }
		done
	) 2>/dev/null &
	churn=$!
	sleep "$delay"
	crash
	wait "$churn"
	"$MEMCGFS" -f --state="$state" "$dir" 2> "$dir/err" &
	pid=$!
	wait_for 10 grep -q " $dir fuse.memcgfs " /proc/self/mounts ||
		fail "after a kill at $delay s, the state did not load: $(cat "$dir/err")"
	expect "after a kill at $delay s, memory.max" $((100 << 20)) "$(cat "$dir/a/b/memory.max")"
	fusermount3 -u "$dir"
	wait "$pid" || fail "memcgfs on the state left at $delay s exited $?"
done

# an owner or mode that cannot be read: file:line: what
printf '{ "cgroups": {\n  "/x": { "owner": "me" }\n} }\n' > "$dir/bad.json"
expect "a bad owner" 'memcgfs: '"$dir"'/bad.json:2: /x/owner: "me" is not UID:GID (try "1000:1000")' \
	"$("$MEMCGFS" -f --scenario="$dir/bad.json" "$dir" 2>&1)"
printf '{ "cgroups": {\n  "/x": {\n    "attrs": { "cgroup.procs": "rw 0:0" }\n  }\n} }\n' > "$dir/bad.json"
expect "a bad mode" 'memcgfs: '"$dir"'/bad.json:3: /x/attrs/cgroup.procs: "rw 0:0" is not "MODE UID:GID" (try "0644 1000:1000")' \
	"$("$MEMCGFS" -f --scenario="$dir/bad.json" "$dir" 2>&1)"

# an empty state file says so
: > "$dir/empty.json"
expect "an empty state" "memcgfs: $dir/empty.json: the file is empty (a scenario is a JSON object: see memcgfs-scenario(5))" \
	"$("$MEMCGFS" -f --state="$dir/empty.json" "$dir" 2>&1)"
finish
