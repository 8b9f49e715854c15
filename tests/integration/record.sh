#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgctl record on a manual clock: a row at every interval of simulated
# time, whatever the wall clock does, the same rows on every run, and the
# values the files show.
#
#   /            (root)
#   └── job      memory.high 20M, memory.max 30M, memory.swap.max 0
#       └── task ramping 8M a second toward 40M: throttled at high
#
# v1: memory.limit_in_bytes 30M, a task ramping past it: failcnt grows,
# then the OOM killer takes the task (memory.oom_control's oom_kill).
. "${srcdir:-.}/tests/lib.sh"

out=$(mktemp -d "${TMPDIR:-/tmp}/record-test.XXXXXX")
trap 'cleanup; rm -rf "$out"' EXIT

# has_rows CSV N: CSV has N lines or more
has_rows() {
	[ -f "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ]
}

# start_recording CSV ARGS...: memcgctl record in the background, once it
# has its first row (its header and the sample when it started)
start_recording() {
	local csv=$1
	shift
	ctl record --out "$csv" "$@" &
	REC_PID=$!
	wait_for 30 has_rows "$csv" 2 ||
		{ echo "ERROR: memcgctl record wrote no first row" >&2; exit 99; }
}

# column CSV NAME: the values of column NAME, one a line
column() {
	awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		c { print $c }' "$1"
}

run_v2() {
	# small pages: a ramp's 2M huge pages overshoot memory.high, as on a kernel (dyn_thp.sh)
	mount_memcgfs --clock=manual --thp=never
	mkdir "$MNT/job"
	echo 20M > "$MNT/job/memory.high"
	echo 30M > "$MNT/job/memory.max"
	echo 0 > "$MNT/job/memory.swap.max"
	start_recording "$1" --interval 500ms --for 6s job
	ctl spawn job --workload ramp --rate 8M --anon 40M > /dev/null
	ctl step 2500ms
	ctl step 3500ms
	wait "$REC_PID" || fail "record: exit status $?"
	expect "the last row is what the files show now" "$(cat "$MNT/job/memory.current")" \
		"$(column "$1" /job/memory.current | tail -1)"
	expect "memory.events:high of the last row" "$(awk '$1 == "high" { print $2 }' "$MNT/job/memory.events")" \
		"$(column "$1" /job/memory.events:high | tail -1)"
	unmount_memcgfs
}

run_v2 "$out/a.csv"
csv=$out/a.csv
header=$(head -1 "$csv")
[[ $header == time_s,/job/memory.current,* ]] || fail "header: '$header'"
for col in /job/memory.high /job/memory.max /job/memory.events:oom_kill /job/memory.events:high \
	   /job/memory.swap.current; do
	[[ ,$header, == *",$col,"* ]] || fail "header: no column $col"
done
expect "a row every 500 ms of simulated time, for 6 s" "$(seq 0 0.5 6 | sed 's/\.0$//' | tr '\n' ' ')" \
	"$(column "$csv" time_s | tr '\n' ' ')"
expect "memory.high in every row" 13 "$(column "$csv" /job/memory.high | grep -c '^20971520$')"
expect "memory.max in every row" 13 "$(column "$csv" /job/memory.max | grep -c '^31457280$')"
expect "every row has every column" 1 "$(awk -F, '{ print NF }' "$csv" | sort -u | wc -l)"
# the ramp: 8M a second until memory.high, then held near it
expect "usage at 0 s" 0 "$(column "$csv" /job/memory.current | head -1)"
awk -F, 'NR > 1 && $1 == 1 { exit !($2 > 7 * 2^20 && $2 < 9 * 2^20) }' "$csv" ||
	fail "usage at 1 s is not 8M: $(grep '^1,' "$csv" | cut -d, -f2)"
for u in $(column "$csv" /job/memory.current); do
	[ "$u" -le $((24 << 20)) ] || fail "usage $u went far above memory.high"
done
[ "$(column "$csv" /job/memory.events:high | tail -1)" -gt 0 ] || fail "no high events recorded"
expect "no high event before usage reached high" 0 "$(column "$csv" /job/memory.events:high | sed -n 3p)"

# the same run again: the same rows
run_v2 "$out/b.csv"
cmp -s "$out/a.csv" "$out/b.csv" || fail "two runs recorded differently: $(diff "$out/a.csv" "$out/b.csv" | head -5)"

# v1: the files of v1
mount_memcgfs --clock=manual --mode=v1
mkdir "$MNT/job"
echo 30M > "$MNT/job/memory.limit_in_bytes"
echo 30M > "$MNT/job/memory.memsw.limit_in_bytes"
start_recording "$out/v1.csv" --interval 1s --for 6s job
ctl spawn job --workload ramp --rate 8M --anon 40M > /dev/null
ctl step 6s
wait "$REC_PID" || fail "record v1: exit status $?"
csv=$out/v1.csv
header=$(head -1 "$csv")
for col in /job/memory.usage_in_bytes /job/memory.limit_in_bytes /job/memory.soft_limit_in_bytes \
	   /job/memory.failcnt /job/memory.oom_control:oom_kill /job/memory.memsw.usage_in_bytes; do
	[[ ,$header, == *",$col,"* ]] || fail "v1 header: no column $col"
done
[[ ,$header, == *,/job/memory.current,* ]] && fail "v1 header has v2's memory.current"
expect "v1: the OOM kill in the row after it (30M at 8M a second: 3 to 4 s)" "0 0 0 0 1 1 1" \
	"$(column "$csv" /job/memory.oom_control:oom_kill | tr '\n' ' ' | sed 's/ $//')"
expect "v1: failcnt counts the limit hits" "$(cat "$MNT/job/memory.failcnt")" \
	"$(column "$csv" /job/memory.failcnt | tail -1)"
expect "v1: no limit is the kernel's number" 9223372036854771712 \
	"$(column "$csv" /job/memory.soft_limit_in_bytes | head -1)"

# every cgroup when none is named; bad input is refused
start_recording "$out/all.csv" --interval 1s --for 1s
ctl step 1s
wait "$REC_PID"
[[ $(head -1 "$out/all.csv") == time_s,/memory.usage_in_bytes,*,/job/memory.usage_in_bytes,* ]] ||
	fail "all cgroups: header '$(head -1 "$out/all.csv" | cut -c1-80)...'"
# a sample is taken under the engine's lock: 4096 cgroups at most, the rest said
mkdir "$MNT"/many{1..4100}
err=$(ctl record --for 0 --out "$out/many.csv" 2>&1 >/dev/null)
expect "4102 cgroups: the ones left out" \
	"memcgctl: record: 6 cgroup(s) left out: a recording takes 4096 at most" \
	"$(printf '%s\n' "$err" | grep 'left out')"
expect "4096 cgroups recorded" 4096 "$(head -1 "$out/many.csv" | tr , '\n' | grep -c '/memory.usage_in_bytes$')"
expect "no such cgroup" "memcgctl: no cgroup nosuch" "$(ctl record nosuch 2>&1)"
ctl record --interval 0 job 2>/dev/null
expect "--interval 0: exit status" 2 "$?"
unmount_memcgfs

# a real clock: rows as wall time passes, each later than the last
mount_memcgfs
mkdir "$MNT/job"
ctl record --interval 100ms --for 500ms --out "$out/real.csv" job
expect "real clock: exit status" 0 "$?"
rows=$(column "$out/real.csv" time_s | wc -l)
[ "$rows" -ge 2 ] || fail "real clock: $rows rows"
column "$out/real.csv" time_s | awk 'NR > 1 && $1 <= last { exit 1 } { last = $1 }' ||
	fail "real clock: times do not increase: $(column "$out/real.csv" time_s | tr '\n' ' ')"
unmount_memcgfs
finish
