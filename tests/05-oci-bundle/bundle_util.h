/* SPDX-License-Identifier: MIT */
/*
 * bundle_util.h - what chapter 05's tests share: run barge with flags, run
 * barge-runtime on a bundle of the test's own, capture the bundle barge
 * writes, read config.json files with jansson, and clean up after all of
 * it.
 *
 * Every scratch file of these tests lives in a directory made by
 * scratch_dir(), /tmp/barge-t05-XXXXXX; every container id barge-runtime
 * is given directly starts with "t05-". bundle_sweep() removes both kinds
 * of leftovers after each test, so that one failed test does not fail the
 * others.
 */
#ifndef BARGE_BUNDLE_UTIL_H
#define BARGE_BUNDLE_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "container_cases.h"

/* Docker's default capability set, as /proc/self/status shows it. */
#define DOCKER_CAPS "00000000a80425fb"
#define NO_CAPS	    "0000000000000000"

/* The unprivileged user of the rootless tests: setpriv needs no passwd
 * entry for it. */
#define ROOTLESS_UID "40123"

/* barge run --rootfs $ROOTFS FLAGS... -- CMD... (both NULL-terminated,
 * flags may be NULL), at most 60 seconds. */
void run_with(struct run_result *r, const char *const flags[],
	      const char *const cmd[]);

/* The same; the container must exit 0: its chomped stdout. */
const char *ok_with(struct run_result *r, const char *const flags[],
		    const char *const cmd[]);

/* r's stderr is one line, and has what in it. */
void assert_one_line(const struct run_result *r, const char *what);

/* A program of the chapter, next to $BARGE: "barge-runtime",
 * "barge-init". */
const char *chapter_program(const char *name);

/* Make a fresh /tmp/barge-t05-XXXXXX directory with mode 0755; its path
 * in dir (at least 64 bytes). */
void scratch_dir(char *dir);

/* rm -rf a directory made by scratch_dir(), a copy of a rootfs included. */
void remove_tree(const char *dir);

/* cp -a src dst. */
void copy_tree(const char *src, const char *dst);

/* Write text to path, with mode. */
void write_text(const char *path, const char *text, mode_t mode);

/* Run argv (NULL-terminated) with stdin from /dev/null, at most timeout_s
 * seconds; what it printed in r. */
void command_run(struct run_result *r, int timeout_s, char *const argv[]);

/* The same, with directory dir open (not close-on-exec) as descriptor n
 * of the program, as a careless caller would leave one. */
void command_run_leaking(struct run_result *r, int timeout_s,
			 char *const argv[], const char *dir, int n);

/* barge-runtime ARGS... (NULL-terminated), at most 60 seconds. */
void runtime_run(struct run_result *r, ...);

/* What barge gave its runtime: the config.json of the bundle, the bundle
 * directory and the container id from "run --bundle DIR ID", the names
 * of the bundle's files and its hostname file. */
struct capture {
	json_t *config;
	char bundle[256];
	char id[64];
	char files[256];
	char hostname[128];
};

/* Run barge with flags and a runtime that copies the bundle out and runs
 * nothing (--runtime, or $BARGE_RUNTIME if via_env); barge must exit 0.
 * Release with capture_free(). */
void capture_bundle(struct capture *c, const char *const flags[], bool via_env);
void capture_free(struct capture *c);

/* The member at a dotted path ("linux.resources.memory.limit"), or NULL. */
json_t *jget(json_t *root, const char *path);
/* Its string or integer value; the test fails if it is not one. */
const char *jstr(json_t *root, const char *path);
long long jint(json_t *root, const char *path);
/* Whether an array of strings holds s. */
bool jhas(json_t *array, const char *s);

/* A file of the repository, by its path in it, or NULL: the test program
 * is TOP/build/DIR/NAME, under make test and under the lab grader. No
 * ck_assert: chapter_suite() uses it too. */
const char *repo_path(const char *rel, char *buf, size_t size);

/* tests/oci-configs/NAME, made runnable here: root.path is $ROOTFS (its
 * absolute path), process.terminal false, process.args cmd. */
json_t *oci_config(const char *name, const char *const cmd[]);
/* Write config as dir/config.json. */
void write_config(const char *dir, json_t *config);

/* Whether a cgroup named id exists under any "barge" parent. */
bool cgroup_exists(const char *id);

/* Does the kernel account swap (v1 memsw files, v2 memory.swap.max)? */
bool host_accounts_swap(void);

/* The names in a directory, sorted, one per line ("" if none). Free it. */
char *dir_listing(const char *dir);

/* After each test (set_test_cleanup): remove what a failed test left. */
void bundle_sweep(void);

/* Add t as a loop test over [0, n) in a TCase of its own, named like it,
 * with bundle_sweep after it. */
void add_loop_test(Suite *s, const TTest *t, int n, int timeout_s);

/* The tests of each file. */
void add_bundle_tests(Suite *s);
void add_proof_tests(Suite *s);
void add_engine_tests(Suite *s);
void add_runtime_tests(Suite *s);

#endif
