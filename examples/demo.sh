#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's demo, against a mounted memcgfs: a cgroup with a 30M limit,
# a simulated task that wants 50M of anonymous memory, the OOM kill.
#
#   usage: examples/demo.sh MOUNTPOINT
set -eu
M=$1
ctl="${MEMCGCTL:-memcgctl} -m $M"

mkdir "$M/demo"
echo "+ echo 30M > $M/demo/memory.max; echo 0 > $M/demo/memory.swap.max"
echo 30M > "$M/demo/memory.max"
echo 0 > "$M/demo/memory.swap.max"
echo "memory.max is $(cat "$M/demo/memory.max")"

echo "+ memcgctl spawn demo --anon 50M --wait"
status=0
$ctl spawn demo --anon 50M --wait > /dev/null || status=$?
echo "the task ended with status $status (137: OOM-killed)"

echo "+ cat $M/demo/memory.events"
cat "$M/demo/memory.events"
echo "cgroup.procs now reads: '$(cat "$M/demo/cgroup.procs")'"
rmdir "$M/demo"
[ "$status" = 137 ]
