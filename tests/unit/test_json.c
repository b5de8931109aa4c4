/* SPDX-License-Identifier: MIT */
/*
 * test_json.c - unit tests of common/json.c: the jp_* getters, whose
 * errors name the JSON path ("NAME: a.b[2].c: must be a string").
 *
 * Each getter is checked four ways: the key present with the right type
 * (1, and *ret filled), absent or null (0, *ret untouched), required but
 * absent (-EINVAL, "required"), and of the wrong type (-EINVAL and the
 * exact message).
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "strv.h"
#include "unit.h"
#include "util.h"

static char err[512];
static struct jp jp = { .name = "NAME", .errbuf = err, .errsize = sizeof(err) };

/* The object the getters look in, at the path "a.b[2]". */
static const char doc[] =
	"{ 'a': { 'b': [ 0, 1, {"
	"  's': 'str', 'n': null, 'i': 5, 'neg': -3, 'f': 1.5, 'whole': 7.0,"
	"  't': true, 'false': false, 'o': { 'k': 1 }, 'arr': [ 1 ],"
	"  'v': [ 'x', 'y' ], 'badv': [ 'x', 2 ], 'empty': [],"
	"  'm': { 'k1': 'v1', 'k2': '' }, 'badm': { 'k1': 'v1', 'k2': 3 }"
	"} ] } }";

static json_t *root;

/* JSON written with ' for ", so that the C strings stay readable. */
static json_t *load(const char *text)
{
	char *s = strdup(text), *c;
	json_t *v;

	ck_assert_ptr_nonnull(s);
	for (c = s; *c; c++)
		if (*c == '\'')
			*c = '"';
	v = jp_loads(&jp, s, 0);
	free(s);
	ck_assert_msg(v, "%s", err);
	return v;
}

/* The object at a.b[2] of doc, and its path built with jp_key and
 * jp_index as the parsers build theirs. */
static json_t *obj_at(char *path)
{
	char ab[JP_PATH_MAX];
	json_t *o;

	root = load(doc);
	o = json_array_get(json_object_get(json_object_get(root, "a"), "b"), 2);
	ck_assert_ptr_nonnull(o);
	jp_index(path, jp_key(ab, jp_key(path, "", "a"), "b"), 2);
	ck_assert_str_eq(path, "a.b[2]");
	return o;
}

static void setup(void)
{
	err[0] = '\0';
	root = NULL;
}

static void teardown(void)
{
	json_decref(root);
	root = NULL;
}

START_TEST(jp_key_and_jp_index_build_paths)
{
	char buf[JP_PATH_MAX];

	ck_assert_str_eq(jp_key(buf, "", "process"), "process");
	ck_assert_str_eq(jp_key(buf, NULL, "process"), "process");
	ck_assert_str_eq(jp_key(buf, "process", "args"), "process.args");
	ck_assert_str_eq(jp_index(buf, "process.args", 3), "process.args[3]");
	ck_assert_str_eq(jp_index(buf, "", 0), "[0]");
}
END_TEST

/* A path longer than JP_PATH_MAX - 1 keeps its start and ends in "...". */
START_TEST(jp_long_path_is_cut_with_ellipsis)
{
	char key[300], buf[JP_PATH_MAX], parent[JP_PATH_MAX];

	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	jp_key(buf, "annotations", key);
	ck_assert_uint_eq(strlen(buf), JP_PATH_MAX - 1);
	ck_assert(strncmp(buf, "annotations.kkk", 15) == 0);
	ck_assert_str_eq(buf + JP_PATH_MAX - 4, "...");

	strcpy(parent, buf);
	jp_index(buf, parent, 7);
	ck_assert_uint_eq(strlen(buf), JP_PATH_MAX - 1);
	ck_assert_str_eq(buf + JP_PATH_MAX - 4, "...");

	/* One that just fits is left whole; one byte more is cut. */
	key[JP_PATH_MAX - 1 - strlen("a.")] = '\0';
	jp_key(buf, "a", key);
	ck_assert_uint_eq(strlen(buf), JP_PATH_MAX - 1);
	ck_assert_int_eq(buf[JP_PATH_MAX - 2], 'k');
	jp_key(buf, "ab", key);
	ck_assert_uint_eq(strlen(buf), JP_PATH_MAX - 1);
	ck_assert_str_eq(buf + JP_PATH_MAX - 4, "...");
}
END_TEST

