#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgctl as a user meets it:
#  - with several memcgfs mounts, the one that holds the current directory
#    is used; outside them all, one line says to choose;
#  - an unknown command, a misplaced -m, a bad option: one line, exit 2,
#    whatever is mounted;
#  - watch prints a kind of event once, then its repeats within a simulated
#    second as one line with their count (--all: every event), and every
#    event is accounted for;
#  - JSON output without noise: no "\/", no 17-digit doubles.
. "${srcdir:-.}/tests/lib.sh"
unset MEMCGFS_MOUNT

B=
B_PID=
out=$(mktemp -d "${TMPDIR:-/tmp}/memcgctl-test.XXXXXX")
cleanup_b() {
	if [ -n "$B" ]; then
		is_mounted "$B" && fusermount3 -u -z "$B"
		kill "$B_PID" 2>/dev/null
		wait "$B_PID" 2>/dev/null
		rmdir "$B"
	fi
	B=
	[ -n "$out" ] && rm -rf "$out"
	out=
}
trap 'cleanup; cleanup_b' EXIT

# usage_error WHAT PATTERN ARGS...: exit 2 and one line on stderr matching PATTERN
usage_error() {
	local what=$1 pattern=$2 err rc
	shift 2
	err=$("$MEMCGCTL" "$@" 2>&1 >/dev/null)
	rc=$?
	expect "$what: exit status" 2 "$rc"
	expect "$what: lines on stderr" 1 "$(printf '%s\n' "$err" | wc -l)"
	[[ $err == $pattern ]] || fail "$what: '$err' does not match '$pattern'"
}

usage_error "unknown command" "memcgctl: frobnicate: unknown command*" frobnicate
usage_error "misplaced -m" "memcgctl: -m /x: -m goes before the command*" spawn job -m /x --anon 1M
usage_error "unknown option" "memcgctl: spawn: unknown option --bogus; usage: memcgctl spawn CGROUP*" \
	spawn job --bogus 1
usage_error "an option of another command" "memcgctl: free: --wait is not an option of free*" \
	free 4194305 --wait
usage_error "missing argument" "memcgctl: kill: missing argument; usage: memcgctl kill PID" kill
usage_error "watch option" "memcgctl: watch: unknown option --foo*" watch --foo

# two mounts: the current directory chooses
mount_memcgfs --clock=manual
A=$MNT
require_fuse
B=$(mktemp -d "${TMPDIR:-/tmp}/memcgfs-test.XXXXXX")
"$MEMCGFS" -f --clock=manual "$B" &
B_PID=$!
for i in $(seq 100); do is_mounted "$B" && break; sleep 0.05; done
is_mounted "$B" || { echo "ERROR: the second memcgfs did not mount" >&2; exit 99; }
mkdir "$A/job" "$B/job"
pid=$(cd "$A/job" && "$MEMCGCTL" spawn job --anon 1M)
expect "spawn inside A goes to A" "$pid" "$(cat "$A/job/cgroup.procs")"
expect "and not to B" "" "$(cat "$B/job/cgroup.procs")"
pid=$(cd "$B" && "$MEMCGCTL" spawn job --anon 2M)
expect "spawn inside B goes to B" "$pid" "$(cat "$B/job/cgroup.procs")"
err=$(cd / && "$MEMCGCTL" ps 2>&1 >/dev/null)
expect "outside every mount: exit status" 1 "$(cd / && "$MEMCGCTL" ps >/dev/null 2>&1; echo $?)"
[[ $err == "memcgctl: several memcgfs mounts ("*"$A"*"): run memcgctl inside one"* ]] ||
	fail "outside every mount: '$err'"
expect "MEMCGFS_MOUNT still wins over the current directory" "/job current=$(cat "$B/job/memory.current")" \
	"$(cd "$A" && MEMCGFS_MOUNT=$B "$MEMCGCTL" stat job | cut -d' ' -f1,2)"
fusermount3 -u "$B"
wait "$B_PID"
rmdir "$B"
B=

# watch: a leak over memory.high in two cgroups, seen by three watchers
mkdir "$A/other"
echo 20M > "$A/job/memory.high"
echo 10M > "$A/other/memory.high"
ctl watch > "$out/text" 2> "$out/text.err" &
w1=$!
ctl watch --json > "$out/json" 2> "$out/json.err" &
w2=$!
ctl watch --all --json > "$out/all" 2> "$out/all.err" &
w3=$!
for i in $(seq 600); do
	[ "$(cat "$out"/*.err | grep -c '^memcgctl: watching ')" = 3 ] && break
	sleep 0.05
done
expect "the watchers say what they watch" 3 "$(cat "$out"/*.err | grep -c "^memcgctl: watching $A\$")"
# small pages: a high event every 64 (--thp=always would make them 512)
ctl spawn job --workload leak --anon 1M --rate 4M --thp never > /dev/null
ctl spawn other --workload leak --anon 1M --rate 3M --thp never > /dev/null
ctl step 10s
high_job=$(awk '$1 == "high" { print $2 }' "$A/job/memory.events")
high_other=$(awk '$1 == "high" { print $2 }' "$A/other/memory.events")
ctl stat --json > "$out/stat"
unmount_memcgfs
wait $w1 $w2 $w3

all=$(wc -l < "$out/all")
expect "--all: one line per event" $((high_job + high_other)) "$all"
[ "$all" -gt 40 ] || fail "too few events ($all) to test coalescing"
lines=$(wc -l < "$out/text")
[ "$lines" -lt $((all / 3)) ] || fail "coalesced: $lines lines for $all events"
expect "text and JSON coalesce alike" "$lines" "$(wc -l < "$out/json")"
# every event is accounted for: a plain line is one, a summary "N more"
expect "coalesced lines count every event" "$all" \
	"$(awk '{ n += / more since / ? substr($4, 2) : 1 } END { print n }' "$out/text")"
expect "coalesced JSON counts every event" "$all" \
	"$(awk 'match($0, /"count":[0-9]+/) { n += substr($0, RSTART + 8, RLENGTH - 8); next } { n++ }
		END { print n }' "$out/json")"
expect "per cgroup: /job" "$high_job" \
	"$(awk '$2 == "/job" { n += / more since / ? substr($4, 2) : 1 } END { print n }' "$out/text")"
# a first line of a kind comes at least a second after the previous one of
# that kind (in whole milliseconds: 8.110 - 7.110 is less than 1 in awk)
awk '!/ more since / { t = int($1 * 1000 + 0.5); if (($2 in last) && t - last[$2] < 1000) bad = 1; last[$2] = t }
	END { exit bad }' "$out/text" || fail "a repeat within a second was printed alone"
grep -q '"cgroup":"/job"' "$out/json" || fail "JSON watch lines: no plain \"/job\""
if grep -E '\\/|[0-9]\.[0-9]{12,}' "$out/json" "$out/all" "$out/stat"; then
	fail "JSON output with escaped slashes or 17-digit numbers (above)"
fi
grep -q '"path":"/job"' "$out/stat" || fail "stat --json: no plain \"/job\" path"
finish
