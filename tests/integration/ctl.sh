#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The control socket never holds up the mount: a stopped `memcgctl watch`
# does not stall a read of a control file, and learns what it missed; a
# stat reply of any size arrives; memcgctl gives up on a silent daemon.
#
#   /
#   ├── job      memory.high 10M: twenty tasks leak past it, throttled
#   └── g0..g99  (the 100,000-cgroup tree: c0..c999 in each)
. "${srcdir:-.}/tests/lib.sh"
dir=$(mktemp -d)
watcher=
trap 'kill -CONT $watcher 2>/dev/null; kill $watcher 2>/dev/null; cleanup; rm -rf "$dir"' EXIT

# --- a watcher stopped while tasks leak under memory.high
mount_memcgfs --clock=manual
echo +memory > "$MNT/cgroup.subtree_control"
mkdir "$MNT/job"
echo 10M > "$MNT/job/memory.high"
"$MEMCGCTL" -m "$MNT" watch > "$dir/watch" &
watcher=$!
# it is registered once it has seen an event
step_and_look() {
	ctl step 100ms && grep -q ' high' "$dir/watch"
}
ctl spawn job --anon 100M --workload leak --rate 50M --thp never > /dev/null
wait_for 20 step_and_look || fail "the watcher saw no memory.high event"
kill -STOP $watcher
for i in $(seq 19); do
	ctl spawn job --anon 100M --workload leak --rate 50M --thp never > /dev/null
done
# each step logs a thousand events (small pages: --thp never; the tasks
# stall in reclaim part of the time), six far more than the watcher's
# socket holds
for i in 1 2 3 4 5 6; do
	timeout 60 "$MEMCGCTL" -m "$MNT" step 10s || fail "step $i did not come back (status $?)"
done
# a read of the mount answers (a generous bound: this is not a speed test)
cat "$MNT/job/memory.current" > "$dir/current" &
reader=$!
wait_for 20 eval '! kill -0 $reader 2>/dev/null' ||
	fail "cat memory.current did not return within 20 s while a watcher is stopped"
expect "memory.current was read" 1 "$(grep -c '^[0-9][0-9]*$' "$dir/current")"
expect "memcgctl answers too" 1 "$(timeout 60 "$MEMCGCTL" -m "$MNT" stat job | grep -c '^/job ')"
kill -CONT $watcher
wait_for 20 grep -q 'events lost: this watcher fell behind' "$dir/watch" ||
	fail "the watcher, let go, was not told it lost events: $(tail -3 "$dir/watch")"
wait "$reader"
kill $watcher
wait $watcher 2>/dev/null
watcher=

# --- memcgctl gives up on a daemon that does not answer, and says why
kill -STOP "$DAEMON_PID"
start=$SECONDS
msg=$("$MEMCGCTL" -m "$MNT" --timeout 1 ps 2>&1)
status=$?
kill -CONT "$DAEMON_PID"
expect "exit status after a timeout" 1 "$status"
expect "timeout message" "memcgctl: the daemon did not answer within 1 s: memcgfs is busy or stuck (wait longer with --timeout SECONDS, or --timeout 0 for no limit)" "$msg"
[ $((SECONDS - start)) -lt 30 ] || fail "--timeout 1 waited $((SECONDS - start)) s"
msg=$("$MEMCGCTL" -m "$MNT" --timeout soon ps 2>&1)
expect "a bad --timeout" "2 memcgctl: --timeout soon: not a number of seconds" "$? $msg"
unmount_memcgfs

# --- stat of 2,000 cgroups made with mkdir, then of 100,000 from a scenario
mount_memcgfs
echo +memory > "$MNT/cgroup.subtree_control"
for i in $(seq 0 39); do
	mkdir "$MNT/m$i"
	(cd "$MNT/m$i" && mkdir $(seq -f 'c%g' 0 48))
done
expect "stat lines for 2,000 cgroups" 2001 "$(ctl stat | wc -l)"
# (the root, 40 parents and 40 x 49 children: 2,001 cgroups)
expect "the last cgroup" "/m39/c48" "$(ctl stat | tail -1 | cut -d' ' -f1)"
expect "JSON objects for 2,000 cgroups" 2001 "$(ctl stat --json | grep -o '"path":' | wc -l)"
expect "JSON ends the tree" ']}]}]}' "$(ctl stat --json | tail -c 7)"
unmount_memcgfs

mount_memcgfs
awk 'BEGIN {
	printf "{ \"cgroups\": {\n"
	for (i = 0; i < 100; i++)
		for (j = 0; j < 1000; j++)
			printf "%s\"/g%d/c%d\": {}\n", (i || j) ? "," : "", i, j
	printf "} }\n"
}' > "$dir/big.json"
[ "$(wc -c < "$dir/big.json")" -gt 65536 ] || fail "the scenario should not fit in 64 KiB"
expect "load of 100,000 cgroups" "$dir/big.json: 0 task(s) started" "$(ctl --timeout 0 load "$dir/big.json")"
ctl stat > "$dir/stat"
expect "stat lines for 100,000 cgroups" 100101 "$(wc -l < "$dir/stat")"
expect "the last of them" "/g99/c999 nr_tasks=0" "$(tail -1 "$dir/stat")"
ctl stat --json > "$dir/stat.json"
expect "JSON objects for 100,000 cgroups" 100101 "$(grep -o '"path":' "$dir/stat.json" | wc -l)"
unmount_memcgfs

finish
