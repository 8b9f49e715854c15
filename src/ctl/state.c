// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The --state saver (see state.h): a thread that looks every quarter of a
 * second whether anything a state holds changed (engine->state_gen), and
 * if so, and the last save is a second old, saves.
 *
 * May include: libc, json-c, engine/, alloc/, ctl/. Part of the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "common/clock.h"
#include "ctl/state.h"
#include "ctl/scenario.h"

#define LOOK_MS 250
#define SAVE_INTERVAL_NS 1000000000ULL

struct state_saver {
	struct alloc *alloc;
	char *path;
	struct scenario_cache *cache;	/* the saving thread's, or the stopper's once it ended */
	uint64_t saved_gen;		/* engine->state_gen of the last save */
	uint64_t saved_ns;		/* when, on CLOCK_MONOTONIC */
	int last_error;			/* of the last save, said once */
	int stop_fd;
	pthread_t thread;
	bool running;
};


/* All of @len bytes, or -errno. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * @text as @path's whole content, or @path untouched: written beside it,
 * synced, renamed over it, and the rename synced with the directory.
 */
static int write_durably(const char *path, const char *text)
{
	char tmp[PATH_MAX], dir[PATH_MAX], *slash;
	int fd, dfd, ret;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, text, strlen(text));
	if (!ret)
		ret = write_all(fd, "\n", 1);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ret;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	if (fsync(dfd))
		ret = -errno;
	close(dfd);
	return ret;
}

/* One save. Context: the saving thread, or the stopper once it ended. */
static int save(struct state_saver *s)
{
	struct engine *e = s->alloc->engine;
	struct scenario_snapshot *snap;
	struct json_object *state;
	uint64_t gen;
	int ret;

	engine_lock(e);
	gen = e->state_gen;
	ret = scenario_snapshot_locked(s->alloc, s->cache, &snap);
	engine_unlock(e);
	if (!ret) {
		state = scenario_snapshot_json(snap);
		ret = write_durably(s->path, json_object_to_json_string_ext(state,
				    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(state);
	}
	s->saved_ns = monotonic_ns();
	if (!ret)
		s->saved_gen = gen;
	else if (ret != s->last_error)
		fprintf(stderr, "memcgfs: cannot save the state to %s: %s\n", s->path, strerror(-ret));
	s->last_error = ret;
	return ret;
}

static void *saver_loop(void *arg)
{
	struct state_saver *s = arg;
	struct pollfd stop = { .fd = s->stop_fd, .events = POLLIN };
	uint64_t gen;

	while (poll(&stop, 1, LOOK_MS) <= 0) {
		engine_lock(s->alloc->engine);
		gen = s->alloc->engine->state_gen;
		engine_unlock(s->alloc->engine);
		/* at most a save a second, however fast things change */
		if (gen != s->saved_gen && monotonic_ns() - s->saved_ns >= SAVE_INTERVAL_NS)
			save(s);
	}
	return NULL;
}

int state_saver_create(struct alloc *a, const char *path, struct state_saver **out)
{
	struct state_saver *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->alloc = a;
	s->path = strdup(path);
	s->cache = scenario_cache_new();
	s->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (!s->path || !s->cache || s->stop_fd < 0) {
		if (s->stop_fd >= 0)
			close(s->stop_fd);
		scenario_cache_free(s->cache);
		free(s->path);
		free(s);
		return -ENOMEM;
	}
	/* a first save soon: a --scenario applied on top of the state is part of it */
	engine_lock(a->engine);
	s->saved_gen = a->engine->state_gen - 1;
	engine_unlock(a->engine);
	*out = s;
	return 0;
}

int state_saver_run(struct state_saver *s)
{
	int ret = pthread_create(&s->thread, NULL, saver_loop, s);

	s->running = !ret;
	return -ret;
}

int state_saver_stop(struct state_saver *s)
{
	uint64_t one = 1;
	int ret;

	if (!s)
		return 0;
	if (s->running && write(s->stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(s->thread, NULL);
	s->last_error = 0;	/* say it again if this last one fails */
	ret = save(s);
	close(s->stop_fd);
	scenario_cache_free(s->cache);
	free(s->path);
	free(s);
	return ret;
}
