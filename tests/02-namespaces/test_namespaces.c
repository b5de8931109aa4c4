/* SPDX-License-Identifier: MIT */
/*
 * test_namespaces.c - integration tests of chapter 02, asserted from
 * inside the container with the probe: each namespace isolates what it
 * should, the mount setup leaves the host's mount table as it was, and a
 * minimal init does PID 1's duties.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "container_cases.h"

/* Run probe ARGS in a container with extra barge flags before "--". */
static void run_with(struct run_result *r, const char *flag1, const char *flag2,
		     char *const cmd[])
{
	char *args[32] = { "run", "--rootfs", (char *)test_rootfs() };
	int n = 3, i;

	if (flag1)
		args[n++] = (char *)flag1;
	if (flag2)
		args[n++] = (char *)flag2;
	args[n++] = "--";
	for (i = 0; cmd[i] && n < 31; i++)
		args[n++] = cmd[i];
	args[n] = NULL;
	barge_runv(r, 30, args);
}

START_TEST(hostname_isolated)
{
	struct utsname before, after;
	struct run_result r;
	char *cmd[] = { "probe", "hostname", NULL };
	char *file[] = { "probe", "file", "/etc/hostname", NULL };

	require_root();
	uname(&before);
	run_with(&r, "--hostname", "box42", cmd);
	ck_assert_int_eq(r.code, 0);
	ck_assert_str_eq(chomp(r.out), "box42");
	run_with(&r, "--hostname", "box42", file);
	ck_assert_str_eq(r.out, "box42\n");
	uname(&after);
	ck_assert_str_eq(after.nodename, before.nodename);
}
END_TEST

/* Without --hostname, the hostname is a fresh 12-digit id, like Docker. */
START_TEST(default_hostname_is_an_id)
{
	struct run_result r;
	char first[64];

	probe(&r, "hostname", NULL);
	ck_assert_uint_eq(strlen(r.out), 12);
	ck_assert_uint_eq(strspn(r.out, "0123456789abcdef"), 12);
	snprintf(first, sizeof(first), "%s", r.out);
	probe(&r, "hostname", NULL);
	ck_assert_str_ne(r.out, first);
}
END_TEST

START_TEST(invalid_hostname_is_125)
{
	struct run_result r;
	char *cmd[] = { "true", NULL };

	require_root();
	run_with(&r, "--hostname", "not a hostname", cmd);
	ck_assert_int_eq(r.code, 125);
	ck_assert_msg(strstr(r.err, "not a hostname"), "got: %s", r.err);
}
END_TEST

/* PID 1 is the container's init; only the container's processes show. */
START_TEST(pid1_is_init)
{
	struct run_result r;

	probe(&r, "ppid", NULL);
	ck_assert_str_eq(r.out, "1");
	probe(&r, "pid", NULL);
	ck_assert_str_eq(r.out, "2");
	probe(&r, "ps", NULL);
	ck_assert_str_eq(r.out, "1\n2");
}
END_TEST

START_TEST(no_init_makes_command_pid1)
{
	struct run_result r;
	char *cmd[] = { "probe", "pid", NULL };

	require_root();
	run_with(&r, "--no-init", NULL, cmd);
	ck_assert_int_eq(r.code, 0);
	ck_assert_str_eq(chomp(r.out), "1");
}
END_TEST

START_TEST(orphan_zombie_reaped)
{
	struct run_result r;

	probe(&r, "orphan-zombie", NULL);
	ck_assert_msg(strcmp(r.out, "0") == 0, "zombies left: %s", r.out);
}
END_TEST

/* The PID 1 problem: without init, a SIGTERM the command has no handler
 * for is dropped; with init the command dies of it. */
static int term_after(const char *flag, double *ret_seconds)
{
	char *args[] = { "run",	       "--rootfs", (char *)test_rootfs(),
			 (char *)flag, "--",	   "sleep",
			 "2",	       NULL };
	struct timespec t0, t1;
	char line[16];
	pid_t pid;
	int fd, code;

	if (!flag) {
		args[3] = "--";
		args[4] = "sleep";
		args[5] = "2";
		args[6] = NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = barge_spawn(&fd, args);
	usleep(500000);
	kill(pid, SIGTERM);
	code = wait_exit(pid, 20);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	read_line(fd, line, sizeof(line), 0);
	close(fd);
	*ret_seconds = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	return code;
}

START_TEST(sigterm_stops_command_under_init)
{
	double secs;

	require_root();
	ck_assert_int_eq(term_after(NULL, &secs), 128 + SIGTERM);
	ck_assert_msg(secs < 1.9, "took %.2f s: SIGTERM did not stop it", secs);
}
END_TEST

START_TEST(sigterm_ignored_by_pid1_without_init)
{
	double secs;

	require_root();
	ck_assert_int_eq(term_after("--no-init", &secs), 0);
}
END_TEST

/* Every namespace the chapter names is a new one: its /proc/self/ns link
 * (type:[inode]) differs from the host's. */
START_TEST(every_namespace_is_new)
{
	static const char *const kinds[] = { "uts", "pid", "mnt",
					     "ipc", "net", "cgroup" };
	char path[64], host[64], *cmd[] = { "readlink", path, NULL };
	struct run_result r;
	ssize_t n;
	size_t i;

	require_root();
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", kinds[i]);
		n = readlink(path, host, sizeof(host) - 1);
		ck_assert_int_gt(n, 0);
		host[n] = '\0';
		run_with(&r, NULL, NULL, cmd);
		ck_assert_int_eq(r.code, 0);
		ck_assert_msg(strcmp(chomp(r.out), host) != 0,
			      "%s namespace is the host's: %s", kinds[i], host);
	}
}
END_TEST

