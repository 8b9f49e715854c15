/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memcgctl watch: the daemon's events, one a line, with repeats coalesced.
 */
#ifndef MEMCGFS_WATCH_H
#define MEMCGFS_WATCH_H

#include <stdbool.h>

#include "ctl/proto.h"

/* One simulated second: repeats of an event within it make one line. */
#define WATCH_COALESCE_NS 1000000000LL

/**
 * watch_print() - print the events that arrive on @fd (already subscribed
 * with a "watch" request) until the daemon goes away or memcgctl is
 * interrupted (SIGINT, SIGTERM: what is pending is printed first, then
 * memcgctl dies of the signal). @as_json prints JSON objects instead of
 * text; @all prints every event as it comes. Otherwise an event is printed
 * when it comes, and its repeats (same cgroup, event, pid and threshold)
 * within WATCH_COALESCE_NS of it simulated time are counted and printed as
 * one line when that time has passed: at the next event after it, when
 * the daemon goes away, or, on a terminal, after a second of quiet.
 */
void watch_print(int fd, struct ctl_reader *r, bool as_json, bool all);

#endif
