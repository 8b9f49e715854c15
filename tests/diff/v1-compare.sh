#!/bin/bash
# v1-compare.sh EMULATOR_ROOT CGIO EVCTL: run tests/diff/v1-probe.sh on EMULATOR_ROOT (a `memcgfs
# --mode=v1` mount) and diff its transcript (diff -u, the kernel first) against what the kernel printed:
#  - by default, the committed transcript of a real kernel, tests/golden/v1-probe.linux-*.txt;
#  - with MEMCGFS_LIVE_V1=1, the machine's own v1 memory controller, live (/sys/fs/cgroup/memory; the
#    probe makes scratch cgroups there and removes them). The CI (.ci/run) asks for it.
# Exit 0 when equal, 1 on any difference, 2 on a usage or setup error (MEMCGFS_LIVE_V1=1 on a machine
# without a v1 memory controller is one: asked for, it cannot be skipped).
#
# Run as root, as the kernel's transcript was recorded: root passes the mode bits that the probe's
# wrong-direction writes go past, and the probe changes its uid for three lines. Not as root: exit 2.
#
# CGIO is the tests/tools/cgio binary, EVCTL the tests/diff/v1-evctl binary; for an empty string (or a
# missing EVCTL) the probe compiles tests/tools/cgio.c or tests/diff/v1-evctl.c itself (needs gcc).
# Use binaries of your own (not a shared /tmp/cgio that someone else may rebuild mid-run).
#
# Documented differences: tests/diff/v1-known-differences.sed is applied (sed -f) to BOTH transcripts
# before the diff, so a difference that is understood and accepted can be erased there, with a comment
# saying why. To record a new transcript: bash tests/diff/v1-probe.sh /sys/fs/cgroup/memory CGIO EVCTL
# as root on a machine with the v1 controller, twice (the two must be identical); see
# tests/golden/v1-probe.NOTES.md.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REAL=/sys/fs/cgroup/memory
emu=${1:?usage: v1-compare.sh EMULATOR_ROOT CGIO EVCTL}
cgio=${2:-}
evctl=${3:-}
known=$here/v1-known-differences.sed
golden=$(ls "$here"/../golden/v1-probe.linux-*.txt 2>/dev/null | head -n1)

[ -z "$cgio" ] || [ -x "$cgio" ] || { echo "v1-compare: $cgio is not executable" >&2; exit 2; }
[ -d "$emu" ] || { echo "v1-compare: $emu is not a directory" >&2; exit 2; }
[ -f "$known" ] || { echo "v1-compare: missing $known" >&2; exit 2; }
[ -n "$evctl" ] && [ ! -x "$evctl" ] && evctl=

tmp=$(mktemp -d "${TMPDIR:-/tmp}/v1-compare.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

[ "$(id -u)" = 0 ] || { echo "v1-compare: run as root, as the kernel's transcript was recorded" >&2; exit 2; }

if [ "${MEMCGFS_LIVE_V1:-0}" = 1 ]; then
  if ! awk -v m="$REAL" '$2 == m && $3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { found = 1 } END { exit !found }' /proc/self/mounts; then
    echo "v1-compare: MEMCGFS_LIVE_V1=1, but there is no cgroup v1 memory controller at $REAL" >&2
    exit 2
  fi
  bash "$here/v1-probe.sh" "$REAL" "$cgio" "$evctl" > "$tmp/real.raw" 2>&1
  label="Linux $(uname -r) ($REAL, live)"
else
  [ -f "$golden" ] || { echo "v1-compare: no tests/golden/v1-probe.linux-*.txt" >&2; exit 2; }
  cp "$golden" "$tmp/real.raw"
  label="Linux ${golden##*/v1-probe.linux-} (tests/golden)"
  label=${label/.txt (/ (}
fi
bash "$here/v1-probe.sh" "$emu" "$cgio" "$evctl" > "$tmp/emu.raw" 2>&1
sed -f "$known" "$tmp/real.raw" > "$tmp/real" || exit 2
sed -f "$known" "$tmp/emu.raw" > "$tmp/emu" || exit 2
if diff -u --label "$label" --label "memcgfs ($emu)" "$tmp/real" "$tmp/emu"; then
  echo "v1-compare: memcgfs matches $label ($(wc -l < "$tmp/real") lines)"
  exit 0
fi
exit 1
