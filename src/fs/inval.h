/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Telling the kernel what it must forget. memcgfs replies to LOOKUP and
 * GETATTR with long entry and attribute timeouts, so an open of any file at
 * any depth costs only OPEN, READ and RELEASE; in exchange the daemon
 * invalidates every name and attribute that changes, whoever changes it
 * (a request on the mount, the control socket, a scenario).
 *
 * The engine reports changes with its lock held, often from inside a FUSE
 * request whose caller the kernel keeps a directory locked for; a
 * notification takes that same directory lock in the kernel. So changes
 * are only queued here, and a thread of this module sends them, holding no
 * lock of ours: never a deadlock, at worst the thread waits for a request
 * to be answered.
 */
#ifndef MEMCGFS_FS_INVAL_H
#define MEMCGFS_FS_INVAL_H

#include "fs/fs.h"

/**
 * inval_start() - start the thread that sends notifications on @se, and
 * have the engine report its changes to it.
 * Return: 0 or a negative errno.
 */
int inval_start(struct memcgfs *fs, struct fuse_session *se);
/** inval_stop() - stop reporting, send what is queued, end the thread. */
void inval_stop(struct memcgfs *fs);

/** inval_inode() - queue fuse_lowlevel_notify_inval_inode(@ino, @off, @len). Context: any. */
void inval_inode(struct memcgfs *fs, fuse_ino_t ino, off_t off, off_t len);
/** inval_entry() - queue fuse_lowlevel_notify_inval_entry(@parent, @name). Context: any. */
void inval_entry(struct memcgfs *fs, fuse_ino_t parent, const char *name);
/**
 * inval_call() - queue a call of @call(@arg), made by the sending thread
 * once what was queued before it is sent. A notification of a name gone
 * from a directory waits for the directory's lock, which the kernel holds
 * until a request on it (an rmdir) is answered: what follows it happens
 * after. Context: any.
 */
void inval_call(struct memcgfs *fs, void (*call)(void *arg), void *arg);
/** inval_sync() - wait until every notification queued so far is sent (at most 2 s). Context: no lock. */
void inval_sync(struct memcgfs *fs);
/** inval_queued() - notifications queued since the start. Context: engine lock. */
unsigned long long inval_queued(struct memcgfs *fs);

#endif
