#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every example script runs against a fresh mount, so none of them rots.
# quickstart.sh is the README's build-and-mount wrapper around demo.sh and
# takes no mount point: tests/integration/quickstart.sh runs it.
. "${srcdir:-.}/tests/lib.sh"

for script in "$srcdir"/examples/*.sh; do
	[ "$(basename "$script")" = quickstart.sh ] && continue
	mount_memcgfs
	if ! MEMCGCTL=$MEMCGCTL bash "$script" "$MNT" > /dev/null; then
		fail "$(basename "$script") failed"
	fi
	unmount_memcgfs
done
finish
