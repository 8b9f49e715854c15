# Applied after v2-probe.to-6.18.sed when the prober lacks CAP_SYS_RESOURCE
# (the root of some containers, as on the development machine): the kernel
# then takes only PSI trigger windows that are multiples of 2 s
# (psi_trigger_create() looks at the opener's capability), and memcgfs too.
# The transcript was recorded by a root that had it.
/^## PSI triggers/,/^## cgroup\.subtree_control/{
/ 2000000"\| 10000000"\|^"" /!s/-> ok [0-9]*$/-> EINVAL/
s/^two triggers on one fd: ok 19, EBUSY$/two triggers on one fd: EINVAL, EINVAL/
s/^bad then good on one fd: EINVAL, ok 19$/bad then good on one fd: EINVAL, EINVAL/
s/^root memory\.pressure trigger: ok 19$/root memory.pressure trigger: EINVAL/
}
