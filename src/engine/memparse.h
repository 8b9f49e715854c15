/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Text to number, exactly as the kernel's cgroup files parse it:
 * memparse() and page_counter_memparse() for byte sizes, kstrto*() for
 * integers, strstrip() for the whitespace rule. This is the only place in
 * the engine that converts bytes to pages. Pure functions: no state, no
 * errno, no printing.
 */
#ifndef MEMCGFS_MEMPARSE_H
#define MEMCGFS_MEMPARSE_H

#include <stdint.h>

/* PAGE_COUNTER_MAX: LONG_MAX / PAGE_SIZE pages, "max" on v2, -1 on v1. */
#define PAGE_COUNTER_MAX (INT64_MAX / 4096)

/**
 * strstrip() - strip leading and trailing whitespace in place (kernel strim).
 * @s: NUL-terminated text; trailing spaces are cut by writing a NUL.
 *
 * Whitespace is the kernel's isspace(), not libc's: ' ', '\t', '\n', '\v',
 * '\f', '\r' and 0xA0 (Latin-1 no-break space). A write of only spaces
 * strips to "".
 * Return: pointer to the first non-space character of @s.
 */
char *strstrip(char *s);

/**
 * memparse() - parse a size with an optional K/M/G/T/P/E suffix, base 0.
 * @s: text; no sign and no leading whitespace are accepted.
 * @end: if not NULL, set to the first character not consumed.
 *
 * Base 0: "0x" + hex digit means hex (so "0x1e" is 30, not 1 EiB), a
 * leading 0 means octal ("08" stops before the 8, "0x" before the x),
 * otherwise decimal. One suffix letter, either case, multiplies by 2^10
 * per step. Overflow wraps modulo 2^64, in the digits and in the suffix
 * shift, silently. With no digit, the value is 0 and *end is @s, or @s + 1
 * when @s starts with a suffix letter ("m" parses as 0, fully consumed).
 * Return: the value in bytes.
 */
uint64_t memparse(const char *s, const char **end);

/**
 * page_counter_memparse() - parse a limit as the memcg files do.
 * @buf: stripped text; @max_word: "max" (v2) or "-1" (v1), meaning
 * PAGE_COUNTER_MAX; @nr_pages: result, bytes rounded down to pages and
 * clamped to PAGE_COUNTER_MAX. Untouched on error.
 *
 * @buf must equal @max_word exactly or be fully consumed by memparse();
 * "" and "m" give 0 pages, "4095" gives 0.
 * Return: 0 or -EINVAL (characters left after the number).
 */
int page_counter_memparse(const char *buf, const char *max_word, unsigned long *nr_pages);

/**
 * kstrtoull() / kstrtoll() / kstrtoint() - the kernel's strict integer
 * parsers: base 0 allowed (0x hex, 0 octal), one leading '+' accepted
 * (and '-' for the signed ones), a single trailing '\n' allowed, nothing
 * else: no other whitespace (write_u64 files parse the unstripped buffer,
 * so " 60" and "60\n\n" fail while "60\n" passes). Bases 0 and
 * 2..16 are meaningful. *@res is untouched on error. Overflow is checked
 * first, so "99999999999999999999x" is -ERANGE.
 * Return: 0, -EINVAL (junk, empty) or -ERANGE (out of range for the type).
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtoint(const char *s, unsigned int base, int *res);

#endif
