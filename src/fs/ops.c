// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuse_lowlevel_ops for memcgfs. An inode is a cgroup directory or one of
 * its control files:
 *
 *   ino = FUSE_ROOT_ID                for the root cgroup
 *   ino = id << INO_SHIFT              for any other cgroup directory
 *   ino = id << INO_SHIFT | (index+1)  for the index-th cftype of the mode
 *
 * Cgroup ids are never reused, so a stale inode simply stops resolving
 * (ENOENT, or ENODEV on an open file, as kernfs answers for a removed
 * cgroup). Every operation takes the engine lock, does its work, drops the
 * lock and only then replies: no engine lock is held across fuse_reply_*().
 *
 * May include: libfuse, libc, engine/, alloc/, cftypes/.
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fs/fs.h"
#include "fs/inval.h"
#include "fs/notify.h"
#include "fs/pagecache.h"
#include "cftypes/cftype.h"
#include "engine/cgroup.h"


/* What an open file or directory keeps between calls. */
struct open_file {
	/*
	 * Held from rendering until the reply is sent: the kernel may let
	 * the reader close and send RELEASE (another thread) the moment it
	 * has the data, while fuse_reply_buf() is still returning.
	 * Lock order: this, then the engine lock.
	 */
	pthread_mutex_t lock;
	/* poll(): the file's change counter when last rendered, and a waiting poller */
	uint64_t seen_gen;
	struct fuse_pollhandle *ph;	/* protected by the engine lock */
	struct list_head poll_node;	/* in memcgfs.pollers while ph is set */
	uint64_t cgroup_id;
	const struct cftype *cft;
	struct cft_open_state state;
	struct seqbuf snapshot;		/* file content, or directory entries */
	size_t *dirent_ends;		/* directories: where each entry ends */
	size_t nr_dirents;
	int flags;
	bool page_cache;		/* reads served from the published content (pagecache.h) */
	/* who opened it for writing, for the files that move processes (f_cred) */
	struct task_cred *opener;
};

static struct open_file *open_file_new(void)
{
	struct open_file *of = calloc(1, sizeof(*of));

	if (of) {
		pthread_mutex_init(&of->lock, NULL);
		INIT_LIST_HEAD(&of->poll_node);
	}
	return of;
}

static void open_file_free(struct open_file *of)
{
	pthread_mutex_destroy(&of->lock);
	free(of->opener);
	free(of->dirent_ends);
	free(of->snapshot.buf);
	free(of);
}

