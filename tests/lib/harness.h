/* SPDX-License-Identifier: MIT */
/*
 * harness.h - what the integration tests share: run barge, capture what it
 * prints, and check that nothing was left behind.
 *
 * The tests find the program under test and the root filesystem through the
 * environment, set by the Makefile:
 *
 *	BARGE          path to the chapter's barge binary
 *	ROOTFS         the embedded default root filesystem (make rootfs)
 *	BARGE_WRAPPER  optional command prefix, e.g. "valgrind -q ..."
 */
#ifndef BARGE_HARNESS_H
#define BARGE_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <sys/types.h>

struct run_result {
	int code;	 /* exit code, 128+N for a death by signal N */
	char out[65536]; /* everything barge printed on stdout */
	char err[16384]; /* ... and on stderr */
};

/* Run "$BARGE ARGS..." (NULL-terminated) with stdin from /dev/null, at most
 * timeout_s seconds; the result is in *res. */
void barge_run(struct run_result *res, int timeout_s, ...);
void barge_runv(struct run_result *res, int timeout_s, char *const args[]);

/* Start barge in the background with stdout on a pipe; returns its pid and
 * the read end in *ret_fd. */
pid_t barge_spawn(int *ret_fd, char *const args[]);

/* Read one line from fd (without the newline), waiting at most timeout_s. */
int read_line(int fd, char *buf, size_t size, int timeout_s);

/* Wait for pid, at most timeout_s seconds (then SIGKILL); its exit code. */
int wait_exit(pid_t pid, int timeout_s);

const char *test_barge(void);
const char *test_rootfs(void);

/* Fail the test, saying why, unless we are root. */
void require_root(void);

/* The mount points of the calling process's mount namespace, as one
 * string, for before/after comparisons. */
char *mount_table(void);

/* Add test t to suite s in a test case of its own, named like the test:
 * the lab grader finds tests by that name. */
void add_test(Suite *s, const TTest *t, int timeout_s);

/* Run fn after each test added from now on, in the test runner itself,
 * even when the test failed (Check's unchecked fixture): a sweep for what
 * a failed assertion kept the test from removing. */
void set_test_cleanup(void (*fn)(void));

/* Whether path was one of the /tmp/barge-* scratch files before the tests
 * began (a sweep must leave those alone). */
bool scratch_existed_before(const char *path);

/* A suite that runs last and checks that the tests left no mount,
 * container process, /tmp/barge-* scratch file, /run/barge state
 * directory or /run/barge-bundles bundle behind. */
Suite *leftovers_suite(void);
void leftovers_snapshot(void);

/* Remove a /tmp/barge-* scratch tree: children first, symlinks not
 * followed, never into another filesystem (a mount left behind stays, and
 * the leftovers suite shows it). Anything else is left alone. Not a test
 * step (sweeps call it too): it reports, but asserts nothing. */
void remove_scratch(const char *dir);

/* Trim trailing newlines in place and return s. */
char *chomp(char *s);

#endif
