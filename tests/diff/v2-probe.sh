#!/bin/bash
# v2-probe.sh ROOT [CGIO]: print a deterministic transcript of how a cgroup v2 memory tree behaves.
#
# ROOT is a cgroup2 root (a real kernel's /sys/fs/cgroup, or a memcgfs mount); CGIO is the
# tests/tools/cgio binary (default /job/cgio, where kernel-vm/run puts it).  The same script runs on
# a real kernel (tests/diff/v2-record.sh, output kept in tests/golden/) and on memcgfs
# (tests/diff/v2-compare.sh), so it prints only what an emulator with just the memory controller
# must reproduce exactly: no pids, no timings, no machine-dependent numbers, nothing about other
# controllers.  Every outcome that matters goes through cgio: "ok N" or an errno name.
# Values written are shown in cgio's escape notation ("30M\n" is 4 bytes).  It needs bash and
# busybox-level tools only (the kernel-vm guest has no GNU userland).  Run it as root.
set -u
R=${1:?usage: v2-probe.sh CGROUP2-ROOT [CGIO]}
CGIO=${2:-/job/cgio}
export LC_ALL=C
umask 022                      # cgio mkdir asks for 0755; a fixed umask keeps the directory mode stable
P=$R/probe                     # the child that most of the probe works on
G=$P/g                         # a grandchild, for hierarchy rules
cg() { "$CGIO" "$@"; }
rd() { "$CGIO" read "$1"; }    # one line: "escaped content" or an errno name

# Only the files an emulator with just the memory controller serves (no io.*, cpuset.*, irq.pressure...).
served() { grep -E '^(cgroup\..+|memory\..+|cpu\.stat|cpu\.stat\.local|cpu\.pressure|io\.pressure)$'; }
# "mode name" for each served file of a directory, sorted by name
modes() { (cd "$1" && ls -a | served | sort | while read -r f; do stat -c '%a %n' "$f"; done); }
# cgroup.stat, reduced to the lines of a memory-only hierarchy
cgstat() { cg cat "$1" | grep -E '^(nr_descendants|nr_dying_descendants|nr_subsys_memory|nr_dying_subsys_memory) '; }
# PSI files: keep the format, hide the numbers (they are timings)
psi() { cg cat "$1" | sed -E 's/=[0-9]+(\.[0-9]+)?/=N/g'; }
keys() { cg cat "$1" | awk '{ print $1 }'; }
# numa_stat: node count is machine-dependent; print each key and whether all its nodes read 0
numa() { cg cat "$1" | awk '{ z = "all-zero"; for (i = 2; i <= NF; i++) { split($i, a, "="); if (a[2] != 0) z = "nonzero" } print $1, z }'; }
indent() { sed 's/^/    /'; }
section() { printf '\n## %s\n' "$*"; }

