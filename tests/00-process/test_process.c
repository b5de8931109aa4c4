/* SPDX-License-Identifier: MIT */
/*
 * test_process.c - integration tests of chapter 00: barge run passes the
 * command's exit status and signals through, and reports what it cannot
 * run with Docker's exit codes.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

START_TEST(exit_status_passed_through)
{
	struct run_result r;

	barge_run(&r, 10, "run", "--", "sh", "-c", "exit 42", NULL);
	ck_assert_int_eq(r.code, 42);
	barge_run(&r, 10, "run", "true", NULL);
	ck_assert_int_eq(r.code, 0);
}
END_TEST

START_TEST(death_by_signal_is_128_plus_n)
{
	struct run_result r;

	barge_run(&r, 10, "run", "sh", "-c", "kill -KILL $$", NULL);
	ck_assert_int_eq(r.code, 128 + SIGKILL);
	barge_run(&r, 10, "run", "sh", "-c", "kill -SEGV $$", NULL);
	ck_assert_int_eq(r.code, 128 + SIGSEGV);
}
END_TEST

START_TEST(stdio_untouched)
{
	struct run_result r;

	barge_run(&r, 10, "run", "sh", "-c", "echo out; echo err >&2", NULL);
	ck_assert_int_eq(r.code, 0);
	ck_assert_str_eq(r.out, "out\n");
	ck_assert_str_eq(r.err, "err\n");
}
END_TEST

START_TEST(options_after_command_belong_to_it)
{
	struct run_result r;

	barge_run(&r, 10, "run", "echo", "-n", "--help", NULL);
	ck_assert_int_eq(r.code, 0);
	ck_assert_str_eq(r.out, "--help");
}
END_TEST

/* Start a command that says which signal it got; send sig to barge. */
static void check_forwarded(int sig, const char *name)
{
	char *args[] = { "run", "sh", "-c",
			 "for s in INT TERM HUP; do"
			 "  trap \"echo got $s; exit 0\" $s; done;"
			 " echo ready; while :; do sleep 0.05; done",
			 NULL };
	char line[128], want[64];
	pid_t pid;
	int fd;

	pid = barge_spawn(&fd, args);
	ck_assert_int_ge(read_line(fd, line, sizeof(line), 10), 0);
	ck_assert_str_eq(line, "ready");
	kill(pid, sig);
	ck_assert_int_ge(read_line(fd, line, sizeof(line), 10), 0);
	snprintf(want, sizeof(want), "got %s", name);
	ck_assert_str_eq(line, want);
	ck_assert_int_eq(wait_exit(pid, 10), 0);
	close(fd);
}

START_TEST(signals_forwarded)
{
	check_forwarded(SIGTERM, "TERM");
	check_forwarded(SIGINT, "INT");
	check_forwarded(SIGHUP, "HUP");
}
END_TEST

START_TEST(command_not_found_is_127)
{
	struct run_result r;

	barge_run(&r, 10, "run", "/no/such/command", NULL);
	ck_assert_int_eq(r.code, 127);
	ck_assert_msg(strstr(r.err, "/no/such/command"),
		      "error does not name the command: %s", r.err);
	ck_assert_msg(strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
		      "error is not one line: %s", r.err);
}
END_TEST

START_TEST(not_executable_is_126)
{
	struct run_result r;

	barge_run(&r, 10, "run", "/etc/passwd", NULL);
	ck_assert_int_eq(r.code, 126);
	ck_assert_msg(strstr(r.err, "/etc/passwd"), "got: %s", r.err);
}
END_TEST

START_TEST(bad_usage_is_125)
{
	struct run_result r;

	barge_run(&r, 10, "run", "--no-such-flag", "true", NULL);
	ck_assert_int_eq(r.code, 125);
	ck_assert_msg(strstr(r.err, "--no-such-flag"), "got: %s", r.err);
	barge_run(&r, 10, "run", NULL);
	ck_assert_int_eq(r.code, 125);
	barge_run(&r, 10, "frobnicate", NULL);
	ck_assert_int_eq(r.code, 125);
	ck_assert_msg(strstr(r.err, "frobnicate"), "got: %s", r.err);
}
END_TEST

Suite *chapter_suite(void)
{
	Suite *s = suite_create("00-process");

	add_test(s, exit_status_passed_through, 30);
	add_test(s, death_by_signal_is_128_plus_n, 30);
	add_test(s, stdio_untouched, 30);
	add_test(s, options_after_command_belong_to_it, 30);
	add_test(s, signals_forwarded, 60);
	add_test(s, command_not_found_is_127, 30);
	add_test(s, not_executable_is_126, 30);
	add_test(s, bad_usage_is_125, 30);
	return s;
}
