// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for engine/memparse.c. Every expected value in the
 * "page_counter_memparse" and "kstrto" tables was read back from a live
 * Linux 6.18 kernel: each input written with one write(2) to
 * memory.soft_limit_in_bytes / memory.limit_in_bytes (strstrip, then
 * page_counter_memparse(buf, "-1")) and memory.swappiness (kstrtoull base 0
 * on the raw buffer, then > 200 is -EINVAL) of a cgroup v1 child. The
 * v1 tables keep the bytes the kernel showed on read-back; pages are those
 * divided by 4096.
 *
 * Inputs are byte strings with a length, so a NUL in the middle can be
 * written; the harness appends a NUL as kernfs does.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "engine/memparse.h"

#define IN(lit) lit, sizeof(lit) - 1

/* What memory.limit_in_bytes reads back at PAGE_COUNTER_MAX. */
#define V1_UNLIMITED 9223372036854771712ULL
#define SENTINEL_PAGES 12345UL

/* Copy a write(2) payload into a NUL-terminated buffer, as kernfs does. */
static char *kernfs_buf(char *buf, size_t size, const char *bytes, size_t len)
{
	ck_assert_uint_lt(len, size);
	memcpy(buf, bytes, len);
	buf[len] = '\0';
	return buf;
}

/* The v1 limit write path: mem_cgroup_write(). */
static int v1_limit_write(const char *bytes, size_t len, unsigned long *nr_pages)
{
	char buf[64];

	return page_counter_memparse(strstrip(kernfs_buf(buf, sizeof(buf), bytes, len)),
				     "-1", nr_pages);
}

/* ------------------------------------------------------------------ memparse */

struct memparse_case {
	const char *in;
	uint64_t value;
	size_t consumed;
};

static const struct memparse_case memparse_cases[] = {
	{ "1k", 1ULL << 10, 2 },
	{ "1K", 1ULL << 10, 2 },
	{ "1m", 1ULL << 20, 2 },
	{ "1M", 1ULL << 20, 2 },
	{ "1g", 1ULL << 30, 2 },
	{ "1G", 1ULL << 30, 2 },
	{ "1t", 1ULL << 40, 2 },
	{ "1T", 1ULL << 40, 2 },
	{ "1p", 1ULL << 50, 2 },
	{ "1P", 1ULL << 50, 2 },
	{ "1e", 1ULL << 60, 2 },
	{ "1E", 1ULL << 60, 2 },
	/* after 0x, e/E are hex digits, not the exa suffix */
	{ "0x1e", 30, 4 },
	{ "0x1E", 30, 4 },
	{ "0x1E0", 480, 5 },
	{ "0x1e000", 0x1e000, 7 },
	{ "0xek", 14ULL << 10, 4 },
	{ "0x1g", 1ULL << 30, 4 },
	{ "0X1G", 1ULL << 30, 4 },
	{ "0x1p", 1ULL << 50, 4 },
	{ "0x10", 16, 4 },
	/* octal */
	{ "010k", 8192, 4 },
	{ "010", 8, 3 },
	{ "08", 0, 1 },
	{ "0", 0, 1 },
	/* "0x" without a hex digit is octal 0 followed by 'x' */
	{ "0x", 0, 1 },
	{ "0xg", 0, 1 },
	{ "0x\n", 0, 1 },
	{ "00x10", 0, 2 },
	/* wrap modulo 2^64, in the digits and in the shift */
	{ "16E", 0, 3 },
	{ "8E", 1ULL << 63, 2 },
	{ "7E", 7ULL << 60, 2 },
	{ "16384P", 0, 6 },
	{ "99999999999999999999", 7766279631452241919ULL, 20 },
	{ "18446744073709551615", UINT64_MAX, 20 },
	{ "18446744073709551616", 0, 20 },
	{ "0xffffffffffffffff", UINT64_MAX, 18 },
	{ "0x1ffffffffffffffff", UINT64_MAX, 19 },
	{ "9223372036854775808", 1ULL << 63, 19 },
	/* partial parses: the caller sees the leftover */
	{ "-1", 0, 0 },
	{ "-2", 0, 0 },
	{ "+4096", 0, 0 },
	{ " 30M", 0, 0 },
	{ "1.5M", 1, 1 },
	{ "1Mb", 1ULL << 20, 2 },
	{ "1KB", 1ULL << 10, 2 },
	{ "1kk", 1ULL << 10, 2 },
	{ "10 M", 10, 2 },
	{ "1e0", 1ULL << 60, 2 },
	{ "x", 0, 0 },
	{ "", 0, 0 },
	/* a bare suffix is consumed: no digits, value 0 */
	{ "m", 0, 1 },
	{ "k", 0, 1 },
	{ "max", 0, 1 },
	{ "4095", 4095, 4 },
	{ "4096\n", 4096, 4 },
};

