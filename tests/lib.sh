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

# require_root WHY: a test that needs root (CI runs as root) skips only
# where FUSE may be missing too
require_root() {
	[ "$(id -u)" = 0 ] || skip_or_fail "needs root: $*"
}

require_fuse() {
	[ -c /dev/fuse ] || skip_or_fail "/dev/fuse is missing"
	command -v fusermount3 >/dev/null || skip_or_fail "fusermount3 is missing"
	[ -r /dev/fuse ] && [ -w /dev/fuse ] || skip_or_fail "/dev/fuse is not usable by $(id -un)"
}

# become_unprivileged: run this test script again as an unprivileged user
# (uid and gid $MEMCGFS_TEST_UID, default 65534), who mounts memcgfs the
# way a user without root does: fusermount3, no allow_other. Called before
# anything else; a script not run as root just goes on as it is.
#
# As root it takes a private mount namespace, binds a 0666 /dev/fuse node
# over the host's there (Debian's is 0666; a machine may have 0600, and
# the host's node is never changed), and copies the tests and the built
# programs to a directory the user can read (a build under a 0700 mktemp
# -d is not), then drops every privilege with setpriv.
become_unprivileged() {
	local uid=${MEMCGFS_TEST_UID:-65534} stage var status
	[ "$(id -u)" = 0 ] || return 0
	command -v unshare >/dev/null && command -v setpriv >/dev/null ||
		skip_or_fail "unshare or setpriv is missing: cannot test as an unprivileged user"
	stage=$(mktemp -d "${TMPDIR:-/tmp}/memcgfs-unprivileged.XXXXXX") || exit 99
	chmod 755 "$stage"
	cp -r "${srcdir:-.}/tests" "$stage/tests" && cp "$0" "$stage/test.sh" || exit 99
	for var in MEMCGFS MEMCGCTL CGIO POLLWAIT V1_EVCTL PEAKFD MEMCG_EVENT MEMHOLD GOPROBE; do
		[ -n "${!var:-}" ] && [ -x "${!var}" ] || continue
		cp "${!var}" "$stage/${var,,}" || exit 99
		export "$var=$stage/${var,,}"
	done
	# LeakSanitizer must still read its suppressions, now from the copy
	case ${LSAN_OPTIONS:-} in
	*suppressions=*/tests/lsan.supp*)
		export LSAN_OPTIONS=$(echo "$LSAN_OPTIONS" | sed "s|suppressions=[^:]*/tests/lsan.supp|suppressions=$stage/tests/lsan.supp|") ;;
	esac
	chmod -R a+rX "$stage"
	trap - EXIT
	unshare -m -- "$BASH" -c '
		set -e
		if ! setpriv --reuid="$1" --regid="$1" --clear-groups test -w /dev/fuse; then
			mknod "$2/fuse" c 10 229
			chmod 666 "$2/fuse"
			mount --bind "$2/fuse" /dev/fuse
			rm "$2/fuse"
		fi
		cd "$2"
		exec setpriv --reuid="$1" --regid="$1" --clear-groups --inh-caps=-all \
			env HOME="$2" srcdir="$2" MEMCGFS_UNPRIVILEGED=1 "$BASH" "$2/test.sh"
	' _ "$uid" "$stage"
	status=$?
	rm -rf "$stage"
	exit "$status"
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
	local status i
	# an unmount that races the notifier's truncate is refused with EBUSY
	# (memcgfs(8), NOTIFICATIONS): as a user would, try again
	for i in $(seq 50); do
		fusermount3 -u "$MNT" 2>/dev/null && break
		sleep 0.1
	done
	if is_mounted "$MNT"; then
		echo "FAIL: fusermount3 -u $MNT: still mounted after 5 s" >&2
		FAILURES=$((FAILURES + 1))
		fusermount3 -u -z "$MNT"
	fi
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

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds; 1 if it never did.
# For what must happen eventually, with a generous bound: never a speed test.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
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
