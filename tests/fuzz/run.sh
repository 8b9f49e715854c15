#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Build the libFuzzer harness (tests/fuzz/fuzz_cftypes.c) with clang and run
# it for a short while from the seed corpus: every write handler of both
# modes, through the tables and the engine, under ASan and UBSan, with the
# machine's invariants checked after every step. A crash, a sanitizer
# report or a broken invariant fails the test and leaves the input that
# did it in tests/fuzz/ (crash-*).
#
# MEMCGFS_FUZZ_SECONDS: how long to run (default 15). Without clang the
# test is skipped, or fails with MEMCGFS_REQUIRE_CLANG=1 (CI installs it).
set -u
src=${srcdir:-.}
cc=${FUZZ_CC:-clang}
seconds=${MEMCGFS_FUZZ_SECONDS:-15}
if ! command -v "$cc" > /dev/null; then
	if [ "${MEMCGFS_REQUIRE_CLANG:-0}" = 1 ]; then
		echo "ERROR: $cc is missing (MEMCGFS_REQUIRE_CLANG=1); build-aux/deps.sh installs it" >&2
		exit 99
	fi
	echo "SKIP: $cc is missing: no fuzzing" >&2
	exit 77
fi
mkdir -p tests/fuzz
bin=tests/fuzz/fuzz_cftypes
# the sanitizers' own options: this run's, not the suite's
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
"$cc" -std=gnu11 -g -O1 -Wall -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-include config.h -I"$src/src" -I"$src" \
	"$src"/tests/fuzz/fuzz_cftypes.c "$src"/tests/fuzz/invariants.c \
	"$src"/src/engine/*.c "$src"/src/alloc/*.c "$src"/cftypes/*.c \
	-o "$bin" -lpthread || exit 99
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"./$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix=tests/fuzz/ "$work" "$src/tests/fuzz/corpus" 2> tests/fuzz/fuzz.log
status=$?
grep -E '^(memcgfs-fuzz|Done|stat::number_of_executed_units)' tests/fuzz/fuzz.log
if [ "$status" != 0 ]; then
	tail -40 tests/fuzz/fuzz.log >&2
	exit 1
fi
exit 0
