/* SPDX-License-Identifier: MIT */
/*
 * strv.h - string vectors: NULL-terminated arrays of malloc'd strings, as
 * argv and environ are. NULL is a valid, empty vector for every function.
 */
#ifndef BARGE_STRV_H
#define BARGE_STRV_H

#include <stdbool.h>
#include <stddef.h>

size_t strv_length(char *const *v);
void strv_free(char **v);

/* A deep copy; NULL when out of memory (or when v is NULL). */
char **strv_copy(char *const *v);

/* Append a copy of s, growing *v; -ENOMEM leaves *v as it was. */
int strv_push(char ***v, const char *s);

bool strv_contains(char *const *v, const char *s);

#endif
