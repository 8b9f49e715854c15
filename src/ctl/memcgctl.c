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

#include "ctl/jsonout.h"
#include "ctl/plot.h"
#include "ctl/proto.h"
#include "ctl/record.h"
#include "ctl/top.h"
#include "ctl/watch.h"
#include "engine/memparse.h"
#include "run/run.h"

static const char *progname = "memcgctl";

/* how long to wait for the daemon to say anything, ms; < 0: no limit */
#define DEFAULT_TIMEOUT_S 30
static int timeout_ms = DEFAULT_TIMEOUT_S * 1000;
static const char *timeout_text = "30";

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

/* The commands and their arguments, as --help lists them. */
static const struct command {
	const char *name, *args;
} commands[] = {
	{ "spawn", "CGROUP [--anon SIZE] [--file SIZE] [--shmem SIZE] [--kmem SIZE] [--sock SIZE]\n"
		   "               [--oom-score-adj N] [--thp madvise|never] [--wait]\n"
		   "               [--workload hold|ramp|leak|churn|stream|touch|write] [--rate SIZE] "
		   "[--period DURATION]" },
	{ "alloc", "PID [--anon SIZE] ... [--wait]" },
	{ "free", "PID [--anon SIZE] ..." },
	{ "kill", "PID" },
	{ "ps", "[CGROUP]" },
	{ "stat", "[CGROUP] [--json]" },
	{ "pressure", "SIZE" },
	{ "load", "SCENARIO.json" },
	{ "watch", "[--json] [--all]" },
	{ "step", "DURATION" },
	{ "top", "[--sort current|peak|name|events] [CGROUP]" },
	{ "record", "[--interval DURATION] [--for DURATION] [--out FILE.csv] [CGROUP...]" },
	{ "plot", "FILE.csv -o CHART.svg" },
	{ "run", RUN_USAGE },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: memcgctl [-m MOUNTPOINT] [--timeout SECONDS] COMMAND, or memcgctl -h|--help\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %s %s\n", commands[i].name, commands[i].args);
	fprintf(out, "MOUNTPOINT: -m, else $MEMCGFS_MOUNT, else the memcgfs mount that holds the\n"
		     "current directory, else the only memcgfs mount.\n"
		     "--timeout: how long to wait for the daemon's answer (default %d s; 0: no limit).\n",
		DEFAULT_TIMEOUT_S);
}

static const struct command *command_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* A usage error, named on one line: exit 2. */
static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (memcgctl --help lists the commands)\n");
	exit(2);
}

/* The arguments of @cmd are wrong (@arg, if any): say so with its usage line. */
static void bad_arguments(const char *cmd, const char *what, const char *arg) __attribute__((noreturn));
static void bad_arguments(const char *cmd, const char *what, const char *arg)
{
	const struct command *c = command_named(cmd);
	const char *nl = strchr(c->args, '\n');

	fprintf(stderr, "%s: %s: %s%s%s; usage: memcgctl %s %.*s%s\n", progname, cmd, what,
		arg ? " " : "", arg ? arg : "", cmd,
		(int)(nl ? nl - c->args : (long)strlen(c->args)), c->args, nl ? " ..." : "");
	exit(2);
}

/* Is @dir (a mount point) @path or above it? */
static bool holds(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return true;
	return !strncmp(dir, path, n) && (path[n] == '/' || path[n] == '\0');
}

/*
 * The fuse.memcgfs entry of /proc/self/mounts to use: the only one, or,
 * among several, the deepest that holds the current directory.
 */
static char *find_mount(void)
{
	char line[4096], dev[1024], dir[2048], type[256], cwd[4096];
	char *found = NULL, *names = NULL, *tmp;
	size_t best = 0;
	int count = 0;
	FILE *f = fopen("/proc/self/mounts", "re");
	bool have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%1023s %2047s %255s", dev, dir, type) != 3)
			continue;
		if (strcmp(type, "fuse.memcgfs"))
			continue;
		ctl_unescape_mount_path(dir);
		count++;
		if (asprintf(&tmp, "%s%s%s", names ? names : "", names ? ", " : "", dir) >= 0) {
			free(names);
			names = tmp;
		}
		if (count == 1 || (have_cwd && holds(dir, cwd) && strlen(dir) >= best)) {
			if (have_cwd && holds(dir, cwd))
				best = strlen(dir);
			free(found);
			found = strdup(dir);
		}
	}
	fclose(f);
	if (count > 1 && !best) {
		fprintf(stderr, "%s: several memcgfs mounts (%s): run memcgctl inside one, or name it "
				"with -m MOUNTPOINT or $MEMCGFS_MOUNT\n", progname, names);
		exit(1);
	}
	free(names);
	return found;
}

