// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgroup.event_control (v1): "<event_fd> <control_fd> <args>" registers the
 * writer's eventfd for usage thresholds, OOM or memory pressure of this
 * cgroup, checked in the kernel's order (memcg_write_event_control()).
 *
 * May include: libc, engine/, cftypes/. Never FUSE: the writer's fds are
 * reached through ctx->fs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cftypes/cftype.h"
#include "engine/cgroup.h"
#include "engine/memcg_v1.h"
#include "engine/memparse.h"

/* simple_strtoul(s, &end, 10): digits only, no sign, no space */
static unsigned long parse_decimal(const char *s, const char **end)
{
	unsigned long v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned long)(*s++ - '0');
	*end = s;
	return v;
}

int cft_event_control_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	struct memcg *memcg = ctx->cgroup->memcg;
	const struct cftype *cft;
	struct cgroup *cfile_cg;
	unsigned long efd, cfd, threshold;
	const char *end, *args;
	void *cookie;
	int ret;

	buf = strstrip(buf);
	efd = parse_decimal(buf, &end);
	if (*end != ' ')
		return -EINVAL;
	cfd = parse_decimal(end + 1, &end);
	if (*end == '\0')
		args = end;
	else if (*end == ' ')
		args = end + 1;
	else
		return -EINVAL;
	if (!ctx->fs)
		return -EINVAL;

	/* fdget() takes an unsigned int: the kernel keeps the low 32 bits */
	ret = ctx->fs->grab_eventfd(ctx, (int)(unsigned int)efd, &cookie);
	if (ret)
		return ret;
	ret = ctx->fs->control_file(ctx, (int)(unsigned int)cfd, &cfile_cg, &cft);
	if (ret)
		goto out_release;

	ret = -EINVAL;
	if (strcmp(cft->name, "memory.usage_in_bytes") && strcmp(cft->name, "memory.memsw.usage_in_bytes") &&
	    strcmp(cft->name, "memory.oom_control") && strcmp(cft->name, "memory.pressure_level"))
		goto out_release;
	if (cfile_cg != ctx->cgroup)
		goto out_release;

	if (!strcmp(cft->name, "memory.oom_control")) {
		ret = memcg1_oom_register(ctx->engine, memcg, cookie);
	} else if (!strcmp(cft->name, "memory.pressure_level")) {
		ret = memcg1_pressure_register(ctx->engine, memcg, args, cookie);
	} else {
		ret = page_counter_memparse(args, "-1", &threshold);
		if (!ret)
			ret = memcg1_threshold_register(ctx->engine, memcg,
							strstr(cft->name, "memsw") != NULL, threshold, cookie);
	}
	if (!ret)
		return 0;
out_release:
	ctx->engine->event_ops->release(ctx->engine->event_data, cookie);
	return ret;
}