# padded VALUE N: VALUE followed by spaces up to N bytes (tests the 4096-byte write limit)
padded() { local pad; printf -v pad '%*s' $(($2 - ${#1})) ''; printf '%s' "$1$pad"; }

# matrix FILE RESET GOOD VALUE...: each VALUE is written with one write(2) on a fresh fd; then FILE
# is read back and reset by writing RESET.  RESET "-": write-only file (no read-back, no reset);
# "=": read back, nothing to reset.  Each line: "VALUE" -> write outcome -> value read back.
# The pseudo value @BIG writes GOOD padded with trailing spaces to 4096 bytes (the limit) and 4097.
matrix() {
  local f=$1 def=$2 good=$3 v r n; shift 3
  case $def in -) echo "# ${f#"$R"/} (write-only)" ;; =) echo "# ${f#"$R"/}" ;;
               *) echo "# ${f#"$R"/} (reset to \"$def\" after each)" ;; esac
  for v in "$@"; do
    if [ "$v" = @BIG ]; then
      for n in 4096 4097; do
        r=$(cg write "$f" "$(padded "$good" $n)")
        echo "\"$good\"+spaces=$n bytes -> $r$(after "$f" "$def")"
      done
      continue
    fi
    r=$(cg write "$f" "$v")
    echo "\"$v\" -> $r$(after "$f" "$def")"
  done
}
after() { # read back and reset, for matrix
  [ "$2" = - ] && return
  printf ' -> %s' "$(rd "$1")"
  [ "$2" = = ] || reset "$1" "$2"
}
reset() { local r; r=$(cg write "$1" "$2"); [ "${r%% *}" = ok ] || echo "!! reset of ${1#$R/} to \"$2\" failed: $r"; }
show() { # show FILE: its current value, in the form that suits it
  local f=$1 n=${1##*/}
  case $n in
    memory.stat|memory.events|memory.events.local|memory.swap.events|cgroup.events|cpu.stat|cpu.stat.local|cgroup.stat.local)
      echo "$n:"; cg cat "$f" | indent ;;
    memory.numa_stat) echo "$n: (key, all nodes zero?)"; numa "$f" | indent ;;
    cgroup.stat) echo "$n: (memory-hierarchy lines)"; cgstat "$f" | indent ;;
    *.pressure) if [ "$n" = cgroup.pressure ]; then echo "$n $(rd "$f")"; else echo "$n: (numbers hidden)"; psi "$f" | indent; fi ;;
    *) echo "$n $(rd "$f")" ;;
  esac
}

# Every cgroup the probe may create, deepest first (leftovers of an interrupted run go silently).
T=$R/probe-t; N=$R/probe-n; S=$R/probe-self; X=$P/x
leftovers() { local d; for d in "$G/y" "$X" "$P/y" "$P/h" "$G" "$P" "$T" "$N/g" "$N" "$S" "$R/probe-g"; do
  [ -d "$d" ] && cg rmdir "$d" >/dev/null; done; return 0; }
leftovers

# ---------------------------------------------------------------------------------------------
section "setup"
echo "enable memory at the root: $(cg write "$R/cgroup.subtree_control" '+memory')"
echo "mkdir probe: $(cg mkdir "$P")"

section "files and modes"
echo "# root"; modes "$R" | indent
echo "# probe (directory mode $(stat -c %a "$P"))"; modes "$P" | indent

section "root values"
# other controllers of the machine are left out: only the memory controller counts
echo "cgroup.controllers memory-only: $(cg cat "$R/cgroup.controllers" | tr ' ' '\n' | grep -x memory)"
for f in cgroup.subtree_control cgroup.max.depth cgroup.max.descendants cgroup.pressure memory.zswap.writeback; do
  show "$R/$f"
done
echo "memory.stat keys:"; keys "$R/memory.stat" | indent
# the root's cpu.stat gains nr_periods, throttled_usec... from the cpu controller's css: core keys only
echo "cpu.stat keys: (core lines)"; keys "$R/cpu.stat" | grep -E '^(usage|user|system|nice)_usec$' | indent
echo "cgroup.stat keys: (memory-hierarchy lines)"; cgstat "$R/cgroup.stat" | awk '{ print $1 }' | indent
echo "memory.numa_stat keys:"; keys "$R/memory.numa_stat" | indent
for f in cpu.pressure io.pressure memory.pressure; do show "$R/$f"; done
# root-only rules: no limits at the root; reclaim is there (write-only)
echo "open root memory.max for writing: $(cg write "$R/memory.max" 1M)"
echo "read root memory.reclaim: $(rd "$R/memory.reclaim")"
echo "write \"0\" to root memory.reclaim: $(cg write "$R/memory.reclaim" 0)"
echo "write to root memory.stat: $(cg write "$R/memory.stat" 0)"

section "probe: initial values of every readable file"
(cd "$P" && ls -a | served | sort) | while read -r f; do
  case $(stat -c %a "$P/$f") in 2??) continue ;; esac     # write-only: see "wrong-direction I/O"
  show "$P/$f"
