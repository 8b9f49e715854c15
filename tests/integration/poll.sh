#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# poll(2) on the files the kernel notifies: POLLPRI when memory.events or
# cgroup.events changes, and not before.
#
#   /
#   └── a    memory.max 10M, no swap: a 20M task is OOM-killed
. "${srcdir:-.}/tests/lib.sh"

out=$(mktemp -d)
trap 'cleanup; rm -rf "$out"' EXIT

# poll_for FILE NAME: a background poller writing to $out/NAME
pollers=()
poll_for() {
	"$POLLWAIT" "$1" 5000 > "$out/$2" &
	pollers+=($!)
	for i in $(seq 100); do
		grep -q ready "$out/$2" && return
		sleep 0.05
	done
	fail "pollwait on $1 never started"
}

mount_memcgfs
A=$MNT/a
mkdir "$A"
echo 10M > "$A/memory.max"
echo 0 > "$A/memory.swap.max"

# nothing happens: the poll times out
"$POLLWAIT" "$A/memory.events" 300 > "$out/quiet"
expect "no change, no POLLPRI" "ready timeout" "$(tr '\n' ' ' < "$out/quiet" | sed 's/ $//')"

poll_for "$A/memory.events" events
poll_for "$A/memory.events.local" local
poll_for "$A/cgroup.events" cgevents
poll_for "$A/memory.swap.events" swap
ctl spawn a --anon 20M --wait > /dev/null
wait "${pollers[@]}"
expect "memory.events woke its poller" "ready event" "$(tr '\n' ' ' < "$out/events" | sed 's/ $//')"
expect "memory.events.local too" "ready event" "$(tr '\n' ' ' < "$out/local" | sed 's/ $//')"
expect "cgroup.events (populated 1, then 0)" "ready event" "$(tr '\n' ' ' < "$out/cgevents" | sed 's/ $//')"
expect "memory.swap.events had nothing new" "ready timeout" "$(tr '\n' ' ' < "$out/swap" | sed 's/ $//')"

unmount_memcgfs
finish
