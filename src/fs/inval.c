// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The queue of notifications to the kernel and the thread that sends them
 * (see inval.h), and the engine's node_ops that fill it: what a change of
 * the tree makes stale in the kernel's dentry and attribute caches.
 *
 *   a cgroup made          its parent's attributes (st_nlink)
 *   a cgroup removed       its name in the parent, the parent's attributes
 *   a cgroup renamed (v1)  its old name
 *   memory or pressure off the names of the files that went with it
 *   chmod, chown, owner    the attributes of the nodes changed
 *
 * A name that appears needs nothing: memcgfs answers ENOENT with an error,
 * which the kernel does not cache. A change made by a request on the mount
 * is often known to the kernel already (rmdir drops the dentry, setattr's
 * reply carries the new attributes); the notification then costs one write
 * and at most one more LOOKUP or GETATTR, and it also covers the same change
 * made through the control socket.
 *
 * May include: libfuse, libc, engine/, cftypes/, fs/.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fs/inval.h"
#include "fs/pagecache.h"
#include "cftypes/cftype.h"
#include "engine/cgroup.h"

struct inval_item {
	struct inval_item *next;
	void (*call)(void *arg);	/* inval_call(): run this, not a notification */
	void *arg;
	fuse_ino_t ino;			/* the inode, or the parent of @name */
	off_t off, len;			/* inval_inode(): the range (off < 0: attributes only) */
	char name[];			/* inval_entry() when not empty */
};

struct inval_queue {
	pthread_mutex_t lock;		/* guards everything below */
	pthread_cond_t work;		/* items queued, or stopping */
	pthread_cond_t done;		/* @sent moved */
	struct inval_item *head, **tail;
	unsigned long long queued, sent;
	bool stopping;
	struct fuse_session *se;
	pthread_t thread;
};

static void inval_push(struct memcgfs *fs, fuse_ino_t ino, off_t off, off_t len, const char *name,
		       void (*call)(void *arg), void *arg)
{
	struct inval_queue *q = fs->inval;
	size_t name_len = name ? strlen(name) : 0;
	struct inval_item *it;

	if (!q) {
		if (call)
			call(arg);
		return;
	}
	it = malloc(sizeof(*it) + name_len + 1);
	if (!it) {
		/* a notification lost to ENOMEM: the kernel keeps a stale entry */
		if (call)
			call(arg);
		return;
	}
	it->next = NULL;
	it->call = call;
	it->arg = arg;
	it->ino = ino;
	it->off = off;
	it->len = len;
	memcpy(it->name, name ? name : "", name_len + 1);
	pthread_mutex_lock(&q->lock);
	*q->tail = it;
	q->tail = &it->next;
	q->queued++;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->lock);
}

void inval_inode(struct memcgfs *fs, fuse_ino_t ino, off_t off, off_t len)
{
	inval_push(fs, ino, off, len, NULL, NULL, NULL);
}

void inval_entry(struct memcgfs *fs, fuse_ino_t parent, const char *name)
{
	inval_push(fs, parent, 0, 0, name, NULL, NULL);
}

void inval_call(struct memcgfs *fs, void (*call)(void *arg), void *arg)
{
	inval_push(fs, 0, 0, 0, NULL, call, arg);
}

