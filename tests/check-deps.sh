#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The include graph of the tree, from the #include lines. Each module may
# include the modules listed for it and nothing else of the tree:
#   common/   nothing but itself
#   engine/   common/: no FUSE, no JSON, no output
#   alloc/    engine/, common/: no FUSE, no JSON
#   cftypes/  engine/, alloc/, common/: never FUSE or JSON
#   fs/       FUSE, engine/, alloc/, cftypes/, common/: no control socket, no JSON
#   ctl server (libctlserver_a_SOURCES in src/ctl/local.mk): json-c, engine/,
#             alloc/, cftypes/, common/, ctl/: never FUSE or fs/
#   memcgctl (every other file of src/ctl/): json-c, ctl/ but the server's
#             headers, and engine/memparse.h (a pure parser); never the
#             engine, the server or FUSE; run/run.h (the run command)
#   run/      a client of the mount and the control socket:
#             as memcgctl, never engine/, alloc/ or cftypes/
#   daemon/   the one place that wires fs/, ctl/ and the engine together
# and fs/ never names a control file: it finds them in the registry.
# A directory of src/ without a rule here fails: add its rule.
#
#   check-deps.sh            check the tree at $srcdir (make check)
#   check-deps.sh --selftest break a copy of the tree in each way above and
#                            check that every break is caught
set -u
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "${srcdir:-.}" || exit 99
bad=0

fail() {
	echo "FAIL: $*"
	bad=1
}

# project_includes FILE...: "FILE:LINE:PATH" for each #include "PATH"
project_includes() {
	grep -nHo '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*"' "$@" 2>/dev/null |
		sed -E 's/^([^:]*:[0-9]+):.*"([^"]*)"$/\1:\2/'
}

