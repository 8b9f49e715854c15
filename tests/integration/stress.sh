#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Everything at once, for MEMCGFS_STRESS_SECONDS (default 8) in each mode:
# writers of limits, readers of every kind of file, mkdir/rmdir churn,
# simulated tasks that leak, churn and get OOM-killed, real processes
# moved in and killed with cgroup.kill, a watcher, and the manual clock
# stepping. Checked meanwhile, on `memcgctl stat` snapshots (taken under
# the engine lock, so consistent): no counter below zero or wrapped, and a
# parent's usage at least its children's. Checked at the end, once still:
# memory.current is the memory.stat components (anon + file + kernel +
# sock) plus at most the per-CPU stock, every task can be killed and every
# cgroup removed, and the daemon stops with status 0 (no sanitizer report).
#
#   /
#   ├── lim          memory.max 64M, high 48M; lim/a, lim/b: tasks
#   ├── prot         memory.min/low; prot/x: tasks
#   └── churn/cN     made and removed all the time
. "${srcdir:-.}/tests/lib.sh"
seconds=${MEMCGFS_STRESS_SECONDS:-8}
dir=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; cleanup; rm -rf "$dir"' EXIT

# every number stat prints is a byte count or a count: 0 or more, and far below 2^50
check_snapshot() {
	"$MEMCGCTL" -m "$MNT" --timeout 60 stat > "$dir/snap" || { echo "stat failed"; return; }
	awk '
	function parent(p) { sub("/[^/]*$", "", p); return p == "" ? "/" : p }
	{
		for (i = 2; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[2] != "max" && (kv[2] !~ /^[0-9]+$/ || length(kv[2]) > 15))
				print "a counter out of range: " $0
		}
		if ($2 ~ /^current=/ && $1 != "/") {
			split($2, kv, "=")
			cur[$1] = kv[2]
			sum[parent($1)] += kv[2]
		}
	}
	END {
		for (p in sum)
			if (p in cur && sum[p] > cur[p])
				print "children use more than their parent " p ": " sum[p] " > " cur[p]
	}' "$dir/snap"
}

# value FILE KEY: a key of a flat-keyed file
value() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

