#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# README command (1): install what is missing, build, mount memcgfs on a
# fresh directory, run examples/demo.sh there, unmount.
set -eu
cd "$(dirname "$0")/.."
build-aux/build.sh

mnt=$(mktemp -d /tmp/cgroup-sim.XXXXXX)
./memcgfs "$mnt"
trap 'fusermount3 -u "$mnt"; rmdir "$mnt"' EXIT
echo "memcgfs is mounted on $mnt"
MEMCGCTL=./memcgctl examples/demo.sh "$mnt"
