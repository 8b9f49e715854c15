// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `memcgctl run` (see run.h): check the request, make the cgroup if it is
 * missing, fork the child that becomes the program (sandbox.c) and, here,
 * supervise it (supervisor.c) until it exits, with its status.
 *
 * The supervisor is a child subreaper: a process of the run orphaned by its
 * parent comes here, so the supervisor stays its ancestor and may still read
 * its memory where Yama's ptrace_scope=1 allows only ancestors.
 *
 * May include: libc, ctl/proto.h, run/.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctl/proto.h"
#include "run/procview.h"
#include "run/run.h"
#include "run/sandbox.h"
#include "run/supervisor.h"

struct run {
	const char *mount;
	char cgroup[PATH_MAX];		/* "/a/b", or "/" */
	bool cgroupns;
	bool v1;
	char **argv;			/* the command */
	int created;			/* length of the outside path of the first cgroup run made, or -1 */
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "memcgctl: run: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Options, then the command. Return: 0, or 2 after a usage error. */
static int parse(struct run *r, int argc, char **argv)
{
	const char *cgroup = "";
	char *copy, *save = NULL, *c;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "--cgroupns")) {
			r->cgroupns = true;
		} else if (!strcmp(argv[i], "--cgroup")) {
			if (++i == argc) {
				say("--cgroup needs a path; usage: memcgctl run " RUN_USAGE);
				return 2;
			}
			cgroup = argv[i];
		} else if (!strncmp(argv[i], "--cgroup=", 9)) {
			cgroup = argv[i] + 9;
		} else if (argv[i][0] == '-') {
			say("unknown option %s; usage: memcgctl run " RUN_USAGE, argv[i]);
			return 2;
		} else {
			break;
		}
	}
	if (i == argc) {
		say("no command to run; usage: memcgctl run " RUN_USAGE);
		return 2;
	}
	r->argv = argv + i;
	/* a path from the root of the mount, cleaned: no "." or ".." */
	copy = strdup(cgroup);
	if (!copy)
		return 1;
	r->cgroup[0] = '\0';
	for (c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, ".") || !strcmp(c, "..") ||
		    strlen(r->cgroup) + strlen(c) + 2 > sizeof(r->cgroup)) {
			say("--cgroup %s: not a cgroup path (one relative to the mount, without . or ..)",
			    cgroup);
			free(copy);
			return 2;
		}
		strcat(r->cgroup, "/");
		strcat(r->cgroup, c);
	}
	free(copy);
	if (!r->cgroup[0])
		strcpy(r->cgroup, "/");
	return 0;
}

/* The cgroup's path outside: under the mount. */
static void host_path(const struct run *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", r->mount, strcmp(r->cgroup, "/") ? r->cgroup : "");
}

/* mkdir -p of the cgroup, remembering where run began to make it. Return: 0 or 1. */
static int make_cgroup(struct run *r)
{
	char path[PATH_MAX * 2], *p;

	r->created = -1;
	host_path(r, path, sizeof(path));
	p = path + strlen(r->mount);
	while (p && *p) {
		p = strchr(p + 1, '/');
		if (p)
			*p = '\0';
		if (mkdir(path, 0755)) {
			if (errno != EEXIST) {
				say("cannot create cgroup %s: %s", path + strlen(r->mount), strerror(errno));
				goto undo;
			}
		} else if (r->created < 0) {
			r->created = (int)strlen(path);
		}
		if (p)
			*p = '/';
	}
	return 0;
undo:
	if (p)
		*p = '/';
	return 1;
}

/* Take away the cgroups run made, deepest first, once the child has left them. */
static void remove_created(const struct run *r)
{
	char path[PATH_MAX * 2], *slash;
	int tries;

	if (r->created < 0)
		return;
	host_path(r, path, sizeof(path));
	while ((int)strlen(path) >= r->created) {
		/* the daemon sees the child's exit through a pidfd, a moment later */
		for (tries = 0; rmdir(path) && errno == EBUSY && tries < 100; tries++) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
		slash = strrchr(path, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
}

/* The host's /proc/cgroups; NULL if unreadable. */
static char *read_proc_cgroups(void)
{
	FILE *f = fopen("/proc/cgroups", "re"), *out;
	char line[256], *all = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	out = open_memstream(&all, &len);
	while (out && fgets(line, sizeof(line), f))
		fputs(line, out);
	fclose(f);
	if (out && fclose(out)) {
		free(all);
		return NULL;
	}
	return all;
}

/*
 * The file COMMAND names, found as a shell finds it: on $PATH when it has
 * no slash (a directory the user may not search is passed over, which
 * execvp() would report as EACCES). Return: a malloc'd path, or NULL with
 * why said (command not found).
 */
static char *find_command(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	struct stat st;
	char *full;
	int len;

	if (strchr(name, '/')) {
		if (stat(name, &st)) {
			say("%s: %s", name, strerror(errno));
			return NULL;
		}
		return strdup(name);
	}
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		end = strchrnul(p, ':');
		len = (int)(end - p);
		/* an empty entry is the current directory */
		if (asprintf(&full, "%.*s/%s", len ? len : 1, len ? p : ".", name) < 0)
			return NULL;
		if (!stat(full, &st) && S_ISREG(st.st_mode) && !access(full, X_OK))
			return full;
		free(full);
		if (!*end)
			break;
	}
	say("%s: command not found", name);
	return NULL;
}

static int connect_daemon(const char *mount, int timeout_ms)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = timeout_ms % 1000 * 1000 };
	int fd;

	if (ctl_socket_path(mount, sun.sun_path, sizeof(sun.sun_path)))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (timeout_ms > 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The first message of the child: its listener fd, or why it failed.
 * Return: the fd, or -1 with the child's words printed.
 */
static int receive_listener(int sock)
{
	char buf[1024];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
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
	struct cmsghdr *cmsg;
	ssize_t n;
	int fd = -1;

	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	for (cmsg = CMSG_FIRSTHDR(&msg); n > 0 && cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg))
		if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	if (fd >= 0)
		return fd;
	if (n > 0) {
		buf[n] = '\0';
		say("%s", buf);
	}
	return -1;
}

