// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The cgroup tree: mkdir/rmdir/rename, hierarchy limits, subtree_control,
 * task membership and the populated count, following kernel/cgroup/cgroup.c
 * (v2) and cgroup-v1.c.
 *
 * May include: libc, common/ and engine/ headers.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cgroup.h"
#include "engine/memcg.h"
#include "engine/charge.h"

static int cgroup_register_id(struct engine *e, struct cgroup *cg)
{
	if (e->next_id >= e->by_id_size) {
		uint64_t size = e->by_id_size ? e->by_id_size * 2 : 64;
		struct cgroup **table = realloc(e->by_id, size * sizeof(*table));

		if (!table)
			return -ENOMEM;
		memset(table + e->by_id_size, 0, (size - e->by_id_size) * sizeof(*table));
		e->by_id = table;
		e->by_id_size = size;
	}
	cg->id = e->next_id++;
	e->by_id[cg->id] = cg;
	return 0;
}

struct cgroup *cgroup_by_id(struct engine *e, uint64_t id)
{
	return id < e->by_id_size ? e->by_id[id] : NULL;
}

struct cgroup *cgroup_next_descendant_pre(struct cgroup *pos, struct cgroup *root)
{
	if (!list_empty(&pos->children))
		return list_first_entry(&pos->children, struct cgroup, sibling);
	for (; pos != root; pos = pos->parent)
		if (pos->sibling.next != &pos->parent->children)
			return list_entry(pos->sibling.next, struct cgroup, sibling);
	return NULL;
}

void cgroup_path(const struct cgroup *cg, char *buf, size_t size)
{
	char tmp[4096];

	if (cgroup_is_root(cg)) {
		snprintf(buf, size, "/");
		return;
	}
	buf[0] = '\0';
	for (; cg && !cgroup_is_root(cg); cg = cg->parent) {
		snprintf(tmp, sizeof(tmp), "/%s%s", cg->name, buf);
		snprintf(buf, size, "%s", tmp);
	}
}

bool cgroup_is_descendant(const struct cgroup *cg, const struct cgroup *root)
{
	for (; cg; cg = cg->parent)
		if (cg == root)
			return true;
	return false;
}

static struct cgroup *cgroup_alloc(struct engine *e, struct cgroup *parent, const char *name)
{
	struct cgroup *cg = calloc(1, sizeof(*cg));

	if (!cg)
		return NULL;
	cg->name = strdup(name);
	if (!cg->name || cgroup_register_id(e, cg)) {
		free(cg->name);
		free(cg);
		return NULL;
	}
	cg->parent = parent;
	cg->level = parent ? parent->level + 1 : 0;
	INIT_LIST_HEAD(&cg->children);
	INIT_LIST_HEAD(&cg->sibling);
	INIT_LIST_HEAD(&cg->tasks);
	cg->max_depth = INT_MAX;
	cg->max_descendants = INT_MAX;
	cg->psi_enabled = true;
	cg->uid = e->cfg.owner_uid;
	cg->gid = e->cfg.owner_gid;
	return cg;
}

static void cgroup_free(struct engine *e, struct cgroup *cg)
{
	e->by_id[cg->id] = NULL;
	free(cg->attrs);
	free(cg->name);
	free(cg);
	engine_freed(e);
}

static struct cgroup_node_attr *node_attr_find(const struct cgroup *cg, unsigned int node)
{
	unsigned int i;

	for (i = 0; i < cg->nr_attrs; i++)
		if (cg->attrs[i].node == node)
			return &cg->attrs[i];
	return NULL;
}

void cgroup_node_attr(const struct cgroup *cg, unsigned int node, uint32_t dflt_mode,
		      struct cgroup_node_attr *out)
{
	const struct cgroup_node_attr *attr = node_attr_find(cg, node);

	if (attr) {
		*out = *attr;
		return;
	}
	*out = (struct cgroup_node_attr){ .node = node, .mode = dflt_mode, .uid = cg->uid, .gid = cg->gid };
}

void cgroup_set_owner(struct engine *e, struct cgroup *cg, uint32_t uid, uint32_t gid)
{
	cg->uid = uid;
	cg->gid = gid;
	cgroup_state_changed(e, cg);
	engine_node_changed(e, ENGINE_NODE_OWNER, cg, cg->parent, NULL, 0);
}

