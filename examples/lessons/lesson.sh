# SPDX-License-Identifier: LGPL-2.1-or-later
# The lessons' shared part, sourced by each NN-*.sh: it mounts a cgroup v1
# and a cgroup v2 tree side by side, both on a manual clock (so a lesson
# prints the same every time), runs commands on one or the other, and
# prints their files next to each other.
#
#   lesson_begin TITLE         mount both trees, print the title
#   v1 'CMD' / v2 'CMD'        show the command, run it at the root of that tree
#   both 'CMD'                 the same command on both trees
#   compare V1FILE V2FILE      the two files side by side (paths from the roots;
#                              @NAME: what listener NAME printed)
#   listen TREE NAME 'CMD'     run CMD in the background at the root of TREE
#                              (v1 or v2), its output kept as @NAME; return once
#                              it printed its first line
#   await NAME N               wait (10 s at most) until @NAME has N lines
#   notice TEXT                what to notice, on a line of its own
#   lesson_record [CGROUP...]  with LESSON_CHARTS=DIR: record both trees from now
#   lesson_end                 unmount; with LESSON_CHARTS, draw DIR/NAME-v1.svg and -v2.svg
#
# memcgfs and memcgctl are $MEMCGFS and $MEMCGCTL, else the build's in
# build/plain, else those on PATH. Simulated pids are the same on every run,
# and the mount points never appear in what a lesson prints.
set -u

LESSON_NAME=$(basename "$0" .sh)
LESSON_DIR=$(cd "$(dirname "$0")" && pwd)
if [ -z "${MEMCGFS:-}" ]; then
	MEMCGFS=$LESSON_DIR/../../build/plain/memcgfs
	[ -x "$MEMCGFS" ] || MEMCGFS=memcgfs
fi
if [ -z "${MEMCGCTL:-}" ]; then
	MEMCGCTL=$LESSON_DIR/../../build/plain/memcgctl
	[ -x "$MEMCGCTL" ] || MEMCGCTL=memcgctl
fi
if [ -z "${MEMCG_EVENT:-}" ]; then
	MEMCG_EVENT=$LESSON_DIR/../../build/plain/examples/memcg_event
	[ -x "$MEMCG_EVENT" ] || MEMCG_EVENT=memcg_event
fi
if [ -z "${MEMCG_POLL:-}" ]; then
	MEMCG_POLL=$(dirname "$MEMCG_EVENT")/memcg_poll
	[ -x "$MEMCG_POLL" ] || MEMCG_POLL=memcg_poll
fi
export MEMCGFS MEMCGCTL MEMCG_EVENT MEMCG_POLL

LESSON_TMP=
V1=
V2=
LESSON_PIDS=()
LESSON_RECORDERS=()
LESSON_LISTENERS=()

lesson_cleanup() {
	local m pid
	for pid in "${LESSON_LISTENERS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for m in "$V1" "$V2"; do
		[ -n "$m" ] && grep -q " $m fuse.memcgfs " /proc/self/mounts && fusermount3 -u -z "$m"
	done
	for pid in "${LESSON_PIDS[@]}" "${LESSON_RECORDERS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	[ -n "$LESSON_TMP" ] && rm -rf "$LESSON_TMP"
	LESSON_TMP=
}
trap lesson_cleanup EXIT

# memcgctl for the tree the command runs in (lessons name it plainly)
memcgctl() {
	"$MEMCGCTL" -m "$LESSON_MOUNT" "$@"
}
memcg_event() {
	"$MEMCG_EVENT" "$@"
}
memcg_poll() {
	"$MEMCG_POLL" "$@"
}

lesson_mount() {
	local dir=$1 i
	shift
	mkdir "$dir"
	"$MEMCGFS" -f --clock=manual --ram=1G --swap=1G "$@" "$dir" &
	LESSON_PIDS+=($!)
	for i in $(seq 100); do
		grep -q " $dir fuse.memcgfs " /proc/self/mounts && return 0
		sleep 0.05
	done
	echo "lesson: memcgfs did not mount" >&2
	exit 1
}

lesson_begin() {
	LESSON_TMP=$(mktemp -d "${TMPDIR:-/tmp}/lesson.XXXXXX")
	V1=$LESSON_TMP/v1
	V2=$LESSON_TMP/v2
	lesson_mount "$V1" --mode=v1
	lesson_mount "$V2" --mode=v2
	echo "=== $1"
	echo "    (two trees on a 1G machine with 1G of swap: v1 on the left, v2 on the right;"
	echo "     the clock moves only when the lesson steps it)"
	echo
}

