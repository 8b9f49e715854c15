#!/bin/bash
# realproc-record.sh [OUTDIR]: run tests/diff/realproc-probe.sh on a real kernel (kernel-vm) and save its
# transcript as OUTDIR/realproc-probe.linux-<guest uname -r>.txt (OUTDIR defaults to tests/golden).
# KERNEL_VM_RUN names the kernel-vm runner (required; see tests/diff/v2-record.sh). memhold is built
# static, since the guest has no C library of its own.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${srcdir:-$here/../..}
out=${1:-$src/tests/golden}
run=${KERNEL_VM_RUN:?set KERNEL_VM_RUN to a kernel-vm runner (see tests/diff/v2-record.sh)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/realproc-record.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

gcc -static -O2 -Wall -o "$tmp/memhold" "$src/tests/tools/memhold.c"
cp "$here/realproc-probe.sh" "$tmp/realproc-probe.sh"
cat > "$tmp/realproc-vm.sh" <<'EOS'
#!/bin/bash
echo "uname $(uname -r)"
bash /job/realproc-probe.sh "$1" /job/memhold 2>/dev/null
EOS
rc=0
"$run" "$tmp/realproc-vm.sh" "$tmp/memhold" "$tmp/realproc-probe.sh" > "$tmp/out" || rc=$?
[ $rc = 0 ] || { cat "$tmp/out"; echo "realproc-record: kernel-vm/run exited $rc" >&2; exit 1; }
ver=$(sed -n '1s/^uname //p' "$tmp/out")
[ -n "$ver" ] || { echo "realproc-record: no kernel version in the output" >&2; exit 1; }
mkdir -p "$out"
sed 1d "$tmp/out" > "$out/realproc-probe.linux-$ver.txt"
echo "realproc-record: $out/realproc-probe.linux-$ver.txt"
