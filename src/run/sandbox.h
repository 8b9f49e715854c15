/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The child side of `memcgctl run`: the namespaces, mounts and seccomp
 * filter the program runs under, then the program itself.
 *
 * May include: libc, run/.
 */
#ifndef MEMCGFS_RUN_SANDBOX_H
#define MEMCGFS_RUN_SANDBOX_H

#include <stdbool.h>

struct sandbox {
	const char *tree;	/* what /sys/fs/cgroup (v1: its memory/) shows: the mount or a cgroup of it */
	const char *procs;	/* the cgroup.procs to join, as seen inside */
	const char *command;	/* the file to exec (argv[0] found on $PATH) */
	bool v1;
	int sock;		/* to the supervisor: the listener, then any error */
};

/*
 * Exit statuses of the child when it fails before the program runs, as a
 * shell's: 127 the command was not found, 126 it could not be run; 125 the
 * run itself failed (namespaces, mounts, the filter).
 */
#define SANDBOX_EXIT_SETUP 125
#define SANDBOX_EXIT_CANNOT_EXEC 126
#define SANDBOX_EXIT_NOT_FOUND 127

/**
 * sandbox_exec() - in a child just forked: enter a user namespace (unless
 * root) and a mount namespace, mount the tree on /sys/fs/cgroup, join the
 * cgroup, install the filter and hand its listener to the supervisor over
 * @sb->sock, then exec @sb->command with @argv. On failure it sends one line saying why over
 * @sb->sock and exits with a SANDBOX_EXIT_* status.
 */
void sandbox_exec(const struct sandbox *sb, char **argv) __attribute__((noreturn));

#endif
