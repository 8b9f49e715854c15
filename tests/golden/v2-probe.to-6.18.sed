# v2-probe.to-6.18.sed: turns tests/golden/v2-probe.linux-6.12*.txt (recorded on Debian's 6.12 kernel)
# into what Linux 6.18 prints for tests/diff/v2-probe.sh.  GNU sed (uses \n in replacements).
#   sed -f tests/golden/v2-probe.to-6.18.sed tests/golden/v2-probe.linux-6.12*.txt
# Checked: the result is byte-identical to tests/golden/v2-probe.linux-6.18.15+deb13-amd64.txt, a run on
# Debian trixie-backports' 6.18.15 kernel (KERNEL_VM_SUITE=trixie-backports
# KERNEL_VM_PACKAGE=linux-image-6.18.15+deb13-amd64).  Each edit says which 6.18 change it stands for.
# Not edited, because 6.18 behaves as 6.12 (7.x differs; see v2-probe.NOTES.md): memparse overflow
# ("16E" -> 0), bare suffixes ("k" -> 0), memory.events without sock_throttled (that key is 6.19+).

# Added after 6.12 (present in 6.18): kernel/cgroup/cgroup.c cgroup_base_files[] gains "cgroup.stat.local" (CFTYPE_NOT_ON_ROOT,
# cgroup_core_local_stat_show: "frozen_usec %llu").  Listed right after cgroup.stat in every non-root
# listing (not in the root's, which sits between "# root" and "# probe (directory mode ...)").
/^# root$/,/^# probe (directory mode/!{
  /^    444 cgroup\.stat$/a\
\    444 cgroup.stat.local
}
# ... and its initial value in the child's "initial values" section, sorted between cgroup.stat and
# cgroup.subtree_control (the only place that prints an empty subtree_control as a bare value).
/^cgroup\.subtree_control ""$/i\
cgroup.stat.local:\
\    frozen_usec 0

# Added after 6.12 (present in 6.18): mm/memcontrol.c memcg_node_stat_items[]/memory_stats[] gain PGDEMOTE_PROACTIVE after
# PGDEMOTE_KHUGEPAGED (proactive reclaim via memory.reclaim accounted apart).  It is a node stat, so
# memory.stat and memory.numa_stat both show "pgdemote_proactive" (key-only and valued forms alike).
s/^\(    \)pgdemote_khugepaged\(.*\)$/&\n\1pgdemote_proactive\2/

# Added after 6.12 (present in 6.18): memcg_vm_event_stat[] gains PGSCAN_PROACTIVE / PGSTEAL_PROACTIVE after the khugepaged ones;
# memcg_stat_format() also adds them into the pgscan/pgsteal sums (no line change for an empty cgroup).
s/^\(    \)pgscan_khugepaged\(.*\)$/&\n\1pgscan_proactive\2/
s/^\(    \)pgsteal_khugepaged\(.*\)$/&\n\1pgsteal_proactive\2/

# Added after 6.12 (present in 6.18): memcg_vm_event_stat[] starts with PSWPIN, PSWPOUT (per-memcg swap-in/out counts), printed right
# after the pgscan/pgsteal sums.  Both in the root's key list and in the child's valued memory.stat.
s/^\(    \)pgsteal\(\( 0\)\{0,1\}\)$/&\n\1pswpin\2\n\1pswpout\2/

# Added after 6.12 (present in 6.18): memory_stats[] gains { "hugetlb", NR_HUGETLB } after slab_unreclaimable (CONFIG_HUGETLB_PAGE).
# memory.stat skips it without the memory_hugetlb_accounting mount option, but memory_numa_stat_show()
# prints every node item, so only the numa_stat lists (root keys, child values) gain the line.
/^memory\.numa_stat/,/pgpromote_success/{
  s/^\(    \)slab_unreclaimable\(.*\)$/&\n\1hugetlb\2/
}

# Added after 6.12 (present in 6.18), mm/vmscan.c user_proactive_reclaim(): the memory.reclaim token table gains "swappiness=max" (SWAPPINESS_ANON_ONLY:
# reclaim anon only); 6.12 knew only "swappiness=%d" and rejected it.  Reclaiming 0 bytes succeeds.
s/^"0 swappiness=max" -> EINVAL$/"0 swappiness=max" -> ok 16/