int cgroup_node_setattr(struct engine *e, struct cgroup *cg, const struct cgroup_node_attr *attr,
			uint32_t dflt_mode)
{
	struct cgroup_node_attr *old = node_attr_find(cg, attr->node), *attrs;
	bool dflt = (attr->mode & 07777) == dflt_mode && attr->uid == cg->uid && attr->gid == cg->gid;

	cgroup_state_changed(e, cg);
	engine_node_changed(e, ENGINE_NODE_ATTR, cg, cg->parent, NULL, attr->node);
	if (old && dflt) {
		*old = cg->attrs[--cg->nr_attrs];
		return 0;
	}
	if (!old && dflt)
		return 0;
	if (!old) {
		/* few nodes ever change: grow one at a time */
		attrs = realloc(cg->attrs, (cg->nr_attrs + 1) * sizeof(*attrs));
		if (!attrs)
			return -ENOMEM;
		cg->attrs = attrs;
		old = &cg->attrs[cg->nr_attrs++];
	}
	*old = *attr;
	old->mode &= 07777;
	return 0;
}

int cgroup_create_root(struct engine *e, struct cgroup **out);
int cgroup_create_root(struct engine *e, struct cgroup **out)
{
	struct cgroup *root = cgroup_alloc(e, NULL, "");
	int ret;

	if (!root)
		return -ENOMEM;
	ret = memcg_create(e, NULL, root, &root->memcg);
	if (ret) {
		cgroup_free(e, root);
		return ret;
	}
	root->nr_memcgs = 1;
	/* As on a systemd machine: children of the root get memory. */
	root->subtree_memory = true;
	*out = root;
	return 0;
}

void cgroup_destroy_tree(struct engine *e, struct cgroup *cg);
void cgroup_destroy_tree(struct engine *e, struct cgroup *cg)
{
	struct cgroup *child, *tmp;

	list_for_each_entry_safe(child, tmp, &cg->children, sibling)
		cgroup_destroy_tree(e, child);
	if (cg->memcg)
		cg->memcg->cgroup = NULL;
	cgroup_free(e, cg);
}

struct cgroup *cgroup_lookup_child(struct cgroup *parent, const char *name)
{
	struct cgroup *child;

	list_for_each_entry(child, &parent->children, sibling)
		if (!strcmp(child->name, name))
			return child;
	return NULL;
}

struct cgroup *cgroup_lookup_path(struct cgroup *root, const char *path)
{
	struct cgroup *cg = root;
	char *copy = strdup(path), *save = NULL, *part;

	if (!copy)
		return NULL;
	for (part = strtok_r(copy, "/", &save); part && cg; part = strtok_r(NULL, "/", &save))
		cg = cgroup_lookup_child(cg, part);
	free(copy);
	return cg;
}

struct memcg *cgroup_memcg(struct cgroup *cg)
{
	while (!cg->memcg)
		cg = cg->parent;
	return cg->memcg;
}

/* kernel: cgroup_check_hierarchy_limits() */
static bool cgroup_within_limits(const struct cgroup *parent)
{
	const struct cgroup *cg;
	int level = 1;

	for (cg = parent; cg; cg = cg->parent) {
		if (cg->nr_descendants >= cg->max_descendants)
			return false;
		if (level > cg->max_depth)
			return false;
		level++;
	}
	return true;
}

/* Give @cg a memory css (its parent enables memory). */
static int cgroup_online_memcg(struct engine *e, struct cgroup *cg)
{
	struct cgroup *walk;
	int ret = memcg_create(e, cgroup_memcg(cg->parent), cg, &cg->memcg);

	if (!ret)
		for (walk = cg; walk; walk = walk->parent)
			walk->nr_memcgs++;
	return ret;
}

/* The nearest online ancestor of @memcg (never NULL: the root never dies). */
static struct memcg *memcg_online_ancestor(const struct memcg *memcg)
{
	struct memcg *anc = memcg->parent;

	while (anc && !anc->online)
		anc = anc->parent;
	return anc;
}

/*
 * The css goes away; it lingers as dying while anything references it.
 *
 * cgroup.stat counts a dying memcg in the cgroup of its nearest online
 * ancestor and that cgroup's ancestors. When @cg's memcg dies, it and the
 * dying memcgs counted under it move up to its parent memcg's cgroup: the
 * cgroups from @cg up to (not including) that one stop counting them, the
 * ones above gain @cg's own. O(depth), whatever the subtree holds.
 */
