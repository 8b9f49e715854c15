#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Replays the memcg selftest scenarios on a real kernel's cgroup v2, in a
# throwaway VM:
#   KERNEL_VM=RUNNER tests/scenarios/run-kernel.sh [SCENARIO...]
# RUNNER is a kernel-vm runner: `RUNNER SCRIPT [FILE...]` boots a real
# kernel (Debian 6.12 by default) with cgroup2 at /sys/fs/cgroup, copies
# SCRIPT and FILEs to /job, runs SCRIPT there as root with the cgroup root
# as its argument, and prints what it printed.
# Builds memhog and peakfd statically, stages them with the scripts, and
# boots the VM with a 512M ext4 scratch disk (page cache must live on a
# disk file system: /tmp in the VM is tmpfs, whose pages are shmem), 1G of
# RAM and 512M of swap. Prints the VM's transcript; exits with its status.
# KERNEL_VM_* settings pass through (e.g. KERNEL_VM_SUITE=sid,
# KERNEL_VM_CGROUP_OPTS=memory_recursiveprot,memory_localevents).
# kernel-6.12.txt is the transcript of `SCENARIO_TIMES=1 run-kernel.sh`.
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
KERNEL_VM=${KERNEL_VM:?set KERNEL_VM to a kernel-vm runner (see the top of this script)}

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/scenarios-vm.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
mkdir "$STAGE/scenarios"
cp "$HERE"/*.sh "$HERE"/*.bash "$STAGE/scenarios/"
gcc -static -O2 -Wall -o "$STAGE/scenarios/memhog" "$TOP/tests/tools/memhog.c" || exit 99
gcc -static -O2 -Wall -o "$STAGE/scenarios/peakfd" "$HERE/peakfd.c" || exit 99

# What runs in the VM, as root, with the cgroup2 root as $1.
cat > "$STAGE/vm-main.sh" <<VM
#!/bin/bash
echo "kernel \$(uname -r), cgroup2 \$(awk '\$3 == "cgroup2" { print \$4 }' /proc/mounts)," \
	"swap \$(awk '/^SwapTotal/ { print \$2 \$3 }' /proc/meminfo)," \
	"scratch \$(awk '\$2 == "/scratch" { print \$1, \$3 }' /proc/mounts)"
export SCENARIO_BACKEND=kernel SCENARIO_SCRATCH=/scratch SCENARIO_TIMES=1
exec bash /job/scenarios/run-scenarios.sh "\$1" $*
VM

# high_sync waits with inotifywait: the host's, with its libraries
export KERNEL_VM_HOST_BINS="${KERNEL_VM_HOST_BINS:+$KERNEL_VM_HOST_BINS }inotifywait"
export KERNEL_VM_SCRATCH=${KERNEL_VM_SCRATCH:-512M} KERNEL_VM_MEM=${KERNEL_VM_MEM:-1G}
export KERNEL_VM_TIMEOUT=${KERNEL_VM_TIMEOUT:-900}
"$KERNEL_VM" "$STAGE/vm-main.sh" "$STAGE/scenarios"
