#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgctl record and plot: a ramp throttled at memory.high and a ramp
# OOM-killed at memory.max, recorded on a manual clock and drawn. The SVG
# must parse as XML and show what happened where it happened: a usage line
# per cgroup, the limits at the y of their bytes and the OOM kill at the x
# of the sample after it, as the chart's own axis ticks measure them.
#
#   /            (root)
#   ├── job      memory.high 20M, memory.max 40M: a ramp of 8M/s to 36M
#   └── oomy     memory.max 30M, memory.swap.max 0: a ramp of 10M/s to 50M
. "${srcdir:-.}/tests/lib.sh"
command -v xmllint > /dev/null || { echo "ERROR: xmllint is missing (build-aux/deps.sh)" >&2; exit 99; }

out=$(mktemp -d "${TMPDIR:-/tmp}/plot-test.XXXXXX")
trap 'cleanup; rm -rf "$out"' EXIT
csv=$out/run.csv
svg=$out/run.svg

has_rows() {
	[ -f "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ]
}

mount_memcgfs --clock=manual
mkdir "$MNT/job" "$MNT/oomy"
echo 20M > "$MNT/job/memory.high"
echo 40M > "$MNT/job/memory.max"
echo 30M > "$MNT/oomy/memory.max"
echo 0 > "$MNT/oomy/memory.swap.max"
ctl watch --json --all > "$out/events" 2> "$out/watch.err" &
watcher=$!
ctl record --interval 250ms --for 6s --out "$csv" job oomy &
recorder=$!
wait_for 30 has_rows "$csv" 2 && wait_for 30 grep -q watching "$out/watch.err" ||
	{ echo "ERROR: record or watch did not start" >&2; exit 99; }
ctl spawn job --workload ramp --rate 8M --anon 36M > /dev/null
ctl spawn oomy --workload ramp --rate 10M --anon 50M > /dev/null
ctl step 6s
wait "$recorder" || fail "record: exit status $?"
unmount_memcgfs
wait "$watcher"

ctl plot "$csv" -o "$svg"
expect "plot: exit status" 0 "$?"
xmllint --noout "$svg" || fail "the SVG does not parse as XML"

# xp XPATH: the string value of XPATH in the SVG (its elements are in the SVG namespace)
xp() {
	xmllint --xpath "string($1)" "$svg" 2>/dev/null
}
el() {
	printf '//*[local-name()="%s" and %s]' "$1" "$2"
}
# px AXIS VALUE: the coordinate of VALUE on AXIS (x: seconds, y: bytes), from the
# first and last tick the chart drew
px() {
	local axis=$1 v=$2 c=x1
	[ "$axis" = y ] && c=y1
	local v0 p0 v1 p1
	v0=$(xp "($(el line "@class=\"tick $axis\""))[1]/@data-value")
	p0=$(xp "($(el line "@class=\"tick $axis\""))[1]/@$c")
	v1=$(xp "($(el line "@class=\"tick $axis\""))[last()]/@data-value")
	p1=$(xp "($(el line "@class=\"tick $axis\""))[last()]/@$c")
	awk -v v="$v" -v v0="$v0" -v p0="$p0" -v v1="$v1" -v p1="$p1" \
		'BEGIN { printf "%.2f\n", p0 + (v - v0) * (p1 - p0) / (v1 - v0) }'
}
# near A B: A and B within 0.05 units
near() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 0.05 && d > -0.05) }'
}

rows=$(($(wc -l < "$csv") - 1))
expect "rows: every 250 ms for 6 s" 25 "$rows"
for cg in /job /oomy; do
	n=$(xp "count($(el polyline "@class=\"usage\" and @data-cgroup=\"$cg\""))")
	expect "one usage line for $cg" 1 "$n"
	points=$(xp "$(el polyline "@class=\"usage\" and @data-cgroup=\"$cg\"")/@points" | wc -w)
	expect "a point per row for $cg" "$rows" "$points"
done
# the usage line of /job at 3 s is the recorded usage, where the axes put it
u=$(awk -F, 'NR > 1 && $1 == 3 { print $2 }' "$csv")
pt=$(xp "$(el polyline "@class=\"usage\" and @data-cgroup=\"/job\"")/@points" | tr ' ' '\n' | sed -n 13p)
near "${pt%,*}" "$(px x 3)" || fail "/job at 3 s: x ${pt%,*}, the axis says $(px x 3)"
near "${pt#*,}" "$(px y "$u")" || fail "/job at 3 s: y ${pt#*,} for $u bytes, the axis says $(px y "$u")"

