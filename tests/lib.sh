# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared harness of the integration tests: mount a fresh memcgfs under
# mktemp -d, always unmount (trap), fail a test with a message. Sourced by
# tests/integration/*.sh, which automake runs with MEMCGFS and MEMCGCTL set.
#
# Exit codes follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.
# With MEMCGFS_REQUIRE_FUSE=1 a machine without FUSE is a hard error.

set -u

MEMCGFS=${MEMCGFS:-$(pwd)/memcgfs}
MEMCGCTL=${MEMCGCTL:-$(pwd)/memcgctl}
MNT=
DAEMON_PID=
FAILURES=0

skip_or_fail() {
	if [ "${MEMCGFS_REQUIRE_FUSE:-0}" = 1 ]; then
		echo "ERROR: $* (MEMCGFS_REQUIRE_FUSE=1: a machine without FUSE fails)" >&2
		exit 99
	fi
	echo "SKIP: $*" >&2
	exit 77
}

require_fuse() {
	[ -c /dev/fuse ] || skip_or_fail "/dev/fuse is missing"
	command -v fusermount3 >/dev/null || skip_or_fail "fusermount3 is missing"
	[ -r /dev/fuse ] && [ -w /dev/fuse ] || skip_or_fail "/dev/fuse is not usable by $(id -un)"
}

is_mounted() {
	grep -q " $1 fuse.memcgfs " /proc/self/mounts
}

# Lazy unmount and kill: the path taken when a test dies half way.
cleanup() {
	if [ -n "$MNT" ]; then
		is_mounted "$MNT" && fusermount3 -u -z "$MNT" 2>/dev/null
		[ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null
		[ -n "$DAEMON_PID" ] && wait "$DAEMON_PID" 2>/dev/null
		rmdir "$MNT" 2>/dev/null
	fi
	MNT=
	DAEMON_PID=
}
trap cleanup EXIT

# mount_memcgfs [memcgfs options...]: sets MNT and DAEMON_PID.
mount_memcgfs() {
	local i
	require_fuse
	MNT=$(mktemp -d "${TMPDIR:-/tmp}/memcgfs-test.XXXXXX")
	"$MEMCGFS" -f "$@" "$MNT" &
	DAEMON_PID=$!
	for i in $(seq 100); do
		is_mounted "$MNT" && return 0
		kill -0 "$DAEMON_PID" 2>/dev/null || { echo "ERROR: memcgfs died while mounting" >&2; exit 99; }
		sleep 0.05
	done
	echo "ERROR: memcgfs did not mount within 5 s" >&2
	exit 99
}

# Strict unmount: the daemon must exit 0 (so LeakSanitizer reports run).
unmount_memcgfs() {
	local status
	fusermount3 -u "$MNT" || { echo "FAIL: fusermount3 -u $MNT" >&2; FAILURES=$((FAILURES + 1)); }
	wait "$DAEMON_PID"
	status=$?
	DAEMON_PID=
	rmdir "$MNT"
	MNT=
	if [ "$status" != 0 ]; then
		echo "FAIL: memcgfs exited with status $status" >&2
		FAILURES=$((FAILURES + 1))
	fi
}

ctl() {
	"$MEMCGCTL" -m "$MNT" "$@"
}

fail() {
	echo "FAIL: $*" >&2
	FAILURES=$((FAILURES + 1))
}

# expect DESCRIPTION EXPECTED ACTUAL
expect() {
	if [ "$2" != "$3" ]; then
		fail "$1: expected '$2', got '$3'"
	fi
}

# write_errno FILE VALUE: one write; prints "ok" or the error text of strerror.
write_result() {
	local out
	if out=$( { printf '%s' "$2" > "$1"; } 2>&1 ); then
		echo ok
	else
		echo "${out##*: }"
	fi
}

finish() {
	cleanup
	if [ "$FAILURES" -gt 0 ]; then
		echo "$FAILURES check(s) failed" >&2
		exit 1
	fi
	exit 0
}
