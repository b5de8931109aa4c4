/* SPDX-License-Identifier: MIT */
/*
 * oci_json.c - typed getters over jansson for the config.json parser.
 *
 * A config.json is written by a program (podman, containerd, runc spec) or
 * by a student with an editor; either way a wrong type must be caught here,
 * with the JSON path of the value, and not turn into a zero or a crash in
 * the middle of setting up a container.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_json.h"

int oci_fail(struct oci_parse *p, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->errbuf, p->errsize, "%s: %s: ", p->name, path);
	if (n >= 0 && (size_t)n < p->errsize) {
		va_start(ap, fmt);
		vsnprintf(p->errbuf + n, p->errsize - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A path too long for the buffer (a key of 200 characters) ends in "...". */
static const char *ellipsis(char *buf, int n)
{
	if (n < 0 || n >= OCI_PATH_MAX)
		strcpy(buf + OCI_PATH_MAX - 4, "...");
	return buf;
}

const char *oci_path(char *buf, const char *parent, const char *key)
{
	if (!parent || !*parent)
		return ellipsis(buf, snprintf(buf, OCI_PATH_MAX, "%s", key));
	return ellipsis(buf, snprintf(buf, OCI_PATH_MAX, "%s.%s", parent, key));
}

const char *oci_index(char *buf, const char *parent, size_t i)
{
	return ellipsis(buf, snprintf(buf, OCI_PATH_MAX, "%s[%zu]", parent, i));
}

/* Look key up; absent (or null) is an error only when it is required. */
static int lookup(struct oci_parse *p, json_t *obj, const char *parent,
		  const char *key, int required, json_t **ret)
{
	char path[OCI_PATH_MAX];

	*ret = json_object_get(obj, key);
	if (*ret && !json_is_null(*ret))
		return 1;
	*ret = NULL;
	if (required == OCI_REQUIRED)
		return oci_fail(p, oci_path(path, parent, key), "required");
	return 0;
}

int oci_want_object(struct oci_parse *p, json_t *v, const char *path)
{
	if (!json_is_object(v))
		return oci_fail(p, path, "must be an object");
	return 0;
}

/* lookup(), and an error if the value is not of the type wanted: want is
 * JSON_OBJECT, JSON_ARRAY, JSON_STRING, or JSON_TRUE for either boolean. */
static int lookup_type(struct oci_parse *p, json_t *obj, const char *parent,
		       const char *key, int required, json_type want,
		       json_t **ret)
{
	static const char *const wanted[] = {
		[JSON_OBJECT] = "must be an object",
		[JSON_ARRAY] = "must be an array",
		[JSON_STRING] = "must be a string",
		[JSON_TRUE] = "must be true or false",
	};
	char path[OCI_PATH_MAX];
	json_type type;
	int r;

	r = lookup(p, obj, parent, key, required, ret);
	if (r <= 0)
		return r;
	type = json_typeof(*ret) == JSON_FALSE ? JSON_TRUE : json_typeof(*ret);
	if (type != want)
		return oci_fail(p, oci_path(path, parent, key), "%s",
				wanted[want]);
	return 1;
}

int oci_get_object(struct oci_parse *p, json_t *obj, const char *parent,
		   const char *key, int required, json_t **ret)
{
	return lookup_type(p, obj, parent, key, required, JSON_OBJECT, ret);
}

int oci_get_array(struct oci_parse *p, json_t *obj, const char *parent,
		  const char *key, int required, json_t **ret)
{
	return lookup_type(p, obj, parent, key, required, JSON_ARRAY, ret);
}

int oci_get_string(struct oci_parse *p, json_t *obj, const char *parent,
		   const char *key, int required, char **ret)
{
	json_t *v;
	int r;

	r = lookup_type(p, obj, parent, key, required, JSON_STRING, &v);
	if (r <= 0)
		return r;
	*ret = strdup(json_string_value(v));
	return *ret ? 1 : -ENOMEM;
}

int oci_get_bool(struct oci_parse *p, json_t *obj, const char *parent,
		 const char *key, bool *ret)
{
	json_t *v;
	int r;

	r = lookup_type(p, obj, parent, key, OCI_OPTIONAL, JSON_TRUE, &v);
	if (r <= 0)
		return r;
	*ret = json_is_true(v);
	return 1;
}

/*
 * jansson keeps integers in a long long, so a uint64 past INT64_MAX (an
 * rlimit of RLIM_INFINITY, 18446744073709551615, as podman writes it) does
 * not fit. oci_config_parse() then parses the whole file again with every
 * number as a double; these accept a double that is a whole number, and
 * round 2^64 back down to UINT64_MAX.
 */
