/* SPDX-License-Identifier: MIT */
/*
 * oci_json.h - what the config.json parser's files share: typed getters
 * over jansson that name the JSON path in every error.
 *
 * Each getter looks up one key of an object. It returns 1 when the key is
 * there and its value has the right type (and fills *ret), 0 when the key
 * is absent (and leaves *ret alone), or -EINVAL after writing a message
 * like "config.json: process.cwd: must be a string" into the parse's
 * error buffer. A required key that is absent is an error too.
 */
#ifndef BARGE_OCI_JSON_H
#define BARGE_OCI_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "oci_config.h"

#define OCI_PATH_MAX 256

struct oci_parse {
	const char *name; /* "config.json", first in every message */
	char *errbuf;
	size_t errsize;
};

enum { OCI_OPTIONAL, OCI_REQUIRED };

/* Write "NAME: PATH: MESSAGE" into the error buffer; return -EINVAL. */
int oci_fail(struct oci_parse *p, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "parent.key" (or "key" at the top) and "parent[i]", into buf. */
const char *oci_path(char *buf, const char *parent, const char *key);
const char *oci_index(char *buf, const char *parent, size_t i);

int oci_get_object(struct oci_parse *p, json_t *obj, const char *parent,
		   const char *key, int required, json_t **ret);
int oci_get_array(struct oci_parse *p, json_t *obj, const char *parent,
		  const char *key, int required, json_t **ret);
int oci_get_string(struct oci_parse *p, json_t *obj, const char *parent,
		   const char *key, int required, char **ret);
int oci_get_bool(struct oci_parse *p, json_t *obj, const char *parent,
		 const char *key, bool *ret);
/* An integer in [min, max]. */
int oci_get_int(struct oci_parse *p, json_t *obj, const char *parent,
		const char *key, int required, int64_t min, int64_t max,
		int64_t *ret);
/* An integer in [0, UINT64_MAX]. */
int oci_get_uint64(struct oci_parse *p, json_t *obj, const char *parent,
		   const char *key, int required, uint64_t *ret);
/* An array of strings, as a NULL-terminated vector. */
int oci_get_strv(struct oci_parse *p, json_t *obj, const char *parent,
		 const char *key, int required, char ***ret);
/* An object whose values are all strings. */
int oci_get_map(struct oci_parse *p, json_t *obj, const char *parent,
		const char *key, struct oci_kv **ret, size_t *ret_n);

/* The same checks for a value already in hand (an array element). */
int oci_want_object(struct oci_parse *p, json_t *v, const char *path);
int oci_want_int(struct oci_parse *p, json_t *v, const char *path, int64_t min,
		 int64_t max, int64_t *ret);

/* Every string of v starts with '/'. */
int oci_check_absolute(struct oci_parse *p, char **v, const char *path);

/* oci_linux.c: the "linux" object. */
int oci_parse_linux(struct oci_parse *p, json_t *obj, struct oci_linux *l);
void oci_linux_free(struct oci_linux *l);

/* oci_mounts.c: "mounts", with their options split for mount(2). */
int oci_parse_mounts(struct oci_parse *p, json_t *root, struct oci_config *c);
void oci_mounts_free(struct oci_mount *m, size_t n);
/* A propagation name ("rprivate", "shared"...) as mount(2) flags. */
int oci_propagation_flags(const char *name, unsigned long *ret);

#endif
