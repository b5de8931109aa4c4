/* SPDX-License-Identifier: MIT */
/*
 * unit_main.c - main() of build/tests/unit: run every suite of unit.h
 * with one runner and print Check's summary line, which tools/run-tests
 * adds up.
 *
 * CK_RUN_SUITE=json or CK_RUN_CASE=name (Check's own variables) run a
 * part; CK_FORK=no runs the tests in this process (make memcheck does,
 * under valgrind).
 */
#include <check.h>
#include <stddef.h>
#include <stdlib.h>

#include "unit.h"

static Suite *(*const suites[])(void) = {
	util_suite,
	strv_suite,
	json_suite,
	log_suite,
	seccomp_profile_suite,
	oci_spec_suite,
};

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	size_t i;
	int failed;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
