# What memcgfs prints where the kernel's cgroup v2 transcript (perm-probe-v2.*) says otherwise,
# applied to the kernel's: memcgfs takes only a process the opener could signal itself (kill(2)'s
# rule), because it really signals, stops and kills what it holds. The kernel lets the owner of a
# delegated subtree move any process already inside it, root's included, and kill it with
# cgroup.kill.
s/^user: rootsleep within its cgroups: ok$/user: rootsleep within its cgroups: Operation not permitted/
s/^in c: 5$/in c: 4/
s/^rootsleep after cgroup\.kill: gone$/rootsleep after cgroup.kill: alive/
