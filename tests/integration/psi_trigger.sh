#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# PSI triggers on memory.pressure: the triggers written, with and without
# CAP_SYS_RESOURCE, get what a 6.12 kernel answered (tests/golden/notify-
# probe.*, section "triggers"); a trigger fires (POLLPRI, and IN_MODIFY on
# memory.pressure) while memory.high throttles a ramping task, and not for
# a ramp that never stalls. A manual clock: simulated time moves only with
# memcgctl step.
#
#   /
#   ├── ramp   memory.high 20M, no swap: a task ramps to 100M at 20M/s, throttled
#   └── free   no limit: the same ramp never stalls
. "${srcdir:-.}/tests/lib.sh"

command -v inotifywait > /dev/null ||
	{ echo "ERROR: inotifywait is missing (inotify-tools; build-aux/deps.sh installs it)" >&2; exit 99; }
GOLDEN=$srcdir/tests/golden/notify-probe.linux-6.12.117+deb13-amd64.txt

out=$(mktemp -d)
trap 'cleanup; rm -rf "$out"' EXIT

mount_memcgfs --clock=manual

# The kernel's answers to each trigger. The golden's "privileged" lines had
# CAP_SYS_RESOURCE; a tester without it (some containers' root, any user)
# must get the kernel's answers without it, its "unprivileged" lines.
has_sys_resource() {
	local eff
	eff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
	(( (0x$eff >> 24) & 1 ))
}
sed -n '/^== triggers/,/^== /{/^== inotify/d;p}' "$GOLDEN" > "$out/expected"
if ! has_sys_resource; then
	awk '/^privileged / { priv = $0; next }
	     /^unprivileged / { r = $0; sub(/.*: /, "", r); sub(/: [^:]*$/, ": " r, priv); print priv }
	     { print }' "$out/expected" > "$out/expected.nocap"
	mv "$out/expected.nocap" "$out/expected"
fi
PSITRIG=$PSITRIG bash "$srcdir/tests/diff/notify-probe.sh" "$MNT" triggers > "$out/triggers" 2>&1
diff -u "$out/expected" "$out/triggers" > "$out/diff" || fail "triggers differ from $GOLDEN:
$(cat "$out/diff")"

mkdir "$MNT/ramp" "$MNT/free"
echo 20M > "$MNT/ramp/memory.high"
echo 0 > "$MNT/ramp/memory.swap.max"

# start_wait NAME CGROUP SECONDS: psitrig waits for a trigger's first event
start_wait() {
	"$PSITRIG" "$MNT/$2/memory.pressure" wait "some 150000 2000000" "$3" > "$out/$1" &
	for i in $(seq 100); do
		grep -q ready "$out/$1" && return
		sleep 0.05
	done
	fail "psitrig on $2 never started: $(cat "$out/$1")"
}

# a throttled ramp: the trigger fires, and memory.pressure gets IN_MODIFY
inotifywait -e modify -t 120 --format '%e' "$MNT/ramp/memory.pressure" > "$out/inotify" 2> "$out/inotify.err" &
inotify=$!
until grep -q "Watches established" "$out/inotify.err"; do sleep 0.05; done
start_wait ramp ramp 120
waiter=$!
ctl spawn ramp --workload ramp --anon 100M --rate 20M > /dev/null
for i in $(seq 60); do
	grep -q event "$out/ramp" && break
	ctl step 1s > /dev/null
done
wait "$waiter" "$inotify"
expect "the trigger of the throttled ramp" "ready event" "$(tr '\n' ' ' < "$out/ramp" | sed 's/ $//')"
expect "IN_MODIFY on memory.pressure" "MODIFY" "$(cat "$out/inotify")"
high=$(awk '$1 == "high" { print $2 }' "$MNT/ramp/memory.events")
[ "${high:-0}" -gt 0 ] || fail "memory.high never throttled: memory.events high ${high:-?}"

# a ramp with no limit never stalls: no event
start_wait free free 3
waiter=$!
ctl spawn free --workload ramp --anon 100M --rate 20M > /dev/null
for i in $(seq 10); do
	ctl step 1s > /dev/null
done
wait "$waiter"
expect "no stall, no event" "ready timeout" "$(tr '\n' ' ' < "$out/free" | sed 's/ $//')"
expect "no stall in memory.pressure" "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" \
	"$(head -1 "$MNT/free/memory.pressure")"

unmount_memcgfs
finish