# run TREE MOUNT CMD: show CMD, run it at the root of the tree, its errors
# as an interactive shell prints them
run() {
	local tree=$1 mount=$2 cmd=$3
	echo "$tree\$ $cmd"
	(cd "$mount" && LESSON_MOUNT=$mount && eval "$cmd") 2>&1 |
		sed -e 's/^.*: line [0-9]*: /bash: /' -e "s|$LESSON_TMP/v[12]|.|g" | sed 's/^/    /'
}
v1() {
	run v1 "$V1" "$1"
}
v2() {
	run v2 "$V2" "$1"
}
both() {
	local cmd=$1
	echo "v1,v2\$ $cmd"
	for m in "$V1" "$V2"; do
		(cd "$m" && LESSON_MOUNT=$m && eval "$cmd") 2>&1 | sed 's/^/    /'
	done
}

listen() {
	local tree=$1 name=$2 cmd=$3 mount i
	[ "$tree" = v1 ] && mount=$V1 || mount=$V2
	echo "$tree\$ $cmd &"
	# exec: the listener is the process killed at the end, not a subshell
	local prog=${cmd%% *} args=${cmd#* }
	case $prog in
	memcg_event) prog=$MEMCG_EVENT ;;
	memcg_poll) prog=$MEMCG_POLL ;;
	esac
	# made here, not by the background redirection: await may look first
	: > "$LESSON_TMP/$name"
	# shellcheck disable=SC2086 # the arguments are words
	(cd "$mount" && exec "$prog" $args) >> "$LESSON_TMP/$name" 2>&1 &
	LESSON_LISTENERS+=($!)
	await "$name" 1
}

await() {
	local i
	for i in $(seq 200); do
		[ "$(wc -l < "$LESSON_TMP/$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	echo "lesson: $1 printed no more than: $(cat "$LESSON_TMP/$1")" >&2
}

# show TREE PATH: what `cat PATH` prints at the root of TREE, or listener @NAME's output
show() {
	case $2 in
	@*) cat "$LESSON_TMP/${2#@}" ;;
	*) (cd "$1" && cat "$2" 2>&1 | sed 's/^.*cat: /cat: /') ;;
	esac
}

# compare V1FILE V2FILE: each file's lines under its name, in two columns
compare() {
	local left right
	left=$(show "$V1" "$1")
	right=$(show "$V2" "$2")
	awk -v ln="v1 $1" -v rn="v2 $2" -v l="$left" -v r="$right" 'BEGIN {
		nl = split(l, L, "\n"); nr = split(r, R, "\n")
		printf "  %-38s %s\n", ln, rn
		for (i = 1; i <= (nl > nr ? nl : nr); i++)
			printf "  %-38s %s\n", (i <= nl ? "  " L[i] : ""), (i <= nr ? "  " R[i] : "")
	}'
}

notice() {
	echo "$*" | fold -s -w 72 | sed -e 's/ *$//' -e '1s/^/  ==> /' -e '2,$s/^/      /'
	echo
}

lesson_record() {
	[ -n "${LESSON_CHARTS:-}" ] || return 0
	mkdir -p "$LESSON_CHARTS"
	"$MEMCGCTL" -m "$V1" record --interval 100ms --out "$LESSON_CHARTS/$LESSON_NAME-v1.csv" "$@" &
	LESSON_RECORDERS+=($!)
	"$MEMCGCTL" -m "$V2" record --interval 100ms --out "$LESSON_CHARTS/$LESSON_NAME-v2.csv" "$@" &
	LESSON_RECORDERS+=($!)
	# the first rows say the recorders are listening
	for f in v1 v2; do
		for i in $(seq 100); do
			[ -f "$LESSON_CHARTS/$LESSON_NAME-$f.csv" ] &&
				[ "$(wc -l < "$LESSON_CHARTS/$LESSON_NAME-$f.csv")" -ge 2 ] && break
			sleep 0.05
		done
	done
}

lesson_end() {
	local pid t
	# a listener still waiting holds a file of the mount open
	for pid in "${LESSON_LISTENERS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	LESSON_LISTENERS=()
	for m in "$V1" "$V2"; do
		fusermount3 -u "$m"
	done
	for pid in "${LESSON_PIDS[@]}" "${LESSON_RECORDERS[@]}"; do
		wait "$pid"
	done
	LESSON_PIDS=()
	if [ "${#LESSON_RECORDERS[@]}" -gt 0 ]; then
		for t in v1 v2; do
			"$MEMCGCTL" plot "$LESSON_CHARTS/$LESSON_NAME-$t.csv" -o "$LESSON_CHARTS/$LESSON_NAME-$t.svg"
		done
		echo "(charts: $LESSON_CHARTS/$LESSON_NAME-v1.svg and -v2.svg)" >&2
	fi
	LESSON_RECORDERS=()
}