done

section "wrong-direction I/O (as root: the open succeeds, the read or write fails)"
for f in cgroup.kill memory.reclaim; do echo "read $f: $(rd "$P/$f")"; done
for f in memory.current memory.stat memory.events memory.events.local memory.numa_stat memory.swap.current \
         memory.swap.events memory.zswap.current cgroup.controllers cgroup.events cgroup.stat cpu.stat; do
  echo "write \"0\" to $f: $(cg write "$P/$f" 0)"
done
echo "empty write to memory.current: $(cg write "$P/memory.current" '')"

# ---------------------------------------------------------------------------------------------
section "byte knobs (page_counter_memparse)"
BYTES=(
  0 1 4095 4096 4097 8191 8192 30M '30M\n' '30M\n\n' ' 30M' '30M ' '\t30M\t' ' \t30M \n'
  '' '\n' ' ' '\t' '\n\n' '\r'
  1k 1K 8k 8K 1m 1M 1g 1G 1t 1T 1p 1P 1e 1E 2E 7E 8E 15E 16E 17E 1Z 1KB 1Mb 1MM '10 M' k M E
  0x1000 0X1000 0x1e 0x1E 0x1g 0x1k 0x 0xg 010 010k 08 00 1b
  max 'max\n' ' max ' MAX Max maxx 'max 1' ma -1 -0 -4096 +4096 +max 1.5M 4096.0
  9223372036854771712 9223372036854771711 9223372036854775807 9223372036854775808
  18446744073709551615 18446744073709551616 99999999999999999999 0xffffffffffffffff 0x10000000000000000
  '4096\0' '4096\0junk' '\0' 'max\0junk' '\x80'
  @BIG
)
for f in memory.min memory.low; do matrix "$P/$f" 0 8192 "${BYTES[@]}"; done
for f in memory.high memory.max memory.swap.high memory.swap.max memory.zswap.max; do
  matrix "$P/$f" max 8192 "${BYTES[@]}"
done

section "0/1 knobs (kstrtoint)"
INTS=( 0 1 2 -1 '1\n' '1\n\n' ' 1 ' '\t1\t' 01 0x1 0X1 08 +1 -0 '' '\n' ' ' true y 1k '1 1' 1.0
       2147483648 4294967297 99999999999999999999 '1\0junk' '\0' @BIG )
matrix "$P/memory.oom.group" 0 1 "${INTS[@]}"
matrix "$P/memory.zswap.writeback" 1 0 "${INTS[@]}"
matrix "$P/cgroup.freeze" 0 1 "${INTS[@]}"

section "cgroup.max.depth / cgroup.max.descendants"
LIMITS=( max 'max\n' ' max ' MAX 0 1 '5\n' ' 5 ' 0x10 010 08 +5 -1 -0 '' '\n' junk
         2147483647 2147483648 99999999999999999999 1k '5\0junk' @BIG )
matrix "$P/cgroup.max.depth" max 5 "${LIMITS[@]}"
matrix "$P/cgroup.max.descendants" max 5 "${LIMITS[@]}"

section "peaks (any non-empty write resets; fd-local)"
for f in memory.peak memory.swap.peak; do
  matrix "$P/$f" - reset reset 0 '\n' '' junk @BIG
  echo "${f} after the writes: $(rd "$P/$f")"
  echo "${f} write+read on one O_RDWR fd: $(cg rdwr "$P/$f" reset)"
done

section "memory.reclaim (the child is empty: nothing to reclaim)"
matrix "$P/memory.reclaim" - 0 0 1 4095 4096 '0\n' ' 0 ' '' '\n' ' ' k junk -1 +0 0x0 '0 junk' \
  '0 swappiness=60' '0 swappiness=0' '0 swappiness=200' '0 swappiness=201' '0 swappiness=-1' \
  '0 swappiness=max' '0 swappiness=' '0 swappiness' '0  swappiness=60' '0\tswappiness=60' \
  '0 swappiness=60\tswappiness=60' '0 swappiness=60 swappiness=60' '0swappiness=60' '0kswappiness=60' \
  '0 swappiness=60\n' '0 SWAPPINESS=60' '0 foo' '0 swappiness=0x10' 1M '1M swappiness=60' @BIG

