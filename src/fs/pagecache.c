// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The published contents of --page-cache (see pagecache.h): a hash table
 * of entries by inode number, and a list of those the kernel holds pages
 * of, which is all pagecache_check() renders.
 *
 * May include: libfuse, libc, engine/, alloc/, cftypes/, fs/.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fs/pagecache.h"
#include "fs/inval.h"
#include "common/list.h"

struct pc_entry {
	struct pc_entry *hash_next;
	struct list_head read_node;	/* in pagecache.read while the kernel may hold pages */
	fuse_ino_t ino;
	struct seqbuf content;		/* published */
	struct timespec mtime;		/* when it was published */
};

struct pagecache {
	struct pc_entry **buckets;
	size_t nr_buckets, nr;
	struct list_head read;
	struct timespec last_mtime;	/* every publication a later mtime */
	struct seqbuf scratch;		/* renders to compare */
};

/* @nr_buckets is a power of two */
static size_t bucket_at(fuse_ino_t ino, size_t nr_buckets)
{
	return (size_t)((ino * 0x9e3779b97f4a7c15ULL) >> 20) & (nr_buckets - 1);
}

int pagecache_create(struct memcgfs *fs)
{
	struct pagecache *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return -ENOMEM;
	pc->nr_buckets = 1024;
	pc->buckets = calloc(pc->nr_buckets, sizeof(*pc->buckets));
	if (!pc->buckets) {
		free(pc);
		return -ENOMEM;
	}
	INIT_LIST_HEAD(&pc->read);
	fs->page_cache = pc;
	return 0;
}

static void entry_free(struct pc_entry *e)
{
	list_del_init(&e->read_node);
	free(e->content.buf);
	free(e);
}

void pagecache_destroy(struct memcgfs *fs)
{
	struct pagecache *pc = fs->page_cache;
	size_t i;

	if (!pc)
		return;
	for (i = 0; i < pc->nr_buckets; i++)
		while (pc->buckets[i]) {
			struct pc_entry *e = pc->buckets[i];

			pc->buckets[i] = e->hash_next;
			entry_free(e);
		}
	free(pc->buckets);
	free(pc->scratch.buf);
	free(pc);
	fs->page_cache = NULL;
}

/* Grow the table as files are known, so a lookup stays a few steps. */
static void maybe_grow(struct pagecache *pc)
{
	size_t n = pc->nr_buckets * 2, i;
	struct pc_entry **b;

	if (pc->nr < pc->nr_buckets * 2)
		return;
	b = calloc(n, sizeof(*b));
	if (!b)
		return;	/* longer chains, still correct */
	for (i = 0; i < pc->nr_buckets; i++)
		while (pc->buckets[i]) {
			struct pc_entry *e = pc->buckets[i];
			size_t at = bucket_at(e->ino, n);

			pc->buckets[i] = e->hash_next;
			e->hash_next = b[at];
			b[at] = e;
		}
	free(pc->buckets);
	pc->buckets = b;
	pc->nr_buckets = n;
}

static struct pc_entry **entry_slot(struct pagecache *pc, fuse_ino_t ino)
{
	struct pc_entry **p = &pc->buckets[bucket_at(ino, pc->nr_buckets)];

	while (*p && (*p)->ino != ino)
		p = &(*p)->hash_next;
	return p;
}

static struct pc_entry *entry_get(struct pagecache *pc, fuse_ino_t ino)
{
	struct pc_entry **p = entry_slot(pc, ino), *e;

	if (*p)
		return *p;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->ino = ino;
	INIT_LIST_HEAD(&e->read_node);
	maybe_grow(pc);
	p = entry_slot(pc, ino);
	e->hash_next = *p;
	*p = e;
	pc->nr++;
	return e;
}

bool pagecache_serves(const struct memcgfs *fs, const struct cftype *cft)
{
	/* memory.peak and memory.swap.peak read differently on each fd */
	return fs->page_cache && (cft->read_u64 || cft->seq_show) && !cft->release;
}

static int render(struct memcgfs *fs, struct cgroup *cg, const struct cftype *cft, struct seqbuf *s)
{
	struct cft_ctx ctx = {
		.engine = fs->engine,
		.alloc = fs->alloc,
		.cgroup = cg,
		.cft = cft,
		.fs = &memcgfs_cft_fs_ops,
		.fs_data = fs,
	};

	s->overflow = false;
	return cft_read(&ctx, s);
}

static bool same(const struct seqbuf *a, const struct seqbuf *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->buf, b->buf, a->len));
}

