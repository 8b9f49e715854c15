#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Benchmark memcgfs against nullfs, a FUSE filesystem that does the same
# shape of work per open and nothing else (the floor). Reports figures;
# asserts nothing about speed.
#
# usage: run.sh MEMCGFS_BINARY [BUILD_DIR]
#
#   BUILD_DIR     where tests/bench/nullfs and tests/bench/bench were built
#                 (the top build directory; default: .). The two binaries
#                 are also looked for directly in BUILD_DIR.
#   BENCH_N       iterations per timed run (default 20000); bench reports
#                 the median of 5 runs in ns per iteration.
#   BENCH_SELFTEST=1
#                 mount nullfs in place of memcgfs too (MEMCGFS_BINARY is
#                 then ignored): tests this script without memcgfs.
#
# Every mount lives under a fresh mktemp -d and is unmounted on exit
# (fusermount3 -u, then the daemon is killed if still alive).

# make runs this as $(SHELL) run.sh, and $(SHELL) may be a POSIX sh.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

set -euo pipefail

usage() {
	echo "usage: $0 MEMCGFS_BINARY [BUILD_DIR]" >&2
	exit 2
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
memcgfs_bin=$1
build_dir=${2:-.}
n=${BENCH_N:-20000}
selftest=${BENCH_SELFTEST:-0}

case $n in
'' | *[!0-9]* | 0) echo "$0: BENCH_N must be a positive integer" >&2; exit 2 ;;
esac

find_prog() {
	local name=$1 d
	for d in "$build_dir/tests/bench" "$build_dir"; do
		if [ -x "$d/$name" ] && [ ! -d "$d/$name" ]; then
			echo "$d/$name"
			return 0
		fi
	done
	echo "$0: $name not found under $build_dir (try 'make bench')" >&2
	return 1
}

nullfs_bin=$(find_prog nullfs)
bench_bin=$(find_prog bench)
if [ "$selftest" = 1 ]; then
	memcgfs_bin=$nullfs_bin
elif [ ! -x "$memcgfs_bin" ]; then
	echo "$0: $memcgfs_bin is not an executable" >&2
	exit 1
fi

# Mounts made so far: parallel arrays of mount point and daemon pid.
mnts=()
pids=()
bench_pid=
result=$(mktemp "${TMPDIR:-/tmp}/memcgfs-bench-out.XXXXXX")

is_mounted() {
	awk -v m="$1" '$5 == m { found = 1 } END { exit !found }' \
		/proc/self/mountinfo
}

cleanup() {
	local i mnt pid tries
	set +e
	if [ -n "$bench_pid" ]; then
		kill "$bench_pid" 2>/dev/null
		wait "$bench_pid" 2>/dev/null
	fi
	for i in "${!mnts[@]}"; do
		mnt=${mnts[$i]}
		pid=${pids[$i]}
		if is_mounted "$mnt"; then
			fusermount3 -u "$mnt" 2>/dev/null ||
				fusermount3 -u -z "$mnt" 2>/dev/null
		fi
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
			# Give the daemon a moment to leave on its own after
			# the unmount, then ask it to.
			tries=0
			while kill -0 "$pid" 2>/dev/null && [ $tries -lt 20 ]; do
				sleep 0.05
				tries=$((tries + 1))
			done
			kill "$pid" 2>/dev/null
		fi
		[ -n "$pid" ] && wait "$pid" 2>/dev/null
		is_mounted "$mnt" && umount -l "$mnt" 2>/dev/null
		rmdir "$mnt" 2>/dev/null
	done
	rm -f "$result"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# mount_fs BINARY: starts BINARY -f on a fresh directory in the background,
# waits until it is mounted, and sets $mounted to the mount point.
mount_fs() {
	local bin=$1 mnt pid tries=0
	mnt=$(mktemp -d "${TMPDIR:-/tmp}/memcgfs-bench.XXXXXX")
	mnt=$(cd "$mnt" && pwd -P)
	"$bin" -f "$mnt" </dev/null &
	pid=$!
	mnts+=("$mnt")
	pids+=("$pid")
	until is_mounted "$mnt"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "$0: $bin exited before mounting $mnt" >&2
			exit 1
		fi
		if [ $tries -ge 200 ]; then
			echo "$0: $bin did not mount $mnt within 10 s" >&2
			exit 1
		fi
		sleep 0.05
		tries=$((tries + 1))
	done
	mounted=$mnt
}

mount_fs "$nullfs_bin"
floor=$mounted
floor_file=$floor/bench/memory.current

mount_fs "$memcgfs_bin"
mcg=$mounted
if [ "$selftest" = 1 ]; then
	mcg_current=$mcg/bench/memory.current
	mcg_stat=$mcg/bench/memory.current
	mcg_max=$mcg/bench/memory.current
else
	mkdir "$mcg/bench"
	mcg_current=$mcg/bench/memory.current
	mcg_stat=$mcg/bench/memory.stat
	mcg_max=$mcg/bench/memory.max
fi
for f in "$floor_file" "$mcg_current" "$mcg_stat" "$mcg_max"; do
	if [ ! -e "$f" ]; then
		echo "$0: $f does not exist" >&2
		exit 1
	fi
done

# timed VAR ARGS...: runs bench ARGS and stores its figure in VAR. bench
# runs in the background so that a signal reaches the trap at once.
timed() {
	local var=$1
	shift
	"$bench_bin" "$@" >"$result" &
	bench_pid=$!
	wait "$bench_pid"
	bench_pid=
	read -r "${var?}" <"$result"
}

floor_read='' mcg_read_current='' mcg_read_stat='' floor_write='' mcg_write_max=''
timed floor_read read "$floor_file" "$n"
timed mcg_read_current read "$mcg_current" "$n"
timed mcg_read_stat read "$mcg_stat" "$n"
timed floor_write write "$floor_file" 100M "$n"
timed mcg_write_max write "$mcg_max" 100M "$n"

row() {
	awk -v op="$1" -v f="$2" -v m="$3" 'BEGIN {
		printf "%-28s %12d %12d %8.2f\n", op, f, m, (f > 0 ? m / f : 0)
	}'
}

[ "$selftest" = 1 ] && echo "(self-test: nullfs stands in for memcgfs)"
echo "N=$n, median of 5 runs, ns per open+I/O+close"
printf "%-28s %12s %12s %8s\n" operation "floor ns" "memcgfs ns" ratio
row "read memory.current" "$floor_read" "$mcg_read_current"
row "read memory.stat" "$floor_read" "$mcg_read_stat"
row "write memory.max (100M)" "$floor_write" "$mcg_write_max"