START_TEST(test_memparse_table)
{
	const struct memparse_case *c = &memparse_cases[_i];
	const char *end = NULL;

	ck_assert_uint_eq(memparse(c->in, &end), c->value);
	ck_assert_ptr_nonnull(end);
	ck_assert_uint_eq((size_t)(end - c->in), c->consumed);
}
END_TEST

START_TEST(test_memparse_null_end)
{
	ck_assert_uint_eq(memparse("2M", NULL), 2ULL << 20);
	ck_assert_uint_eq(memparse("junk", NULL), 0);
}
END_TEST

/* ----------------------------------------------------- page_counter_memparse */

struct limit_case {
	const char *in;
	size_t len;
	int ret;
	unsigned long long read_back;	/* bytes shown by the kernel; 0 on error */
};

/* Written to memory.soft_limit_in_bytes and memory.limit_in_bytes: same results. */
static const struct limit_case v1_limit_cases[] = {
	{ IN("1k"), 0, 0 },
	{ IN("1K"), 0, 0 },
	{ IN("1m"), 0, 1048576 },
	{ IN("1M"), 0, 1048576 },
	{ IN("1g"), 0, 1073741824 },
	{ IN("1G"), 0, 1073741824 },
	{ IN("1t"), 0, 1099511627776ULL },
	{ IN("1T"), 0, 1099511627776ULL },
	{ IN("1p"), 0, 1125899906842624ULL },
	{ IN("1P"), 0, 1125899906842624ULL },
	{ IN("1e"), 0, 1152921504606846976ULL },
	{ IN("1E"), 0, 1152921504606846976ULL },
	{ IN("0x1e"), 0, 0 },
	{ IN("0x1E"), 0, 0 },
	{ IN("0x1E0"), 0, 0 },
	{ IN("0x1e000"), 0, 122880 },
	{ IN("0x1E000"), 0, 122880 },
	{ IN("0x1e00e"), 0, 122880 },
	{ IN("0xe"), 0, 0 },
	{ IN("0xek"), 0, 12288 },
	{ IN("0x1g"), 0, 1073741824 },
	{ IN("0X1G"), 0, 1073741824 },
	{ IN("0x1p"), 0, 1125899906842624ULL },
	{ IN("0x10"), 0, 0 },
	{ IN("010k"), 0, 8192 },
	{ IN("010"), 0, 0 },
	{ IN("0"), 0, 0 },
	{ IN("08"), -EINVAL, 0 },
	{ IN("0x"), -EINVAL, 0 },
	{ IN("0xg"), -EINVAL, 0 },
	{ IN("0x\n"), -EINVAL, 0 },
	{ IN("00x10"), -EINVAL, 0 },
	{ IN("16E"), 0, 0 },
	{ IN("8E"), 0, V1_UNLIMITED },
	{ IN("7E"), 0, 8070450532247928832ULL },
	{ IN("16384P"), 0, 0 },
	{ IN("99999999999999999999"), 0, 7766279631452237824ULL },
	{ IN("18446744073709551615"), 0, V1_UNLIMITED },
	{ IN("18446744073709551616"), 0, 0 },
	{ IN("9223372036854775807"), 0, V1_UNLIMITED },
	{ IN("9223372036854775808"), 0, V1_UNLIMITED },
	{ IN("9223372036854771712"), 0, V1_UNLIMITED },
	{ IN("9223372036854771711"), 0, 9223372036854767616ULL },
	{ IN("0xffffffffffffffff"), 0, V1_UNLIMITED },
	{ IN("0x1ffffffffffffffff"), 0, V1_UNLIMITED },
	{ IN("-1"), 0, V1_UNLIMITED },
	{ IN("-1\n"), 0, V1_UNLIMITED },
	{ IN(" -1 "), 0, V1_UNLIMITED },
	{ IN("max"), -EINVAL, 0 },
	{ IN("+4096"), -EINVAL, 0 },
	{ IN("-2"), -EINVAL, 0 },
	{ IN("1.5M"), -EINVAL, 0 },
	{ IN("1Mb"), -EINVAL, 0 },
	{ IN("1KB"), -EINVAL, 0 },
	{ IN("1kk"), -EINVAL, 0 },
	{ IN("10 M"), -EINVAL, 0 },
	{ IN("1e0"), -EINVAL, 0 },
	{ IN("x"), -EINVAL, 0 },
	{ IN(" 30M\n"), 0, 31457280 },
	{ IN("30M\n"), 0, 31457280 },
	{ IN("\t30M\t"), 0, 31457280 },
	{ IN("\v30M\f"), 0, 31457280 },
	{ IN("\r30M\r"), 0, 31457280 },
	{ IN("\xa0" "30M"), 0, 31457280 },
	{ IN("30M\xa0"), 0, 31457280 },
	{ IN("4096\n\n"), 0, 4096 },
	{ IN("4095"), 0, 0 },
	{ IN("4096"), 0, 4096 },
	{ IN("8191"), 0, 4096 },
	{ IN("m"), 0, 0 },
	{ IN("k"), 0, 0 },
	/* whitespace-only writes strip to "" and set 0 */
	{ IN("\n"), 0, 0 },
	{ IN(" "), 0, 0 },
	{ IN("\t"), 0, 0 },
	/* a NUL ends the string: the rest of the write is ignored */
	{ IN("30M\0junk"), 0, 31457280 },
	{ IN("\0" "30M"), 0, 0 },
};

