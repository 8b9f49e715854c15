#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The manual pages agree with the programs:
#  - memcgfs --help and memcgfs(8) OPTIONS name the same options, with the
#    same defaults; memcgctl --help and memcgctl(1) SYNOPSIS the same
#    commands and options;
#  - every example session of memcgfs(8), memcgctl(1) and
#    memcgfs-scenario(5) prints what the page shows (tests/man-examples.sh;
#    after a change that moves a number, tests/man-examples.sh --update
#    rewrites the outputs).
. "${srcdir:-.}/tests/lib.sh"
require_fuse
man=$srcdir/man

# roff to text: the escapes the pages use, and the font macros dropped
roff_text() {
	sed -e 's/\\-/-/g' -e 's/\\(dq/"/g' -e 's/\\&//g' -e 's/\\e/\\/g' \
		-e 's/^\.[A-Z][A-Z]* *//' -e 's/"//g'
}

# the options a text names: --long, -o name, -x
options_in() {
	grep -oE -- '(^|[ ,[(])(--[a-z][a-z-]*|-o [a-z_]+|-[a-zA-Z])\b' | sed -E 's/^[ ,[(]//' | sort -u
}

# memcgfs(8): the tag lines of OPTIONS (the line after each .TP)
man_tags=$(sed -n '/^\.SH OPTIONS/,/^\.SH FILES/p' "$man/memcgfs.8" | awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' |
	roff_text | options_in)
help=$("$MEMCGFS" --help)
expect "memcgfs --help exit status" 0 "$?"
# the option column: up to the first two spaces of a line that starts with an option
help_opts=$(printf '%s\n' "$help" | sed -nE '/^  -/{s/^  //; s/ {2,}.*//; p}' | options_in)
diff <(printf '%s\n' "$man_tags") <(printf '%s\n' "$help_opts") > /dev/null ||
	fail "memcgfs --help and memcgfs(8) name other options: $(diff <(printf '%s\n' "$man_tags") \
		<(printf '%s\n' "$help_opts") | grep '^[<>]' | paste -sd' ')"
# each "(default X)" of --help is the page's "default X" for that option
while read -r o1 o2 def; do
	if [ "$o1" = -o ]; then opt="$o1 $o2"; else opt=$o1 def="$o2${def:+ $def}"; fi
	para=$(sed -n '/^\.SH OPTIONS/,/^\.SH FILES/p' "$man/memcgfs.8" | roff_text |
		awk -v o="$opt" 'index($0, o) == 1 { on = 1; next } /^TP$|^$/ { if (on) exit } on')
	[[ $para == *"default $def"* ]] || fail "memcgfs(8) does not say $opt defaults to $def (--help does)"
done < <(printf '%s\n' "$help" | sed -nE 's/^  (-o [a-z_]+|--[a-z-]+)[^ ]* .*\(default ([^);]+)[);].*/\1 \2/p')
n=$(printf '%s\n' "$help_opts" | wc -l)
[ "$n" -gt 20 ] || fail "only $n options found in memcgfs --help: the test reads it wrong"

# memcgctl(1): SYNOPSIS against --help
syn=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$man/memcgctl.1" | roff_text)
man_cmds=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$man/memcgctl.1" |
	awk 'prev ~ /mountpoint \]$/ && /^\.B [a-z]+$/ { print $2 } { prev = $0 }' | sort)
help=$("$MEMCGCTL" --help)
expect "memcgctl --help exit status" 0 "$?"
help_cmds=$(printf '%s\n' "$help" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' | sort)
expect "memcgctl commands, --help and memcgctl(1)" "$(echo $man_cmds)" "$(echo $help_cmds)"
[ "$(printf '%s\n' "$help_cmds" | wc -l)" -ge 10 ] || fail "too few commands in memcgctl --help"
expect "memcgctl options, --help and memcgctl(1)" \
	"$(printf '%s\n' "$syn" | grep -oE -- '--[a-z][a-z-]*' | sort -u | paste -sd' ')" \
	"$(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z-]*' | sort -u | paste -sd' ')"

# the examples
bash "$srcdir/tests/man-examples.sh" "$man/memcgfs.8" "$man/memcgctl.1" "$man/memcgfs-scenario.5" ||
	fail "a manual page's example prints something else (above)"
finish
