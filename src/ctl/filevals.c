// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The values of a control file's text (see filevals.h).
 *
 * May include: libc.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/filevals.h"

#define MAX_WORDS 16

/* Split @line (modified) at blanks. Return: the number of words. */
static int words_of(char *line, char *words[MAX_WORDS])
{
	char *save = NULL, *w;
	int n = 0;

	for (w = strtok_r(line, " \t", &save); w && n < MAX_WORDS; w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	return n;
}

void filevals_each(const char *text, void (*fn)(void *arg, const char *key, const char *value), void *arg)
{
	char *copy = strdup(text), *save = NULL, *line, *words[MAX_WORDS];
	const char *p;
	int nr_lines = 0, n, i;

	if (!copy)
		return;
	/* lines with something on them: a file of one value has one */
	for (p = text; *p; p++)
		if (*p != '\n' && (p == text || p[-1] == '\n'))
			nr_lines++;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		n = words_of(line, words);
		if (n == 1 && nr_lines == 1) {
			fn(arg, NULL, words[0]);
		} else if (n == 2 && !strchr(words[1], '=')) {
			fn(arg, words[0], words[1]);
		} else if (n >= 2) {
			for (i = 1; i < n; i++) {
				char *eq = strchr(words[i], '='), key[256];

				if (!eq)
					break;
				*eq = '\0';
				snprintf(key, sizeof(key), "%s.%s", words[0], words[i]);
				fn(arg, key, eq + 1);
			}
		}
	}
	free(copy);
}

struct lookup {
	const char *key;
	char *buf;
	size_t size;
	bool found;
};

static void match(void *arg, const char *key, const char *value)
{
	struct lookup *l = arg;

	if (l->found || (key ? !l->key || strcmp(key, l->key) : l->key != NULL))
		return;
	snprintf(l->buf, l->size, "%s", value);
	l->found = true;
}

char *filevals_get(const char *text, const char *key, char *buf, size_t size)
{
	struct lookup l = { .key = key, .buf = buf, .size = size };

	filevals_each(text, match, &l);
	return l.found ? buf : NULL;
}
