# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared helpers of the memcg selftest scenarios (tests/scenarios/*.sh).
#
# Each scenario replays one test of the kernel's
# tools/testing/selftests/cgroup/test_memcontrol.c (Linux 6.18) with the same
# tree, the same sizes and the same assertions and tolerances, against one of
# two backends, chosen by $SCENARIO_BACKEND:
#
#   kernel   ROOT is a real cgroup2 mount; tasks are real memhog processes
#            (tests/tools/memhog.c) that write their pid to cgroup.procs.
#            Page cache goes to $SCENARIO_SCRATCH (default /scratch), which
#            must be a disk file system: tmpfs pages would be shmem.
#   memcgfs  ROOT is a memcgfs mount; tasks are simulated, made with
#            `memcgctl spawn`.
#
# A scenario is run as `bash SCENARIO.sh ROOT`, prints one line
# "PASS|FAIL|SKIP name: measured numbers" and exits 0, 1 or 77.
# Other settings: MEMHOG, PEAKFD, MEMCGCTL (tool paths), SCENARIO_SWAP (memcgfs:
# 1 if the mount has swap), SCENARIO_MOUNT_OPTS (memcgfs: its -o options).

set -u
export LC_ALL=C		# error texts are matched below

ROOT=${1:?usage: $0 CGROUP_ROOT}
ROOT=${ROOT%/}
SCENARIO=$(basename "$0" .sh)
SCENARIO_BACKEND=${SCENARIO_BACKEND:-kernel}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PEAKFD=${PEAKFD:-$HERE/peakfd}
MEMHOG=${MEMHOG:-$HERE/memhog}
MEMCGCTL=${MEMCGCTL:-$HERE/../../memcgctl}
SCRATCH=${SCENARIO_SCRATCH:-/scratch}

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/scenario.XXXXXX")
CGROUPS=()	# created by cg_create, removed in reverse order at exit
TASK_PIDS=()	# every task started, killed at exit
TASK_PID=	# the last task_start's pid
TASK_SEQ=0
declare -A TASK_OUT	# kernel: pid -> output file prefix of its wrapper
NOTES=()	# measured numbers for the result line
FAILS=()	# failed checks

case $SCENARIO_BACKEND in
kernel)
	[ -x "$MEMHOG" ] || { echo "FAIL $SCENARIO: no memhog at $MEMHOG"; exit 1; }
	[ -d "$SCRATCH" ] || { echo "FAIL $SCENARIO: no scratch directory $SCRATCH for page cache"; exit 1; }
	;;
memcgfs)
	[ -x "$MEMCGCTL" ] || { echo "FAIL $SCENARIO: no memcgctl at $MEMCGCTL"; exit 1; }
	;;
*)
	echo "FAIL $SCENARIO: SCENARIO_BACKEND must be kernel or memcgfs"; exit 1 ;;
esac

# ---------------------------------------------------------------- numbers

mb() { echo $(($1 << 20)); }

# "29.31M": bytes as MiB with two decimals, for the result line.
fmt_mb() {
	local b=$1 sign=
	[ "$b" -lt 0 ] && sign=- && b=$((-b))
	printf '%s%d.%02dM' "$sign" $((b >> 20)) $(((b & 0xfffff) * 100 >> 20))
}

# values_close A B ERR: the selftests' |a - b| <= (a + b) / 100 * err, in integers.
values_close() {
	local d=$(($1 - $2))
	[ "$d" -lt 0 ] && d=$((-d))
	# shellcheck disable=SC2017 # the selftest's rounding, on purpose
	[ "$d" -le $((($1 + $2) / 100 * $3)) ]
}

