#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgctl run on a v1 mount (--mode=v1), as root and then as a user without
# root: node, java and a Go program on containerd's cgroups library find the
# tree as the host's memory hierarchy, under a tmpfs at /sys/fs/cgroup
# (tests/run-lib.sh has the checks), with and without --cgroupns.
#
#   /
#   ├── job      memory.limit_in_bytes 300M, a simulated task of 10M, the program
#   └── nsjob    the same, run with --cgroupns
. "${srcdir:-.}/tests/lib.sh"
. "${srcdir:-.}/tests/run-lib.sh"
need node java
build_goprobe
mount_memcgfs --mode=v1
check_v1 job ""
check_v1 nsjob --cgroupns
unmount_memcgfs
if [ "$(id -u)" = 0 ]; then
	# again, unprivileged: the script runs once more as the user
	( become_unprivileged ) || fail "the same as an unprivileged user"
fi
finish