static void cgroup_offline_memcg(struct engine *e, struct cgroup *cg, bool removing)
{
	struct memcg *memcg = cg->memcg, *anc = memcg_online_ancestor(memcg);
	int below = memcg->nr_dying_below, removed_below = memcg->nr_dying_removed_below;
	struct cgroup *walk;

	for (walk = cg; walk; walk = walk->parent)
		walk->nr_memcgs--;
	anc->nr_dying_below += below + 1;
	anc->nr_dying_removed_below += removed_below + removing;
	for (walk = cg; walk != anc->cgroup; walk = walk->parent) {
		walk->nr_dying_memcgs -= below;
		walk->nr_dying_descendants -= removed_below;
	}
	for (; walk; walk = walk->parent) {
		walk->nr_dying_memcgs++;
		walk->nr_dying_descendants += removing;
	}

	memcg->cgroup_removed = removing;
	cg->memcg = NULL;
	memcg_offline(e, memcg);
	memcg_put(e, memcg);
	/* its memory files are gone */
	if (!removing)
		engine_node_changed(e, ENGINE_NODE_FILES, cg, cg->parent, NULL, 0);
}

void cgroup_memcg_freed(struct engine *e, const struct memcg *memcg)
{
	struct memcg *anc;
	struct cgroup *walk;

	if (memcg->online || e->destroying)
		return;
	anc = memcg_online_ancestor(memcg);
	anc->nr_dying_below--;
	anc->nr_dying_removed_below -= memcg->cgroup_removed;
	for (walk = anc->cgroup; walk; walk = walk->parent) {
		walk->nr_dying_memcgs--;
		walk->nr_dying_descendants -= memcg->cgroup_removed;
	}
}

int cgroup_mkdir(struct engine *e, struct cgroup *parent, const char *name, struct cgroup **out)
{
	struct cgroup *cg, *walk;
	int ret;

	if (strchr(name, '\n'))
		return -EINVAL;
	if (cgroup_lookup_child(parent, name))
		return -EEXIST;
	if (!cgroup_within_limits(parent))
		return -EAGAIN;

	cg = cgroup_alloc(e, parent, name);
	if (!cg)
		return -ENOMEM;
	/* a child of a threaded cgroup is threaded; memory is a domain controller */
	cg->threaded = parent->threaded;
	if (cg->threaded)
		parent->nr_threaded_children++;
	if (parent->subtree_memory && !cg->threaded) {
		ret = cgroup_online_memcg(e, cg);
		if (ret) {
			cgroup_free(e, cg);
			return ret;
		}
		memcg_inherit(cg->memcg, parent->memcg ? parent->memcg : NULL);
	}
	cg->notify_on_release = parent->notify_on_release;
	cg->clone_children = parent->clone_children;
	/* v1 has no subtree_control: every cgroup has the memory controller */
	cg->subtree_memory = e->cfg.mode == CGROUP_V1;

	list_add_tail(&cg->sibling, &parent->children);
	for (walk = parent; walk; walk = walk->parent)
		walk->nr_descendants++;
	cgroup_state_changed(e, cg);
	engine_node_changed(e, ENGINE_NODE_ADDED, cg, parent, cg->name, CGROUP_NODE_DIR);
	*out = cg;
	return 0;
}

int cgroup_rmdir(struct engine *e, struct cgroup *cg)
{
	struct cgroup *walk;

	if (cgroup_is_root(cg))
		return -EBUSY;
	if (cg->nr_populated || !list_empty(&cg->children))
		return -EBUSY;

	list_del_init(&cg->sibling);
	if (cg->threaded)
		cg->parent->nr_threaded_children--;
	for (walk = cg->parent; walk; walk = walk->parent)
		walk->nr_descendants--;
	/* reported before the memcg goes: what offlining signals comes after the name is gone */
	engine_node_changed(e, ENGINE_NODE_REMOVED, cg, cg->parent, cg->name, CGROUP_NODE_DIR);
	if (cg->memcg)
		cgroup_offline_memcg(e, cg, true);
	cgroup_free(e, cg);
	cgroup_state_changed(e, NULL);
	return 0;
}