static struct memcgfs *fs_of(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static void reply_err(fuse_req_t req, int ret)
{
	/* handlers speak negative errnos; fuse_reply_err wants a positive one */
	fuse_reply_err(req, ret < 0 ? -ret : ret);
}


/* Resolve an inode: its cgroup and, for a file, its cftype (NULL for a directory). */
static struct cgroup *resolve(struct memcgfs *fs, fuse_ino_t ino, const struct cftype **cft)
{
	struct engine *e = fs->engine;
	struct cgroup *cg;
	unsigned int index;

	*cft = NULL;
	if (ino == FUSE_ROOT_ID)
		return e->root;
	cg = cgroup_by_id(e, ino >> INO_SHIFT);
	if (!cg)
		return NULL;
	index = ino & INO_INDEX_MASK;
	if (!index)
		return cgroup_is_root(cg) ? NULL : cg;
	*cft = cft_by_index(e->cfg.mode, index - 1);
	if (!*cft || !cft_exists(e, cg, *cft))
		return NULL;
	return cg;
}

static unsigned int cft_index_of(const struct engine *e, const struct cftype *cft)
{
	return cft_index(e->cfg.mode, cft);
}

/* The node of @cg an inode is: its directory (0) or the file of cftype index i (i + 1). */
static unsigned int ino_node(fuse_ino_t ino)
{
	return ino == FUSE_ROOT_ID ? CGROUP_NODE_DIR : (unsigned int)(ino & INO_INDEX_MASK);
}

static uint32_t default_mode(const struct cftype *cft)
{
	return cft ? cft_mode(cft) : CGROUP_DIR_MODE;
}

static void fill_attr(struct memcgfs *fs, fuse_ino_t ino, const struct cgroup *cg,
		      const struct cftype *cft, struct stat *st)
{
	struct cgroup_node_attr attr;

	cgroup_node_attr(cg, ino_node(ino), default_mode(cft), &attr);
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = (cft ? S_IFREG : S_IFDIR) | attr.mode;
	st->st_nlink = 1;
	if (!cft) {
		const struct cgroup *child;

		/* 2 + the child cgroups, as kernfs_refresh_inode() counts subdirs */
		st->st_nlink = 2;
		list_for_each_entry(child, &cg->children, sibling)
			st->st_nlink++;
	}
	st->st_uid = attr.uid;
	st->st_gid = attr.gid;
	st->st_size = 0;	/* as in cgroupfs: contents are rendered on read */
	st->st_blksize = 4096;
	st->st_atim = st->st_mtim = st->st_ctim = fs->mount_time;
	if (cft && pagecache_serves(fs, cft))
		pagecache_attr(fs, ino, (struct cgroup *)cg, cft, st);
}

void memcgfs_file_attr(struct memcgfs *fs, const struct cgroup *cg, const struct cftype *cft,
		       struct stat *st)
{
	fill_attr(fs, file_ino(cg, cft_index_of(fs->engine, cft)), cg, cft, st);
}

static void reply_entry(fuse_req_t req, struct memcgfs *fs, fuse_ino_t ino, const struct stat *st)
{
	struct fuse_entry_param e = {
		.ino = ino,
		.attr = *st,
		.attr_timeout = fs->timeout,
		.entry_timeout = fs->timeout,
	};

	fuse_reply_entry(req, &e);
}

static void memcgfs_init(void *userdata, struct fuse_conn_info *conn)
{
	/* echo > file opens with O_TRUNC; hand it to open, which ignores it */
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	/* --page-cache: a new st_size or st_mtime drops the pages (pagecache.h) */
	if (conn->capable & FUSE_CAP_AUTO_INVAL_DATA)
		conn->want |= FUSE_CAP_AUTO_INVAL_DATA;
}

static void memcgfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct memcgfs *fs = fs_of(req);
	const struct cftype *cft;
	struct cgroup *pcg, *child;
	struct stat st;
	fuse_ino_t ino = 0;

	engine_lock(fs->engine);
	pcg = resolve(fs, parent, &cft);
	if (!pcg || cft) {
		engine_unlock(fs->engine);
		reply_err(req, pcg ? ENOTDIR : ENOENT);
		return;
	}
	child = cgroup_lookup_child(pcg, name);
	if (child) {
		ino = dir_ino(child);
		fill_attr(fs, ino, child, NULL, &st);
	} else {
		cft = cft_lookup(fs->engine, pcg, name);
		if (cft) {
			ino = file_ino(pcg, cft_index_of(fs->engine, cft));
			fill_attr(fs, ino, pcg, cft, &st);
		}
	}
	engine_unlock(fs->engine);
	if (!ino)
		reply_err(req, ENOENT);
	else
		reply_entry(req, fs, ino, &st);
}

static void memcgfs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct memcgfs *fs = fs_of(req);
	const struct cftype *cft;
	struct cgroup *cg;
	struct stat st;

	engine_lock(fs->engine);
	cg = resolve(fs, ino, &cft);
	if (cg)
		fill_attr(fs, ino, cg, cft, &st);
	engine_unlock(fs->engine);
	if (!cg)
		reply_err(req, ENOENT);
	else
		fuse_reply_attr(req, &st, fs->timeout);
}

/*
 * chmod and chown of one node, as kernfs_iop_setattr() changes only the
 * node named (the kernel has checked, with default_permissions, that the
 * caller may). A size change (O_TRUNC) is ignored. Every change of a
 * node's mode or owner is made here.
 */
