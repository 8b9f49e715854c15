#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The examples of the manual pages are runs of the programs, and checked:
#
#   man-examples.sh [--update] MANPAGE...
#
# Every .EX/.EE block of a page whose first line is a prompt ("$ " or
# "# ") is a session: a prompt line is a command (a following line that
# starts with "> " continues it, as a shell shows a here-document), and
# the lines up to the next prompt are what it prints, stdout and stderr
# together. The sessions of a page run in order in one bash, in a fresh
# directory where examples/ is the source tree's, with memcgfs and memcgctl
# of this build first on PATH ($MEMCGFS, $MEMCGCTL). A command that ends in
# "&" runs in the background; what it prints before the next command is
# waited for, line by line. The mount points the pages name, /tmp/sim,
# /run/cgroup-sim and /sys/fs/cgroup-sim, are directories of the run; the
# output shows them under their documented names.
#
# A block right after the comment line
#   .\" example-file: PATH
# shows the file PATH of the source tree, white space aside.
#
# Without --update, any difference is printed (diff -u, the page first)
# and the exit status is 1. With --update, each session's output in the
# page is replaced by what the run printed: run it after a change that
# moves a number, read the diff, and commit it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${srcdir:-$here/..}
update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
[ $# -gt 0 ] || { echo "usage: man-examples.sh [--update] MANPAGE..." >&2; exit 2; }
MEMCGFS=${MEMCGFS:?MEMCGFS names the memcgfs program to run}
MEMCGCTL=${MEMCGCTL:?MEMCGCTL names the memcgctl program to run}

T=$(mktemp -d "${TMPDIR:-/tmp}/man-examples.XXXXXX") || exit 99
cleanup() {
	local m
	# anything a failed session left mounted, deepest first
	for m in $(awk -v t="$T/" 'index($2, t) == 1 { print $2 }' /proc/self/mounts | sort -r); do
		fusermount3 -u -z "$m" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

# documented path -> the run's own, and back
PATHS=(/sys/fs/cgroup-sim /run/cgroup-sim /tmp/sim)
to_run() {
	local s=$1 p
	for p in "${PATHS[@]}"; do s=${s//$p/$T/mnt$p}; done
	printf '%s' "$s"
}
to_doc() {
	local p args=()
	for p in "${PATHS[@]}"; do args+=(-e "s|$T/mnt$p|$p|g"); done
	# bash names itself so in the error messages of an interactive shell
	sed "${args[@]}" -e "s|^$T/driver: line [0-9]*: |bash: |" -e "s|$T/|/tmp/|g"
}

# parse PAGE: one record a line, fields separated by tabs:
#   B  block  line  session|file:PATH|other
#   C  block  line  text      (a command; K: its continuation; O: output)
parse() {
	awk -v page="$1" '
	function unescape(s, t) {
		t = s
		gsub(/\\\(dq|\\\(aq|\\-|\\&|\\ |\\e/, "", t)
		if (t ~ /\\/) {
			printf "%s:%d: an escape man-examples.sh does not know: %s\n", page, NR, s > "/dev/stderr"
			bad = 1
		}
		gsub(/\\\(dq/, "\"", s); gsub(/\\\(aq/, "\047", s); gsub(/\\-/, "-", s)
		gsub(/\\&/, "", s); gsub(/\\ /, " ", s); gsub(/\\e/, "\\", s)
		return s
	}
	/^\.\\" example-file: / { file = $3; next }
	/^\.EX/ { inblock = 1; blk++; first = 1; kind = file != "" ? "file:" file : "other"; file = ""; next }
	/^\.EE/ { inblock = 0; next }
	!inblock { if ($0 !~ /^\.\\"/) file = ""; next }
	/^\.\\"/ { next }
	/^\./ { printf "%s:%d: a request inside .EX\n", page, NR > "/dev/stderr"; bad = 1; next }
	{
		line = unescape($0)
		if (first) {
			if (kind == "other" && line ~ /^[$#] /) kind = "session"
			printf "B\t%d\t%d\t%s\n", blk, NR, kind
			first = 0
		}
		if (kind != "session")
			printf "O\t%d\t%d\t%s\n", blk, NR, line
		else if (line ~ /^[$#] /)
			printf "C\t%d\t%d\t%s\n", blk, NR, substr(line, 3)
		else if (line ~ /^> / && last != "O")
			{ printf "K\t%d\t%d\t%s\n", blk, NR, substr(line, 3); last = "K"; next }
		else
			printf "O\t%d\t%d\t%s\n", blk, NR, line
		last = line ~ /^[$#] / ? "C" : "O"
	}
	END { exit bad }' "$1"
}

roff_escape() {
	sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
}

status=0
for page in "$@"; do
	name=$(basename "$page")
	parse "$page" > "$T/records" || { status=1; continue; }
	mkdir -p "$T/work" "$T/home" "$T/bin" "$T/mnt/tmp" "$T/mnt/run" "$T/mnt/sys/fs" "$T/out"
	ln -sfn "$(cd "$src" && pwd)/examples" "$T/work/examples"
	ln -sf "$MEMCGFS" "$T/bin/memcgfs"
	ln -sf "$MEMCGCTL" "$T/bin/memcgctl"
	rm -f "$T/out/"*

	# the driver: each command in the same shell, its output to a file of its own
	expect_lines=() cmd_end=() cmd_block=()
	cmds=()
	n=0
	{
		echo 'cd "$1" || exit 99'
		echo 'wait_lines() { local i; for ((i = 0; i < 1200; i++)); do'
		echo '	[ "$(wc -l < "$1")" -ge "$2" ] && return; sleep 0.05; done; }'
	} > "$T/driver"
	while IFS=$'\t' read -r rec blk line text; do
		case $rec in
		B)
			if [[ $text == file:* ]]; then
				f=$src/${text#file:}
				got=$(awk -F'\t' -v b="$blk" '$1 == "O" && $2 == b { print $4 }' "$T/records" | tr -d ' \t\n')
				want=$(tr -d ' \t\n' < "$f" 2>/dev/null)
				if [ -z "$want" ] || [ "$got" != "$want" ]; then
					echo "FAIL: $name:$line: the block does not show ${text#file:} as it is"
					status=1
				fi
			fi
			;;
		C)
			n=$((n + 1))
			cmds[n]=$text
			cmd_end[$n]=$line
			cmd_block[$n]=$blk
			expect_lines[$n]=0
			;;
		K)
			cmds[n]+=$'\n'$text
			cmd_end[$n]=$line
			;;
		O)
			[ "$n" -gt 0 ] && [ "${cmd_block[$n]:-}" = "$blk" ] &&
				expect_lines[$n]=$((expect_lines[$n] + 1))
			;;
		esac
	done < "$T/records"
	for ((i = 1; i <= n; i++)); do
		c=$(to_run "${cmds[i]}")
		if [[ $c == *'&' && $c != *'&&' ]]; then
			printf '{ %s\n} > "%s" 2>&1 &\nwait_lines "%s" %d\n' "${c%&}" "$T/out/$i" "$T/out/$i" \
				"${expect_lines[i]}" >> "$T/driver"
		else
			printf '{ %s\n} > "%s" 2>&1\n' "$c" "$T/out/$i" >> "$T/driver"
		fi
	done
	echo 'kill $(jobs -p) 2>/dev/null; wait' >> "$T/driver"
	(
		unset MEMCGFS_MOUNT
		export HOME=$T/home PATH=$T/bin:$PATH LC_ALL=C
		timeout 600 bash --noprofile --norc "$T/driver" "$T/work" < /dev/null > "$T/driver.out" 2>&1
	) || { echo "FAIL: $name: the examples did not run to the end:"; cat "$T/driver.out"; status=1; }

	# expected and actual transcripts, a command and its output at a time
	: > "$T/expected"
	: > "$T/actual"
	: > "$T/new-output"
	for ((i = 1; i <= n; i++)); do
		printf '%s\n' "${cmds[i]}" | sed 's/^/$ /' | tee -a "$T/actual" >> "$T/expected"
		touch "$T/out/$i"
		to_doc < "$T/out/$i" > "$T/out/$i.doc"
		if [[ ${cmds[i]} == *'&' ]]; then
			head -n "${expect_lines[i]}" "$T/out/$i.doc" > "$T/out/$i.doc2"
			mv "$T/out/$i.doc2" "$T/out/$i.doc"
		fi
		cat "$T/out/$i.doc" >> "$T/actual"
		awk -F'\t' -v b="${cmd_block[i]}" -v from="${cmd_end[i]}" -v to="${cmd_end[i + 1]:-999999}" \
			-v nb="${cmd_block[i + 1]:-0}" '$1 == "O" && $2 == b && $3 > from && (nb != b || $3 < to) { print $4 }' \
			"$T/records" >> "$T/expected"
		printf '%s\t' "${cmd_end[i]}" >> "$T/new-output"
		roff_escape < "$T/out/$i.doc" | tr '\n' '\001' | sed 's/\x01$//' >> "$T/new-output"
		echo >> "$T/new-output"
	done
	if [ "$update" = 1 ]; then
		awk -F'\t' -v recs="$T/records" -v outs="$T/new-output" '
		BEGIN {
			while ((getline r < recs) > 0) {
				split(r, f, "\t")
				if (f[1] == "O" && kind[f[2]] == "session") drop[f[3]] = 1
				if (f[1] == "B") kind[f[2]] = f[4]
			}
			while ((getline r < outs) > 0) {
				i = index(r, "\t")
				after[substr(r, 1, i - 1)] = substr(r, i + 1)
			}
		}
		FNR in drop { next }
		{ print }
		FNR in after && after[FNR] != "" { n = split(after[FNR], l, "\001"); for (j = 1; j <= n; j++) print l[j] }
		' "$page" > "$T/page.new" && cat "$T/page.new" > "$page"
		echo "man-examples: $name: outputs written from this run"
	elif ! diff -u --label "$name (the page)" --label "$name (this run)" "$T/expected" "$T/actual"; then
		echo "FAIL: $name: the examples print something else now (man-examples.sh --update rewrites them)"
		status=1
	else
		echo "man-examples: $name: $n commands print what the page shows"
	fi
	unset expect_lines cmd_end cmd_block
done
exit $status
