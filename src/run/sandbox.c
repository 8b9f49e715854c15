// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The child side of `memcgctl run` (see sandbox.h).
 *
 * Why a user namespace and seccomp user notification: a user who is not
 * root may make a user namespace, and in it a mount namespace where the
 * memcgfs mount is bound over /sys/fs/cgroup (the host's stays as it is).
 * What a bind cannot change -- the filesystem magic that statfs reports,
 * and the /proc files that name mounts and cgroups -- is answered by the
 * supervisor, which the kernel asks through the filter's notification fd.
 * Being at the system call level it works for statically linked programs
 * (Go), which an LD_PRELOAD library never sees.
 *
 * The uid and gid map the caller to themselves, so files keep their owners
 * and the FUSE mount (which serves its mounting user only) still serves
 * the program. Root needs no user namespace and stays root.
 *
 * May include: libc, run/.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "run/procview.h"
#include "run/sandbox.h"

#if defined(__x86_64__)
#define RUN_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define RUN_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* Say why on the socket (the supervisor prints it), and exit. */
static void fail(const struct sandbox *sb, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
static void fail(const struct sandbox *sb, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n > 0)
		send(sb->sock, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1, MSG_NOSIGNAL);
	_exit(status);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	return 0;
}

static void enter_namespaces(const struct sandbox *sb)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char map[64];
	int ret;

	if (uid == 0) {
		if (unshare(CLONE_NEWNS))
			fail(sb, SANDBOX_EXIT_SETUP, "cannot make a mount namespace: %s", strerror(errno));
	} else {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
			fail(sb, SANDBOX_EXIT_SETUP, "cannot make a user namespace (needed without root): %s",
			     strerror(errno));
		/* an unprivileged map of one's own gid needs setgroups denied */
		snprintf(map, sizeof(map), "%u %u 1\n", uid, uid);
		ret = write_file("/proc/self/setgroups", "deny");
		if (!ret || ret == -ENOENT)
			ret = write_file("/proc/self/uid_map", map);
		snprintf(map, sizeof(map), "%u %u 1\n", gid, gid);
		if (!ret)
			ret = write_file("/proc/self/gid_map", map);
		if (ret)
			fail(sb, SANDBOX_EXIT_SETUP, "cannot map the user namespace's ids: %s", strerror(-ret));
	}
	/* nothing mounted here may reach the host's namespace */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		fail(sb, SANDBOX_EXIT_SETUP, "cannot make the mounts private: %s", strerror(errno));
}

static void mount_tree(const struct sandbox *sb)
{
	const char *target = PROCVIEW_CGROUP_DIR;

	if (sb->v1) {
		/* a v1 host: a tmpfs of hierarchies, here only memory */
		if (mount("tmpfs", PROCVIEW_CGROUP_DIR, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755"))
			fail(sb, SANDBOX_EXIT_SETUP, "cannot mount a tmpfs on %s: %s", PROCVIEW_CGROUP_DIR,
			     strerror(errno));
		target = PROCVIEW_CGROUP_DIR "/memory";
		if (mkdir(target, 0755))
			fail(sb, SANDBOX_EXIT_SETUP, "cannot make %s: %s", target, strerror(errno));
	}
	if (mount(sb->tree, target, NULL, MS_BIND, NULL))
		fail(sb, SANDBOX_EXIT_SETUP, "cannot bind %s on %s: %s", sb->tree, target, strerror(errno));
}

static void join_cgroup(const struct sandbox *sb)
{
	char pid[32];
	int ret;

	snprintf(pid, sizeof(pid), "%d", getpid());
	ret = write_file(sb->procs, pid);
	if (ret)
		fail(sb, SANDBOX_EXIT_SETUP, "cannot join the cgroup (%s): %s", sb->procs, strerror(-ret));
}

/*
 * The filter: statfs, fstatfs, open and openat go to the supervisor;
 * openat2 fails with ENOSYS, so that a program falls back to openat (as it
 * does on kernels before 5.6), whose path the supervisor reads.
 */
static int install_filter(void)
{
#ifdef RUN_AUDIT_ARCH
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RUN_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_statfs, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_fstatfs, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
#ifdef SYS_open
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
#endif
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = { .len = sizeof(prog) / sizeof(prog[0]), .filter = prog };
	int fd;

	/*
	 * WAIT_KILLABLE_RECV (Linux 5.19): once the supervisor has the call, a
	 * signal does not restart it, so a program signalled often (Go's
	 * preemption) cannot keep it from ever being answered.
	 */
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &fprog);
	if (fd < 0 && errno == EINVAL)
		fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
				  &fprog);
	return fd < 0 ? -errno : fd;
#else
	return -ENOSYS;
#endif
}

static void send_listener(const struct sandbox *sb, int fd)
{
	char byte = 'L';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	memset(u.buf, 0, sizeof(u.buf));
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	if (sendmsg(sb->sock, &msg, MSG_NOSIGNAL) != 1)
		_exit(SANDBOX_EXIT_SETUP);
}

void sandbox_exec(const struct sandbox *sb, char **argv)
{
	sigset_t none;
	int listener;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	enter_namespaces(sb);
	mount_tree(sb);
	join_cgroup(sb);
	listener = install_filter();
	if (listener < 0)
		fail(sb, SANDBOX_EXIT_SETUP, "cannot install a seccomp filter with user notification: %s",
		     strerror(-listener));
	send_listener(sb, listener);
	close(listener);
	execv(sb->command, argv);
	if (errno == ENOENT)
		fail(sb, SANDBOX_EXIT_NOT_FOUND, "%s: command not found", argv[0]);
	fail(sb, SANDBOX_EXIT_CANNOT_EXEC, "%s: %s", argv[0], strerror(errno));
}
