#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgctl run as a user without root, on the user's own v2 mount: the same
# checks as run.sh (tests/run-lib.sh), in a user namespace that maps the
# user to itself.
#
#   /            the user's
#   ├── job      memory.max 300M, a simulated task of 10M, the program
#   └── nsjob    the same, run with --cgroupns
. "${srcdir:-.}/tests/lib.sh"
. "${srcdir:-.}/tests/run-lib.sh"
need node java systemd-cgtop
build_goprobe
become_unprivileged


expect "running unprivileged" 1 "$([ "$(id -u)" != 0 ] && echo 1)"
mount_memcgfs
check_v2 job ""
check_v2 nsjob --cgroupns
expect "inside, the user is itself" "$(id -u) $(id -g)" "$(inside --cgroup job -- sh -c 'echo $(id -u) $(id -g)')"
unmount_memcgfs
finish
