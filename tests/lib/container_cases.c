/* SPDX-License-Identifier: MIT */
/*
 * container_cases.c - see container_cases.h.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container_cases.h"

#define MAX_ARGS 48

static void vcontainer_run(struct run_result *res, int timeout_s,
			   const char *first, va_list ap)
{
	char *args[MAX_ARGS] = { "run", "--rootfs", (char *)test_rootfs(),
				 "--" };
	int n = 4;

	args[n++] = (char *)first;
	while (n < MAX_ARGS - 1 && (args[n] = va_arg(ap, char *)) != NULL)
		n++;
	args[n] = NULL;
	barge_runv(res, timeout_s, args);
}

void container_run(struct run_result *res, int timeout_s, ...)
{
	va_list ap;
	const char *first;

	va_start(ap, timeout_s);
	first = va_arg(ap, const char *);
	vcontainer_run(res, timeout_s, first, ap);
	va_end(ap);
}

const char *probe(struct run_result *res, ...)
{
	va_list ap;

	require_root();
	va_start(ap, res);
	vcontainer_run(res, 30, "probe", ap);
	va_end(ap);
	ck_assert_msg(res->code == 0, "probe exited %d; stderr: %s", res->code,
		      res->err);
	return chomp(res->out);
}

START_TEST(exit_status_passed_through)
{
	struct run_result r;

	require_root();
	container_run(&r, 30, "probe", "exit", "42", NULL);
	ck_assert_int_eq(r.code, 42);
	container_run(&r, 30, "true", NULL);
	ck_assert_int_eq(r.code, 0);
}
END_TEST

START_TEST(death_by_signal_is_128_plus_n)
{
	struct run_result r;

	require_root();
	container_run(&r, 30, "probe", "kill-self", "KILL", NULL);
	ck_assert_int_eq(r.code, 128 + SIGKILL);
	container_run(&r, 30, "probe", "kill-self", "TERM", NULL);
	ck_assert_int_eq(r.code, 128 + SIGTERM);
}
END_TEST

/* barge forwards the signals it gets to the command. */
START_TEST(signals_forwarded)
{
	static const struct {
		int sig;
		const char *want;
	} cases[] = {
		{ SIGTERM, "got SIGTERM" },
		{ SIGINT, "got SIGINT" },
		{ SIGHUP, "got SIGHUP" },
	};
	char *args[] = { "run", "--rootfs", (char *)test_rootfs(),
			 "--",	"probe",    "wait-signal",
			 NULL };
	char line[128];
	size_t i;
	pid_t pid;
	int fd;

	require_root();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pid = barge_spawn(&fd, args);
		ck_assert_int_ge(read_line(fd, line, sizeof(line), 20), 0);
		ck_assert_str_eq(line, "ready");
		kill(pid, cases[i].sig);
		ck_assert_int_ge(read_line(fd, line, sizeof(line), 20), 0);
		ck_assert_str_eq(line, cases[i].want);
		ck_assert_int_eq(wait_exit(pid, 20), 0);
		close(fd);
	}
}
END_TEST

START_TEST(rootfs_is_root)
{
	struct run_result r;

	probe(&r, "file", "/etc/os-release", NULL);
	ck_assert_msg(strstr(r.out, "barge busybox rootfs"),
		      "/etc/os-release inside is not the rootfs's: %s", r.out);
	probe(&r, "cwd", NULL);
	ck_assert_str_eq(r.out, "/");
}
END_TEST

START_TEST(environment_is_clean)
{
	struct run_result r;

	setenv("BARGE_TEST_SECRET", "leaked", 1);
	probe(&r, "env", NULL);
	unsetenv("BARGE_TEST_SECRET");
	ck_assert_msg(!strstr(r.out, "BARGE_TEST_SECRET"),
		      "host environment leaked: %s", r.out);
	ck_assert_msg(strstr(r.out, "PATH=/usr/local/sbin:"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "HOME=/root\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "HOSTNAME="), "%s", r.out);
	ck_assert_msg(strstr(r.out, "TERM="), "%s", r.out);
}
END_TEST

START_TEST(command_not_in_rootfs_is_127)
{
	struct run_result r;
	char *mounts;

	require_root();
	mounts = mount_table();
	/* The host has bash; the busybox rootfs does not. */
	container_run(&r, 30, "/bin/bash", "-c", "true", NULL);
	ck_assert_int_eq(r.code, 127);
	ck_assert_msg(strstr(r.err, "/bin/bash"), "got: %s", r.err);
	container_run(&r, 30, "no-such-command", NULL);
	ck_assert_int_eq(r.code, 127);
	ck_assert_str_eq(mount_table(), mounts);
}
END_TEST

START_TEST(not_executable_is_126)
{
	struct run_result r;

	require_root();
	container_run(&r, 30, "/etc/passwd", NULL);
	ck_assert_int_eq(r.code, 126);
	ck_assert_msg(strstr(r.err, "/etc/passwd"), "got: %s", r.err);
}
END_TEST

/* A rootfs that does not exist: one line naming it, 125, nothing mounted. */
START_TEST(missing_rootfs_is_125)
{
	struct run_result r;
	char *mounts;

	require_root();
	mounts = mount_table();
	barge_run(&r, 30, "run", "--rootfs", "/nonexistent/rootfs", "--",
		  "true", NULL);
	ck_assert_int_eq(r.code, 125);
	ck_assert_msg(strstr(r.err, "/nonexistent/rootfs"), "got: %s", r.err);
	ck_assert_msg(strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
		      "error is not one line: %s", r.err);
	ck_assert_int_ne(access("/nonexistent/rootfs", F_OK), 0);
	ck_assert_str_eq(mount_table(), mounts);
}
END_TEST

START_TEST(unknown_flag_is_125)
{
	struct run_result r;

	barge_run(&r, 30, "run", "--frobnicate", "--rootfs",
		  (char *)test_rootfs(), "--", "true", NULL);
	ck_assert_int_eq(r.code, 125);
	ck_assert_msg(strstr(r.err, "--frobnicate"), "got: %s", r.err);
	barge_run(&r, 30, "run", "--rootfs", NULL);
	ck_assert_int_eq(r.code, 125);
	ck_assert_msg(strstr(r.err, "--rootfs"), "got: %s", r.err);
}
END_TEST

void add_container_cases(Suite *s)
{
	add_test(s, exit_status_passed_through, 60);
	add_test(s, death_by_signal_is_128_plus_n, 60);
	add_test(s, signals_forwarded, 90);
	add_test(s, rootfs_is_root, 60);
	add_test(s, environment_is_clean, 60);
	add_test(s, command_not_in_rootfs_is_127, 60);
	add_test(s, not_executable_is_126, 60);
	add_test(s, missing_rootfs_is_125, 60);
	add_test(s, unknown_flag_is_125, 60);
}
