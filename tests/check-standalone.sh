#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The tree stands alone: no comment, page or script cites a document that
# lives outside it (the founders' specification, style guide and design
# notes, or the shared folder they came in). A comment cites the kernel
# (a function, a file, Documentation/...) or a file of this repository.
cd "${srcdir:-.}" || exit 99

# written with brackets so that this file does not match itself
outside='(SPEC|STYLE|DESIGN)[.]md|(SPEC|STYLE|DESIGN) §|[/.]shared/'
hits=$(find README Makefile.am configure.ac build-aux src cftypes tests man examples \
	-type f \( -name '*.[ch]' -o -name '*.def' -o -name '*.sh' -o -name '*.bash' \
	-o -name '*.sed' -o -name '*.md' -o -name '*.txt' -o -name '*.mk' -o -name '*.am' \
	-o -name '*.ac' -o -name '*.json' -o -name 'README' -o -name '*.[1-8]' \) \
	-print0 2>/dev/null | xargs -0 grep -nE "$outside")
if [ -n "$hits" ]; then
	echo "FAIL: these lines cite documents that are not in the repository:"
	echo "$hits"
	exit 1
fi
echo "the tree cites nothing outside it"
