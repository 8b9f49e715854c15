/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memcgctl's JSON output: one line an object, without noise. json-c
 * escapes every '/' ("\/job") and prints a double with 17 digits
 * (29.683533199999999); memcgctl prints "/job" and 29.6835332.
 */
#ifndef MEMCGFS_JSONOUT_H
#define MEMCGFS_JSONOUT_H

#include <stdio.h>
#include <json-c/json.h>

/**
 * json_print_line() - print @obj to @out as one line of JSON, slashes
 * unescaped and each double as the shortest decimal that reads back as
 * the same double.
 */
void json_print_line(FILE *out, struct json_object *obj);

#endif
