/* SPDX-License-Identifier: MIT */
/*
 * container_cases.h - tests every chapter from 01 on must pass, whatever
 * else it adds: the command runs inside the rootfs, its exit status and
 * signals get through, and bad input gets Docker's exit codes.
 */
#ifndef BARGE_CONTAINER_CASES_H
#define BARGE_CONTAINER_CASES_H

#include "harness.h"

/* Run "barge run --rootfs $ROOTFS -- ARGS..." (NULL-terminated). */
void container_run(struct run_result *res, int timeout_s, ...);

/* Run probe ARGS in a container and return its chomped stdout; the
 * container must exit 0. */
const char *probe(struct run_result *res, ...);

/* Add the shared cases to s. */
void add_container_cases(Suite *s);

#endif
