/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The mount point memcgfs is asked to use: created when missing, refused
 * with a one-line reason when it cannot be served.
 */
#ifndef MEMCGFS_MOUNTPOINT_H
#define MEMCGFS_MOUNTPOINT_H

#include <sys/types.h>

/**
 * mountpoint_check() - make @path ready to be mounted on, or say why not.
 * Creates a missing directory; refuses, with one line on stderr, a path
 * that is not a directory, one that is already a mount point (naming the
 * memcgfs daemon that serves it, when it is one), and the disconnected
 * mount a killed daemon leaves behind (with the command that clears it).
 * Return: 0 when memcgfs may mount on @path, -1 otherwise.
 */
int mountpoint_check(const char *path);

/**
 * mountpoint_daemon_pid() - the process that serves the control socket
 * at @sock (found through /proc/net/unix and /proc/PID/fd), or -1 when
 * none this user can see holds it.
 */
pid_t mountpoint_daemon_pid(const char *sock);

#endif
