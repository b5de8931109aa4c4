/* SPDX-License-Identifier: MIT */
/*
 * escape_cases.h - hostile root filesystems, for every runtime chapter
 * from 05 on: symlinks that point out of the rootfs, at a directory of
 * the host, under mount destinations, /dev, /proc, masked and read-only
 * paths. Each case runs a bundle and checks that the host's directory is
 * unchanged and that what config.json asked for happened inside the
 * rootfs (runc's securejoin; CVE-2019-19921, CVE-2021-30465).
 */
#ifndef BARGE_ESCAPE_CASES_H
#define BARGE_ESCAPE_CASES_H

#include "harness.h"

/* How a chapter's tests run barge-runtime on a bundle, to its end. */
typedef void (*bundle_runner)(struct run_result *r, const char *bundle,
			      const char *id);

/* Add the cases to s, each a test of its own, run by run. */
void add_escape_cases(Suite *s, bundle_runner run);

/* runc's CVE-2019-5736: /proc/PID/exe of process pid, which a container
 * may reach, is a copy of binary nobody can change: on a read-only mount
 * (open for writing says EROFS) or a memfd sealed against writes; a write
 * through it fails, and binary is unchanged after the attempt. */
void assert_sealed_exe(pid_t pid, const char *binary);

/* cgroupsPaths too long, each in its own way (05 and 06 refuse them all,
 * making nothing): for config.json's check; below a hierarchy's root;
 * with the names of the files written in it; one name past NAME_MAX. */
struct long_path_case {
	size_t total, part; /* its length, and that of each name in it */
	const char *error;  /* what the runtime says */
};
#define N_LONG_PATHS 4
extern const struct long_path_case long_paths[N_LONG_PATHS];

/* "barge/long/" and then names of part 'x's each, separated by '/',
 * until buf holds total characters (the last name may be shorter). */
void long_path(char *buf, size_t total, size_t part);

#endif
