// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The registry: which tables a hierarchy of each mode serves, whether a file
 * exists on a given cgroup, and the generic read/write paths that wrap the
 * handlers with the kernel's rules (E2BIG, empty writes, read_u64 format,
 * wrong-direction I/O).
 *
 * May include: libc, engine/, alloc/, cftypes/. Never FUSE.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cftypes/cftype.h"
#include "engine/cgroup.h"
#include "engine/memparse.h"
#include "alloc/alloc.h"

/* kernfs: a cgroup file takes at most one page per write */
#define CFT_MAX_WRITE_LEN 4096

static const struct cftype *const v2_tables[] = {
	cgroup_base_files,
	cgroup_psi_files,
	memory_files,
	swap_files,
};

static const struct cftype *const v1_tables[] = {
	cgroup1_base_files,
	memory_v1_files,
	memsw_files,
};

/*
 * Every file of a mode, flattened once: the fs layer turns inode numbers
 * into cftypes on every request, so that is an array index, not a walk.
 */
#define CFT_MAX_FILES 64

struct cft_flat {
	const struct cftype *files[CFT_MAX_FILES];
	unsigned int count;
};

static struct cft_flat flat[2];
static pthread_once_t flat_once = PTHREAD_ONCE_INIT;

static void flatten(struct cft_flat *f, const struct cftype *const *tables, size_t n)
{
	const struct cftype *cft;
	size_t i;

	for (i = 0; i < n; i++)
		for (cft = tables[i]; cft->name; cft++) {
			assert(f->count < CFT_MAX_FILES);
			f->files[f->count++] = cft;
		}
}

static void flatten_all(void)
{
	flatten(&flat[CGROUP_V2], v2_tables, ARRAY_SIZE(v2_tables));
	flatten(&flat[CGROUP_V1], v1_tables, ARRAY_SIZE(v1_tables));
}

static const struct cft_flat *flat_of(enum cgroup_mode mode)
{
	pthread_once(&flat_once, flatten_all);
	return &flat[mode];
}

unsigned int cft_count(enum cgroup_mode mode)
{
	return flat_of(mode)->count;
}

const struct cftype *cft_by_index(enum cgroup_mode mode, unsigned int index)
{
	const struct cft_flat *f = flat_of(mode);

	return index < f->count ? f->files[index] : NULL;
}

unsigned int cft_index(enum cgroup_mode mode, const struct cftype *cft)
{
	const struct cft_flat *f = flat_of(mode);
	unsigned int i;

	for (i = 0; i < f->count; i++)
		if (f->files[i] == cft)
			return i;
	return 0;
}

bool cft_exists(const struct engine *e, const struct cgroup *cg, const struct cftype *cft)
{
	bool root = cgroup_is_root(cg);

	if ((cft->flags & CFT_NOT_ON_ROOT) && root)
		return false;
	if ((cft->flags & CFT_ONLY_ON_ROOT) && !root)
		return false;
	if ((cft->flags & CFT_MEMORY) && !cg->memcg)
		return false;
	if ((cft->flags & CFT_PSI) && !cg->psi_enabled)
		return false;
	return true;
}

const struct cftype *cft_lookup(const struct engine *e, const struct cgroup *cg, const char *name)
{
	const struct cft_flat *f = flat_of(e->cfg.mode);
	unsigned int i;

	for (i = 0; i < f->count; i++)
		if (!strcmp(f->files[i]->name, name) && cft_exists(e, cg, f->files[i]))
			return f->files[i];
	return NULL;
}

bool cft_name_taken(const struct engine *e, const struct cgroup *cg, const char *name)
{
	return cft_lookup(e, cg, name) != NULL;
}

void seq_puts(struct seqbuf *s, const char *str)
{
	seq_printf(s, "%s", str);
}

void seq_printf(struct seqbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = s->size - s->len;

		va_start(ap, fmt);
		n = vsnprintf(s->buf ? s->buf + s->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			s->overflow = true;
			return;
		}
		if ((size_t)n < room) {
			s->len += (size_t)n;
			return;
		}
		size_t size = s->size ? s->size * 2 : 256;
		while (size - s->len <= (size_t)n)
			size *= 2;
		char *buf = realloc(s->buf, size);
		if (!buf) {
			s->overflow = true;
			return;
		}
		s->buf = buf;
		s->size = size;
	}
}

void seq_show_pages_or_max(struct seqbuf *s, unsigned long pages)
{
	if (pages == PAGE_COUNTER_MAX)
		seq_puts(s, "max\n");
	else
		seq_printf(s, "%llu\n", (unsigned long long)pages * PAGE_SIZE);
}

int cft_read(struct cft_ctx *ctx, struct seqbuf *s)
{
	const struct cftype *cft = ctx->cft;
	int ret;

	s->len = 0;
	/* real processes are sampled now, so the file shows what they hold */
	if (ctx->alloc && ctx->cgroup)
		realproc_sample_locked(ctx->alloc, ctx->cgroup);
	if (cft->read_u64) {
		seq_printf(s, "%llu\n", (unsigned long long)cft->read_u64(ctx));
		ret = 0;
	} else if (cft->seq_show) {
		ret = cft->seq_show(ctx, s);
	} else {
		return -EINVAL;
	}
	if (!ret && s->overflow)
		ret = -ENOMEM;
	return ret;
}

ssize_t cft_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	const struct cftype *cft = ctx->cft;
	unsigned long long val;
	int ret;

	if (nbytes > (cft->max_write_len ? cft->max_write_len : CFT_MAX_WRITE_LEN))
		return -E2BIG;
	if (!nbytes)
		return 0;

	if (cft->write) {
		ret = cft->write(ctx, buf, nbytes);
	} else if (cft->write_u64) {
		/* cgroup_file_write(): the unstripped buffer, base 0 */
		ret = kstrtoull(buf, 0, &val);
		if (!ret)
			ret = cft->write_u64(ctx, val);
	} else {
		ret = -EINVAL;
	}
	if (!ret && ctx->cgroup) {
		struct cgroup *child;

		/* a setting may change: its cgroup's, and (subtree_control) its children's */
		cgroup_state_changed(ctx->engine, ctx->cgroup);
		list_for_each_entry(child, &ctx->cgroup->children, sibling)
			cgroup_state_changed(ctx->engine, child);
	}
	return ret ? ret : (ssize_t)nbytes;
}

void cft_release(struct cft_ctx *ctx)
{
	if (ctx->cft->release)
		ctx->cft->release(ctx);
}
