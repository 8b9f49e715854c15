#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Build memcgfs out of tree in build/plain (dependencies first), configured
# as tests/run-all.sh configures its plain build, so that the suite run
# after it reuses what was built. Re-running it rebuilds only what changed.
# Extra arguments go to configure, the first time only.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build-aux/deps.sh
if [ -f config.status ]; then
	echo "build.sh: the source tree is configured in place; cleaning it (make distclean) to build out of tree"
	make distclean > /dev/null
fi
[ -x configure ] || autoreconf -fi
mkdir -p build/plain
cd build/plain
[ -f Makefile ] || "$top/configure" -q --enable-werror "$@"
make -j"$(nproc)"
