/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cgroup tree and its core state (kernel/cgroup/cgroup.c's rules):
 * mkdir, rmdir and rename, cgroup.subtree_control with the no-internal-
 * process rule, depth and descendant limits, task membership, populated,
 * freeze. A cgroup's memory controller state is its struct memcg (the
 * css), which exists only where the parent enables memory and which may
 * outlive the cgroup while charges remain (a dying memcg).
 *
 * Context: every function needs engine->lock held.
 */
#ifndef MEMCGFS_CGROUP_H
#define MEMCGFS_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "common/list.h"
#include "engine/engine.h"
#include "engine/psi.h"

#define CGROUP_MAX_NAME 255

enum cgroup_type {
	CGROUP_TYPE_DOMAIN,
	CGROUP_TYPE_DOMAIN_THREADED,
	CGROUP_TYPE_DOMAIN_INVALID,
	CGROUP_TYPE_THREADED,
};

/*
 * The mode and owner of one node of a cgroup: its directory (node 0) or a
 * file (node i + 1 for the file of cftype index i, a number the engine
 * keeps without knowing what it names).
 */
#define CGROUP_NODE_DIR 0
#define CGROUP_DIR_MODE 0755

struct cgroup_node_attr {
	unsigned int node;
	uint32_t mode;			/* permission bits, 07777 */
	uint32_t uid, gid;
};

struct cgroup {
	uint64_t id;
	char *name;
	struct cgroup *parent;
	struct list_head children;
	struct list_head sibling;
	int level;

	struct memcg *memcg;		/* NULL when the parent does not enable memory */
	bool subtree_memory;		/* "memory" in cgroup.subtree_control */

	struct list_head tasks;		/* struct memcg_task.cgroup_node */
	unsigned long nr_tasks;
	unsigned long nr_populated;	/* tasks here and in every descendant */
	unsigned long nr_real;		/* of those, live processes of the host */
	uint64_t events_gen;		/* cgroup.events changed (populated, frozen) */

	int max_depth;			/* INT_MAX is "max" */
	int max_descendants;
	/*
	 * cgroup.stat, kept as the tree changes so that reading it never walks
	 * the subtree: live cgroups below, live memcgs here and below, and the
	 * dying memcgs counted here (those whose nearest online ancestor's
	 * cgroup is this one or below), of which nr_dying_descendants died with
	 * their cgroup.
	 */
	int nr_descendants;
	int nr_memcgs;
	int nr_dying_memcgs;
	int nr_dying_descendants;

	bool freeze;
	bool psi_enabled;		/* cgroup.pressure */
	struct psi_group psi;		/* memory.pressure */
	bool threaded;			/* cgroup.type "threaded" */
	int nr_threaded_children;

	/* v1 core knobs */
	bool notify_on_release;
	bool clone_children;

	/*
	 * Ownership, kept per node as kernfs does: a cgroup and its files
	 * belong to whoever made it (cgroup_kn_set_ugid()), and chmod and
	 * chown change one node. @attrs holds the nodes changed since.
	 */
	uint32_t uid, gid;
	struct cgroup_node_attr *attrs;
	unsigned int nr_attrs;

	/* engine->state_gen when its settings, modes or owner last changed */
	uint64_t state_gen;
};

/** cgroup_mkdir() - create @name under @parent. Return: 0, -EEXIST, -EINVAL, -EAGAIN, -ENOMEM. */
int cgroup_mkdir(struct engine *e, struct cgroup *parent, const char *name, struct cgroup **out);
/** cgroup_rmdir() - Return: 0 or -EBUSY (tasks or children). */
int cgroup_rmdir(struct engine *e, struct cgroup *cg);
/** cgroup_rename() - move within the same parent only. Return: 0, -EXDEV, -EEXIST, -EINVAL, -EBUSY. */
int cgroup_rename(struct engine *e, struct cgroup *cg, struct cgroup *new_parent, const char *new_name);

struct cgroup *cgroup_lookup_child(struct cgroup *parent, const char *name);
/** cgroup_lookup_path() - "a/b" below @root ("" and "/" are @root). Return: NULL if none. */
struct cgroup *cgroup_lookup_path(struct cgroup *root, const char *path);

/**
 * cgroup_node_attr() - the mode and owner of node @node of @cg.
 * @dflt_mode: the node's mode until a chmod (CGROUP_DIR_MODE for the
 *	directory, the file's own otherwise).
 */
void cgroup_node_attr(const struct cgroup *cg, unsigned int node, uint32_t dflt_mode,
		      struct cgroup_node_attr *out);
