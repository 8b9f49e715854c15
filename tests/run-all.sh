#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# README command (2): install what is missing, build, and run the whole test
# suite twice (plain, then under ASan and UBSan in a separate build), then
# make distcheck. CI runs this with MEMCGFS_REQUIRE_FUSE=1.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=$(nproc)

build-aux/deps.sh
# an older build-aux/build.sh configured the tree in place, which out-of-tree builds refuse
if [ -f config.status ]; then
	echo "run-all: the source tree is configured in place; cleaning it (make distclean)"
	make distclean > /dev/null
fi
autoreconf -fi

echo "== plain build: make check"
mkdir -p build/plain
(cd build/plain && "$top/configure" -q --enable-werror && make -j"$jobs" &&
	make -j"$jobs" check) || { cat build/plain/test-suite.log 2>/dev/null; exit 1; }

echo "== sanitizer build (ASan, UBSan, LSan): make check"
mkdir -p build/sanitizers
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp
(cd build/sanitizers && "$top/configure" -q --enable-werror --enable-sanitizers &&
	make -j"$jobs" && make -j"$jobs" check) ||
	{ cat build/sanitizers/test-suite.log 2>/dev/null; exit 1; }

echo "== make distcheck"
(cd build/plain && make -j"$jobs" distcheck)
echo "all tests passed"
