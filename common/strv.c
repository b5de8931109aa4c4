/* SPDX-License-Identifier: MIT */
/*
 * strv.c - string vectors; see strv.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

size_t strv_length(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

void strv_free(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

char **strv_copy(char *const *v)
{
	size_t n = strv_length(v), i;
	char **copy;

	if (!v)
		return NULL;
	copy = calloc(n + 1, sizeof(*copy));
	if (!copy)
		return NULL;
	for (i = 0; i < n; i++) {
		copy[i] = strdup(v[i]);
		if (!copy[i]) {
			strv_free(copy);
			return NULL;
		}
	}
	return copy;
}

int strv_push(char ***v, const char *s)
{
	size_t n = strv_length(*v);
	char **grown, *copy;

	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	grown = realloc(*v, (n + 2) * sizeof(*grown));
	if (!grown) {
		free(copy);
		return -ENOMEM;
	}
	grown[n] = copy;
	grown[n + 1] = NULL;
	*v = grown;
	return 0;
}

bool strv_contains(char *const *v, const char *s)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}
