#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every file of the v2 tables through a mount: which exist where, with what
# mode, their initial values, writes that parse and writes that fail, and the
# directory operations of cgroupfs.
#
#   /                root: no per-cgroup limits
#   └── a            every memory file
#       └── b        grandchild, for the hierarchy rules
. "${srcdir:-.}/tests/lib.sh"

mount_memcgfs
mkdir "$MNT/a" "$MNT/a/b"

listing() {
	(cd "$1" && stat -c '%a %n' -- * | sort -k2 | tr '\n' ' ')
}

expect "root files" "$(tr '\n' ' ' <<'LIST'
755 a
444 cgroup.controllers
644 cgroup.max.depth
644 cgroup.max.descendants
644 cgroup.pressure
644 cgroup.procs
444 cgroup.stat
644 cgroup.subtree_control
644 cgroup.threads
644 cpu.pressure
444 cpu.stat
444 cpu.stat.local
644 io.pressure
444 memory.numa_stat
644 memory.pressure
200 memory.reclaim
444 memory.stat
644 memory.zswap.writeback
LIST
)" "$(listing "$MNT")"

expect "child files" "$(tr '\n' ' ' <<'LIST'
755 b
444 cgroup.controllers
444 cgroup.events
644 cgroup.freeze
200 cgroup.kill
644 cgroup.max.depth
644 cgroup.max.descendants
644 cgroup.pressure
644 cgroup.procs
444 cgroup.stat
444 cgroup.stat.local
644 cgroup.subtree_control
644 cgroup.threads
644 cgroup.type
644 cpu.pressure
444 cpu.stat
444 cpu.stat.local
644 io.pressure
444 memory.current
444 memory.events
444 memory.events.local
644 memory.high
644 memory.low
644 memory.max
644 memory.min
444 memory.numa_stat
644 memory.oom.group
644 memory.peak
644 memory.pressure
200 memory.reclaim
444 memory.stat
444 memory.swap.current
444 memory.swap.events
644 memory.swap.high
644 memory.swap.max
644 memory.swap.peak
444 memory.zswap.current
644 memory.zswap.max
644 memory.zswap.writeback
LIST
)" "$(listing "$MNT/a")"

A=$MNT/a
# --- initial values ---
for f in memory.current memory.min memory.low memory.peak memory.swap.current memory.swap.peak \
	 memory.zswap.current memory.oom.group cgroup.freeze; do
	expect "initial $f" 0 "$(cat "$A/$f")"
done
for f in memory.high memory.max memory.swap.high memory.swap.max memory.zswap.max \
	 cgroup.max.depth cgroup.max.descendants; do
	expect "initial $f" max "$(cat "$A/$f")"
done
expect "memory.events" "low 0 high 0 max 0 oom 0 oom_kill 0 oom_group_kill 0" \
	"$(tr '\n' ' ' < "$A/memory.events" | sed 's/ $//')"
expect "memory.events.local" "$(cat "$A/memory.events")" "$(cat "$A/memory.events.local")"
expect "memory.swap.events" "high 0 max 0 fail 0" "$(tr '\n' ' ' < "$A/memory.swap.events" | sed 's/ $//')"
expect "memory.stat starts with anon, file" "anon 0 file 0" "$(head -2 "$A/memory.stat" | tr '\n' ' ' | sed 's/ $//')"
expect "memory.stat all zero" "" "$(awk '$2 != 0' "$A/memory.stat")"
expect "memory.numa_stat first line" "anon N0=0" "$(head -1 "$A/memory.numa_stat")"
expect "memory.zswap.writeback" 1 "$(cat "$A/memory.zswap.writeback")"
expect "cgroup.controllers (root)" memory "$(cat "$MNT/cgroup.controllers")"
expect "cgroup.subtree_control (root)" memory "$(cat "$MNT/cgroup.subtree_control")"
expect "cgroup.controllers (child)" memory "$(cat "$A/cgroup.controllers")"
expect "cgroup.subtree_control (child) is empty" 0 "$(wc -c < "$A/cgroup.subtree_control")"
expect "cgroup.events" "populated 0 frozen 0" "$(tr '\n' ' ' < "$A/cgroup.events" | sed 's/ $//')"
expect "cgroup.type" domain "$(cat "$A/cgroup.type")"
expect "cgroup.stat (root)" "nr_descendants 2 nr_subsys_memory 2 nr_dying_descendants 0 nr_dying_subsys_memory 0" \
	"$(tr '\n' ' ' < "$MNT/cgroup.stat" | sed 's/ $//')"
expect "cgroup.procs empty" "" "$(cat "$A/cgroup.procs")"
expect "cgroup.pressure" 1 "$(cat "$A/cgroup.pressure")"
expect "memory.pressure" "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" "$(head -1 "$A/memory.pressure")"
expect "cpu.stat" "usage_usec 0" "$(head -1 "$A/cpu.stat")"
expect "stat size is 0" 0 "$(stat -c %s "$A/memory.stat")"

