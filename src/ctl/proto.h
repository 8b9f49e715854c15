/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The control protocol between memcgctl and the daemon: newline-delimited
 * JSON objects over a unix stream socket whose path is derived from the
 * mount point, so both sides find it from the mount alone.
 *
 * Requests carry "cmd" and its arguments; replies carry "ok" (true/false)
 * and, on failure, "error" (a message). A request with "wait" gets a second
 * line when the task settles: {"pid": N, "outcome": "charged" | "oom_killed"
 * | "killed" | "failed"}. Sizes travel in bytes. A line may be of any size.
 */
#ifndef MEMCGFS_PROTO_H
#define MEMCGFS_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <json-c/json.h>

/** ctl_socket_path() - the socket of the daemon serving @mountpoint. Return: 0 or -errno. */
int ctl_socket_path(const char *mountpoint, char *buf, size_t size);

/**
 * ctl_unescape_mount_path() - undo, in place, the octal escapes (\040 for a
 * space...) of a path in /proc/self/mounts or /proc/self/mountinfo.
 */
void ctl_unescape_mount_path(char *s);

/** ctl_send() - write @obj as one line on a blocking socket. Return: 0 or -errno. */
int ctl_send(int fd, struct json_object *obj);

/*
 * A line reader over a stream socket, its buffer grown to the longest line
 * seen. ctl_reader_read() reads what is there; ctl_reader_pop() takes the
 * next complete line; ctl_recv() combines them for a blocking client.
 */
struct ctl_reader {
	char *buf;
	size_t len;		/* bytes in buf */
	size_t size;		/* bytes allocated */
	size_t max;		/* the longest line accepted; 0: no limit */
};

/** ctl_reader_free() - release the buffer; the reader may be used again. */
void ctl_reader_free(struct ctl_reader *r);

/**
 * ctl_reader_read() - one read(2) of @fd into @r.
 * Return: bytes read, 0 at end of file, -EMSGSIZE when a line would exceed
 * @r->max, or another -errno (-EAGAIN on a non-blocking socket).
 */
ssize_t ctl_reader_read(int fd, struct ctl_reader *r);

/** ctl_reader_has_line() - does @r hold a complete line? */
bool ctl_reader_has_line(const struct ctl_reader *r);

/**
 * ctl_reader_pop() - take the next complete line out of @r, parsed.
 * Return: 0 with *out set (the caller puts it), -ENODATA without a complete
 * line, or -EPROTO when the line is not one JSON value (it is dropped).
 */
int ctl_reader_pop(struct ctl_reader *r, struct json_object **out);

/**
 * ctl_recv() - the next line from a blocking @fd, waiting at most
 * @timeout_ms between bytes (< 0: no limit).
 * Return: 0 with *out set, -ETIMEDOUT, -ECONNRESET when the peer closed
 * the socket, -EPROTO (not JSON), -EMSGSIZE, or another -errno.
 */
int ctl_recv(int fd, struct ctl_reader *r, int timeout_ms, struct json_object **out);

#endif