section "cgroup.kill (empty cgroup: nothing to kill)"
matrix "$P/cgroup.kill" - 1 1 0 2 -1 '' '\n' ' 1 ' '1\n' 01 0x1 junk '1\0junk' @BIG

section "cgroup.pressure"
matrix "$P/cgroup.pressure" 1 1 1 0 2 -1 '' '\n' ' 0 ' '0\n' y n Y N on off true false yes no 01 00 0x1 10 junk @BIG
reset "$P/cgroup.pressure" 0
echo "# files of probe while cgroup.pressure is 0:"; modes "$P" | grep pressure | indent
echo "write a trigger to memory.pressure while hidden: $(cg write "$P/memory.pressure" 'some 150000 1000000')"
reset "$P/cgroup.pressure" 1
echo "# files of probe after cgroup.pressure is 1 again:"; modes "$P" | grep pressure | indent

section "PSI triggers (each on a fresh fd; as root)"
PSI=( 'some 150000 1000000' 'full 150000 1000000' 'some 150000 1000000\n' ' some 150000 1000000'
      'some  150000  1000000' 'some\t150000\t1000000' 'some 150000 1000000 junk' 'some 150000 1000000\0junk'
      'some 150000' some full 'avg 150000 1000000' 'SOME 150000 1000000' 'somex 150000 1000000'
      'some 0 1000000' 'some 1000000 1000000' 'some 1000001 1000000' 'some 1 1' 'some 100 1000'
      'some 1000 499999' 'some 1000 500000' 'some 1000 2000000' 'some 1000 10000000' 'some 1000 10000001'
      'some 1000 20000000' 'some 1000 0' 'some -1 1000000' 'some 150000 -1' 'some 0x100 1000000'
      'some 1e3 1000000' 'some 4294967296 1000000' '' '\n' ' ' junk 0 1 @BIG )
matrix "$P/memory.pressure" - 'some 150000 1000000' "${PSI[@]}"
matrix "$P/cpu.pressure" - 'some 150000 1000000' 'some 150000 1000000' 'full 150000 1000000' 'some 0 1000000' junk
matrix "$P/io.pressure" - 'some 150000 1000000' 'some 150000 1000000' 'full 150000 1000000' 'some 0 1000000' junk
echo "two triggers on one fd: $(cg split "$P/memory.pressure" 'some 150000 1000000' 'some 150000 1000000')"
echo "bad then good on one fd: $(cg split "$P/memory.pressure" 'some 0 1000000' 'some 150000 1000000')"
echo "root memory.pressure trigger: $(cg write "$R/memory.pressure" 'some 150000 1000000')"

section "cgroup.subtree_control of probe (no children yet)"
matrix "$P/cgroup.subtree_control" -memory '+memory' +memory -memory memory '+memory\n' ' +memory ' '\t+memory' \
  '+memory -memory' '-memory +memory' '+memory +memory' '+memory  -memory' '+memory\t-memory' \
  '+bogus' '+memory +bogus' '-bogus' '+' '-' '' '\n' ' ' +Memory ++memory '+memory\0junk' \
  +cpu -cpu +io +pids +cpuset +hugetlb +rdma +misc +dmem +freezer +cpuacct +devices +perf_event +net_cls \
  @BIG
echo "two writes on one fd: $(cg split "$P/cgroup.subtree_control" +memory -memory) -> $(rd "$P/cgroup.subtree_control")"

