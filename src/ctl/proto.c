// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Control protocol helpers shared by the daemon and memcgctl (see proto.h).
 *
 * May include: libc, json-c. Not the engine.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/proto.h"

int ctl_socket_path(const char *mountpoint, char *buf, size_t size)
{
	char real[PATH_MAX];
	const char *dir = getenv("MEMCGFS_RUNTIME_DIR");
	uint64_t hash = 14695981039346656037ULL;	/* FNV-1a */
	char fallback[64];
	const char *p;
	int n;

	if (!realpath(mountpoint, real))
		return -errno;
	for (p = real; *p; p++) {
		hash ^= (unsigned char)*p;
		hash *= 1099511628211ULL;
	}
	if (!dir) {
		if (geteuid() == 0) {
			dir = "/run/memcgfs";
		} else {
			snprintf(fallback, sizeof(fallback), "/tmp/memcgfs-%u", (unsigned int)geteuid());
			dir = fallback;
		}
	}
	n = snprintf(buf, size, "%s/ctl-%016llx.sock", dir, (unsigned long long)hash);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

void ctl_unescape_mount_path(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

int ctl_send(int fd, struct json_object *obj)
{
	const char *text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	size_t len = strlen(text), off = 0;
	char *line = malloc(len + 2);

	if (!line)
		return -ENOMEM;
	memcpy(line, text, len);
	line[len++] = '\n';
	while (off < len) {
		ssize_t n = write(fd, line + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(line);
			return -errno;
		}
		off += (size_t)n;
	}
	free(line);
	return 0;
}

struct json_object *ctl_recv(int fd, struct ctl_reader *r)
{
	for (;;) {
		char *nl = memchr(r->buf, '\n', r->len);
		ssize_t n;

		if (nl) {
			struct json_object *obj;

			*nl = '\0';
			obj = json_tokener_parse(r->buf);
			r->len -= (size_t)(nl + 1 - r->buf);
			memmove(r->buf, nl + 1, r->len);
			return obj;
		}
		if (r->len == sizeof(r->buf))
			return NULL;	/* a line longer than any message */
		n = read(fd, r->buf + r->len, sizeof(r->buf) - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		r->len += (size_t)n;
	}
}