static int number(json_t *v, bool *ret_neg, uint64_t *ret_abs)
{
	double d;

	if (json_is_integer(v)) {
		long long i = json_integer_value(v);

		*ret_neg = i < 0;
		*ret_abs = i < 0 ? -(uint64_t)i : (uint64_t)i;
		return 0;
	}
	if (!json_is_real(v))
		return -EINVAL;
	d = json_real_value(v);
	if (d != floor(d) || fabs(d) > 18446744073709551616.0)
		return -EINVAL;
	*ret_neg = d < 0;
	d = fabs(d);
	*ret_abs = d >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)d;
	return 0;
}

int oci_want_int(struct oci_parse *p, json_t *v, const char *path, int64_t min,
		 int64_t max, int64_t *ret)
{
	uint64_t abs;
	int64_t i;
	bool neg;

	if (number(v, &neg, &abs) < 0 ||
	    abs > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX))
		goto bad;
	i = neg ? (int64_t)(0 - abs) : (int64_t)abs;
	if (i < min || i > max)
		goto bad;
	*ret = i;
	return 0;
bad:
	return oci_fail(p, path, "must be an integer from %lld to %lld",
			(long long)min, (long long)max);
}

int oci_get_int(struct oci_parse *p, json_t *obj, const char *parent,
		const char *key, int required, int64_t min, int64_t max,
		int64_t *ret)
{
	char path[OCI_PATH_MAX];
	json_t *v;
	int r;

	r = lookup(p, obj, parent, key, required, &v);
	if (r <= 0)
		return r;
	r = oci_want_int(p, v, oci_path(path, parent, key), min, max, ret);
	return r < 0 ? r : 1;
}

int oci_get_uint64(struct oci_parse *p, json_t *obj, const char *parent,
		   const char *key, int required, uint64_t *ret)
{
	char path[OCI_PATH_MAX];
	uint64_t abs;
	bool neg;
	json_t *v;
	int r;

	r = lookup(p, obj, parent, key, required, &v);
	if (r <= 0)
		return r;
	if (number(v, &neg, &abs) < 0 || (neg && abs != 0))
		return oci_fail(p, oci_path(path, parent, key),
				"must be an integer from 0 to %llu",
				(unsigned long long)UINT64_MAX);
	*ret = abs;
	return 1;
}

int oci_get_strv(struct oci_parse *p, json_t *obj, const char *parent,
		 const char *key, int required, char ***ret)
{
	char path[OCI_PATH_MAX], elem[OCI_PATH_MAX];
	json_t *v, *s;
	char **strv;
	size_t i;
	int r;

	r = lookup(p, obj, parent, key, required, &v);
	if (r <= 0)
		return r;
	oci_path(path, parent, key);
	if (!json_is_array(v))
		return oci_fail(p, path, "must be an array of strings");
	strv = calloc(json_array_size(v) + 1, sizeof(*strv));
	if (!strv)
		return -ENOMEM;
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s)) {
			strv_free(strv);
			return oci_fail(p, oci_index(elem, path, i),
					"must be a string");
		}
		strv[i] = strdup(json_string_value(s));
		if (!strv[i]) {
			strv_free(strv);
			return -ENOMEM;
		}
	}
	*ret = strv;
	return 1;
}

int oci_get_map(struct oci_parse *p, json_t *obj, const char *parent,
		const char *key, struct oci_kv **ret, size_t *ret_n)
{
	char path[OCI_PATH_MAX], elem[OCI_PATH_MAX];
	struct oci_kv *kv;
	const char *k;
	json_t *v, *s;
	size_t n = 0;
	int r;

	r = lookup(p, obj, parent, key, OCI_OPTIONAL, &v);
	if (r <= 0)
		return r;
	oci_path(path, parent, key);
	if (!json_is_object(v))
		return oci_fail(p, path, "must be an object of strings");
	kv = calloc(json_object_size(v) + 1, sizeof(*kv));
	if (!kv)
		return -ENOMEM;
	json_object_foreach(v, k, s)
	{
		if (!json_is_string(s)) {
			oci_kv_free(kv, n);
			return oci_fail(p, oci_path(elem, path, k),
					"must be a string");
		}
		kv[n].key = strdup(k);
		kv[n].value = strdup(json_string_value(s));
		n++;
		if (!kv[n - 1].key || !kv[n - 1].value) {
			oci_kv_free(kv, n);
			return -ENOMEM;
		}
	}
	*ret = kv;
	*ret_n = n;
	return 1;
}

int oci_check_absolute(struct oci_parse *p, char **v, const char *path)
{
	char elem[OCI_PATH_MAX];
	size_t i;

	for (i = 0; v && v[i]; i++)
		if (v[i][0] != '/')
			return oci_fail(p, oci_index(elem, path, i),
					"\"%s\" is not an absolute path", v[i]);
	return 0;
}

void oci_kv_free(struct oci_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; kv && i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

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