section "cgroup.procs / cgroup.threads (no real process is named)"
PIDS=( '' '\n' ' ' junk -1 999999999 ' 999999999 ' '999999999\n' 0x3b9ac9ff +999999999 4194304 4194305
       2147483647 2147483648 99999999999999999999 1.0 '999999999 999999999' '999999999\0junk' )
matrix "$P/cgroup.procs" = 999999999 "${PIDS[@]}" @BIG
matrix "$P/cgroup.threads" = 999999999 "${PIDS[@]}" @BIG

section "shell redirection (open with O_CREAT|O_TRUNC, as 'echo > file' does; only the exit status)"
echo 30M > "$P/memory.max" 2>/dev/null; echo "echo 30M > memory.max: exit $? -> $(rd "$P/memory.max")"
echo bogus > "$P/memory.max" 2>/dev/null; echo "echo bogus > memory.max: exit $? -> $(rd "$P/memory.max")"
echo max >> "$P/memory.max" 2>/dev/null; echo "echo max >> memory.max: exit $? -> $(rd "$P/memory.max")"
echo +memory > "$P/cgroup.subtree_control" 2>/dev/null; echo "echo +memory > cgroup.subtree_control: exit $? -> $(rd "$P/cgroup.subtree_control")"
reset "$P/cgroup.subtree_control" -memory

section "split writes: each write(2) is parsed on its own"
echo "memory.max \"30M\" then \"40M\": $(cg split "$P/memory.max" 30M 40M) -> $(rd "$P/memory.max")"
echo "memory.max \"3\" then \"0M\": $(cg split "$P/memory.max" 3 0M) -> $(rd "$P/memory.max")"
reset "$P/memory.max" max
echo "memory.max write+read on one O_RDWR fd: $(cg rdwr "$P/memory.max" 30M)"
reset "$P/memory.max" max

# ---------------------------------------------------------------------------------------------
section "hierarchy: a grandchild under a parent without +memory"
# a separate child of the root, so that no cgroup ever dies under probe before its cgroup.stat is shown
echo "mkdir probe-n: $(cg mkdir "$N")"
echo "mkdir probe-n/g: $(cg mkdir "$N/g")"
echo "# probe-n/g files:"; modes "$N/g" | indent
show "$N/g/cgroup.controllers"
echo "probe-n/g +memory: $(cg write "$N/g/cgroup.subtree_control" +memory)"
echo "probe-n/g -memory: $(cg write "$N/g/cgroup.subtree_control" -memory)"
echo "rmdir probe-n/g: $(cg rmdir "$N/g")"
echo "rmdir probe-n: $(cg rmdir "$N")"

section "hierarchy: grandchild"
echo "probe +memory: $(cg write "$P/cgroup.subtree_control" +memory)"
echo "mkdir probe/g (probe with +memory): $(cg mkdir "$G")"
echo "# probe/g files:"; modes "$G" | indent
show "$G/cgroup.controllers"
show "$P/cgroup.stat"
echo "probe/g +memory: $(cg write "$G/cgroup.subtree_control" +memory) -> $(rd "$G/cgroup.subtree_control")"
show "$P/cgroup.stat"
echo "probe -memory while probe/g has +memory: $(cg write "$P/cgroup.subtree_control" -memory) -> $(rd "$P/cgroup.subtree_control")"
echo "root -memory while probe has +memory: $(cg write "$R/cgroup.subtree_control" -memory) -> $(cg cat "$R/cgroup.subtree_control" | tr ' ' '\n' | grep -cx memory) memory"
echo "probe/g -memory: $(cg write "$G/cgroup.subtree_control" -memory) -> $(rd "$G/cgroup.subtree_control")"
echo "probe/g memory.max=30M: $(cg write "$G/memory.max" 30M)"
echo "probe -memory: $(cg write "$P/cgroup.subtree_control" -memory) -> $(rd "$P/cgroup.subtree_control")"
echo "# probe/g files after probe -memory:"; modes "$G" | indent
show "$G/cgroup.controllers"
echo "probe/g +memory without it in probe/g's cgroup.controllers: $(cg write "$G/cgroup.subtree_control" +memory)"
echo "probe +memory again: $(cg write "$P/cgroup.subtree_control" +memory)"
echo "probe/g memory.max after re-enabling: $(rd "$G/memory.max")"
echo "write \"0\" (self) to probe/cgroup.procs, probe has +memory: $(cg write "$P/cgroup.procs" 0)"
echo "write \"999999999\" to probe/cgroup.procs, probe has +memory: $(cg write "$P/cgroup.procs" 999999999)"

