# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared checks of the `memcgctl run` tests (tests/integration/run*.sh),
# sourced after tests/lib.sh. Each check runs a real, unmodified program
# inside and compares what it says with the mount's own files.

# need PROGRAM...: a program the checks run; build-aux/deps.sh installs them.
need() {
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null || skip_or_fail "$p is missing (build-aux/deps.sh installs it)"
	done
}

# build_goprobe: tests/tools/cgprobe, a Go program on Debian's containerd
# cgroups library, built offline (GOPATH mode over /usr/share/gocode) into the
# build directory once, with its build cache there too. Sets GOPROBE.
build_goprobe() {
	local src out cache
	# become_unprivileged's copy, built before privileges went
	if [ "${MEMCGFS_UNPRIVILEGED:-0}" = 1 ] && [ -x "${GOPROBE:-}" ]; then
		return 0
	fi
	need go
	[ -d /usr/share/gocode/src/github.com/containerd/cgroups ] ||
		skip_or_fail "golang-github-containerd-cgroups-dev is missing (build-aux/deps.sh installs it)"
	src=$(cd "${srcdir:-.}/tests/tools/cgprobe" && pwd)
	mkdir -p tests/tools
	out=$(pwd)/tests/tools/cgprobe-go
	cache=$(pwd)/tests/tools/go-cache
	if [ ! -x "$out" ] || [ "$src/main.go" -nt "$out" ]; then
		(cd "$src" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE="$cache" \
			nice go build -o "$out" .) || { echo "ERROR: cannot build $src" >&2; exit 99; }
	fi
	export GOPROBE=$out
}

# inside ARGS...: memcgctl run ARGS on the test's mount, stderr kept.
inside() {
	"$MEMCGCTL" -m "$MNT" run "$@" 2>&1
}

# field_of TEXT KEY: the value after "KEY" on TEXT's line that starts so.
field_of() {
	printf '%s\n' "$1" | sed -n "s/^ *$2 *//p" | head -n 1
}

