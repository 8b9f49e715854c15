/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The supervisor of `memcgctl run`: answers the system calls that the
 * program's seccomp filter (sandbox.c) hands it, so that the program finds
 * the memcgfs mount where and as it would find the host's cgroup hierarchy.
 *
 * May include: libc, ctl/proto.h, run/.
 */
#ifndef MEMCGFS_RUN_SUPERVISOR_H
#define MEMCGFS_RUN_SUPERVISOR_H

#include <stdbool.h>
#include <sys/types.h>

#include "ctl/proto.h"
#include "run/procview.h"

struct supervisor {
	int listener;			/* the seccomp notification fd */
	pid_t top;			/* the process run started */
	pid_t self;			/* the supervisor (a subreaper: orphans come here) */
	dev_t tree_dev;			/* st_dev of the memcgfs mount */
	const char *mount;		/* its path, here (outside) */
	const char *cgroup;		/* the cgroup the program started in, "/job" */
	const char *nsroot;		/* the cgroup namespace's root: cgroup, or "/" */
	struct procview view;
	int daemon_fd;			/* the control socket, for whereis */
	int timeout_ms;
	struct ctl_reader reader;
	void *notif, *resp;		/* sized by SECCOMP_GET_NOTIF_SIZES */
	size_t notif_size, resp_size;
};

/**
 * supervisor_init() - size the notification buffers.
 * Return: 0 or -errno (-ENOSYS: no seccomp user notification here).
 */
int supervisor_init(struct supervisor *s);

/**
 * supervisor_handle() - receive one notification and answer it. Never leaves
 * the program blocked: whatever cannot be answered goes on to the kernel.
 * Return: 0, or -errno when the listener itself failed (-ENOENT: the
 * notification went away, which is not a failure of the listener).
 */
int supervisor_handle(struct supervisor *s);

void supervisor_destroy(struct supervisor *s);

#endif
