#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *cg;

static int readfile(const char *path, char *buf, size_t sz)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, t = 0;
	if (fd < 0) { snprintf(buf, sz, "<%s>", strerror(errno)); return -1; }
	while ((n = read(fd, buf + t, sz - 1 - t)) > 0) t += n;
	buf[t] = 0;
	close(fd);
	return 0;
}

static int writefile(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0) return -errno;
	if (write(fd, s, strlen(s)) < 0) { int e = -errno; close(fd); return e; }
	close(fd);
	return 0;
}

static void cgread(const char *name, char *buf, size_t sz)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", cg, name);
	readfile(p, buf, sz);
}

/* value of "key N" line in a flat-keyed file text */
static long long keyval(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;
	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return atoll(p + kl + 1);
		p = strchr(p, '\n');
		if (p) p++;
	}
	return -1;
}

static long long cgval(const char *file, const char *key)
{
	char buf[8192];
	cgread(file, buf, sizeof buf);
	if (!key) return strcmp(buf, "max\n") ? atoll(buf) : -2;
	return keyval(buf, key);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
