// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for engine/page_counter.c (after the kernel's mm/page_counter.c):
 * the hierarchical charge with rollback, failcnt, the two watermarks, set_max, the clamp at zero,
 * protected-usage propagation and effective protection.
 *
 * Every counter tree is built on the stack by the fixture:
 *
 *	root			(the reclaim root in the protection tests)
 *	 `- mid
 *	     `- leaf
 *
 * Sizes are in pages; MB(x) is x MiB in 4 KiB pages.
 */
#include <errno.h>
#include <stdlib.h>

#include <check.h>

#include "engine/page_counter.h"

#define MB(x) ((unsigned long)(x) * 256UL)

static struct page_counter root, mid, leaf;

static void setup_tree(void)
{
	page_counter_init(&root, NULL, true);
	page_counter_init(&mid, &root, true);
	page_counter_init(&leaf, &mid, true);
}

/* ------------------------------------------------------------------ core */

START_TEST(test_init)
{
	ck_assert_uint_eq(leaf.usage, 0);
	ck_assert_uint_eq(leaf.max, PAGE_COUNTER_MAX);
	ck_assert_uint_eq(leaf.high, PAGE_COUNTER_MAX);
	ck_assert_uint_eq(leaf.min, 0);
	ck_assert_uint_eq(leaf.low, 0);
	ck_assert_uint_eq(leaf.watermark, 0);
	ck_assert_uint_eq(leaf.failcnt, 0);
	ck_assert_ptr_eq(leaf.parent, &mid);
	ck_assert_ptr_eq(root.parent, NULL);
	/* include/linux/page_counter.h: PAGE_COUNTER_MAX = LONG_MAX / PAGE_SIZE */
	ck_assert_uint_eq(PAGE_COUNTER_MAX, 2251799813685247UL);
}
END_TEST

START_TEST(test_try_charge_walks_to_root)
{
	struct page_counter *fail = (struct page_counter *)1;

	ck_assert(page_counter_try_charge(&leaf, 100, &fail));
	ck_assert_uint_eq(leaf.usage, 100);
	ck_assert_uint_eq(mid.usage, 100);
	ck_assert_uint_eq(root.usage, 100);
	/* untouched on success */
	ck_assert_ptr_eq(fail, (struct page_counter *)1);

	ck_assert(page_counter_try_charge(&mid, 7, &fail));
	ck_assert_uint_eq(leaf.usage, 100);
	ck_assert_uint_eq(mid.usage, 107);
	ck_assert_uint_eq(root.usage, 107);
}
END_TEST

START_TEST(test_charge_ignores_max)
{
	leaf.max = 10;
	mid.max = 10;
	page_counter_charge(&leaf, 25);
	ck_assert_uint_eq(leaf.usage, 25);
	ck_assert_uint_eq(mid.usage, 25);
	ck_assert_uint_eq(root.usage, 25);
	ck_assert_uint_eq(leaf.watermark, 25);
	ck_assert_uint_eq(mid.failcnt, 0);
	ck_assert_uint_eq(page_counter_margin(&leaf), 0);
}
END_TEST

START_TEST(test_uncharge_clamps_at_zero)
{
	page_counter_charge(&leaf, 10);
	page_counter_charge(&mid, 5);
	/* more than leaf has: leaf clamps at 0, ancestors lose the full 12 */
	page_counter_uncharge(&leaf, 12);
	ck_assert_uint_eq(leaf.usage, 0);
	ck_assert_uint_eq(mid.usage, 3);
	ck_assert_uint_eq(root.usage, 3);
	page_counter_uncharge(&leaf, 100);
	ck_assert_uint_eq(leaf.usage, 0);
	ck_assert_uint_eq(mid.usage, 0);
	ck_assert_uint_eq(root.usage, 0);
	/* watermarks never go down on uncharge */
	ck_assert_uint_eq(mid.watermark, 15);
}
END_TEST

START_TEST(test_margin)
{
	leaf.max = 100;
	page_counter_charge(&leaf, 30);
	ck_assert_uint_eq(page_counter_margin(&leaf), 70);
	page_counter_charge(&leaf, 80);
	ck_assert_uint_eq(page_counter_margin(&leaf), 0);
}
END_TEST

/* ---------------------------------------------------------------- limits */

