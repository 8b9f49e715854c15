/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memcgctl top: a live view of a cgroup tree in the terminal (see
 * memcgctl(1)).
 */
#ifndef MEMCGFS_TOP_H
#define MEMCGFS_TOP_H

#include <json-c/json.h>

#include "ctl/proto.h"

/**
 * top_request_files() - add to @req (a "sample" request) the files top
 * shows: those of both hierarchies; each cgroup gives those it has.
 */
void top_request_files(struct json_object *req);

/**
 * top_sort_key() - the number of the sort key @name (current, peak, name,
 * events). Return: it, or -1 when there is none of that name.
 */
int top_sort_key(const char *name);

/**
 * top_run() - show the tree on the terminal until `q`, an interrupt, or
 * the daemon going away; @reply is the answer to @req, sent again for
 * each refresh on @fd. The terminal is left as it was found on every way
 * out. @mount names the mount in the title.
 * Return: 0, or 1 with a message on stderr (no terminal, the daemon went
 * away).
 */
int top_run(int fd, struct ctl_reader *r, struct json_object *req, struct json_object *reply,
	    const char *mount, int sort);

#endif
