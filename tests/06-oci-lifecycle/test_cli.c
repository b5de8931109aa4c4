/* SPDX-License-Identifier: MIT */
/*
 * test_cli.c - chapter 06: barge-runtime's command line beyond the
 * lifecycle of test_runtime.c: the errors of each command on a container
 * that is not there or not in the right state, signal names, and runc's
 * global options.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime_util.h"

void rt_expect_error(const struct run_result *r, const char *msg)
{
	ck_assert_msg(r->code == 1, "exit %d (stderr \"%s\"); expected 1: %s",
		      r->code, r->err, msg);
	ck_assert_msg(strstr(r->err, msg), "stderr \"%s\" lacks \"%s\"", r->err,
		      msg);
}

/* Create container id from t_bundle, its process a sleep waiting for
 * start; the test is its subreaper. */
void rt_create_sleeper(const char *id)
{
	struct run_result r;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_bundle_linux("\"sleep\", \"30\"", false,
			", \"resources\": {\"pids\": {\"limit\": 100}}", "");
	rt_run(&r, "create", "--bundle", t_bundle, (char *)id, NULL);
	ck_assert_msg(r.code == 0, "create %s: %s", id, r.err);
}

static void force_delete(const char *id)
{
	struct run_result r;

	rt_run(&r, "delete", "--force", (char *)id, NULL);
	ck_assert_msg(r.code == 0, "delete --force %s: %s", id, r.err);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* runtime.md: each operation on a container that does not exist is an
 * error; runc's forced delete of one is not (podman relies on it). */
START_TEST(cli_unknown_container)
{
	static const char *const cmds[] = { "state", "start", "kill",
					    "delete" };
	char msg[64];
	struct run_result r;
	size_t i;

	rt_setup();
	for (i = 0; i < sizeof(cmds) / sizeof(*cmds); i++) {
		rt_run(&r, cmds[i], "nope", NULL);
		snprintf(msg, sizeof(msg),
			 "%s: container \"nope\" does not exist", cmds[i]);
		rt_expect_error(&r, msg);
	}
	rt_run(&r, "state", "../etc", NULL);
	rt_expect_error(&r, "invalid container id \"../etc\"");
	rt_run(&r, "delete", "--force", "nope", NULL);
	ck_assert_msg(r.code == 0, "delete --force nope: %s", r.err);
	rt_teardown();
}
END_TEST

/* state prints the spec's fields; kill takes names in any case, with or
 * without SIG, and refuses what is not a signal without touching the
 * container. */
START_TEST(cli_state_and_signal_names)
{
	char status[32] = "", want[128];
	struct run_result r;

	rt_setup();
	rt_create_sleeper("k1");
	rt_run(&r, "state", "k1", NULL);
	ck_assert_msg(r.code == 0, "state: %s", r.err);
	snprintf(want, sizeof(want), "\"bundle\": \"%s\"", t_bundle);
	ck_assert_msg(strstr(r.out, "\"ociVersion\": \"1.0.2\"") &&
			      strstr(r.out, "\"id\": \"k1\"") &&
			      strstr(r.out, want),
		      "state: %s", r.out);
	rt_run(&r, "kill", "k1", "SIGFOO", NULL);
	rt_expect_error(&r, "kill: invalid signal 'SIGFOO'");
	rt_run(&r, "kill", "k1", "0", NULL);
	rt_expect_error(&r, "kill: invalid signal '0'");
	rt_state_pid("k1", status, sizeof(status));
	ck_assert_str_eq(status, "created");
	rt_run(&r, "kill", "k1", "sigkill", NULL);
	ck_assert_msg(r.code == 0, "kill k1 sigkill: %s", r.err);
	force_delete("k1");
	rt_teardown();
}
END_TEST

/* delete --force stops a running container first (runc's, which podman
 * always passes), and leaves nothing: no process, state or cgroup. */
START_TEST(cli_force_delete_running)
{
	char status[32] = "";
	struct run_result r;
	int pid;

	rt_setup();
	rt_create_sleeper("d1");
	rt_run(&r, "start", "d1", NULL);
	ck_assert_msg(r.code == 0, "start: %s", r.err);
	pid = rt_state_pid("d1", status, sizeof(status));
	ck_assert_str_eq(status, "running");
	ck_assert_uint_gt(rt_cgroups("d1"), 0);
	force_delete("d1");
	ck_assert_int_ne(kill(pid, 0), 0);
	ck_assert_uint_eq(rt_cgroups("d1"), 0);
	rt_run(&r, "state", "d1", NULL);
	rt_expect_error(&r, "does not exist");
	ck_assert_int_eq(count_entries(t_root), 0);
	rt_teardown();
}
END_TEST

/* runc's global options, which podman and conmon pass, are accepted;
 * a bad command line says what is wrong. */
START_TEST(cli_options_and_usage_errors)
{
	struct run_result r;

	rt_setup();
	rt_run(&r, "--systemd-cgroup", "--rootless", "false", "delete",
	       "--force", "nope", NULL);
	ck_assert_msg(r.code == 0, "runc's options: %s", r.err);
	ck_assert_str_eq(r.out, "");
	rt_run(&r, "--rootless", NULL);
	rt_expect_error(&r, "option needs a value '--rootless'");
	rt_run(&r, "--version", NULL);
	ck_assert_msg(r.code == 0 && strstr(r.out, "spec: 1.0.2"),
		      "--version: %s", r.out);
	rt_run(&r, "frobnicate", NULL);
	rt_expect_error(&r, "'frobnicate' is not a barge-runtime command");
	rt_run(&r, "kill", "--bogus", "x", NULL);
	rt_expect_error(&r, "kill: unknown option '--bogus'");
	rt_run(&r, "delete", NULL);
	rt_expect_error(&r, "delete: missing arguments");
	rt_run(&r, "start", "a", "b", NULL);
	rt_expect_error(&r, "start: too many arguments");
	rt_teardown();
}
END_TEST

void add_cli_tests(Suite *s)
{
	add_test(s, cli_unknown_container, 30);
	add_test(s, cli_state_and_signal_names, 30);
	add_test(s, cli_force_delete_running, 30);
	add_test(s, cli_options_and_usage_errors, 30);
}
