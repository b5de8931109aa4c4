/* SPDX-License-Identifier: MIT */
/*
 * unit.h - the suites of the unit tests of common/, one per module, each
 * in its own tests/unit/test_NAME.c; unit_main.c runs them all.
 */
#ifndef BARGE_UNIT_H
#define BARGE_UNIT_H

#include <check.h>

Suite *util_suite(void);
Suite *strv_suite(void);
Suite *json_suite(void);
Suite *log_suite(void);
Suite *seccomp_profile_suite(void);
Suite *oci_spec_suite(void);

#endif
