#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Replays the memcg selftest scenarios against a fresh memcgfs mount:
#   tests/scenarios/run-memcgfs.sh [SCENARIO...]
# Mounts $MEMCGFS (default: the build in the top directory) with 1G of RAM and
# 512M of swap, like the kernel VM, on a mktemp -d directory (unmounted by a
# trap, see tests/lib.sh), runs every scenario with SCENARIO_BACKEND=memcgfs
# and exits 1 if any fails. SCENARIO_MOUNT_OPTS=memory_recursiveprot,...
# passes cgroup2 mount options through.
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
export MEMCGFS=${MEMCGFS:-$TOP/memcgfs} MEMCGCTL=${MEMCGCTL:-$TOP/memcgctl}
. "$TOP/tests/lib.sh"

# make check builds peakfd; run by hand, this builds its own
if [ -z "${PEAKFD:-}" ] || [ ! -x "$PEAKFD" ]; then
	BUILD=$(mktemp -d "${TMPDIR:-/tmp}/scenarios-build.XXXXXX")
	trap 'cleanup; rm -rf "$BUILD"' EXIT
	gcc -O2 -Wall -o "$BUILD/peakfd" "$HERE/peakfd.c" || exit 99
	PEAKFD=$BUILD/peakfd
fi

export PEAKFD SCENARIO_BACKEND=memcgfs SCENARIO_SWAP=1
export SCENARIO_MOUNT_OPTS=${SCENARIO_MOUNT_OPTS:-}
mount_memcgfs --swap=512M --ram=1G ${SCENARIO_MOUNT_OPTS:+-o "$SCENARIO_MOUNT_OPTS"}
echo "memcgfs: $("$MEMCGFS" --version 2>&1 | head -1), mounted on $MNT"
"$HERE/run-scenarios.sh" "$MNT" "$@"
rc=$?
unmount_memcgfs
[ "$FAILURES" = 0 ] || rc=1
exit $rc
