# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_protection, shared by min.sh (memory.min) and low.sh
# (memory.low): sourced after lib.sh, run as `protection_test min|low`.
#
#   ROOT
#   └── memcg_test_0                A: memory.max 200M, swap.max 0, +memory
#       ├── memcg_test_1            B: +memory, PROT 50M
#       │   ├── child_memcg_0       C: PROT 75M    holds 50M page cache
#       │   ├── child_memcg_1       D: PROT 25M    holds 50M page cache
#       │   ├── child_memcg_2       E: PROT 0      holds 50M page cache
#       │   └── child_memcg_3       F: PROT 500M   empty
#       └── memcg_test_2            G: 148M anon, then 170M anon
#
# PROT is memory.min or memory.low. With 150M of page cache in B, G's 148M
# must squeeze B down to its 50M of protection, split between C and D in
# proportion to their protected usage (C ~29M, D ~21M, E and F nothing: see
# the kernel's memcg_protection.m). Then 170M does not fit beside B's 50M:
# memory.min refuses (G is OOM-killed), memory.low yields (B drops to ~30M,
# with low events in C and D). memory.reclaim on C ignores C's own
# protection. The page cache stays charged while its holders live.
# Each holder reads its own 50M file; the selftest grows one shared file by
# 50M per child, which charges each child the same 50M of new pages.
protection_test() {
	local mode=$1 attr=memory.$1
	local A=$ROOT/memcg_test_0 B=$ROOT/memcg_test_0/memcg_test_1
	local G=$ROOT/memcg_test_0/memcg_test_2
	local child=() c=() prot=(75M 25M 0 500M) i attempts rc b want oom low

	prepare_root
	cg_create "$A"
	if [ "$(cg_read_long "$A/$attr")" != 0 ]; then
		[ "$mode" = min ] && skip "no memory.min"
		fail "$attr of a new memcg is not 0"
		finish
	fi
	cg_write "$A/cgroup.subtree_control" +memory || fail "+memory on A: $CG_WRITE_ERR"
	cg_write "$A/memory.max" 200M || fail "A memory.max: $CG_WRITE_ERR"
	cg_write "$A/memory.swap.max" 0 || fail "A memory.swap.max: $CG_WRITE_ERR"
	cg_create "$B"
	cg_write "$B/cgroup.subtree_control" +memory || fail "+memory on B: $CG_WRITE_ERR"
	cg_create "$G"

	for i in 0 1 2 3; do
		child[i]=$B/child_memcg_$i
		cg_create "${child[i]}"
		[ $i -gt 2 ] && continue
		task_start "${child[i]}" --file 50M || fail "page-cache holder in child $i: status $?"
	done

	cg_write "$B/$attr" 50M || fail "B $attr: $CG_WRITE_ERR"
	for i in 0 1 2 3; do
		cg_write "${child[i]}/$attr" "${prot[i]}" || fail "child $i $attr: $CG_WRITE_ERR"
	done

	# the selftest gives the holders about 6 s to fill B with 150M
	attempts=0
	until values_close "$(cg_read_long "$B/memory.current")" "$(mb 150)" 3; do
		[ $((attempts++)) -gt 5 ] && break
		sleep 1
	done
	note "B-before=$(fmt_mb "$(cg_read_long "$B/memory.current")")"

	task_run "$G" --anon 148M
	rc=$?
	check "G's 148M must fit (status $rc)" [ $rc = 0 ]

	b=$(cg_read_long "$B/memory.current")
	for i in 0 1 2 3; do
		c[i]=$(cg_read_long "${child[i]}/memory.current")
	done
	note "after-148M: B=$(fmt_mb "$b") C=$(fmt_mb "${c[0]}") D=$(fmt_mb "${c[1]}")" \
		"E=$(fmt_mb "${c[2]}") F=${c[3]}"
	check "values_close(B, 50M, 3)" values_close "$b" "$(mb 50)" 3
	check "values_close(C, 29M, 15)" values_close "${c[0]}" "$(mb 29)" 15
	check "values_close(D, 21M, 20)" values_close "${c[1]}" "$(mb 21)" 20
	check "F == 0" [ "${c[3]}" = 0 ]

	task_run "$G" --anon 170M
	rc=$?
	if [ "$mode" = min ]; then
		check "G's 170M must fail under memory.min (status $rc)" [ $rc != 0 ]
		want=$(mb 50)
	else
		check "G's 170M must succeed under memory.low (status $rc)" [ $rc = 0 ]
		want=$(mb 30)
	fi
	b=$(cg_read_long "$B/memory.current")
	note "170M-status=$rc B=$(fmt_mb "$b")"
	check "values_close(B, $((want >> 20))M, 3)" values_close "$b" "$want" 3

	reclaim_until "${child[0]}" "$(mb 10)"
	rc=$?
	note "C-after-reclaim=$(fmt_mb "$RECLAIM_CURRENT")"
	check "reclaim_until(C, 10M)" [ $rc = 0 ]

	if [ "$mode" = low ]; then
		# E may get low protection passed down from B under memory_recursiveprot
		local ignore=-1
		has_mount_opt memory_recursiveprot && ignore=2
		for i in 0 1 2 3; do
			oom=$(cg_read_key "${child[i]}/memory.events" "oom ")
			low=$(cg_read_key "${child[i]}/memory.events" "low ")
			note "child$i:oom=$oom,low=$low"
			check "child $i: oom $oom != 0" [ "$oom" = 0 ]
			[ $i = $ignore ] && continue
			if [ $i -le 1 ]; then
				check "child $i: low events $low <= 0" [ "$low" -gt 0 ]
			else
				check "child $i: low events $low != 0" [ "$low" = 0 ]
			fi
		done
	fi
	finish
}
