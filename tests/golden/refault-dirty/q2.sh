#!/bin/bash
# q2.sh ROOT: dirty page cache under memory.max / memory.high. Variants in /job/variants2:
#   name knob(max|high) fsync(0|1) total_MB
R=$1
echo "kernel $(uname -r)"
for f in /proc/sys/vm/dirty_*; do echo "$f = $(cat $f)"; done
echo "vm.swappiness=$(cat /proc/sys/vm/swappiness)"
grep -E 'MemTotal|MemFree|SwapTotal' /proc/meminfo
mount | grep scratch; df -m /scratch | tail -1
cat /sys/block/vdb/queue/scheduler 2>/dev/null
for b in /sys/class/bdi/*; do echo "bdi $(basename $b): min_ratio=$(cat $b/min_ratio) max_ratio=$(cat $b/max_ratio) strict=$(cat $b/strict_limit 2>/dev/null)"; done
echo +memory > $R/cgroup.subtree_control
echo +io > $R/cgroup.subtree_control 2>/dev/null
echo "root subtree_control: $(cat $R/cgroup.subtree_control)"
while read -r name knob fs total; do
	[ -z "$name" ] && continue
	sync; echo 3 > /proc/sys/vm/drop_caches
	C=$R/$name
	mkdir $C
	echo 64M > $C/memory.$knob
	echo "################ variant $name: memory.max=$(cat $C/memory.max) memory.high=$(cat $C/memory.high) swap.max=$(cat $C/memory.swap.max) fsync=$fs total=${total}M"
	/job/dirtywrite $C /scratch/big.$name $total $fs 40
	echo "exit status $?"
	echo "--- final memory.stat"; cat $C/memory.stat
	echo "--- final memory.events"; cat $C/memory.events
	echo "memory.current $(cat $C/memory.current) memory.peak $(cat $C/memory.peak) swap.current $(cat $C/memory.swap.current)"
	rm -f /scratch/big.$name; sync
	rmdir $C
done < /job/variants2
