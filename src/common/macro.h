/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small helpers every module may include: array size, container_of, min/max.
 * No dependencies beyond the C library.
 */
#ifndef MEMCGFS_MACRO_H
#define MEMCGFS_MACRO_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

#define UNUSED __attribute__((unused))

#endif