static void memcgfs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
			    struct fuse_file_info *fi)
{
	struct memcgfs *fs = fs_of(req);
	struct cgroup_node_attr na;
	const struct cftype *cft;
	struct cgroup *cg;
	struct stat st;
	int ret = 0;

	engine_lock(fs->engine);
	cg = resolve(fs, ino, &cft);
	if (!cg) {
		ret = -ENOENT;
		goto out_unlock;
	}
	/* the inotify helper's truncate (notify.h): it was for the watchers alone */
	if (fuse_req_ctx(req)->pid == notifier_pid(fs->notifier))
		goto out_attr;
	if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) {
		cgroup_node_attr(cg, ino_node(ino), default_mode(cft), &na);
		if (to_set & FUSE_SET_ATTR_MODE)
			na.mode = attr->st_mode & 07777;
		if (to_set & FUSE_SET_ATTR_UID)
			na.uid = attr->st_uid;
		if (to_set & FUSE_SET_ATTR_GID)
			na.gid = attr->st_gid;
		ret = cgroup_node_setattr(fs->engine, cg, &na, default_mode(cft));
		if (ret)
			goto out_unlock;
	}
out_attr:
	fill_attr(fs, ino, cg, cft, &st);
out_unlock:
	engine_unlock(fs->engine);
	if (ret)
		reply_err(req, ret);
	else
		fuse_reply_attr(req, &st, fs->timeout);
}

static void memcgfs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	struct memcgfs *fs = fs_of(req);
	const struct cftype *cft;
	struct cgroup *pcg, *cg = NULL;
	struct stat st;
	int ret;

	engine_lock(fs->engine);
	pcg = resolve(fs, parent, &cft);
	if (!pcg || cft)
		ret = -ENOENT;
	else if (cft_name_taken(fs->engine, pcg, name))
		ret = -EEXIST;
	else
		ret = cgroup_mkdir(fs->engine, pcg, name, &cg);
	if (!ret) {
		/*
		 * The new cgroup and its files are its creator's (the kernel's
		 * cgroup_kn_set_ugid() gives them the fsuid and fsgid), its
		 * directory of the mode mkdir asked for, umask applied.
		 */
		const struct fuse_ctx *fctx = fuse_req_ctx(req);
		struct cgroup_node_attr na = {
			.node = CGROUP_NODE_DIR,
			.mode = mode & 07777,
			.uid = fctx->uid,
			.gid = fctx->gid,
		};

		/* the kernel knows none of its inodes yet: nothing to invalidate */
		fs->fresh = cg;
		cgroup_set_owner(fs->engine, cg, fctx->uid, fctx->gid);
		ret = cgroup_node_setattr(fs->engine, cg, &na, CGROUP_DIR_MODE);
		fs->fresh = NULL;
		if (ret) {
			cgroup_rmdir(fs->engine, cg);
			ret = -ENOMEM;
		}
	}
	if (!ret)
		fill_attr(fs, dir_ino(cg), cg, NULL, &st);
	/* a new memcg charges its per-CPU data to its parent */
	pagecache_check(fs);
	engine_unlock(fs->engine);
	if (ret)
		reply_err(req, ret);
	else
		reply_entry(req, fs, st.st_ino, &st);
}

static void memcgfs_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct memcgfs *fs = fs_of(req);
	const struct cftype *cft;
	struct cgroup *pcg, *cg;
	int ret;

	engine_lock(fs->engine);
	pcg = resolve(fs, parent, &cft);
	cg = pcg && !cft ? cgroup_lookup_child(pcg, name) : NULL;
	if (!cg) {
		ret = pcg && !cft && cft_lookup(fs->engine, pcg, name) ? -ENOTDIR : -ENOENT;
	} else {
		/* a process that has exited no longer keeps its cgroup busy */
		alloc_reap_exited_locked(fs->alloc);
		/*
		 * The kernel signals a removed cgroup's v1 eventfds when it is
		 * gone (its css goes offline after rmdir): a listener that then
		 * looks for the directory must not find it (evfd.c).
		 */
		fs->rmdir_events = true;
		ret = cgroup_rmdir(fs->engine, cg);
		fs->rmdir_events = false;
		pagecache_check(fs);
	}
	engine_unlock(fs->engine);
	reply_err(req, ret);
}