static void *inval_thread(void *arg)
{
	struct inval_queue *q = arg;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct inval_item *batch = q->head, *it;
		unsigned long long n = 0;

		if (!batch) {
			if (q->stopping)
				break;
			pthread_cond_wait(&q->work, &q->lock);
			continue;
		}
		q->head = NULL;
		q->tail = &q->head;
		pthread_mutex_unlock(&q->lock);
		/*
		 * No lock held: the kernel may make us wait for a directory
		 * lock until a request on it is answered. An inode or name it
		 * does not hold answers ENOENT, which is what we wanted.
		 */
		while ((it = batch)) {
			batch = it->next;
			if (it->call)
				it->call(it->arg);
			else if (it->name[0])
				fuse_lowlevel_notify_inval_entry(q->se, it->ino, it->name, strlen(it->name));
			else
				fuse_lowlevel_notify_inval_inode(q->se, it->ino, it->off, it->len);
			free(it);
			n++;
		}
		pthread_mutex_lock(&q->lock);
		q->sent += n;
		pthread_cond_broadcast(&q->done);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/*
 * A bound on the wait, not a timing: the sending thread may wait for a
 * directory lock that a process holds while its own request waits for a
 * free worker thread of ours, and if every worker were waiting here that
 * would never come. Past the bound the caller answers anyway.
 */
#define INVAL_SYNC_MAX_SEC 2

void inval_sync(struct memcgfs *fs)
{
	struct inval_queue *q = fs->inval;
	unsigned long long target;
	struct timespec until;

	if (!q)
		return;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += INVAL_SYNC_MAX_SEC;
	pthread_mutex_lock(&q->lock);
	target = q->queued;
	while (q->sent < target && !q->stopping)
		if (pthread_cond_timedwait(&q->done, &q->lock, &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&q->lock);
}

unsigned long long inval_queued(struct memcgfs *fs)
{
	struct inval_queue *q = fs->inval;
	unsigned long long queued;

	if (!q)
		return 0;
	pthread_mutex_lock(&q->lock);
	queued = q->queued;
	pthread_mutex_unlock(&q->lock);
	return queued;
}

/* Every file of @cg whose name the kernel may hold but which no longer exists. */
static void inval_gone_files(struct memcgfs *fs, const struct cgroup *cg)
{
	enum cgroup_mode mode = fs->engine->cfg.mode;
	unsigned int i, n = cft_count(mode);

	for (i = 0; i < n; i++) {
		const struct cftype *cft = cft_by_index(mode, i);

		if (!cft_exists(fs->engine, cg, cft))
			inval_entry(fs, dir_ino(cg), cft->name);
	}
}

/* The attributes of @cg's directory and of every file it has. */
static void inval_all_nodes(struct memcgfs *fs, const struct cgroup *cg)
{
	enum cgroup_mode mode = fs->engine->cfg.mode;
	unsigned int i, n = cft_count(mode);

	inval_inode(fs, dir_ino(cg), -1, 0);
	for (i = 0; i < n; i++)
		if (cft_exists(fs->engine, cg, cft_by_index(mode, i)))
			inval_inode(fs, file_ino(cg, i), -1, 0);
}

static void inval_node_changed(void *data, enum engine_node_change what, const struct cgroup *cg,
			       const struct cgroup *parent, const char *name, unsigned int node)
{
	struct memcgfs *fs = data;

	switch (what) {
	case ENGINE_NODE_ADDED:
		inval_inode(fs, dir_ino(parent), -1, 0);
		break;
	case ENGINE_NODE_REMOVED:
		inval_entry(fs, dir_ino(parent), name);
		inval_inode(fs, dir_ino(parent), -1, 0);
		pagecache_forget(fs, cg, true);
		break;
	case ENGINE_NODE_RENAMED:
		inval_entry(fs, dir_ino(parent), name);
		break;
	case ENGINE_NODE_FILES:
		inval_gone_files(fs, cg);
		pagecache_forget(fs, cg, false);
		break;
	case ENGINE_NODE_ATTR:
		if (cg != fs->fresh)
			inval_inode(fs, node == CGROUP_NODE_DIR ? dir_ino(cg) : file_ino(cg, node - 1), -1, 0);
		break;
	case ENGINE_NODE_OWNER:
		if (cg != fs->fresh)
			inval_all_nodes(fs, cg);
		break;
	}
}

/* After a control socket request or a tick: what changed is what the kernel shows. */
static void inval_node_sync(void *data)
{
	struct memcgfs *fs = data;

	if (fs->page_cache) {
		engine_lock(fs->engine);
		pagecache_check(fs);
		engine_unlock(fs->engine);
	}
	inval_sync(fs);
}

static const struct engine_node_ops inval_node_ops = {
	.changed = inval_node_changed,
	.sync = inval_node_sync,
};

int inval_start(struct memcgfs *fs, struct fuse_session *se)
{
	struct inval_queue *q = calloc(1, sizeof(*q));
	int ret;

	if (!q)
		return -ENOMEM;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->work, NULL);
	pthread_cond_init(&q->done, NULL);
	q->tail = &q->head;
	q->se = se;
	ret = pthread_create(&q->thread, NULL, inval_thread, q);
	if (ret) {
		pthread_cond_destroy(&q->done);
		pthread_cond_destroy(&q->work);
		pthread_mutex_destroy(&q->lock);
		free(q);
		return -ret;
	}
	engine_lock(fs->engine);
	fs->inval = q;
	fs->engine->node_ops = &inval_node_ops;
	fs->engine->node_data = fs;
	engine_unlock(fs->engine);
	return 0;
}

void inval_stop(struct memcgfs *fs)
{
	struct inval_queue *q = fs->inval;

	if (!q)
		return;
	engine_lock(fs->engine);
	fs->engine->node_ops = NULL;
	fs->inval = NULL;
	engine_unlock(fs->engine);
	pthread_mutex_lock(&q->lock);
	q->stopping = true;
	pthread_cond_broadcast(&q->work);
	pthread_cond_broadcast(&q->done);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	pthread_cond_destroy(&q->done);
	pthread_cond_destroy(&q->work);
	pthread_mutex_destroy(&q->lock);
	free(q);
}