# atol TEXT: C's atol: leading blanks, an optional sign, digits; 0 if none.
atol() {
	local s=$1 sign=
	s=${s#"${s%%[![:space:]]*}"}
	case $s in
	-*) sign=-; s=${s#-} ;;
	+*) s=${s#+} ;;
	esac
	[[ $s =~ ^[0-9]+ ]] || { echo 0; return; }
	s=${BASH_REMATCH[0]}
	s=${s#"${s%%[!0]*}"}	# no leading zeros: bash would read octal
	echo "$sign${s:-0}"
}

# ---------------------------------------------------------------- files

# cg_read FILE: its content into CG_TEXT (trailing newline kept); 1 if unreadable.
cg_read() {
	CG_TEXT=
	[ -r "$1" ] || return 1
	CG_TEXT=$(cat "$1" 2>/dev/null && echo .) || return 1
	CG_TEXT=${CG_TEXT%.}
}

# cg_read_long FILE: atol of the content, -1 if unreadable (cg_read_long).
cg_read_long() {
	cg_read "$1" || { echo -1; return; }
	atol "$CG_TEXT"
}

# cg_read_key FILE KEY: atol after the first occurrence of KEY, -1 if absent
# (strstr + atol, as cg_read_key_long: KEY carries its trailing space).
cg_read_key() {
	cg_read "$1" || { echo -1; return; }
	case $CG_TEXT in
	*"$2"*) atol "${CG_TEXT#*"$2"}" ;;
	*) echo -1 ;;
	esac
}

# cg_read_is FILE TEXT: the exact bytes (cg_read_strcmp); TEXT has its "\n".
cg_read_is() {
	cg_read "$1" && [ "$CG_TEXT" = "$2" ]
}

# cg_write FILE VALUE: one write; 0 on success, else 1 with the errno's name
# (EAGAIN, EBUSY, ...) or message in CG_WRITE_ERR.
cg_write() {
	local err
	CG_WRITE_ERR=
	err=$( { printf '%s' "$2" > "$1"; } 2>&1 ) && return 0
	case $err in
	*"temporarily unavailable"*) CG_WRITE_ERR=EAGAIN ;;
	*"busy"*) CG_WRITE_ERR=EBUSY ;;
	*"No such file"*) CG_WRITE_ERR=ENOENT ;;
	*"Invalid argument"*) CG_WRITE_ERR=EINVAL ;;
	*) CG_WRITE_ERR=${err##*: } ;;
	esac
	return 1
}

# ---------------------------------------------------------------- cgroups

# The root must offer the memory controller to its children, as the
# selftest's main() arranges.
prepare_root() {
	if ! cg_read "$ROOT/cgroup.controllers" || [[ $CG_TEXT != *memory* ]]; then
		skip "memory controller isn't available"
	fi
	cg_read "$ROOT/cgroup.subtree_control"
	[[ $CG_TEXT == *memory* ]] || cg_write "$ROOT/cgroup.subtree_control" +memory ||
		skip "cannot enable +memory on the root"
}

cg_create() {
	mkdir "$1" || { fail "mkdir $1"; finish; }
	CGROUPS+=("$1")
}

# Kill whatever is left in the cgroup, then rmdir, retrying while it is busy
# (dying processes leave a cgroup a little after they are reaped).
cg_destroy() {
	local i
	[ -d "$1" ] || return 0
	[ -e "$1/cgroup.kill" ] && cg_write "$1/cgroup.kill" 1
	for i in $(seq 50); do
		rmdir "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "  warning: cannot remove $1" >&2
}

# memcgctl names cgroups relative to the mount.
cg_rel() {
	local rel=${1#"$ROOT"}
	echo "${rel:-/}"
}

# True if the cgroup2 mount was made with OPTION (memory_recursiveprot,
# memory_localevents). The selftest looks for the word in /proc/mounts; a FUSE
# mount does not show its own options there, so memcgfs runs say them.
has_mount_opt() {
	case $SCENARIO_BACKEND in
	kernel) grep -q "$1" /proc/mounts ;;
	memcgfs) [[ ,${SCENARIO_MOUNT_OPTS:-}, == *,"$1",* ]] ;;
	esac
}

# is_swap_enabled of the selftests: the machine has swap.
swap_enabled() {
	case $SCENARIO_BACKEND in
	kernel) [ "$(awk '/^SwapTotal:/ { print $2 }' /proc/meminfo)" -gt 0 ] ;;
	memcgfs) [ "${SCENARIO_SWAP:-0}" != 0 ] ;;
	esac
}

# ---------------------------------------------------------------- tasks

