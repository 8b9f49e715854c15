#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_reclaim: memory.reclaim takes back what it is asked for, from
# page cache and, when there is swap, from anon too.
#
#   ROOT
#   └── memcg_test      50M page-cache holder (+ 50M anon holder with swap)
#                       memory.reclaim until memory.current ~ 30M
. "$(dirname "$0")/lib.sh"

prepare_root
cg=$ROOT/memcg_test
cg_create "$cg"

current=$(cg_read_long "$cg/memory.current")
check "a new memcg has current 0 (not $current)" [ "$current" = 0 ]

task_start "$cg" --file 50M || fail "the page-cache holder did not start"
if swap_enabled; then
	task_start "$cg" --anon 50M || fail "the anon holder did not start"
	expected=$(mb 100)
else
	expected=$(mb 50)
fi

# up to 5 s for the holders to get there
retries=5
until values_close "$(cg_read_long "$cg/memory.current")" "$expected" 10; do
	if [ $((retries--)) -le 0 ]; then
		fail "current never came within 10% of $((expected >> 20))M"
		break
	fi
	sleep 1
done
note "before=$(fmt_mb "$(cg_read_long "$cg/memory.current")") expected=$((expected >> 20))M"

reclaim_until "$cg" "$(mb 30)"
rc=$?
note "after=$(fmt_mb "$RECLAIM_CURRENT") anon=$(fmt_mb "$(cg_read_key "$cg/memory.stat" "anon ")")" \
	"file=$(fmt_mb "$(cg_read_key "$cg/memory.stat" "file ")")"
check "reclaim_until(30M)" [ $rc = 0 ]
finish
