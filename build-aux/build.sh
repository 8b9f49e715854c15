#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Build memcgfs in the source tree (dependencies first); extra arguments go
# to configure. Re-running it rebuilds only what changed.
set -eu
cd "$(dirname "$0")/.."
build-aux/deps.sh
[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure "$@"
make -j"$(nproc)"
