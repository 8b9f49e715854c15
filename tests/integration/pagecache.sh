#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# --page-cache is never stale: a read right after a write, a charge or a
# simulated step returns the new value, thousands of times, and so does a
# read while a workload charges on the real clock. The reference is the
# same file opened read-write (0<>), which memcgfs always serves with
# direct_io, rendered afresh.
#
#   /            --page-cache
#   `- a         memory.max written, tasks charged, the clock stepped
#   `- leak      (real clock) a task leaking 64M a second
. "${srcdir:-.}/tests/lib.sh"

fresh() {	# the value rendered now, past the page cache
	local v
	read -r v 0<> "$1"
	echo "$v"
}
cached() {
	local v
	read -r v < "$1"
	echo "$v"
}

mount_memcgfs --page-cache --clock=manual
mkdir "$MNT/a"
f=$MNT/a/memory.max
expect "st_size is the content's length" 4 "$(stat -c %s "$f")"
expect "first read" max "$(cached "$f")"
bad=0
for i in $(seq 2000); do
	v=$(( (i % 97 + 1) * 4096 * 1024 ))
	echo "$v" > "$f"
	got=$(cached "$f")
	[ "$got" = "$v" ] || { bad=$((bad + 1)); [ $bad -le 3 ] && fail "write $i: wrote $v, read $got"; }
	[ $((i % 500)) = 0 ] && expect "st_size after write $i" $(( ${#v} + 1 )) "$(stat -c %s "$f")"
done
expect "stale reads after a write" 0 "$bad"
echo max > "$f"
expect "back to max" max "$(cached "$f")"

# a charge, a free and a step, each followed by a read of what they change
cached "$MNT/a/memory.current" > /dev/null
cached "$MNT/a/memory.stat" > /dev/null
pid=$(ctl spawn a --anon 1M --wait)
bad=0
for i in $(seq 300); do
	ctl alloc "$pid" --anon $((i % 7 + 1))M --wait > /dev/null
	[ "$(cached "$MNT/a/memory.current")" = "$(fresh "$MNT/a/memory.current")" ] || bad=$((bad + 1))
	ctl free "$pid" --anon $((i % 5 + 1))M > /dev/null
	[ "$(cached "$MNT/a/memory.current")" = "$(fresh "$MNT/a/memory.current")" ] || bad=$((bad + 1))
	[ "$(grep '^anon ' "$MNT/a/memory.stat")" = "$(grep '^anon ' 0<> "$MNT/a/memory.stat")" ] ||
		bad=$((bad + 1))
	ctl step 10ms > /dev/null
	[ "$(cached "$MNT/a/memory.current")" = "$(fresh "$MNT/a/memory.current")" ] || bad=$((bad + 1))
done
expect "stale reads after a charge, a free or a step" 0 "$bad"
expect "the last anon charge is seen" "$(fresh "$MNT/a/memory.current")" "$(cached "$MNT/a/memory.current")"

# an fd kept open and read again from offset 0 sees each new value too
coproc REREAD { "$CGIO" reread "$MNT/a/memory.current"; }
reread_pid=$REREAD_PID	# bash unsets REREAD_PID when it ends
bad=0
for i in $(seq 200); do
	ctl alloc "$pid" --anon 1M --wait > /dev/null
	[ $((i % 3)) = 0 ] && ctl free "$pid" --anon 2M > /dev/null
	echo >&"${REREAD[1]}"
	read -r got <&"${REREAD[0]}"
	want="\"$(fresh "$MNT/a/memory.current")\\n\""
	[ "$got" = "$want" ] || { bad=$((bad + 1)); [ $bad -le 3 ] && fail "kept-open fd, round $i: $got, not $want"; }
done
expect "stale reads on a kept-open fd" 0 "$bad"
exec {REREAD[1]}>&-
wait "$reread_pid"
ctl kill "$pid" > /dev/null
unmount_memcgfs

# on the real clock, a leaking task: memory.current only grows, so a read
# through the page cache after a fresh one may never be smaller
mount_memcgfs --page-cache --ram=64G
mkdir "$MNT/leak"
f=$MNT/leak/memory.current
ctl spawn leak --workload leak --anon 1M --rate 64M > /dev/null
wait_for 20 eval '[ "$(fresh "$f")" -gt 2097152 ]' || fail "the leak did not start"
bad=0 changes=0 last=0
for i in $(seq 3000); do
	before=$(fresh "$f")
	after=$(cached "$f")
	if [ "$after" -lt "$before" ]; then
		bad=$((bad + 1))
		[ $bad -le 3 ] && fail "read $i: $after through the page cache after $before fresh"
	fi
	[ "$after" != "$last" ] && changes=$((changes + 1))
	last=$after
done
expect "stale reads under a running workload" 0 "$bad"
[ "$changes" -gt 10 ] || fail "the value changed only $changes times: the test proved little"
unmount_memcgfs
finish
