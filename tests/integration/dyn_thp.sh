#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Dynamics scenario 5, against the kernel's transcript
# (tests/golden/dynamics/thp.*): a task touches 200M of anon under
# memory.high 50M with swap.max 0, for 90 s, with transparent huge pages
# (--thp=always, Debian's setting and memcgfs's default) and without
# (the task's prctl(PR_SET_THP_DISABLE): spawn --thp never). Nothing can
# be reclaimed: the task grows only as fast as the memory.high penalty
# lets it, and that penalty, capped at 2 s a return to user space, is
# paid per fault: a 2M fault grows eight times as far as 64 small ones.
# Sampled every 5 s of simulated time, and compared with the kernel's
# samples interpolated to the same time.
#
#   root
#   |-- h_always   memory.high 50M, swap.max 0, 200M of anon with THP
#   `-- h_never    the same without
. "${srcdir:-.}/tests/lib.sh"
trap cleanup EXIT

GOLDEN=$srcdir/tests/golden/dynamics/thp.linux-6.12.117+deb13-amd64.txt
[ -r "$GOLDEN" ] || { echo "ERROR: $GOLDEN missing" >&2; exit 99; }

# kernel CGROUP KEY SECONDS: KEY of CGROUP at SECONDS, linear between samples
kernel() {
	awk -v c="cg=$1" -v k="$2" -v t="$3" '
		$2 != c { next }
		{
			sub("t=", "", $1)
			for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) v = kv[2] }
			if ($1 >= t && seen) { printf "%d\n", pv + (v - pv) * (t - pt) / ($1 - pt); done = 1; exit }
			pt = $1; pv = v; seen = 1
		}
		END { if (!done) print "none" }' "$GOLDEN"
}
stat_of() {	# stat_of CGROUP KEY
	awk -v k="$2" '$1 == k { print $2 }' "$MNT/$1/memory.stat"
}
within() {	# within NAME ACTUAL EXPECTED PERCENT [OR_ABSOLUTE]
	local d=$(( $2 > $3 ? $2 - $3 : $3 - $2 ))
	[ $(( d * 100 )) -le $(( $3 * $4 )) ] || [ "$d" -le "${5:-0}" ] ||
		fail "$1: $2, the kernel's $3 (${4}%${5:+ or $5})"
}
# Events come 17 to a penalty (16 reclaim retries and the sleep's), huge
# pages one: between the kernel's samples, a penalty's worth either way.
# The kernel's task also spends time of its own, so it falls behind by up
# to 8% in events on the way (10% with huge pages), and without them is
# within 2% at 60 s (issue 15).

# the option's bad values, refused with what to choose
out=$("$MEMCGFS" --thp=sometimes /nonexistent 2>&1)
expect "--thp=sometimes: exit status" 1 "$?"
expect "--thp=sometimes: message" "memcgfs: --thp=sometimes: choose always, madvise or never" "$out"

mount_memcgfs --clock=manual --ram=1G --swap=512M
out=$(ctl spawn / --anon 4M --thp sometimes 2>&1)
expect "spawn --thp sometimes: exit status" 1 "$?"
expect "spawn --thp sometimes: message" "memcgctl: thp sometimes: choose madvise or never" "$out"
for thp in always never; do
	c=h_$thp
	mkdir "$MNT/$c"
	echo 50M > "$MNT/$c/memory.high"
	echo 0 > "$MNT/$c/memory.swap.max"
	if [ $thp = never ]; then
		ctl spawn $c --anon 200M --thp never > /dev/null
	else
		ctl spawn $c --anon 200M > /dev/null
	fi
	for t in $(seq 5 5 90); do
		ctl step 5s > /dev/null
		[ $t -ge 10 ] || continue	# the kernel's first sample is after 5 s
		current=$(cat "$MNT/$c/memory.current") kcurrent=$(kernel $c current $t)
		high=$(awk '$1 == "high" { print $2 }' "$MNT/$c/memory.events") khigh=$(kernel $c ev_high $t)
		if [ $thp = never ]; then
			# the two agree within 0.5M at every sample, 2% on events
			d=$(( current > kcurrent ? current - kcurrent : kcurrent - current ))
			[ $d -le $(( 512 << 10 )) ] || fail "$c at $t s: memory.current $current, the kernel's $kcurrent (0.5M)"
			within "$c at $t s: memory.events high" "$high" "$khigh" 8 17
			[ $t = 60 ] && within "$c at 60 s: memory.events high" "$high" "$khigh" 2 17
			expect "$c at $t s: anon_thp" 0 "$(stat_of $c anon_thp)"
		else
			within "$c at $t s: memory.current" "$current" "$kcurrent" 5
			within "$c at $t s: memory.events high" "$high" "$khigh" 10 17
			within "$c at $t s: thp_fault_alloc" "$(stat_of $c thp_fault_alloc)" "$(kernel $c thp_fault_alloc $t)" 5 2
			expect "$c at $t s: anon_thp, all the anon" "$(stat_of $c anon)" "$(stat_of $c anon_thp)"
		fi
	done
	# stalled all the while, as the kernel's task
	within "$c: memory.pressure some total" \
		"$(awk '$1 == "some" { sub("total=", "", $5); print $5 }' "$MNT/$c/memory.pressure")" \
		"$(kernel $c some_total 90)" 5
done
# with huge pages the task grew twice as far as without, as on the kernel
[ $(( $(cat "$MNT/h_always/memory.current") - (50 << 20) )) -gt $(( 4 * ($(cat "$MNT/h_never/memory.current") - (50 << 20)) )) ] ||
	fail "h_always grew $(cat "$MNT/h_always/memory.current"), not much more than h_never's $(cat "$MNT/h_never/memory.current")"
unmount_memcgfs
finish
