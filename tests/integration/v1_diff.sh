#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The v1 differential test: tests/diff/v1-probe.sh against the machine's
# real cgroup v1 memory controller and against a fresh --mode=v1 mount,
# compared line by line. Skips where the kernel has no v1 memory controller.
. "${srcdir:-.}/tests/lib.sh"

mount_memcgfs --mode=v1
bash "$srcdir/tests/diff/v1-compare.sh" "$MNT" "$CGIO" "$V1_EVCTL"
rc=$?
unmount_memcgfs
case $rc in
0) ;;
77) cleanup; exit 77 ;;
*) fail "memcgfs --mode=v1 differs from the kernel's v1 controller (diff above)" ;;
esac
finish
