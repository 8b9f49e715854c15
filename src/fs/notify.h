/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * inotify IN_MODIFY on the files the kernel notifies (kernfs_notify() from
 * cgroup_file_notify(): cgroup.events, memory.events, ...). A FUSE server
 * cannot raise an fsnotify event itself: fuse_lowlevel_notify_poll() wakes
 * poll(2) only, and the invalidations raise nothing. But the kernel raises
 * IN_MODIFY for every watcher when a file is truncated, through any path
 * to it. So a helper process of the daemon's truncates the file through
 * the mount, and the daemon, which sees the request come from the
 * helper's pid, ignores it (notifier_pid()).
 *
 * A helper process, not a thread: the files are 0444, so truncate(2) needs
 * CAP_DAC_OVERRIDE over them. Root has it. A user without root gets it
 * over their own files in a user namespace of their own (unshare(2),
 * which a multi-threaded process may not call), mapping their uid and gid
 * to 0 there (capable_wrt_inode_uidgid()). The helper's truncate(2) waits
 * for the daemon's FUSE threads, so the daemon queues notifications and a
 * thread of its own hands them to the helper, holding no lock.
 *
 * The kernel's rate limit is kept per file: at most one notification per
 * CGROUP_FILE_NOTIFY_MIN_INTV (10 ms), later ones coalesced into one at
 * the end of the interval (cgroup_file_notify()). Time is the wall clock,
 * as the limit is there for the watchers, who live in real time.
 */
#ifndef MEMCGFS_NOTIFY_H
#define MEMCGFS_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct notifier;

/**
 * notifier_start() - fork the helper and start the thread that feeds it.
 * @mountpoint: the mount's absolute path
 * @dev: the mount's device, checked before each truncate so that a file
 *	under the mount point after an unmount is never touched
 * Called before the daemon starts other threads, after fuse_daemonize().
 * Return: 0 or -errno; *out set on success.
 */
int notifier_start(const char *mountpoint, dev_t dev, struct notifier **out);

/**
 * notifier_queue() - raise IN_MODIFY on @path (relative to the mount, no
 * leading '/'), the file that @key names (a number unique to the file).
 * Context: any thread, any lock (the engine lock, typically); never waits
 * for the helper.
 */
void notifier_queue(struct notifier *n, uint64_t key, const char *path, bool ratelimit);

/** notifier_pid() - the helper, whose requests the daemon ignores (0: none). */
pid_t notifier_pid(const struct notifier *n);

/**
 * notifier_stop() - end the helper and the thread; pending notifications
 * are dropped. Context: no engine lock (nothing queues any more).
 */
void notifier_stop(struct notifier *n);

#endif
