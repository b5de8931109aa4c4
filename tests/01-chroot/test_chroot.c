/* SPDX-License-Identifier: MIT */
/*
 * test_chroot.c - integration tests of chapter 01: the command runs with
 * the rootfs as its root directory and a /proc that is gone afterwards;
 * and, the chapter's lesson, chroot alone does not isolate.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container_cases.h"

START_TEST(proc_mounted_inside)
{
	struct run_result r;

	probe(&r, "ls", "/proc", NULL);
	ck_assert_msg(strstr(r.out, "self\n"), "no /proc/self: %s", r.out);
}
END_TEST

/* While the container runs its /proc is visible on the host (no mount
 * namespace yet); afterwards the host's mount table is as before. */
START_TEST(proc_unmounted_afterwards)
{
	char *before = mount_table(), *after;
	struct run_result r;

	probe(&r, "file", "/proc/self/mountinfo", NULL);
	ck_assert_msg(strstr(r.out, " /proc "), "no /proc mount: %s", r.out);
	after = mount_table();
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
}
END_TEST

/* Without a PID namespace the container sees every host process. */
START_TEST(chroot_shares_the_host_pids)
{
	struct run_result r;

	probe(&r, "pid", NULL);
	ck_assert_int_gt(atoi(r.out), 1);
	probe(&r, "ps", NULL);
	ck_assert_msg(strncmp(r.out, "1\n", 2) == 0, "no host PID 1: %s",
		      r.out);
}
END_TEST

/* The chapter's demo: root in a chroot walks back out to the host's /. */
START_TEST(chroot_escape_works_as_root)
{
	char host_marker[] = "/tmp/barge-escape-XXXXXX";
	struct run_result r;
	char *name;

	require_root();
	ck_assert_ptr_nonnull(mkdtemp(host_marker));
	name = host_marker + strlen("/tmp/");
	container_run(&r, 30, "probe", "escape-chroot", "ls", "/tmp", NULL);
	rmdir(host_marker);
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	ck_assert_msg(strstr(r.out, "escaped"), "%s", r.out);
	ck_assert_msg(strstr(r.out, name), "host's /tmp not seen: %s", r.out);
}
END_TEST

Suite *chapter_suite(void)
{
	Suite *s = suite_create("01-chroot");

	add_container_cases(s);
	add_test(s, proc_mounted_inside, 60);
	add_test(s, proc_unmounted_afterwards, 60);
	add_test(s, chroot_shares_the_host_pids, 60);
	add_test(s, chroot_escape_works_as_root, 60);
	return s;
}
