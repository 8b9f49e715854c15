// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memcgctl: drives a memcgfs daemon's simulated machine over its control
 * socket (see memcgctl(1)). Links the protocol and json-c, never the engine.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/proto.h"
#include "engine/memparse.h"

static const char *progname = "memcgctl";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: memcgctl [-m MOUNTPOINT] COMMAND\n"
		"  spawn CGROUP [--anon SIZE] [--file SIZE] [--shmem SIZE] [--kmem SIZE] [--sock SIZE]\n"
		"               [--oom-score-adj N] [--wait]\n"
		"               [--workload hold|ramp|leak|churn|stream|touch|write] [--rate SIZE] [--period DURATION]\n"
		"  alloc PID [--anon SIZE] ... [--wait]\n"
		"  free PID [--anon SIZE] ...\n"
		"  kill PID\n"
		"  ps [CGROUP]\n"
		"  stat [CGROUP] [--json]\n"
		"  pressure SIZE\n"
		"  load SCENARIO.json\n"
		"  watch [--json]\n"
		"  step DURATION\n"
		"MOUNTPOINT: -m, else $MEMCGFS_MOUNT, else the only memcgfs mount.\n");
}

/* The only fuse.memcgfs entry of /proc/self/mounts. */
static char *find_mount(void)
{
	char line[4096], dev[1024], dir[2048], type[256];
	char *found = NULL;
	int count = 0;
	FILE *f = fopen("/proc/self/mounts", "re");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%1023s %2047s %255s", dev, dir, type) != 3)
			continue;
		if (strcmp(type, "fuse.memcgfs"))
			continue;
		count++;
		free(found);
		found = strdup(dir);
	}
	fclose(f);
	if (count > 1) {
		free(found);
		die("%s", "several memcgfs mounts: choose one with -m MOUNTPOINT or $MEMCGFS_MOUNT");
	}
	return found;
}

static int connect_daemon(const char *mount)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, ret;

	ret = ctl_socket_path(mount, sun.sun_path, sizeof(sun.sun_path));
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", progname, mount, strerror(-ret));
		exit(1);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		fprintf(stderr, "%s: no memcgfs daemon answers for %s (%s)\n", progname, mount,
			strerror(errno));
		exit(1);
	}
	return fd;
}

