// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memcgctl stat's reply (see snapshot.h): a copy of the tree's numbers made
 * under the engine lock, turned into JSON text without it.
 *
 * May include: libc, engine/, ctl/. Part of the daemon.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/snapshot.h"
#include "engine/cgroup.h"
#include "engine/memcg.h"

/* the page counters stat shows, in the order of its keys */
enum { SNAP_CURRENT, SNAP_PEAK, SNAP_MIN, SNAP_LOW, SNAP_HIGH, SNAP_MAX, SNAP_SWAP_CURRENT,
       SNAP_SWAP_MAX, NR_SNAP_COUNTERS };

static const char *const counter_keys[NR_SNAP_COUNTERS] = {
	"current", "peak", "min", "low", "high", "max", "swap_current", "swap_max",
};

static const char *const event_keys[MEMCG_NR_MEMORY_EVENTS] = {
#define MEMORY_EVENT(id, key) [MEMCG_##id] = #key,
#define SWAP_EVENT(id, key) [MEMCG_##id] = "swap_" #key,
#include "engine/memory_events.def"
#undef MEMORY_EVENT
#undef SWAP_EVENT
};

struct snap_node {
	int depth;			/* below the snapshot's first cgroup */
	bool has_memcg;
	size_t path;			/* offset in tree_snapshot.paths */
	unsigned long nr_tasks;
	unsigned long counters[NR_SNAP_COUNTERS];	/* pages */
	unsigned long events[MEMCG_NR_MEMORY_EVENTS];
};

struct tree_snapshot {
	uint64_t now_ns;
	struct snap_node *nodes;
	size_t nr_nodes;
	char *paths;			/* NUL-terminated paths, one after the other */
	size_t paths_len;
};

void tree_snapshot_free(struct tree_snapshot *snap)
{
	if (!snap)
		return;
	free(snap->nodes);
	free(snap->paths);
	free(snap);
}

static int grow(void **buf, size_t *size, size_t need, size_t elem)
{
	size_t n = *size ? *size : 64;
	void *p;

	if (need <= *size)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*buf, n * elem);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*size = n;
	return 0;
}

int tree_snapshot_take_locked(struct engine *e, struct cgroup *top, struct tree_snapshot **out)
{
	struct tree_snapshot *snap = calloc(1, sizeof(*snap));
	size_t nodes_size = 0, paths_size = 0, *ends = NULL, ends_size = 0;
	struct cgroup *cg;
	char path[4096];

	if (!snap)
		return -ENOMEM;
	snap->now_ns = e->now_ns;
	for (cg = top; cg; cg = cgroup_next_descendant_pre(cg, top)) {
		int depth = cg->level - top->level;
		struct snap_node *n;
		size_t len;

		/*
		 * Pre-order: the parent's path was the last at depth - 1, so a
		 * path is that one and the name, without walking up.
		 */
		if (grow((void **)&ends, &ends_size, (size_t)depth + 1, sizeof(*ends)))
			goto out_nomem;
		if (!depth) {
			cgroup_path(cg, path, sizeof(path));
			ends[0] = strlen(path);
		} else {
			/* below the root, whose path is "/" */
			size_t at = depth == 1 && cgroup_is_root(top) ? 0 : ends[depth - 1];

			ends[depth] = at + (size_t)snprintf(path + at, sizeof(path) - at, "/%s", cg->name);
			if (ends[depth] >= sizeof(path))
				ends[depth] = sizeof(path) - 1;	/* cut, as cgroup_path() cuts */
		}
		len = ends[depth] + 1;
		if (grow((void **)&snap->nodes, &nodes_size, snap->nr_nodes + 1, sizeof(*snap->nodes)) ||
		    grow((void **)&snap->paths, &paths_size, snap->paths_len + len, 1))
			goto out_nomem;
		n = &snap->nodes[snap->nr_nodes++];
		memset(n, 0, sizeof(*n));
		n->depth = depth;
		n->path = snap->paths_len;
		memcpy(snap->paths + snap->paths_len, path, len - 1);
		snap->paths[snap->paths_len + len - 1] = '\0';
		snap->paths_len += len;
		n->nr_tasks = cg->nr_tasks;
		if (cg->memcg) {
			const struct memcg *m = cg->memcg;

			n->has_memcg = true;
			n->counters[SNAP_CURRENT] = m->memory.usage;
			n->counters[SNAP_PEAK] = m->memory.watermark;
			n->counters[SNAP_MIN] = m->memory.min;
			n->counters[SNAP_LOW] = m->memory.low;
			n->counters[SNAP_HIGH] = m->memory.high;
			n->counters[SNAP_MAX] = m->memory.max;
			n->counters[SNAP_SWAP_CURRENT] = m->swap.usage;
			n->counters[SNAP_SWAP_MAX] = m->swap.max;
			memcpy(n->events, m->events, sizeof(n->events));
		}
	}
	free(ends);
	*out = snap;
	return 0;

out_nomem:
	free(ends);
	tree_snapshot_free(snap);
	return -ENOMEM;
}

