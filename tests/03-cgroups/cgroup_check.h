/* SPDX-License-Identifier: MIT */
/*
 * cgroup_check.h - what the cgroup tests ask of the host's cgroup tree,
 * for cgroup v1 and v2 alike: the containers' cgroups under every barge
 * parent, and the files in them.
 */
#ifndef BARGE_CGROUP_CHECK_H
#define BARGE_CGROUP_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* The container cgroups under every barge parent, one path a line:
 * /sys/fs/cgroup/barge/ID (v2), /sys/fs/cgroup/CONTROLLER/barge/ID (v1).
 * "" when there are none. Free the result. */
char *barge_cgroups(void);

/* Remove every container cgroup (a failed test's leftovers). */
void remove_barge_cgroups(void);

/* Fail the test if a container cgroup is left; remove it first, so that
 * the next test does not fail for this one. */
void assert_no_barge_cgroups(void);

/* The content of FILE in whichever container cgroup has it (chomped), or
 * NULL: e.g. "memory.max" (v2) or "memory.limit_in_bytes" (v1). */
char *barge_cgroup_file(const char *file, char *buf, size_t size);

/* Does the kernel account swap? v1: memsw files in the memory hierarchy;
 * v2: memory.swap.max in a cgroup below the root. */
bool host_accounts_swap(void);

#endif