START_TEST(jp_fail_writes_name_path_and_message)
{
	char small[12];
	struct jp p = { .name = "NAME",
			.errbuf = small,
			.errsize = sizeof(small) };

	ck_assert_int_eq(jp_fail(&jp, "x.y[1]", "bad %d", 7), -EINVAL);
	ck_assert_str_eq(err, "NAME: x.y[1]: bad 7");
	ck_assert_int_eq(jp_fail(&jp, "", "bad"), -EINVAL);
	ck_assert_str_eq(err, "NAME: bad");
	ck_assert_int_eq(jp_fail(&jp, NULL, "bad"), -EINVAL);
	ck_assert_str_eq(err, "NAME: bad");
	/* A short buffer gets a cut, terminated message. */
	ck_assert_int_eq(jp_fail(&p, "x.y[1]", "bad %d", 7), -EINVAL);
	ck_assert_str_eq(small, "NAME: x.y[1");
	ck_assert_int_eq(jp_fail(&p, "x", "a long message"), -EINVAL);
	ck_assert_str_eq(small, "NAME: x: a ");
}
END_TEST

START_TEST(jp_string_gets_a_copy)
{
	char path[JP_PATH_MAX], *s = NULL;
	json_t *o = obj_at(path);

	ck_assert_int_eq(jp_string(&jp, o, path, "s", JP_REQUIRED, &s), 1);
	ck_assert_str_eq(s, "str");
	ck_assert_ptr_ne(s, json_string_value(json_object_get(o, "s")));
	free(s);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(jp_getters_leave_absent_and_null_alone)
{
	char path[JP_PATH_MAX], *s = "untouched", **v = NULL;
	json_t *j = NULL;
	uint64_t u = 42;
	int64_t i = 42;
	struct kv *kv = NULL;
	size_t n = 9;
	bool b = true;
	json_t *o = obj_at(path);
	const char *const keys[] = { "missing", "n" };
	size_t k;

	for (k = 0; k < 2; k++) {
		ck_assert_int_eq(
			jp_string(&jp, o, path, keys[k], JP_OPTIONAL, &s), 0);
		ck_assert_int_eq(
			jp_object(&jp, o, path, keys[k], JP_OPTIONAL, &j), 0);
		ck_assert_int_eq(
			jp_array(&jp, o, path, keys[k], JP_OPTIONAL, &j), 0);
		ck_assert_int_eq(jp_bool(&jp, o, path, keys[k], &b), 0);
		ck_assert_int_eq(
			jp_int(&jp, o, path, keys[k], JP_OPTIONAL, 0, 9, &i),
			0);
		ck_assert_int_eq(
			jp_uint64(&jp, o, path, keys[k], JP_OPTIONAL, &u), 0);
		ck_assert_int_eq(
			jp_strv(&jp, o, path, keys[k], JP_OPTIONAL, &v), 0);
		ck_assert_int_eq(jp_map(&jp, o, path, keys[k], &kv, &n), 0);
	}
	ck_assert_str_eq(s, "untouched");
	ck_assert(b);
	ck_assert_int_eq(i, 42);
	ck_assert_uint_eq(u, 42);
	ck_assert_ptr_null(v);
	ck_assert_ptr_null(kv);
	ck_assert_uint_eq(n, 9);
	ck_assert_str_eq(err, "");
}
END_TEST

/* A required key, absent or null, is an error that names it. */
START_TEST(jp_required_key_must_be_there)
{
	char path[JP_PATH_MAX], *s = NULL, **v = NULL;
	json_t *o = obj_at(path), *j;
	uint64_t u;
	int64_t i;

	ck_assert_int_eq(jp_string(&jp, o, path, "missing", JP_REQUIRED, &s),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].missing: required");
	ck_assert_int_eq(jp_string(&jp, o, path, "n", JP_REQUIRED, &s),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].n: required");
	ck_assert_int_eq(jp_object(&jp, o, path, "obj", JP_REQUIRED, &j),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].obj: required");
	ck_assert_int_eq(jp_array(&jp, o, path, "list", JP_REQUIRED, &j),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].list: required");
	ck_assert_int_eq(jp_int(&jp, o, path, "num", JP_REQUIRED, 0, 9, &i),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].num: required");
	ck_assert_int_eq(jp_uint64(&jp, o, path, "u", JP_REQUIRED, &u),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].u: required");
	ck_assert_int_eq(jp_strv(&jp, o, path, "n", JP_REQUIRED, &v), -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].n: required");
	ck_assert_ptr_null(s);
	ck_assert_ptr_null(v);
}
END_TEST

START_TEST(jp_wrong_type_names_the_path)
{
	char path[JP_PATH_MAX], *s = NULL, **v = NULL;
	json_t *o = obj_at(path), *j;
	struct kv *kv = NULL;
	size_t n = 0;
	bool b;

	ck_assert_int_eq(jp_string(&jp, o, path, "i", JP_OPTIONAL, &s),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].i: must be a string");
	ck_assert_int_eq(jp_string(&jp, o, path, "o", JP_REQUIRED, &s),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].o: must be a string");
	ck_assert_int_eq(jp_object(&jp, o, path, "arr", JP_OPTIONAL, &j),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].arr: must be an object");
	ck_assert_int_eq(jp_array(&jp, o, path, "o", JP_OPTIONAL, &j), -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].o: must be an array");
	ck_assert_int_eq(jp_bool(&jp, o, path, "s", &b), -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].s: must be true or false");
	ck_assert_int_eq(jp_bool(&jp, o, path, "i", &b), -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].i: must be true or false");
	ck_assert_int_eq(jp_strv(&jp, o, path, "s", JP_OPTIONAL, &v), -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].s: must be an array of strings");
	ck_assert_int_eq(jp_map(&jp, o, path, "v", &kv, &n), -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].v: must be an object of strings");
	ck_assert_ptr_null(s);
	ck_assert_ptr_null(v);
	ck_assert_ptr_null(kv);
}
END_TEST

START_TEST(jp_object_array_and_bool_get_their_value)
{
	char path[JP_PATH_MAX];
	json_t *o = obj_at(path), *j = NULL;
	bool b = false;

	ck_assert_int_eq(jp_object(&jp, o, path, "o", JP_REQUIRED, &j), 1);
	ck_assert_ptr_eq(j, json_object_get(o, "o"));
	ck_assert_int_eq(jp_array(&jp, o, path, "arr", JP_REQUIRED, &j), 1);
	ck_assert_ptr_eq(j, json_object_get(o, "arr"));
	ck_assert_int_eq(jp_bool(&jp, o, path, "t", &b), 1);
	ck_assert(b);
	ck_assert_int_eq(jp_bool(&jp, o, path, "false", &b), 1);
	ck_assert(!b);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(jp_int_checks_range_and_wholeness)
{
	char path[JP_PATH_MAX];
	json_t *o = obj_at(path);
	int64_t i = 0;

	ck_assert_int_eq(jp_int(&jp, o, path, "i", JP_REQUIRED, 0, 5, &i), 1);
	ck_assert_int_eq(i, 5);
	ck_assert_int_eq(jp_int(&jp, o, path, "neg", JP_REQUIRED, -3, 0, &i),
			 1);
	ck_assert_int_eq(i, -3);
	/* A whole number written as a real is an integer. */
	ck_assert_int_eq(jp_int(&jp, o, path, "whole", JP_REQUIRED, 0, 9, &i),
			 1);
	ck_assert_int_eq(i, 7);
	ck_assert_str_eq(err, "");

	i = 42;
	ck_assert_int_eq(jp_int(&jp, o, path, "i", JP_REQUIRED, 0, 4, &i),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].i: must be an integer from 0 to 4");
	ck_assert_int_eq(jp_int(&jp, o, path, "i", JP_REQUIRED, 6, 9, &i),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].i: must be an integer from 6 to 9");
	ck_assert_int_eq(jp_int(&jp, o, path, "neg", JP_REQUIRED, -2, 9, &i),
			 -EINVAL);
	ck_assert_str_eq(err,
			 "NAME: a.b[2].neg: must be an integer from -2 to 9");
	ck_assert_int_eq(jp_int(&jp, o, path, "f", JP_REQUIRED, 0, 9, &i),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].f: must be an integer from 0 to 9");
	ck_assert_int_eq(jp_int(&jp, o, path, "s", JP_REQUIRED, 0, 9, &i),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].s: must be an integer from 0 to 9");
	ck_assert_int_eq(jp_int(&jp, o, path, "t", JP_REQUIRED, 0, 9, &i),
			 -EINVAL);
	ck_assert_int_eq(i, 42);
}
END_TEST

/* 2^64-1, as podman writes an unlimited rlimit, is too big for jansson's
 * integers: jp_loads parses the text again with doubles, and jp_uint64
 * turns the whole double back into UINT64_MAX. */
START_TEST(jp_uint64_takes_uint64_max)
{
	json_t *o;
	uint64_t u = 0;
	int64_t i = 0;

	o = load("{ 'max': 18446744073709551615, 'small': 1024,"
		 "  'i63': 9223372036854775807, 'neg': -1, 'zero': 0,"
		 "  'half': 0.5, 'huge': 100000000000000000000 }");
	root = o;
	ck_assert(json_is_real(json_object_get(o, "max")));
	ck_assert_int_eq(jp_uint64(&jp, o, "rl", "max", JP_REQUIRED, &u), 1);
	ck_assert(u == UINT64_MAX);
	ck_assert_int_eq(jp_uint64(&jp, o, "rl", "small", JP_REQUIRED, &u), 1);
	ck_assert_uint_eq(u, 1024);
	ck_assert_int_eq(jp_uint64(&jp, o, "rl", "zero", JP_REQUIRED, &u), 1);
	ck_assert_uint_eq(u, 0);
	/* The other numbers of the document are doubles now, and still
	 * integers to jp_int. */
	ck_assert_int_eq(
		jp_int(&jp, o, "rl", "small", JP_REQUIRED, 0, 2048, &i), 1);
	ck_assert_int_eq(i, 1024);
	ck_assert_str_eq(err, "");

	ck_assert_int_eq(jp_uint64(&jp, o, "rl", "neg", JP_REQUIRED, &u),
			 -EINVAL);
	ck_assert_str_eq(
		err,
		"NAME: rl.neg: must be an integer from 0 to 18446744073709551615");
	ck_assert_int_eq(jp_uint64(&jp, o, "rl", "half", JP_REQUIRED, &u),
			 -EINVAL);
	ck_assert_str_eq(
		err,
		"NAME: rl.half: must be an integer from 0 to 18446744073709551615");
	ck_assert_int_eq(jp_uint64(&jp, o, "rl", "huge", JP_REQUIRED, &u),
			 -EINVAL);
	ck_assert_str_eq(
		err,
		"NAME: rl.huge: must be an integer from 0 to 18446744073709551615");
	ck_assert_int_eq(
		jp_int(&jp, o, "rl", "max", JP_REQUIRED, 0, INT64_MAX, &i),
		-EINVAL);
	ck_assert_int_eq(i, 1024);
}
END_TEST

/* Without a number too big, the first parse keeps integers exact. */
START_TEST(jp_loads_keeps_integers_when_they_fit)
{
	int64_t i = 0;

	root = load("{ 'i': 9223372036854775807, 'j': -9223372036854775807 }");
	ck_assert(json_is_integer(json_object_get(root, "i")));
	ck_assert_int_eq(
		jp_int(&jp, root, "", "i", JP_REQUIRED, 0, INT64_MAX, &i), 1);
	ck_assert(i == INT64_MAX);
	ck_assert_int_eq(
		jp_int(&jp, root, "", "j", JP_REQUIRED, -INT64_MAX, 0, &i), 1);
	ck_assert(i == -INT64_MAX);
}
END_TEST

START_TEST(jp_strv_copies_strings_and_names_a_bad_element)
{
	char path[JP_PATH_MAX], **v = NULL;
	json_t *o = obj_at(path);

	ck_assert_int_eq(jp_strv(&jp, o, path, "v", JP_REQUIRED, &v), 1);
	ck_assert_uint_eq(strv_length(v), 2);
	ck_assert_str_eq(v[0], "x");
	ck_assert_str_eq(v[1], "y");
	strv_free(v);
	v = NULL;
	/* Present and empty is an empty vector, not NULL. */
	ck_assert_int_eq(jp_strv(&jp, o, path, "empty", JP_REQUIRED, &v), 1);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_null(v[0]);
	strv_free(v);
	v = NULL;
	ck_assert_str_eq(err, "");

	ck_assert_int_eq(jp_strv(&jp, o, path, "badv", JP_REQUIRED, &v),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].badv[1]: must be a string");
	ck_assert_ptr_null(v);
}
END_TEST

static const char *kv_get(const struct kv *kv, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return NULL;
}

START_TEST(jp_map_copies_pairs_and_names_a_bad_value)
{
	char path[JP_PATH_MAX];
	json_t *o = obj_at(path);
	struct kv *kv = NULL;
	size_t n = 0;

	ck_assert_int_eq(jp_map(&jp, o, path, "m", &kv, &n), 1);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(kv_get(kv, n, "k1"), "v1");
	ck_assert_str_eq(kv_get(kv, n, "k2"), "");
	kv_free(kv, n);
	kv = NULL;
	n = 0;

	/* An empty object is present: no pairs. */
	json_object_set_new(o, "none", json_object());
	ck_assert_int_eq(jp_map(&jp, o, path, "none", &kv, &n), 1);
	ck_assert_uint_eq(n, 0);
	kv_free(kv, n);
	kv = NULL;
	ck_assert_str_eq(err, "");

	ck_assert_int_eq(jp_map(&jp, o, path, "badm", &kv, &n), -EINVAL);
	ck_assert_str_eq(err, "NAME: a.b[2].badm.k2: must be a string");
	ck_assert_ptr_null(kv);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(jp_want_object_and_int_check_a_value_in_hand)
{
	json_t *v;
	int64_t i = 0;

	root = load("[ { }, 3, 'x', 70000 ]");
	ck_assert_int_eq(jp_want_object(&jp, json_array_get(root, 0), "l[0]"),
			 0);
	ck_assert_int_eq(
		jp_want_int(&jp, json_array_get(root, 1), "l[1]", 0, 5, &i), 0);
	ck_assert_int_eq(i, 3);
	ck_assert_str_eq(err, "");
	v = json_array_get(root, 1);
	ck_assert_int_eq(jp_want_object(&jp, v, "l[1]"), -EINVAL);
	ck_assert_str_eq(err, "NAME: l[1]: must be an object");
	ck_assert_int_eq(
		jp_want_int(&jp, json_array_get(root, 2), "l[2]", 0, 5, &i),
		-EINVAL);
	ck_assert_str_eq(err, "NAME: l[2]: must be an integer from 0 to 5");
	ck_assert_int_eq(
		jp_want_int(&jp, json_array_get(root, 3), "l[3]", 0, 65535, &i),
		-EINVAL);
	ck_assert_str_eq(err, "NAME: l[3]: must be an integer from 0 to 65535");
	ck_assert_int_eq(i, 3);
}
END_TEST

START_TEST(jp_check_absolute_names_the_relative_path)
{
	char *good[] = { "/proc/kcore", "/", NULL };
	char *bad[] = { "/proc/kcore", "sys/firmware", NULL };

	ck_assert_int_eq(jp_check_absolute(&jp, good, "linux.maskedPaths"), 0);
	ck_assert_int_eq(jp_check_absolute(&jp, NULL, "linux.maskedPaths"), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(jp_check_absolute(&jp, bad, "linux.maskedPaths"),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: linux.maskedPaths[1]: \"sys/firmware\" "
			      "is not an absolute path");
}
END_TEST

/* A syntax error is "NAME:LINE:COLUMN: invalid JSON: ...", with jansson's
 * line and column, counted from 1. */
START_TEST(jp_loads_syntax_error_names_line_and_column)
{
	const char *prefix = "NAME:3:3: invalid JSON: ";

	ck_assert_ptr_null(jp_loads(&jp, "{\n  \"a\": 1,\n  ]\n}", 0));
	ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0,
		      "\"%s\" does not start with \"%s\"", err, prefix);
	ck_assert_ptr_nonnull(strstr(err, "near ']'"));

	ck_assert_ptr_null(jp_loads(&jp, "[1,\n 2,\n 3 4]", 0));
	ck_assert_str_eq(err, "NAME:3:4: invalid JSON: ']' expected near '4'");
	ck_assert_ptr_null(jp_loads(&jp, "{} x", 0));
	ck_assert(strncmp(err, "NAME:1:", 7) == 0);
	ck_assert_ptr_null(jp_loads(&jp, "", 0));
	ck_assert(strncmp(err, "NAME:1:0: invalid JSON: ", 24) == 0);
	/* The flags reach jansson. */
	ck_assert_ptr_null(
		jp_loads(&jp, "{\"a\": 1, \"a\": 2}", JSON_REJECT_DUPLICATES));
	ck_assert_ptr_nonnull(strstr(err, "duplicate object key"));
}
END_TEST

START_TEST(jp_load_file_reads_a_file_and_names_a_missing_one)
{
	char path[] = "/tmp/barge-unit-json-XXXXXX";
	int fd, r = 0;
	json_t *v;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "{\n\"x\": [ 1 ]\n}\n", 15), 15);
	close(fd);
	v = jp_load_file(&jp, path, 0, &r);
	unlink(path);
	ck_assert_msg(v, "%s", err);
	ck_assert(json_is_array(json_object_get(v, "x")));
	json_decref(v);

	ck_assert_ptr_null(jp_load_file(&jp, path, 0, &r));
	ck_assert_int_eq(r, -ENOENT);
	ck_assert_str_eq(err, "NAME: No such file or directory");

	/* An empty file is empty text (valgrind, in make memcheck, sees a
	 * read of what getdelim() left unwritten). */
	strcpy(path, "/tmp/barge-unit-json-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	v = jp_load_file(&jp, path, 0, &r);
	unlink(path);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(r, -EINVAL);
	ck_assert_str_eq(err, "NAME:1:0: invalid JSON: '[' or '{' expected "
			      "near end of file");
}
END_TEST

/* jp_dump_file writes 2^64-1 as Go does, so that jp_loads and runc read
 * it back; the file appears whole, with no temporary file left. */
START_TEST(jp_dump_file_writes_uint64_max_and_replaces_the_file)
{
	char dir[] = "/tmp/barge-unit-json-XXXXXX", path[64], tmp[80];
	char text[256];
	json_t *v;
	uint64_t u = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	root = json_pack("{s:o, s:i, s:s}", "hard", jp_uint64_max(), "soft",
			 1024, "s", "x");
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(write_file(path, "old"), 0);
	ck_assert_int_eq(jp_dump_file(root, path), 0);
	ck_assert_int_gt(read_file(path, text, sizeof(text)), 0);
	ck_assert_int_eq(access(tmp, F_OK), -1);
	unlink(path);
	rmdir(dir);
	ck_assert_msg(strstr(text, "\"hard\": 18446744073709551615"), "%s",
		      text);
	v = jp_loads(&jp, text, 0);
	ck_assert_msg(v, "%s", err);
	ck_assert_int_eq(jp_uint64(&jp, v, "", "hard", JP_REQUIRED, &u), 1);
	json_decref(v);
	ck_assert(u == UINT64_MAX);

	ck_assert_int_eq(jp_dump_file(root, "/nonexistent/barge/config.json"),
			 -ENOENT);
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, jp_key_and_jp_index_build_paths);
	tcase_add_test(tc, jp_long_path_is_cut_with_ellipsis);
	tcase_add_test(tc, jp_fail_writes_name_path_and_message);
	tcase_add_test(tc, jp_string_gets_a_copy);
	tcase_add_test(tc, jp_getters_leave_absent_and_null_alone);
	tcase_add_test(tc, jp_required_key_must_be_there);
	tcase_add_test(tc, jp_wrong_type_names_the_path);
	tcase_add_test(tc, jp_object_array_and_bool_get_their_value);
	tcase_add_test(tc, jp_int_checks_range_and_wholeness);
	tcase_add_test(tc, jp_uint64_takes_uint64_max);
	tcase_add_test(tc, jp_loads_keeps_integers_when_they_fit);
	tcase_add_test(tc, jp_strv_copies_strings_and_names_a_bad_element);
	tcase_add_test(tc, jp_map_copies_pairs_and_names_a_bad_value);
	tcase_add_test(tc, jp_want_object_and_int_check_a_value_in_hand);
	tcase_add_test(tc, jp_check_absolute_names_the_relative_path);
	tcase_add_test(tc, jp_loads_syntax_error_names_line_and_column);
	tcase_add_test(tc, jp_load_file_reads_a_file_and_names_a_missing_one);
	tcase_add_test(tc,
		       jp_dump_file_writes_uint64_max_and_replaces_the_file);
	suite_add_tcase(s, tc);
	return s;
}
