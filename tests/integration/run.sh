#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgctl run as root on a v2 mount: unmodified programs (node, java,
# systemd-cgtop, a Go program on containerd's cgroups library) find the
# emulated tree as the host's cgroup2 hierarchy, with and without their
# own cgroup namespace (tests/run-lib.sh has the checks).
#
#   /
#   ├── job      memory.max 300M, a simulated task of 10M, the program
#   └── nsjob    the same, run with --cgroupns
. "${srcdir:-.}/tests/lib.sh"
. "${srcdir:-.}/tests/run-lib.sh"
need node java systemd-cgtop
build_goprobe
mount_memcgfs
check_v2 job ""
check_v2 nsjob --cgroupns
unmount_memcgfs
finish
