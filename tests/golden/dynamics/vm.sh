#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The dynamics scenarios on a real kernel (run by record.sh in a kernel-vm
# VM, cgroup2 root as $1, the scenario's name in /job/which). Each prints
# samples as "t=SECONDS cg=NAME key=value ..." lines.
R=$1
D=/job/dyn
which=$(cat /job/which)
# record.sh's DYN_LRU_GEN: n turns MGLRU off, for the classic active/inactive LRU
[ -s /job/lru_gen ] && cat /job/lru_gen > /sys/kernel/mm/lru_gen/enabled
echo "kernel $(uname -r)"
echo "THP enabled: $(cat /sys/kernel/mm/transparent_hugepage/enabled)" \
	"defrag: $(cat /sys/kernel/mm/transparent_hugepage/defrag)"
echo "lru_gen enabled: $(cat /sys/kernel/mm/lru_gen/enabled 2>&1)"
echo "vm.swappiness=$(cat /proc/sys/vm/swappiness)" \
	"$(awk '/^MemTotal|^SwapTotal/ { printf "%s %s kB ", $1, $2 }' /proc/meminfo)"
echo +memory > "$R/cgroup.subtree_control"
T0=$($D now)

# sample NAME: one line of what a scenario watches in cgroup $R/NAME
sample() {
	local c=$R/$1 t
	t=$(awk -v a="$($D now)" -v b="$T0" 'BEGIN { printf "%.2f", a - b }')
	echo "t=$t cg=$1 current=$(cat "$c/memory.current") swap=$(cat "$c/memory.swap.current" 2>/dev/null)" \
		"$(awk '{ sub("total=", "", $5); printf "%s_total=%s ", $1, $5 }' "$c/memory.pressure")" \
		"$(awk '$1 ~ /^(anon|file|anon_thp|inactive_anon|active_anon|inactive_file|active_file|workingset_refault_anon|workingset_refault_file|workingset_activate_file|workingset_activate_anon|pgscan|pgsteal|pgactivate|pgdeactivate|pgrefill|thp_fault_alloc|thp_fault_fallback_charge)$/ { printf "%s=%s ", $1, $2 }' "$c/memory.stat")" \
		"$(awk '{ printf "ev_%s=%s ", $1, $2 }' "$c/memory.events")"
}

# anon_case NAME THP SIZE_MB SETTINGS...: a task touches SIZE_MB in cgroup NAME
anon_case() {
	local name=$1 thp=$2 size=$3 kv
	shift 3
	mkdir "$R/$name"
	for kv in "$@"; do echo "${kv#*=}" > "$R/$name/${kv%%=*}"; done
	echo "### $name: anon ${size}M thp=$thp $*"
	sample "$name"
	$D anon "$R/$name" "$size" "$thp" 0
	echo "exit $?"
	sample "$name"
}

case $which in
reclaim-time)
	# 1: reclaim costs time and pressure; 2: pgscan against pgsteal
	anon_case high_nothp never 200 memory.high=50M
	anon_case high_thp always 200 memory.high=50M
	anon_case max_nothp never 200 memory.max=50M
	anon_case max_thp always 200 memory.max=50M
	# memory.reclaim of anon to swap, written from another cgroup
	mkdir "$R/rc" "$R/writer"
	echo "### rc: 100M anon held, then 40M > memory.reclaim from cgroup writer"
	$D anon "$R/rc" 100 never 30 &
	sleep 8
	sample rc
	sample writer
	(echo $BASHPID > "$R/writer/cgroup.procs"; $D write "$R/rc/memory.reclaim" 40M)
	sample rc
	sample writer
	kill %1
	;;
failed-reclaim)
	# 4: a memory.reclaim that fails leaves memory.current alone
	mkdir "$R/f"
	echo 0 > "$R/f/memory.swap.max"
	echo "### f: 100M anon held, swap.max 0, then 40M > memory.reclaim"
	$D anon "$R/f" 100 never 20 &
	sleep 8
	for i in 1 2 3; do
		before=$(cat "$R/f/memory.current")
		$D write "$R/f/memory.reclaim" 40M
		echo "memory.current before $before after $(cat "$R/f/memory.current")"
	done
	kill %1
	;;
stream)
	# 3: two siblings stream a 150M file each under the parent's max 100M
	for f in a b; do dd if=/dev/urandom of=/scratch/$f bs=1M count=150 2>/dev/null; done
	sync
	for variant in nolow low; do
		echo 3 > /proc/sys/vm/drop_caches
		P=$R/p_$variant
		mkdir "$P" "$P/A" "$P/B"
		echo +memory > "$P/cgroup.subtree_control"
		echo 100M > "$P/memory.max"
		echo 0 > "$P/memory.swap.max"
		[ $variant = low ] && echo 60M > "$P/A/memory.low"
		echo "### p_$variant: A and B stream 150M each at 55M/s for 20 s, memory.max 100M on the parent," \
			"A memory.low $(cat "$P/A/memory.low")"
		$D stream "$P/A" /scratch/a 55 20 &
		$D stream "$P/B" /scratch/b 55 20 &
		for i in $(seq 10); do
			sleep 2
			sample p_$variant/A
			sample p_$variant/B
		done
		wait
		sample p_$variant
	done
	;;
thp)
	# 5: memory.high 50M, no swap, 200M anon, 90 s: with THP and without
	for thp in always never; do
		mkdir "$R/h_$thp"
		echo 50M > "$R/h_$thp/memory.high"
		echo 0 > "$R/h_$thp/memory.swap.max"
		echo "### h_$thp: anon 200M thp=$thp memory.high 50M swap.max 0, 90 s"
		T0=$($D now)
		$D anon "$R/h_$thp" 200 $thp 0 &
		for i in $(seq 18); do
			sleep 5
			sample h_$thp
		done
		kill %1
		wait
	done
	;;
esac
