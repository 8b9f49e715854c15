#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# README command (1): install what is missing, build out of tree in
# build/plain (build-aux/build.sh), mount memcgfs on a fresh directory, run
# examples/demo.sh there, unmount. With MEMCGFS and MEMCGCTL set (make
# check sets them), it uses those programs and builds nothing.
set -eu
cd "$(dirname "$0")/.."
if [ -z "${MEMCGFS:-}" ] || [ -z "${MEMCGCTL:-}" ]; then
	build-aux/build.sh
	MEMCGFS=$(pwd)/build/plain/memcgfs
	MEMCGCTL=$(pwd)/build/plain/memcgctl
fi

mnt=$(mktemp -d "${TMPDIR:-/tmp}/cgroup-sim.XXXXXX")
"$MEMCGFS" "$mnt"
trap 'fusermount3 -u "$mnt"; rmdir "$mnt"' EXIT
echo "memcgfs is mounted on $mnt"
MEMCGCTL=$MEMCGCTL examples/demo.sh "$mnt"
