/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The FUSE front end: inode numbers for (cgroup, cftype) pairs, the
 * low-level operations, and the daemon's shared state. fs/ never names a
 * control file: lookup, readdir and modes come from the cftypes registry.
 */
#ifndef MEMCGFS_FS_H
#define MEMCGFS_FS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <fuse_lowlevel.h>

#include "alloc/alloc.h"
#include "cftypes/cftype.h"
#include "engine/cgroup.h"

/*
 * Inode numbers (see ops.c): a cgroup's id shifted, and the index + 1 of
 * one of its files below; the root directory is FUSE_ROOT_ID.
 */
#define INO_SHIFT 10
#define INO_INDEX_MASK ((1UL << INO_SHIFT) - 1)

static inline fuse_ino_t dir_ino(const struct cgroup *cg)
{
	return cgroup_is_root(cg) ? FUSE_ROOT_ID : (fuse_ino_t)cg->id << INO_SHIFT;
}

static inline fuse_ino_t file_ino(const struct cgroup *cg, unsigned int index)
{
	return ((fuse_ino_t)cg->id << INO_SHIFT) | (index + 1);
}

struct inval_queue;
struct pagecache;

struct notifier;

struct memcgfs {
	struct alloc *alloc;
	struct engine *engine;		/* alloc->engine */
	double timeout;			/* entry and attribute cache, seconds */
	struct timespec mount_time;
	char mountpoint[4096];		/* realpath, for cgroup.event_control's fd lookups */
	dev_t dev;			/* this mount's device, to know our own files */
	struct list_head pollers;	/* open files waiting in poll(); engine lock */
	struct notifier *notifier;	/* inotify; NULL until the mount is served */
	/* the cftype of each file the engine notifies, by enum engine_notify_file */
	const struct cftype *notify_cft[NR_NOTIFY_FILES];
	struct inval_queue *inval;	/* what the kernel must forget; see inval.h */
	struct fuse_session *se;
	struct pagecache *page_cache;	/* --page-cache, else NULL; engine lock */
	bool rmdir_events;		/* in rmdir: v1 events signalled after it; engine lock */
	const struct cgroup *fresh;	/* in mkdir: the new cgroup, unknown to the kernel; engine lock */
};

extern const struct fuse_lowlevel_ops memcgfs_ops;
extern const struct cft_fs_ops memcgfs_cft_fs_ops;
extern const struct engine_event_ops memcgfs_event_ops;

/**
 * memcgfs_poll_init() - let the engine wake poll() on events files and
 * raise inotify IN_MODIFY on them (once fs->notifier is set).
 */
void memcgfs_poll_init(struct memcgfs *fs);
/** memcgfs_poll_cleanup() - drop the handles of pollers still waiting at exit. */
void memcgfs_poll_cleanup(struct memcgfs *fs);

/** memcgfs_file_attr() - the stat of a control file as getattr reports it. Context: engine lock. */
void memcgfs_file_attr(struct memcgfs *fs, const struct cgroup *cg, const struct cftype *cft,
		       struct stat *st);

#endif
