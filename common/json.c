/* SPDX-License-Identifier: MIT */
/*
 * json.c - typed getters over jansson; see json.h.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "strv.h"
#include "util.h"

int jp_fail(struct jp *p, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (path && *path)
		n = snprintf(p->errbuf, p->errsize, "%s: %s: ", p->name, path);
	else
		n = snprintf(p->errbuf, p->errsize, "%s: ", p->name);
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
	if (n < 0 || n >= JP_PATH_MAX)
		strcpy(buf + JP_PATH_MAX - 4, "...");
	return buf;
}

const char *jp_key(char *buf, const char *parent, const char *key)
{
	if (!parent || !*parent)
		return ellipsis(buf, snprintf(buf, JP_PATH_MAX, "%s", key));
	return ellipsis(buf, snprintf(buf, JP_PATH_MAX, "%s.%s", parent, key));
}

const char *jp_index(char *buf, const char *parent, size_t i)
{
	return ellipsis(buf, snprintf(buf, JP_PATH_MAX, "%s[%zu]",
				      parent ? parent : "", i));
}

/* Look key up; absent (or null) is an error only when it is required. */
static int lookup(struct jp *p, json_t *obj, const char *parent,
		  const char *key, int required, json_t **ret)
{
	char path[JP_PATH_MAX];

	*ret = json_object_get(obj, key);
	if (*ret && !json_is_null(*ret))
		return 1;
	*ret = NULL;
	if (required == JP_REQUIRED)
		return jp_fail(p, jp_key(path, parent, key), "required");
	return 0;
}

int jp_want_object(struct jp *p, json_t *v, const char *path)
{
	if (!json_is_object(v))
		return jp_fail(p, path, "must be an object");
	return 0;
}

/* lookup(), and an error if the value is not of the type wanted: want is
 * JSON_OBJECT, JSON_ARRAY, JSON_STRING, or JSON_TRUE for either boolean. */
static int lookup_type(struct jp *p, json_t *obj, const char *parent,
		       const char *key, int required, json_type want,
		       json_t **ret)
{
	static const char *const wanted[] = {
		[JSON_OBJECT] = "must be an object",
		[JSON_ARRAY] = "must be an array",
		[JSON_STRING] = "must be a string",
		[JSON_TRUE] = "must be true or false",
	};
	char path[JP_PATH_MAX];
	json_type type;
	int r;

	r = lookup(p, obj, parent, key, required, ret);
	if (r <= 0)
		return r;
	type = json_typeof(*ret) == JSON_FALSE ? JSON_TRUE : json_typeof(*ret);
	if (type != want)
		return jp_fail(p, jp_key(path, parent, key), "%s",
			       wanted[want]);
	return 1;
}

int jp_object(struct jp *p, json_t *obj, const char *parent, const char *key,
	      int required, json_t **ret)
{
	return lookup_type(p, obj, parent, key, required, JSON_OBJECT, ret);
}

int jp_array(struct jp *p, json_t *obj, const char *parent, const char *key,
	     int required, json_t **ret)
{
	return lookup_type(p, obj, parent, key, required, JSON_ARRAY, ret);
}

int jp_string(struct jp *p, json_t *obj, const char *parent, const char *key,
	      int required, char **ret)
{
	json_t *v;
	int r;

	r = lookup_type(p, obj, parent, key, required, JSON_STRING, &v);
	if (r <= 0)
		return r;
	*ret = strdup(json_string_value(v));
	return *ret ? 1 : -ENOMEM;
}

int jp_bool(struct jp *p, json_t *obj, const char *parent, const char *key,
	    bool *ret)
{
	json_t *v;
	int r;

	r = lookup_type(p, obj, parent, key, JP_OPTIONAL, JSON_TRUE, &v);
	if (r <= 0)
		return r;
	*ret = json_is_true(v);
	return 1;
}

/* A JSON number as a sign and a magnitude: an integer, or a double that
 * is whole (see jp_loads()), with 2^64 rounded back down to UINT64_MAX. */
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

int jp_want_int(struct jp *p, json_t *v, const char *path, int64_t min,
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
	return jp_fail(p, path, "must be an integer from %lld to %lld",
		       (long long)min, (long long)max);
}

int jp_int(struct jp *p, json_t *obj, const char *parent, const char *key,
	   int required, int64_t min, int64_t max, int64_t *ret)
{
	char path[JP_PATH_MAX];
	json_t *v;
	int r;

	r = lookup(p, obj, parent, key, required, &v);
	if (r <= 0)
		return r;
	r = jp_want_int(p, v, jp_key(path, parent, key), min, max, ret);
	return r < 0 ? r : 1;
}

int jp_uint64(struct jp *p, json_t *obj, const char *parent, const char *key,
	      int required, uint64_t *ret)
{
	char path[JP_PATH_MAX];
	uint64_t abs;
	bool neg;
	json_t *v;
	int r;

	r = lookup(p, obj, parent, key, required, &v);
	if (r <= 0)
		return r;
	if (number(v, &neg, &abs) < 0 || (neg && abs != 0))
		return jp_fail(p, jp_key(path, parent, key),
			       "must be an integer from 0 to %llu",
			       (unsigned long long)UINT64_MAX);
	*ret = abs;
	return 1;
}

