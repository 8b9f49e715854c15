// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memhog: a real process that charges a known amount of memory to a cgroup,
 * the kernel-backend counterpart of `memcgctl spawn` (tests/scenarios/).
 *
 *   memhog [--cgroup-procs PATH] [--oom-score-adj N] [--anon SIZE]
 *          [--file SIZE --dir DIR] [--exit]
 *
 * In this order: writes its own pid to PATH (so every later page is charged
 * to that cgroup), writes N to /proc/self/oom_score_adj, fills SIZE of
 * anonymous memory one page at a time (malloc + memset), then grows
 * an unlinked file in DIR to SIZE (a hole) and reads it back, which fills the
 * page cache. It then prints "ready", flushes, and sleeps until killed; with
 * --exit it frees everything and exits 0 instead, like the selftests' cg_run
 * children. SIZE takes a K, M or G suffix (powers of 1024).
 *
 * Exit status: 0 done (--exit), 1 a step failed (message on stderr), 2 usage.
 * An OOM kill shows as death by SIGKILL (a shell reports 137).
 * Build: gcc -static -O2 -o memhog memhog.c
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long page_size;

static void usage(void)
{
	fprintf(stderr, "usage: memhog [--cgroup-procs PATH] [--oom-score-adj N] [--anon SIZE]\n"
			"              [--file SIZE --dir DIR] [--exit]\n");
	exit(2);
}

static size_t parse_size(const char *text)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text)
		usage();
	switch (*end) {
	case 'G': case 'g': v <<= 30; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'K': case 'k': v <<= 10; end++; break;
	}
	if (*end)
		usage();
	return (size_t)v;
}

/* One write of the whole text, as the selftests' cg_write does. */
static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	return 0;
}

/*
 * Not zeros: since 6.12 a kernel that splits a transparent huge page under
 * reclaim maps its zero-filled subpages to the shared zero page and frees
 * them, and swap-out keeps no copy of a zero-filled page, so zero-filled anon
 * would melt away instead of being reclaimed, swapped or OOM-killed.
 */
static char *touch_anon(size_t size)
{
	char *buf = malloc(size ? size : 1);
	size_t off, len;

	if (!buf)
		return NULL;
	for (off = 0; off < size; off += len) {
		len = size - off < (size_t)page_size ? size - off : (size_t)page_size;
		memset(buf + off, 0xa5, len);
	}
	return buf;
}

/* An unlinked file of @size read back in full: @size of page cache. */
static int fill_pagecache(const char *dir, size_t size)
{
	char path[4096], buf[4096];
	size_t off;
	int fd;

	fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		/* O_TMPFILE is not on every file system: a named file, unlinked at once */
		snprintf(path, sizeof(path), "%s/memhog.XXXXXX", dir);
		fd = mkstemp(path);
		if (fd < 0)
			return -1;
		unlink(path);
	}
	if (ftruncate(fd, (off_t)size)) {
		close(fd);
		return -1;
	}
	for (off = 0; off < size; off += sizeof(buf))
		if (read(fd, buf, sizeof(buf)) < 0) {
			close(fd);
			return -1;
		}
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "anon", required_argument, NULL, 'a' },
		{ "file", required_argument, NULL, 'f' },
		{ "dir", required_argument, NULL, 'd' },
		{ "oom-score-adj", required_argument, NULL, 'o' },
		{ "cgroup-procs", required_argument, NULL, 'c' },
		{ "exit", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	const char *procs = NULL, *adj = NULL, *dir = ".";
	size_t anon = 0, file = 0;
	int c, ret, file_fd = -1, exit_after = 0;
	char pid[32], *buf = NULL;

	page_size = sysconf(_SC_PAGESIZE);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': anon = parse_size(optarg); break;
		case 'f': file = parse_size(optarg); break;
		case 'd': dir = optarg; break;
		case 'o': adj = optarg; break;
		case 'c': procs = optarg; break;
		case 'x': exit_after = 1; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();

	if (procs) {
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
		ret = write_file(procs, pid);
		if (ret) {
			fprintf(stderr, "memhog: %s: %s\n", procs, strerror(-ret));
			return 1;
		}
	}
	if (adj) {
		ret = write_file("/proc/self/oom_score_adj", adj);
		if (ret) {
			fprintf(stderr, "memhog: oom_score_adj %s: %s\n", adj, strerror(-ret));
			return 1;
		}
	}
	if (anon) {
		buf = touch_anon(anon);
		if (!buf) {
			fprintf(stderr, "memhog: cannot allocate %zu bytes\n", anon);
			return 1;
		}
	}
	if (file) {
		file_fd = fill_pagecache(dir, file);
		if (file_fd < 0) {
			fprintf(stderr, "memhog: page cache in %s: %s\n", dir, strerror(errno));
			return 1;
		}
	}

	if (exit_after) {
		free(buf);
		if (file_fd >= 0)
			close(file_fd);
		return 0;
	}
	fputs("ready\n", stdout);
	fflush(stdout);
	for (;;)
		pause();
}
