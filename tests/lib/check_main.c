/* SPDX-License-Identifier: MIT */
/*
 * check_main.c - main() of every integration test program: run the
 * chapter's suite, then the leftovers check, and print Check's summary.
 *
 * CK_RUN_CASE=name (Check's own variable) runs a single test.
 */
#include <check.h>
#include <stdlib.h>

#include "harness.h"

Suite *chapter_suite(void);

int main(void)
{
	SRunner *sr;
	int failed;

	leftovers_snapshot();
	sr = srunner_create(chapter_suite());
	srunner_add_suite(sr, leftovers_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
