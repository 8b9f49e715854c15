#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every lesson of examples/lessons/ prints what its committed .out shows:
# the lessons run on a manual clock, so their output is the same on every
# run, and a change that moves a number shows here. After such a change,
# read the diff and accept it with
#   MEMCGFS=build/plain/memcgfs ... examples/lessons/NN-name.sh > examples/lessons/NN-name.out
# One lesson also writes its charts (LESSON_CHARTS), which must be SVG.
. "${srcdir:-.}/tests/lib.sh"
require_fuse
command -v xmllint > /dev/null || { echo "ERROR: xmllint is missing (build-aux/deps.sh)" >&2; exit 99; }
lessons=$srcdir/examples/lessons
out=$(mktemp -d "${TMPDIR:-/tmp}/lessons-test.XXXXXX")
trap 'cleanup; rm -rf "$out"' EXIT

n=0
for script in "$lessons"/[0-9][0-9]-*.sh; do
	name=$(basename "$script" .sh)
	n=$((n + 1))
	bash "$script" > "$out/$name.out" 2>&1
	expect "$name: exit status" 0 "$?"
	if ! diff -u "$lessons/$name.out" "$out/$name.out" > "$out/$name.diff"; then
		fail "$name prints something else now:"
		cat "$out/$name.diff" >&2
		echo "(to accept it: cp $out/$name.out $lessons/$name.out)" >&2
		trap 'cleanup' EXIT	# keep the new output for the cp
	fi
done
[ "$n" -ge 6 ] || fail "only $n lessons found in $lessons"

# a lesson's charts: one recording per tree, drawn
LESSON_CHARTS=$out/charts bash "$lessons/04-oom-control.sh" > "$out/charted.out" 2> "$out/charted.err"
expect "04 with charts: exit status" 0 "$?"
cmp -s "$out/charted.out" "$lessons/04-oom-control.out" || fail "04 prints something else with charts on"
for t in v1 v2; do
	svg=$out/charts/04-oom-control-$t.svg
	xmllint --noout "$svg" || fail "the $t chart does not parse"
	grep -q 'class="usage" data-cgroup="/job"' "$svg" || fail "the $t chart has no usage line for /job"
done
grep -q 'class="mark oom_kill"' "$out/charts/04-oom-control-v2.svg" ||
	fail "the v2 chart of the group OOM kill has no OOM mark"
finish