START_TEST(test_v1_limit_write)
{
	const struct limit_case *c = &v1_limit_cases[_i];
	unsigned long pages = SENTINEL_PAGES;

	ck_assert_int_eq(v1_limit_write(c->in, c->len, &pages), c->ret);
	if (c->ret == 0)
		ck_assert_uint_eq(pages, c->read_back / 4096);
	else
		ck_assert_uint_eq(pages, SENTINEL_PAGES);
}
END_TEST

/*
 * One byte before "8k": the kernel strips exactly \t \n \v \f \r ' ' and
 * 0xA0; every other probed byte is left in place and rejected.
 */
static const unsigned char prefix_bytes[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
	0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
	0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x7f,
	0x80, 0x85, 0x9f, 0xa0, 0xa1, 0xff,
};

START_TEST(test_v1_limit_whitespace_prefix)
{
	unsigned char b = prefix_bytes[_i];
	char in[3] = { (char)b, '8', 'k' };
	unsigned long pages = SENTINEL_PAGES;
	int is_space = (b >= 0x09 && b <= 0x0d) || b == 0x20 || b == 0xa0;

	ck_assert_int_eq(v1_limit_write(in, sizeof(in), &pages), is_space ? 0 : -EINVAL);
	ck_assert_uint_eq(pages, is_space ? 2 : SENTINEL_PAGES);
}
END_TEST

