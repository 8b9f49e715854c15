#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Dynamics scenario 4, against the kernel's transcript
# (tests/golden/dynamics/failed-reclaim.*): 100M of anon that cannot go to
# swap, and `echo 40M > memory.reclaim`. There is nothing to reclaim: the
# write fails with EAGAIN, and, as memory_reclaim() never drains the charge
# stock, memory.current does not move, however often it is tried.
#
#   root
#   `-- f   swap.max 0, one task holding 100M of anon
. "${srcdir:-.}/tests/lib.sh"
trap cleanup EXIT

GOLDEN=$srcdir/tests/golden/dynamics/failed-reclaim.linux-6.12.117+deb13-amd64.txt
[ -r "$GOLDEN" ] || { echo "ERROR: $GOLDEN missing" >&2; exit 99; }
kernel_errors=$(grep -c '^write 40M: Resource temporarily unavailable' "$GOLDEN")
kernel_moves=$(awk '/^memory.current before/ && $3 != $5' "$GOLDEN" | wc -l)
kernel_current=$(awk '/^memory.current before/ { print $3; exit }' "$GOLDEN")
expect "the kernel: every write EAGAIN" 3 "$kernel_errors"
expect "the kernel: memory.current never moved" 0 "$kernel_moves"

mount_memcgfs --clock=manual --ram=1G --swap=512M
mkdir "$MNT/f"
echo 0 > "$MNT/f/memory.swap.max"
ctl spawn f --anon 100M --wait > /dev/null || fail "100M of anon was not charged"
for i in 1 2 3; do
	before=$(cat "$MNT/f/memory.current")
	expect "memory.reclaim 40M, try $i" "Resource temporarily unavailable" \
		"$(write_result "$MNT/f/memory.reclaim" 40M)"
	expect "memory.current after try $i" "$before" "$(cat "$MNT/f/memory.current")"
done
# 100M and what comes with it: the kernel's 1.25M of page tables and
# kernel memory, memcgfs's kernel stack and stock; within 2% of each other
current=$(cat "$MNT/f/memory.current")
[ $(( current * 100 )) -ge $(( kernel_current * 98 )) ] && [ $(( current * 100 )) -le $(( kernel_current * 102 )) ] ||
	fail "memory.current $current, the kernel's $kernel_current (2%)"
unmount_memcgfs
finish
