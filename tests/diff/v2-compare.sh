#!/bin/bash
# v2-compare.sh ROOT [CGIO]: run tests/diff/v2-probe.sh against ROOT (a mounted memcgfs v2 tree, as root)
# and diff its transcript against the Linux 6.18 expectation: the recorded 6.12 transcript edited by
# tests/golden/v2-probe.to-6.18.sed.  Prints the diff (expected vs emulator); exit 0 when equal, 1 on
# any difference, 2 on a usage or setup error.  The emulator's output is compared as it is.
# The source tree is $srcdir (automake) if set, else the tree this script lives in.
# CGIO defaults to $builddir/tests/tools/cgio, then the source tree's tests/tools/cgio.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${srcdir:-$here/../..}
root=${1:?usage: v2-compare.sh ROOT [CGIO]}
cgio=${2:-}
if [ -z "$cgio" ]; then
  for c in "${builddir:-.}/tests/tools/cgio" "$src/tests/tools/cgio"; do [ -x "$c" ] && { cgio=$c; break; }; done
fi
[ -n "$cgio" ] && [ -x "$cgio" ] || { echo "v2-compare: no cgio binary (build tests/tools/cgio.c, or pass its path)" >&2; exit 2; }
[ -d "$root" ] || { echo "v2-compare: $root is not a directory" >&2; exit 2; }

golden=$(ls "$src"/tests/golden/v2-probe.linux-6.12*.txt 2>/dev/null | head -n1)
sedf=$src/tests/golden/v2-probe.to-6.18.sed
[ -f "$golden" ] && [ -f "$sedf" ] || { echo "v2-compare: missing $src/tests/golden/v2-probe.linux-6.12*.txt or $sedf" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/v2-compare.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
sed -f "$sedf" "$golden" > "$tmp/expected" || exit 2
# a prober without CAP_SYS_RESOURCE gets the kernel's answers without it
eff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
if ! (( (0x${eff:-0} >> 24) & 1 )); then
  sed -i -f "$src/tests/golden/v2-probe.no-sys-resource.sed" "$tmp/expected" || exit 2
fi
bash "$here/v2-probe.sh" "$root" "$cgio" > "$tmp/actual" 2>&1
if diff -u --label "expected (Linux 6.18)" --label "memcgfs ($root)" "$tmp/expected" "$tmp/actual"; then
  echo "v2-compare: memcgfs matches Linux 6.18 ($(wc -l < "$tmp/expected") lines)"
  exit 0
fi
exit 1
