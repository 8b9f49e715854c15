#!/bin/bash
# perm-probe.sh ROOT v1|v2 [KTHREADS]: who may move which process, and who owns what a user makes.
#
# Prints a transcript of the permission rules of a cgroup hierarchy: the mode and owner of a new
# cgroup and of one a user made in a delegated cgroup (cgroup_kn_set_ugid()), chown of a directory
# (that node only), and writes of pids to cgroup.procs by a user (uid 65534) with the processes
# of several owners: the kernel's rules (v2: cgroup_procs_write_permission(), the cgroup.procs of
# the common ancestor; v1: __cgroup1_procs_write(), the writer's euid against the target's uid and
# saved uid), an fd opened by root and written by the user (the opener's credentials count), and,
# with KTHREADS=1, pid 2. The same script runs on a real kernel (tests/golden/perm-probe.*) and on
# a memcgfs mount made by root (tests/integration/permissions.sh).
#
# Safety (a real hierarchy is shared with the machine): everything happens in ROOT/perm-probe-$$
# and its children, removed at the end; the only processes moved are the script's own sleeps,
# moved back to ROOT before they are killed; pid 2 is written only with KTHREADS=1, which is for a
# throwaway VM or memcgfs, never a shared machine. Run as root; needs setpriv.
set -u
export LC_ALL=C
umask 022
R=${1:?usage: perm-probe.sh ROOT v1|v2 [KTHREADS]}
R=${R%/}
MODE=${2:?usage: perm-probe.sh ROOT v1|v2 [KTHREADS]}
KTHREADS=${3:-0}
U=65534
S=$R/perm-probe-$$
SLEEPS=()

if [ "$MODE" = v2 ]; then
	DELEGATE="cgroup.procs cgroup.threads cgroup.subtree_control"
	CORE=cgroup.max.depth
else
	DELEGATE="cgroup.procs tasks"
	CORE=notify_on_release
fi

as_user() { setpriv --reuid=$U --regid=$U --clear-groups "$@"; }
# put [as_user] PID FILE: one write of PID; "ok" or the error
put() {
	local out
	if out=$("$@" 2>&1); then echo ok; else echo "${out##*: }"; fi
}
# write_pid PID FILE, as a program setpriv can run
write_pid() { bash -c 'echo "$0" > "$1"' "$1" "$2"; }
WRITE='echo "$0" > "$1"' 
attr() { stat -c '%a %u:%g' "$1"; }
# start [setpriv options]: a sleep with those credentials; its pid in $started
start() {
	if [ $# -gt 0 ]; then setpriv "$@" sleep 300 & else sleep 300 & fi
	started=$!
	disown
	SLEEPS+=("$started")
}
# a process killed and not yet reaped is gone too
alive() { grep -qv '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null && echo alive || echo gone; }

mkdir -m 700 "$S" && echo "mkdir -m 700: $(attr "$S")" && rmdir "$S"
mkdir "$S" || exit 1
echo "mkdir: $(attr "$S"), cgroup.procs $(attr "$S/cgroup.procs")"
chown $U:$U "$S"
echo "chown of the directory: $(attr "$S"), cgroup.procs $(attr "$S/cgroup.procs")"
for f in $DELEGATE; do chown $U:$U "$S/$f"; done
echo "user mkdir: $(put as_user mkdir "$S/c")"
echo "its directory $(attr "$S/c"), cgroup.procs $(attr "$S/c/cgroup.procs"), $CORE $(attr "$S/c/$CORE")"
echo "user chmod of its file: $(put as_user chmod 600 "$S/c/$CORE") $(attr "$S/c/$CORE")"
echo "user chown to root: $(put as_user chown 0 "$S/c/$CORE")"
echo "user mkdir -m 700: $(put as_user mkdir -m 700 "$S/c/d") $(attr "$S/c/d")"
echo "user rmdir: $(put as_user rmdir "$S/c/d")"

start --reuid=$U --regid=$U --clear-groups; usleep=$started
start; rootsleep=$started
start --ruid=$U; ruid_user=$started
start --euid=$U; euid_user=$started
start; rootsleep2=$started
sleep 0.3

echo "user: its own process into a cgroup of its own: $(put as_user bash -c "$WRITE" $usleep "$S/cgroup.procs")"
echo "root moves it there: $(put bash -c "$WRITE" $usleep "$S/cgroup.procs")"
echo "user: its own process within its cgroups: $(put as_user bash -c "$WRITE" $usleep "$S/c/cgroup.procs")"
echo "user: its own shell (0): $(put as_user bash -c "$WRITE" 0 "$S/c/cgroup.procs")"
echo "user: root's process from the root: $(put as_user bash -c "$WRITE" $rootsleep "$S/c/cgroup.procs")"
echo "user: root's process to tasks or cgroup.threads: $(put as_user bash -c "$WRITE" $rootsleep "$S/c/${DELEGATE#* }")"
for who in rootsleep ruid_user euid_user; do
	write_pid ${!who} "$S/cgroup.procs"
	echo "user: $who within its cgroups: $(put as_user bash -c "$WRITE" ${!who} "$S/c/cgroup.procs")"
done
exec 3>"$S/c/cgroup.procs"
echo "user, through root's open fd: $(put as_user bash -c 'echo "$0" >&3' $rootsleep2)"
exec 3>&-
if [ "$KTHREADS" = 1 ]; then
	echo "root: pid 2: $(put bash -c "$WRITE" 2 "$S/c/cgroup.procs")"
	echo "user: pid 2: $(put as_user bash -c "$WRITE" 2 "$S/c/cgroup.procs")"
fi
echo "in c: $(grep -cxE "$usleep|$rootsleep|$ruid_user|$euid_user|$rootsleep2" "$S/c/cgroup.procs")"
if [ "$MODE" = v2 ]; then
	echo "user: cgroup.kill: $(put as_user bash -c "$WRITE" 1 "$S/c/cgroup.kill")"
	sleep 0.5
	for who in usleep rootsleep ruid_user euid_user rootsleep2; do
		echo "$who after cgroup.kill: $(alive ${!who})"
	done
fi

for s in "${SLEEPS[@]}"; do write_pid "$s" "$R/cgroup.procs" 2>/dev/null; kill "$s" 2>/dev/null; done
for s in "${SLEEPS[@]}"; do while [ "$(alive "$s")" = alive ]; do sleep 0.1; done; done
rmdir "$S/c" "$S"
echo "removed: $([ -e "$S" ] && echo no || echo yes)"