/* The daemon is too slow to answer: say so, and how to wait longer. */
static void die_timeout(const char *what)
{
	die("the daemon did not %s within %s s: memcgfs is busy or stuck (wait longer with "
	    "--timeout SECONDS, or --timeout 0 for no limit)", what, timeout_text);
}

static int connect_daemon(const char *mount)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = timeout_ms % 1000 * 1000 };
	int fd, ret;

	ret = ctl_socket_path(mount, sun.sun_path, sizeof(sun.sun_path));
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", progname, mount, strerror(-ret));
		exit(1);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	/* connecting and sending wait no longer than an answer does */
	if (timeout_ms > 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		if (errno == EAGAIN)
			die_timeout("take the connection");
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
static void parse_amounts(const char *cmd, int argc, char **argv, struct json_object *req,
			  bool allow_wait, bool allow_adj)
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
		{ "thp", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
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
		case 'T':
			if (!allow_adj)
				goto bad;
			json_object_object_add(req, "thp", json_object_new_string(optarg));
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
		bad_arguments(cmd, "unexpected argument", argv[optind]);
	return;
bad:
	if (c == ':' || c == '?')
		bad_arguments(cmd, c == ':' ? "missing the value of" : "unknown option", argv[optind - 1]);
	for (const struct option *o = longopts; o->name; o++)
		if (o->val == c)
			usage_error("%s: --%s is not an option of %s", cmd, o->name, cmd);
	bad_arguments(cmd, "wrong arguments", NULL);
}

/* The next line from the daemon, or exit saying why there is none. */
static struct json_object *receive(int fd, struct ctl_reader *r, int timeout, const char *what)
{
	struct json_object *msg;
	int ret = ctl_recv(fd, r, timeout, &msg);

	if (ret == -ETIMEDOUT)
		die_timeout(what);
	if (ret == -ECONNRESET)
		die("%s", "the daemon closed the control socket");
	if (ret == -EPROTO)
		die("%s", "the daemon sent a line that is not JSON");
	if (ret)
		die("reading from the daemon: %s", strerror(-ret));
	return msg;
}

static struct json_object *request(int fd, struct ctl_reader *r, struct json_object *req)
{
	struct json_object *reply, *v;
	int ret = ctl_send(fd, req);

	if (ret == -EAGAIN)
		die_timeout("take the request");
	if (ret)
		die("the daemon closed the control socket (%s)", strerror(-ret));
	reply = receive(fd, r, timeout_ms, "answer");
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
	struct json_object *msg, *v;
	const char *outcome;
	int ret;

	/* a task settles when the simulation says: no time limit */
	if (ctl_recv(fd, r, -1, &msg) || !json_object_object_get_ex(msg, "outcome", &v))
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

static void print_size(const char *key, struct json_object *o)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v))
		printf(" %s=%s", key, json_object_get_string(v));
}

static void print_node(struct json_object *node)
{
	struct json_object *v;

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
}

/*
 * stat: the daemon sends a line per cgroup, parents first, each with its
 * depth, so a tree of any size costs one cgroup's memory here. --json
 * nests them again: each cgroup an object with its "children".
 */
static void stat_tree(int fd, struct ctl_reader *r, struct json_object *header, bool as_json)
{
	struct json_object *node, *v;
	int64_t nodes, i;
	int prev = -1, depth, d;

	json_object_object_get_ex(header, "nodes", &v);
	nodes = json_object_get_int64(v);
	for (i = 0; i < nodes; i++) {
		node = receive(fd, r, timeout_ms, "send the whole tree");
		json_object_object_get_ex(node, "depth", &v);
		depth = json_object_get_int(v);
		if (as_json) {
			const char *text;

			json_object_object_del(node, "depth");
			text = json_object_to_json_string_ext(node, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE);
			for (d = prev; d >= depth; d--)
				fputs("]}", stdout);
			if (prev >= depth)
				putchar(',');
			/* the object without its closing brace, then its children */
			printf("%.*s,\"children\":[", (int)strlen(text) - 1, text);
			prev = depth;
		} else {
			print_node(node);
		}
		json_object_put(node);
	}
	if (as_json) {
		for (d = prev; d >= 0; d--)
			fputs("]}", stdout);
		putchar('\n');
	}
}

