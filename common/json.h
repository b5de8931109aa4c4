/* SPDX-License-Identifier: MIT */
/*
 * json.h - typed getters over jansson whose errors name the JSON path.
 *
 * config.json, a seccomp profile, later an image config or an API request:
 * each is written by a program or by someone with an editor, and a wrong
 * type must be caught where it is read, with the place it was found, not
 * turn into a zero or a crash later. So every getter takes the path of
 * the object it looks in, and on a bad value writes one line into the
 * parse's error buffer:
 *
 *	config.json: process.rlimits[1].soft: must be an integer from 0 to ...
 *
 * A getter looks up one key of an object. It returns 1 when the key is
 * there and its value has the right type (and fills *ret), 0 when the key
 * is absent or null (and leaves *ret alone, but for jp_object() and
 * jp_array(), which set it to NULL), or -EINVAL after writing the
 * message. A required key that is absent is an error too. Strings and
 * vectors come back as malloc'd copies.
 */
#ifndef BARGE_JSON_H
#define BARGE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JP_PATH_MAX 256

struct jp {
	const char *name; /* "config.json", first in every message */
	char *errbuf;
	size_t errsize;
};

enum { JP_OPTIONAL, JP_REQUIRED };

/* A key and its string value (an object of strings: annotations...). */
struct kv {
	char *key;
	char *value;
};
void kv_free(struct kv *kv, size_t n);

/* Write "NAME: PATH: MESSAGE" into the error buffer; return -EINVAL. */
int jp_fail(struct jp *p, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "parent.key" (or "key" at the top) and "parent[i]", into a buffer of
 * JP_PATH_MAX bytes; returns buf. */
const char *jp_key(char *buf, const char *parent, const char *key);
const char *jp_index(char *buf, const char *parent, size_t i);

int jp_object(struct jp *p, json_t *obj, const char *parent, const char *key,
	      int required, json_t **ret);
int jp_array(struct jp *p, json_t *obj, const char *parent, const char *key,
	     int required, json_t **ret);
int jp_string(struct jp *p, json_t *obj, const char *parent, const char *key,
	      int required, char **ret);
int jp_bool(struct jp *p, json_t *obj, const char *parent, const char *key,
	    bool *ret);
/* An integer in [min, max]. */
int jp_int(struct jp *p, json_t *obj, const char *parent, const char *key,
	   int required, int64_t min, int64_t max, int64_t *ret);
/* An integer in [0, UINT64_MAX]. */
int jp_uint64(struct jp *p, json_t *obj, const char *parent, const char *key,
	      int required, uint64_t *ret);
/* An array of strings, as a NULL-terminated vector (strv.h). */
int jp_strv(struct jp *p, json_t *obj, const char *parent, const char *key,
	    int required, char ***ret);
/* An object whose values are all strings. */
int jp_map(struct jp *p, json_t *obj, const char *parent, const char *key,
	   struct kv **ret, size_t *ret_n);

/* The same checks for a value already in hand (an array element). */
int jp_want_object(struct jp *p, json_t *v, const char *path);
int jp_want_int(struct jp *p, json_t *v, const char *path, int64_t min,
		int64_t max, int64_t *ret);

/* Every string of v starts with '/' and has no ".." component. */
int jp_check_absolute(struct jp *p, char **v, const char *path);

/*
 * Parse JSON text (a whole file's), flags as json_loads() takes them. A
 * syntax error is "NAME:LINE:COLUMN: invalid JSON: ...". A number too big
 * for jansson's long long (an rlimit of 2^64-1, as podman writes it) gets
 * a second parse with every number a double, which jp_uint64() and
 * jp_int() accept when it is whole.
 */
json_t *jp_loads(struct jp *p, const char *text, size_t flags);

/* The same for a file; "NAME: strerror" if it cannot be read. */
json_t *jp_load_file(struct jp *p, const char *path, size_t flags,
		     int *ret_err);

/*
 * jansson's integers are int64_t, so 2^64-1 (RLIM_INFINITY, "unlimited"
 * in config.json's rlimits) cannot be one. jp_uint64_max() is a
 * placeholder that jp_dump_file() writes as 18446744073709551615, as Go
 * (runc, podman) writes it and reads it back.
 */
json_t *jp_uint64_max(void);

/* Write root to path, indented, as a whole: a temporary file renamed into
 * place, so a reader never sees half of it. */
int jp_dump_file(json_t *root, const char *path);

#endif