/**
 * cgroup_node_setattr() - a chmod or chown of node @attr->node: record its
 * new mode and owner (a node back at its defaults is forgotten).
 * Return: 0 or -ENOMEM.
 */
int cgroup_node_setattr(struct engine *e, struct cgroup *cg, const struct cgroup_node_attr *attr,
			uint32_t dflt_mode);
/** cgroup_set_owner() - @cg is made by @uid:@gid: it and its files are theirs (cgroup_kn_set_ugid()). */
void cgroup_set_owner(struct engine *e, struct cgroup *cg, uint32_t uid, uint32_t gid);

/**
 * cgroup_state_changed() - something a saved state holds changed: in @cg
 * (a setting, a mode, its owner), or elsewhere (@cg NULL: the tree's shape,
 * the tasks). A state saver compares engine->state_gen, and each cgroup's.
 */
static inline void cgroup_state_changed(struct engine *e, struct cgroup *cg)
{
	e->state_gen++;
	if (cg)
		cg->state_gen = e->state_gen;
}
/**
 * cgroup_next_descendant_pre() - the cgroup after @pos in a pre-order walk
 * of @root's subtree (@root itself first), or NULL at the end; walks from
 * any position without a stack, as the kernel's css_next_descendant_pre().
 */
struct cgroup *cgroup_next_descendant_pre(struct cgroup *pos, struct cgroup *root);
/** cgroup_path() - "/a/b" from the root ("/" for the root itself), cut to @size. */
void cgroup_path(const struct cgroup *cg, char *buf, size_t size);
/** cgroup_is_descendant() - is @cg @root or below it? */
bool cgroup_is_descendant(const struct cgroup *cg, const struct cgroup *root);
struct cgroup *cgroup_by_id(struct engine *e, uint64_t id);

/**
 * cgroup_memcg() - the memcg that charges of tasks in @cg go to: its own,
 * or the nearest ancestor's when memory is not enabled here.
 */
struct memcg *cgroup_memcg(struct cgroup *cg);

/** cgroup_set_subtree_control() - apply "+memory"/"-memory". Return: 0, -ENOENT, -EBUSY, -EOPNOTSUPP. */
int cgroup_set_subtree_memory(struct engine *e, struct cgroup *cg, bool enable);

/** cgroup_freezing() - is cgroup.freeze 1 here or on an ancestor? */
bool cgroup_freezing(const struct cgroup *cg);
/**
 * cgroup_frozen() - does cgroup.events say frozen: freezing, and every real
 * process of the subtree seen stopped (simulated tasks stop at once)?
 */
bool cgroup_frozen(const struct cgroup *cg);
/**
 * cgroup_set_task_stopped() - a real process was seen stopped or running
 * again: cgroup.events of the freezing cgroups whose frozen changes.
 */
void cgroup_set_task_stopped(struct engine *e, struct memcg_task *task, bool stopped);
/** cgroup_set_freeze() - cgroup.freeze; cgroup.events of the subtree may change. */
void cgroup_set_freeze(struct engine *e, struct cgroup *cg, bool freeze);

/** cgroup_type() - what cgroup.type reads (derived, as the kernel's cgroup_type_show). */
enum cgroup_type cgroup_type(const struct cgroup *cg);
/** cgroup_dom() - the domain a cgroup's threads belong to (dom_cgrp). */
struct cgroup *cgroup_dom(struct cgroup *cg);
/** cgroup_enable_threaded() - cgroup.type := threaded. Return: 0 or -EOPNOTSUPP. */
int cgroup_enable_threaded(struct engine *e, struct cgroup *cg);

/** cgroup_can_attach() - the no-internal-process rule. Return: 0 or -EBUSY. */
int cgroup_can_attach(const struct engine *e, const struct cgroup *cg);
void cgroup_attach_task(struct engine *e, struct cgroup *cg, struct memcg_task *task);
void cgroup_detach_task(struct engine *e, struct memcg_task *task);

struct cgroup_stat {
	int nr_descendants;
	int nr_subsys_memory;		/* live memcgs, self included */
	int nr_dying_descendants;
	int nr_dying_subsys_memory;
};

/** cgroup_stat() - the counts of cgroup.stat, in O(1): they are kept as the tree changes. */
void cgroup_stat(const struct cgroup *cg, struct cgroup_stat *st);
/**
 * cgroup_memcg_freed() - dying @memcg is about to be freed: it leaves the
 * cgroup.stat counts of the cgroups it was counted in.
 */
void cgroup_memcg_freed(struct engine *e, const struct memcg *memcg);

static inline bool cgroup_is_root(const struct cgroup *cg)
{
	return !cg->parent;
}

#endif