# allow MODULE PATTERN FILES...: every #include "x" of FILES matches the
# extended regex PATTERN (a file's own directory may use a bare name).
allow() {
	local what=$1 re=$2 line path
	shift 2
	[ $# -gt 0 ] || return 0
	while IFS= read -r line; do
		path=${line##*:}
		case $path in */*) ;; *) continue ;; esac
		[[ $path =~ ^($re)$ ]] || fail "$what includes $path: ${line%:*}"
	done < <(project_includes "$@")
}

# deny DESCRIPTION REGEX FILES...: fail if any line of FILES matches
deny() {
	local what=$1 re=$2 hits
	shift 2
	[ $# -gt 0 ] || return 0
	hits=$(grep -nHE "$re" "$@" 2>/dev/null)
	[ -z "$hits" ] || fail "$what:"$'\n'"$hits"
}

# files DIR: the C sources and headers of DIR (nothing if it does not exist)
files() {
	local f
	for f in "$1"/*.[ch] "$1"/*.def; do
		[ -e "$f" ] && echo "$f"
	done
}

# The server side of src/ctl, as the build has it: libctlserver_a_SOURCES.
ctl_server_files() {
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' src/ctl/local.mk |
		sed -n 's/^libctlserver_a_SOURCES[[:space:]]*=//p' | tr ' \t' '\n\n' |
		sed -n 's|^%reldir%/|src/ctl/|p'
}

FUSE='#include [<"]fuse'
JSON='#include [<"]json'

check() {
	local f known ctl_server=() ctl_client=()

	for f in src/*/; do
		case ${f%/} in
		src/common|src/engine|src/alloc|src/fs|src/ctl|src/daemon|src/run) ;;
		*) fail "${f%/} has no rule in tests/check-deps.sh" ;;
		esac
	done

	mapfile -t known < <(ctl_server_files)
	[ ${#known[@]} -gt 0 ] || fail "no libctlserver_a_SOURCES in src/ctl/local.mk"
	for f in $(files src/ctl); do
		if printf '%s\n' "${known[@]}" | grep -qxF "$f"; then
			ctl_server+=("$f")
		else
			ctl_client+=("$f")
		fi
	done

	allow "common/" 'common/.*' $(files src/common)
	allow "engine/" '(common|engine)/.*' $(files src/engine)
	deny "engine/ includes FUSE or JSON" "$FUSE|$JSON" $(files src/engine)
	deny "engine/ prints" '\<(printf|puts|putchar|perror|fprintf)\(' src/engine/*.c
	allow "alloc/" '(common|engine|alloc)/.*' $(files src/alloc)
	deny "alloc/ includes FUSE or JSON" "$FUSE|$JSON" $(files src/alloc)
	allow "cftypes/" '(common|engine|alloc|cftypes)/.*' $(files cftypes)
	deny "cftypes/ includes FUSE or JSON" "$FUSE|$JSON" $(files cftypes)
	allow "fs/ (it knows no control socket)" '(common|engine|alloc|cftypes|fs)/.*' $(files src/fs)
	deny "fs/ includes JSON" "$JSON" $(files src/fs)
	deny "fs/ names a control file" '"(memory|cgroup)\.[a-z_.]+"' src/fs/*.c
	allow "the ctl server" '(common|engine|alloc|cftypes|ctl)/.*' "${ctl_server[@]}"
	deny "the ctl server includes FUSE" "$FUSE" "${ctl_server[@]}"
	allow "memcgctl (a client: the protocol, its own files, memparse.h and run/run.h)" \
		'common/.*|ctl/.*|engine/memparse\.h|run/run\.h' "${ctl_client[@]}"
	deny "memcgctl includes FUSE" "$FUSE" "${ctl_client[@]}"
	for f in "${ctl_server[@]}"; do
		case $f in *.h) deny "memcgctl includes the server's ${f#src/}" \
			"#include \"${f#src/}\"" "${ctl_client[@]}" ;; esac
	done
	allow "run/ (a client: the protocol and memparse.h)" \
		'common/.*|ctl/proto\.h|engine/memparse\.h|run/.*' $(files src/run)
	deny "run/ includes FUSE" "$FUSE" $(files src/run)
	allow "daemon/" '(common|engine|alloc|cftypes|fs|ctl|daemon)/.*' $(files src/daemon)
}

# --selftest: each rule above must catch a break of it.
selftest() {
	local ok=0 case file line
	selftest_tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-deps.XXXXXX") || exit 99
	trap 'rm -rf "$selftest_tmp"' EXIT
	local tmp=$selftest_tmp
	# the copy as it is must pass, or every break below is "caught"
	mkdir -p "$tmp/tree" && cp -r src cftypes "$tmp/tree/" && chmod -R u+w "$tmp/tree" || exit 99
	if ! (srcdir=$tmp/tree CHECK_DEPS_SELFTEST=0 bash "$self" > "$tmp/out" 2>&1); then
		cat "$tmp/out"
		echo "FAIL: --selftest: the unchanged copy of the tree does not pass"
		return 1
	fi
	while IFS='|' read -r case file line; do
		rm -rf "$tmp/tree" && mkdir -p "$tmp/tree" &&
			cp -r src cftypes "$tmp/tree/" && chmod -R u+w "$tmp/tree" || exit 99
		mkdir -p "$(dirname "$tmp/tree/$file")"
		printf '%s\n' "$line" >> "$tmp/tree/$file"
		if (srcdir=$tmp/tree CHECK_DEPS_SELFTEST=0 bash "$self" > "$tmp/out" 2>&1); then
			echo "FAIL: --selftest: $case was not caught"
			ok=1
		fi
	done <<-'EOF'
	engine includes alloc|src/engine/engine.h|#include "alloc/alloc.h"
	engine includes JSON|src/engine/memcg.c|#include <json-c/json.h>
	engine prints|src/engine/memcg.c|static void f(void) { printf("x"); }
	alloc includes cftypes|src/alloc/alloc.c|#include "cftypes/cftype.h"
	cftypes includes FUSE|cftypes/registry.c|#include <fuse_lowlevel.h>
	cftypes includes fs|cftypes/registry.c|#include "fs/fs.h"
	fs includes the control socket|src/fs/ops.c|#include "ctl/proto.h"
	fs includes the daemon|src/fs/fs.h|#include "daemon/main.h"
	fs includes JSON|src/fs/ops.c|#include <json-c/json.h>
	fs names a control file|src/fs/ops.c|static const char *n = "memory.max";
	ctl server includes fs|src/ctl/server.c|#include "fs/fs.h"
	ctl server includes FUSE|src/ctl/scenario.c|#include <fuse_lowlevel.h>
	memcgctl includes the engine|src/ctl/memcgctl.c|#include "engine/cgroup.h"
	memcgctl includes the server|src/ctl/memcgctl.c|#include "ctl/server.h"
	memcgctl includes the scenario code|src/ctl/memcgctl.c|#include "ctl/scenario.h"
	a new memcgctl file includes alloc|src/ctl/top.c|#include "alloc/alloc.h"
	run includes the engine|src/run/run.c|#include "engine/memcg.h"
	run includes cftypes|src/run/run.c|#include "cftypes/cftype.h"
	a directory without a rule|src/misc/x.c|int x;
	EOF
	[ "$ok" = 0 ] && echo "check-deps --selftest: every break was caught"
	return "$ok"
}

if [ "${1:-}" = --selftest ]; then
	selftest
	exit
fi
check
if [ "$bad" = 0 ]; then
	echo "dependency rules hold"
	[ "${CHECK_DEPS_SELFTEST:-1}" = 0 ] || (CHECK_DEPS_SELFTEST=0 selftest) || bad=1
fi
exit "$bad"