# --- writes: tunables ---
for f in memory.min memory.low memory.high memory.max memory.swap.high memory.swap.max memory.zswap.max; do
	expect "$f 30M" ok "$(write_result "$A/$f" $'30M\n')"
	expect "$f reads 30M" 31457280 "$(cat "$A/$f")"
	expect "$f 4095 rounds down" ok "$(write_result "$A/$f" 4095)"
	expect "$f reads 0" 0 "$(cat "$A/$f")"
	expect "$f 0x1g" ok "$(write_result "$A/$f" 0x1g)"
	expect "$f reads 1G" 1073741824 "$(cat "$A/$f")"
	expect "$f -1" "Invalid argument" "$(write_result "$A/$f" -1)"
	expect "$f 1.5M" "Invalid argument" "$(write_result "$A/$f" 1.5M)"
	expect "$f unchanged" 1073741824 "$(cat "$A/$f")"
	expect "$f max" ok "$(write_result "$A/$f" max)"
	expect "$f reads max" max "$(cat "$A/$f")"
	expect "$f 8E clamps to max" ok "$(write_result "$A/$f" 8E)"
	expect "$f reads max" max "$(cat "$A/$f")"
	expect "$f 99999999999999999999 wraps" ok "$(write_result "$A/$f" 99999999999999999999)"
	expect "$f wrapped value" 7766279631452237824 "$(cat "$A/$f")"
	write_result "$A/$f" $'\n' > /dev/null
	expect "$f lone newline sets 0" 0 "$(cat "$A/$f")"
done
echo max > "$A/memory.max"; echo max > "$A/memory.high"; echo max > "$A/memory.swap.max"
# bash's printf writes in 4 KiB pieces: dd makes one 5000-byte write(2)
expect "over 4096 bytes" "Argument list too long" \
	"$(head -c 5000 /dev/zero | tr '\0' 1 | dd iflag=fullblock bs=5000 of="$A/memory.max" 2>&1 | sed -n 's/.*: //p' | head -1)"

expect "oom.group 1" ok "$(write_result "$A/memory.oom.group" 1)"
expect "oom.group reads 1" 1 "$(cat "$A/memory.oom.group")"
expect "oom.group 2" "Invalid argument" "$(write_result "$A/memory.oom.group" 2)"
expect "zswap.writeback 0" ok "$(write_result "$A/memory.zswap.writeback" 0)"
expect "zswap.writeback 2" "Invalid argument" "$(write_result "$A/memory.zswap.writeback" 2)"
expect "peak reset" ok "$(write_result "$A/memory.peak" reset)"
expect "swap.peak reset" ok "$(write_result "$A/memory.swap.peak" reset)"
expect "reclaim of an empty cgroup" "Resource temporarily unavailable" "$(write_result "$A/memory.reclaim" 1M)"
expect "reclaim 0" ok "$(write_result "$A/memory.reclaim" 0)"
expect "reclaim bad swappiness" "Invalid argument" "$(write_result "$A/memory.reclaim" '1M swappiness=201')"
expect "reclaim unknown token" "Invalid argument" "$(write_result "$A/memory.reclaim" '1M foo')"
expect "reclaim of nothing parsable" "Invalid argument" "$(write_result "$A/memory.reclaim" 'x')"

# --- writes: core files ---
expect "max.depth -1" "Numerical result out of range" "$(write_result "$A/cgroup.max.depth" -1)"
expect "max.depth 0" ok "$(write_result "$A/cgroup.max.depth" 0)"
expect "mkdir past max.depth" "Resource temporarily unavailable" \
	"$(mkdir "$A/b/c" 2>&1 >/dev/null | sed 's/.*: //')"
echo max > "$A/cgroup.max.depth"
expect "max.descendants 1 with one child: mkdir fails" ok "$(write_result "$A/cgroup.max.descendants" 1)"
expect "mkdir past max.descendants" "Resource temporarily unavailable" \
	"$(mkdir "$A/c" 2>&1 >/dev/null | sed 's/.*: //')"