int cgroup_rename(struct engine *e, struct cgroup *cg, struct cgroup *new_parent, const char *new_name)
{
	char *name;

	if (strchr(new_name, '\n'))
		return -EINVAL;
	if (new_parent != cg->parent)
		return -EIO;
	if (!strcmp(cg->name, new_name))
		return 0;
	if (cgroup_lookup_child(new_parent, new_name))
		return -EEXIST;
	name = strdup(new_name);
	if (!name)
		return -ENOMEM;
	engine_node_changed(e, ENGINE_NODE_RENAMED, cg, cg->parent, cg->name, CGROUP_NODE_DIR);
	free(cg->name);
	cg->name = name;
	cgroup_state_changed(e, cg);
	return 0;
}

int cgroup_set_subtree_memory(struct engine *e, struct cgroup *cg, bool enable)
{
	struct cgroup *child;
	int ret;

	if (enable == cg->subtree_memory)
		return 0;

	if (enable) {
		/* only what this cgroup itself has can be handed down */
		if (!cg->memcg)
			return -ENOENT;
		if (cg->threaded)
			return -EOPNOTSUPP;
		if (!cgroup_is_root(cg) && cg->nr_tasks)
			return -EBUSY;
		list_for_each_entry(child, &cg->children, sibling)
			if (child->threaded)
				return -EOPNOTSUPP;
	} else {
		list_for_each_entry(child, &cg->children, sibling)
			if (child->subtree_memory)
				return -EBUSY;
	}

	cg->subtree_memory = enable;
	list_for_each_entry(child, &cg->children, sibling) {
		if (enable) {
			ret = cgroup_online_memcg(e, child);
			if (ret) {
				cgroup_set_subtree_memory(e, cg, false);
				return ret;
			}
			memcg_inherit(child->memcg, cg->memcg);
		} else if (child->memcg) {
			cgroup_offline_memcg(e, child, false);
		}
	}
	return 0;
}

struct cgroup *cgroup_dom(struct cgroup *cg)
{
	while (cg->threaded)
		cg = cg->parent;
	return cg;
}

/* The root may hold tasks and children of any kind at once. */
static bool cgroup_is_mixable(const struct cgroup *cg)
{
	return cgroup_is_root(cg);
}

static bool cgroup_is_thread_root(const struct cgroup *cg)
{
	return !cg->threaded && cg->nr_threaded_children > 0;
}

static bool cgroup_is_valid_domain(const struct cgroup *cg)
{
	if (cg->threaded)
		return false;
	for (cg = cg->parent; cg; cg = cg->parent) {
		if (!cgroup_is_mixable(cg) && cgroup_is_thread_root(cg))
			return false;
		if (cg->threaded)
			return false;
	}
	return true;
}

/* Only threaded children, and no domain controller (memory) in use. */
static bool cgroup_can_be_thread_root(const struct cgroup *cg)
{
	const struct cgroup *child;

	if (cgroup_is_mixable(cg))
		return true;
	if (cg->threaded || cg->subtree_memory)
		return false;
	list_for_each_entry(child, &cg->children, sibling)
		if (!child->threaded && child->nr_populated)
			return false;
	return true;
}

enum cgroup_type cgroup_type(const struct cgroup *cg)
{
	if (cg->threaded)
		return CGROUP_TYPE_THREADED;
	if (!cgroup_is_valid_domain(cg))
		return CGROUP_TYPE_DOMAIN_INVALID;
	if (cgroup_is_thread_root(cg))
		return CGROUP_TYPE_DOMAIN_THREADED;
	return CGROUP_TYPE_DOMAIN;
}

int cgroup_enable_threaded(struct engine *e, struct cgroup *cg)
{
	struct cgroup *dom = cgroup_dom(cg->parent);

	if (cg->threaded)
		return 0;
	if (cg->nr_populated || cg->subtree_memory)
		return -EOPNOTSUPP;
	if (!cgroup_is_valid_domain(dom) || !cgroup_can_be_thread_root(dom))
		return -EOPNOTSUPP;
	cg->threaded = true;
	cg->parent->nr_threaded_children++;
	/* memory is not a threaded controller: the css goes, charges stay */
	if (cg->memcg)
		cgroup_offline_memcg(e, cg, false);
	return 0;
}

