// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for the control protocol's line reader (ctl/proto.c) and the
 * stat reply written from a snapshot (ctl/snapshot.c): lines of any size,
 * and JSON that json-c reads back as the tree it came from, whatever the
 * cgroup names hold.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "alloc/alloc.h"
#include "ctl/proto.h"
#include "ctl/snapshot.h"
#include "engine/cgroup.h"

/* A file holding @len bytes of @text, read from its start: what a peer sent. */
static int fd_with(const char *text, size_t len)
{
	FILE *f = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

START_TEST(test_reader_long_line)
{
	size_t n = 3 << 20, i;
	char *text = malloc(n + 64);
	struct ctl_reader r = { 0 };
	struct json_object *o;
	int fd;

	/* {"s":"xxxx...."}\n then a second, short line */
	strcpy(text, "{\"s\":\"");
	for (i = 6; i < n; i++)
		text[i] = 'x';
	strcpy(text + n, "\"}  \n{\"b\":1}\n");
	fd = fd_with(text, strlen(text));
	ck_assert_int_eq(ctl_recv(fd, &r, 1000, &o), 0);
	ck_assert_uint_eq(strlen(json_object_get_string(json_object_object_get(o, "s"))), n - 6);
	json_object_put(o);
	ck_assert_int_eq(ctl_recv(fd, &r, 1000, &o), 0);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(o, "b")), 1);
	json_object_put(o);
	ck_assert_int_eq(ctl_recv(fd, &r, 1000, &o), -ECONNRESET);
	ctl_reader_free(&r);
	close(fd);
	free(text);
}
END_TEST

START_TEST(test_reader_limits)
{
	struct ctl_reader r = { .max = 100000 };
	char *text = calloc(1, 300000);
	struct json_object *o;
	int fd;

	/* not JSON, then JSON with a NUL inside its line */
	static const char lines[] = "nope\n{\"a\":1}\0x\n";

	fd = fd_with(lines, sizeof(lines) - 1);
	ck_assert_int_eq(ctl_recv(fd, &r, 1000, &o), -EPROTO);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(ctl_recv(fd, &r, 1000, &o), -EPROTO);
	ck_assert_int_eq(ctl_recv(fd, &r, 1000, &o), -ECONNRESET);
	close(fd);
	ctl_reader_free(&r);

	/* a line past the limit */
	memset(text, ' ', 299999);
	fd = fd_with(text, 299999);
	ck_assert_int_eq(ctl_recv(fd, &r, 1000, &o), -EMSGSIZE);
	close(fd);
	ctl_reader_free(&r);
	free(text);
}
END_TEST

START_TEST(test_reader_timeout)
{
	struct ctl_reader r = { 0 };
	struct json_object *o;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], "{\"a\"", 4), 4);
	ck_assert_int_eq(ctl_recv(fds[0], &r, 10, &o), -ETIMEDOUT);
	ck_assert_int_eq(write(fds[1], ":2}\n", 4), 4);
	ck_assert_int_eq(ctl_recv(fds[0], &r, 1000, &o), 0);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(o, "a")), 2);
	json_object_put(o);
	close(fds[0]);
	close(fds[1]);
	ctl_reader_free(&r);
}
END_TEST

static struct json_object *child(struct json_object *node, size_t i)
{
	return json_object_array_get_idx(json_object_object_get(node, "children"), i);
}

static const char *path_of(struct json_object *node)
{
	return json_object_get_string(json_object_object_get(node, "path"));
}

/*
 *   /
 *   ├── a "q\"b\\s\n"   (memory)
 *   │   └── c
 *   │       └── d
 *   └── e
 */
START_TEST(test_snapshot_tree)
{
	struct engine_config cfg = { .mode = CGROUP_V2, .ram_pages = 1 << 20, .nr_nodes = 1 };
	const char *odd = "q\"b\\s\x01";
	struct cgroup *a, *c, *d, *e, *q;
	struct tree_snapshot *snap;
	struct json_object *tree, *root, *line;
	struct alloc *al;
	char *text, *p;
	size_t len, lines = 0;
	char want[64];

	ck_assert_int_eq(alloc_create(&cfg, &al), 0);
	ck_assert_int_eq(cgroup_set_subtree_memory(al->engine, al->engine->root, true), 0);
	ck_assert_int_eq(cgroup_mkdir(al->engine, al->engine->root, "a", &a), 0);
	ck_assert_int_eq(cgroup_mkdir(al->engine, a, odd, &q), 0);
	ck_assert_int_eq(cgroup_mkdir(al->engine, a, "c", &c), 0);
	ck_assert_int_eq(cgroup_mkdir(al->engine, c, "d", &d), 0);
	ck_assert_int_eq(cgroup_mkdir(al->engine, al->engine->root, "e", &e), 0);
	ck_assert_int_eq(tree_snapshot_take_locked(al->engine, al->engine->root, &snap), 0);

	text = tree_snapshot_reply(snap, false, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(strlen(text), len);
	ck_assert_int_eq(text[len - 1], '\n');
	root = json_tokener_parse(text);
	ck_assert_ptr_nonnull(root);
	ck_assert(json_object_get_boolean(json_object_object_get(root, "ok")));
	tree = json_object_object_get(root, "tree");
	ck_assert_str_eq(path_of(tree), "/");
	ck_assert_str_eq(path_of(child(tree, 0)), "/a");
	snprintf(want, sizeof(want), "/a/%s", odd);
	ck_assert_str_eq(path_of(child(child(tree, 0), 0)), want);
	ck_assert_str_eq(path_of(child(child(tree, 0), 1)), "/a/c");
	ck_assert_str_eq(path_of(child(child(child(tree, 0), 1), 0)), "/a/c/d");
	ck_assert_str_eq(path_of(child(tree, 1)), "/e");
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(tree, "children")), 2);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(child(tree, 0), "max")), "max");
	ck_assert(json_object_object_get_ex(child(tree, 0), "events", NULL));
	json_object_put(root);
	free(text);

	/* a line per cgroup, parents first, with depths */
	text = tree_snapshot_reply(snap, true, &len);
	for (p = text; *p; p = strchr(p, '\n') + 1, lines++) {
		static const int depths[] = { -1, 0, 1, 2, 2, 3, 1 };

		line = json_tokener_parse(p);
		ck_assert_ptr_nonnull(line);
		if (lines == 0)
			ck_assert_int_eq(json_object_get_int(json_object_object_get(line, "nodes")), 6);
		else
			ck_assert_int_eq(json_object_get_int(json_object_object_get(line, "depth")),
					 depths[lines]);
		json_object_put(line);
	}
	ck_assert_uint_eq(lines, 7);
	free(text);
	tree_snapshot_free(snap);

	/* a subtree: depths from its top */
	ck_assert_int_eq(tree_snapshot_take_locked(al->engine, c, &snap), 0);
	text = tree_snapshot_reply(snap, false, &len);
	root = json_tokener_parse(text);
	tree = json_object_object_get(root, "tree");
	ck_assert_str_eq(path_of(tree), "/a/c");
	ck_assert_str_eq(path_of(child(tree, 0)), "/a/c/d");
	json_object_put(root);
	free(text);
	tree_snapshot_free(snap);
	alloc_destroy(al);
}
END_TEST

static Suite *ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc = tcase_create("reader");

	tcase_add_test(tc, test_reader_long_line);
	tcase_add_test(tc, test_reader_limits);
	tcase_add_test(tc, test_reader_timeout);
	suite_add_tcase(s, tc);
	tc = tcase_create("snapshot");
	tcase_add_test(tc, test_snapshot_tree);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ctl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