static void memcgfs_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
			   fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	struct memcgfs *fs = fs_of(req);
	int ret = -EPERM;

	/* cgroup2 has no rename; the v1 hierarchy renames within a parent */
	if (fs->engine->cfg.mode == CGROUP_V1) {
		const struct cftype *cft, *ncft;
		struct cgroup *pcg, *npcg, *cg;

		engine_lock(fs->engine);
		pcg = resolve(fs, parent, &cft);
		npcg = resolve(fs, newparent, &ncft);
		cg = pcg && !cft ? cgroup_lookup_child(pcg, name) : NULL;
		if (!cg)
			ret = pcg && cft_lookup(fs->engine, pcg, name) ? -ENOTDIR : -ENOENT;
		else if (!npcg || ncft)
			ret = -ENOENT;
		else if (flags)
			ret = -EINVAL;
		else
			ret = cgroup_rename(fs->engine, cg, npcg, newname);
		engine_unlock(fs->engine);
	}
	reply_err(req, ret);
}

/* kernfs directories have no create, mknod, unlink, link or symlink */
static void memcgfs_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
			   struct fuse_file_info *fi)
{
	reply_err(req, EACCES);
}

static void memcgfs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
			  dev_t rdev)
{
	reply_err(req, EPERM);
}

static void memcgfs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	reply_err(req, EPERM);
}

static void memcgfs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	reply_err(req, EPERM);
}

static void memcgfs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	reply_err(req, EPERM);
}

static void memcgfs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct memcgfs *fs = fs_of(req);
	const struct cftype *cft;
	struct open_file *of;
	struct cgroup *cg;
	uint64_t gen = 0;
	bool cached = false, changed = false;

	engine_lock(fs->engine);
	cg = resolve(fs, ino, &cft);
	if (cg && cft && cft->generation) {
		struct cft_ctx ctx = { .engine = fs->engine, .cgroup = cg, .cft = cft };

		gen = cft->generation(&ctx);
	}
	if (cg && cft && (fi->flags & O_ACCMODE) == O_RDONLY && pagecache_serves(fs, cft)) {
		cached = true;
		changed = pagecache_open(fs, ino, cg, cft);
	}
	engine_unlock(fs->engine);
	/*
	 * Changed since published: the kernel must ask for the new size (and
	 * then drop its pages) before this open's reads. Only attributes: no
	 * lock of the kernel is taken, so sending from a request is safe.
	 */
	if (changed)
		fuse_lowlevel_notify_inval_inode(fs->se, ino, -1, 0);
	if (!cg) {
		reply_err(req, ENOENT);
		return;
	}
	if (!cft) {
		reply_err(req, EISDIR);
		return;
	}
	/*
	 * No mode check here: the kernel checks the mode bits before we are
	 * called (default_permissions), and root may open either way, as in
	 * cgroupfs; the wrong direction then fails in read or write.
	 */
	of = open_file_new();
	if (!of) {
		reply_err(req, ENOMEM);
		return;
	}
	if ((cft->flags & (CFT_ATTACH | CFT_PSI)) && (fi->flags & O_ACCMODE) != O_RDONLY) {
		/* the opener is blocked in this open, so its pid is still its own */
		const struct fuse_ctx *fctx = fuse_req_ctx(req);

		of->opener = malloc(sizeof(*of->opener));
		if (!of->opener) {
			open_file_free(of);
			reply_err(req, ENOMEM);
			return;
		}
		if (task_cred_read(fctx->pid, -1, of->opener) || fuse_req_interrupted(req) ||
		    of->opener->fsuid != fctx->uid)
			task_cred_of_ids(fctx->pid, fctx->uid, fctx->gid, of->opener);
	}
	of->cgroup_id = cg->id;
	of->cft = cft;
	of->flags = fi->flags;
	of->seen_gen = gen;	/* POLLPRI reports changes since this open */
	of->page_cache = cached;
	fi->fh = (uintptr_t)of;
	fi->direct_io = !cached;
	fi->keep_cache = cached;
	fi->nonseekable = 0;
	fuse_reply_open(req, fi);
}

