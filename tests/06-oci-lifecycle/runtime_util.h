/* SPDX-License-Identifier: MIT */
/*
 * runtime_util.h - what chapter 06's tests share: run barge-runtime with
 * a state root of the test's own, and write bundles.
 */
#ifndef BARGE_RUNTIME_UTIL_H
#define BARGE_RUNTIME_UTIL_H

#include <sys/types.h>

#include "harness.h"

extern char t_root[64], t_bundle[64];

/* Make t_root and t_bundle (/tmp/barge-...); remove them, checking that
 * no container is left in t_root. */
void rt_setup(void);
void rt_teardown(void);
void rt_sweep(void);

/* barge-runtime: $RUNTIME, or next to $BARGE. */
const char *rt_path(void);

/* Run barge-runtime --root t_root ARGS... (NULL-terminated). */
void rt_run(struct run_result *res, ...);

/* The same, with dir open (not close-on-exec) as barge-runtime's
 * descriptor n, as a careless caller would leave one. */
void rt_run_leaking(struct run_result *res, const char *dir, int n, ...);

/* Write t_bundle/config.json: the process args (a JSON array's inside,
 * like "\"sh\", \"-c\", \"exit 3\""), and extra top-level members (with
 * a leading comma) or "". */
void rt_bundle(const char *args, bool terminal, const char *extra);
/* The same, with more members of "linux" (with a leading comma). */
void rt_bundle_linux(const char *args, bool terminal, const char *linux_extra,
		     const char *extra);
/* The same, with more members of "process" (with a leading comma). */
void rt_bundle_full(const char *args, bool terminal, const char *process_extra,
		    const char *linux_extra, const char *extra);

/* A file of the repository by its path in it, or NULL: the test program
 * is TOP/build/DIR/NAME, under make test and under the lab grader. No
 * ck_assert: chapter_suite() uses it too. */
const char *repo_path(const char *rel, char *buf, size_t size);

/* The pid in "barge-runtime state ID", or -1. */
int rt_state_pid(const char *id, char *status, size_t size);

/* Read a whole (small) file into buf; its length or -errno. */
ssize_t slurp(const char *path, char *buf, size_t size);

/* Count the entries of a directory (-1 if it does not exist). */
int count_entries(const char *dir);

/* How many cgroups container id has under a "barge" parent: one per v1
 * hierarchy, or the one of cgroup v2. */
size_t rt_cgroups(const char *id);

/* test_podman.c: podman drives barge-runtime. */
void add_podman_tests(Suite *s);

/* test_cli.c: r failed with exit code 1, and its stderr has msg. */
void rt_expect_error(const struct run_result *r, const char *msg);
/* test_cli.c: create container id, a sleep waiting for start, from
 * t_bundle (rewritten, with a pids limit: it has a cgroup); the calling
 * test becomes a subreaper. */
void rt_create_sleeper(const char *id);

/* The tests of test_cli.c, test_hooks.c and test_log.c. */
void add_cli_tests(Suite *s);
void add_hooks_tests(Suite *s);
void add_log_tests(Suite *s);
/* test_devices.c: linux.resources.devices. */
void add_devices_tests(Suite *s);

#endif
