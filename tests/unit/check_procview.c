// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for run/procview.c: the /proc files a program run by
 * `memcgctl run` reads, made from the real ones. The inputs are lines as
 * this machine's kernel (6.18, a v1 host with a tmpfs at /sys/fs/cgroup)
 * printed them inside a run's mount namespace; the outputs are what a host
 * whose hierarchy is the memcgfs mount shows (show_mountinfo, show_vfsmnt,
 * proc_cgroup_show, proc_cgroupstats_show).
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "run/procview.h"

static const struct procview v2 = { .v1 = false };
static const struct procview v1 = { .v1 = true, .hierarchy = 4 };

/* The host's tmpfs and memory hierarchy, the mount itself, then the run's bind. */
static const char mountinfo_v2[] =
	"22 1 0:20 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
	"30 24 0:25 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"34 30 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"90 60 0:44 / /tmp/m rw,nosuid,nodev,relatime shared:7 - fuse.memcgfs memcgfs rw,user_id=0,group_id=0\n"
	"99 30 0:44 / /sys/fs/cgroup rw,nosuid,nodev,relatime - fuse.memcgfs memcgfs rw,user_id=0,group_id=0\n"
	"100 99 0:50 / /sys/fs/cgroup/later rw - tmpfs tmpfs rw\n";

START_TEST(test_mountinfo_v2)
{
	char *out = procview_mountinfo(&v2, mountinfo_v2);

	ck_assert_str_eq(out,
		"22 1 0:20 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
		"90 60 0:44 / /tmp/m rw,nosuid,nodev,relatime shared:7 - fuse.memcgfs memcgfs rw,user_id=0,group_id=0\n"
		"99 30 0:44 / /sys/fs/cgroup rw,nosuid,nodev,relatime - cgroup2 cgroup2 rw\n"
		"100 99 0:50 / /sys/fs/cgroup/later rw - tmpfs tmpfs rw\n");
	free(out);
}
END_TEST

START_TEST(test_mountinfo_v2_cgroupns)
{
	/* a bind of a cgroup of the mount: its root is still shown as / */
	char *out = procview_mountinfo(&v2,
		"30 24 0:25 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"99 30 0:44 /job /sys/fs/cgroup rw,nosuid shared:3 master:2 - fuse.memcgfs memcgfs rw,user_id=0\n");

	ck_assert_str_eq(out, "99 30 0:44 / /sys/fs/cgroup rw,nosuid shared:3 master:2 - cgroup2 cgroup2 rw\n");
	free(out);
}
END_TEST

START_TEST(test_mountinfo_v1)
{
	char *out = procview_mountinfo(&v1,
		"30 24 0:25 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		"34 30 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
		"98 30 0:45 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755\n"
		"99 98 0:44 / /sys/fs/cgroup/memory rw,nosuid,nodev,relatime - fuse.memcgfs memcgfs rw,user_id=0\n");

	ck_assert_str_eq(out,
		"98 30 0:45 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755\n"
		"99 98 0:44 / /sys/fs/cgroup/memory rw,nosuid,nodev,relatime - cgroup cgroup rw,memory\n");
	free(out);
}
END_TEST

START_TEST(test_mounts)
{
	char *out = procview_mounts(&v2,
		"proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
		"tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n"
		"cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0\n"
		"memcgfs /sys/fs/cgroup fuse.memcgfs rw,nosuid,nodev,relatime,user_id=1000,group_id=1000,"
		"default_permissions 0 0\n");

	ck_assert_str_eq(out,
		"proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
		"cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,relatime 0 0\n");
	free(out);
	out = procview_mounts(&v1,
		"tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n"
		"tmpfs /sys/fs/cgroup tmpfs rw,nosuid,nodev,noexec,relatime,mode=755 0 0\n"
		"memcgfs /sys/fs/cgroup/memory fuse.memcgfs rw,nosuid,nodev,relatime,user_id=0,group_id=0 0 0\n");
	ck_assert_str_eq(out,
		"tmpfs /sys/fs/cgroup tmpfs rw,nosuid,nodev,noexec,relatime,mode=755 0 0\n"
		"cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,nodev,relatime,memory 0 0\n");
	free(out);
}
END_TEST

/* kernfs_path_from_node(): a path from a namespace root, up with /.. */
START_TEST(test_relative)
{
	static const char *const cases[][3] = {
		{ "/job", "/", "/job" },
		{ "/", "/", "/" },
		{ "/job", "/job", "/" },
		{ "/job/a/b", "/job", "/a/b" },
		{ "/", "/job", "/.." },
		{ "/other", "/job", "/../other" },
		{ "/job2", "/job", "/../job2" },
		{ "/a/x", "/a/b/c", "/../../x" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = procview_relative(cases[i][0], cases[i][1]);

		ck_assert_msg(!strcmp(out, cases[i][2]), "%s from %s: %s, not %s", cases[i][0],
			      cases[i][1], out, cases[i][2]);
		free(out);
	}
}
END_TEST

START_TEST(test_cgroup)
{
	char *out = procview_cgroup(&v2, "/job", "/");

	ck_assert_str_eq(out, "0::/job\n");
	free(out);
	out = procview_cgroup(&v2, "/job/sub", "/job");
	ck_assert_str_eq(out, "0::/sub\n");
	free(out);
	out = procview_cgroup(&v1, "/job", "/");
	ck_assert_str_eq(out, "4:memory:/job\n");
	free(out);
}
END_TEST

static const char proc_cgroups[] =
	"#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
	"cpuset\t3\t1\t1\n"
	"cpu\t1\t1\t1\n"
	"memory\t4\t5\t1\n"
	"pids\t8\t1\t1\n";

START_TEST(test_cgroups)
{
	char *out = procview_cgroups(&v2, proc_cgroups, 3);

	ck_assert_str_eq(out,
		"#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		"cpuset\t0\t3\t1\n"
		"cpu\t0\t3\t1\n"
		"memory\t0\t3\t1\n"
		"pids\t0\t3\t1\n");
	free(out);
	out = procview_cgroups(&v1, proc_cgroups, 3);
	ck_assert_str_eq(out,
		"#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
		"cpuset\t3\t1\t1\n"
		"cpu\t1\t1\t1\n"
		"memory\t4\t3\t1\n"
		"pids\t8\t1\t1\n");
	free(out);
}
END_TEST

START_TEST(test_v1_hierarchy)
{
	/* the host's own memory hierarchy, or one no controller of a v2 host has */
	ck_assert_int_eq(procview_v1_hierarchy(proc_cgroups), 4);
	ck_assert_int_eq(procview_v1_hierarchy("#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
					       "cpu\t0\t9\t1\nmemory\t0\t9\t1\n"), 1);
	ck_assert_int_eq(procview_v1_hierarchy("cpu\t2\t9\t1\nmemory\t0\t9\t1\n"), 3);
}
END_TEST

static Suite *procview_suite(void)
{
	Suite *s = suite_create("procview");
	TCase *mounts = tcase_create("mounts"), *cgroup = tcase_create("cgroup");

	tcase_add_test(mounts, test_mountinfo_v2);
	tcase_add_test(mounts, test_mountinfo_v2_cgroupns);
	tcase_add_test(mounts, test_mountinfo_v1);
	tcase_add_test(mounts, test_mounts);
	tcase_add_test(cgroup, test_relative);
	tcase_add_test(cgroup, test_cgroup);
	tcase_add_test(cgroup, test_cgroups);
	tcase_add_test(cgroup, test_v1_hierarchy);
	suite_add_tcase(s, mounts);
	suite_add_tcase(s, cgroup);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(procview_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