# task_start CGROUP [--anon SIZE] [--file SIZE] [--oom-score-adj N]
# A task that allocates, then holds its memory until killed (the selftests'
# cg_run_nowait with an *_noexit function). Returns 0 once it is fully charged,
# with its pid in TASK_PID; otherwise the status it died with (137: killed),
# or 1 if it could not start (e.g. EBUSY from cgroup.procs).
task_start() {
	local cg=$1 out i rc
	shift
	TASK_PID=
	case $SCENARIO_BACKEND in
	memcgfs)
		# --wait: memcgctl prints the pid, then exits when the task settles
		# (a task stuck for 150 s counts as failed: status 124)
		TASK_PID=$(timeout 150 "$MEMCGCTL" -m "$ROOT" spawn "$(cg_rel "$cg")" "$@" --wait 2>"$TMPD/err")
		rc=$?
		[ -n "$TASK_PID" ] && TASK_PIDS+=("$TASK_PID")
		return $rc
		;;
	kernel)
		# A wrapper subshell waits for memhog and records its status, so
		# task_kill can wait for the end, and bash's "Killed" report of an
		# OOM-killed holder goes to /dev/null instead of the transcript.
		out=$TMPD/task.$((++TASK_SEQ))
		: >"$out"
		{
			"$MEMHOG" --cgroup-procs "$cg/cgroup.procs" --dir "$SCRATCH" "$@" \
				>"$out" 2>"$out.err" &
			echo $! >"$out.pid"
			wait $!
			echo $? >"$out.status"
		} 2>/dev/null &
		until [ -s "$out.pid" ]; do sleep 0.01; done
		TASK_PID=$(cat "$out.pid")
		TASK_PIDS+=("$TASK_PID")
		TASK_OUT[$TASK_PID]=$out
		# "ready" once everything is touched; a throttled task may take a while
		for i in $(seq 3000); do
			grep -q ready "$out" && return 0
			if [ -s "$out.status" ]; then
				rc=$(cat "$out.status")
				return $((rc ? rc : 1))
			fi
			sleep 0.05
		done
		echo "  warning: task $TASK_PID not ready after 150 s" >&2
		return 1
		;;
	esac
}

# task_start_nowait CGROUP [--anon SIZE] ...: a task that allocates, then
# holds its memory until killed, started without waiting for anything (the
# selftests' cg_run_nowait); its pid in TASK_PID. Returns 1 if it could not start.
task_start_nowait() {
	local cg=$1 out
	shift
	TASK_PID=
	case $SCENARIO_BACKEND in
	memcgfs)
		TASK_PID=$("$MEMCGCTL" -m "$ROOT" spawn "$(cg_rel "$cg")" "$@" 2>"$TMPD/err") || return 1
		;;
	kernel)
		out=$TMPD/task.$((++TASK_SEQ))
		: >"$out"
		{
			"$MEMHOG" --cgroup-procs "$cg/cgroup.procs" --dir "$SCRATCH" "$@" \
				>"$out" 2>"$out.err" &
			echo $! >"$out.pid"
			wait $!
			echo $? >"$out.status"
		} 2>/dev/null &
		until [ -s "$out.pid" ]; do sleep 0.01; done
		TASK_PID=$(cat "$out.pid")
		TASK_OUT[$TASK_PID]=$out
		;;
	esac
	TASK_PIDS+=("$TASK_PID")
}

# task_run CGROUP [--anon SIZE] [--file SIZE]: a task that allocates, frees
# and exits (cg_run). Returns 0 if it finished, non-zero if it was killed
# (137) or failed.
task_run() {
	local cg=$1 pid rc
	shift
	case $SCENARIO_BACKEND in
	memcgfs)
		pid=$(timeout 150 "$MEMCGCTL" -m "$ROOT" spawn "$(cg_rel "$cg")" "$@" --wait 2>"$TMPD/err")
		rc=$?
		# charged in full: it now frees everything and exits
		{ [ "$rc" = 0 ] || [ "$rc" = 124 ]; } && "$MEMCGCTL" -m "$ROOT" kill "$pid" >/dev/null 2>&1
		return $rc
		;;
	kernel)
		# the outer 2>/dev/null silences bash's "Killed" report
		{ "$MEMHOG" --cgroup-procs "$cg/cgroup.procs" --dir "$SCRATCH" --exit "$@" \
			>/dev/null 2>"$TMPD/run.err"; } 2>/dev/null
		;;
	esac
}