stress() {
	local mode=$1 end i
	if [ "$mode" = v2 ]; then
		LIMIT=memory.max HIGH=memory.high LOW=memory.low MIN=memory.min
	else
		LIMIT=memory.limit_in_bytes HIGH=memory.soft_limit_in_bytes LOW=memory.swappiness MIN=memory.soft_limit_in_bytes
	fi
	mount_memcgfs --mode="$mode" --clock=manual --ram=512M --swap=128M
	mkdir -p "$MNT/lim/a" "$MNT/lim/b" "$MNT/prot/x" "$MNT/churn"
	if [ "$mode" = v2 ]; then
		for d in lim prot; do echo +memory > "$MNT/$d/cgroup.subtree_control"; done
	fi
	echo 64M > "$MNT/lim/$LIMIT"
	"$MEMCGCTL" -m "$MNT" watch > /dev/null &
	pids+=($!)
	end=$((SECONDS + seconds))

	# writers of limits
	for w in 1 2; do
		(
			vals=(1M 8M 16M 32M 48M 64M 100M max 0 4096 3G)
			while [ $SECONDS -lt $end ]; do
				for f in lim/a/$LIMIT lim/b/$HIGH prot/$MIN prot/x/$LOW lim/$HIGH; do
					echo "${vals[RANDOM % ${#vals[@]}]}" > "$MNT/$f"
				done 2>/dev/null
			done
		) &
		pids+=($!)
	done
	# readers
	for r in 1 2; do
		(
			while [ $SECONDS -lt $end ]; do
				for d in lim lim/a lim/b prot prot/x; do
					cat "$MNT/$d/memory.stat" "$MNT/$d/cgroup.procs" "$MNT/$d/memory.numa_stat" \
						"$MNT/$d/$LIMIT" > /dev/null
					[ "$mode" = v2 ] && cat "$MNT/$d/memory.events" "$MNT/$d/memory.pressure" \
						"$MNT/$d/memory.current" "$MNT/$d/cgroup.stat" > /dev/null
				done 2>/dev/null
				ls "$MNT/churn" > /dev/null
			done
		) &
		pids+=($!)
	done
	# mkdir/rmdir churn, some cgroups with a task for a moment
	(
		i=0
		while [ $SECONDS -lt $end ]; do
			i=$((i + 1))
			mkdir "$MNT/churn/c$i" || echo "mkdir churn/c$i failed"
			if [ $((i % 4)) = 0 ]; then
				pid=$("$MEMCGCTL" -m "$MNT" spawn "churn/c$i" --anon 2M) &&
					"$MEMCGCTL" -m "$MNT" kill "$pid"
			fi
			rmdir "$MNT/churn/c$i" || echo "rmdir churn/c$i failed with its task killed"
		done
	) > "$dir/churn.$mode" 2>&1 &
	pids+=($!)
	# the allocator: tasks that hold, leak, churn, and are OOM-killed
	(
		while [ $SECONDS -lt $end ]; do
			for cg in lim/a lim/b prot/x; do
				"$MEMCGCTL" -m "$MNT" spawn $cg --anon $((RANDOM % 24 + 1))M > /dev/null
				"$MEMCGCTL" -m "$MNT" spawn $cg --file 8M --workload churn --period 200ms > /dev/null
				"$MEMCGCTL" -m "$MNT" spawn $cg --anon 40M --workload leak --rate 20M > /dev/null
			done 2>/dev/null
			# not more than a few dozen at once
			"$MEMCGCTL" -m "$MNT" ps | awk 'NR > 1 { print $1 }' | head -n -40 |
				xargs -r -n1 "$MEMCGCTL" -m "$MNT" kill 2>/dev/null
		done
	) &
	pids+=($!)
	# real processes, moved in and killed
	(
		while [ $SECONDS -lt $end ]; do
			sleep 60 &
			s=$!
			echo $s > "$MNT/lim/b/cgroup.procs"
			[ "$mode" = v2 ] && echo 1 > "$MNT/lim/b/cgroup.kill"
			kill $s 2>/dev/null
			wait $s 2>/dev/null
		done
	) 2>/dev/null &
	pids+=($!)
	# the clock
	(
		while [ $SECONDS -lt $end ]; do
			"$MEMCGCTL" -m "$MNT" step 100ms
		done
	) &
	pids+=($!)

	while [ $SECONDS -lt $end ]; do
		check_snapshot >> "$dir/broken.$mode"
		sleep 0.5
	done
	wait "${pids[@]:1}"
	kill "${pids[0]}"
	wait "${pids[0]}" 2>/dev/null
	pids=()
	check_snapshot >> "$dir/broken.$mode"
	expect "$mode: invariants on every snapshot" "" "$(sort -u "$dir/broken.$mode" | head -5)"
	expect "$mode: every churn cgroup made and removed" "" "$(head -5 "$dir/churn.$mode")"

	# still: memory.current against memory.stat
	if [ "$mode" = v2 ]; then
		[ "$(value "$MNT/lim/memory.events" oom_kill)" -gt 0 ] ||
			fail "$mode: nothing was OOM-killed: the allocator did not run"
		stock=$((7 * 64 * 4096))
		for d in lim lim/a lim/b prot prot/x; do
			cur=$(cat "$MNT/$d/memory.current")
			parts=0
			for k in anon file kernel sock; do
				parts=$((parts + $(value "$MNT/$d/memory.stat" $k)))
			done
			[ "$cur" -ge "$parts" ] && [ "$cur" -le $((parts + stock)) ] ||
				fail "$mode: $d: memory.current $cur, anon + file + kernel + sock $parts"
		done
	fi

	# every task can go, then every cgroup
	"$MEMCGCTL" -m "$MNT" ps | awk 'NR > 1 { print $1 }' | xargs -r -n1 "$MEMCGCTL" -m "$MNT" kill 2>/dev/null
	for i in $(seq 100); do
		[ "$("$MEMCGCTL" -m "$MNT" ps | wc -l)" = 1 ] && break
		sleep 0.1
	done
	for d in lim/a lim/b prot/x lim prot churn; do
		rmdir "$MNT/$d" || fail "$mode: rmdir $d with its tasks gone"
	done
	unmount_memcgfs
}

stress v2
stress v1
finish
