/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The values in a control file's text, for memcgctl record and top: a
 * single value ("4096", "max"), keyed lines ("oom_kill 1"), and keyed
 * lines of fields ("some avg10=0.00 ... total=0", as memory.pressure).
 *
 * Part of memcgctl. May include: libc.
 */
#ifndef MEMCGFS_FILEVALS_H
#define MEMCGFS_FILEVALS_H

#include <stddef.h>

/**
 * filevals_each() - call @fn for each value in @text: with key NULL for a
 * file of one value, "oom_kill" for a keyed line, "some.avg10" for a field
 * of one. Lines of other shapes (several bare words) are passed over.
 */
void filevals_each(const char *text, void (*fn)(void *arg, const char *key, const char *value), void *arg);

/**
 * filevals_get() - the value of @key in @text (NULL: a file of one value),
 * copied into @buf. Return: @buf, or NULL when there is none.
 */
char *filevals_get(const char *text, const char *key, char *buf, size_t size);

#endif