START_TEST(test_rollback_at_middle)
{
	struct page_counter *fail = NULL;

	mid.max = 100;
	ck_assert(page_counter_try_charge(&leaf, 60, &fail));
	ck_assert(page_counter_try_charge(&mid, 30, &fail));

	/* 90 + 11 > 100: the middle refuses, leaf's charge is undone */
	ck_assert(!page_counter_try_charge(&leaf, 11, &fail));
	ck_assert_ptr_eq(fail, &mid);
	ck_assert_uint_eq(leaf.usage, 60);
	ck_assert_uint_eq(mid.usage, 90);
	ck_assert_uint_eq(root.usage, 90);
	/*
	 * As in the kernel, levels below the refusing one were charged
	 * before the refusal and keep the watermark they reached (71);
	 * the refusing level and those above never saw the charge.
	 */
	ck_assert_uint_eq(leaf.watermark, 71);
	ck_assert_uint_eq(leaf.local_watermark, 71);
	ck_assert_uint_eq(mid.watermark, 90);
	ck_assert_uint_eq(root.watermark, 90);

	/* exactly up to max is allowed */
	ck_assert(page_counter_try_charge(&leaf, 10, &fail));
	ck_assert_uint_eq(mid.usage, 100);
	ck_assert_uint_eq(root.usage, 100);
	ck_assert_uint_eq(leaf.usage, 70);
}
END_TEST

START_TEST(test_rollback_at_root_and_leaf)
{
	struct page_counter *fail = NULL;

	root.max = 50;
	ck_assert(!page_counter_try_charge(&leaf, 51, &fail));
	ck_assert_ptr_eq(fail, &root);
	ck_assert_uint_eq(leaf.usage, 0);
	ck_assert_uint_eq(mid.usage, 0);
	ck_assert_uint_eq(root.usage, 0);

	/* the lowest refusing level is reported, higher ones are not tried */
	leaf.max = 20;
	mid.max = 10;
	ck_assert(!page_counter_try_charge(&leaf, 21, &fail));
	ck_assert_ptr_eq(fail, &leaf);
	ck_assert(!page_counter_try_charge(&leaf, 15, &fail));
	ck_assert_ptr_eq(fail, &mid);
	ck_assert_uint_eq(leaf.usage, 0);
	ck_assert_uint_eq(mid.usage, 0);
	ck_assert_uint_eq(root.usage, 0);
}
END_TEST

START_TEST(test_failcnt_only_when_tracked)
{
	struct page_counter *fail;

	mid.max = 10;
	ck_assert(!page_counter_try_charge(&leaf, 11, &fail));
	ck_assert_uint_eq(mid.failcnt, 0);
	ck_assert_uint_eq(leaf.failcnt, 0);

	mid.track_failcnt = true;
	leaf.track_failcnt = true;
	ck_assert(!page_counter_try_charge(&leaf, 11, &fail));
	ck_assert(!page_counter_try_charge(&leaf, 12, &fail));
	/* the increment lands on the counter that hit its max (page_counter_try_charge) */
	ck_assert_uint_eq(mid.failcnt, 2);
	ck_assert_uint_eq(leaf.failcnt, 0);
	ck_assert_uint_eq(root.failcnt, 0);
	/* success and forced charges never count */
	ck_assert(page_counter_try_charge(&leaf, 10, &fail));
	page_counter_charge(&leaf, 5);
	ck_assert_uint_eq(mid.failcnt, 2);
}
END_TEST

START_TEST(test_set_max)
{
	page_counter_charge(&leaf, 100);
	ck_assert_int_eq(page_counter_set_max(&leaf, 99), -EBUSY);
	ck_assert_uint_eq(leaf.max, PAGE_COUNTER_MAX);
	ck_assert_int_eq(page_counter_set_max(&leaf, 100), 0);
	ck_assert_uint_eq(leaf.max, 100);
	ck_assert_int_eq(page_counter_set_max(&leaf, 1000), 0);
	ck_assert_uint_eq(leaf.max, 1000);
	/* the parent's usage includes the child's */
	ck_assert_int_eq(page_counter_set_max(&mid, 50), -EBUSY);
	ck_assert_uint_eq(mid.max, PAGE_COUNTER_MAX);
	ck_assert_int_eq(page_counter_set_max(&mid, PAGE_COUNTER_MAX), 0);
}
END_TEST

/* ------------------------------------------------------------ watermarks */