/* The whole of a (scenario) file, or exit with why not. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0;
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die("%s: %s", path, strerror(errno));
	text = malloc((size_t)size + 1);
	if (!text)
		die("%s: %s", path, strerror(ENOMEM));
	len = fread(text, 1, (size_t)size, f);
	text[len] = '\0';
	fclose(f);
	return text;
}

static long long parse_bytes(const char *what, const char *text)
{
	const char *end;
	uint64_t v = memparse(text, &end);

	if (end == text || *end || v > INT64_MAX) {
		fprintf(stderr, "%s: %s %s: not a size (try 50M)\n", progname, what, text);
		exit(2);
	}
	return (long long)v;
}

static long long parse_duration_ns(const char *text)
{
	char *end;
	double v = strtod(text, &end);
	double unit = 1e9;

	if (end == text || v < 0)
		goto bad;
	if (!strcmp(end, "ns"))
		unit = 1;
	else if (!strcmp(end, "us"))
		unit = 1e3;
	else if (!strcmp(end, "ms"))
		unit = 1e6;
	else if (!strcmp(end, "s") || !*end)
		unit = 1e9;
	else if (!strcmp(end, "m"))
		unit = 60e9;
	else if (!strcmp(end, "h"))
		unit = 3600e9;
	else
		goto bad;
	return (long long)(v * unit);
bad:
	fprintf(stderr, "%s: %s: not a duration (try 1s, 500ms, 2m)\n", progname, text);
	exit(2);
}

static int parse_int(const char *what, const char *text)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (end == text || *end || v < -2147483648L || v > 2147483647L) {
		fprintf(stderr, "%s: %s %s: not a number\n", progname, what, text);
		exit(2);
	}
	return (int)v;
}

/* The size options of spawn, alloc and free; --wait, and spawn's task options, where allowed. */
static void parse_amounts(int argc, char **argv, struct json_object *req, bool allow_wait,
			  bool allow_adj)
{
	static const struct option longopts[] = {
		{ "anon", required_argument, NULL, 'a' },
		{ "file", required_argument, NULL, 'f' },
		{ "shmem", required_argument, NULL, 's' },
		{ "kmem", required_argument, NULL, 'k' },
		{ "sock", required_argument, NULL, 'n' },
		{ "oom-score-adj", required_argument, NULL, 'o' },
		{ "wait", no_argument, NULL, 'w' },
		{ "workload", required_argument, NULL, 'W' },
		{ "rate", required_argument, NULL, 'r' },
		{ "period", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		const char *key = NULL;

		switch (c) {
		case 'a': key = "anon"; break;
		case 'f': key = "file"; break;
		case 's': key = "shmem"; break;
		case 'k': key = "kmem"; break;
		case 'n': key = "sock"; break;
		case 'o':
			if (!allow_adj)
				goto bad;
			json_object_object_add(req, "oom_score_adj",
					       json_object_new_int(parse_int("--oom-score-adj", optarg)));
			continue;
		case 'w':
			if (!allow_wait)
				goto bad;
			json_object_object_add(req, "wait", json_object_new_boolean(1));
			continue;
		case 'W':
			if (!allow_adj)
				goto bad;
			json_object_object_add(req, "workload", json_object_new_string(optarg));
			continue;
		case 'r':
			if (!allow_adj)
				goto bad;
			json_object_object_add(req, "rate", json_object_new_int64(parse_bytes("--rate", optarg)));
			continue;
		case 'p':
			if (!allow_adj)
				goto bad;
			json_object_object_add(req, "period", json_object_new_int64(parse_duration_ns(optarg)));
			continue;
		default:
			goto bad;
		}
		json_object_object_add(req, key, json_object_new_int64(parse_bytes(argv[optind - 2], optarg)));
	}
	if (optind != argc)
		goto bad;
	return;
bad:
	usage(stderr);
	exit(2);
}

static struct json_object *request(int fd, struct ctl_reader *r, struct json_object *req)
{
	struct json_object *reply, *v;

	if (ctl_send(fd, req))
		die("%s", "the daemon closed the control socket");
	reply = ctl_recv(fd, r);
	if (!reply)
		die("%s", "the daemon closed the control socket");
	if (!json_object_object_get_ex(reply, "ok", &v) || !json_object_get_boolean(v)) {
		const char *msg = json_object_object_get_ex(reply, "error", &v) ?
				  json_object_get_string(v) : "request failed";
		die("%s", msg);
	}
	return reply;
}

/* --wait: the second line says how it ended; the exit status mirrors a shell's. */
static int wait_outcome(int fd, struct ctl_reader *r)
{
	struct json_object *msg = ctl_recv(fd, r), *v;
	const char *outcome;
	int ret;

	if (!msg || !json_object_object_get_ex(msg, "outcome", &v))
		die("%s", "the daemon went away before the task settled");
	outcome = json_object_get_string(v);
	if (!strcmp(outcome, "charged")) {
		ret = 0;
	} else if (!strcmp(outcome, "oom_killed") || !strcmp(outcome, "killed")) {
		ret = 128 + 9;	/* as a shell reports a SIGKILLed process */
	} else {
		fprintf(stderr, "%s: the charge failed: no task could be OOM-killed to make room\n",
			progname);
		ret = 1;
	}
	json_object_put(msg);
	return ret;
}

/* One line per event until the daemon goes away: JSON as sent, or readable. */
static void watch(int fd, struct ctl_reader *r, bool as_json)
{
	struct json_object *ev, *v;

	while ((ev = ctl_recv(fd, r))) {
		if (as_json) {
			printf("%s\n", json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
		} else if (json_object_object_get_ex(ev, "lost", &v)) {
			printf("(%s events lost: this watcher fell behind)\n", json_object_get_string(v));
		} else {
			json_object_object_get_ex(ev, "time", &v);
			printf("%10.3fs", json_object_get_double(v));
			json_object_object_get_ex(ev, "cgroup", &v);
			printf(" %s", json_object_get_string(v));
			json_object_object_get_ex(ev, "event", &v);
			printf(" %s", json_object_get_string(v));
			if (json_object_object_get_ex(ev, "pid", &v))
				printf(" pid %s", json_object_get_string(v));
			if (json_object_object_get_ex(ev, "delay_ms", &v))
				printf(" for %.1f ms", json_object_get_double(v));
			if (json_object_object_get_ex(ev, "threshold", &v))
				printf(" at %s bytes", json_object_get_string(v));
			putchar('\n');
		}
		fflush(stdout);
		json_object_put(ev);
	}
}

static void print_size(const char *key, struct json_object *o)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v))
		printf(" %s=%s", key, json_object_get_string(v));
}

static void print_tree(struct json_object *node)
{
	struct json_object *children, *v;
	size_t i;

	json_object_object_get_ex(node, "path", &v);
	printf("%s", json_object_get_string(v));
	print_size("current", node);
	print_size("max", node);
	print_size("high", node);
	print_size("swap_current", node);
	print_size("nr_tasks", node);
	if (json_object_object_get_ex(node, "events", &v)) {
		struct json_object *oom, *kill;

		json_object_object_get_ex(v, "oom", &oom);
		json_object_object_get_ex(v, "oom_kill", &kill);
		printf(" oom=%s oom_kill=%s", json_object_get_string(oom), json_object_get_string(kill));
	}
	putchar('\n');
	if (json_object_object_get_ex(node, "children", &children))
		for (i = 0; i < json_object_array_length(children); i++)
			print_tree(json_object_array_get_idx(children, i));
}