START_TEST(test_pcm_max_word)
{
	unsigned long pages = SENTINEL_PAGES;

	ck_assert_uint_eq(PAGE_COUNTER_MAX, 2251799813685247ULL);
	ck_assert_uint_eq((unsigned long long)PAGE_COUNTER_MAX * 4096, V1_UNLIMITED);

	/* v2: "max" is the word, "-1" is junk */
	ck_assert_int_eq(page_counter_memparse("max", "max", &pages), 0);
	ck_assert_uint_eq(pages, PAGE_COUNTER_MAX);
	pages = SENTINEL_PAGES;
	ck_assert_int_eq(page_counter_memparse("-1", "max", &pages), -EINVAL);
	ck_assert_uint_eq(pages, SENTINEL_PAGES);
	ck_assert_int_eq(page_counter_memparse("MAX", "max", &pages), -EINVAL);
	ck_assert_int_eq(page_counter_memparse("max\n", "max", &pages), -EINVAL);
	ck_assert_uint_eq(pages, SENTINEL_PAGES);

	/* v1: "-1" is the word, "max" is junk */
	ck_assert_int_eq(page_counter_memparse("-1", "-1", &pages), 0);
	ck_assert_uint_eq(pages, PAGE_COUNTER_MAX);
	pages = SENTINEL_PAGES;
	ck_assert_int_eq(page_counter_memparse("max", "-1", &pages), -EINVAL);
	ck_assert_int_eq(page_counter_memparse("-1 ", "-1", &pages), -EINVAL);
	ck_assert_uint_eq(pages, SENTINEL_PAGES);
}
END_TEST

START_TEST(test_pcm_direct)
{
	unsigned long pages = SENTINEL_PAGES;

	/*
	 * A zero-length write never reaches the parser (kernfs returns 0 and
	 * changes nothing); called directly, "" parses as 0 pages.
	 */
	ck_assert_int_eq(page_counter_memparse("", "max", &pages), 0);
	ck_assert_uint_eq(pages, 0);

	/* the stripped-buffer contract: no whitespace handling inside */
	pages = SENTINEL_PAGES;
	ck_assert_int_eq(page_counter_memparse("30M\n", "max", &pages), -EINVAL);
	ck_assert_int_eq(page_counter_memparse(" 30M", "max", &pages), -EINVAL);
	ck_assert_uint_eq(pages, SENTINEL_PAGES);

	ck_assert_int_eq(page_counter_memparse("99999999999999999999", "-1", &pages), 0);
	ck_assert_uint_eq(pages, 7766279631452237824ULL / 4096);
	ck_assert_int_eq(page_counter_memparse("16E", "max", &pages), 0);
	ck_assert_uint_eq(pages, 0);
	ck_assert_int_eq(page_counter_memparse("8E", "max", &pages), 0);
	ck_assert_uint_eq(pages, PAGE_COUNTER_MAX);
	ck_assert_int_eq(page_counter_memparse("9223372036854771711", "max", &pages), 0);
	ck_assert_uint_eq(pages, PAGE_COUNTER_MAX - 1);
}
END_TEST

/* --------------------------------------------------------------------- kstrto */

struct ull_case {
	const char *in;
	size_t len;
	int ret;
	unsigned long long value;
	int swappiness_ret;	/* what the write to memory.swappiness returned */
};

static const struct ull_case swappiness_cases[] = {
	{ IN("0"), 0, 0, 0 },
	{ IN("60"), 0, 60, 0 },
	{ IN("60\n"), 0, 60, 0 },
	{ IN("60\n\n"), -EINVAL, 0, -EINVAL },
	{ IN("+60"), 0, 60, 0 },
	{ IN("++60"), -EINVAL, 0, -EINVAL },
	{ IN(" 60"), -EINVAL, 0, -EINVAL },
	{ IN("60 "), -EINVAL, 0, -EINVAL },
	{ IN("\t60"), -EINVAL, 0, -EINVAL },
	{ IN("60\r"), -EINVAL, 0, -EINVAL },
	{ IN("-0"), -EINVAL, 0, -EINVAL },
	{ IN("-1"), -EINVAL, 0, -EINVAL },
	{ IN("200"), 0, 200, 0 },
	{ IN("201"), 0, 201, -EINVAL },
	{ IN("0x10"), 0, 16, 0 },
	{ IN("+0x10"), 0, 16, 0 },
	{ IN("0xC8"), 0, 200, 0 },
	{ IN("010"), 0, 8, 0 },
	{ IN("08"), -EINVAL, 0, -EINVAL },
	{ IN("0x"), -EINVAL, 0, -EINVAL },
	{ IN("1k"), -EINVAL, 0, -EINVAL },
	{ IN("\n"), -EINVAL, 0, -EINVAL },
	{ IN("+"), -EINVAL, 0, -EINVAL },
	{ IN("+\n"), -EINVAL, 0, -EINVAL },
	{ IN("60\0junk"), 0, 60, 0 },
	{ IN("18446744073709551615"), 0, UINT64_MAX, -EINVAL },
	{ IN("18446744073709551616"), -ERANGE, 0, -ERANGE },
	{ IN("99999999999999999999"), -ERANGE, 0, -ERANGE },
	{ IN("99999999999999999999x"), -ERANGE, 0, -ERANGE },
	{ IN("0x10000000000000000"), -ERANGE, 0, -ERANGE },
};

