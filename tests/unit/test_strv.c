/* SPDX-License-Identifier: MIT */
/*
 * test_strv.c - unit tests of common/strv.c: NULL-terminated vectors of
 * malloc'd strings, where NULL is a valid empty vector.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"
#include "unit.h"

START_TEST(strv_length_counts_up_to_null)
{
	char *v[] = { "a", "b", "c", NULL };
	char *empty[] = { NULL };

	ck_assert_uint_eq(strv_length(v), 3);
	ck_assert_uint_eq(strv_length(empty), 0);
	ck_assert_uint_eq(strv_length(NULL), 0);
}
END_TEST

/* strv_push grows a vector from NULL and stores copies, not the caller's
 * pointers. */
START_TEST(strv_push_appends_copies)
{
	char word[8] = "first", **v = NULL;

	ck_assert_int_eq(strv_push(&v, word), 0);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_ne(v[0], word);
	strcpy(word, "second");
	ck_assert_int_eq(strv_push(&v, word), 0);
	ck_assert_int_eq(strv_push(&v, ""), 0);
	ck_assert_uint_eq(strv_length(v), 3);
	ck_assert_str_eq(v[0], "first");
	ck_assert_str_eq(v[1], "second");
	ck_assert_str_eq(v[2], "");
	ck_assert_ptr_null(v[3]);
	strv_free(v);
}
END_TEST

START_TEST(strv_copy_is_deep)
{
	char *v[] = { "x", "yz", NULL }, *empty[] = { NULL }, **c;

	c = strv_copy(v);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_ne(c, v);
	ck_assert_uint_eq(strv_length(c), 2);
	ck_assert_str_eq(c[0], "x");
	ck_assert_str_eq(c[1], "yz");
	ck_assert_ptr_ne(c[0], v[0]);
	ck_assert_ptr_ne(c[1], v[1]);
	ck_assert_ptr_null(c[2]);
	strv_free(c);

	/* An empty vector copies to an empty vector, NULL to NULL. */
	c = strv_copy(empty);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(c[0]);
	strv_free(c);
	ck_assert_ptr_null(strv_copy(NULL));
}
END_TEST

START_TEST(strv_contains_compares_strings)
{
	char a[] = "CAP_KILL", *v[] = { "CAP_CHOWN", a, NULL };

	ck_assert(strv_contains(v, "CAP_KILL"));
	ck_assert(strv_contains(v, "CAP_CHOWN"));
	ck_assert(!strv_contains(v, "CAP_KIL"));
	ck_assert(!strv_contains(v, "CAP_KILLX"));
	ck_assert(!strv_contains(v, ""));
	ck_assert(!strv_contains(NULL, "CAP_KILL"));
}
END_TEST

START_TEST(strv_free_takes_null_and_empty)
{
	strv_free(NULL);
	strv_free(calloc(1, sizeof(char *)));
}
END_TEST

Suite *strv_suite(void)
{
	Suite *s = suite_create("strv");
	TCase *tc = tcase_create("strv");

	tcase_add_test(tc, strv_length_counts_up_to_null);
	tcase_add_test(tc, strv_push_appends_copies);
	tcase_add_test(tc, strv_copy_is_deep);
	tcase_add_test(tc, strv_contains_compares_strings);
	tcase_add_test(tc, strv_free_takes_null_and_empty);
	suite_add_tcase(s, tc);
	return s;
}