section "cgroup.type"
show "$P/cgroup.type"
matrix "$G/cgroup.type" = threaded domain 'domain threaded' 'domain invalid' threaded 'threaded\n' \
  ' threaded ' Threaded '' '\n' junk 'threaded\0junk' @BIG
echo "mkdir probe-t: $(cg mkdir "$T")"
echo "probe-t \"threaded\" (parent is the root): $(cg write "$T/cgroup.type" threaded) -> $(rd "$T/cgroup.type")"
echo "# probe-t files:"; modes "$T" | indent
show "$T/cgroup.controllers"
echo "probe-t \"domain\" again: $(cg write "$T/cgroup.type" domain) -> $(rd "$T/cgroup.type")"
echo "rmdir probe-t: $(cg rmdir "$T")"

section "mkdir / rmdir / rename / create / unlink"
echo "mkdir probe/g again: $(cg mkdir "$G")"
echo "mkdir probe/memory.max: $(cg mkdir "$P/memory.max")"
echo "mkdir probe/cgroup.procs: $(cg mkdir "$P/cgroup.procs")"
echo "mkdir probe/a\\nb: $(cg mkdir "$P/a\nb")"
echo "mkdir probe/nonexistent/x: $(cg mkdir "$P/nonexistent/x")"
echo "mkdir probe/memory.max/x: $(cg mkdir "$P/memory.max/x")"
for n in 'a b' memory.foo cgroup.foo .hidden 'a:b' "$(printf '%0255d' 0)" "$(printf '%0256d' 0)"; do
  r=$(cg mkdir "$P/$n"); l=$n; [ ${#n} -gt 20 ] && l="<${#n} chars>"
  echo "mkdir probe/$l: $r"; [ "$r" = ok ] && echo "  rmdir: $(cg rmdir "$P/$n")"
done
echo "rmdir probe (has probe/g): $(cg rmdir "$P")"
echo "rmdir probe/memory.max: $(cg rmdir "$P/memory.max")"
echo "rmdir probe/nonexistent: $(cg rmdir "$P/nonexistent")"
echo "create probe/newfile: $(cg creat "$P/newfile")"
echo "create probe/memory.max (exists): $(cg creat "$P/memory.max")"
echo "write to probe/newfile (absent): $(cg write "$P/newfile" 1)"
echo "unlink probe/memory.max: $(cg unlink "$P/memory.max")"
echo "unlink probe/g (a directory): $(cg unlink "$G")"
echo "unlink probe/nonexistent: $(cg unlink "$P/nonexistent")"
echo "rename probe/g -> probe/h: $(cg rename "$G" "$P/h")"
echo "rename probe/h -> probe/g: $(cg rename "$P/h" "$G")"
echo "mkdir probe/h: $(cg mkdir "$P/h")"
echo "rename probe/g -> probe/h (exists): $(cg rename "$G" "$P/h")"
echo "rename probe/g -> probe/memory.max: $(cg rename "$G" "$P/memory.max")"
echo "rename probe/g -> root/probe-g (other parent): $(cg rename "$G" "$R/probe-g")"
echo "rename probe/memory.max -> probe/memory.foo: $(cg rename "$P/memory.max" "$P/memory.foo")"
echo "rename probe/h -> probe/h\\nx: $(cg rename "$P/h" "$P/h\nx")"
echo "rmdir probe/h: $(cg rmdir "$P/h")"
cg rmdir "$R/probe-g" >/dev/null    # only if the cross-parent rename above succeeded
echo "probe/g still there: $(cg mkdir "$G")"

section "hierarchy limits (mkdir beyond them: EAGAIN)"
lim() { echo "probe $1=$2: $(cg write "$P/$1" "$2")"; }
lim cgroup.max.depth 0
echo "  mkdir probe/x: $(cg mkdir "$X")"
lim cgroup.max.depth 1
echo "  mkdir probe/x: $(cg mkdir "$X")"
echo "  mkdir probe/g/y: $(cg mkdir "$G/y")"
echo "  rmdir probe/x: $(cg rmdir "$X")"
lim cgroup.max.depth max
lim cgroup.max.descendants 0
echo "  mkdir probe/x: $(cg mkdir "$X")"
lim cgroup.max.descendants 2
echo "  mkdir probe/x: $(cg mkdir "$X")"
echo "  mkdir probe/y: $(cg mkdir "$P/y")"
echo "  mkdir probe/g/y: $(cg mkdir "$G/y")"
echo "  rmdir probe/x: $(cg rmdir "$X")"
echo "  mkdir probe/g/y: $(cg mkdir "$G/y")"
echo "  rmdir probe/g/y: $(cg rmdir "$G/y")"
lim cgroup.max.descendants max
echo "probe/g cgroup.max.depth=0 (probe allows more): $(cg write "$G/cgroup.max.depth" 0)"
echo "  mkdir probe/g/y: $(cg mkdir "$G/y")"
echo "root cgroup.max.depth=1: $(cg write "$R/cgroup.max.depth" 1)"
echo "  mkdir probe/x (depth 2): $(cg mkdir "$X")"
reset "$R/cgroup.max.depth" max

section "freeze and kill of an empty subtree"
echo "probe cgroup.freeze=1: $(cg write "$P/cgroup.freeze" 1)"
show "$P/cgroup.events"; show "$G/cgroup.events"; show "$G/cgroup.freeze"
echo "mkdir probe/x while probe is frozen: $(cg mkdir "$X")"
show "$X/cgroup.events"; show "$X/cgroup.freeze"
echo "rmdir probe/x: $(cg rmdir "$X")"
echo "probe cgroup.freeze=0: $(cg write "$P/cgroup.freeze" 0)"
show "$P/cgroup.events"
echo "probe cgroup.kill=1 (probe/g exists, no tasks): $(cg write "$P/cgroup.kill" 1)"
show "$P/cgroup.events"

section "root -memory: children lose their memory files; +memory brings fresh defaults"
echo "rmdir probe/g: $(cg rmdir "$G")"
echo "probe -memory: $(cg write "$P/cgroup.subtree_control" -memory)"
echo "probe memory.max=30M: $(cg write "$P/memory.max" 30M)"
echo "root -memory: $(cg write "$R/cgroup.subtree_control" -memory)"
echo "# probe files:"; modes "$P" | indent
show "$P/cgroup.controllers"
echo "root +memory: $(cg write "$R/cgroup.subtree_control" +memory)"
echo "probe memory.max: $(rd "$P/memory.max")"

section "moving the writer itself (\"0\") into a leaf"
echo "mkdir probe-self: $(cg mkdir "$S")"
echo "write \"0\" to probe-self/cgroup.threads: $(cg write "$S/cgroup.threads" 0)"
echo "write \"0\" to probe-self/cgroup.procs: $(cg write "$S/cgroup.procs" 0)"
# cgio has exited by now: the cgroup is empty again and can go
echo "probe-self cgroup.procs after the writer exited: $(rd "$S/cgroup.procs")"
echo "rmdir probe-self: $(cg rmdir "$S")"

section "cleanup"
echo "rmdir probe: $(cg rmdir "$P")"
leftovers
exit 0
