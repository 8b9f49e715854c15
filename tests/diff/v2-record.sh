#!/bin/bash
# v2-record.sh [OUTDIR]: run tests/diff/v2-probe.sh on a real kernel (kernel-vm) and save its transcript
# as OUTDIR/v2-probe.linux-<guest uname -r>.txt (OUTDIR defaults to tests/golden).
# The probe runs twice in one VM; the two transcripts must be identical (the probe is deterministic).
# Settings: those of kernel-vm/run (KERNEL_VM_SUITE=sid for the newest Debian kernel, ...);
# KERNEL_VM_RUN names the kernel-vm runner (required): `RUNNER SCRIPT [FILE...]` boots a real kernel
# with cgroup2 at /sys/fs/cgroup in a throwaway VM, copies SCRIPT and FILEs to /job, runs SCRIPT there
# as root with the cgroup root as its argument, and prints what it printed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${srcdir:-$here/../..}
out=${1:-$src/tests/golden}
run=${KERNEL_VM_RUN:?set KERNEL_VM_RUN to a kernel-vm runner (see the top of this script)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/v2-record.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

gcc -static -O2 -Wall -o "$tmp/cgio" "$src/tests/tools/cgio.c"
cp "$here/v2-probe.sh" "$tmp/v2-probe.sh"
# The guest-side driver: the kernel version on a first line of its own (the probe itself must not print
# it, since an emulator's transcript has to match), then the probe twice, separated by a marker line.
cat > "$tmp/v2-vm.sh" <<'EOF'
#!/bin/bash
echo "uname $(uname -r)"
bash /job/v2-probe.sh "$1" /job/cgio
echo "==== second run ===="
bash /job/v2-probe.sh "$1" /job/cgio
EOF
rc=0
"$run" "$tmp/v2-vm.sh" "$tmp/cgio" "$tmp/v2-probe.sh" > "$tmp/out" || rc=$?
[ $rc = 0 ] || { cat "$tmp/out"; echo "v2-record: kernel-vm/run exited $rc" >&2; exit 1; }
ver=$(sed -n '1s/^uname //p' "$tmp/out")
[ -n "$ver" ] || { echo "v2-record: no kernel version in the output" >&2; exit 1; }
sed -n '2,/^==== second run ====$/p' "$tmp/out" | sed '$d' > "$tmp/first"
sed -n '/^==== second run ====$/,$p' "$tmp/out" | sed '1d' > "$tmp/second"
if ! diff -u "$tmp/first" "$tmp/second" >&2; then
  echo "v2-record: the probe is not deterministic on $ver (diff above)" >&2; exit 1
fi
mkdir -p "$out"
cp "$tmp/first" "$out/v2-probe.linux-$ver.txt"
echo "v2-record: $out/v2-probe.linux-$ver.txt ($(wc -l < "$tmp/first") lines, two identical runs)"
