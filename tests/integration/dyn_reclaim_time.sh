#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Dynamics scenarios 1 and 2, against the kernel's transcripts
# (tests/golden/dynamics/reclaim-time.*): a task touches 200M of anon
# under memory.high 50M, then under memory.max 50M, with swap, without THP
# and with it. Its reclaim takes time: the task is stalled, memory.pressure
# shows it (some and full alike: it is the only task), and it finishes no
# sooner than its stalls allow. Reclaim puts pages used since they were
# last scanned back once and meets a page written to swap once more before
# freeing it, so it scans about three times what it takes. memory.reclaim
# of anon takes pages the same way and, done by a writer outside the
# cgroup, stalls no task of it. Simulated clock: no figure depends on the
# machine's speed.
#
# memcgfs models the classic active/inactive LRU: its figures are held to
# the transcript of 6.12 with MGLRU off (reclaim-time.classic-lru.*);
# memory.events, where the two LRUs differ, to the span of both kernels.
# tests/golden/dynamics/NOTES.md has the MGLRU kernel's figures beside.
#
#   root
#   |-- high   memory.high 50M: a task touching 200M, no THP
#   |-- max    memory.max 50M: a task touching 200M, no THP
#   |-- high_thp, max_thp   the same with THP
#   `-- rc     a task holding 100M; 40M > memory.reclaim
. "${srcdir:-.}/tests/lib.sh"
trap cleanup EXIT

GOLDEN=$srcdir/tests/golden/dynamics/reclaim-time.classic-lru.linux-6.12.117+deb13-amd64.txt
MGLRU=$srcdir/tests/golden/dynamics/reclaim-time.linux-6.12.117+deb13-amd64.txt
[ -r "$GOLDEN" ] && [ -r "$MGLRU" ] || { echo "ERROR: $GOLDEN or $MGLRU missing" >&2; exit 99; }

# kernel CASE KEY [FILE]: KEY of the last sample of CASE in the transcript
kernel() {
	awk -v c="cg=$1" -v k="$2" '$2 == c { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) v = kv[2] } } END { print v }' "${3:-$GOLDEN}"
}
kernel_seconds() {	# how long the kernel's task took, in ms
	awk -v c="### $1:" 'index($0, c) == 1 { on = 1 } on && /^touched/ { printf "%d", $5 * 1000; exit }' "$GOLDEN"
}
stat_of() {	# stat_of CGROUP KEY
	awk -v k="$2" '$1 == k { print $2 }' "$MNT/$1/memory.stat"
}
psi_total() {	# psi_total CGROUP some|full: us
	awk -v s="$2" '$1 == s { sub("total=", "", $5); print $5 }' "$MNT/$1/memory.pressure"
}
# within NAME ACTUAL EXPECTED PERCENT
within() {
	local d=$(( $2 > $3 ? $2 - $3 : $3 - $2 ))
	[ $(( d * 100 )) -le $(( $3 * $4 )) ] || fail "$1: $2, the kernel's $3 (${4}%)"
}
# scan_ratio NAME CGROUP CASE: pgscan/pgsteal within 15% of the kernel's
scan_ratio() {
	local scan steal kscan ksteal
	scan=$(stat_of "$2" pgscan) steal=$(stat_of "$2" pgsteal)
	kscan=$(kernel "$3" pgscan) ksteal=$(kernel "$3" pgsteal)
	within "$1: pgscan per 100 pgsteal" $(( scan * 100 / steal )) $(( kscan * 100 / ksteal )) 15
}
# events NAME CGROUP CASE EVENT: within 15% of the span of both kernels
events() {
	local n a b lo hi
	n=$(awk -v k="$4" '$1 == k { print $2 }' "$MNT/$2/memory.events")
	a=$(kernel "$3" "ev_$4") b=$(kernel "$3" "ev_$4" "$MGLRU")
	lo=$(( a < b ? a : b )) hi=$(( a > b ? a : b ))
	[ $(( n * 100 )) -ge $(( lo * 85 )) ] && [ $(( n * 100 )) -le $(( hi * 115 )) ] ||
		fail "$1: memory.events $4 $n, the kernels' $a (classic LRU) and $b (MGLRU)"
}

