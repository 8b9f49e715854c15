#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The kernel's memcg selftests (test_memcontrol.c), replayed through
# memcgctl with their own numbers and tolerances: tests/scenarios/. The same
# scripts pass on a real kernel (tests/scenarios/run-kernel.sh). A scenario
# that skips on memcgfs (a file or feature missing) fails the run.
. "${srcdir:-.}/tests/lib.sh"

# The runner itself: a skip fails on memcgfs and only counts on a kernel.
stage=$(mktemp -d "${TMPDIR:-/tmp}/selftests-runner.XXXXXX")
cp "$srcdir/tests/scenarios/run-scenarios.sh" "$stage/"
printf 'echo "PASS passes: -"\n' > "$stage/passes.sh"
printf 'echo "SKIP skips: no memory.peak"\nexit 77\n' > "$stage/skips.sh"
out=$(SCENARIO_BACKEND=memcgfs bash "$stage/run-scenarios.sh" /nonexistent passes skips)
expect "runner on memcgfs: exit status" 1 "$?"
expect "runner on memcgfs: summary" "memcgfs: 1 passed, 1 failed, 0 skipped" "$(tail -n1 <<< "$out")"
out=$(SCENARIO_BACKEND=kernel bash "$stage/run-scenarios.sh" /nonexistent passes skips)
expect "runner on a kernel: exit status" 0 "$?"
expect "runner on a kernel: summary" "kernel: 1 passed, 0 failed, 1 skipped" "$(tail -n1 <<< "$out")"
rm -rf "$stage"

require_fuse
bash "$srcdir/tests/scenarios/run-memcgfs.sh" || fail "a selftest scenario failed on memcgfs (above)"
finish
