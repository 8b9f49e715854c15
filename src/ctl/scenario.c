// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Scenario files (see scenario.h). json-c parses the text; a small scanner
 * of our own finds the line of any key, because json-c keeps no positions
 * and a user wants "file:12: ..." rather than a path into the document.
 *
 * Control files are written through the cftypes handlers, so a value in a
 * scenario parses exactly as `echo VALUE > FILE` would.
 *
 * May include: libc, json-c, engine/, alloc/, cftypes/. Part of the daemon.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ctl/scenario.h"
#include "cftypes/cftype.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/memparse.h"

/* ---- where in the text: the line of the value at a path ---------------- */

/* One step of a path: an object key, or (key == NULL) an array index. */
struct step {
	const char *key;
	int index;
};

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

static const char *skip_value(const char *p);

static const char *skip_container(const char *p, char close)
{
	for (p = skip_ws(p + 1); *p && *p != close; p = skip_ws(p)) {
		if (close == '}') {
			p = skip_ws(skip_string(skip_ws(p)));
			if (*p == ':')
				p++;
		}
		p = skip_value(skip_ws(p));
		p = skip_ws(p);
		if (*p == ',')
			p++;
	}
	return *p ? p + 1 : p;
}

static const char *skip_value(const char *p)
{
	p = skip_ws(p);
	if (*p == '"')
		return skip_string(p);
	if (*p == '{')
		return skip_container(p, '}');
	if (*p == '[')
		return skip_container(p, ']');
	while (*p && !strchr(",}] \t\r\n", *p))
		p++;
	return p;
}

/* Does the JSON string at @p (with its quotes) spell @key? */
static bool string_is(const char *p, const char *key)
{
	size_t n = strlen(key);

	return p[0] == '"' && !strncmp(p + 1, key, n) && p[n + 1] == '"';
}

/* The value at @path, or where the search stopped. */
static const char *find(const char *p, const struct step *path, int depth)
{
	int i;

	for (i = 0; i < depth; i++) {
		const struct step *st = &path[i];
		int index = 0;

		p = skip_ws(p);
		if (*p != (st->key ? '{' : '['))
			return p;
		for (p = skip_ws(p + 1); *p && *p != (st->key ? '}' : ']'); index++) {
			if (st->key) {
				const char *k = p;

				p = skip_ws(skip_string(k));
				if (*p == ':')
					p = skip_ws(p + 1);
				if (string_is(k, st->key))
					goto found;
			} else if (index == st->index) {
				goto found;
			}
			p = skip_ws(skip_value(p));
			if (*p == ',')
				p = skip_ws(p + 1);
		}
		return p;
found:
		continue;
	}
	return skip_ws(p);
}

static int line_at(const char *text, const char *p)
{
	int line = 1;

	for (; text < p; text++)
		line += *text == '\n';
	return line;
}

/* ---- errors ---------------------------------------------------------- */

struct scenario {
	struct alloc *a;
	const char *name, *text;
	char *err;
	size_t err_size;
	unsigned int nr_tasks;
	bool dry_run;
};