# check_v2 CGROUP NSFLAG: the v2 checks, for a run in cgroup CGROUP (made
# here, memory.max 300M, a simulated task of 10M) with NSFLAG ("" or
# --cgroupns). What the program reads of itself is /CGROUP, or / in its
# own cgroup namespace.
check_v2() {
	local cg=$1 ns=$2 self="/$1" dir="/sys/fs/cgroup/$1" max=314572800 out cur avail
	[ -n "$ns" ] && self=/ && dir=/sys/fs/cgroup
	mkdir -p "$MNT/$cg"
	echo 300M > "$MNT/$cg/memory.max"
	ctl spawn "$cg" --anon 10M --wait > /dev/null || fail "spawn in $cg"
	# $ns is empty or one word
	# shellcheck disable=SC2086
	set -- --cgroup "$cg" $ns --

	expect "$ns /proc/self/cgroup" "0::$self" "$(inside "$@" cat /proc/self/cgroup)"
	expect "$ns /proc/self/cgroup of a child" "0::$self" \
		"$(inside "$@" sh -c 'cat /proc/self/cgroup; true')"
	expect "$ns /proc/PID/cgroup" "0::$self" "$(inside "$@" sh -c 'cat /proc/$$/cgroup')"
	expect "$ns statfs /sys/fs/cgroup" 63677270 "$(inside "$@" stat -f -c %t /sys/fs/cgroup)"
	expect "$ns statfs of a cgroup" 63677270 "$(inside "$@" stat -f -c %t "$dir/memory.max")"
	expect "$ns statfs elsewhere" "$(stat -f -c %t /)" "$(inside "$@" stat -f -c %t /)"
	expect "$ns mountinfo: one mount at or under /sys/fs/cgroup" \
		"/ /sys/fs/cgroup - cgroup2 cgroup2 rw" \
		"$(inside "$@" awk '$5 ~ "^/sys/fs/cgroup" { sub(/ - /, " - "); print $4, $5, "-", $(NF-2), $(NF-1), $NF }' /proc/self/mountinfo)"
	expect "$ns /proc/mounts" "cgroup2 /sys/fs/cgroup cgroup2" \
		"$(inside "$@" awk '$2 ~ "^/sys/fs/cgroup" { print $1, $2, $3 }' /proc/mounts)"
	expect "$ns /proc/cgroups: memory on hierarchy 0" 0 \
		"$(inside "$@" awk '$1 == "memory" { print $2 }' /proc/cgroups)"
	expect "$ns /proc/cgroups: every cgroup" "$(find "$MNT" -type d | wc -l)" \
		"$(inside "$@" awk '$1 == "memory" { print $3 }' /proc/cgroups)"
	out=$(inside "$@" sh -c 'echo $$; cat '"$dir"'/cgroup.procs')
	expect "$ns the program is in its cgroup.procs" 1 \
		"$(printf '%s\n' "$out" | awk 'NR == 1 { me = $1; next } $1 == me { n++ } END { print n + 0 }')"
	expect "$ns a move is seen" "0::${self%/}/moved" \
		"$(inside "$@" sh -c 'mkdir '"$dir"'/moved && echo $$ > '"$dir"'/moved/cgroup.procs && cat /proc/self/cgroup')"
	rmdir "$MNT/$cg/moved" 2>/dev/null

	# Node 20: constrainedMemory() is memory.max; availableMemory() (Node
	# 20.13 and later) is memory.max - memory.current.
	out=$(inside "$@" node -e 'const fs = require("fs");
		console.log(process.constrainedMemory());
		if (process.availableMemory) {
			const a = process.availableMemory();
			console.log(a, fs.readFileSync("'"$dir"'/memory.current", "utf8").trim());
		}')
	expect "$ns node constrainedMemory()" "$max" "$(printf '%s\n' "$out" | sed -n 1p)"
	if [ "$(printf '%s\n' "$out" | wc -l)" = 2 ]; then
		read -r avail cur <<< "$(printf '%s\n' "$out" | sed -n 2p)"
		# what real processes are charged is sampled: allow 16M of drift
		expect "$ns node availableMemory() is max - current" 1 \
			"$(( avail <= max - 10485760 && avail + cur - max <= 16777216 && max - avail - cur <= 16777216 ))"
	fi

	out=$(inside "$@" java -XshowSettings:system -version)
	expect "$ns java provider" cgroupv2 "$(field_of "$out" "Provider:")"
	expect "$ns java memory limit" 300.00M "$(field_of "$out" "Memory Limit:")"

	# Not in a cgroup namespace: systemd finds the hierarchy's root from
	# /proc/1/cgroup, and pid 1, outside the namespace, reads /.. there as
	# it does in a container that has a cgroup namespace but no pid one.
	if [ -z "$ns" ]; then
		out=$(inside "$@" systemd-cgtop --batch --iterations=1 --raw)
		cur=$(printf '%s\n' "$out" | awk -v g="$self" '$1 == g { print $4 }')
		expect "systemd-cgtop lists $self with its memory.current" 1 \
			"$([ "${cur:-0}" -ge 10485760 ] 2>/dev/null && echo 1)"
	fi

	out=$(inside "$@" "$GOPROBE")
	expect "$ns Go: containerd cgroups mode" unified "$(field_of "$out" "mode:")"
	expect "$ns Go: its group" "$self" "$(field_of "$out" "group:")"
	expect "$ns Go: memory limit" "$max" "$(field_of "$out" "limit:")"
	cur=$(field_of "$out" "usage:")
	expect "$ns Go: memory usage" 1 "$([ "${cur:-0}" -ge 10485760 ] 2>/dev/null && echo 1)"
}

# check_v1 CGROUP NSFLAG: the v1 checks (memcgfs --mode=v1), as check_v2:
# /sys/fs/cgroup is a tmpfs holding memory/, the tree. systemd-cgtop is not
# run: on a v1 host systemd needs its own name=systemd hierarchy, which a
# memory-only one lacks, as on a real host mounted so.
check_v1() {
	local cg=$1 ns=$2 self="/$1" dir="/sys/fs/cgroup/memory/$1" max=314572800 out cur avail hier
	[ -n "$ns" ] && self=/ && dir=/sys/fs/cgroup/memory
	mkdir -p "$MNT/$cg"
	echo 300M > "$MNT/$cg/memory.limit_in_bytes"
	ctl spawn "$cg" --anon 10M --wait > /dev/null || fail "spawn in $cg"
	# shellcheck disable=SC2086
	set -- --cgroup "$cg" $ns --

	out=$(inside "$@" cat /proc/self/cgroup)
	hier=${out%%:*}
	expect "v1 $ns /proc/self/cgroup" "$hier:memory:$self" "$out"
	expect "v1 $ns /proc/cgroups: memory on the same hierarchy" "$hier $(find "$MNT" -type d | wc -l) 1" \
		"$(inside "$@" awk '$1 == "memory" { print $2, $3, $4 }' /proc/cgroups)"
	expect "v1 $ns statfs /sys/fs/cgroup: a tmpfs" 1021994 "$(inside "$@" stat -f -c %t /sys/fs/cgroup)"
	expect "v1 $ns statfs memory/" 27e0eb "$(inside "$@" stat -f -c %t /sys/fs/cgroup/memory)"
	expect "v1 $ns statfs of a cgroup file" 27e0eb \
		"$(inside "$@" stat -f -c %t "$dir/memory.limit_in_bytes")"
	# (a user's tmpfs says uid= and gid= too: only the first two options)
	expect "v1 $ns mountinfo" "/sys/fs/cgroup tmpfs rw,mode=755|/sys/fs/cgroup/memory cgroup rw,memory" \
		"$(inside "$@" awk '$5 ~ "^/sys/fs/cgroup" { split($NF, o, ","); printf "%s%s %s %s,%s", sep, $5, $(NF-2), o[1], o[2]; sep = "|" }' /proc/self/mountinfo)"
	expect "v1 $ns /proc/mounts" "tmpfs /sys/fs/cgroup tmpfs|cgroup /sys/fs/cgroup/memory cgroup memory" \
		"$(inside "$@" awk '$2 ~ "^/sys/fs/cgroup" { n = split($4, o, ","); printf "%s%s %s %s%s", sep, $1, $2, $3, $3 == "cgroup" ? " " o[n] : ""; sep = "|" }' /proc/mounts)"
	expect "v1 $ns a move is seen" "$hier:memory:${self%/}/moved" \
		"$(inside "$@" sh -c 'mkdir '"$dir"'/moved && echo $$ > '"$dir"'/moved/cgroup.procs && cat /proc/self/cgroup')"
	rmdir "$MNT/$cg/moved" 2>/dev/null

	out=$(inside "$@" node -e 'const fs = require("fs");
		console.log(process.constrainedMemory());
		if (process.availableMemory) {
			const a = process.availableMemory();
			console.log(a, fs.readFileSync("'"$dir"'/memory.usage_in_bytes", "utf8").trim());
		}')
	expect "v1 $ns node constrainedMemory()" "$max" "$(printf '%s\n' "$out" | sed -n 1p)"
	if [ "$(printf '%s\n' "$out" | wc -l)" = 2 ]; then
		read -r avail cur <<< "$(printf '%s\n' "$out" | sed -n 2p)"
		expect "v1 $ns node availableMemory() is limit - usage" 1 \
			"$(( avail <= max - 10485760 && avail + cur - max <= 16777216 && max - avail - cur <= 16777216 ))"
	fi

	out=$(inside "$@" java -XshowSettings:system -version)
	expect "v1 $ns java provider" cgroupv1 "$(field_of "$out" "Provider:")"
	expect "v1 $ns java memory limit" 300.00M "$(field_of "$out" "Memory Limit:")"

	out=$(inside "$@" "$GOPROBE")
	expect "v1 $ns Go: containerd cgroups mode" legacy "$(field_of "$out" "mode:")"
	expect "v1 $ns Go: memory limit" "$max" "$(field_of "$out" "limit:")"
	cur=$(field_of "$out" "usage:")
	expect "v1 $ns Go: memory usage" 1 "$([ "${cur:-0}" -ge 10485760 ] 2>/dev/null && echo 1)"
}
