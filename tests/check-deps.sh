#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The dependency rules of the tree (STYLE.md §2), from the #include lines:
#   engine/  libc, pthreads, common/ and itself: no FUSE, no JSON, no output
#   alloc/   the engine's headers, no FUSE, no JSON, no cftypes
#   cftypes/ engine/ and alloc/, never FUSE
#   fs/      FUSE, engine/, alloc/, cftypes/: no control socket, no JSON
#   memcgctl and the protocol: json-c and memparse.h, never the engine
#   daemon/  the one place that wires fs/ and ctl/ together
# fs/ never names a control file: it finds them in the registry.
cd "${srcdir:-.}" || exit 99
bad=0

# deny DESCRIPTION REGEX FILES...: fail if any line of FILES matches
deny() {
	local what=$1 re=$2 hits
	shift 2
	hits=$(grep -nE "$re" "$@" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "FAIL: $what:"
		echo "$hits"
		bad=1
	fi
}

deny "engine/ includes FUSE, JSON, alloc/ or cftypes/" \
	'#include [<"](fuse|json|alloc/|cftypes/|fs/|ctl/)' src/engine/*.[ch]
deny "engine/ prints" '\<(printf|puts|putchar|perror|fprintf)\(' src/engine/*.c
deny "alloc/ includes FUSE, JSON or cftypes/" '#include [<"](fuse|json|cftypes/|fs/|ctl/)' src/alloc/*.[ch]
deny "cftypes/ includes FUSE" '#include [<"](fuse|fs/)' cftypes/*.[ch]
hits=$(grep -nE '#include "(engine|alloc|cftypes)/' src/ctl/memcgctl.c src/ctl/proto.[ch] | grep -v 'engine/memparse\.h')
if [ -n "$hits" ]; then
	echo "FAIL: memcgctl reaches into the engine (only memparse.h, a pure parser, is shared):"
	echo "$hits"
	bad=1
fi
deny "fs/ includes the control socket or JSON" '#include [<"](json|ctl/|daemon/)' src/fs/*.[ch]
deny "a library includes the daemon's main" '#include [<"]daemon/' src/engine/*.[ch] src/alloc/*.[ch] cftypes/*.[ch] src/ctl/*.[ch]
deny "fs/ names a control file" '"(memory|cgroup)\.[a-z_.]+"' src/fs/*.c

[ "$bad" = 0 ] && echo "dependency rules hold"
exit "$bad"
