// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Control protocol helpers shared by the daemon and memcgctl (see proto.h).
 *
 * May include: libc, json-c. Not the engine.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl/proto.h"
#include "common/macro.h"

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
		/* a daemon gone away is an error to report, not a SIGPIPE */
		ssize_t n = send(fd, line + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int ret = -errno;

			free(line);
			return ret;
		}
		off += (size_t)n;
	}
	free(line);
	return 0;
}

void ctl_reader_free(struct ctl_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->size = 0;
}

ssize_t ctl_reader_read(int fd, struct ctl_reader *r)
{
	ssize_t n;

	/* room for at least 64 KiB more, as long as no line outgrows the limit */
	if (r->size - r->len < 65536) {
		size_t size = r->size ? r->size * 2 : 65536;
		char *buf;

		while (size - r->len < 65536)
			size *= 2;
		if (r->max && size > r->max + 1) {
			size = r->max + 1;	/* the line and its newline */
			if (size <= r->len)
				return -EMSGSIZE;
		}
		buf = realloc(r->buf, size);
		if (!buf)
			return -ENOMEM;
		r->buf = buf;
		r->size = size;
	}
	do
		n = read(fd, r->buf + r->len, r->size - r->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	r->len += (size_t)n;
	return n;
}

bool ctl_reader_has_line(const struct ctl_reader *r)
{
	return r->len && memchr(r->buf, '\n', r->len);
}

int ctl_reader_pop(struct ctl_reader *r, struct json_object **out)
{
	char *nl = r->len ? memchr(r->buf, '\n', r->len) : NULL;
	struct json_tokener *tok;
	size_t line, end;
	int ret = 0;

	*out = NULL;
	if (!nl)
		return -ENODATA;
	line = (size_t)(nl - r->buf);
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	/* json_tokener_parse() would stop at a NUL inside the line: give it the length */
	*out = json_tokener_parse_ex(tok, r->buf, (int)MIN(line, (size_t)INT_MAX));
	for (end = json_tokener_get_parse_end(tok); end < line && strchr(" \t\r", r->buf[end]); end++)
		;
	if (!*out || json_tokener_get_error(tok) != json_tokener_success || end != line) {
		json_object_put(*out);
		*out = NULL;
		ret = -EPROTO;
	}
	json_tokener_free(tok);
	r->len -= line + 1;
	memmove(r->buf, nl + 1, r->len);
	return ret;
}

int ctl_recv(int fd, struct ctl_reader *r, int timeout_ms, struct json_object **out)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int ready;

		if (ctl_reader_has_line(r))
			return ctl_reader_pop(r, out);
		ready = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			return -errno;
		if (ready == 0)
			return -ETIMEDOUT;
		n = ctl_reader_read(fd, r);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0)
			return (int)n;
	}
}