echo max > "$A/cgroup.max.descendants"
expect "freeze 2" "Numerical result out of range" "$(write_result "$A/cgroup.freeze" 2)"
expect "freeze 1" ok "$(write_result "$A/cgroup.freeze" 1)"
expect "frozen" "frozen 1" "$(grep frozen "$A/b/cgroup.events")"
echo 0 > "$A/cgroup.freeze"
expect "kill 0" "Numerical result out of range" "$(write_result "$A/cgroup.kill" 0)"
expect "kill 1 (empty)" ok "$(write_result "$A/cgroup.kill" 1)"
expect "pressure 2" "Numerical result out of range" "$(write_result "$A/cgroup.pressure" 2)"
expect "psi trigger" ok "$(write_result "$A/memory.pressure" 'some 150000 2000000')"
expect "psi trigger window 0" "Invalid argument" "$(write_result "$A/memory.pressure" 'some 150000 0')"
expect "pressure 0 hides the pressure files" ok "$(write_result "$A/cgroup.pressure" 0)"
[ -e "$A/memory.pressure" ] && fail "memory.pressure still visible with cgroup.pressure 0"
echo 1 > "$A/cgroup.pressure"
expect "subtree_control +cpu" "No such file or directory" "$(write_result "$A/cgroup.subtree_control" +cpu)"
expect "subtree_control +freezer" "Invalid argument" "$(write_result "$A/cgroup.subtree_control" +freezer)"
expect "subtree_control memory" "Invalid argument" "$(write_result "$A/cgroup.subtree_control" memory)"
expect "subtree_control +memory" ok "$(write_result "$A/cgroup.subtree_control" +memory)"
expect "grandchild gets memory files" yes "$([ -e "$A/b/memory.max" ] && echo yes)"
expect "no internal process" "Device or resource busy" "$(write_result "$A/cgroup.procs" $$)"
expect "-memory on root while a has it" "Device or resource busy" \
	"$(write_result "$MNT/cgroup.subtree_control" -memory)"
expect "subtree_control -memory" ok "$(write_result "$A/cgroup.subtree_control" ' -memory ')"
expect "grandchild loses memory files" no "$([ -e "$A/b/memory.max" ] && echo yes || echo no)"
expect "type domain only threaded" "Invalid argument" "$(write_result "$A/cgroup.type" domain)"
expect "write to memory.current" "Invalid argument" "$(write_result "$A/memory.current" 1)"
expect "read of memory.reclaim" "Invalid argument" "$(cat "$A/memory.reclaim" 2>&1 | sed 's/.*: //')"

# --- cgroup.procs with real processes ---
expect "procs junk" "Invalid argument" "$(write_result "$A/cgroup.procs" abc)"
expect "procs -1" "Invalid argument" "$(write_result "$A/cgroup.procs" -1)"
expect "procs unknown pid" "No such process" "$(write_result "$A/cgroup.procs" 999999999)"
sleep 30 &
sleeper=$!
expect "procs live pid" ok "$(write_result "$A/cgroup.procs" $sleeper)"
expect "procs lists it" "$sleeper" "$(cat "$A/cgroup.procs")"
expect "populated" "populated 1" "$(grep populated "$A/cgroup.events")"
expect "rmdir with a task" "Device or resource busy" "$(rmdir "$A" 2>&1 | sed 's/.*: //')"
kill $sleeper; wait $sleeper 2>/dev/null
for i in $(seq 50); do [ -z "$(cat "$A/cgroup.procs")" ] && break; sleep 0.05; done
expect "pid left at exit" "" "$(cat "$A/cgroup.procs")"

# --- directory operations ---
expect "rmdir with a child" "Device or resource busy" "$(rmdir "$A" 2>&1 | sed 's/.*: //')"
expect "mkdir over a file" "File exists" "$(mkdir "$A/memory.max" 2>&1 | sed 's/.*: //')"
expect "mkdir with a newline" "Invalid argument" "$(mkdir "$A/x"$'\n'"y" 2>&1 | sed 's/.*: //')"
expect "create a file" "Permission denied" "$( { : > "$A/newfile"; } 2>&1 | sed 's/.*: //')"
expect "unlink a file" "Operation not permitted" "$(rm -f "$A/memory.max" 2>&1 | sed 's/.*: //')"
expect "symlink" "Operation not permitted" "$(ln -s x "$A/link" 2>&1 | sed 's/.*: //')"
expect "rename (cgroup2 has none)" "Operation not permitted" "$(mv "$A/b" "$A/c" 2>&1 | sed 's/.*: //')"
chmod 0664 "$A/memory.max"; chown 65534:65534 "$A/memory.max" "$A"
expect "chmod sticks" 664 "$(stat -c %a "$A/memory.max")"
expect "chown sticks" "65534:65534" "$(stat -c %u:%g "$A/memory.max")"
expect "chown dir sticks" "65534" "$(stat -c %u "$A")"
rmdir "$A/b"
expect "rmdir leaf" "" "$(ls -d "$A/b" 2>/dev/null)"
rmdir "$A"
expect "cgroup.stat after rmdir" "nr_descendants 0" "$(head -1 "$MNT/cgroup.stat")"

unmount_memcgfs

# --- SIGTERM unmounts cleanly ---
mount_memcgfs
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
expect "exit status after SIGTERM" 0 "$?"
DAEMON_PID=
is_mounted "$MNT" && fail "still mounted after SIGTERM"
finish
