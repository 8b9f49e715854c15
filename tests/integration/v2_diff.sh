#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The v2 differential test: tests/diff/v2-probe.sh against a fresh mount,
# compared line by line with what a real Linux 6.18 printed for it
# (tests/golden/, recorded in kernel-vm).
. "${srcdir:-.}/tests/lib.sh"

mount_memcgfs
bash "$srcdir/tests/diff/v2-compare.sh" "$MNT" "$CGIO" || fail "memcgfs differs from Linux 6.18 (diff above)"
unmount_memcgfs
finish