int jp_strv(struct jp *p, json_t *obj, const char *parent, const char *key,
	    int required, char ***ret)
{
	char path[JP_PATH_MAX], elem[JP_PATH_MAX];
	json_t *v, *s;
	char **strv;
	size_t i;
	int r;

	r = lookup(p, obj, parent, key, required, &v);
	if (r <= 0)
		return r;
	jp_key(path, parent, key);
	if (!json_is_array(v))
		return jp_fail(p, path, "must be an array of strings");
	strv = calloc(json_array_size(v) + 1, sizeof(*strv));
	if (!strv)
		return -ENOMEM;
	json_array_foreach(v, i, s)
	{
		if (!json_is_string(s)) {
			strv_free(strv);
			return jp_fail(p, jp_index(elem, path, i),
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

int jp_map(struct jp *p, json_t *obj, const char *parent, const char *key,
	   struct kv **ret, size_t *ret_n)
{
	char path[JP_PATH_MAX], elem[JP_PATH_MAX];
	struct kv *kv;
	const char *k;
	json_t *v, *s;
	size_t n = 0;
	int r;

	r = lookup(p, obj, parent, key, JP_OPTIONAL, &v);
	if (r <= 0)
		return r;
	jp_key(path, parent, key);
	if (!json_is_object(v))
		return jp_fail(p, path, "must be an object of strings");
	kv = calloc(json_object_size(v) + 1, sizeof(*kv));
	if (!kv)
		return -ENOMEM;
	json_object_foreach(v, k, s)
	{
		if (!json_is_string(s)) {
			kv_free(kv, n);
			return jp_fail(p, jp_key(elem, path, k),
				       "must be a string");
		}
		kv[n].key = strdup(k);
		kv[n].value = strdup(json_string_value(s));
		n++;
		if (!kv[n - 1].key || !kv[n - 1].value) {
			kv_free(kv, n);
			return -ENOMEM;
		}
	}
	*ret = kv;
	*ret_n = n;
	return 1;
}

int jp_check_absolute(struct jp *p, char **v, const char *path)
{
	char elem[JP_PATH_MAX];
	size_t i;

	for (i = 0; v && v[i]; i++)
		if (v[i][0] != '/')
			return jp_fail(p, jp_index(elem, path, i),
				       "\"%s\" is not an absolute path", v[i]);
		else if (path_has_dotdot(v[i]))
			return jp_fail(p, jp_index(elem, path, i),
				       "\"%s\" has a \"..\" in it: the path "
				       "must stay in the root filesystem",
				       v[i]);
	return 0;
}

void kv_free(struct kv *kv, size_t n)
{
	size_t i;

	for (i = 0; kv && i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

json_t *jp_loads(struct jp *p, const char *text, size_t flags)
{
	json_error_t first, again;
	json_t *root;

	root = json_loads(text, flags, &first);
	if (!root && strstr(first.text, "too big integer")) {
		root = json_loads(text, flags | JSON_DECODE_INT_AS_REAL,
				  &again);
		first = again; /* a real syntax error, if any, is here */
	}
	if (!root)
		snprintf(p->errbuf, p->errsize, "%s:%d:%d: invalid JSON: %s",
			 p->name, first.line, first.column, first.text);
	return root;
}

json_t *jp_load_file(struct jp *p, const char *path, size_t flags, int *ret_err)
{
	char *text = NULL;
	size_t size = 0;
	json_t *root = NULL;
	ssize_t n;
	FILE *f;

	*ret_err = -EINVAL;
	f = fopen(path, "re");
	if (!f) {
		*ret_err = -errno;
		snprintf(p->errbuf, p->errsize, "%s: %s", p->name,
			 strerror(errno));
		return NULL;
	}
	/* Read it whole, to parse it as a string: jansson's line numbers
	 * then match the file's. */
	n = getdelim(&text, &size, '\0', f);
	if (n < 0 && !feof(f)) {
		*ret_err = -errno;
		snprintf(p->errbuf, p->errsize, "%s: %s", p->name,
			 strerror(errno));
	} else {
		/* An empty file: getdelim() may allocate text but writes
		 * nothing. */
		root = jp_loads(p, n > 0 ? text : "", flags);
	}
	free(text);
	fclose(f);
	return root;
}

/* The placeholder: INT64_MIN, which no field of ours ever holds. */
#define UINT64_MAX_PLACEHOLDER "-9223372036854775808"

json_t *jp_uint64_max(void)
{
	return json_integer(INT64_MIN);
}

int jp_dump_file(json_t *root, const char *path)
{
	char *text, *p, tmp[4096];
	size_t n = strlen(UINT64_MAX_PLACEHOLDER);
	int r;

	text = json_dumps(root, JSON_INDENT(2));
	if (!text)
		return -ENOMEM;
	/* "-9223372036854775808" and "18446744073709551615" have the same
	 * length: the text is rewritten in place, where it is a value (after
	 * ": ", not inside a string). */
	for (p = text; (p = strstr(p, UINT64_MAX_PLACEHOLDER)); p += n)
		if (p - text >= 2 && p[-2] == ':' && p[-1] == ' ' &&
		    strchr(",\n}]", p[n]))
			memcpy(p, "18446744073709551615", n);
	r = snprintf(tmp, sizeof(tmp), "%s.tmp", path) < (int)sizeof(tmp)
		    ? write_file(tmp, text)
		    : -ENAMETOOLONG;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0 && r != -ENAMETOOLONG)
		unlink(tmp); /* no half-written file left behind */
	free(text);
	return r;
}
