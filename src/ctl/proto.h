/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The control protocol between memcgctl and the daemon: newline-delimited
 * JSON objects over a unix stream socket whose path is derived from the
 * mount point, so both sides find it from the mount alone.
 *
 * Requests carry "cmd" and its arguments; replies carry "ok" (true/false)
 * and, on failure, "error" (a message). A request with "wait" gets a second
 * line when the task settles: {"pid": N, "outcome": "charged" | "oom_killed"
 * | "killed" | "failed"}. Sizes travel in bytes.
 */
#ifndef MEMCGFS_PROTO_H
#define MEMCGFS_PROTO_H

#include <stddef.h>
#include <json-c/json.h>

/** ctl_socket_path() - the socket of the daemon serving @mountpoint. Return: 0 or -errno. */
int ctl_socket_path(const char *mountpoint, char *buf, size_t size);

/**
 * ctl_unescape_mount_path() - undo, in place, the octal escapes (\040 for a
 * space...) of a path in /proc/self/mounts or /proc/self/mountinfo.
 */
void ctl_unescape_mount_path(char *s);

/** ctl_send() - write @obj as one line. Return: 0 or -errno. */
int ctl_send(int fd, struct json_object *obj);

/*
 * A line reader over a stream socket: ctl_recv() returns the next complete
 * line parsed as JSON (caller puts it), or NULL at EOF or on error.
 */
struct ctl_reader {
	char buf[65536];
	size_t len;
};

struct json_object *ctl_recv(int fd, struct ctl_reader *r);

#endif
