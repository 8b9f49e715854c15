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
#include <sys/types.h>

#include <fuse_lowlevel.h>

#include "alloc/alloc.h"

struct attr_override;

struct memcgfs {
	struct alloc *alloc;
	struct engine *engine;		/* alloc->engine */
	double timeout;			/* entry and attribute cache, seconds */
	uid_t uid;			/* owner of every node until chown */
	gid_t gid;
	/* chmod/chown results by inode, protected by engine->lock */
	struct attr_override *overrides;
	struct timespec mount_time;
};

extern const struct fuse_lowlevel_ops memcgfs_ops;

#endif