/* Make the scratch render @e's content, with a later mtime. */
static void publish(struct pagecache *pc, struct pc_entry *e)
{
	struct seqbuf tmp = e->content;
	struct timespec now;

	e->content = pc->scratch;
	pc->scratch = tmp;
	clock_gettime(CLOCK_REALTIME, &now);
	if (now.tv_sec < pc->last_mtime.tv_sec ||
	    (now.tv_sec == pc->last_mtime.tv_sec && now.tv_nsec <= pc->last_mtime.tv_nsec)) {
		now = pc->last_mtime;
		if (++now.tv_nsec == 1000000000L) {
			now.tv_sec++;
			now.tv_nsec = 0;
		}
	}
	pc->last_mtime = e->mtime = now;
}

/*
 * Render @ino afresh and publish it if it changed. Return: the entry (NULL
 * on ENOMEM or a failed render: the caller falls back), and in *@changed
 * whether the kernel may hold another content.
 */
static struct pc_entry *refresh(struct memcgfs *fs, fuse_ino_t ino, struct cgroup *cg,
				const struct cftype *cft, bool *changed)
{
	struct pagecache *pc = fs->page_cache;
	struct pc_entry *e = entry_get(pc, ino);

	*changed = false;
	if (!e || render(fs, cg, cft, &pc->scratch))
		return NULL;
	if (!e->mtime.tv_sec || !same(&e->content, &pc->scratch)) {
		*changed = e->mtime.tv_sec != 0;
		publish(pc, e);
	}
	return e;
}

void pagecache_attr(struct memcgfs *fs, fuse_ino_t ino, struct cgroup *cg,
		    const struct cftype *cft, struct stat *st)
{
	bool changed;
	struct pc_entry *e = refresh(fs, ino, cg, cft, &changed);

	if (!e)
		return;
	/*
	 * The kernel takes these, and drops the pages it has if either moved
	 * (fuse_change_attributes() with auto_inval_data).
	 */
	st->st_size = (off_t)e->content.len;
	st->st_mtim = st->st_ctim = e->mtime;
}

bool pagecache_open(struct memcgfs *fs, fuse_ino_t ino, struct cgroup *cg, const struct cftype *cft)
{
	bool changed;
	struct pc_entry *e = refresh(fs, ino, cg, cft, &changed);

	if (!e)
		return true;
	if (changed)
		list_del_init(&e->read_node);
	return changed;
}

ssize_t pagecache_read(struct memcgfs *fs, fuse_ino_t ino, struct cgroup *cg,
		       const struct cftype *cft, off_t off, size_t size, char **buf)
{
	struct pagecache *pc = fs->page_cache;
	struct pc_entry *e = *entry_slot(pc, ino);
	bool changed;

	if (!e || !e->mtime.tv_sec)
		e = refresh(fs, ino, cg, cft, &changed);
	if (!e)
		return -ENOMEM;
	*buf = NULL;
	if ((size_t)off >= e->content.len)
		return 0;
	size = MIN(size, e->content.len - (size_t)off);
	*buf = malloc(size);
	if (!*buf)
		return -ENOMEM;
	memcpy(*buf, e->content.buf + off, size);
	/* the kernel holds this content now: pagecache_check() watches it */
	if (list_empty(&e->read_node))
		list_add_tail(&e->read_node, &pc->read);
	return (ssize_t)size;
}

void pagecache_check(struct memcgfs *fs)
{
	struct pagecache *pc = fs->page_cache;
	struct pc_entry *e, *tmp;

	if (!pc)
		return;
	list_for_each_entry_safe(e, tmp, &pc->read, read_node) {
		unsigned int index = (unsigned int)(e->ino & INO_INDEX_MASK);
		struct cgroup *cg = cgroup_by_id(fs->engine, e->ino >> INO_SHIFT);
		const struct cftype *cft = index ? cft_by_index(fs->engine->cfg.mode, index - 1) : NULL;

		if (!cg || !cft || !cft_exists(fs->engine, cg, cft)) {
			list_del_init(&e->read_node);
			continue;
		}
		if (render(fs, cg, cft, &pc->scratch) || same(&e->content, &pc->scratch))
			continue;
		/*
		 * Changed: the kernel forgets the pages and the size, and asks
		 * again (getattr publishes) at the next read. Not watched again
		 * until it has read: a busy simulation sends one notification
		 * per read, not one per change.
		 */
		list_del_init(&e->read_node);
		inval_inode(fs, e->ino, 0, 0);
	}
}

void pagecache_forget(struct memcgfs *fs, const struct cgroup *cg, bool all)
{
	struct pagecache *pc = fs->page_cache;
	enum cgroup_mode mode = fs->engine->cfg.mode;
	unsigned int i, n = cft_count(mode);

	if (!pc)
		return;
	for (i = 0; i < n; i++) {
		struct pc_entry **p = entry_slot(pc, file_ino(cg, i)), *e = *p;

		if (!e || (!all && cft_exists(fs->engine, cg, cft_by_index(mode, i))))
			continue;
		*p = e->hash_next;
		pc->nr--;
		entry_free(e);
	}
}