# task_kill PID: SIGKILL and wait until it is gone; non-zero if no such task.
task_kill() {
	case $SCENARIO_BACKEND in
	memcgfs)
		"$MEMCGCTL" -m "$ROOT" kill "$1" >/dev/null 2>&1 ;;
	kernel)
		local out=${TASK_OUT[$1]:-} i
		kill -9 "$1" 2>/dev/null || return 1
		# gone once its wrapper has reaped it (the selftests' waitpid)
		for i in $(seq 1000); do
			[ -z "$out" ] || [ -s "$out.status" ] && return 0
			sleep 0.01
		done
		return 0
		;;
	esac
}

# cg_test_proc_killed CGROUP: the OOM killer works asynchronously; give the
# cgroup 10 x 100 ms to become empty.
cg_test_proc_killed() {
	local i
	for i in $(seq 10); do
		cg_read_is "$1/cgroup.procs" "" && return 0
		sleep 0.1
	done
	return 1
}

# reclaim_until CGROUP GOAL: the selftests' helper. Up to 5 rounds: stop once
# memory.current is below GOAL or within 3% of it; a write to memory.reclaim
# that succeeded without getting there fails; EAGAIN is tolerated. True if a
# write succeeded. Leaves the last memory.current read in RECLAIM_CURRENT.
reclaim_until() {
	local cg=$1 goal=$2 retries reclaimed=0
	for ((retries = 5; retries > 0; retries--)); do
		RECLAIM_CURRENT=$(cg_read_long "$cg/memory.current")
		if [ "$RECLAIM_CURRENT" -lt "$goal" ] || values_close "$RECLAIM_CURRENT" "$goal" 3; then
			break
		elif [ $reclaimed = 1 ]; then
			return 1
		fi
		if cg_write "$cg/memory.reclaim" $((RECLAIM_CURRENT - goal)); then
			reclaimed=1
		elif [ "$CG_WRITE_ERR" != EAGAIN ]; then
			return 1
		fi
	done
	[ $reclaimed = 1 ]
}

# ---------------------------------------------------------------- open files

# The peakfd coprocess holds files open between commands (per-fd peaks).
peak_start() {
	[ -x "$PEAKFD" ] || { fail "no peakfd at $PEAKFD"; finish; }
	coproc PEAKFD_PROC { "$PEAKFD"; }
}

# peak CMD ID [ARG]: one peakfd command; its reply in PEAK.
peak() {
	echo "$*" >&"${PEAKFD_PROC[1]}"
	# shellcheck disable=SC2034 # read by the scenarios
	read -r PEAK <&"${PEAKFD_PROC[0]}"
}

# ---------------------------------------------------------------- results

note() { NOTES+=("$*"); }

fail() { FAILS+=("$*"); }

# check DESCRIPTION COMMAND...: record a failure if COMMAND is false.
check() {
	local what=$1
	shift
	"$@" || fail "$what"
}

# Close open files, kill tasks, remove cgroups (children first). Idempotent.
cleanup() {
	local pid i
	if [ -n "${PEAKFD_PROC_PID:-}" ]; then
		pid=$PEAKFD_PROC_PID
		i=${PEAKFD_PROC[1]}
		exec {i}>&-	# EOF: peakfd closes its files and exits
		wait "$pid" 2>/dev/null
		PEAKFD_PROC_PID=
	fi
	for pid in "${TASK_PIDS[@]}"; do
		task_kill "$pid" 2>/dev/null
	done
	TASK_PIDS=()
	for ((i = ${#CGROUPS[@]} - 1; i >= 0; i--)); do
		cg_destroy "${CGROUPS[i]}"
	done
	CGROUPS=()
	rm -rf "$TMPD"
}
trap cleanup EXIT

skip() {
	cleanup
	echo "SKIP $SCENARIO: $*"
	exit 77
}

# One line: PASS or FAIL, the measured numbers, then every failed check.
finish() {
	local f failed=
	cleanup
	if [ ${#FAILS[@]} = 0 ]; then
		echo "PASS $SCENARIO: ${NOTES[*]}"
		exit 0
	fi
	for f in "${FAILS[@]}"; do
		failed+="${failed:+; }$f"
	done
	echo "FAIL $SCENARIO: ${NOTES[*]} | failed: $failed"
	exit 1
}
