# SPDX-License-Identifier: LGPL-2.1-or-later
# alloc_pagecache_max_30M of the selftests, shared by high.sh and max.sh:
# inside a cgroup whose memory.high or memory.max is 30M, a task reads 50M of
# page cache and, while it still holds the file, memory.current must be
# within 5% of 30M (reclaim keeps it there). True if all of that held.
pagecache_max_30M() {
	local cg=$1 high max current
	high=$(cg_read_long "$cg/memory.high")
	max=$(cg_read_long "$cg/memory.max")
	[ "$high" = "$(mb 30)" ] || [ "$max" = "$(mb 30)" ] || return 1
	task_start "$cg" --file 50M || return 1
	current=$(cg_read_long "$cg/memory.current")
	task_kill "$TASK_PID"
	note "pagecache-under-30M: current=$(fmt_mb "$current")"
	values_close "$current" "$(mb 30)" 5
}
