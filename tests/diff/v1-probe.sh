#!/bin/bash
# v1-probe.sh ROOT [CGIO [EVCTL]]: print a deterministic transcript of how a cgroup v1 memory hierarchy
# behaves.
#
# ROOT is the root of a v1 memory hierarchy (a real kernel's /sys/fs/cgroup/memory, or a mount of
# `memcgfs --mode=v1`).  CGIO is the tests/tools/cgio binary, EVCTL the tests/diff/v1-evctl binary;
# either one missing or empty is compiled (gcc) from tests/tools/cgio.c or tests/diff/v1-evctl.c into a
# private temporary directory.  The same script runs on the real kernel (output
# kept in tests/golden/v1-probe.linux-*.txt) and on memcgfs (tests/diff/v1-compare.sh), so it prints
# only what an emulator of the memory controller must reproduce exactly: no pids, no paths, no
# timings, no numbers that depend on the machine.  Every outcome goes through cgio or v1-evctl: "ok N"
# or an errno name.  Values written are shown in cgio's escape notation ("30M\n" is 4 bytes).
#
# Safety rules (the real hierarchy is shared with the machine):
#  * everything happens in ROOT/memcgfs-probe-$$ and its children, all removed on exit (trap);
#  * nothing is ever written to ROOT except writes the kernel refuses without changing anything
#    (the limits, oom_control, force_empty: EINVAL on the root) and use_hierarchy "1" (a no-op);
#  * the vendor additions process_api and memory.shown_ram_in_bytes are never listed or touched;
#  * the only processes moved are this script's own `sleep`s and cgio itself ("0" = the writer),
#    and only between the probe's cgroups; the sleeps are killed before the cgroups go.
# Run it as root.
set -u
export LC_ALL=C
umask 022
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
R=${1:?usage: v1-probe.sh V1-MEMORY-ROOT [CGIO [EVCTL]]}
R=${R%/}
CGIO=${2:-}
EVCTL=${3:-}
[ -d "$R" ] || { echo "v1-probe: $R is not a directory" >&2; exit 2; }

P=$R/memcgfs-probe-$$          # "probe": the child whose files are listed, read and written
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/v1-probe.XXXXXX") || exit 2
SLEEPS=()
exec </dev/null                # fd 0 of every helper is /dev/null (event_control parses can land on it)