static struct cgroup *open_file_cgroup(struct memcgfs *fs, const struct open_file *of)
{
	return cgroup_by_id(fs->engine, of->cgroup_id);
}

static void ctx_init(struct cft_ctx *ctx, struct memcgfs *fs, fuse_req_t req,
		     struct cgroup *cg, struct open_file *of)
{
	const struct fuse_ctx *fctx = fuse_req_ctx(req);

	*ctx = (struct cft_ctx){
		.engine = fs->engine,
		.alloc = fs->alloc,
		.cgroup = cg,
		.cft = of->cft,
		.state = &of->state,
		.open_flags = of->flags,
		.writer_pid = fctx->pid,
		.writer_uid = fctx->uid,
		.writer_gid = fctx->gid,
		.opener = of->opener,
		.fs = &memcgfs_cft_fs_ops,
		.fs_data = fs,
	};
}

/*
 * The handler context of an open file whose cgroup and file still exist.
 * Return: 0, or -ENODEV as kernfs answers once the cgroup was removed.
 * Context: engine lock.
 */
static int open_file_ctx(struct cft_ctx *ctx, struct memcgfs *fs, fuse_req_t req, struct open_file *of)
{
	struct cgroup *cg = open_file_cgroup(fs, of);

	if (!cg || !cft_exists(fs->engine, cg, of->cft))
		return -ENODEV;
	ctx_init(ctx, fs, req, cg, of);
	return 0;
}

static void memcgfs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			 struct fuse_file_info *fi)
{
	struct memcgfs *fs = fs_of(req);
	struct open_file *of = (struct open_file *)(uintptr_t)fi->fh;
	struct cft_ctx ctx;
	int ret = 0;

	if (of->page_cache) {
		struct cgroup *cg;
		char *buf = NULL;
		ssize_t n = -ENODEV;

		engine_lock(fs->engine);
		cg = open_file_cgroup(fs, of);
		if (cg && cft_exists(fs->engine, cg, of->cft))
			n = pagecache_read(fs, ino, cg, of->cft, off, size, &buf);
		engine_unlock(fs->engine);
		if (n < 0)
			reply_err(req, (int)n);
		else
			fuse_reply_buf(req, buf, (size_t)n);
		free(buf);
		return;
	}
	pthread_mutex_lock(&of->lock);
	/* a read at offset 0 renders afresh; later reads continue that snapshot */
	if (off == 0 || !of->snapshot.buf) {
		engine_lock(fs->engine);
		ret = open_file_ctx(&ctx, fs, req, of);
		if (!ret) {
			ret = cft_read(&ctx, &of->snapshot);
			if (of->cft->generation)
				of->seen_gen = of->cft->generation(&ctx);
		}
		engine_unlock(fs->engine);
	}
	if (ret)
		reply_err(req, ret);
	else if ((size_t)off >= of->snapshot.len)
		fuse_reply_buf(req, NULL, 0);
	else
		fuse_reply_buf(req, of->snapshot.buf + off, MIN(size, of->snapshot.len - (size_t)off));
	pthread_mutex_unlock(&of->lock);
}

