#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# README command (1), examples/quickstart.sh, with the programs of this
# build (it builds nothing when MEMCGFS and MEMCGCTL are set): it mounts a
# fresh directory, shows the OOM kill of examples/demo.sh and unmounts.
. "${srcdir:-.}/tests/lib.sh"
require_fuse
out=$(TMPDIR=${TMPDIR:-/tmp} bash "$srcdir/examples/quickstart.sh" 2>&1)
rc=$?
printf '%s\n' "$out"
expect "quickstart.sh exit status" 0 "$rc"
mnt=$(sed -n 's/^memcgfs is mounted on //p' <<< "$out")
[ -n "$mnt" ] || fail "quickstart.sh did not say where it mounted"
grep -qx 'the task ended with status 137 (137: OOM-killed)' <<< "$out" || fail "no OOM kill shown"
grep -qx 'oom_kill 1' <<< "$out" || fail "memory.events does not count the kill"
[ -n "$mnt" ] && is_mounted "$mnt" && { fail "$mnt is still mounted"; fusermount3 -u "$mnt"; }
[ -n "$mnt" ] && [ -e "$mnt" ] && fail "$mnt is left behind"
finish
