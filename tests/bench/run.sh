#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The benchmark of `make bench`: figures side by side, from one run on one
# machine, asserting nothing about speed.
#
#   floor     nullfs (tests/bench/nullfs.c): the plainest FUSE filesystem,
#             one file at its root, low-level API, direct_io, 1 s timeouts
#   cgroupfs  the kernel's own files, where the machine has them: a scratch
#             child of the v1 memory controller (/sys/fs/cgroup/memory),
#             or of the cgroup2 root if memory is enabled there; removed
#             at the end, and never a limit set on anything but the child
#   memcgfs   default, and with --page-cache
#
# at depth 1 and 3: open+read+close of memory.current (v1:
# memory.usage_in_bytes) and memory.stat, open+write+close of memory.max
# (v1: memory.limit_in_bytes); then the 100,000-cgroup figures (100 x
# 1,000 made with memcgctl load, removed with rmdir through the mount).
#
# usage: run.sh MEMCGFS_BINARY [BUILD_DIR]
#   BUILD_DIR    where tests/bench/{nullfs,bench} were built (default .)
#   MEMCGCTL     memcgctl (default: next to MEMCGFS_BINARY)
#   BENCH_N      iterations per timed run (default 5000); bench reports the
#                median of 5 runs in ns per iteration
#   BENCH_100K=0 skip the 100,000-cgroup figures (they take a minute)
#   CGROUPFS=0   leave the kernel's cgroupfs out
#
# Every mount lives under a fresh mktemp -d and is unmounted on exit.

# make runs this as $(SHELL) run.sh, and $(SHELL) may be a POSIX sh.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi

set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 MEMCGFS_BINARY [BUILD_DIR]" >&2
	exit 2
fi
memcgfs_bin=$1
build_dir=${2:-.}
memcgctl_bin=${MEMCGCTL:-$(dirname "$memcgfs_bin")/memcgctl}
n=${BENCH_N:-5000}
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
for b in "$memcgfs_bin" "$memcgctl_bin"; do
	[ -x "$b" ] || { echo "$0: $b is not an executable" >&2; exit 1; }
done

mnts=()
pids=()
scratch=()	# cgroupfs directories made here, deepest last
bench_pid=
result=$(mktemp "${TMPDIR:-/tmp}/memcgfs-bench-out.XXXXXX")

is_mounted() {
	awk -v m="$1" '$5 == m { found = 1 } END { exit !found }' /proc/self/mountinfo
}

umount_one() {
	local mnt=$1 pid=$2 tries=0
	if is_mounted "$mnt"; then
		fusermount3 -u "$mnt" 2>/dev/null || fusermount3 -u -z "$mnt" 2>/dev/null
	fi
	while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $tries -lt 40 ]; do
		sleep 0.05
		tries=$((tries + 1))
	done
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$pid" ] && wait "$pid" 2>/dev/null
	rmdir "$mnt" 2>/dev/null
	return 0
}