static void memcgfs_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
			  off_t off, struct fuse_file_info *fi)
{
	struct memcgfs *fs = fs_of(req);
	struct open_file *of = (struct open_file *)(uintptr_t)fi->fh;
	unsigned long long queued;
	struct cft_ctx ctx;
	uint64_t busy_ns = 0;
	bool changed;
	char *copy;
	ssize_t ret;

	/* handlers get their own NUL-terminated copy, as kernfs gives */
	copy = malloc(size + 1);
	if (!copy) {
		reply_err(req, ENOMEM);
		return;
	}
	memcpy(copy, buf, size);
	copy[size] = '\0';

	engine_lock(fs->engine);
	queued = inval_queued(fs);
	ret = open_file_ctx(&ctx, fs, req, of);
	if (!ret) {
		ret = cft_write(&ctx, copy, size);
		/* a limit change may have killed tasks or let throttled ones go on */
		alloc_run_locked(fs->alloc);
		busy_ns = ctx.busy_ns;
		pagecache_check(fs);
	}
	changed = inval_queued(fs) != queued;
	engine_unlock(fs->engine);
	free(copy);
	/*
	 * A write that took simulated time (memory.reclaim) returns that much
	 * later on a real clock, the engine unlocked meanwhile; a manual
	 * clock has no wall time to spend.
	 */
	if (busy_ns && fs->alloc->real_clock) {
		struct timespec ts = {
			.tv_sec = (time_t)(busy_ns / NSEC_PER_SEC),
			.tv_nsec = (long)(busy_ns % NSEC_PER_SEC),
		};

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	/*
	 * A write that made names vanish (cgroup.subtree_control, cgroup.type,
	 * cgroup.pressure) or changed a file the kernel caches (--page-cache)
	 * returns once the kernel has forgotten them. The
	 * kernel holds only this file's inode lock for the write, and no
	 * notification needs it: waiting here cannot deadlock.
	 */
	if (changed)
		inval_sync(fs);
	if (ret < 0)
		reply_err(req, (int)ret);
	else
		fuse_reply_write(req, (size_t)ret);
}

static void memcgfs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct memcgfs *fs = fs_of(req);
	struct open_file *of = (struct open_file *)(uintptr_t)fi->fh;
	struct cft_ctx ctx;

	/* a read of this fd still replying finishes first */
	pthread_mutex_lock(&of->lock);
	engine_lock(fs->engine);
	ctx_init(&ctx, fs, req, NULL, of);
	cft_release(&ctx);
	if (of->ph) {
		list_del_init(&of->poll_node);
		fuse_pollhandle_destroy(of->ph);
		of->ph = NULL;
	}
	engine_unlock(fs->engine);
	pthread_mutex_unlock(&of->lock);
	open_file_free(of);
	reply_err(req, 0);
}

/*
 * poll(2), as kernfs answers it: always readable and writable, and
 * POLLERR|POLLPRI once a file the kernel notifies (cgroup.events,
 * memory.events...) changed since this fd last read it, or if its cgroup
 * is gone. A poller that must wait leaves its handle until the change.
 */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/*
 * What poll() adds to the default mask for @of: POLLERR|POLLPRI when the
 * file changed since it was read or its cgroup is gone, or what the file's
 * own poll says (@consume: and use its event up). 0: wait.
 * Context: engine lock.
 */
static unsigned int open_file_poll(struct memcgfs *fs, struct open_file *of, bool consume)
{
	struct cgroup *cg = open_file_cgroup(fs, of);
	struct cft_ctx ctx;

	if (!cg || !cft_exists(fs->engine, cg, of->cft))
		return POLLERR | POLLPRI;
	ctx = (struct cft_ctx){ .engine = fs->engine, .cgroup = cg, .cft = of->cft, .state = &of->state };
	if (of->cft->poll)
		return of->cft->poll(&ctx, consume);
	if (of->cft->generation && of->cft->generation(&ctx) != of->seen_gen)
		return POLLERR | POLLPRI;
	return 0;
}

static bool open_file_changed(struct memcgfs *fs, struct open_file *of)
{
	return open_file_poll(fs, of, false) != 0;
}

static void memcgfs_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
			 struct fuse_pollhandle *ph)
{
	struct memcgfs *fs = fs_of(req);
	struct open_file *of = (struct open_file *)(uintptr_t)fi->fh;
	unsigned int revents = DEFAULT_POLLMASK, extra;

