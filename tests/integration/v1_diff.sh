#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The v1 differential test: tests/diff/v1-probe.sh on a fresh --mode=v1
# mount, compared line by line with what a real kernel's v1 memory
# controller printed: the transcript in tests/golden/, or, with
# MEMCGFS_LIVE_V1=1 (the CI sets it), the machine's own controller, live.
# It never skips: without FUSE it fails under MEMCGFS_REQUIRE_FUSE=1, and a
# live comparison asked for where there is none is an error.
. "${srcdir:-.}/tests/lib.sh"

mount_memcgfs --mode=v1
bash "$srcdir/tests/diff/v1-compare.sh" "$MNT" "$CGIO" "$V1_EVCTL"
rc=$?
unmount_memcgfs
case $rc in
0) ;;
1) fail "memcgfs --mode=v1 differs from the kernel's v1 controller (diff above)" ;;
*) echo "ERROR: v1-compare could not run (exit $rc)" >&2; cleanup; exit 99 ;;
esac
finish