cleanup() {
	local i
	set +e
	if [ -n "$bench_pid" ]; then
		kill "$bench_pid" 2>/dev/null
		wait "$bench_pid" 2>/dev/null
	fi
	for ((i = ${#scratch[@]} - 1; i >= 0; i--)); do
		rmdir "${scratch[$i]}" 2>/dev/null
	done
	for i in "${!mnts[@]}"; do
		[ -n "${mnts[$i]}" ] && umount_one "${mnts[$i]}" "${pids[$i]}"
	done
	rm -f "$result"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# mount_fs BINARY [OPTIONS...]: BINARY -f on a fresh directory; sets $mounted and $mounted_pid.
mount_fs() {
	local bin=$1 mnt pid tries=0
	shift
	mnt=$(mktemp -d "${TMPDIR:-/tmp}/memcgfs-bench.XXXXXX")
	mnt=$(cd "$mnt" && pwd -P)
	"$bin" -f "$@" "$mnt" </dev/null &
	pid=$!
	mnts+=("$mnt")
	pids+=("$pid")
	until is_mounted "$mnt"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "$0: $bin $* exited before mounting $mnt" >&2
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
	mounted_pid=$pid
}

# timed ARGS...: runs bench ARGS, prints its figure (ns). bench runs in the
# background so that a signal reaches the trap at once.
timed() {
	"$bench_bin" "$@" >"$result" &
	bench_pid=$!
	wait "$bench_pid"
	bench_pid=
	cat "$result"
}

rss_kib() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# --- the mounts
mount_fs "$nullfs_bin"
floor=$mounted

# a memcgfs tree with memory at depth 1 and 3: /bench, /d1/d2/d3
memcgfs_tree() {
	mkdir -p "$1/bench" "$1/d1/d2/d3"
	echo +memory > "$1/d1/cgroup.subtree_control"
	echo +memory > "$1/d1/d2/cgroup.subtree_control"
}
mount_fs "$memcgfs_bin"
mcg=$mounted
memcgfs_tree "$mcg"
page_cache=
if "$memcgfs_bin" --help | grep -q -- --page-cache; then
	mount_fs "$memcgfs_bin" --page-cache
	page_cache=$mounted
	memcgfs_tree "$page_cache"
fi

# the kernel's cgroupfs: a scratch child (and grandchildren for depth 3)
kernel=
kcur=memory.current kmax=memory.max
if [ "${CGROUPFS:-1}" != 0 ]; then
	if [ -w /sys/fs/cgroup/memory/cgroup.procs ] && [ -e /sys/fs/cgroup/memory/memory.usage_in_bytes ]; then
		kroot=/sys/fs/cgroup/memory
		kcur=memory.usage_in_bytes kmax=memory.limit_in_bytes
	elif [ -w /sys/fs/cgroup/cgroup.subtree_control ] && grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
		kroot=/sys/fs/cgroup
	else
		kroot=
	fi
	if [ -n "$kroot" ]; then
		kernel=$kroot/memcgfs-bench.$$
		if mkdir "$kernel" 2>/dev/null; then
			scratch+=("$kernel")
			mkdir "$kernel/d2" && scratch+=("$kernel/d2")
			if [ "$kroot" = /sys/fs/cgroup ]; then
				echo +memory > "$kernel/cgroup.subtree_control"
				echo +memory > "$kernel/d2/cgroup.subtree_control"
			fi
			mkdir "$kernel/d2/d3" && scratch+=("$kernel/d2/d3")
		else
			kernel=
		fi
	fi
fi

# --- open+read+close and open+write+close, side by side
echo "memcgfs bench: N=$n, median of 5 runs, ns per open+I/O+close ($(date -u +%F), $(nproc) CPUs, Linux $(uname -r))"
echo "floor: nullfs, the plainest FUSE filesystem (one file at its root, low-level API, direct_io, 1 s timeouts)"
[ -n "$kernel" ] && echo "cgroupfs: the kernel's own files, $kernel ($kcur, $kmax)"
printf "%-30s %10s %10s %10s %12s %8s %8s\n" operation floor cgroupfs memcgfs "--page-cache" "m/floor" "pc/cgfs"

row() {	# row LABEL FLOOR KERNEL MEMCGFS PAGECACHE
	awk -v l="$1" -v f="$2" -v k="$3" -v m="$4" -v p="$5" 'BEGIN {
		r1 = (f + 0 > 0 && m != "-") ? sprintf("%.2f", m / f) : "-"
		r2 = (k + 0 > 0 && p != "-") ? sprintf("%.2f", p / k) : "-"
		printf "%-30s %10s %10s %10s %12s %8s %8s\n", l, f, k, m, p, r1, r2
	}'
}

# measure LABEL read|write[:STRING] FLOOR KERNEL MEMCGFS PAGECACHE: one row,
# the files that exist measured taking turns (bench), the others "-"
measure() {
	local label=$1 op=${2%%:*} str=${2#*:} i figs=() files=() out
	shift 2
	for i in "$@"; do [ -n "$i" ] && [ -e "$i" ] && files+=("$i"); done
	if [ "$op" = write ]; then
		timed write "$n" "$str" "${files[@]}" > "$result.figs"
	else
		timed read "$n" "${files[@]}" > "$result.figs"
	fi
	mapfile -t out < "$result.figs"
	rm -f "$result.figs"
	for i in "$@"; do
		if [ -n "$i" ] && [ -e "$i" ]; then figs+=("${out[0]}"); out=("${out[@]:1}"); else figs+=(-); fi
	done
	row "$label" "${figs[@]}"
}

pc() { [ -n "$page_cache" ] && echo "$page_cache/$1"; return 0; }
kf() { [ -n "$kernel" ] && echo "$kernel/$1"; return 0; }

measure "read memory.current, depth 1" read "$floor/memory.current" "$(kf "$kcur")" \
	"$mcg/bench/memory.current" "$(pc bench/memory.current)"
measure "read memory.current, depth 3" read "$floor/memory.current" "$(kf "d2/d3/$kcur")" \
	"$mcg/d1/d2/d3/memory.current" "$(pc d1/d2/d3/memory.current)"
measure "read memory.stat, depth 1" read "$floor/memory.current" "$(kf memory.stat)" \
	"$mcg/bench/memory.stat" "$(pc bench/memory.stat)"
measure "read memory.stat, depth 3" read "$floor/memory.current" "$(kf d2/d3/memory.stat)" \
	"$mcg/d1/d2/d3/memory.stat" "$(pc d1/d2/d3/memory.stat)"
measure "write memory.max 100M, depth 1" write:100M "$floor/memory.current" "$(kf "$kmax")" \
	"$mcg/bench/memory.max" "$(pc bench/memory.max)"
measure "read memory.max, depth 1" read "$floor/memory.current" "$(kf "$kmax")" \
	"$mcg/bench/memory.max" "$(pc bench/memory.max)"
for ((i = ${#scratch[@]} - 1; i >= 0; i--)); do rmdir "${scratch[$i]}"; done
scratch=()

[ "${BENCH_100K:-1}" = 0 ] && exit 0

# --- 100,000 cgroups: a fresh memcgfs, 10 cgroups, then 100 x 1,000
echo
mount_fs "$memcgfs_bin"
big=$mounted big_pid=$mounted_pid
mkdir "$big/g0"
echo +memory > "$big/g0/cgroup.subtree_control"
for j in $(seq 0 9); do mkdir "$big/g0/c$j"; done
rss_before=$(rss_kib "$big_pid")
timed read "$n" "$big/g0/c9/memory.current" "$big/cgroup.stat" > "$result.figs"
{ read -r leaf10; read -r root10; } < "$result.figs"
awk 'BEGIN {
	printf "{ \"cgroups\": {\n"
	for (i = 0; i < 100; i++) {
		printf "%s\"/g%d\": { \"cgroup.subtree_control\": \"+memory\" }\n", i ? "," : "", i
		for (j = 0; j < 1000; j++)
			printf ",\"/g%d/c%d\": {}\n", i, j
	}
	printf "} }\n"
}' > "$result.json"
"$memcgctl_bin" -m "$big" --timeout 0 load "$result.json" > /dev/null
rm -f "$result.json"
rss_100k=$(rss_kib "$big_pid")
timed read "$n" "$big/g99/c999/memory.current" "$big/cgroup.stat" > "$result.figs"
{ read -r leaf100k; read -r root100k; } < "$result.figs"
rm -f "$result.figs"
for i in $(seq 0 99); do
	rmdir "$big/g$i"/c[0-9]*
	rmdir "$big/g$i"
done
rss_after=$(rss_kib "$big_pid")
awk -v l10="$leaf10" -v l100="$leaf100k" -v r10="$root10" -v r100="$root100k" \
    -v b="$rss_before" -v m="$rss_100k" -v a="$rss_after" 'BEGIN {
	printf "100,000 cgroups (100 x 1,000, made by memcgctl load, removed by rmdir):\n"
	printf "  leaf memory.current: %d ns at 10 cgroups, %d ns at 100,000 (%.2fx)\n", l10, l100, l100 / l10
	printf "  root cgroup.stat: %d ns at 10 cgroups, %d ns at 100,000 (%.2fx a leaf read)\n", r10, r100, r100 / l100
	printf "  daemon RSS: %.1f MiB before, %.1f MiB with 100,000 (%d bytes per cgroup), %.1f MiB after removing them\n",
		b / 1024, m / 1024, (m - b) * 1024 / 100000, a / 1024
}'
