/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What must hold of a simulated machine whatever was done to it, checked
 * by the fuzz harness after every step: no counter below zero or wrapped,
 * a parent's usage at least its children's, and a memcg's usage its
 * statistics' anon + file + kernel + sock plus the per-CPU stock it holds.
 */
#ifndef MEMCGFS_INVARIANTS_H
#define MEMCGFS_INVARIANTS_H

#include "alloc/alloc.h"

/** invariants_check() - abort() with a message when one fails. Context: engine lock, or one thread. */
void invariants_check(struct alloc *a);

#endif
