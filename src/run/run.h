/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `memcgctl run`: a real, unmodified program in a cgroup of a memcgfs mount,
 * which it finds as the host's cgroup hierarchy. A client of the mount and
 * the control socket; it knows nothing of the engine.
 *
 * May include: libc, ctl/proto.h, run/.
 */
#ifndef MEMCGFS_RUN_RUN_H
#define MEMCGFS_RUN_RUN_H

#define RUN_USAGE "[--cgroup PATH] [--cgroupns] [--] COMMAND [ARG...]"

/**
 * run_main() - memcgctl run on @mount: @argv[0] is "run", then its options
 * and the command. @timeout_ms bounds each wait for the daemon (< 0: none).
 * Return: the exit status memcgctl exits with: the command's, 128+N when a
 * signal N killed it, 125 when the run failed, 126/127 when the command
 * could not be run / was not found, 2 for a usage error, 1 for another.
 */
int run_main(const char *mount, int timeout_ms, int argc, char **argv);

#endif
