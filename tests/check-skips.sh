#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# No test of memcgfs may skip where the CI requires FUSE: automake counts
# exit status 77 as a skip, and a skip passes unseen. Three places may exit
# 77, and none passes a skip through where it matters:
#   tests/lib.sh skip_or_fail()     a machine without FUSE; with
#                                   MEMCGFS_REQUIRE_FUSE=1 it exits 99 instead
#   tests/scenarios/lib.sh skip()   a selftest scenario on a kernel that lacks
#                                   a file; run-scenarios.sh fails it on memcgfs
#   tests/fuzz/run.sh               a machine without clang; with
#                                   MEMCGFS_REQUIRE_CLANG=1 (CI) it exits 99
# Any other "exit 77" (or a status 77 passed on) in tests/ fails this check,
# but for the fake skipping scenario of tests/integration/selftests.sh.
cd "${srcdir:-.}" || exit 99

hits=$(grep -rnE '(exit|return)[[:space:]]+77\b|^[[:space:]]*77\)' tests \
	--include='*.sh' --include='*.bash' |
	grep -vE '^tests/lib\.sh:[0-9]+:[[:space:]]*exit 77$' |
	grep -vE '^tests/scenarios/lib\.sh:[0-9]+:[[:space:]]*exit 77$' |
	grep -vE '^tests/scenarios/run-scenarios\.sh:[0-9]+:[[:space:]]*77\)$' |
	grep -vE '^tests/integration/selftests\.sh:[0-9]+:printf .*skips' |
	grep -vE '^tests/fuzz/run\.sh:[0-9]+:[[:space:]]*exit 77$' |
	grep -v '^tests/check-skips\.sh:')
if [ -n "$hits" ]; then
	echo "FAIL: a test can skip (exit 77) outside tests/lib.sh's skip_or_fail:"
	echo "$hits"
	exit 1
fi
# the two allowed places keep their guards
grep -q 'MEMCGFS_REQUIRE_FUSE' tests/lib.sh || { echo "FAIL: skip_or_fail lost its MEMCGFS_REQUIRE_FUSE guard"; exit 1; }
grep -q 'MEMCGFS_REQUIRE_CLANG' tests/fuzz/run.sh || { echo "FAIL: fuzz/run.sh lost its MEMCGFS_REQUIRE_CLANG guard"; exit 1; }
grep -q 'SCENARIO_BACKEND:-kernel}" = memcgfs' tests/scenarios/run-scenarios.sh ||
	{ echo "FAIL: run-scenarios.sh no longer fails a skip on memcgfs"; exit 1; }
echo "no test can skip unseen"