int main(int argc, char **argv)
{
	static struct ctl_reader reader;
	struct json_object *req = json_object_new_object(), *reply, *v;
	const char *mount = getenv("MEMCGFS_MOUNT");
	char *found = NULL;
	const char *cmd;
	int fd, ret = 0, argi = 1;

	if (argc > 2 && !strcmp(argv[1], "-m")) {
		mount = argv[2];
		argi = 3;
	}
	if (argi >= argc || !strcmp(argv[argi], "-h") || !strcmp(argv[argi], "--help")) {
		usage(argi >= argc ? stderr : stdout);
		return argi >= argc ? 2 : 0;
	}
	cmd = argv[argi];
	argc -= argi;
	argv += argi;
	if (!mount) {
		found = find_mount();
		if (!found)
			die("%s", "no memcgfs mount found: start memcgfs, or name it with -m MOUNTPOINT");
		mount = found;
	}
	json_object_object_add(req, "cmd", json_object_new_string(cmd));

	if (!strcmp(cmd, "spawn") && argc >= 2) {
		json_object_object_add(req, "cgroup", json_object_new_string(argv[1]));
		parse_amounts(argc - 1, argv + 1, req, true, true);
	} else if ((!strcmp(cmd, "alloc") || !strcmp(cmd, "free")) && argc >= 2) {
		json_object_object_add(req, "pid", json_object_new_int(parse_int("PID", argv[1])));
		parse_amounts(argc - 1, argv + 1, req, !strcmp(cmd, "alloc"), false);
	} else if (!strcmp(cmd, "kill") && argc == 2) {
		json_object_object_add(req, "pid", json_object_new_int(parse_int("PID", argv[1])));
	} else if (!strcmp(cmd, "ps") && argc <= 2) {
		if (argc == 2)
			json_object_object_add(req, "cgroup", json_object_new_string(argv[1]));
	} else if (!strcmp(cmd, "stat") && argc <= 3) {
		for (int i = 1; i < argc; i++)
			if (strcmp(argv[i], "--json"))
				json_object_object_add(req, "cgroup", json_object_new_string(argv[i]));
	} else if (!strcmp(cmd, "load") && argc == 2) {
		char *text = read_file(argv[1]);

		json_object_object_add(req, "name", json_object_new_string(argv[1]));
		json_object_object_add(req, "text", json_object_new_string(text));
		free(text);
	} else if (!strcmp(cmd, "watch") && (argc == 1 || (argc == 2 && !strcmp(argv[1], "--json")))) {
		/* nothing to add */
	} else if (!strcmp(cmd, "pressure") && argc == 2) {
		json_object_object_add(req, "bytes", json_object_new_int64(parse_bytes("SIZE", argv[1])));
	} else if (!strcmp(cmd, "step") && argc == 2) {
		json_object_object_add(req, "ns", json_object_new_int64(parse_duration_ns(argv[1])));
	} else {
		usage(stderr);
		return 2;
	}

	fd = connect_daemon(mount);
	reply = request(fd, &reader, req);

	if (!strcmp(cmd, "spawn") || !strcmp(cmd, "alloc")) {
		if (!strcmp(cmd, "spawn") && json_object_object_get_ex(reply, "pid", &v))
			printf("%d\n", json_object_get_int(v));
		fflush(stdout);
		if (json_object_object_get_ex(req, "wait", &v))
			ret = wait_outcome(fd, &reader);
	} else if (!strcmp(cmd, "ps")) {
		struct json_object *tasks;

		json_object_object_get_ex(reply, "tasks", &tasks);
		printf("%-8s %-10s %-10s %-10s %-10s %s\n", "PID", "ANON", "FILE", "SHMEM", "SWAP", "CGROUP");
		for (size_t i = 0; i < json_object_array_length(tasks); i++) {
			struct json_object *t = json_object_array_get_idx(tasks, i), *x;
			const char *keys[] = { "pid", "anon", "file", "shmem", "swap" };

			for (size_t k = 0; k < 5; k++) {
				json_object_object_get_ex(t, keys[k], &x);
				printf(k ? "%-10s " : "%-8s ", json_object_get_string(x));
			}
			json_object_object_get_ex(t, "cgroup", &x);
			printf("%s\n", json_object_get_string(x));
		}
	} else if (!strcmp(cmd, "watch")) {
		watch(fd, &reader, argc == 2);
	} else if (!strcmp(cmd, "load")) {
		json_object_object_get_ex(reply, "tasks", &v);
		printf("%s: %s task(s) started\n", argv[1], json_object_get_string(v));
	} else if (!strcmp(cmd, "pressure")) {
		json_object_object_get_ex(reply, "reclaimed", &v);
		printf("reclaimed %s bytes", json_object_get_string(v));
		json_object_object_get_ex(reply, "killed", &v);
		printf(", %s OOM kill(s)\n", json_object_get_string(v));
	} else if (!strcmp(cmd, "stat")) {
		bool as_json = false;

		for (int i = 1; i < argc; i++)
			as_json |= !strcmp(argv[i], "--json");
		json_object_object_get_ex(reply, "tree", &v);
		if (as_json)
			printf("%s\n", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		else
			print_tree(v);
	}
	json_object_put(reply);
	json_object_put(req);
	close(fd);
	free(found);
	return ret;
}
