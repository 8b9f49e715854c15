/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --page-cache: settled control files served from the kernel's page cache.
 *
 * Each file the kernel knows (looked up, stat'ed, opened) has a published
 * content: what getattr reports the length of (st_size, and a new st_mtime
 * whenever it changes) and what READ serves. The kernel keeps the pages
 * between opens (keep_cache); an open still reaches the daemon, which
 * renders the file and, if it changed, invalidates the kernel's attributes
 * before the open returns, so the read that follows asks for the new size
 * and, seeing a new size or mtime, drops the old pages (auto_inval_data).
 * After every change the daemon makes (a write, a control socket request, a
 * tick of the simulation) the files read since their last invalidation are
 * rendered again and invalidated if they changed, so an fd kept open does
 * not read a settled value for ever; files not read since cost nothing.
 *
 * Context: every function needs the engine lock, which guards the table.
 */
#ifndef MEMCGFS_FS_PAGECACHE_H
#define MEMCGFS_FS_PAGECACHE_H

#include <stdbool.h>

#include "fs/fs.h"

struct pagecache;

/** pagecache_create() - Return: 0 or -ENOMEM. */
int pagecache_create(struct memcgfs *fs);
void pagecache_destroy(struct memcgfs *fs);

/** pagecache_serves() - is @cft served from the page cache (per-open state: never)? */
bool pagecache_serves(const struct memcgfs *fs, const struct cftype *cft);

/**
 * pagecache_attr() - publish the current content of file @ino of @cg and
 * set st_size and st_mtime in @st from it.
 */
void pagecache_attr(struct memcgfs *fs, fuse_ino_t ino, struct cgroup *cg,
		    const struct cftype *cft, struct stat *st);
/**
 * pagecache_open() - render file @ino afresh at an open.
 * Return: true if it changed since it was published: the kernel's
 * attributes must be invalidated before the open returns.
 */
bool pagecache_open(struct memcgfs *fs, fuse_ino_t ino, struct cgroup *cg, const struct cftype *cft);
/**
 * pagecache_read() - what READ at @off serves: up to @size bytes of the
 * published content, which the kernel now holds. Return: the bytes, or a
 * negative errno; *@buf points into a copy owned by the caller (free()).
 */
ssize_t pagecache_read(struct memcgfs *fs, fuse_ino_t ino, struct cgroup *cg,
		       const struct cftype *cft, off_t off, size_t size, char **buf);
/** pagecache_check() - queue an invalidation of every file read since its last one that changed. */
void pagecache_check(struct memcgfs *fs);
/** pagecache_forget() - drop what is kept for the files of @cg that are gone. */
void pagecache_forget(struct memcgfs *fs, const struct cgroup *cg, bool all);

#endif