	engine_lock(fs->engine);
	extra = open_file_poll(fs, of, true);
	if (extra) {
		revents |= extra;
	} else if (ph && (of->cft->generation || of->cft->poll)) {
		if (of->ph)
			fuse_pollhandle_destroy(of->ph);
		else
			list_add_tail(&of->poll_node, &fs->pollers);
		of->ph = ph;
		ph = NULL;
	}
	engine_unlock(fs->engine);
	if (ph)
		fuse_pollhandle_destroy(ph);
	fuse_reply_poll(req, revents);
}

/*
 * The engine says an events file changed: wake the pollers whose file it
 * was. Called with the engine lock held; a poll notification is a write to
 * /dev/fuse that waits for nothing of ours.
 */
static void memcgfs_file_changed(void *data)
{
	struct memcgfs *fs = data;
	struct open_file *of, *tmp;

	list_for_each_entry_safe(of, tmp, &fs->pollers, poll_node) {
		if (!open_file_changed(fs, of))
			continue;
		fuse_lowlevel_notify_poll(of->ph);
		fuse_pollhandle_destroy(of->ph);
		of->ph = NULL;
		list_del_init(&of->poll_node);
	}
}

/*
 * The engine says which file changed: raise IN_MODIFY on it, if it exists
 * (the root has no cgroup.events), through the notifier (notify.h), at
 * most once per 10 ms for the cgroup_file_notify() files. Called with the
 * engine lock held; the notifier only queues.
 */
static void memcgfs_file_notify(void *data, struct cgroup *cg, enum engine_notify_file file)
{
	struct memcgfs *fs = data;
	const struct cftype *cft = fs->notify_cft[file];
	char path[4096 + 256];

	if (!fs->notifier || !cft || !cft_exists(fs->engine, cg, cft))
		return;
	cgroup_path(cg, path, 4096);
	/* relative to the mount: "a/b/FILE", or "FILE" at the root */
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s%s",
		 cgroup_is_root(cg) ? "" : "/", cft->name);
	notifier_queue(fs->notifier, cg->id * NR_NOTIFY_FILES + file, path + 1,
		       file != NOTIFY_MEMORY_PRESSURE);
}

void memcgfs_poll_init(struct memcgfs *fs)
{
	enum cgroup_mode mode = fs->engine->cfg.mode;
	unsigned int i;

	INIT_LIST_HEAD(&fs->pollers);
	for (i = 0; i < cft_count(mode); i++) {
		const struct cftype *cft = cft_by_index(mode, i);

		if (cft->notify)
			fs->notify_cft[cft->notify] = cft;
	}
	fs->engine->file_changed = memcgfs_file_changed;
	fs->engine->file_notify = memcgfs_file_notify;
	fs->engine->file_changed_data = fs;
}

void memcgfs_poll_cleanup(struct memcgfs *fs)
{
	struct open_file *of, *tmp;

	engine_lock(fs->engine);
	list_for_each_entry_safe(of, tmp, &fs->pollers, poll_node) {
		fuse_pollhandle_destroy(of->ph);
		of->ph = NULL;
		list_del_init(&of->poll_node);
	}
	fs->engine->file_changed = NULL;
	fs->engine->file_notify = NULL;
	engine_unlock(fs->engine);
}

static int add_dirent(fuse_req_t req, struct open_file *of, const char *name, const struct stat *st)
{
	struct seqbuf *s = &of->snapshot;
	size_t need = fuse_add_direntry(req, NULL, 0, name, NULL, 0);
	size_t *ends = realloc(of->dirent_ends, (of->nr_dirents + 1) * sizeof(*ends));

	if (!ends)
		return -ENOMEM;
	of->dirent_ends = ends;

	if (s->len + need > s->size) {
		size_t size = s->size ? s->size * 2 : 4096;
		char *buf;

		while (size < s->len + need)
			size *= 2;
		buf = realloc(s->buf, size);
		if (!buf)
			return -ENOMEM;
		s->buf = buf;
		s->size = size;
	}
	s->len += fuse_add_direntry(req, s->buf + s->len, need, name, st, (off_t)(s->len + need));
	of->dirent_ends[of->nr_dirents++] = s->len;
	return 0;
}