/* record's options and cgroups into @req; --for and --out into @for_ns and @out. */
static void parse_record(int argc, char **argv, struct json_object *req, int64_t *for_ns,
			 const char **out)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "for", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct json_object *cgroups = json_object_new_array();
	long long interval = 1000000000LL;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			interval = parse_duration_ns(optarg);
			if (interval < 1000000)
				usage_error("record: --interval %s: at least 1ms", optarg);
			break;
		case 'f':
			*for_ns = parse_duration_ns(optarg);
			break;
		case 'o':
			*out = optarg;
			break;
		default:
			bad_arguments("record", c == ':' ? "missing the value of" : "unknown option",
				      argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++)
		json_object_array_add(cgroups, json_object_new_string(argv[optind]));
	/* no cgroup named: the whole tree, as it is when the recording starts */
	json_object_object_add(req, "subtree", json_object_new_boolean(!json_object_array_length(cgroups)));
	if (!json_object_array_length(cgroups))
		json_object_array_add(cgroups, json_object_new_string(""));
	json_object_object_add(req, "cgroups", cgroups);
	json_object_object_add(req, "interval_ns", json_object_new_int64(interval));
	record_request_files(req);
}

int main(int argc, char **argv)
{
	struct ctl_reader reader = { 0 };
	struct json_object *req, *reply, *v;
	const char *mount = getenv("MEMCGFS_MOUNT");
	char *found = NULL;
	const char *cmd, *record_out = NULL;
	int64_t record_for_ns = -1;
	int top_sort = 0;
	int fd, ret = 0, argi = 1;

	if (argc == 2 && !strcmp(argv[1], "-m"))
		usage_error("-m needs a mount point");
	while (argi + 1 < argc) {
		if (!strcmp(argv[argi], "-m")) {
			mount = argv[argi + 1];
		} else if (!strcmp(argv[argi], "--timeout") || !strcmp(argv[argi], "-t")) {
			char *end;
			double t = strtod(argv[argi + 1], &end);

			if (end == argv[argi + 1] || *end || !(t >= 0) || t > 86400 * 24) {
				fprintf(stderr, "%s: --timeout %s: not a number of seconds\n", progname,
					argv[argi + 1]);
				return 2;
			}
			timeout_ms = t > 0 ? (int)(t * 1000 + 0.5) : -1;
			if (t > 0 && !timeout_ms)
				timeout_ms = 1;
			timeout_text = argv[argi + 1];
		} else {
			break;
		}
		argi += 2;
	}
	if (argi >= argc || !strcmp(argv[argi], "-h") || !strcmp(argv[argi], "--help")) {
		usage(argi >= argc ? stderr : stdout);
		return argi >= argc ? 2 : 0;
	}
	cmd = argv[argi];
	if (!command_named(cmd))
		usage_error(cmd[0] == '-' ? "%s: unknown option" : "%s: unknown command", cmd);
	if (!strcmp(cmd, "run")) {
		/* the command's own arguments may be anything, -m included */
		if (!mount) {
			found = find_mount();
			if (!found)
				die("%s", "no memcgfs mount found: start memcgfs, or name it with -m MOUNTPOINT");
			mount = found;
		}
		ret = run_main(mount, timeout_ms, argc - argi, argv + argi);
		free(found);
		return ret;
	}
	for (int i = argi + 1; i < argc; i++)
		if (!strcmp(argv[i], "-m"))
			usage_error("-m %s: -m goes before the command: memcgctl -m MOUNTPOINT %s ...",
				    i + 1 < argc ? argv[i + 1] : "", cmd);
	argc -= argi;
	argv += argi;
	req = json_object_new_object();
	json_object_object_add(req, "cmd", json_object_new_string(cmd));

	if (!strcmp(cmd, "spawn") && argc >= 2) {
		json_object_object_add(req, "cgroup", json_object_new_string(argv[1]));
		parse_amounts(cmd, argc - 1, argv + 1, req, true, true);
	} else if ((!strcmp(cmd, "alloc") || !strcmp(cmd, "free")) && argc >= 2) {
		json_object_object_add(req, "pid", json_object_new_int(parse_int("PID", argv[1])));
		parse_amounts(cmd, argc - 1, argv + 1, req, !strcmp(cmd, "alloc"), false);
	} else if (!strcmp(cmd, "kill") && argc == 2) {
		json_object_object_add(req, "pid", json_object_new_int(parse_int("PID", argv[1])));
	} else if (!strcmp(cmd, "ps") && argc <= 2) {
		if (argc == 2)
			json_object_object_add(req, "cgroup", json_object_new_string(argv[1]));
	} else if (!strcmp(cmd, "stat") && argc <= 3) {
		for (int i = 1; i < argc; i++)
			if (strcmp(argv[i], "--json"))
				json_object_object_add(req, "cgroup", json_object_new_string(argv[i]));
		json_object_object_add(req, "lines", json_object_new_boolean(1));
	} else if (!strcmp(cmd, "load") && argc == 2) {
		char *text = read_file(argv[1]);

		json_object_object_add(req, "name", json_object_new_string(argv[1]));
		json_object_object_add(req, "text", json_object_new_string(text));
		free(text);
	} else if (!strcmp(cmd, "watch")) {
		for (int i = 1; i < argc; i++)
			if (strcmp(argv[i], "--json") && strcmp(argv[i], "--all"))
				bad_arguments(cmd, argv[i][0] == '-' ? "unknown option" : "unexpected argument",
					      argv[i]);
	} else if (!strcmp(cmd, "pressure") && argc == 2) {
		json_object_object_add(req, "bytes", json_object_new_int64(parse_bytes("SIZE", argv[1])));
	} else if (!strcmp(cmd, "step") && argc == 2) {
		json_object_object_add(req, "ns", json_object_new_int64(parse_duration_ns(argv[1])));
	} else if (!strcmp(cmd, "top")) {
		const char *cgroup = "";

		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "--sort") && i + 1 < argc) {
				top_sort = top_sort_key(argv[++i]);
				if (top_sort < 0)
					usage_error("top: --sort %s: sort by current, peak, name or events", argv[i]);
			} else if (argv[i][0] == '-') {
				bad_arguments(cmd, !strcmp(argv[i], "--sort") ? "missing the value of" :
					      "unknown option", argv[i]);
			} else if (!*cgroup) {
				cgroup = argv[i];
			} else {
				bad_arguments(cmd, "unexpected argument", argv[i]);
			}
		}
		/* top asks for samples of the subtree, again and again */
		json_object_object_add(req, "cmd", json_object_new_string("sample"));
		json_object_object_add(req, "subtree", json_object_new_boolean(1));
		json_object_object_add(req, "cgroups", json_object_new_array());
		json_object_array_add(json_object_object_get(req, "cgroups"), json_object_new_string(cgroup));
		top_request_files(req);
	} else if (!strcmp(cmd, "record")) {
		parse_record(argc, argv, req, &record_for_ns, &record_out);
	} else if (!strcmp(cmd, "plot")) {
		const char *csv = NULL, *svg = NULL;

		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "-o") && i + 1 < argc)
				svg = argv[++i];
			else if (argv[i][0] == '-' && argv[i][1])
				bad_arguments(cmd, !strcmp(argv[i], "-o") ? "missing the value of" :
					      "unknown option", argv[i]);
			else if (!csv)
				csv = argv[i];
			else
				bad_arguments(cmd, "unexpected argument", argv[i]);
		}
		if (!csv || !svg)
			bad_arguments(cmd, !csv ? "missing the CSV file" : "missing -o CHART.svg", NULL);
		json_object_put(req);
		/* the file alone: no daemon needed */
		return plot_csv(csv, svg);
	} else {
		bad_arguments(cmd, argc == 1 ? "missing argument" : "wrong arguments", NULL);
	}

	if (!mount) {
		found = find_mount();
		if (!found)
			die("%s", "no memcgfs mount found: start memcgfs, or name it with -m MOUNTPOINT");
		mount = found;
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
		bool as_json = false, all = false;

		for (int i = 1; i < argc; i++) {
			as_json |= !strcmp(argv[i], "--json");
			all |= !strcmp(argv[i], "--all");
		}
		/* on stderr: the events stay alone on stdout */
		fprintf(stderr, "%s: watching %s\n", progname, mount);
		watch_print(fd, &reader, as_json, all);
	} else if (!strcmp(cmd, "load")) {
		json_object_object_get_ex(reply, "tasks", &v);
		printf("%s: %s task(s) started\n", argv[1], json_object_get_string(v));
	} else if (!strcmp(cmd, "pressure")) {
		json_object_object_get_ex(reply, "reclaimed", &v);
		printf("reclaimed %s bytes", json_object_get_string(v));
		json_object_object_get_ex(reply, "killed", &v);
		printf(", %s OOM kill(s)\n", json_object_get_string(v));
	} else if (!strcmp(cmd, "top")) {
		ret = top_run(fd, &reader, req, reply, mount, top_sort);
	} else if (!strcmp(cmd, "record")) {
		FILE *out = record_out && strcmp(record_out, "-") ? fopen(record_out, "we") : stdout;

		if (!out)
			die("record: %s: %s", record_out, strerror(errno));
		/* on stderr, as watch says so: from now on no sample is missed */
		fprintf(stderr, "%s: recording %s\n", progname, mount);
		ret = record_print(fd, &reader, reply, out, record_for_ns);
		if (out != stdout && fclose(out) && !ret)
			die("record: %s: %s", record_out, strerror(errno));
	} else if (!strcmp(cmd, "stat")) {
		bool as_json = false;

		for (int i = 1; i < argc; i++)
			as_json |= !strcmp(argv[i], "--json");
		stat_tree(fd, &reader, reply, as_json);
	}
	json_object_put(reply);
	json_object_put(req);
	ctl_reader_free(&reader);
	close(fd);
	free(found);
	return ret;
}
