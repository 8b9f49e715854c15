/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memcgctl record: samples of cgroups' control files, a CSV row each, at
 * every interval of simulated time (see memcgctl(1)).
 */
#ifndef MEMCGFS_RECORD_H
#define MEMCGFS_RECORD_H

#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

#include "ctl/proto.h"

/**
 * record_request_files() - add to @req the files a recording samples: those
 * of both hierarchies; each cgroup gives those it has.
 */
void record_request_files(struct json_object *req);

/**
 * record_print() - write to @out the CSV of a recording: the header and
 * first row from @reply (the answer to the "record" request), then a row
 * for each sample that arrives on @fd, until @for_ns of simulated time
 * have passed since the first (< 0: until the daemon goes away or
 * memcgctl is interrupted: then, every row written, it dies of the
 * signal). Every row is flushed as it is written.
 * Return: 0, or 1 when @out could not be written.
 */
int record_print(int fd, struct ctl_reader *r, struct json_object *reply, FILE *out, int64_t for_ns);

/** record_format_time() - @ns as seconds, exactly, without trailing zeros ("1.5", "2"). */
void record_format_time(int64_t ns, char *buf, size_t size);

#endif
