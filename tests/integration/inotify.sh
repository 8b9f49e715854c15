#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# inotify IN_MODIFY on the files the kernel notifies, as inotifywait(1)
# sees it: memory.events and memory.events.local when a task is
# OOM-killed, cgroup.events when a cgroup fills and empties, a watched
# directory for its files, nothing when nothing changed, and no event
# but IN_MODIFY. Run as root,
# then again as a user without root (whose memcgfs raises them from a
# user namespace of its own, memcgfs(8)).
#
#   /
#   ├── a    memory.max 10M, no swap: a 20M task is OOM-killed
#   └── b    a 1M task, killed: b empties
. "${srcdir:-.}/tests/lib.sh"

command -v inotifywait > /dev/null ||
	{ echo "ERROR: inotifywait is missing (inotify-tools; build-aux/deps.sh installs it)" >&2; exit 99; }

out=$(mktemp -d)
chmod 755 "$out"
trap 'cleanup; rm -rf "$out"' EXIT

# watch NAME SECONDS PATH...: inotifywait for one IN_MODIFY (or the
# events in $EVENTS) in the background, its output in $out/NAME; returns
# once the watches are set.
watchers=()
watch() {
	local name=$1 secs=$2 i
	shift 2
	inotifywait -e "${EVENTS:-modify}" -t "$secs" --format '%w%f %e' "$@" > "$out/$name" 2> "$out/$name.err" &
	watchers+=($!)
	for i in $(seq 100); do
		grep -q "Watches established" "$out/$name.err" && return
		sleep 0.05
	done
	fail "inotifywait on $* never started: $(cat "$out/$name.err")"
}

# seen NAME: what the watcher saw, with the mount's path cut off
seen() {
	sed "s|^$MNT/||" "$out/$1"
}

mount_memcgfs
A=$MNT/a B=$MNT/b
mkdir "$A" "$B"
echo 10M > "$A/memory.max"
echo 0 > "$A/memory.swap.max"

# nothing changes (reads and a setting that raises no event): no IN_MODIFY
watch quiet 1 "$A/memory.events" "$A/cgroup.events" "$A/memory.events.local"
cat "$A/memory.events" "$A/cgroup.events" > /dev/null
echo 20M > "$A/memory.high"
wait "${watchers[@]}"
watchers=()
expect "no change, no IN_MODIFY" "" "$(seen quiet)"

# an OOM kill: memory.events and .local change, cgroup.events twice; swap events do not
watch events 20 "$A/memory.events"
watch local 20 "$A/memory.events.local"
watch cgevents 20 "$A/cgroup.events"
watch dir 20 "$A"
watch swap 2 "$A/memory.swap.events"
# the helper's truncate raises IN_MODIFY alone: no open, close, access or attrib
EVENTS=open,close,access,attrib watch noise 3 "$A/memory.events.local"
ctl spawn a --anon 20M --wait > /dev/null
expect "the task was OOM-killed" 137 "$?"
wait "${watchers[@]}"
watchers=()
expect "memory.events" "a/memory.events MODIFY" "$(seen events)"
expect "memory.events.local" "a/memory.events.local MODIFY" "$(seen local)"
expect "cgroup.events (populated 1)" "a/cgroup.events MODIFY" "$(seen cgevents)"
case $(seen dir) in
"a/cgroup.events MODIFY" | "a/memory.events MODIFY" | "a/memory.events.local MODIFY") ;;
*) fail "the watched directory: expected IN_MODIFY of an events file, got '$(seen dir)'" ;;
esac
expect "memory.swap.events had nothing new" "" "$(seen swap)"
expect "nothing but IN_MODIFY" "" "$(seen noise)"
expect "oom_kill counted" "oom_kill 1" "$(grep '^oom_kill ' "$A/memory.events")"

# b empties: cgroup.events changes to populated 0
pid=$(ctl spawn b --anon 1M --wait)
expect "b populated" "populated 1" "$(grep populated "$B/cgroup.events")"
watch empty 20 "$B/cgroup.events"
ctl kill "$pid" > /dev/null
wait "${watchers[@]}"
watchers=()
expect "cgroup.events when b empties" "b/cgroup.events MODIFY" "$(seen empty)"
expect "b empty" "populated 0" "$(grep populated "$B/cgroup.events")"

rmdir "$B"
unmount_memcgfs
if [ "$(id -u)" = 0 ]; then
	( become_unprivileged )
	[ $? = 0 ] || fail "as a user without root"
fi
finish