# the limits, dashed, at the y of their bytes
for spec in "/job high 20971520" "/job max 41943040" "/oomy max 31457280"; do
	set -- $spec
	line=$(el line "@class=\"limit $2\" and @data-cgroup=\"$1\"")
	expect "$1 memory.$2: one line" 1 "$(xp "count($line)")"
	expect "$1 memory.$2: its bytes" "$3" "$(xp "$line/@data-bytes")"
	y=$(xp "$line/@y1")
	near "$y" "$(px y "$3")" || fail "$1 memory.$2 at y $y, the axis puts $3 bytes at $(px y "$3")"
	[ -n "$(xp "$line/@stroke-dasharray")" ] || fail "$1 memory.$2 is not dashed"
done
expect "no line for an unset limit (/oomy memory.high)" 0 \
	"$(xp "count($(el line "@class=\"limit high\" and @data-cgroup=\"/oomy\""))")"

# the OOM kill: one mark, at the first sample after the kill
kill_time=$(grep '"event":"kill"' "$out/events" | grep '"/oomy"' | sed 's/.*"time":\([0-9.]*\).*/\1/')
expect "one OOM kill in the run" 1 "$(printf '%s\n' "$kill_time" | grep -c .)"
mark=$(el g "@class=\"mark oom_kill\"")
expect "one OOM mark" 1 "$(xp "count($mark)")"
expect "the OOM mark is /oomy's" /oomy "$(xp "$mark/@data-cgroup")"
t=$(xp "$mark/@data-time")
awk -v t="$t" -v k="$kill_time" 'BEGIN { exit !(k <= t && t - k < 0.25) }' ||
	fail "OOM mark at $t s: the kill was at $kill_time s, and a sample every 0.25 s"
x=$(xp "$mark/@transform" | sed 's/translate(\([0-9.]*\),.*/\1/')
near "$x" "$(px x "$t")" || fail "OOM mark at x $x, the axis puts $t s at $(px x "$t")"
expect "memory.events high marks only for /job" 0 "$(xp "count($(el g "@class=\"mark high\" and @data-cgroup=\"/oomy\""))")"
[ "$(xp "count($(el g "@class=\"mark high\" and @data-cgroup=\"/job\""))")" -gt 0 ] ||
	fail "no memory.events high marks for /job"

# axes with units, a legend naming the cgroups
[[ $(xp "$(el text "@class=\"axis-title\"")") == "simulated time (s)" ]] || fail "no time axis title"
expect "memory axis title" "memory (MiB)" "$(xp "($(el text "@class=\"axis-title\""))[2]")"
for name in /job /oomy memory.high memory.max "OOM kill"; do
	expect "legend: $name" 1 "$(xp "count(//*[local-name()=\"g\" and @class=\"legend\"]//*[local-name()=\"text\" and .=\"$name\"])")"
done

# v1's names on a v1 recording; bad input refused with a message
sed -e 's|/memory.current|/memory.usage_in_bytes|g' -e 's|/memory.max|/memory.limit_in_bytes|g' \
	-e 's|/memory.events:oom_kill|/memory.oom_control:oom_kill|g' "$csv" > "$out/v1.csv"
ctl plot "$out/v1.csv" -o - > "$out/v1.svg" && xmllint --noout "$out/v1.svg" || fail "v1 chart"
grep -q '>limit_in_bytes<' "$out/v1.svg" || fail "v1 chart: the legend does not say limit_in_bytes"
grep -q 'class="mark oom_kill"' "$out/v1.svg" || fail "v1 chart: no OOM mark"
echo "not,a,recording" > "$out/bad.csv"
err=$(ctl plot "$out/bad.csv" -o "$out/bad.svg" 2>&1)
expect "not a recording: exit status" 1 "$?"
[[ $err == "memcgctl: plot: $out/bad.csv: not a recording"* ]] || fail "not a recording: '$err'"
ctl plot "$csv" 2>/dev/null
expect "plot without -o: exit status" 2 "$?"
finish
