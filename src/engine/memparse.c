// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Text to number, the way the kernel's cgroup files read what userspace
 * writes. Four behaviours are reproduced here and nowhere else:
 * memparse() (lib/cmdline.c: unsigned base-0 number plus one K..E suffix,
 * wrapping silently modulo 2^64), page_counter_memparse() (mm/page_counter.c:
 * the max word, then bytes rounded down to pages and clamped), the strict
 * kstrto*() family (lib/kstrtox.c) and strstrip() (lib/string.c strim(),
 * using the kernel's Latin-1 ctype, in which 0xA0 is a space).
 *
 * This is the only file in the engine that turns bytes into pages. Every
 * function is pure: no state, no errno, no printing, no locale.
 *
 * May include: libc only.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine/memparse.h"

#define PAGE_SHIFT_BYTES 12	/* PAGE_SIZE 4096, as PAGE_COUNTER_MAX assumes */
#define NOT_A_DIGIT UINT_MAX

/* PAGE_COUNTER_MAX is handed back through an unsigned long. */
_Static_assert(sizeof(unsigned long) >= sizeof(uint64_t),
	       "page counts need a 64-bit unsigned long");

/*
 * The kernel's isspace() (include/linux/ctype.h over lib/ctype.c): the six
 * ASCII spaces plus Latin-1 NO-BREAK SPACE. Checked on a live 6.18 kernel:
 * "\xa0" "30M" is accepted by memory.limit_in_bytes, 0x85 and 0x1c-0x1f are
 * not spaces. libc's isspace() is locale-dependent, so it is not used.
 */
static bool kernel_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static bool is_hex_digit(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/*
 * Value of @c as a digit (0-9, a-f, A-F), or NOT_A_DIGIT, which is at least
 * as large as any base, so the caller's "d >= base" test ends the number.
 */
static unsigned int digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return NOT_A_DIGIT;
}

/*
 * Resolve base 0 and step over a "0x" prefix, as the kernel does before
 * reading digits. With base 0, "0x" counts as a hex prefix only when a hex
 * digit follows it; otherwise the leading 0 makes the number octal and the
 * 'x' is left unread ("0x" parses as 0, stopping at 'x'). With an explicit
 * base 16 the prefix is skipped unconditionally.
 */
static const char *resolve_base(const char *s, unsigned int *base)
{
	bool has_0x = s[0] == '0' && (s[1] | 0x20) == 'x';

	if (*base == 0) {
		if (s[0] != '0')
			*base = 10;
		else if (has_0x && is_hex_digit((unsigned char)s[2]))
			*base = 16;
		else
			*base = 8;
	}
	if (*base == 16 && has_0x)
		s += 2;
	return s;
}

/*
 * Read digits of @base from @s. Stores the value modulo 2^64 in @res and
 * whether the true value exceeded UINT64_MAX in @overflow.
 * Return: the number of digits consumed (0 when none).
 */
static size_t read_digits(const char *s, unsigned int base, uint64_t *res, bool *overflow)
{
	uint64_t acc = 0;
	size_t n = 0;

	*overflow = false;
	for (;; n++) {
		unsigned int d = digit_value((unsigned char)s[n]);

		if (d >= base)
			break;
		if (acc > (UINT64_MAX - d) / base)
			*overflow = true;
		acc = acc * base + d;	/* unsigned: wraps mod 2^64 */
	}
	*res = acc;
	return n;
}

char *strstrip(char *s)
{
	size_t len = strlen(s);

	while (len > 0 && kernel_isspace((unsigned char)s[len - 1]))
		len--;
	s[len] = '\0';

	while (kernel_isspace((unsigned char)*s))
		s++;
	return s;
}

uint64_t memparse(const char *s, const char **end)
{
	unsigned int base = 0;
	const char *p = resolve_base(s, &base);
	uint64_t val;
	bool overflow;
	unsigned int shift;

	/* simple_strtoull() ignores overflow: the wrapped value is the value. */
	p += read_digits(p, base, &val, &overflow);

	switch (*p) {
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	case 'T': case 't': shift = 40; break;
	case 'P': case 'p': shift = 50; break;
	case 'E': case 'e': shift = 60; break;
	default:            shift = 0;  break;
	}
	if (shift) {
		val <<= shift;	/* bits shifted out are lost, as in the kernel */
		p++;
	}

	if (end)
		*end = p;
	return val;
}

int page_counter_memparse(const char *buf, const char *max_word, unsigned long *nr_pages)
{
	const char *end;
	uint64_t bytes, pages;

	if (strcmp(buf, max_word) == 0) {
		*nr_pages = PAGE_COUNTER_MAX;
		return 0;
	}

	bytes = memparse(buf, &end);
	if (*end != '\0')
		return -EINVAL;

	pages = bytes >> PAGE_SHIFT_BYTES;
	*nr_pages = pages < (uint64_t)PAGE_COUNTER_MAX ? pages : (uint64_t)PAGE_COUNTER_MAX;
	return 0;
}

/*
 * kstrtoull() without the '+' allowance; kstrtoll() uses it after a '-'
 * so that "-+1" is rejected as the kernel rejects it. Overflow is
 * reported before junk: "99999999999999999999x" is -ERANGE.
 */
static int parse_ull_strict(const char *s, unsigned int base, unsigned long long *res)
{
	uint64_t val;
	bool overflow;
	size_t n;

	s = resolve_base(s, &base);
	n = read_digits(s, base, &val, &overflow);
	if (overflow)
		return -ERANGE;
	if (n == 0)
		return -EINVAL;
	s += n;
	if (*s == '\n')
		s++;
	if (*s != '\0')
		return -EINVAL;
	*res = val;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (*s == '+')
		s++;
	return parse_ull_strict(s, base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long mag;
	int ret;

	if (*s != '-') {
		ret = kstrtoull(s, base, &mag);
		if (ret)
			return ret;
		if (mag > (unsigned long long)LLONG_MAX)
			return -ERANGE;
		*res = (long long)mag;
		return 0;
	}

	ret = parse_ull_strict(s + 1, base, &mag);
	if (ret)
		return ret;
	/* The most negative value has no positive twin: 2^63 is allowed here. */
	if (mag > (unsigned long long)LLONG_MAX + 1)
		return -ERANGE;
	*res = mag == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)mag;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long v;
	int ret;

	ret = kstrtoll(s, base, &v);
	if (ret)
		return ret;
	if (v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*res = (int)v;
	return 0;
}
