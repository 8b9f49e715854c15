#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/diff/realproc-probe.sh on a fresh mount, as a user without root,
# against the real kernel's transcript in tests/golden/ (see
# tests/golden/realproc-probe.NOTES.md for what is compared and how).
#
#   /  held (a process and its child), over (past memory.max), high
. "${srcdir:-.}/tests/lib.sh"
become_unprivileged

MEMHOLD=${MEMHOLD:-$(pwd)/tests/tools/memhold}
golden=$(ls "$srcdir"/tests/golden/realproc-probe.linux-*.txt | tail -n 1)
mount_memcgfs
out=$(bash "$srcdir/tests/diff/realproc-probe.sh" "$MNT" "$MEMHOLD" 2>/dev/null |
	sed -E -f "$srcdir/tests/diff/realproc-known-differences.sed")
if ! diff -u "$golden" - <<< "$out" >&2; then
	fail "the transcript differs from $(basename "$golden") (diff above)"
fi
unmount_memcgfs
finish
