/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The /proc files of a process run by `memcgctl run`, as a host whose cgroup
 * hierarchy is the memcgfs mount would show them: the real file's text
 * rewritten. Pure text in, text out: no system calls, so every rule can be
 * checked on its own.
 *
 * May include: libc, common/.
 */
#ifndef MEMCGFS_RUN_PROCVIEW_H
#define MEMCGFS_RUN_PROCVIEW_H

#include <stdbool.h>

/* Where the cgroup hierarchy appears inside, and how. */
#define PROCVIEW_CGROUP_DIR "/sys/fs/cgroup"

struct procview {
	bool v1;		/* memcgfs --mode=v1: a tmpfs with memory/ under it */
	int hierarchy;		/* v1: the memory hierarchy's id (>= 1) */
};

/**
 * procview_mountinfo() - /proc/PID/mountinfo from the real @text: the host's
 * mounts at or under /sys/fs/cgroup that the run's mounts cover are gone,
 * and the memcgfs mount there reads as a cgroup2 mount (v2) or a cgroup
 * mount with option memory (v1), with root "/".
 * Return: a malloc'd string, or NULL (out of memory).
 */
char *procview_mountinfo(const struct procview *v, const char *text);

/** procview_mounts() - /proc/PID/mounts, by the same rules. Return: as above. */
char *procview_mounts(const struct procview *v, const char *text);

/**
 * procview_cgroup() - /proc/PID/cgroup of a process in cgroup @path ("/a/b")
 * seen from cgroup namespace root @nsroot ("/" without a namespace).
 * Return: as above.
 */
char *procview_cgroup(const struct procview *v, const char *path, const char *nsroot);

/**
 * procview_cgroups() - /proc/cgroups from the real @text: every controller on
 * the unified hierarchy (v2: hierarchy 0) with @nr_cgroups cgroups, or memory
 * on hierarchy @v->hierarchy with @nr_cgroups (v1). Return: as above.
 */
char *procview_cgroups(const struct procview *v, const char *text, unsigned long nr_cgroups);

/**
 * procview_v1_hierarchy() - the id memory gets in a v1 view: the host's own
 * memory hierarchy if it has one, else one no host controller uses.
 */
int procview_v1_hierarchy(const char *proc_cgroups_text);

/**
 * procview_relative() - cgroup @path as seen from namespace root @nsroot, as
 * the kernel prints it (kernfs_path_from_node): "/", "/x", or "/../y".
 * Return: a malloc'd string, or NULL.
 */
char *procview_relative(const char *path, const char *nsroot);

#endif
