// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The /proc files a process run by `memcgctl run` reads, rewritten from the
 * real ones (see procview.h). The formats are the kernel's: mountinfo from
 * show_mountinfo() and /proc/mounts from show_vfsmnt() (fs/proc_namespace.c),
 * /proc/PID/cgroup from proc_cgroup_show() and /proc/cgroups from
 * proc_cgroupstats_show() (kernel/cgroup/cgroup.c, cgroup-v1.c).
 *
 * May include: libc, common/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/procview.h"

/* The memcgfs mount inside, as the kernel names a FUSE mount's type. */
#define MEMCGFS_FSTYPE "fuse.memcgfs"

/* A line of the text, without its newline. */
struct line {
	const char *s;
	size_t len;
};

/* Split @text into lines; *nr gets their number. NULL: out of memory. */
static struct line *split_lines(const char *text, size_t *nr)
{
	size_t n = 0, cap = 64;
	struct line *lines = malloc(cap * sizeof(*lines)), *tmp;
	const char *p = text, *nl;

	if (!lines)
		return NULL;
	while (*p) {
		nl = strchr(p, '\n');
		if (n == cap) {
			cap *= 2;
			tmp = realloc(lines, cap * sizeof(*lines));
			if (!tmp) {
				free(lines);
				return NULL;
			}
			lines = tmp;
		}
		lines[n].s = p;
		lines[n].len = nl ? (size_t)(nl - p) : strlen(p);
		n++;
		p = nl ? nl + 1 : p + strlen(p);
	}
	*nr = n;
	return lines;
}

/* Field @i (0-based, space separated) of @l into @buf; false if absent. */
static bool field(const struct line *l, int i, char *buf, size_t size)
{
	const char *p = l->s, *end = l->s + l->len, *q;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			return false;
		for (q = p; q < end && *q != ' '; q++)
			;
		if (!i--) {
			size_t n = (size_t)(q - p) < size - 1 ? (size_t)(q - p) : size - 1;

			memcpy(buf, p, n);
			buf[n] = '\0';
			return true;
		}
		p = q;
	}
}

/* Is mount point @mp the cgroup directory or under it? */
static bool at_or_under_cgroup_dir(const char *mp)
{
	size_t n = strlen(PROCVIEW_CGROUP_DIR);

	return !strncmp(mp, PROCVIEW_CGROUP_DIR, n) && (mp[n] == '\0' || mp[n] == '/');
}

/* Where the memcgfs mount is inside. */
static const char *tree_dir(const struct procview *v)
{
	return v->v1 ? PROCVIEW_CGROUP_DIR "/memory" : PROCVIEW_CGROUP_DIR;
}

/*
 * The index of the last mount on the cgroup directory itself, the one the
 * run made and that covers the host's; the host's mounts there come before
 * it (they were copied with the namespace), and are gone from view.
 * Return: the index, or -1.
 */
static long top_cgroup_mount(const struct line *lines, size_t nr, int mp_field)
{
	char mp[4096];
	long top = -1;
	size_t i;

	for (i = 0; i < nr; i++)
		if (field(&lines[i], mp_field, mp, sizeof(mp)) && !strcmp(mp, PROCVIEW_CGROUP_DIR))
			top = (long)i;
	return top;
}

/* The mount options of a FUSE mount, without those FUSE adds of its own. */
static void put_mount_options(FILE *out, const char *opts)
{
	static const char *const fuse_only[] = {
		"user_id=", "group_id=", "default_permissions", "allow_other", "max_read=",
		"blksize=", "fd=", "rootmode=",
	};
	char *copy = strdup(opts), *save = NULL, *o;
	bool first = true;
	size_t i;

	if (!copy)
		return;
	for (o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(fuse_only) / sizeof(fuse_only[0]); i++)
			if (!strncmp(o, fuse_only[i], strlen(fuse_only[i])))
				break;
		if (i < sizeof(fuse_only) / sizeof(fuse_only[0]))
			continue;
		fprintf(out, "%s%s", first ? "" : ",", o);
		first = false;
	}
	free(copy);
}

