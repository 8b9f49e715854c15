/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The daemon's service thread: it serves memcgctl on the control socket,
 * notices real processes exiting (the allocator's pidfds) and wakes
 * throttled tasks on time. Part of the daemon, not of memcgctl.
 */
#ifndef MEMCGFS_SERVER_H
#define MEMCGFS_SERVER_H

#include <stdbool.h>
#include "alloc/alloc.h"

struct ctl_server;

/**
 * ctl_server_create() - listen on @path; nothing is served until
 * ctl_server_run(), so the daemon can fork in between.
 * @manual_clock: simulated time moves only on "step".
 * Return: 0 or -errno.
 */
int ctl_server_create(struct alloc *a, const char *path, bool manual_clock, struct ctl_server **out);
/** ctl_server_run() - start the service thread. Return: 0 or -errno. */
int ctl_server_run(struct ctl_server *srv);
/** ctl_server_stop() - stop the thread if it runs, close everything. */
void ctl_server_stop(struct ctl_server *srv);

#endif