START_TEST(test_watermarks)
{
	struct page_counter *fail;

	ck_assert(page_counter_try_charge(&leaf, 40, &fail));
	page_counter_uncharge(&leaf, 30);
	ck_assert_uint_eq(leaf.watermark, 40);
	ck_assert_uint_eq(leaf.local_watermark, 40);

	/* memory.peak fd reset: only the local watermark follows usage */
	leaf.local_watermark = leaf.usage;
	ck_assert(page_counter_try_charge(&leaf, 5, &fail));
	ck_assert_uint_eq(leaf.usage, 15);
	ck_assert_uint_eq(leaf.local_watermark, 15);
	ck_assert_uint_eq(leaf.watermark, 40);

	ck_assert(page_counter_try_charge(&leaf, 30, &fail));
	ck_assert_uint_eq(leaf.local_watermark, 45);
	ck_assert_uint_eq(leaf.watermark, 45);
	ck_assert_uint_eq(mid.watermark, 45);
	ck_assert_uint_eq(root.watermark, 45);

	/* v1 max_usage_in_bytes write: both := usage */
	page_counter_uncharge(&leaf, 45);
	page_counter_charge(&leaf, 3);
	page_counter_reset_watermark(&leaf);
	ck_assert_uint_eq(leaf.watermark, 3);
	ck_assert_uint_eq(leaf.local_watermark, 3);
	ck_assert_uint_eq(mid.watermark, 45);
}
END_TEST

/* ----------------------------------------------------- protected usage */

START_TEST(test_protected_usage_propagation)
{
	struct page_counter c2;

	page_counter_init(&c2, &mid, true);
	page_counter_set_min(&leaf, 100);
	page_counter_set_low(&leaf, 30);
	/* nothing used yet: nothing protected */
	ck_assert_uint_eq(mid.children_min_usage, 0);
	ck_assert_uint_eq(mid.children_low_usage, 0);

	page_counter_charge(&leaf, 50);
	ck_assert_uint_eq(leaf.min_usage, 50);
	ck_assert_uint_eq(leaf.low_usage, 30);
	ck_assert_uint_eq(mid.children_min_usage, 50);
	ck_assert_uint_eq(mid.children_low_usage, 30);

	page_counter_set_min(&c2, 20);
	page_counter_charge(&c2, 80);
	ck_assert_uint_eq(mid.children_min_usage, 70);
	ck_assert_uint_eq(mid.children_low_usage, 30);
	/* mid has no protection of its own: reports nothing to root */
	ck_assert_uint_eq(root.children_min_usage, 0);

	page_counter_charge(&leaf, 100);
	ck_assert_uint_eq(mid.children_min_usage, 120);
	page_counter_uncharge(&leaf, 120);	/* leaf now 30 */
	ck_assert_uint_eq(mid.children_min_usage, 50);
	ck_assert_uint_eq(mid.children_low_usage, 30);

	/* changing the setting re-propagates at once */
	page_counter_set_min(&leaf, 10);
	ck_assert_uint_eq(mid.children_min_usage, 30);
	page_counter_set_low(&leaf, 0);
	ck_assert_uint_eq(mid.children_low_usage, 0);

	/* a middle setting is reported to root */
	page_counter_set_min(&mid, 1000);
	ck_assert_uint_eq(root.children_min_usage, 110);

	/* a failed try_charge leaves the sums as they were */
	{
		struct page_counter *fail;

		mid.max = 110;
		ck_assert(!page_counter_try_charge(&leaf, 5, &fail));
		ck_assert_ptr_eq(fail, &mid);
		ck_assert_uint_eq(mid.children_min_usage, 30);
		ck_assert_uint_eq(root.children_min_usage, 110);
	}

	page_counter_uncharge(&leaf, 30);
	page_counter_uncharge(&c2, 80);
	ck_assert_uint_eq(mid.children_min_usage, 0);
	ck_assert_uint_eq(mid.children_low_usage, 0);
	ck_assert_uint_eq(root.children_min_usage, 0);
}
END_TEST

START_TEST(test_no_propagation_without_support)
{
	struct page_counter r, c;

	page_counter_init(&r, NULL, false);
	page_counter_init(&c, &r, false);
	page_counter_set_min(&c, 100);
	page_counter_set_low(&c, 100);
	page_counter_charge(&c, 50);
	ck_assert_uint_eq(r.children_min_usage, 0);
	ck_assert_uint_eq(r.children_low_usage, 0);
	ck_assert_uint_eq(c.min_usage, 0);
}
END_TEST

/* ------------------------------------------------------------ protection */

/*
 * The selftest tree (test_memcontrol.c's test_memcg_protection), as counters:
 *
 *	R (reclaim root)
 *	 `- P   min = low = 50M, usage 150M
 *	     |- C  prot  75M, usage 50M
 *	     |- D  prot  25M, usage 50M
 *	     |- E  prot   0,  usage 50M
 *	     `- F  prot 500M, usage 0
 *
 * siblings_prot = 50M + 25M + 0 + 0 = 75M > P's 50M: overcommit, so each
 * child gets prot * 50M / 75M, in integer pages.
 */
static struct page_counter P, kids[4];
static const unsigned long kid_prot[4] = { MB(75), MB(25), 0, MB(500) };
static const unsigned long kid_usage[4] = { MB(50), MB(50), MB(50), 0 };

