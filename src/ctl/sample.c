// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Samples of control files for memcgctl record and top (see sample.h).
 *
 * May include: libc, json-c, engine/, alloc/, cftypes/, ctl/. Part of the
 * daemon.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/alloc.h"
#include "cftypes/cftype.h"
#include "ctl/sample.h"
#include "engine/cgroup.h"

/* The strings of a JSON array into *@out; absent: nothing. */
static int strings_of(struct json_object *req, const char *key, char ***out, size_t *nr)
{
	struct json_object *arr;
	size_t i, n;

	*out = NULL;
	*nr = 0;
	if (!json_object_object_get_ex(req, key, &arr))
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return -EINVAL;
	n = json_object_array_length(arr);
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(s, json_type_string))
			return -EINVAL;
		(*out)[i] = strdup(json_object_get_string(s));
		if (!(*out)[i])
			return -ENOMEM;
		*nr = i + 1;
	}
	return 0;
}

void sample_spec_free(struct sample_spec *spec)
{
	size_t i;

	for (i = 0; i < spec->nr_cgroups; i++)
		free(spec->cgroups[i]);
	for (i = 0; i < spec->nr_files; i++)
		free(spec->files[i]);
	free(spec->cgroups);
	free(spec->files);
	memset(spec, 0, sizeof(*spec));
}

int sample_spec_parse(struct json_object *req, struct sample_spec *spec)
{
	struct json_object *v;
	int ret;

	memset(spec, 0, sizeof(*spec));
	ret = strings_of(req, "cgroups", &spec->cgroups, &spec->nr_cgroups);
	if (!ret)
		ret = strings_of(req, "files", &spec->files, &spec->nr_files);
	if (!ret && !spec->nr_files)
		ret = -EINVAL;
	if (!ret && !spec->cgroups) {
		spec->cgroups = calloc(1, sizeof(*spec->cgroups));
		if (spec->cgroups && (spec->cgroups[0] = strdup("")))
			spec->nr_cgroups = 1;
		else
			ret = -ENOMEM;
	}
	if (json_object_object_get_ex(req, "subtree", &v))
		spec->subtree = json_object_get_boolean(v);
	if (ret)
		sample_spec_free(spec);
	return ret;
}

const char *sample_check_locked(struct alloc *a, const struct sample_spec *spec)
{
	size_t i;

	for (i = 0; i < spec->nr_cgroups; i++)
		if (!cgroup_lookup_path(a->engine->root, spec->cgroups[i]))
			return spec->cgroups[i];
	return NULL;
}

/* What `cat` of @name in @cg prints; NULL where @cg has no such file. */
static struct json_object *file_text(struct alloc *a, struct cgroup *cg, const char *name)
{
	struct cft_open_state state = { 0 };
	struct cft_ctx ctx = { .engine = a->engine, .alloc = a, .cgroup = cg, .state = &state };
	struct seqbuf s = { 0 };
	struct json_object *text = NULL;

	ctx.cft = cft_lookup(a->engine, cg, name);
	if (!ctx.cft || !(cft_mode(ctx.cft) & 0444))
		return NULL;
	if (!cft_read(&ctx, &s))
		text = json_object_new_string_len(s.buf ? s.buf : "", (int)s.len);
	cft_release(&ctx);
	free(s.buf);
	return text;
}

static struct json_object *cgroup_sample(struct alloc *a, const struct sample_spec *spec,
					 struct cgroup *cg, int depth)
{
	struct json_object *o = json_object_new_object(), *files = json_object_new_object();
	char path[4096];
	size_t i;

	cgroup_path(cg, path, sizeof(path));
	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "depth", json_object_new_int(depth));
	json_object_object_add(o, "nr_tasks", json_object_new_int64((int64_t)cg->nr_tasks));
	for (i = 0; i < spec->nr_files; i++) {
		struct json_object *text = file_text(a, cg, spec->files[i]);

		if (text)
			json_object_object_add(files, spec->files[i], text);
	}
	json_object_object_add(o, "files", files);
	return o;
}

struct json_object *sample_take_locked(struct alloc *a, const struct sample_spec *spec)
{
	struct json_object *o = json_object_new_object(), *list = json_object_new_array();
	size_t i, taken = 0, left_out = 0;

	if (!o || !list) {
		json_object_put(o);
		json_object_put(list);
		return NULL;
	}
	json_object_object_add(o, "time_ns", json_object_new_int64((int64_t)a->engine->now_ns));
	for (i = 0; i < spec->nr_cgroups; i++) {
		struct cgroup *top = cgroup_lookup_path(a->engine->root, spec->cgroups[i]), *cg;

		for (cg = top; cg; cg = spec->subtree ? cgroup_next_descendant_pre(cg, top) : NULL) {
			if (taken++ >= SAMPLE_MAX_CGROUPS) {
				left_out++;
				continue;
			}
			json_object_array_add(list, cgroup_sample(a, spec, cg, cg->level - top->level));
		}
	}
	json_object_object_add(o, "cgroups", list);
	if (left_out)
		json_object_object_add(o, "left_out", json_object_new_int64((int64_t)left_out));
	return o;
}