char *procview_mountinfo(const struct procview *v, const char *text)
{
	char *buf = NULL, mp[4096], fstype[256];
	size_t size = 0, nr, i;
	struct line *lines = split_lines(text, &nr);
	FILE *out;
	long top;

	if (!lines)
		return NULL;
	out = open_memstream(&buf, &size);
	if (!out) {
		free(lines);
		return NULL;
	}
	top = top_cgroup_mount(lines, nr, 4);
	for (i = 0; i < nr; i++) {
		const struct line *l = &lines[i];
		const char *dash;

		if (!field(l, 4, mp, sizeof(mp))) {
			fprintf(out, "%.*s\n", (int)l->len, l->s);
			continue;
		}
		if (top >= 0 && (long)i < top && at_or_under_cgroup_dir(mp))
			continue;
		dash = memmem(l->s, l->len, " - ", 3);
		if ((long)i >= top && dash && !strcmp(mp, tree_dir(v)) &&
		    sscanf(dash + 3, "%255s", fstype) == 1 && !strcmp(fstype, MEMCGFS_FSTYPE)) {
			char id[32], parent[32], dev[64], opts[1024];

			field(l, 0, id, sizeof(id));
			field(l, 1, parent, sizeof(parent));
			field(l, 2, dev, sizeof(dev));
			field(l, 5, opts, sizeof(opts));
			/* the optional fields (shared:N...) stay as they are */
			fprintf(out, "%s %s %s / %s %s", id, parent, dev, mp, opts);
			{
				struct line rest = *l;
				char f[256];
				int k;

				for (k = 6; field(&rest, k, f, sizeof(f)) && strcmp(f, "-"); k++)
					fprintf(out, " %s", f);
			}
			fprintf(out, v->v1 ? " - cgroup cgroup rw,memory\n" : " - cgroup2 cgroup2 rw\n");
			continue;
		}
		fprintf(out, "%.*s\n", (int)l->len, l->s);
	}
	free(lines);
	if (fclose(out)) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *procview_mounts(const struct procview *v, const char *text)
{
	char *buf = NULL, mp[4096], fstype[256], opts[1024];
	size_t size = 0, nr, i;
	struct line *lines = split_lines(text, &nr);
	FILE *out;
	long top;

	if (!lines)
		return NULL;
	out = open_memstream(&buf, &size);
	if (!out) {
		free(lines);
		return NULL;
	}
	top = top_cgroup_mount(lines, nr, 1);
	for (i = 0; i < nr; i++) {
		const struct line *l = &lines[i];

		if (!field(l, 1, mp, sizeof(mp)) || !field(l, 2, fstype, sizeof(fstype)) ||
		    !field(l, 3, opts, sizeof(opts))) {
			fprintf(out, "%.*s\n", (int)l->len, l->s);
			continue;
		}
		if (top >= 0 && (long)i < top && at_or_under_cgroup_dir(mp))
			continue;
		if ((long)i >= top && !strcmp(mp, tree_dir(v)) && !strcmp(fstype, MEMCGFS_FSTYPE)) {
			const char *type = v->v1 ? "cgroup" : "cgroup2";

			fprintf(out, "%s %s %s ", type, mp, type);
			put_mount_options(out, opts);
			fprintf(out, v->v1 ? ",memory 0 0\n" : " 0 0\n");
			continue;
		}
		fprintf(out, "%.*s\n", (int)l->len, l->s);
	}
	free(lines);
	if (fclose(out)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The next component of a cgroup path at *p, its length in *len; false at the end. */
static bool next_component(const char **p, const char **start, size_t *len)
{
	while (**p == '/')
		(*p)++;
	if (!**p)
		return false;
	*start = *p;
	while (**p && **p != '/')
		(*p)++;
	*len = (size_t)(*p - *start);
	return true;
}

char *procview_relative(const char *path, const char *nsroot)
{
	const char *p = path, *r = nsroot, *ps, *rs, *pmark, *rmark;
	size_t plen, rlen;
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	bool any = false;

	if (!out)
		return NULL;
	/* skip what the two have in common */
	for (;;) {
		pmark = p;
		rmark = r;
		if (!next_component(&p, &ps, &plen) || !next_component(&r, &rs, &rlen) ||
		    plen != rlen || memcmp(ps, rs, plen))
			break;
	}
	p = pmark;
	r = rmark;
	/* up out of what is left of the root, then down to the path */
	while (next_component(&r, &rs, &rlen)) {
		fputs("/..", out);
		any = true;
	}
	while (next_component(&p, &ps, &plen)) {
		fprintf(out, "/%.*s", (int)plen, ps);
		any = true;
	}
	if (!any)
		fputc('/', out);
	if (fclose(out)) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *procview_cgroup(const struct procview *v, const char *path, const char *nsroot)
{
	char *rel = procview_relative(path, nsroot), *buf;
	int ret;

	if (!rel)
		return NULL;
	/* v1 lists each hierarchy as ID:CONTROLLERS:PATH; v2 has only 0::PATH */
	if (v->v1)
		ret = asprintf(&buf, "%d:memory:%s\n", v->hierarchy, rel);
	else
		ret = asprintf(&buf, "0::%s\n", rel);
	free(rel);
	return ret < 0 ? NULL : buf;
}

int procview_v1_hierarchy(const char *text)
{
	char name[64];
	int hierarchy, nr, enabled, highest = 0;
	const char *p = text;

	while (*p) {
		if (sscanf(p, "%63s %d %d %d", name, &hierarchy, &nr, &enabled) == 4) {
			if (!strcmp(name, "memory") && hierarchy > 0)
				return hierarchy;
			if (hierarchy > highest)
				highest = hierarchy;
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return highest + 1;
}

char *procview_cgroups(const struct procview *v, const char *text, unsigned long nr_cgroups)
{
	char *buf = NULL, name[64];
	size_t size = 0, nr, i;
	struct line *lines = split_lines(text, &nr);
	int hierarchy, count, enabled;
	FILE *out;

	if (!lines)
		return NULL;
	out = open_memstream(&buf, &size);
	if (!out) {
		free(lines);
		return NULL;
	}
	for (i = 0; i < nr; i++) {
		char copy[256];
		size_t n = lines[i].len < sizeof(copy) - 1 ? lines[i].len : sizeof(copy) - 1;

		memcpy(copy, lines[i].s, n);
		copy[n] = '\0';
		if (copy[0] == '#' || sscanf(copy, "%63s %d %d %d", name, &hierarchy, &count, &enabled) != 4) {
			fprintf(out, "%s\n", copy);
			continue;
		}
		if (!v->v1)
			/* on a v2 host every controller is on the one hierarchy, 0 */
			fprintf(out, "%s\t0\t%lu\t%d\n", name, nr_cgroups, enabled);
		else if (!strcmp(name, "memory"))
			fprintf(out, "%s\t%d\t%lu\t1\n", name, v->hierarchy, nr_cgroups);
		else
			fprintf(out, "%s\n", copy);
	}
	free(lines);
	if (fclose(out)) {
		free(buf);
		return NULL;
	}
	return buf;
}