static void build_selftest_tree(bool low)
{
	int i;

	page_counter_init(&P, &root, true);
	if (low)
		page_counter_set_low(&P, MB(50));
	else
		page_counter_set_min(&P, MB(50));
	for (i = 0; i < 4; i++) {
		page_counter_init(&kids[i], &P, true);
		if (low)
			page_counter_set_low(&kids[i], kid_prot[i]);
		else
			page_counter_set_min(&kids[i], kid_prot[i]);
		page_counter_charge(&kids[i], kid_usage[i]);
	}
}

static void calc_tree(bool recursive)
{
	int i;

	page_counter_calculate_protection(&root, &root, recursive);
	page_counter_calculate_protection(&root, &P, recursive);
	for (i = 0; i < 4; i++)
		page_counter_calculate_protection(&root, &kids[i], recursive);
}

START_TEST(test_protection_selftest_tree_min)
{
	build_selftest_tree(false);
	ck_assert_uint_eq(P.usage, MB(150));
	ck_assert_uint_eq(P.children_min_usage, MB(75));
	ck_assert_uint_eq(root.children_min_usage, MB(50));

	calc_tree(false);
	/* parent == reclaim root: the setting itself */
	ck_assert_uint_eq(P.emin, MB(50));
	ck_assert_uint_eq(P.elow, 0);
	/* 12800 * 12800 / 19200 = 8533 (33.33M); 6400 * 12800 / 19200 = 4266 (16.66M) */
	ck_assert_uint_eq(kids[0].emin, 8533);
	ck_assert_uint_eq(kids[1].emin, 4266);
	ck_assert_uint_eq(kids[2].emin, 0);
	ck_assert_uint_eq(kids[3].emin, 0);	/* empty: left as it was */
	ck_assert_uint_eq(kids[0].elow, 0);
	/* the reclaim root's own values are not computed */
	ck_assert_uint_eq(root.emin, 0);

	/* recursive protection changes nothing under overcommit */
	calc_tree(true);
	ck_assert_uint_eq(kids[0].emin, 8533);
	ck_assert_uint_eq(kids[1].emin, 4266);
	ck_assert_uint_eq(kids[2].emin, 0);
}
END_TEST

START_TEST(test_protection_selftest_tree_low)
{
	build_selftest_tree(true);
	ck_assert_uint_eq(P.children_low_usage, MB(75));
	calc_tree(false);
	ck_assert_uint_eq(P.elow, MB(50));
	ck_assert_uint_eq(P.emin, 0);
	ck_assert_uint_eq(kids[0].elow, 8533);
	ck_assert_uint_eq(kids[1].elow, 4266);
	ck_assert_uint_eq(kids[2].elow, 0);
	ck_assert_uint_eq(kids[3].elow, 0);
	ck_assert_uint_eq(kids[0].emin, 0);
}
END_TEST

START_TEST(test_protection_not_overcommitted)
{
	/* P 100M protected, children claim 30M + 20M: each keeps its own */
	struct page_counter c1, c2;

	page_counter_init(&P, &root, true);
	page_counter_init(&c1, &P, true);
	page_counter_init(&c2, &P, true);
	page_counter_set_min(&P, MB(100));
	page_counter_set_min(&c1, MB(30));
	page_counter_set_min(&c2, MB(40));
	page_counter_charge(&c1, MB(60));
	page_counter_charge(&c2, MB(20));	/* only 20M of 40M used */
	ck_assert_uint_eq(P.children_min_usage, MB(50));

	page_counter_calculate_protection(&root, &P, false);
	page_counter_calculate_protection(&root, &c1, false);
	page_counter_calculate_protection(&root, &c2, false);
	ck_assert_uint_eq(P.emin, MB(100));
	ck_assert_uint_eq(c1.emin, MB(30));
	ck_assert_uint_eq(c2.emin, MB(20));
}
END_TEST