/* ---- text ---------------------------------------------------------------- */

struct text {
	char *buf;
	size_t len, size;
	bool failed;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (grow((void **)&t->buf, &t->size, t->len + n + 1, 1)) {
		t->failed = true;
		return;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static void text_puts(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

static void text_printf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_printf(struct text *t, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		text_add(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* A JSON string: a cgroup name may hold quotes, backslashes and control bytes. */
static void text_string(struct text *t, const char *s)
{
	const char *run = s;

	text_add(t, "\"", 1);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		text_add(t, run, (size_t)(s - run));
		if (ch == '"' || ch == '\\') {
			char esc[2] = { '\\', (char)ch };

			text_add(t, esc, 2);
		} else {
			text_printf(t, "\\u%04x", ch);
		}
		run = s + 1;
	}
	text_add(t, run, (size_t)(s - run));
	text_add(t, "\"", 1);
}

static void text_bytes(struct text *t, const char *key, unsigned long pages)
{
	if (pages == PAGE_COUNTER_MAX)
		text_printf(t, ",\"%s\":\"max\"", key);
	else
		text_printf(t, ",\"%s\":%llu", key, (unsigned long long)pages * PAGE_SIZE);
}

/* One cgroup's keys, without braces or children. */
static void node_fields(struct text *t, const struct tree_snapshot *snap, const struct snap_node *n)
{
	int i;

	text_puts(t, "\"path\":");
	text_string(t, snap->paths + n->path);
	text_printf(t, ",\"nr_tasks\":%lu", n->nr_tasks);
	if (!n->has_memcg)
		return;
	for (i = 0; i < NR_SNAP_COUNTERS; i++)
		text_bytes(t, counter_keys[i], n->counters[i]);
	text_puts(t, ",\"events\":{");
	for (i = 0; i < MEMCG_NR_MEMORY_EVENTS; i++)
		text_printf(t, "%s\"%s\":%lu", i ? "," : "", event_keys[i], n->events[i]);
	text_puts(t, "}");
}

char *tree_snapshot_reply(const struct tree_snapshot *snap, bool lines, size_t *len)
{
	struct text t = { 0 };
	int prev = -1, d;
	size_t i;

	if (lines) {
		text_printf(&t, "{\"ok\":true,\"now_ns\":%llu,\"nodes\":%zu}\n",
			    (unsigned long long)snap->now_ns, snap->nr_nodes);
		for (i = 0; i < snap->nr_nodes; i++) {
			text_printf(&t, "{\"depth\":%d,", snap->nodes[i].depth);
			node_fields(&t, snap, &snap->nodes[i]);
			text_puts(&t, "}\n");
		}
	} else {
		/* pre-order with depths: close what the next node is not inside of */
		text_printf(&t, "{\"ok\":true,\"now_ns\":%llu,\"tree\":", (unsigned long long)snap->now_ns);
		for (i = 0; i < snap->nr_nodes; i++) {
			const struct snap_node *n = &snap->nodes[i];

			for (d = prev; d >= n->depth; d--)
				text_puts(&t, "]}");
			if (prev >= n->depth)
				text_puts(&t, ",");
			text_puts(&t, "{");
			node_fields(&t, snap, n);
			text_puts(&t, ",\"children\":[");
			prev = n->depth;
		}
		for (d = prev; d >= 0; d--)
			text_puts(&t, "]}");
		text_puts(&t, "}\n");
	}
	if (t.failed) {
		free(t.buf);
		return NULL;
	}
	*len = t.len;
	return t.buf;
}
