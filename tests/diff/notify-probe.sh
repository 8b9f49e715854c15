#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What the kernel notifies, and how PSI triggers parse, poll and fire:
#   notify-probe.sh CGROUP2_ROOT [SECTION...]     (default: all sections)
# Sections:
#   triggers  the triggers written to memory.pressure (and io, cpu) of a child,
#             with and without CAP_SYS_RESOURCE (psitrig --unpriv drops it;
#             "privileged" is whatever the caller has): "ok" or the errno; a second
#             trigger on one file; poll(2) without a trigger, and with one
#             and no stall. The same on any kernel of a version, and on memcgfs.
#   inotify   inotifywait -m on a child's events files and memory.pressure
#             while nothing happens, a process enters, and one is OOM-killed:
#             which files got IN_MODIFY in each phase (sorted, once each).
#   stall     a trigger "some 150000 1000000" while memory.high throttles a
#             growing process: it fires, never twice within its window, and
#             memory.pressure gets IN_MODIFY then.
#   pathtrunc the events of a file truncated as memcgfs's inotify helper does
#             (O_PATH, then truncate(2) of /proc/self/fd/N): IN_MODIFY alone.
# Needs PSITRIG (tests/tools/psitrig), and for inotify and stall inotifywait
# and MEMHOG (tests/tools/memhog), for pathtrunc PATHTRUNC (tests/tools/pathtrunc). Run as root. tests/diff/notify-record.sh
# runs it in the kernel VM.
set -u
ROOT=${1:?usage: notify-probe.sh CGROUP2_ROOT [SECTION...]}
shift
SECTIONS=${*:-triggers inotify stall pathtrunc}
PSITRIG=${PSITRIG:-psitrig}
MEMHOG=${MEMHOG:-memhog}
PATHTRUNC=${PATHTRUNC:-pathtrunc}
P=$ROOT/notify-probe
OUT=$(mktemp -d)
trap 'rmdir "$P"/* 2>/dev/null; rmdir "$P" 2>/dev/null; rm -rf "$OUT"' EXIT

grep -q memory "$ROOT/cgroup.subtree_control" || echo +memory > "$ROOT/cgroup.subtree_control"
mkdir "$P" && echo +memory > "$P/cgroup.subtree_control" || exit 1

section_triggers() {
	local t f
	echo "== triggers"
	for t in "some 150000 1000000" "full 150000 1000000" "some 1000 1000" "some 1 1" \
		"some 100000 2000000" "full 1 10000000" "some 10000000 10000000" \
		"some 0 2000000" "some 2000001 2000000" "some 100 0" "some 100 10000001" \
		"some 100000 12000000" "any 100 2000000" "some 100" "some" "" \
		"some -1 2000000" "some +100 2000000" " some 100 2000000" "SOME 100 2000000" \
		"some100 2000000" "some 100 2000000 junk" "full 100,2000000" \
		"some 4294967296 2000000" "some 4294967297 2000000"; do
		printf 'privileged   %s\n' "$("$PSITRIG" "$P/memory.pressure" write "$t")"
		printf 'unprivileged %s\n' "$("$PSITRIG" --unpriv "$P/memory.pressure" write "$t")"
	done
	# windows of 2 s from here: the same answers with or without CAP_SYS_RESOURCE
	echo "two triggers on one file:"
	"$PSITRIG" "$P/memory.pressure" write "some 150000 2000000" "full 150000 2000000"
	for f in io.pressure cpu.pressure; do
		echo "$f: $("$PSITRIG" "$P/$f" write "some 150000 2000000" "full 150000 2000000" | tr '\n' ' ')"
	done
	echo "root memory.pressure: $("$PSITRIG" "$ROOT/memory.pressure" write "some 150000 2000000")"
	echo "poll without a trigger: $("$PSITRIG" "$P/memory.pressure" poll)"
	echo "a trigger and no stall, 2 s: $("$PSITRIG" "$P/memory.pressure" watch "some 150000 2000000" 2 |
		tr '\n' ' ' | sed 's/ $//')"
}