/* The exit status a shell would report for @status. */
static int shell_status(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Serve the listener until @child exits; *@failed when the child said it
 * could not run the command. Return: its wait status.
 */
static int supervise(struct supervisor *s, int sock, int sigfd, pid_t child, bool *failed)
{
	struct pollfd fds[3] = {
		{ .fd = sigfd, .events = POLLIN },
		{ .fd = sock, .events = POLLIN },
		{ .fd = s->listener, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	int status = 0;
	pid_t pid;
	char buf[1024];
	ssize_t n;

	for (;;) {
		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[2].revents & POLLIN) {
			if (supervisor_handle(s) < 0)
				fds[2].fd = -1;
		} else if (fds[2].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			/* no process of the run is left under the filter */
			fds[2].fd = -1;
		}
		if (fds[1].revents) {
			n = recv(sock, buf, sizeof(buf) - 1, MSG_DONTWAIT);
			if (n > 0) {
				buf[n] = '\0';
				say("%s", buf);
				*failed = true;
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				fds[1].fd = -1;	/* the program runs: the socket closed on exec */
			}
		}
		if (!(fds[0].revents & POLLIN) || read(sigfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGCHLD) {
			/* a terminal's signal reached the program too; one sent to us is passed on */
			if (si.ssi_code == SI_USER || si.ssi_code == SI_QUEUE)
				kill(child, (int)si.ssi_signo);
			continue;
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == child)
				return status;
	}
	/* poll failed: wait without serving; the program gets ENOSYS from here on */
	close(s->listener);
	s->listener = -1;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

int run_main(const char *mount, int timeout_ms, int argc, char **argv)
{
	struct run r = { .mount = mount, .created = -1 };
	struct supervisor s = { .listener = -1, .daemon_fd = -1, .timeout_ms = timeout_ms };
	char tree[PATH_MAX * 2], procs[PATH_MAX * 2], path[PATH_MAX * 2];
	struct stat st;
	sigset_t mask, old;
	int sv[2], sigfd = -1, ret, status, listener;
	bool failed = false;
	char *command;
	pid_t child;

	ret = parse(&r, argc, argv);
	if (ret)
		return ret;
	command = find_command(r.argv[0]);
	if (!command)
		return SANDBOX_EXIT_NOT_FOUND;
	if (stat(mount, &st)) {
		say("%s: %s", mount, strerror(errno));
		free(command);
		return 1;
	}
	s.tree_dev = st.st_dev;
	/* the root of each mode has a file the other's has not */
	snprintf(path, sizeof(path), "%s/cgroup.controllers", mount);
	r.v1 = access(path, F_OK) != 0;
	ret = supervisor_init(&s);
	if (ret) {
		say("no seccomp user notification on this system: %s", strerror(-ret));
		supervisor_destroy(&s);
		free(command);
		return 1;
	}
	s.daemon_fd = connect_daemon(mount, timeout_ms);
	if (s.daemon_fd < 0) {
		say("no memcgfs daemon answers for %s", mount);
		supervisor_destroy(&s);
		free(command);
		return 1;
	}
	if (make_cgroup(&r)) {
		ret = 1;
		goto out_remove;
	}
	snprintf(path, sizeof(path), "%s%s", mount, strcmp(r.cgroup, "/") ? r.cgroup : "");
	snprintf(tree, sizeof(tree), "%s", r.cgroupns ? path : mount);
	snprintf(procs, sizeof(procs), "%s%s/cgroup.procs", r.v1 ? PROCVIEW_CGROUP_DIR "/memory" :
		 PROCVIEW_CGROUP_DIR, r.cgroupns || !strcmp(r.cgroup, "/") ? "" : r.cgroup);
	s.mount = mount;
	s.cgroup = r.cgroup;
	s.nsroot = r.cgroupns ? r.cgroup : "/";
	s.self = getpid();
	s.view.v1 = r.v1;
	if (r.v1) {
		char *text = read_proc_cgroups();

		s.view.hierarchy = procview_v1_hierarchy(text ? text : "");
		free(text);
	}

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		say("socketpair: %s", strerror(errno));
		ret = 1;
		goto out_remove;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	fflush(NULL);
	child = fork();
	if (child < 0) {
		say("fork: %s", strerror(errno));
		ret = 1;
		goto out_close;
	}
	if (child == 0) {
		struct sandbox sb = { .tree = tree, .procs = procs, .v1 = r.v1, .sock = sv[1],
				      .command = command };

		close(sv[0]);
		sandbox_exec(&sb, r.argv);
	}
	close(sv[1]);
	sv[1] = -1;
	s.top = child;
	listener = receive_listener(sv[0]);
	if (listener < 0) {
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		ret = shell_status(status);
		if (!ret)
			ret = SANDBOX_EXIT_SETUP;
		goto out_close;
	}
	s.listener = listener;
	status = supervise(&s, sv[0], sigfd, child, &failed);
	ret = shell_status(status);
	/* a command that never ran leaves no cgroup that run made */
	if (!failed)
		r.created = -1;
out_close:
	if (s.listener >= 0)
		close(s.listener);
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (sigfd >= 0)
		close(sigfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
out_remove:
	remove_created(&r);
	close(s.daemon_fd);
	supervisor_destroy(&s);
	free(command);
	return ret;
}
