#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's "Using it" commands work as written after the step they
# name (make install, which puts memcgfs and memcgctl on root's PATH: here
# the programs of this build are put first on PATH instead), with the
# mount point /run/cgroup-sim replaced by a fresh directory. They show a
# task OOM-killed (137) and memory.events counting it. The quick start's
# two commands are the ones the README names.
. "${srcdir:-.}/tests/lib.sh"
require_fuse

readme=$srcdir/README
# the quick start: exactly two commands, in this order
expect "the quick start" "examples/quickstart.sh tests/run-all.sh" \
	"$(sed -n '/^Quick start$/,/^Using it$/s/^    \([^ ].*\)$/\1/p' "$readme" | paste -sd' ')"
for c in examples/quickstart.sh tests/run-all.sh; do
	[ -x "$srcdir/$c" ] || fail "$c is not executable"
done
grep -q '^    make -C build/plain install$' "$readme" || fail "the README no longer names make install"

# the indented block after "Then, as root:"
block=$(sed -n '/^Then, as root:$/,/^[^ ]/{/^    /s/^    //p}' "$readme")
[ -n "$block" ] || { echo "ERROR: no \"Using it\" block in README" >&2; exit 99; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/memcgfs-readme.XXXXXX")
MNT=$dir/cgroup-sim	# lib.sh's cleanup unmounts it if the block fails half way
bin=$dir/bin
mkdir "$bin"
ln -s "$MEMCGFS" "$bin/memcgfs"
ln -s "$MEMCGCTL" "$bin/memcgctl"
out=$(cd "$dir" && PATH=$bin:$PATH bash <<< "${block//\/run\/cgroup-sim/$MNT}" 2>&1)
rc=$?
printf '%s\n' "$out"
expect "the block's exit status" 0 "$rc"
expect "spawn --wait's status" 137 "$(sed -n '2p' <<< "$out")"
grep -qx 'oom_kill 1' <<< "$out" || fail "memory.events does not count the kill"
if is_mounted "$MNT"; then
	fail "the block left $MNT mounted"
	fusermount3 -u -z "$MNT"
fi
rmdir "$MNT" 2>/dev/null
MNT=
rm -f "$bin/memcgfs" "$bin/memcgctl"
rmdir "$bin" "$dir"
finish