mount_memcgfs --clock=manual --ram=1G --swap=512M
for c in high max; do
	kcase=${c}_nothp
	mkdir "$MNT/$c"
	echo 50M > "$MNT/$c/memory.$c"
	pid=$(ctl spawn "$c" --anon 200M --thp never)
	# the task is done once its 200M are resident or in swap
	done_ms=
	for ms in $(seq 100 100 6000); do
		ctl step 100ms > /dev/null
		if [ $(( $(stat_of $c anon) + $(cat "$MNT/$c/memory.swap.current") )) -ge $((200 << 20)) ]; then
			done_ms=$ms
			break
		fi
	done
	some=$(psi_total $c some)
	ksome=$(kernel $kcase some_total)
	[ -n "$done_ms" ] || fail "$c: the task did not finish in 6 s"
	# stalled all the while, done within one step of its stalls; the
	# kernel's task also spent time of its own faulting
	[ "${done_ms:-0}" -ge $(( some / 1000 )) ] && [ "${done_ms:-0}" -le $(( some / 1000 + 100 )) ] ||
		fail "$c: done at ${done_ms} ms with ${some} us stalled"
	[ "${done_ms:-0}" -le "$(kernel_seconds $kcase)" ] ||
		fail "$c: done at ${done_ms} ms, the kernel's task at $(kernel_seconds $kcase) ms"
	within "$c: memory.pressure some total (us)" "$some" "$ksome" 30
	expect "$c: full = some (the only task)" "$some" "$(psi_total $c full)"
	expect "$c: the kernel's full = some" "$ksome" "$(kernel $kcase full_total)"
	# 2: scan > steal
	within "$c: pgsteal" "$(stat_of $c pgsteal)" "$(kernel $kcase pgsteal)" 5
	scan_ratio "$c" "$c" "$kcase"
	events "$c" "$c" "$kcase" "$c"
	ctl kill "$pid" > /dev/null	# its swap, for the next (as the kernel's task exited)
done

# The same with transparent huge pages (--thp=always, the default): under
# memory.high every fault gets one; under memory.max only those that fit
# below the limit, the others fall back to small pages without reclaim.
for c in high max; do
	kcase=${c}_thp
	mkdir "$MNT/${c}_thp"
	echo 50M > "$MNT/${c}_thp/memory.$c"
	pid=$(ctl spawn "${c}_thp" --anon 200M)
	ctl step 6s > /dev/null
	expect "${c}_thp: thp_fault_alloc" "$(kernel $kcase thp_fault_alloc)" "$(stat_of ${c}_thp thp_fault_alloc)"
	expect "${c}_thp: the MGLRU kernel's thp_fault_alloc" "$(kernel $kcase thp_fault_alloc)" \
		"$(kernel $kcase thp_fault_alloc "$MGLRU")"
	within "${c}_thp: pgsteal" "$(stat_of ${c}_thp pgsteal)" "$(kernel $kcase pgsteal)" 5
	within "${c}_thp: memory.pressure some total (us)" "$(psi_total ${c}_thp some)" \
		"$(kernel $kcase some_total)" 30
	scan_ratio "${c}_thp" "${c}_thp" "$kcase"
	events "${c}_thp" "${c}_thp" "$kcase" "$c"
	ctl kill "$pid" > /dev/null
done

# memory.reclaim 40M of a task's 100M (the kernel: ok, 40.2M gone, no stall)
mkdir "$MNT/rc"
ctl spawn rc --anon 100M --wait > /dev/null || fail "rc: 100M not charged"
before=$(cat "$MNT/rc/memory.current")
expect "rc: 40M > memory.reclaim" ok "$(write_result "$MNT/rc/memory.reclaim" 40M)"
after=$(cat "$MNT/rc/memory.current")
kbefore=$(awk '/cg=rc / { sub("current=", "", $3); print $3; exit }' "$GOLDEN")
kafter=$(kernel rc current)
within "rc: memory.current reclaimed" $(( before - after )) $(( kbefore - kafter )) 5
expect "rc: memory.pressure some, the kernel's $(kernel rc some_total)" 0 "$(psi_total rc some)"
scan=$(stat_of rc pgscan) steal=$(stat_of rc pgsteal)
[ "$scan" -gt "$steal" ] || fail "rc: pgscan $scan not above pgsteal $steal (the kernel: $(kernel rc pgscan) for $(kernel rc pgsteal))"
unmount_memcgfs

# On a real clock the write takes the time its reclaim took (the kernel's:
# 0.22 s with MGLRU, 0.39 s classic): no sooner than 19 us a page scanned.
mount_memcgfs --ram=1G --swap=512M
mkdir "$MNT/rc"
ctl spawn rc --anon 100M --thp never --wait > /dev/null || fail "rc, real clock: 100M not charged"
t0=$EPOCHREALTIME
expect "rc, real clock: 40M > memory.reclaim" ok "$(write_result "$MNT/rc/memory.reclaim" 40M)"
t1=$EPOCHREALTIME
took_us=$(( (${t1/./} - ${t0/./}) ))
scan=$(stat_of rc pgscan_proactive)
[ "$scan" -gt 10240 ] || fail "rc, real clock: pgscan_proactive $scan for 40M"
[ "$took_us" -ge $(( scan * 19 )) ] ||
	fail "rc, real clock: the write took $took_us us for $scan pages scanned"
unmount_memcgfs
finish
