#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs tests/diff/notify-probe.sh on a real kernel's cgroup v2 in a
# throwaway VM and prints its transcript:
#   KERNEL_VM=RUNNER tests/diff/notify-record.sh > tests/golden/notify-probe.linux-VERSION.txt
# RUNNER is a kernel-vm runner (see tests/scenarios/run-kernel.sh). psitrig,
# memhog and pathtrunc are built statically; inotifywait comes from the host
# (KERNEL_VM_HOST_BINS, with its libraries).
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
KERNEL_VM=${KERNEL_VM:?set KERNEL_VM to a kernel-vm runner}
command -v inotifywait > /dev/null || { echo "inotifywait is missing (inotify-tools)" >&2; exit 99; }

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/notify-vm.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
gcc -static -O2 -Wall -o "$STAGE/psitrig" "$TOP/tests/tools/psitrig.c" || exit 99
gcc -static -O2 -Wall -o "$STAGE/memhog" "$TOP/tests/tools/memhog.c" || exit 99
gcc -static -O2 -Wall -o "$STAGE/pathtrunc" "$TOP/tests/tools/pathtrunc.c" || exit 99
cp "$HERE/notify-probe.sh" "$STAGE/"
cat > "$STAGE/vm-main.sh" <<'VM'
#!/bin/bash
echo "kernel $(uname -r)"
PSITRIG=/job/psitrig MEMHOG=/job/memhog PATHTRUNC=/job/pathtrunc exec bash /job/notify-probe.sh "$1"
VM
export KERNEL_VM_HOST_BINS="${KERNEL_VM_HOST_BINS:+$KERNEL_VM_HOST_BINS }inotifywait"
"$KERNEL_VM" "$STAGE/vm-main.sh" "$STAGE/psitrig" "$STAGE/memhog" "$STAGE/pathtrunc" "$STAGE/notify-probe.sh"