START_TEST(test_protection_recursive_floating_share)
{
	/*
	 * P: low 1000, usage 1001 (C 700 + D 301).
	 * C: low 300 -> protected 300; D: low 0.
	 * unclaimed = 1000 - 300 = 700, spread over unprotected usage:
	 *   C: 300 + 700 * (700 - 300) / (1001 - 300) = 300 + 280000 / 701 = 699
	 *   D:   0 + 700 * 301 / 701 = 210700 / 701 = 300
	 */
	struct page_counter c, d;

	page_counter_init(&P, &root, true);
	page_counter_init(&c, &P, true);
	page_counter_init(&d, &P, true);
	page_counter_set_low(&P, 1000);
	page_counter_set_low(&c, 300);
	page_counter_charge(&c, 700);
	page_counter_charge(&d, 301);
	ck_assert_uint_eq(P.children_low_usage, 300);

	page_counter_calculate_protection(&root, &P, true);
	page_counter_calculate_protection(&root, &c, true);
	page_counter_calculate_protection(&root, &d, true);
	ck_assert_uint_eq(P.elow, 1000);
	ck_assert_uint_eq(c.elow, 699);
	ck_assert_uint_eq(d.elow, 300);

	/* without memory_recursiveprot: only the explicit protection */
	page_counter_calculate_protection(&root, &c, false);
	page_counter_calculate_protection(&root, &d, false);
	ck_assert_uint_eq(c.elow, 300);
	ck_assert_uint_eq(d.elow, 0);

	/* the selftest numbers with whole MiB: P 60M of 100M, C low 20M of 50M, D 50M */
	page_counter_uncharge(&c, 700);
	page_counter_uncharge(&d, 301);
	page_counter_set_low(&P, MB(60));
	page_counter_set_low(&c, MB(20));
	page_counter_charge(&c, MB(50));
	page_counter_charge(&d, MB(50));
	page_counter_calculate_protection(&root, &P, true);
	page_counter_calculate_protection(&root, &c, true);
	page_counter_calculate_protection(&root, &d, true);
	ck_assert_uint_eq(c.elow, MB(35));	/* 20 + 40 * 30 / 80 */
	ck_assert_uint_eq(d.elow, MB(25));	/*  0 + 40 * 50 / 80 */
}
END_TEST

START_TEST(test_protection_reclaim_root_below)
{
	/* reclaim rooted at mid: mid is skipped, leaf (parent == root) gets its setting */
	page_counter_set_min(&mid, 5);
	page_counter_set_min(&leaf, 400);
	page_counter_charge(&leaf, 100);
	mid.emin = 77;	/* stale: must stay untouched */
	page_counter_calculate_protection(&mid, &mid, false);
	page_counter_calculate_protection(&mid, &leaf, false);
	ck_assert_uint_eq(mid.emin, 77);
	ck_assert_uint_eq(leaf.emin, 400);	/* not clamped by usage */

	/* rooted at root: leaf's 100 protected > mid's 5 -> 100 * 5 / 100 */
	page_counter_calculate_protection(&root, &mid, false);
	ck_assert_uint_eq(mid.emin, 5);
	page_counter_calculate_protection(&root, &leaf, false);
	ck_assert_uint_eq(leaf.emin, 5);
}
END_TEST

START_TEST(test_protection_empty_is_stale)
{
	page_counter_set_min(&mid, 100);
	page_counter_set_min(&leaf, 50);
	leaf.emin = 42;
	page_counter_calculate_protection(&root, &mid, false);
	page_counter_calculate_protection(&root, &leaf, false);
	/* mid empty as well: stays 0 as initialised; leaf keeps its stale 42 */
	ck_assert_uint_eq(mid.emin, 0);
	ck_assert_uint_eq(leaf.emin, 42);
}
END_TEST

static Suite *page_counter_suite(void)
{
	Suite *s = suite_create("page_counter");
	TCase *tc;

	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup_tree, NULL);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_try_charge_walks_to_root);
	tcase_add_test(tc, test_charge_ignores_max);
	tcase_add_test(tc, test_uncharge_clamps_at_zero);
	tcase_add_test(tc, test_margin);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup_tree, NULL);
	tcase_add_test(tc, test_rollback_at_middle);
	tcase_add_test(tc, test_rollback_at_root_and_leaf);
	tcase_add_test(tc, test_failcnt_only_when_tracked);
	tcase_add_test(tc, test_set_max);
	suite_add_tcase(s, tc);

	tc = tcase_create("watermarks");
	tcase_add_checked_fixture(tc, setup_tree, NULL);
	tcase_add_test(tc, test_watermarks);
	suite_add_tcase(s, tc);

	tc = tcase_create("protection");
	tcase_add_checked_fixture(tc, setup_tree, NULL);
	tcase_add_test(tc, test_protected_usage_propagation);
	tcase_add_test(tc, test_no_propagation_without_support);
	tcase_add_test(tc, test_protection_selftest_tree_min);
	tcase_add_test(tc, test_protection_selftest_tree_low);
	tcase_add_test(tc, test_protection_not_overcommitted);
	tcase_add_test(tc, test_protection_recursive_floating_share);
	tcase_add_test(tc, test_protection_reclaim_root_below);
	tcase_add_test(tc, test_protection_empty_is_stale);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(page_counter_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
