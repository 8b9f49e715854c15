#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_high_sync: memory.high throttles a large allocation
# synchronously, so that when memory.events first changes (inotify
# IN_MODIFY, as the selftest waits for it) a high event is counted and no
# max event yet.
#
#   ROOT
#   └── memcg_test      memory.swap.max 0, memory.high 30M, memory.max 140M;
#                       a 200M anon task (the selftest mlocks 200M in one call;
#                       memhog touches it a page at a time, memcgctl in batches)
. "$(dirname "$0")/lib.sh"

command -v inotifywait > /dev/null || { echo "FAIL $SCENARIO: inotifywait is missing (inotify-tools)"; exit 1; }
prepare_root
cg=$ROOT/memcg_test
cg_create "$cg"
pre_high=$(cg_read_key "$cg/memory.events" "high ")
pre_max=$(cg_read_key "$cg/memory.events" "max ")
cg_write "$cg/memory.swap.max" 0 || fail "memory.swap.max 0: $CG_WRITE_ERR"
cg_write "$cg/memory.high" 30M || fail "memory.high 30M: $CG_WRITE_ERR"
cg_write "$cg/memory.max" 140M || fail "memory.max 140M: $CG_WRITE_ERR"

# memcg_prepare_for_wait(), cg_wait_for(): one IN_MODIFY, within 10 s
inotifywait -e modify -t 10 --format '%e' "$cg/memory.events" > "$TMPD/inotify" 2> "$TMPD/inotify.err" &
watcher=$!
until grep -q "Watches established" "$TMPD/inotify.err"; do sleep 0.01; done
task_start_nowait "$cg" --anon 200M || fail "the 200M task did not start"
wait "$watcher"
post_high=$(cg_read_key "$cg/memory.events" "high ")
post_max=$(cg_read_key "$cg/memory.events" "max ")
note "inotify=$(cat "$TMPD/inotify") high=$pre_high->$post_high max=$pre_max->$post_max"
check "memory.events got IN_MODIFY" [ "$(cat "$TMPD/inotify")" = MODIFY ]
check "high events counted ($pre_high -> $post_high)" [ "$post_high" != "$pre_high" ]
check "no max event yet ($pre_max -> $post_max)" [ "$post_max" = "$pre_max" ]
finish