static int fail_at(struct scenario *sc, const struct step *path, int depth, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_at(struct scenario *sc, const struct step *path, int depth, const char *fmt, ...)
{
	int n = snprintf(sc->err, sc->err_size, "%s:%d: ", sc->name,
			 line_at(sc->text, find(sc->text, path, depth)));
	va_list ap;

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sc->err_size)
		vsnprintf(sc->err + n, sc->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- applying --------------------------------------------------------- */

/* mkdir -p below the root; "" and "/" are the root itself. */
static int make_path(struct engine *e, const char *path, struct cgroup **out)
{
	struct cgroup *cg = e->root, *child;
	char *copy = strdup(path), *save = NULL, *part;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (part = strtok_r(copy, "/", &save); part && !ret; part = strtok_r(NULL, "/", &save)) {
		child = cgroup_lookup_child(cg, part);
		if (!child) {
			ret = cft_name_taken(e, cg, part) ? -EEXIST : cgroup_mkdir(e, cg, part, &child);
			if (ret)
				break;
		}
		cg = child;
	}
	free(copy);
	*out = cg;
	return ret;
}

/* A control file value: a string as written, a number as its decimal text. */
static int write_control(struct scenario *sc, struct cgroup *cg, const char *file,
			 struct json_object *value)
{
	struct engine *e = sc->a->engine;
	struct cft_open_state state = { 0 };
	struct cft_ctx ctx = {
		.engine = e,
		.alloc = sc->a,
		.cgroup = cg,
		.state = &state,
		.writer_pid = 0,
		.writer_uid = 0,
	};
	char *buf;
	ssize_t ret;

	ctx.cft = cft_lookup(e, cg, file);
	if (!ctx.cft)
		return -ENOENT;
	buf = strdup(json_object_get_string(value));
	if (!buf)
		return -ENOMEM;
	ret = cft_write(&ctx, buf, strlen(buf));
	cft_release(&ctx);
	free(buf);
	return ret < 0 ? (int)ret : 0;
}

/* "UID:GID" */
static bool owner_of(struct json_object *v, uint32_t *uid, uint32_t *gid)
{
	unsigned int u, g;
	int end = 0;

	return json_object_is_type(v, json_type_string) &&
	       sscanf(json_object_get_string(v), "%u:%u%n", &u, &g, &end) == 2 &&
	       !json_object_get_string(v)[end] && (*uid = u, *gid = g, true);
}

/*
 * "attrs": the nodes a chmod or chown changed, "." for the directory:
 * {"cgroup.procs": "0644 1000:1000"}.
 */
static int apply_attrs(struct scenario *sc, struct cgroup *cg, const char *cgpath,
		       struct json_object *attrs, struct step *path)
{
	struct engine *e = sc->a->engine;

	if (!json_object_is_type(attrs, json_type_object))
		return fail_at(sc, path, 3, "%s/attrs: an object of \"MODE UID:GID\" by file, \".\" for the directory",
			       cgpath);
	json_object_object_foreach(attrs, node, value) {
		struct cgroup_node_attr na = { .node = CGROUP_NODE_DIR };
		uint32_t dflt = CGROUP_DIR_MODE;
		const char *text = json_object_get_string(value);
		int end = 0;

		path[3].key = node;
		if (strcmp(node, ".")) {
			const struct cftype *cft = cft_lookup(e, cg, node);

			if (!cft)
				return fail_at(sc, path, 4, "%s: no control file \"%s\" here", cgpath, node);
			na.node = cft_node(e->cfg.mode, cft);
			dflt = cft_mode(cft);
		}
		if (!json_object_is_type(value, json_type_string) ||
		    sscanf(text, "%o %u:%u%n", &na.mode, &na.uid, &na.gid, &end) != 3 || text[end] ||
		    na.mode > 07777)
			return fail_at(sc, path, 4, "%s/attrs/%s: \"%s\" is not \"MODE UID:GID\" (try \"0644 1000:1000\")",
				       cgpath, node, text);
		if (cgroup_node_setattr(e, cg, &na, dflt))
			return fail_at(sc, path, 4, "%s/attrs/%s: %s", cgpath, node, strerror(ENOMEM));
	}
	return 0;
}

static int apply_cgroups(struct scenario *sc, struct json_object *cgroups)
{
	struct engine *e = sc->a->engine;
	struct step path[4] = { { .key = "cgroups" } };
	struct json_object *v;
	uint32_t uid, gid;
	int ret;

	if (!json_object_is_type(cgroups, json_type_object))
		return fail_at(sc, path, 1, "\"cgroups\" must be an object of cgroup paths");
	json_object_object_foreach(cgroups, cgpath, settings) {
		struct cgroup *cg;

		path[1].key = cgpath;
		if (!json_object_is_type(settings, json_type_object))
			return fail_at(sc, path, 2, "cgroup \"%s\": its value must be an object of control files",
				       cgpath);
		ret = make_path(e, cgpath, &cg);
		if (ret)
			return fail_at(sc, path, 2, "cgroup \"%s\": mkdir: %s", cgpath, strerror(-ret));
		if (json_object_object_get_ex(settings, "owner", &v)) {
			path[2].key = "owner";
			if (!owner_of(v, &uid, &gid))
				return fail_at(sc, path, 3, "%s/owner: \"%s\" is not UID:GID (try \"1000:1000\")",
					       cgpath, json_object_get_string(v));
			cgroup_set_owner(e, cg, uid, gid);
		}
		json_object_object_foreach(settings, file, value) {
			if (!strcmp(file, "owner") || !strcmp(file, "attrs"))
				continue;
			path[2].key = file;
			if (!json_object_is_type(value, json_type_string) &&
			    !json_object_is_type(value, json_type_int))
				return fail_at(sc, path, 3, "%s/%s: a value is a string or a whole number", cgpath,
					       file);
			ret = write_control(sc, cg, file, value);
			if (ret == -ENOENT)
				return fail_at(sc, path, 2, "%s: no control file \"%s\" here", cgpath, file);
			if (ret)
				return fail_at(sc, path, 3, "%s/%s: writing \"%s\": %s", cgpath, file,
					       json_object_get_string(value), strerror(-ret));
		}
		/* after the settings, which make files appear */
		if (json_object_object_get_ex(settings, "attrs", &v)) {
			path[2].key = "attrs";
			ret = apply_attrs(sc, cg, cgpath, v, path);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static const char *const task_keys[] = {
	"cgroup", "anon", "file", "shmem", "kmem", "sock", "workload", "rate", "period", "oom_score_adj",
	"thp",
};

/* A size: a number of bytes, or a string memparse takes ("50M"). */
static bool size_of(struct json_object *v, uint64_t *bytes)
{
	const char *s, *end;

	if (json_object_is_type(v, json_type_int)) {
		int64_t n = json_object_get_int64(v);

		*bytes = (uint64_t)n;
		return n >= 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return false;
	s = json_object_get_string(v);
	*bytes = memparse(s, &end);
	return end != s && !*end;
}

/* A duration: a number of seconds, or a string like "500ms", "2s", "1m". */
static bool duration_of(struct json_object *v, uint64_t *ns)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	const char *s;
	char *end;
	double d;
	size_t i;

	if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		*ns = (uint64_t)(d * 1e9);
		return d >= 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return false;
	s = json_object_get_string(v);
	d = strtod(s, &end);
	if (end == s || d < 0)
		return false;
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].unit)) {
			*ns = (uint64_t)(d * units[i].ns);
			return true;
		}
	return false;
}

static int apply_task(struct scenario *sc, struct json_object *task, int index)
{
	struct engine *e = sc->a->engine;
	struct step path[3] = { { .key = "tasks" }, { .index = index } };
	unsigned long pages[NR_PAGE_TYPES] = { 0 };
	struct workload wl = { .kind = WORKLOAD_HOLD };
	struct json_object *v;
	struct cgroup *cg;
	struct sim_task *t;
	const char *why, *cgpath;
	uint64_t bytes;
	enum task_thp thp = TASK_THP_DEFAULT;
	int adj = 0, type, kinds = 0, ret;
	size_t i;

	if (!json_object_is_type(task, json_type_object))
		return fail_at(sc, path, 2, "tasks[%d] must be an object", index);
	json_object_object_foreach(task, key, val) {
		bool known = false;

		for (i = 0; i < ARRAY_SIZE(task_keys); i++)
			known |= !strcmp(key, task_keys[i]);
		if (!known) {
			path[2].key = key;
			return fail_at(sc, path, 3, "tasks[%d]: unknown key \"%s\"", index, key);
		}
		(void)val;
	}
	path[2].key = "cgroup";
	if (!json_object_object_get_ex(task, "cgroup", &v) || !json_object_is_type(v, json_type_string))
		return fail_at(sc, path, 2, "tasks[%d]: \"cgroup\" (a path) is missing", index);
	cgpath = json_object_get_string(v);
	ret = make_path(e, cgpath, &cg);
	if (ret)
		return fail_at(sc, path, 3, "tasks[%d]: cgroup \"%s\": %s", index, cgpath, strerror(-ret));

	for (type = 0; type < NR_PAGE_TYPES; type++) {
		if (!page_type_names[type] || !json_object_object_get_ex(task, page_type_names[type], &v))
			continue;
		path[2].key = page_type_names[type];
		if (!size_of(v, &bytes))
			return fail_at(sc, path, 3, "tasks[%d].%s: \"%s\" is not a size (try \"50M\")", index,
				       page_type_names[type], json_object_get_string(v));
		pages[type] = (unsigned long)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
		if (pages[type]) {
			wl.type = (enum memcg_page_type)type;
			wl.size = pages[type];
			kinds++;
		}
	}
	if (json_object_object_get_ex(task, "workload", &v)) {
		path[2].key = "workload";
		if (!json_object_is_type(v, json_type_string) ||
		    workload_parse_kind(json_object_get_string(v), &wl.kind))
			return fail_at(sc, path, 3, "tasks[%d].workload: choose " WORKLOAD_CHOICES,
				       index);
	}
	if (json_object_object_get_ex(task, "rate", &v)) {
		path[2].key = "rate";
		if (!size_of(v, &bytes))
			return fail_at(sc, path, 3, "tasks[%d].rate: \"%s\" is not a size per second", index,
				       json_object_get_string(v));
		wl.rate = (unsigned long)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	}
	if (json_object_object_get_ex(task, "period", &v)) {
		path[2].key = "period";
		if (!duration_of(v, &wl.period_ns))
			return fail_at(sc, path, 3, "tasks[%d].period: \"%s\" is not a duration (try \"1s\")",
				       index, json_object_get_string(v));
	}
	if (json_object_object_get_ex(task, "oom_score_adj", &v)) {
		path[2].key = "oom_score_adj";
		adj = json_object_get_int(v);
		if (!json_object_is_type(v, json_type_int) || adj < -1000 || adj > 1000)
			return fail_at(sc, path, 3, "tasks[%d].oom_score_adj: -1000 to 1000", index);
	}
	if (json_object_object_get_ex(task, "thp", &v)) {
		path[2].key = "thp";
		if (!json_object_is_type(v, json_type_string) || task_thp_parse(json_object_get_string(v), &thp))
			return fail_at(sc, path, 3, "tasks[%d].thp: \"madvise\" or \"never\"", index);
	}
	if (wl.kind != WORKLOAD_HOLD) {
		path[2].key = "workload";
		if (kinds != 1)
			return fail_at(sc, path, 3, "tasks[%d]: a workload drives one kind of memory: give one size",
				       index);
		why = workload_validate(&wl);
		if (why)
			return fail_at(sc, path, 3, "tasks[%d]: %s", index, why);
	}

	ret = alloc_spawn_locked(sc->a, cg, pages, adj, &t);
	if (ret)
		return fail_at(sc, path, 2, "tasks[%d]: cannot start in %s: %s", index, cgpath, strerror(-ret));
	t->mt.thp = thp;
	if (wl.kind != WORKLOAD_HOLD)
		alloc_set_workload_locked(sc->a, t, &wl);
	sc->nr_tasks++;
	return 0;
}

static int apply(struct scenario *sc, struct json_object *root)
{
	struct step path[1] = { { .key = NULL } };
	struct json_object *v;
	int ret, i;

	if (!json_object_is_type(root, json_type_object))
		return fail_at(sc, path, 0, "a scenario is a JSON object with \"cgroups\" and \"tasks\"");
	json_object_object_foreach(root, key, val) {
		if (strcmp(key, "cgroups") && strcmp(key, "tasks")) {
			path[0].key = key;
			return fail_at(sc, path, 1, "unknown key \"%s\" (a scenario has \"cgroups\" and \"tasks\")",
				       key);
		}
		(void)val;
	}
	if (json_object_object_get_ex(root, "cgroups", &v)) {
		ret = apply_cgroups(sc, v);
		if (ret)
			return ret;
	}
	if (json_object_object_get_ex(root, "tasks", &v)) {
		path[0].key = "tasks";
		if (!json_object_is_type(v, json_type_array))
			return fail_at(sc, path, 1, "\"tasks\" must be an array");
		for (i = 0; i < (int)json_object_array_length(v); i++) {
			ret = apply_task(sc, json_object_array_get_idx(v, (size_t)i), i);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* ---- the other way: a running tree as a scenario ---------------------- */

/* What a setting shows, without its newline: what writing it back takes. */
static char *setting_text(struct alloc *a, struct cgroup *cg, const struct cftype *cft)
{
	struct cft_open_state state = { 0 };
	struct cft_ctx ctx = { .engine = a->engine, .alloc = a, .cgroup = cg, .cft = cft, .state = &state };
	struct seqbuf s = { 0 };
	char *text = NULL;

	if (!cft_read(&ctx, &s) && !s.overflow) {
		while (s.len && s.buf[s.len - 1] == '\n')
			s.len--;
		text = strndup(s.buf ? s.buf : "", s.len);
	}
	cft_release(&ctx);
	free(s.buf);
	return text;
}

/*
 * The settings a new cgroup starts with, and the root's: a dump leaves out
 * what a scenario would not have to write.
 */
struct setting_defaults {
	enum cgroup_mode mode;
	char **root, **child;	/* by cft_index(), NULL where the file is not there */
};

static void defaults_free(struct setting_defaults *d)
{
	unsigned int i;

	for (i = 0; i < cft_count(d->mode); i++) {
		if (d->root)
			free(d->root[i]);
		if (d->child)
			free(d->child[i]);
	}
	free(d->root);
	free(d->child);
}

static int defaults_read(const struct engine_config *cfg, struct setting_defaults *d)
{
	unsigned int i, n = cft_count(cfg->mode);
	struct alloc *scratch;
	struct cgroup *child;
	int ret;

	d->mode = cfg->mode;
	d->root = calloc(n, sizeof(*d->root));
	d->child = calloc(n, sizeof(*d->child));
	ret = d->root && d->child ? alloc_create(cfg, &scratch) : -ENOMEM;
	if (ret)
		return ret;
	ret = cgroup_mkdir(scratch->engine, scratch->engine->root, "new", &child);
	for (i = 0; !ret && i < n; i++) {
		const struct cftype *cft = cft_by_index(cfg->mode, i);

		if (!(cft->flags & CFT_SETTING))
			continue;
		if (cft_exists(scratch->engine, scratch->engine->root, cft))
			d->root[i] = setting_text(scratch, scratch->engine->root, cft);
		if (cft_exists(scratch->engine, child, cft))
			d->child[i] = setting_text(scratch, child, cft);
	}
	alloc_destroy(scratch);
	return ret;
}

static void add_string(struct json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key, json_object_new_string(value));
}

/* Who made it, if not the tree's owner, and the nodes chmod or chown changed. */
static void dump_ownership(const struct engine *e, const struct cgroup *cg, struct json_object *o)
{
	struct json_object *attrs;
	char text[64];
	unsigned int i;

	if (cg->uid != e->cfg.owner_uid || cg->gid != e->cfg.owner_gid) {
		snprintf(text, sizeof(text), "%u:%u", cg->uid, cg->gid);
		add_string(o, "owner", text);
	}
	if (!cg->nr_attrs)
		return;
	attrs = json_object_new_object();
	for (i = 0; i < cg->nr_attrs; i++) {
		const struct cgroup_node_attr *na = &cg->attrs[i];
		const struct cftype *cft = na->node ? cft_by_index(e->cfg.mode, na->node - 1) : NULL;

		snprintf(text, sizeof(text), "%04o %u:%u", na->mode, na->uid, na->gid);
		add_string(attrs, cft ? cft->name : ".", text);
	}
	json_object_object_add(o, "attrs", attrs);
}

/* One cgroup's entry: the settings it does not share with a new cgroup. */
static struct json_object *dump_settings(struct alloc *a, struct cgroup *cg,
					 const struct setting_defaults *d)
{
	struct json_object *o = json_object_new_object();
	bool v2 = d->mode == CGROUP_V2, root = cgroup_is_root(cg);
	unsigned int i;

	/* the files whose text reads otherwise than it is written */
	if (v2 && !root && cg->threaded)
		add_string(o, "cgroup.type", "threaded");
	if (v2 && cg->subtree_memory != root)
		add_string(o, "cgroup.subtree_control", cg->subtree_memory ? "+memory" : "-memory");
	if (!v2 && cg->memcg && cg->memcg->oom_kill_disable)
		add_string(o, "memory.oom_control", "1");
	dump_ownership(a->engine, cg, o);

	for (i = 0; i < cft_count(d->mode); i++) {
		const struct cftype *cft = cft_by_index(d->mode, i);
		const char *dflt = root ? d->root[i] : d->child[i];
		char *text;

		if (!(cft->flags & CFT_SETTING) || !dflt || !cft_exists(a->engine, cg, cft))
			continue;
		text = setting_text(a, cg, cft);
		if (text && strcmp(text, dflt))
			add_string(o, cft->name, text);
		free(text);
	}
	return o;
}

/* One simulated task's entry: its workload, or what it holds now. */
static struct json_object *dump_task(const struct sim_task *t)
{
	const struct workload *wl = &t->wl;
	bool workload = wl->kind != WORKLOAD_HOLD;
	struct json_object *o = json_object_new_object();
	char path[4096];
	int type;

	cgroup_path(t->mt.cgroup, path, sizeof(path));
	add_string(o, "cgroup", path);
	for (type = 0; type < NR_PAGE_TYPES; type++) {
		uint64_t pages = workload ? (type == (int)wl->type ? wl->size : 0UL) :
					    memcg_task_pages(&t->mt, (enum memcg_page_type)type);

		if (page_type_names[type] && pages)
			json_object_object_add(o, page_type_names[type], json_object_new_int64((int64_t)(pages * PAGE_SIZE)));
	}
	if (workload) {
		add_string(o, "workload", workload_names[wl->kind]);
		if (wl->rate)
			json_object_object_add(o, "rate", json_object_new_int64((int64_t)(wl->rate * PAGE_SIZE)));
		if (wl->period_ns) {
			char period[32];

			snprintf(period, sizeof(period), "%lluns", (unsigned long long)wl->period_ns);
			add_string(o, "period", period);
		}
	}
	if (t->mt.oom_score_adj)
		json_object_object_add(o, "oom_score_adj", json_object_new_int(t->mt.oom_score_adj));
	if (task_thp_names[t->mt.thp])
		add_string(o, "thp", task_thp_names[t->mt.thp]);
	return o;
}

/* What a dump keeps between calls: the defaults, and each cgroup's entry. */
struct dump_entry {
	uint64_t gen;			/* the cgroup's state_gen when made */
	uint64_t seen;			/* the dump that last found its cgroup */
	struct json_object *settings;
};

struct scenario_cache {
	struct setting_defaults d;
	bool have_defaults;
	struct dump_entry *by_id;
	uint64_t size;
	uint64_t dumps;
};

struct scenario_cache *scenario_cache_new(void)
{
	return calloc(1, sizeof(struct scenario_cache));
}

void scenario_cache_free(struct scenario_cache *c)
{
	uint64_t i;

	if (!c)
		return;
	for (i = 0; i < c->size; i++)
		json_object_put(c->by_id[i].settings);
	free(c->by_id);
	defaults_free(&c->d);
	free(c);
}

/* @cg's entry, from @c when its cgroup has not changed since. */
static struct json_object *cached_settings(struct alloc *a, struct scenario_cache *c, struct cgroup *cg)
{
	struct dump_entry *entry;
	struct json_object *o;

	if (cg->id >= c->size) {
		uint64_t size = MAX(cg->id + 1, c->size * 2);
		struct dump_entry *by_id = realloc(c->by_id, size * sizeof(*by_id));

		if (!by_id)
			return dump_settings(a, cg, &c->d);
		memset(by_id + c->size, 0, (size - c->size) * sizeof(*by_id));
		c->by_id = by_id;
		c->size = size;
	}
	entry = &c->by_id[cg->id];
	entry->seen = c->dumps;
	if (!entry->settings || entry->gen != cg->state_gen) {
		json_object_put(entry->settings);
		entry->settings = dump_settings(a, cg, &c->d);
		entry->gen = cg->state_gen;
	}
	o = entry->settings;
	return json_object_get(o);
}

/* What a dump copied under the lock, to be made JSON without it. */
struct scenario_snapshot {
	size_t nr, size;
	char **paths;
	struct json_object **settings;
	struct json_object *tasks;
};

static void snapshot_free(struct scenario_snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->nr; i++) {
		free(snap->paths[i]);
		json_object_put(snap->settings[i]);
	}
	free(snap->paths);
	free(snap->settings);
	json_object_put(snap->tasks);
	free(snap);
}

static int snapshot_add(struct scenario_snapshot *snap, const char *path, struct json_object *settings)
{
	if (snap->nr == snap->size) {
		size_t size = snap->size ? snap->size * 2 : 64;
		char **paths = realloc(snap->paths, size * sizeof(*paths));
		struct json_object **objs = paths ? realloc(snap->settings, size * sizeof(*objs)) : NULL;

		if (paths)
			snap->paths = paths;
		if (!objs)
			return -ENOMEM;
		snap->settings = objs;
		snap->size = size;
	}
	snap->paths[snap->nr] = strdup(path);
	if (!snap->paths[snap->nr])
		return -ENOMEM;
	snap->settings[snap->nr++] = settings;
	return 0;
}

int scenario_snapshot_locked(struct alloc *a, struct scenario_cache *c, struct scenario_snapshot **out)
{
	struct scenario_snapshot *snap;
	struct cgroup *cg;
	struct sim_task *t;
	char path[4096];
	uint64_t i;
	int ret;

	if (!c->have_defaults) {
		ret = defaults_read(&a->engine->cfg, &c->d);
		if (ret) {
			defaults_free(&c->d);
			memset(&c->d, 0, sizeof(c->d));
			return ret;
		}
		c->have_defaults = true;
	}
	snap = calloc(1, sizeof(*snap));
	if (!snap)
		return -ENOMEM;
	c->dumps++;
	for (cg = a->engine->root; cg; cg = cgroup_next_descendant_pre(cg, a->engine->root)) {
		struct json_object *settings = cached_settings(a, c, cg);

		cgroup_path(cg, path, sizeof(path));
		if (snapshot_add(snap, path, settings)) {
			json_object_put(settings);
			snapshot_free(snap);
			return -ENOMEM;
		}
	}
	/* the entries of cgroups gone since */
	for (i = 0; i < c->size; i++)
		if (c->by_id[i].settings && c->by_id[i].seen != c->dumps) {
			json_object_put(c->by_id[i].settings);
			c->by_id[i].settings = NULL;
		}
	snap->tasks = json_object_new_array();
	list_for_each_entry(t, &a->tasks, all_node)
		if (!t->mt.dead && !t->mt.real)
			json_object_array_add(snap->tasks, dump_task(t));
	*out = snap;
	return 0;
}

struct json_object *scenario_snapshot_json(struct scenario_snapshot *snap)
{
	struct json_object *root = json_object_new_object(), *cgroups = json_object_new_object();
	size_t i;

	for (i = 0; i < snap->nr; i++) {
		json_object_object_add(cgroups, snap->paths[i], snap->settings[i]);
		snap->settings[i] = NULL;
	}
	json_object_object_add(root, "cgroups", cgroups);
	json_object_object_add(root, "tasks", snap->tasks);
	snap->tasks = NULL;
	snapshot_free(snap);
	return root;
}

int scenario_dump_locked(struct alloc *a, struct json_object **out)
{
	struct scenario_cache *c = scenario_cache_new();
	struct scenario_snapshot *snap;
	int ret = c ? scenario_snapshot_locked(a, c, &snap) : -ENOMEM;

	if (!ret)
		*out = scenario_snapshot_json(snap);
	scenario_cache_free(c);
	return ret;
}

/*
 * @scratch becomes a copy of @a for a dry run: its cgroups and settings,
 * and each task, real ones too, as a holder of what it has now under the
 * same pid, so that a scenario moving it finds it.
 */
static int copy_into(struct alloc *a, struct alloc *scratch, char *err, size_t err_size)
{
	struct scenario sc = { .name = "the running tree", .a = scratch, .err = err, .err_size = err_size };
	unsigned long pages[NR_PAGE_TYPES];
	struct json_object *copy;
	struct sim_task *t, *holder;
	struct cgroup *cg;
	char path[4096];
	int ret, type;

	scratch->engine->now_ns = a->engine->now_ns;
	scratch->engine->vm_swappiness = a->engine->vm_swappiness;
	ret = scenario_dump_locked(a, &copy);
	if (ret)
		return ret;
	json_object_object_del(copy, "tasks");
	sc.text = json_object_to_json_string(copy);
	ret = apply(&sc, copy);
	json_object_put(copy);
	list_for_each_entry(t, &a->tasks, all_node) {
		if (ret)
			break;
		if (t->mt.dead || !t->mt.cgroup)
			continue;
		for (type = 0; type < NR_PAGE_TYPES; type++)
			pages[type] = t->mt.real || type == PAGE_KSTACK ? 0 :
				      memcg_task_pages(&t->mt, (enum memcg_page_type)type);
		cgroup_path(t->mt.cgroup, path, sizeof(path));
		ret = make_path(scratch->engine, path, &cg);
		scratch->next_pid = t->mt.pid;
		if (!ret)
			ret = alloc_spawn_locked(scratch, cg, pages, t->mt.oom_score_adj, &holder);
		if (ret)
			snprintf(err, err_size, "the running tree: task %d: %s", t->mt.pid, strerror(-ret));
	}
	scratch->next_pid = a->next_pid;
	alloc_run_locked(scratch);	/* the holders charge what they have */
	return ret;
}

int scenario_apply_locked(struct alloc *a, const char *name, const char *text,
			  char *err, size_t err_size, unsigned int *nr_tasks)
{
	struct scenario sc = { .name = name, .text = text, .err = err, .err_size = err_size };
	enum json_tokener_error jerr;
	struct json_tokener *tok;
	struct json_object *root;
	struct alloc *scratch = NULL;
	char copy_err[512] = "";
	int ret;

	if (!*skip_ws(text)) {
		snprintf(err, err_size, "%s: the file is empty (a scenario is a JSON object: see "
			 "memcgfs-scenario(5))", name);
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, (int)strlen(text) + 1);
	jerr = json_tokener_get_error(tok);
	if (!root || jerr != json_tokener_success) {
		snprintf(err, err_size, "%s:%d: %s", name,
			 line_at(text, text + json_tokener_get_parse_end(tok)),
			 json_tokener_error_desc(jerr));
		json_tokener_free(tok);
		json_object_put(root);
		return -EINVAL;
	}
	json_tokener_free(tok);

	/*
	 * A dry run on a copy of the tree, its settings and (as holders of
	 * what they have) its tasks: an error there changes nothing here.
	 */
	ret = alloc_create(&a->engine->cfg, &scratch);
	if (!ret)
		ret = copy_into(a, scratch, copy_err, sizeof(copy_err));
	if (ret)
		snprintf(err, err_size, "%s: cannot copy the tree for a dry run: %s", name,
			 copy_err[0] ? copy_err : strerror(-ret));
	if (!ret) {
		sc.a = scratch;
		ret = apply(&sc, root);
	}
	if (scratch)
		alloc_destroy(scratch);
	if (!ret) {
		sc.a = a;
		sc.nr_tasks = 0;
		ret = apply(&sc, root);
		alloc_run_locked(a);
		*nr_tasks = sc.nr_tasks;
	}
	json_object_put(root);
	return ret;
}
