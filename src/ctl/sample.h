/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What memcgctl record and top see: chosen control files of chosen
 * cgroups, rendered at one instant of simulated time by the same handlers
 * that serve the mount, so a sample is what `cat` would have printed.
 *
 * Part of the daemon. May include: libc, json-c, engine/, alloc/,
 * cftypes/, ctl/.
 */
#ifndef MEMCGFS_SAMPLE_H
#define MEMCGFS_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

struct alloc;

/*
 * The most cgroups one sample renders: a sample is taken under the engine
 * lock, and a teaching tree is far smaller; the rest are counted.
 */
#define SAMPLE_MAX_CGROUPS 4096

/* A request's choice: which cgroups (and their subtrees?) and which files. */
struct sample_spec {
	char **cgroups;			/* paths relative to the root; "" is the root */
	size_t nr_cgroups;
	char **files;			/* control file names */
	size_t nr_files;
	bool subtree;			/* each cgroup and everything below it */
};

/**
 * sample_spec_parse() - @req's "cgroups" (an array of paths; absent: the
 * root), "files" (an array of names) and "subtree" (a boolean).
 * Return: 0, -EINVAL (not arrays of strings, no files), -ENOMEM.
 */
int sample_spec_parse(struct json_object *req, struct sample_spec *spec);

/** sample_spec_free() - free what sample_spec_parse() allocated. */
void sample_spec_free(struct sample_spec *spec);

/**
 * sample_check_locked() - the first cgroup of @spec that does not exist.
 * Return: its path, or NULL when they all do.
 * Context: engine lock held.
 */
const char *sample_check_locked(struct alloc *a, const struct sample_spec *spec);

/**
 * sample_take_locked() - one sample: {"time_ns":N,"cgroups":[{"path":"/a",
 * "depth":D,"nr_tasks":T,"files":{"memory.current":"4096\n",...}},...]},
 * a cgroup that is gone and a file a cgroup does not have left out; depth
 * counts from the requested cgroup (0) down its subtree. Past
 * SAMPLE_MAX_CGROUPS cgroups, the others are only counted, in "left_out".
 * Return: a new object (the caller puts it), or NULL (no memory).
 * Context: engine lock held.
 */
struct json_object *sample_take_locked(struct alloc *a, const struct sample_spec *spec);

#endif