int cgroup_can_attach(const struct engine *e, const struct cgroup *cg)
{
	/* v2's no-internal-process rule; the root is exempt, v1 has none */
	if (e->cfg.mode == CGROUP_V2 && !cgroup_is_root(cg) && cg->subtree_memory)
		return -EBUSY;
	return 0;
}

/* populated flips in cgroup.events when the count crosses zero */
static void cgroup_adjust_populated(struct engine *e, struct cgroup *cg, long delta, bool real)
{
	bool changed = false;

	for (; cg; cg = cg->parent) {
		bool was = cg->nr_populated > 0;

		cg->nr_populated += delta;
		if (real)
			cg->nr_real += delta;
		if (was != (cg->nr_populated > 0)) {
			cg->events_gen++;
			engine_file_notify(e, cg, NOTIFY_CGROUP_EVENTS);
			changed = true;
		}
	}
	if (changed)
		engine_file_changed(e);
}

bool cgroup_freezing(const struct cgroup *cg)
{
	for (; cg; cg = cg->parent)
		if (cg->freeze)
			return true;
	return false;
}

/* Is a real process of @cg's subtree still running (not yet seen stopped)? */
static bool subtree_has_running_real(const struct cgroup *cg)
{
	const struct cgroup *pos;
	const struct memcg_task *task;

	for (pos = cg; pos; pos = cgroup_next_descendant_pre((struct cgroup *)pos, (struct cgroup *)cg))
		list_for_each_entry(task, &pos->tasks, cgroup_node)
			if (task->real && !task->dead && !task->stopped)
				return true;
	return false;
}

bool cgroup_frozen(const struct cgroup *cg)
{
	/* the kernel sets CGRP_FROZEN once every task of the subtree is frozen */
	return cgroup_freezing(cg) && !subtree_has_running_real(cg);
}

void cgroup_set_task_stopped(struct engine *e, struct memcg_task *task, bool stopped)
{
	struct cgroup *cg;
	bool changed = false;

	if (task->stopped == stopped)
		return;
	for (cg = task->cgroup; cg; cg = cg->parent) {
		bool was, now;

		if (!cgroup_freezing(cg))
			continue;
		was = cgroup_frozen(cg);
		task->stopped = stopped;
		now = cgroup_frozen(cg);
		task->stopped = !stopped;
		if (was != now) {
			cg->events_gen++;
			engine_file_notify(e, cg, NOTIFY_CGROUP_EVENTS);
			changed = true;
		}
	}
	task->stopped = stopped;
	if (changed)
		engine_file_changed(e);
}

static void bump_events_subtree(struct engine *e, struct cgroup *cg)
{
	struct cgroup *child;

	cg->events_gen++;
	engine_file_notify(e, cg, NOTIFY_CGROUP_EVENTS);
	list_for_each_entry(child, &cg->children, sibling)
		bump_events_subtree(e, child);
}

void cgroup_set_freeze(struct engine *e, struct cgroup *cg, bool freeze)
{
	bool was = cgroup_frozen(cg);

	cg->freeze = freeze;
	if (was != cgroup_frozen(cg)) {
		bump_events_subtree(e, cg);
		engine_file_changed(e);
	}
}

void cgroup_attach_task(struct engine *e, struct cgroup *cg, struct memcg_task *task)
{
	if (task->cgroup == cg)
		return;
	if (task->cgroup)
		cgroup_detach_task(e, task);
	task->cgroup = cg;
	list_add_tail(&task->cgroup_node, &cg->tasks);
	cg->nr_tasks++;
	cgroup_adjust_populated(e, cg, 1, task->real);
	cgroup_state_changed(e, NULL);
}

void cgroup_detach_task(struct engine *e, struct memcg_task *task)
{
	struct cgroup *cg = task->cgroup;

	if (!cg)
		return;
	list_del_init(&task->cgroup_node);
	cg->nr_tasks--;
	cgroup_adjust_populated(e, cg, -1, task->real);
	task->cgroup = NULL;
	cgroup_state_changed(e, NULL);
}

void cgroup_stat(const struct cgroup *cg, struct cgroup_stat *st)
{
	*st = (struct cgroup_stat){
		.nr_descendants = cg->nr_descendants,
		.nr_subsys_memory = cg->nr_memcgs,
		.nr_dying_descendants = cg->nr_dying_descendants,
		.nr_dying_subsys_memory = cg->nr_dying_memcgs,
	};
}
