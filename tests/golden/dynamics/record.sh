#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Records one dynamics scenario on a real kernel:
#   KERNEL_VM_RUN=RUNNER tests/golden/dynamics/record.sh SCENARIO
# SCENARIO: reclaim-time, failed-reclaim, stream or thp (vm.sh). RUNNER is
# a kernel-vm runner (1G RAM, 512M swap; a 512M ext4 /scratch for the
# files streamed). The transcript goes to stdout. DYN_LRU_GEN=n records
# with MGLRU off (the classic active/inactive lists).
HERE=$(cd "$(dirname "$0")" && pwd)
RUN=${KERNEL_VM_RUN:?set KERNEL_VM_RUN to a kernel-vm runner}
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/dynamics-vm.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
gcc -static -O2 -Wall -o "$STAGE/dyn" "$HERE/dyn.c" || exit 99
echo "$1" > "$STAGE/which"
# DYN_LRU_GEN=n: MGLRU off (/sys/kernel/mm/lru_gen/enabled), the classic LRU
printf '%s' "${DYN_LRU_GEN:-}" > "$STAGE/lru_gen"
export KERNEL_VM_MEM=1G KERNEL_VM_SWAP=512M KERNEL_VM_SCRATCH=${KERNEL_VM_SCRATCH:-512M}
export KERNEL_VM_TIMEOUT=${KERNEL_VM_TIMEOUT:-900}
"$RUN" "$HERE/vm.sh" "$STAGE/dyn" "$STAGE/which" "$STAGE/lru_gen"