cleanup() {
  local s
  for s in "${SLEEPS[@]}"; do kill "$s" 2>/dev/null; wait "$s" 2>/dev/null; done
  # deepest first; nothing outside $P is ever removed
  [ -d "$P" ] && find "$P" -depth -mindepth 0 -type d -print0 2>/dev/null | xargs -0 -r rmdir 2>/dev/null
  rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo plain > "$TMPD/plain"; chmod 0644 "$TMPD/plain"      # a readable file outside cgroupfs
echo secret > "$TMPD/secret"; chmod 0600 "$TMPD/secret"   # readable by root only
if [ -z "$CGIO" ]; then
  CGIO=$TMPD/cgio
  gcc -O2 -Wall -o "$CGIO" "$here/../tools/cgio.c" || { echo "v1-probe: cannot build tests/tools/cgio.c" >&2; exit 2; }
fi
[ -x "$CGIO" ] || { echo "v1-probe: $CGIO is not executable" >&2; exit 2; }
if [ -z "$EVCTL" ]; then
  EVCTL=$TMPD/v1-evctl
  gcc -O2 -Wall -o "$EVCTL" "$here/v1-evctl.c" || { echo "v1-probe: cannot build v1-evctl.c" >&2; exit 2; }
fi

cg() { "$CGIO" "$@"; }
rd() { "$CGIO" read "$1"; }    # one line: "escaped content" or an errno name
indent() { sed 's/^/    /'; }
section() { printf '\n## %s\n' "$*"; }
# nm PATH: the path as printed (the probe's directory name holds a pid)
nm() { case $1 in "$P") echo probe ;; "$P"/*) echo "probe/${1#"$P"/}" ;; "$R") echo root ;; "$R"/*) echo "root/${1#"$R"/}" ;;
                  "$TMPD"/*) echo "tmp/${1#"$TMPD"/}" ;; *) echo "$1" ;; esac; }

# The files compared: the v1 core and memory files.  Left out: the vendor additions
# (memory.shown_ram_in_bytes, the process_api directory) and anything else in the directory
# (child cgroups, other vendors' files).
served() { grep -E '^(cgroup\..+|memory\..+|tasks|notify_on_release|release_agent)$' | grep -vx 'memory\.shown_ram_in_bytes'; }
files() { (cd "$1" && ls -a | served | sort); }
modes() { (cd "$1" && files . | while read -r f; do stat -c '%a %n' "$f"; done); }
mode() { stat -c %a "$1"; }

# padded VALUE N: VALUE followed by spaces up to N bytes (tests the 4096-byte write limit)
padded() { local pad; printf -v pad '%*s' $(($2 - ${#1})) ''; printf '%s' "$1$pad"; }

# matrix FILE RESET GOOD VALUE...: each VALUE is written with one write(2) on a fresh fd; then FILE is
# read back and reset by writing RESET.  RESET "-": write-only file (no read-back, no reset);
# "=": read back, nothing to reset.  Each line: "VALUE" -> write outcome -> value read back.
# The pseudo value @BIG writes GOOD padded with trailing spaces to 4096 bytes (the limit) and 4097.
matrix() {
  local f=$1 def=$2 good=$3 v r n; shift 3
  case $def in -) echo "# $(nm "$f") (write-only)" ;; =) echo "# $(nm "$f")" ;;
               *) echo "# $(nm "$f") (reset to \"$def\" after each)" ;; esac
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
reset() { local r; r=$(cg write "$1" "$2"); [ "${r%% *}" = ok ] || echo "!! reset of $(nm "$1") to \"$2\" failed: $r"; }
# split FILE S1 S2: two write(2)s on one fd, then the value read back
split() { echo "\"$2\" then \"$3\" on one fd -> $(cg split "$1" "$2" "$3") -> $(rd "$1")"; }

# A single number, shown as <N> (the value depends on the machine), anything else as it is.
num() { local v re='^"[0-9]+\\n"$'; v=$(rd "$1"); if [[ $v =~ $re ]]; then echo '"<N>\n"'; else echo "$v"; fi; }
# numa_stat: the number of nodes is the machine's (memcgfs: --nodes); keep each line's first field and
# show whether the per-node fields are well formed and add up to it.
numa() {
  cg cat "$1" | awk '{ split($1, a, "="); s = 0; ok = (NF >= 2)
    for (i = 2; i <= NF; i++) { if ($i !~ /^N[0-9]+=[0-9]+$/) ok = 0; split($i, b, "="); s += b[2] }
    print $1, (ok ? (s == a[2] ? "nodes:sum-ok" : "nodes:sum-BAD") : "nodes:BAD-FORMAT") }'
}
show() { # show FILE: its current value, in the form that suits it
  local f=$1 n=${1##*/}
  case $n in
    memory.stat|memory.oom_control) echo "$n:"; cg cat "$f" | indent ;;
    memory.numa_stat) echo "$n: (first field; per-node fields checked)"; numa "$f" | indent ;;
    *) echo "$n $(rd "$f")" ;;
  esac
}
# evctl CONTROL-DIR CFILE TEMPLATE [options]: one cgroup.event_control write by v1-evctl (see v1-evctl.c);
# CFILE is shown by its name only.  stdin is /dev/null, so a parse that lands on fd 0 is deterministic.
# Extra options (-o PATH, -u UID, -r DIR) follow the template and are shown too.
ev() {
  local dir=$1 cf=$2 t=$3 o=() a; shift 3
  for a in "$@"; do case $a in /*) o+=("$(nm "$a")") ;; *) o+=("$a") ;; esac; done
  printf '%-30s %s%s -> %s\n' "\"$t\"" "$(nm "$cf")" "${o[*]:+ (${o[*]})}" \
    "$("$EVCTL" "$@" "$dir/cgroup.event_control" "$cf" "$t" </dev/null)"
}

# ---------------------------------------------------------------------------------------------
section "setup"
echo "mkdir probe: $(cg mkdir "$P")"
[ -d "$P" ] || exit 1

section "files and modes"
echo "# root"; modes "$R" | indent
echo "# probe (directory mode $(mode "$P"))"; modes "$P" | indent

section "root values"
# Machine-dependent values are hidden: the root's usage counters read the machine's memory (usage and
# memsw.usage are a global approximation, the *max_usage and kmem.* ones the sum of every cgroup's
# charges), memory.stat/numa_stat hold the machine's page counts (keys only), swappiness is the
# global vm.swappiness, oom_control's oom_kill counts the machine's OOM kills in the root, and
# tasks/cgroup.procs list the machine's processes (left out).  Everything else is shown as it is.
files "$R" | while read -r f; do
  case $f in
    tasks|cgroup.procs) ;;
    memory.stat) echo "$f: (keys)"; cg cat "$R/$f" | awk '{ print $1 }' | indent ;;
    memory.numa_stat) echo "$f: (keys)"; cg cat "$R/$f" | awk '{ split($1, a, "="); print a[1] }' | indent ;;
    memory.oom_control) echo "$f:"; cg cat "$R/$f" | sed 's/^oom_kill [0-9][0-9]*$/oom_kill <N>/' | indent ;;
    memory.swappiness|*usage_in_bytes) echo "$f $(num "$R/$f")" ;;
    *) [ "$(mode "$R/$f")" = 200 ] || show "$R/$f" ;;
  esac
done

section "root: writes the kernel refuses (nothing changes)"
for f in memory.limit_in_bytes memory.memsw.limit_in_bytes memory.kmem.limit_in_bytes memory.kmem.tcp.limit_in_bytes; do
  for v in 1G -1 junk; do echo "write \"$v\" to root $f: $(cg write "$R/$f" "$v") -> $(rd "$R/$f")"; done
done
for v in 0 1; do echo "write \"$v\" to root memory.oom_control: $(cg write "$R/memory.oom_control" "$v")"; done
echo "write \"0\" to root memory.force_empty: $(cg write "$R/memory.force_empty" 0)"
echo "write \"1\" to root memory.use_hierarchy: $(cg write "$R/memory.use_hierarchy" 1) -> $(rd "$R/memory.use_hierarchy")"
echo "read root memory.force_empty: $(rd "$R/memory.force_empty")"
echo "read root cgroup.event_control: $(rd "$R/cgroup.event_control")"

section "probe: initial values of every readable file"
# swappiness is copied from the parent at mkdir, and the root's is the machine's vm.swappiness:
# shown as <root's> when equal to it (the inheritance section below checks real values).
root_sw=$(rd "$R/memory.swappiness")
files "$P" | while read -r f; do
  [ "$(mode "$P/$f")" = 200 ] && continue          # write-only: see "wrong-direction I/O"
  if [ "$f" = memory.swappiness ] && [ "$(rd "$P/$f")" = "$root_sw" ]; then echo "$f <root's>"; continue; fi
  show "$P/$f"
done

section "wrong-direction I/O (as root: the open succeeds, the read or write fails)"
for f in memory.force_empty cgroup.event_control; do echo "read $f: $(rd "$P/$f")"; done
for f in memory.usage_in_bytes memory.memsw.usage_in_bytes memory.kmem.usage_in_bytes \
         memory.kmem.tcp.usage_in_bytes memory.stat memory.numa_stat memory.pressure_level memory.kmem.slabinfo; do
  echo "write \"0\" to $f: $(cg write "$P/$f" 0)"
done
echo "empty write to memory.usage_in_bytes: $(cg write "$P/memory.usage_in_bytes" '')"
echo "empty write to memory.stat: $(cg write "$P/memory.stat" '')"

# ---------------------------------------------------------------------------------------------
section "limits (page_counter_memparse with \"-1\"; probe is empty, so every size is accepted)"
BYTES=(
  0 1 4095 4096 4097 8191 8192 30M '30M\n' '30M\n\n' ' 30M' '30M ' '\t30M\t' ' \t30M \n'
  '' '\n' ' ' '\t' '\n\n'
  1k 1K 1m 1M 1g 1G 1t 1T 1p 1P 1e 1E 7E 8E 15E 16E 17E 1Z 1KB 1Mb 1MM '10 M' k M
  0x1000 0X1000 0x1e 0x1E 0x1g 0x1k 0x 0xg 010 010k 08 00 1b
  -1 '-1\n' ' -1 ' -1k -2 -0 -4096 +4096 --1 max 'max\n' MAX 1.5M 4096.0
  9223372036854771712 9223372036854771711 9223372036854775807 9223372036854775808
  18446744073709551615 18446744073709551616 99999999999999999999 0xffffffffffffffff 0x10000000000000000
  '4096\0' '4096\0junk' '\0' '-1\0junk' '\x80'
  @BIG
)
for f in memory.limit_in_bytes memory.soft_limit_in_bytes memory.kmem.limit_in_bytes memory.kmem.tcp.limit_in_bytes; do
  matrix "$P/$f" -1 8192 "${BYTES[@]}"
  split "$P/$f" 30 'M\n'; reset "$P/$f" -1
  split "$P/$f" 8192 junk; reset "$P/$f" -1
done
echo "# memory.memsw.limit_in_bytes is tried with memory.limit_in_bytes at 0 (memory <= memsw must hold)"
echo "memory.limit_in_bytes \"0\": $(cg write "$P/memory.limit_in_bytes" 0)"
matrix "$P/memory.memsw.limit_in_bytes" -1 8192 "${BYTES[@]}"
split "$P/memory.memsw.limit_in_bytes" 30 'M\n'; reset "$P/memory.memsw.limit_in_bytes" -1
reset "$P/memory.limit_in_bytes" -1

section "watermark and failcnt resets (any non-empty write)"
RESETS=( 0 1 -1 junk '' '\n' ' ' '\0' 1M @BIG )
for f in memory.max_usage_in_bytes memory.memsw.max_usage_in_bytes memory.kmem.max_usage_in_bytes \
         memory.kmem.tcp.max_usage_in_bytes memory.failcnt memory.memsw.failcnt memory.kmem.failcnt \
         memory.kmem.tcp.failcnt; do
  matrix "$P/$f" = 0 "${RESETS[@]}"
done

section "memory.force_empty (empty cgroup: nothing to free)"
matrix "$P/memory.force_empty" - 0 0 1 junk -1 '' '\n' ' ' '\0' @BIG

section "u64 knobs (kstrtoull base 0 on the unstripped buffer)"
INTS=( 0 1 2 3 100 200 201 -1 -0 +1 '1\n' '1\n\n' ' 1' '1 ' '\t1' 01 0x1 0X1 010 08 0x
       '' '\n' ' ' 1k 1.0 y 4294967296 18446744073709551615 18446744073709551616 99999999999999999999
       '1\0junk' '\0' @BIG )
matrix "$P/memory.use_hierarchy" 1 1 "${INTS[@]}"
reset "$P/memory.swappiness" 60      # a known value: probe's own came from the machine's vm.swappiness
matrix "$P/memory.swappiness" 60 10 "${INTS[@]}"
matrix "$P/memory.move_charge_at_immigrate" 0 0 "${INTS[@]}"
matrix "$P/memory.oom_control" 0 1 "${INTS[@]}"
matrix "$P/notify_on_release" 0 1 "${INTS[@]}"
matrix "$P/cgroup.clone_children" 0 1 "${INTS[@]}"
split "$P/memory.swappiness" 1 '0\n'; reset "$P/memory.swappiness" 60
split "$P/memory.oom_control" 1 junk; reset "$P/memory.oom_control" 0

section "probe after the matrices (all reset)"
for f in memory.limit_in_bytes memory.memsw.limit_in_bytes memory.soft_limit_in_bytes memory.kmem.tcp.limit_in_bytes \
         memory.usage_in_bytes memory.max_usage_in_bytes memory.failcnt memory.oom_control notify_on_release cgroup.clone_children; do
  show "$P/$f"
done

section "shell redirection (open with O_CREAT|O_TRUNC, as 'echo > file' does; exit status only) and O_RDWR"
echo 30M > "$P/memory.limit_in_bytes" 2>/dev/null; echo "echo 30M > memory.limit_in_bytes: exit $? -> $(rd "$P/memory.limit_in_bytes")"
echo bogus > "$P/memory.limit_in_bytes" 2>/dev/null; echo "echo bogus > memory.limit_in_bytes: exit $? -> $(rd "$P/memory.limit_in_bytes")"
echo -1 >> "$P/memory.limit_in_bytes" 2>/dev/null; echo "echo -1 >> memory.limit_in_bytes: exit $? -> $(rd "$P/memory.limit_in_bytes")"
echo 1 > "$P/memory.force_empty" 2>/dev/null; echo "echo 1 > memory.force_empty: exit $?"
echo 1 > "$P/memory.oom_control" 2>/dev/null; echo "echo 1 > memory.oom_control: exit $? -> $(rd "$P/memory.oom_control")"
reset "$P/memory.oom_control" 0
echo "memory.limit_in_bytes write+read on one O_RDWR fd: $(cg rdwr "$P/memory.limit_in_bytes" 8192)"
echo "memory.swappiness write+read on one O_RDWR fd: $(cg rdwr "$P/memory.swappiness" 30)"
echo "memory.max_usage_in_bytes write+read on one O_RDWR fd: $(cg rdwr "$P/memory.max_usage_in_bytes" 0)"
reset "$P/memory.limit_in_bytes" -1; reset "$P/memory.swappiness" 60

# ---------------------------------------------------------------------------------------------
section "memory and memsw limits: memory <= memsw at every step, compared in pages"
L=$P/l
echo "mkdir probe/l: $(cg mkdir "$L")"
lim() { printf '%-36s -> %-7s -> limit %s memsw %s\n' "$1=\"$2\"" "$(cg write "$L/$1" "$2")" \
          "$(cg cat "$L/memory.limit_in_bytes")" "$(cg cat "$L/memory.memsw.limit_in_bytes")"; }
lim memory.memsw.limit_in_bytes 10M          # memory limit still unlimited: EINVAL
lim memory.memsw.limit_in_bytes 9223372036854771712
lim memory.memsw.limit_in_bytes 9223372036854771711
lim memory.limit_in_bytes 10M                # lower memory first
lim memory.memsw.limit_in_bytes 10M          # then memsw
lim memory.memsw.limit_in_bytes 5M           # memsw below memory: EINVAL
lim memory.limit_in_bytes 5M
lim memory.memsw.limit_in_bytes 5M
lim memory.limit_in_bytes 20M                # raise memory above memsw: EINVAL
lim memory.memsw.limit_in_bytes 20M          # raise memsw first
lim memory.limit_in_bytes 20M
lim memory.limit_in_bytes 20975615           # 20M + 4095: same page count, ok
lim memory.limit_in_bytes 20975616           # 20M + 4096: one page more than memsw
lim memory.memsw.limit_in_bytes 20967425     # 20M - 4095 rounds down below memory
lim memory.memsw.limit_in_bytes 20971521     # 20M + 1: same page count
lim memory.memsw.limit_in_bytes '20M\n'
lim memory.memsw.limit_in_bytes 16E          # wraps to 0
lim memory.limit_in_bytes 0
lim memory.memsw.limit_in_bytes 0
lim memory.memsw.limit_in_bytes 4095         # 0 pages
lim memory.limit_in_bytes 4096
lim memory.limit_in_bytes -1
lim memory.memsw.limit_in_bytes -1
lim memory.limit_in_bytes -1
lim memory.limit_in_bytes 8E                 # clamps to unlimited
lim memory.memsw.limit_in_bytes 30M
lim memory.soft_limit_in_bytes 1G            # no relation to the hard limits
lim memory.kmem.limit_in_bytes 1M            # accepted and ignored
lim memory.kmem.tcp.limit_in_bytes 1M
lim memory.memsw.limit_in_bytes -1
echo "probe/l memory.stat hierarchical limits:"; cg cat "$L/memory.stat" | grep '^hierarchical_' | indent
echo "probe/l memory.soft_limit_in_bytes $(rd "$L/memory.soft_limit_in_bytes")"
echo "probe/l memory.kmem.tcp.limit_in_bytes $(rd "$L/memory.kmem.tcp.limit_in_bytes")"
echo "rmdir probe/l: $(cg rmdir "$L")"

# ---------------------------------------------------------------------------------------------
section "inheritance at mkdir (copied once from the parent)"
H=$P/h
echo "mkdir probe/h: $(cg mkdir "$H")"
# A child's memcg structures are charged to its parent (kernel memory): probe now has usage, so a
# limit of 0 cannot be reached.  Only zero/nonzero is shown: the amount depends on the CPU count.
z() { case $(cg cat "$1") in 0) echo zero ;; [0-9]*) echo nonzero ;; *) cg cat "$1" ;; esac; }
echo "probe memory.usage_in_bytes with a child: $(z "$P/memory.usage_in_bytes")"
echo "probe memory.kmem.usage_in_bytes with a child: $(z "$P/memory.kmem.usage_in_bytes")"
echo "probe memory.limit_in_bytes \"0\" with a child: $(cg write "$P/memory.limit_in_bytes" 0) -> $(rd "$P/memory.limit_in_bytes")"
reset "$P/memory.limit_in_bytes" -1
for kv in memory.swappiness=10 memory.oom_control=1 notify_on_release=1 cgroup.clone_children=1 \
          memory.limit_in_bytes=8M memory.memsw.limit_in_bytes=16M memory.soft_limit_in_bytes=4M \
          memory.kmem.tcp.limit_in_bytes=2M memory.use_hierarchy=1 memory.move_charge_at_immigrate=0; do
  echo "probe/h ${kv%%=*}=\"${kv#*=}\": $(cg write "$H/${kv%%=*}" "${kv#*=}")"
done
echo "mkdir probe/h/c: $(cg mkdir "$H/c")"
INH=( memory.swappiness memory.oom_control notify_on_release cgroup.clone_children memory.limit_in_bytes
      memory.memsw.limit_in_bytes memory.soft_limit_in_bytes memory.kmem.tcp.limit_in_bytes memory.use_hierarchy
      memory.move_charge_at_immigrate )
echo "# probe/h/c"; for f in "${INH[@]}"; do show "$H/c/$f"; done | indent
echo "probe/h/c memory.stat hierarchical limits:"; cg cat "$H/c/memory.stat" | grep '^hierarchical_' | indent
for kv in memory.swappiness=20 memory.oom_control=0 notify_on_release=0 cgroup.clone_children=0 \
          memory.limit_in_bytes=-1; do
  echo "probe/h ${kv%%=*}=\"${kv#*=}\": $(cg write "$H/${kv%%=*}" "${kv#*=}")"
done
echo "# probe/h/c after the parent changed"; for f in "${INH[@]}"; do show "$H/c/$f"; done | indent
echo "probe/h/c memory.stat hierarchical limits:"; cg cat "$H/c/memory.stat" | grep '^hierarchical_' | indent
echo "mkdir probe/h/c2 (parent now swappiness 20, oom_kill_disable 0):"
echo "  mkdir: $(cg mkdir "$H/c2")"
for f in memory.swappiness memory.oom_control notify_on_release cgroup.clone_children; do show "$H/c2/$f"; done | indent
echo "rmdir probe/h/c2: $(cg rmdir "$H/c2")"

# ---------------------------------------------------------------------------------------------
section "mkdir / rmdir / rename / create / unlink"
D=$P/d
echo "mkdir probe/d: $(cg mkdir "$D")"
echo "mkdir probe/d again: $(cg mkdir "$D")"
echo "mkdir probe/a\\nb: $(cg mkdir "$P/a\nb")"
echo "mkdir probe/memory.stat: $(cg mkdir "$P/memory.stat")"
echo "mkdir probe/tasks: $(cg mkdir "$P/tasks")"
echo "mkdir probe/nonexistent/x: $(cg mkdir "$P/nonexistent/x")"
echo "mkdir probe/memory.stat/x: $(cg mkdir "$P/memory.stat/x")"
for n in 'a b' memory.foo cgroup.foo tasks.x .hidden 'a:b' "$(printf '%0255d' 0)" "$(printf '%0256d' 0)"; do
  r=$(cg mkdir "$P/$n"); l=$n; [ ${#n} -gt 20 ] && l="<${#n} chars>"
  echo "mkdir probe/$l: $r"; [ "$r" = ok ] && echo "  rmdir: $(cg rmdir "$P/$n")"
done
echo "rmdir probe/h (has probe/h/c): $(cg rmdir "$H")"
echo "rmdir probe (has children): $(cg rmdir "$P")"
echo "rmdir probe/memory.stat: $(cg rmdir "$P/memory.stat")"
echo "rmdir probe/nonexistent: $(cg rmdir "$P/nonexistent")"
echo "create probe/newfile: $(cg creat "$P/newfile")"
echo "create probe/memory.stat (exists): $(cg creat "$P/memory.stat")"
echo "write to probe/newfile (absent): $(cg write "$P/newfile" 1)"
echo "unlink probe/memory.stat: $(cg unlink "$P/memory.stat")"
echo "unlink probe/tasks: $(cg unlink "$P/tasks")"
echo "unlink probe/d (a directory): $(cg unlink "$D")"
echo "unlink probe/nonexistent: $(cg unlink "$P/nonexistent")"
echo "rename probe/d -> probe/e: $(cg rename "$D" "$P/e")"
echo "  probe/e is a cgroup: $(rd "$P/e/memory.limit_in_bytes"); probe/d: $(rd "$D/memory.limit_in_bytes")"
echo "rename probe/e -> probe/d: $(cg rename "$P/e" "$D")"
echo "rename probe/d -> probe/d (same name): $(cg rename "$D" "$D")"
echo "rename probe/d -> probe/h (exists): $(cg rename "$D" "$H")"
echo "rename probe/d -> probe/memory.stat (a file): $(cg rename "$D" "$P/memory.stat")"
echo "rename probe/d -> probe/h/d (other parent): $(cg rename "$D" "$H/d")"
echo "rename probe/h/c -> probe/c (other parent): $(cg rename "$H/c" "$P/c")"
echo "rename probe/d -> probe/d\\nx: $(cg rename "$D" "$P/d\nx")"
echo "rename probe/d -> probe/<256 chars>: $(cg rename "$D" "$P/$(printf '%0256d' 0)")"
[ -d "$D" ] || cg rename "$P/$(printf '%0256d' 0)" "$D" >/dev/null
echo "rename probe/memory.stat -> probe/memory.foo: $(cg rename "$P/memory.stat" "$P/memory.foo")"
echo "rename probe/nonexistent -> probe/x: $(cg rename "$P/nonexistent" "$P/x")"
echo "# probe/d files after the renames"; modes "$D" | indent
echo "rmdir probe/d: $(cg rmdir "$D")"

# ---------------------------------------------------------------------------------------------
section "tasks / cgroup.procs: pids that are not moved (no real process is named)"
T=$P/t
echo "mkdir probe/t: $(cg mkdir "$T")"
PIDS=( '' '\n' ' ' junk -1 -0 '-1\n' 999999999 ' 999999999 ' '999999999\n' +999999999 0x3b9ac9ff 07346544777
       2147483647 2147483648 4294967296 99999999999999999999 1.0 '999999999 999999999' '999999999\0junk'
       0x 08 @BIG )
matrix "$T/tasks" = 999999999 "${PIDS[@]}"
matrix "$T/cgroup.procs" = 999999999 "${PIDS[@]}"
# "0" is the writer itself: cgio moves into probe/t and exits; the tasks file forgets it
echo "write \"0\" (cgio itself) to probe/t/tasks: $(cg write "$T/tasks" 0) -> after cgio exited: $(rd "$T/tasks")"
echo "write \"0\\n\" (cgio itself) to probe/t/cgroup.procs: $(cg write "$T/cgroup.procs" '0\n') -> after cgio exited: $(rd "$T/cgroup.procs")"

section "tasks / cgroup.procs: two sleeps of this script, moved between probe/t/a and probe/t/b"
A=$T/a B=$T/b
echo "mkdir probe/t/a: $(cg mkdir "$A")"
echo "mkdir probe/t/b: $(cg mkdir "$B")"
sleep 1000 </dev/null >/dev/null 2>&1 & s1=$!; SLEEPS+=("$s1")
sleep 1000 </dev/null >/dev/null 2>&1 & s2=$!; SLEEPS+=("$s2")
[ "$s1" -lt "$s2" ] || { t=$s1; s1=$s2; s2=$t; }    # <pid1> is the smaller pid
norm() { sed -E -e "s/0x$(printf %x "$s1")/0x<hex-pid1>/g" \
                -e ":a" -e "s/(^|[^0-9])$s1([^0-9]|\$)/\\1<pid1>\\2/g" -e "s/(^|[^0-9])$s2([^0-9]|\$)/\\1<pid2>\\2/g" -e "ta"; }
move() { # move FILE VALUE: write, then both cgroups' tasks and cgroup.procs
  # a pid's length varies: a write that took every byte shows as "ok <len>"
  local r n; r=$(cg write "$1" "$2"); n=$(printf '%b' "$2" | wc -c); [ "$r" = "ok $n" ] && r="ok <len>"
  echo "write \"$2\" to ${1#"$T"/}: $r -> a: tasks $(rd "$A/tasks") procs $(rd "$A/cgroup.procs"); b: tasks $(rd "$B/tasks") procs $(rd "$B/cgroup.procs")" | norm
}
move "$A/cgroup.procs" "$s2"                 # the larger pid first: the files list pids sorted
move "$A/cgroup.procs" "+$s1"
move "$A/tasks" "$s1"                        # already there
move "$B/tasks" " $s1 "
move "$B/cgroup.procs" "$s2\n"
move "$A/cgroup.procs" "0x$(printf %x "$s1")"
move "$A/tasks" "$s2 junk"
move "$A/tasks" "$s2 $s1"
move "$A/cgroup.procs" "$s2\0junk"
move "$B/tasks" "+$s2\n"
echo "rmdir probe/t/b (a task inside): $(cg rmdir "$B")"
echo "rmdir probe/t (children with tasks): $(cg rmdir "$T")"
echo "rename probe/t/b -> probe/t/c (a task inside): $(cg rename "$B" "$T/c")"
echo "  probe/t/c tasks: $(rd "$T/c/tasks" | norm)"
echo "rename probe/t/c -> probe/t/b: $(cg rename "$T/c" "$B")"
for s in "$s1" "$s2"; do kill "$s" 2>/dev/null; wait "$s" 2>/dev/null; done
SLEEPS=()
echo "after both sleeps were killed: a: tasks $(rd "$A/tasks") procs $(rd "$A/cgroup.procs"); b: tasks $(rd "$B/tasks") procs $(rd "$B/cgroup.procs")"
echo "rmdir probe/t/a: $(cg rmdir "$A")"
echo "rmdir probe/t/b: $(cg rmdir "$B")"
echo "rmdir probe/t: $(cg rmdir "$T")"

# ---------------------------------------------------------------------------------------------
section "cgroup.event_control: writes without valid fds (cgio: fd 0 /dev/null, 1 a pipe, 2 stderr; 99 not open)"
E=$P/ev Q=$P/q
echo "mkdir probe/ev: $(cg mkdir "$E")"
echo "mkdir probe/ev/k: $(cg mkdir "$E/k")"
echo "mkdir probe/q: $(cg mkdir "$Q")"
matrix "$E/cgroup.event_control" - '99 99 0' '' '\n' ' ' junk 0 '0 0' '0 0 0' '99 99 0' '99 1 0' '1 99 0' \
  '1 1 0' '-1 1 0' '99 99 0\0junk' @BIG

section "cgroup.event_control: registrations (v1-evctl: %e eventfd, %c CFILE, %o -o PATH, %n /dev/null, %x an fd not open, %E %e+2^32)"
# After a successful write, "eventfd" is the counter read at once (no registration signals at once here).
U=$E/memory.usage_in_bytes
echo "# parse errors and fd checks, in the kernel's order"
for t in '%e %c 4096' '%e %c 0' '%e %c -1' '%e %c 1M\n' ' %e %c 4096 ' '%e %c\n' '%e %c ' '%e %c 4096\0junk' \
         '%e' '%e ' '%e\n' '%e %c  4096' '%e  %c 4096' '%e\t%c 4096' '%e,%c 4096' '0x%e %c 4096' '+%e %c 4096' \
         '%e %cx 4096' '%E %c 4096' \
         '%x %c 4096' '%n %c 4096' '%c %c 4096' '%x %x 4096' '%n %x 4096' '%e %x 4096' '%e %n 4096' '%e %e 4096' \
         '%e %c junk' '%e %c 4096 junk' '%e %c 1.5M' '%e %c max'; do
  ev "$E" "$U" "$t"
done
echo "# the control file: its name and its cgroup"
ev "$E" "$E/memory.usage_in_bytes" '%e %c 16M'
ev "$E" "$E/memory.memsw.usage_in_bytes" '%e %c 16M'
ev "$E" "$E/memory.oom_control" '%e %c'
ev "$E" "$E/memory.oom_control" '%e %c junk'
ev "$E" "$E/memory.oom_control" '%e %c 4096'
ev "$E" "$E/memory.pressure_level" '%e %c low'
for f in memory.stat memory.kmem.usage_in_bytes memory.kmem.tcp.usage_in_bytes memory.max_usage_in_bytes \
         memory.limit_in_bytes memory.numa_stat cgroup.procs cgroup.event_control; do
  ev "$E" "$E/$f" '%e %c 4096'
done
ev "$E" "$Q/memory.usage_in_bytes" '%e %c 4096'          # another cgroup
ev "$E" "$E/k/memory.usage_in_bytes" '%e %c 4096'        # a child
ev "$E" "$R/memory.usage_in_bytes" '%e %c 4096'          # an ancestor (opened read-only)
ev "$E" "$E" '%e %c 4096'                                # the cgroup directory itself
ev "$E" "$E/memory.usage_in_bytes" '%e %o 4096' -o "$TMPD/plain"
echo "# memory.pressure_level arguments: level[,mode], cut to 19 characters"
for a in low medium critical low,default low,hierarchy low,local critical,hierarchy 'medium,local\n' low,local,junk \
         low,local,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 'low\0junk' critical,hierarchyX 'low,' ',low' LOW Low 'low local' \
         'low;local' ' low' 'low,local,' 'low,,local' 'lowx' '' ; do
  ev "$E" "$E/memory.pressure_level" "%e %c $a"
done
echo "# the writer must be able to read the control file (effective uid 65534 after every open)"
ev "$E" "$U" '%e %c 4096' -u 65534
ev "$E" "$U" '%e %o 4096' -u 65534 -o "$TMPD/secret"
ev "$E" "$U" '%e %o 4096' -o "$TMPD/secret"
ev "$E" "$U" '%e %o 4096' -u 65534 -o "$TMPD/plain"
echo "# rmdir signals every registration once"
echo "mkdir probe/ev2: $(cg mkdir "$P/ev2")"
ev "$P/ev2" "$P/ev2/memory.usage_in_bytes" '%e %c 4096' -r "$P/ev2"
echo "mkdir probe/ev2: $(cg mkdir "$P/ev2")"
ev "$P/ev2" "$P/ev2/memory.oom_control" '%e %c' -r "$P/ev2"
echo "mkdir probe/ev2: $(cg mkdir "$P/ev2")"
ev "$P/ev2" "$P/ev2/memory.pressure_level" '%e %c low' -r "$P/ev2"
echo "mkdir probe/ev2: $(cg mkdir "$P/ev2")"
ev "$P/ev2" "$P/ev2/memory.usage_in_bytes" '%e %c junk' -r "$P/ev2"

# ---------------------------------------------------------------------------------------------
section "cleanup"
for d in "$P/ev2" "$E/k" "$E" "$Q" "$H/c" "$H" "$P"; do echo "rmdir $(nm "$d"): $(cg rmdir "$d")"; done
exit 0
