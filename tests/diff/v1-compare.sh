#!/bin/bash
# v1-compare.sh EMULATOR_ROOT CGIO EVCTL: run tests/diff/v1-probe.sh live on the machine's real cgroup v1
# memory controller (/sys/fs/cgroup/memory) and on EMULATOR_ROOT (a `memcgfs --mode=v1` mount), and diff
# the two transcripts (diff -u, real kernel first).  Exit 0 when equal, 1 on any difference, 2 on a
# usage or setup error, 77 (automake's SKIP) when the machine has no cgroup v1 memory controller at
# /sys/fs/cgroup/memory or the script is not run as root.
#
# CGIO is the tests/tools/cgio binary, EVCTL the tests/diff/v1-evctl binary; for an empty string (or a
# missing EVCTL) the probe compiles tests/tools/cgio.c or tests/diff/v1-evctl.c itself (needs gcc).
# Use binaries of your own (not a shared /tmp/cgio that someone else may rebuild mid-run).
#
# Documented differences: tests/diff/v1-known-differences.sed is applied (sed -f) to BOTH transcripts
# before the diff, so a difference that is understood and accepted can be erased there, with a comment
# saying why.  The recorded tests/golden/v1-probe.linux-*.txt is reference data only: this test always
# compares against the live kernel.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REAL=/sys/fs/cgroup/memory
emu=${1:?usage: v1-compare.sh EMULATOR_ROOT CGIO EVCTL}
cgio=${2:-}
evctl=${3:-}
known=$here/v1-known-differences.sed

if ! awk -v m="$REAL" '$2 == m && $3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { found = 1 } END { exit !found }' /proc/self/mounts; then
  echo "SKIP: no cgroup v1 memory controller at $REAL"
  exit 77
fi
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: v1-compare needs root (it creates scratch cgroups under $REAL)"
  exit 77
fi
[ -z "$cgio" ] || [ -x "$cgio" ] || { echo "v1-compare: $cgio is not executable" >&2; exit 2; }
[ -d "$emu" ] || { echo "v1-compare: $emu is not a directory" >&2; exit 2; }
[ -f "$known" ] || { echo "v1-compare: missing $known" >&2; exit 2; }
[ -n "$evctl" ] && [ ! -x "$evctl" ] && evctl=

tmp=$(mktemp -d "${TMPDIR:-/tmp}/v1-compare.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
bash "$here/v1-probe.sh" "$REAL" "$cgio" "$evctl" > "$tmp/real.raw" 2>&1
bash "$here/v1-probe.sh" "$emu" "$cgio" "$evctl" > "$tmp/emu.raw" 2>&1
sed -f "$known" "$tmp/real.raw" > "$tmp/real" || exit 2
sed -f "$known" "$tmp/emu.raw" > "$tmp/emu" || exit 2
if diff -u --label "Linux $(uname -r) ($REAL)" --label "memcgfs ($emu)" "$tmp/real" "$tmp/emu"; then
  echo "v1-compare: memcgfs matches Linux $(uname -r) ($(wc -l < "$tmp/real") lines)"
  exit 0
fi
exit 1