# inotify_phase NAME SECONDS COMMAND...: the files of $P/c that got IN_MODIFY
# while COMMAND ran (within SECONDS of the start). One inotifywait per file,
# each ending at its first event: inotifywait -m buffers what it prints.
NOTIFIED_FILES="memory.events memory.events.local memory.swap.events cgroup.events memory.pressure"
inotify_phase() {
	local name=$1 secs=$2 f i pids=() seen=
	shift 2
	for f in $NOTIFIED_FILES; do
		inotifywait -e modify -t "$secs" --format '%f' "$P/c/$f" > "$OUT/$name.$f" 2> "$OUT/$name.$f.err" &
		pids+=($!)
		for i in $(seq 100); do
			grep -q "Watches established" "$OUT/$name.$f.err" && break
			sleep 0.05
		done
	done
	"$@"
	wait "${pids[@]}"
	for f in $NOTIFIED_FILES; do
		[ -s "$OUT/$name.$f" ] && seen="$seen $f"
	done
	echo "$name:$seen"
}

phase_quiet() {
	cat "$P/c/memory.events" "$P/c/cgroup.events" "$P/c/memory.pressure" > /dev/null
	echo 100M > "$P/c/memory.high"
	echo max > "$P/c/memory.high"
}

phase_enter() {
	sleep 300 &
	SLEEPER=$!
	echo "$SLEEPER" > "$P/c/cgroup.procs"
}

phase_leave() {
	kill "$SLEEPER"
	wait "$SLEEPER" 2>/dev/null
}

phase_oom() {
	echo 10M > "$P/c/memory.max"
	echo 0 > "$P/c/memory.swap.max"
	# a subshell: bash's own "Killed" report goes with its stderr
	echo "  memhog: exit $( ("$MEMHOG" --cgroup-procs "$P/c/cgroup.procs" --anon 50M > /dev/null 2>&1; echo $?) 2> /dev/null)"
}

section_inotify() {
	echo "== inotify"
	mkdir "$P/c"
	inotify_phase quiet 2 phase_quiet
	inotify_phase enter 2 phase_enter
	inotify_phase leave 2 phase_leave
	inotify_phase oom 4 phase_oom
	rmdir "$P/c"
}

phase_stall() {
	local hog watcher
	echo 0 > "$P/c/memory.swap.max"
	echo 20M > "$P/c/memory.high"
	"$PSITRIG" "$P/c/memory.pressure" watch "some 150000 1000000" 6 > "$OUT/watch" &
	watcher=$!
	until grep -q ready "$OUT/watch"; do sleep 0.05; done
	"$MEMHOG" --cgroup-procs "$P/c/cgroup.procs" --anon 200M > /dev/null 2>&1 &
	hog=$!
	wait "$watcher"
	kill -9 "$hog" 2>/dev/null
	wait "$hog" 2>/dev/null
	echo "  trigger: $(grep -v ready "$OUT/watch" | sed 's/events [1-9][0-9]*/events >0/' | tr '\n' ' ' | sed 's/ $//')"
}

section_stall() {
	echo "== stall"
	mkdir "$P/c"
	inotify_phase stall 8 phase_stall
	rmdir "$P/c"
}

section_pathtrunc() {
	local f=$OUT/file w1 w2
	echo "== pathtrunc"
	echo data > "$f"
	inotifywait -e modify -t 3 --format '%e' "$f" > "$OUT/mod" 2> "$OUT/mod.err" &
	w1=$!
	inotifywait -e access,attrib,close,open -t 3 --format '%e' "$f" > "$OUT/other" 2> "$OUT/other.err" &
	w2=$!
	until grep -q "Watches established" "$OUT/mod.err" && grep -q "Watches established" "$OUT/other.err"; do
		sleep 0.05
	done
	"$PATHTRUNC" "$f"
	wait "$w1" "$w2"
	echo "modify: $(cat "$OUT/mod")"
	echo "open, access, attrib, close: $(cat "$OUT/other")"
	echo "size after: $(stat -c %s "$f")"
}

for s in $SECTIONS; do
	"section_$s"
done