START_TEST(test_kstrtoull_swappiness)
{
	const struct ull_case *c = &swappiness_cases[_i];
	char buf[64];
	unsigned long long v = 777;
	int ret;

	ret = kstrtoull(kernfs_buf(buf, sizeof(buf), c->in, c->len), 0, &v);
	ck_assert_int_eq(ret, c->ret);
	ck_assert_uint_eq(v, ret ? 777 : c->value);

	/* mem_cgroup_swappiness_write(): range check after the parse */
	if (ret == 0 && v > 200)
		ret = -EINVAL;
	ck_assert_int_eq(ret, c->swappiness_ret);
}
END_TEST

START_TEST(test_kstrtoull_bases)
{
	unsigned long long v = 777;

	ck_assert_int_eq(kstrtoull("", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtoull("0x", 16, &v), -EINVAL);
	ck_assert_int_eq(kstrtoull("0x10", 10, &v), -EINVAL);
	ck_assert_int_eq(kstrtoull("8", 8, &v), -EINVAL);
	ck_assert_uint_eq(v, 777);

	ck_assert_int_eq(kstrtoull("0x1f", 16, &v), 0);
	ck_assert_uint_eq(v, 31);
	ck_assert_int_eq(kstrtoull("FF\n", 16, &v), 0);
	ck_assert_uint_eq(v, 255);
	ck_assert_int_eq(kstrtoull("010", 10, &v), 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(kstrtoull("0X1E", 0, &v), 0);
	ck_assert_uint_eq(v, 30);
	ck_assert_int_eq(kstrtoull("0xffffffffffffffff", 0, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
}
END_TEST

START_TEST(test_kstrtoll)
{
	long long v = 777;

	ck_assert_int_eq(kstrtoll("-1", 0, &v), 0);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(kstrtoll("-1\n", 0, &v), 0);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(kstrtoll("-0", 0, &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(kstrtoll("+5", 0, &v), 0);
	ck_assert_int_eq(v, 5);
	ck_assert_int_eq(kstrtoll("-0x10", 0, &v), 0);
	ck_assert_int_eq(v, -16);
	ck_assert_int_eq(kstrtoll("9223372036854775807", 0, &v), 0);
	ck_assert_int_eq(v, LLONG_MAX);
	ck_assert_int_eq(kstrtoll("-9223372036854775808", 0, &v), 0);
	ck_assert_int_eq(v, LLONG_MIN);

	v = 777;
	ck_assert_int_eq(kstrtoll("9223372036854775808", 0, &v), -ERANGE);
	ck_assert_int_eq(kstrtoll("-9223372036854775809", 0, &v), -ERANGE);
	ck_assert_int_eq(kstrtoll("18446744073709551615", 0, &v), -ERANGE);
	ck_assert_int_eq(kstrtoll("-18446744073709551616", 0, &v), -ERANGE);
	ck_assert_int_eq(kstrtoll("-+5", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtoll("+-5", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtoll("--1", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtoll("-", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtoll("- 1", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtoll(" -1", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtoll("", 0, &v), -EINVAL);
	ck_assert_int_eq(v, 777);
}
END_TEST

START_TEST(test_kstrtoint)
{
	int v = 777;

	ck_assert_int_eq(kstrtoint("2147483647", 0, &v), 0);
	ck_assert_int_eq(v, INT_MAX);
	ck_assert_int_eq(kstrtoint("-2147483648", 0, &v), 0);
	ck_assert_int_eq(v, INT_MIN);
	ck_assert_int_eq(kstrtoint("0x7fffffff\n", 0, &v), 0);
	ck_assert_int_eq(v, INT_MAX);
	ck_assert_int_eq(kstrtoint("+1", 0, &v), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(kstrtoint("-1", 0, &v), 0);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(kstrtoint("0", 0, &v), 0);
	ck_assert_int_eq(v, 0);

	v = 777;
	ck_assert_int_eq(kstrtoint("2147483648", 0, &v), -ERANGE);
	ck_assert_int_eq(kstrtoint("-2147483649", 0, &v), -ERANGE);
	ck_assert_int_eq(kstrtoint("99999999999999999999", 0, &v), -ERANGE);
	ck_assert_int_eq(kstrtoint("1 ", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtoint("1\n\n", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtoint("", 0, &v), -EINVAL);
	ck_assert_int_eq(v, 777);
}
END_TEST

/* ------------------------------------------------------------------- strstrip */

struct strip_case {
	const char *in;
	const char *out;
	size_t skipped;		/* leading bytes stepped over */
};

static const struct strip_case strip_cases[] = {
	{ "", "", 0 },
	{ "x", "x", 0 },
	{ "  a b  ", "a b", 2 },
	{ " 30M\n", "30M", 1 },
	{ "4096\n\n", "4096", 0 },
	{ "\t\n\v\f\r x \r\f\v\n\t", "x", 6 },
	/* all spaces: the tail cut empties the buffer first, so no skip */
	{ " \n\t ", "", 0 },
	{ "\xa0" "x" "\xa0", "x", 1 },
	/* not spaces to the kernel */
	{ "\x85" "x" "\x85", "\x85" "x" "\x85", 0 },
	{ "\x1c" "x" "\x1f", "\x1c" "x" "\x1f", 0 },
	{ "\x7f" "x", "\x7f" "x", 0 },
	{ "\xff" "x", "\xff" "x", 0 },
};

START_TEST(test_strstrip_table)
{
	const struct strip_case *c = &strip_cases[_i];
	char buf[64];
	char *out;

	ck_assert_uint_lt(strlen(c->in), sizeof(buf));
	strcpy(buf, c->in);
	out = strstrip(buf);
	ck_assert_str_eq(out, c->out);
	ck_assert_uint_eq((size_t)(out - buf), c->skipped);
}
END_TEST

START_TEST(test_strstrip_in_place)
{
	char buf[] = "  ab  ";
	char *out = strstrip(buf);

	ck_assert_ptr_eq(out, buf + 2);
	/* the trailing space is replaced by a NUL in the caller's buffer */
	ck_assert_int_eq(buf[4], '\0');
	ck_assert_int_eq(buf[5], ' ');
}
END_TEST

/* ---------------------------------------------------------------------------- */

#define LOOP(tc, fn, table) tcase_add_loop_test(tc, fn, 0, (int)(sizeof(table) / sizeof((table)[0])))

static Suite *memparse_suite(void)
{
	Suite *s = suite_create("memparse");
	TCase *tc;

	tc = tcase_create("memparse");
	LOOP(tc, test_memparse_table, memparse_cases);
	tcase_add_test(tc, test_memparse_null_end);
	suite_add_tcase(s, tc);

	tc = tcase_create("page_counter_memparse");
	LOOP(tc, test_v1_limit_write, v1_limit_cases);
	LOOP(tc, test_v1_limit_whitespace_prefix, prefix_bytes);
	tcase_add_test(tc, test_pcm_max_word);
	tcase_add_test(tc, test_pcm_direct);
	suite_add_tcase(s, tc);

	tc = tcase_create("kstrto");
	LOOP(tc, test_kstrtoull_swappiness, swappiness_cases);
	tcase_add_test(tc, test_kstrtoull_bases);
	tcase_add_test(tc, test_kstrtoll);
	tcase_add_test(tc, test_kstrtoint);
	suite_add_tcase(s, tc);

	tc = tcase_create("strstrip");
	LOOP(tc, test_strstrip_table, strip_cases);
	tcase_add_test(tc, test_strstrip_in_place);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(memparse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
