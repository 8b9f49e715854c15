#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgctl top in a real terminal (tmux, 80x24): a task ramping toward
# 36M under memory.high 20M and memory.max 40M fills its bar a step of the
# manual clock at a time, and the bar stops at the high mark; s changes the
# sort key; q quits and leaves the terminal as it found it (its settings,
# and the main screen back).
#
#   /
#   ├── job      memory.high 20M, memory.max 40M: ramp 8M/s to 36M
#   └── idle     no limit, no task
. "${srcdir:-.}/tests/lib.sh"
command -v tmux > /dev/null || { echo "ERROR: tmux is missing (build-aux/deps.sh)" >&2; exit 99; }

out=$(mktemp -d "${TMPDIR:-/tmp}/top-test.XXXXXX")
# a tmux server of our own, on our own socket: the only one we stop
tmux_() {
	tmux -S "$out/tmux" "$@"
}
trap 'tmux_ kill-server 2>/dev/null; cleanup; rm -rf "$out"' EXIT

pane() {
	tmux_ capture-pane -p -t top
}
pane_has() {
	pane | grep -qF -- "$1"
}
# bar: the job row's usage bar, without its brackets
bar() {
	pane | sed -n 's/^ job *\[\(.\{20\}\)\].*/\1/p'
}

mount_memcgfs --clock=manual
echo +memory > "$MNT/cgroup.subtree_control"
mkdir "$MNT/job" "$MNT/idle"
echo 20M > "$MNT/job/memory.high"
echo 40M > "$MNT/job/memory.max"

tmux_ new-session -d -s top -x 80 -y 24 "env -i PATH=$PATH TERM=xterm bash --norc --noprofile"
# (a script: tmux reads a ';' ending an argument as its own separator)
cat > "$out/run.sh" <<END
echo before
stty -g > $out/stty.before
"$MEMCGCTL" -m "$MNT" top
stty -g > $out/stty.after
echo DONE
END
tmux_ send-keys -t top "bash $out/run.sh" Enter
wait_for 30 pane_has "0.000s simulated" || fail "top did not start: $(pane | head -3)"
expect "the header: mount, mode, clock, sort" \
	"memcgctl top  $MNT (v2)  0.000s simulated  sort: current" "$(pane | head -1)"
expect "at most 80 columns" 1 "$(pane | awk 'length > 80 { bad = 1 } END { print !bad }')"
expect "the empty bar with high at its middle" "          |         " "$(bar)"

ctl spawn job --workload ramp --rate 8M --anon 36M > /dev/null
bars=()
for t in 1 2 3 4 5 6; do
	ctl step 1s
	wait_for 30 pane_has "$t.000s simulated" || fail "top did not show the clock at $t s"
	bars+=("$(bar)")
done
fills=()
for b in "${bars[@]}"; do
	fills+=("$(printf '%s' "$b" | tr -cd = | wc -c)")
done
# 8M a second of a 40M bar: 4 columns a second, until the mark at 20M
[ "${fills[0]}" -ge 3 ] && [ "${fills[1]}" -gt "${fills[0]}" ] ||
	fail "the bar does not grow: ${fills[*]}"
expect "the bar stops at the high mark" "==========|         " "${bars[5]}"
expect "and stays there" "${bars[3]} ${bars[4]}" "${bars[5]} ${bars[5]}"
pane | grep -qE '^ job .* [1-9][0-9]*/0/0 ' || fail "no high events in job's row: $(pane | grep '^ job')"
expect "idle's bar, no limit, empty" 1 "$(pane | grep -c '^ idle *\[ \{20\})')"

tmux_ send-keys -t top s
wait_for 30 pane_has "sort: peak" || fail "s did not change the sort key"
tmux_ send-keys -t top q
wait_for 30 pane_has DONE || fail "q did not quit top: $(pane | head -3)"
cmp -s "$out/stty.before" "$out/stty.after" ||
	fail "the terminal's settings changed: $(cat "$out/stty.before") -> $(cat "$out/stty.after")"
pane_has "memcgctl top" && fail "top's screen is still shown after q"
pane_has before || fail "the main screen did not come back: $(pane | head -3)"
unmount_memcgfs

# no terminal: a one-line error
expect "top without a terminal" "memcgctl: top: needs a terminal (record writes a CSV instead)" \
	"$(mount_memcgfs --clock=manual; ctl top < /dev/null 2>&1; unmount_memcgfs)"
finish