/* Only lo, and it is up. */
START_TEST(network_has_only_lo)
{
	struct run_result r;

	probe(&r, "netdevs", NULL);
	ck_assert_str_eq(r.out, "lo up");
}
END_TEST

/* A System V shared memory segment made on the host is not visible
 * inside; one made inside does not appear on the host. */
START_TEST(ipc_isolated)
{
	struct run_result r;
	key_t key = 0x0ba49e01;
	int id;

	require_root();
	id = shmget(key, 4096, IPC_CREAT | 0600);
	ck_assert_int_ge(id, 0);
	probe(&r, "shm-list", NULL);
	shmctl(id, IPC_RMID, NULL);
	ck_assert_msg(!strstr(r.out, "195665409"), "host segment seen: %s",
		      r.out);
	probe(&r, "shm-create", "0x0ba49e02", NULL);
	/* Remove it if it leaked out to the host, then fail. */
	id = shmget(0x0ba49e02, 0, 0);
	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
	ck_assert_msg(id < 0, "a segment made inside is on the host");
}
END_TEST

/* The container sees its own mounts only: none of the host's. */
START_TEST(no_host_mounts_visible)
{
	struct run_result r;

	probe(&r, "mounts", NULL);
	ck_assert_str_eq(r.out, "/\n/proc\n/sys\n/dev\n/dev/pts\n/dev/shm\n"
				"/etc/hostname");
}
END_TEST

START_TEST(proc_and_sys_read_only)
{
	struct run_result r;
	struct utsname u;
	char *sys[] = { "probe", "write", "/proc/sys/kernel/hostname", NULL,
			NULL };

	/* Write the host's own name: should the write reach the host (a
	 * broken container), nothing changes. */
	require_root();
	uname(&u);
	sys[3] = u.nodename;
	run_with(&r, NULL, NULL, sys);
	ck_assert_int_eq(r.code, 1);
	ck_assert_str_eq(chomp(r.out), "EROFS");
	probe(&r, "mountinfo", NULL);
	ck_assert_msg(strstr(r.out, " /sys ro,"), "/sys not ro: %s", r.out);
	ck_assert_msg(strstr(r.out, " /proc ro,"), "/proc not ro: %s", r.out);
}
END_TEST

START_TEST(dev_is_minimal)
{
	struct run_result r;
	char *cmd[] = { "sh", "-c",
			"echo hi > /dev/null && head -c 4 /dev/zero | wc -c &&"
			" head -c 4 /dev/urandom | wc -c &&"
			" stat -c %a /dev/null /dev/zero /dev/tty",
			NULL };

	probe(&r, "ls", "/dev", NULL);
	ck_assert_str_eq(r.out, "fd\nfull\nnull\nptmx\npts\nrandom\nshm\n"
				"stderr\nstdin\nstdout\ntty\nurandom\nzero");
	run_with(&r, NULL, NULL, cmd);
	ck_assert_int_eq(r.code, 0);
	ck_assert_str_eq(r.out, "4\n4\n666\n666\n666\n");
}
END_TEST

/* pivot_root left no way back: the chroot escape lands in the rootfs. */
START_TEST(chroot_escape_contained)
{
	char host_marker[] = "/tmp/barge-escape-XXXXXX";
	struct run_result r;

	require_root();
	ck_assert_ptr_nonnull(mkdtemp(host_marker));
	container_run(&r, 30, "probe", "escape-chroot", "ls", "/tmp", NULL);
	rmdir(host_marker);
	ck_assert_msg(!strstr(r.out, host_marker + strlen("/tmp/")),
		      "the host's /tmp is visible: %s", r.out);
}
END_TEST

/* The mounts the setup made live and die with the container. */
START_TEST(host_mount_table_unchanged)
{
	char *before = mount_table();
	struct run_result r;
	char *cmd[] = { "probe", "mounts", NULL };

	require_root();
	probe(&r, "mounts", NULL);
	run_with(&r, "--no-init", NULL, cmd);
	ck_assert_str_eq(mount_table(), before);
	free(before);
}
END_TEST

Suite *chapter_suite(void)
{
	Suite *s = suite_create("02-namespaces");

	add_container_cases(s);
	add_test(s, hostname_isolated, 60);
	add_test(s, default_hostname_is_an_id, 60);
	add_test(s, invalid_hostname_is_125, 60);
	add_test(s, pid1_is_init, 60);
	add_test(s, no_init_makes_command_pid1, 60);
	add_test(s, orphan_zombie_reaped, 60);
	add_test(s, sigterm_stops_command_under_init, 60);
	add_test(s, sigterm_ignored_by_pid1_without_init, 60);
	add_test(s, every_namespace_is_new, 60);
	add_test(s, network_has_only_lo, 60);
	add_test(s, ipc_isolated, 60);
	add_test(s, no_host_mounts_visible, 60);
	add_test(s, proc_and_sys_read_only, 60);
	add_test(s, dev_is_minimal, 60);
	add_test(s, chroot_escape_contained, 60);
	add_test(s, host_mount_table_unchanged, 60);
	return s;
}