/* The whole listing is built at opendir, so readdir sees one consistent tree. */
static void memcgfs_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct memcgfs *fs = fs_of(req);
	const struct engine *e = fs->engine;
	const struct cftype *cft;
	struct open_file *of;
	struct cgroup *cg, *child;
	struct stat st = { 0 };
	unsigned int i, n;
	int ret = 0;

	of = open_file_new();
	if (!of) {
		reply_err(req, ENOMEM);
		return;
	}
	engine_lock(fs->engine);
	cg = resolve(fs, ino, &cft);
	if (!cg || cft) {
		ret = cg ? -ENOTDIR : -ENOENT;
		goto out_unlock;
	}
	st.st_mode = S_IFDIR;
	st.st_ino = dir_ino(cg);
	ret = add_dirent(req, of, ".", &st);
	st.st_ino = cg->parent ? dir_ino(cg->parent) : FUSE_ROOT_ID;
	if (!ret)
		ret = add_dirent(req, of, "..", &st);
	n = cft_count(e->cfg.mode);
	for (i = 0; i < n && !ret; i++) {
		cft = cft_by_index(e->cfg.mode, i);
		if (!cft_exists(e, cg, cft))
			continue;
		st.st_mode = S_IFREG;
		st.st_ino = file_ino(cg, i);
		ret = add_dirent(req, of, cft->name, &st);
	}
	list_for_each_entry(child, &cg->children, sibling) {
		if (ret)
			break;
		st.st_mode = S_IFDIR;
		st.st_ino = dir_ino(child);
		ret = add_dirent(req, of, child->name, &st);
	}
out_unlock:
	engine_unlock(fs->engine);
	if (ret) {
		open_file_free(of);
		reply_err(req, ret);
		return;
	}
	fi->fh = (uintptr_t)of;
	fuse_reply_open(req, fi);
}

static void memcgfs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			    struct fuse_file_info *fi)
{
	struct open_file *of = (struct open_file *)(uintptr_t)fi->fh;
	size_t start = (size_t)off, end = start, i;

	pthread_mutex_lock(&of->lock);
	/* whole entries only, as many as fit in @size */
	for (i = 0; i < of->nr_dirents; i++) {
		if (of->dirent_ends[i] <= start)
			continue;
		if (of->dirent_ends[i] - start > size)
			break;
		end = of->dirent_ends[i];
	}
	fuse_reply_buf(req, end > start ? of->snapshot.buf + start : NULL, end - start);
	pthread_mutex_unlock(&of->lock);
}

static void memcgfs_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct open_file *of = (struct open_file *)(uintptr_t)fi->fh;

	pthread_mutex_lock(&of->lock);	/* a readdir still replying finishes first */
	pthread_mutex_unlock(&of->lock);
	open_file_free(of);
	reply_err(req, 0);
}

const struct fuse_lowlevel_ops memcgfs_ops = {
	.init = memcgfs_init,
	.lookup = memcgfs_lookup,
	.getattr = memcgfs_getattr,
	.setattr = memcgfs_setattr,
	.mknod = memcgfs_mknod,
	.mkdir = memcgfs_mkdir,
	.unlink = memcgfs_unlink,
	.rmdir = memcgfs_rmdir,
	.symlink = memcgfs_symlink,
	.rename = memcgfs_rename,
	.link = memcgfs_link,
	.open = memcgfs_open,
	.read = memcgfs_read,
	.write = memcgfs_write,
	.release = memcgfs_release,
	.opendir = memcgfs_opendir,
	.readdir = memcgfs_readdir,
	.releasedir = memcgfs_releasedir,
	.create = memcgfs_create,
	.poll = memcgfs_poll,
};
