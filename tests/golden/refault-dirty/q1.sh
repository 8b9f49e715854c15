#!/bin/bash
# q1.sh ROOT: anon refault experiment. Variants chosen by $Q1_VARIANTS in /job/variants
R=$1
echo "kernel $(uname -r)"
echo "zswap enabled: $(cat /sys/module/zswap/parameters/enabled 2>&1)"
echo "THP enabled: $(cat /sys/kernel/mm/transparent_hugepage/enabled)  defrag: $(cat /sys/kernel/mm/transparent_hugepage/defrag)"
echo "vm.swappiness=$(cat /proc/sys/vm/swappiness) vm.page-cluster=$(cat /proc/sys/vm/page-cluster) vma_ra_enabled=$(cat /sys/kernel/mm/swap/vma_ra_enabled 2>&1)"
echo "lru_gen enabled: $(cat /sys/kernel/mm/lru_gen/enabled 2>&1)"
echo "swaps:"; cat /proc/swaps
grep -E 'MemTotal|SwapTotal' /proc/meminfo
echo +memory > $R/cgroup.subtree_control
while read -r name size mode touch swapmax newmax; do
	[ -z "$name" ] && continue
	C=$R/$name
	mkdir $C
	echo 64M > $C/memory.max
	echo ${swapmax:-max} > $C/memory.swap.max
	echo "################ variant $name: alloc ${size}M, $mode-touch ${touch}M, memory.max=$(cat $C/memory.max) swap.max=$(cat $C/memory.swap.max)"
	/job/anonref $C $size $mode $touch $newmax
	echo "exit status $?"
	sleep 1
	echo "after exit: memory.current $(cat $C/memory.current) swap.current $(cat $C/memory.swap.current)"
	rmdir $C
	swapoff /dev/vda && swapon /dev/vda; echo "swap reset: $(tail -1 /proc/swaps)"
done < /job/variants
