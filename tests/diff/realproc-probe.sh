#!/bin/bash
# realproc-probe.sh ROOT [MEMHOLD]: real processes in a cgroup v2 memory tree, as a transcript of
# windowed facts that a real kernel and memcgfs must both show.
#
# ROOT is a cgroup2 root (a real kernel's /sys/fs/cgroup in kernel-vm, or a memcgfs mount); MEMHOLD
# is tests/tools/memhold (default /job/memhold, where kernel-vm/run puts a static build). The same
# script runs on a real kernel (tests/diff/realproc-record.sh keeps its output in tests/golden/) and on
# memcgfs (tests/integration/realproc_diff.sh). Numbers a kernel and an emulator cannot share exactly
# (kernel memory, timings, how long a process crawls) are compared within windows: a line says what
# was checked and "yes" or "no (the value)". Needs bash and busybox-level tools only.
set -u
R=${1:?usage: realproc-probe.sh CGROUP2-ROOT [MEMHOLD]}
MEMHOLD=${2:-/job/memhold}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/realproc-probe.XXXXXX")
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$OUT"' EXIT
export LC_ALL=C

# hold CGROUP NAME ARGS...: memhold in CGROUP from its start (the shell moves itself, then execs)
hold() {
	local cg=$1 name=$2
	shift 2
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$R/$cg" "$MEMHOLD" "$@" > "$OUT/$name" &
	HOLD=$!
	PIDS+=("$HOLD")
}
# until SECONDS COMMAND...: poll every 0.1 s
until_true() {
	local n=$(($1 * 10))
	shift
	until "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}
ready() { grep -qx ready "$OUT/$1"; }
state() { awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
key() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
# check TEXT CONDITION VALUE: "TEXT: yes", or "TEXT: no (VALUE)"
check() {
	if [ "$2" = 1 ]; then echo "$1: yes"; else echo "$1: no ($3)"; fi
}
within() {	# within VALUE LOW HIGH -> 1 or 0
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ] && echo 1 || echo 0
}
frozen_is() { grep -qx "frozen $2" "$R/$1/cgroup.events"; }
gone() { ! kill -0 "$1" 2>/dev/null; }
none_listed() { [ -z "$(cat "$R/$1/cgroup.procs")" ]; }

echo +memory > "$R/cgroup.subtree_control"

echo "## held: 60M anon and 5M shmem, and a child with 7M anon"
mkdir "$R/held"
echo 100M > "$R/held/memory.max"
hold held held --anon 60 --shmem 5 --child-anon 7
parent=$HOLD
until_true 30 ready held || echo "memhold never got ready"
child=$(awk '$1 == "child" { print $2 }' "$OUT/held")
until_true 10 grep -qx "$child" "$R/held/cgroup.procs"
check "the child is listed" "$(grep -cx "$child" "$R/held/cgroup.procs")" "not listed"
sleep 0.5	# a sample at least, on memcgfs
rss_anon=$((($(status_kb "$parent" RssAnon) + $(status_kb "$child" RssAnon)) * 1024))
anon=$(key "$R/held/memory.stat" anon)
shmem=$(key "$R/held/memory.stat" shmem)
current=$(cat "$R/held/memory.current")
check "anon is 67M within 10%" "$(within "$anon" $((67 << 20)) $(( (67 << 20) * 11 / 10 )))" "$anon"
check "anon is both processes' RssAnon within 2%" \
	"$(within "$anon" $((rss_anon * 98 / 100)) $((rss_anon * 102 / 100)))" "$anon vs $rss_anon"
# not the sum of RssShmem: a kernel charges a shared page once, and counts it in each process's rss
check "shmem is 5M within 2%" "$(within "$shmem" $((5 << 20)) $(( (5 << 20) * 102 / 100 )))" "$shmem"
check "memory.current is anon+file and at most 4M of kernel memory" \
	"$(within "$current" $((anon + $(key "$R/held/memory.stat" file))) $((anon + $(key "$R/held/memory.stat" file) + (4 << 20))))" \
	"$current"

echo "## freeze"
echo 1 > "$R/held/cgroup.freeze"
until_true 10 frozen_is held 1
echo "cgroup.events: $(grep frozen "$R/held/cgroup.events")"
echo "parent state: $(state "$parent")"
echo "child state: $(state "$child")"
echo 0 > "$R/held/cgroup.freeze"
until_true 10 frozen_is held 0
echo "cgroup.events after thaw: $(grep frozen "$R/held/cgroup.events")"
sleep 0.5
check "the parent runs again" "$([ "$(state "$parent")" != T ] && echo 1 || echo 0)" "$(state "$parent")"
kill -9 "$parent" "$child"
wait "$parent" 2>/dev/null
until_true 10 none_listed held

echo "## over: memory.max 100M, swap.max 0, touching 400M"
mkdir "$R/over"
echo 100M > "$R/over/memory.max"
echo 0 > "$R/over/memory.swap.max"
hold over over --anon 400 --progress
wait "$HOLD"
echo "exit status: $?"
echo "oom_kill: $(key "$R/over/memory.events" oom_kill)"
check "oom events" "$(($(key "$R/over/memory.events" oom) > 0))" "0"
check "max events" "$(($(key "$R/over/memory.events" max) > 0))" "0"
touched=$(awk '$1 == "touched" { n = $2 } END { print n + 0 }' "$OUT/over")
check "it touched between 90M and 400M" "$(within "$touched" 90 399)" "$touched"
check "memory.peak is within 1M of memory.max" \
	"$(within "$(cat "$R/over/memory.peak")" $((99 << 20)) $((100 << 20)))" "$(cat "$R/over/memory.peak")"
until_true 10 none_listed over
check "memory.current after the kill is under 1M" \
	"$(within "$(cat "$R/over/memory.current")" 0 $((1 << 20)))" "$(cat "$R/over/memory.current")"

# a MiB every 20 ms: a process that is not done before memcgfs's first sample past memory.high
echo "## high: memory.high 40M, swap.max 0, 80M at 50M/s"
mkdir "$R/high"
echo 40M > "$R/high/memory.high"
echo 0 > "$R/high/memory.swap.max"
hold high high --anon 80 --step 1 --every 20
sleep 3
check "not done after 3 s" "$(ready high && echo 0 || echo 1)" "ready"
check "alive" "$(kill -0 "$HOLD" 2>/dev/null && echo 1 || echo 0)" "dead"
echo "oom_kill: $(key "$R/high/memory.events" oom_kill)"
check "high events" "$(($(key "$R/high/memory.events" high) > 0))" "0"
some=$(awk '$1 == "some" { sub("total=", "", $5); print $5 }' "$R/high/memory.pressure")
check "memory.pressure some total" "$((some > 0))" "$some"
check "memory.current is between 40M and 84M" \
	"$(within "$(cat "$R/high/memory.current")" $((40 << 20)) $((84 << 20)))" "$(cat "$R/high/memory.current")"
kill -9 "$HOLD"
wait "$HOLD" 2>/dev/null
until_true 10 none_listed high
rmdir "$R/held" "$R/over" "$R/high"
echo "## done"
