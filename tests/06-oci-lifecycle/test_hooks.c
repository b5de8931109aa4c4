/* SPDX-License-Identifier: MIT */
/*
 * test_hooks.c - chapter 06: config.json's hooks beyond their order
 * (test_runtime.c): what a hook gets (the state on stdin, exactly its
 * args and env), and how each way of failing fails create and leaves
 * nothing behind, or is only a warning.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime_util.h"

/* A hook that makes BUNDLE/name; the bundle is a %s of the format. */
#define TOUCH_HOOK(name)                                                      \
	"{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"touch %s/" name \
	"\"]}"

static bool bundle_has(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", t_bundle, name);
	return access(path, F_OK) == 0;
}

/* A createRuntime hook writes its stdin, its $0 and its environment into
 * the bundle: the state says "creating", and the hook has exactly the
 * args and env config.json gives it, none of the runtime's. The shell's
 * environ is read by a cat it forks: busybox sh execs the last command of
 * -c in its place, and an environ opened before that exec reads empty. */
START_TEST(hooks_get_state_args_and_env)
{
	char extra[1024], path[128], text[2048], want[128];
	struct run_result r;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	snprintf(extra, sizeof(extra),
		 ", \"hooks\": {\"createRuntime\": [{\"path\": \"/bin/sh\", "
		 "\"args\": [\"sh\", \"-c\", \"/bin/cat > %s/stdin; "
		 "echo $0 > %s/args; /bin/cat /proc/$$/environ | "
		 "tr '\\\\0' '\\\\n' >> %s/args 2>%s/err\", \"arg0\"], "
		 "\"env\": [\"FOO=bar\"]}]}",
		 t_bundle, t_bundle, t_bundle, t_bundle);
	rt_bundle("\"true\"", false, extra);
	rt_run(&r, "create", "--bundle", t_bundle, "hk1", NULL);
	ck_assert_msg(r.code == 0, "create: %s", r.err);
	snprintf(path, sizeof(path), "%s/args", t_bundle);
	ck_assert_int_gt(slurp(path, text, sizeof(text)), 0);
	snprintf(path, sizeof(path), "%s/err", t_bundle);
	if (slurp(path, want, sizeof(want)) < 0)
		want[0] = '\0';
	ck_assert_msg(strcmp(text, "arg0\nFOO=bar\n") == 0,
		      "the hook wrote \"%s\" (stderr: %s)", text, want);
	snprintf(path, sizeof(path), "%s/stdin", t_bundle);
	ck_assert_int_gt(slurp(path, text, sizeof(text)), 0);
	snprintf(want, sizeof(want), "\"bundle\":\"%s\"", t_bundle);
	ck_assert_msg(strstr(text, "\"id\":\"hk1\"") &&
			      strstr(text, "\"status\":\"creating\"") &&
			      strstr(text, "\"pid\":") && strstr(text, want),
		      "the hook's stdin: %s", text);
	rt_run(&r, "delete", "--force", "hk1", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	rt_teardown();
}
END_TEST

/* A hook is a program of its own, not a part of the runtime: it starts
 * with no signal blocked (the runtime blocks the ones it forwards), so
 * that SIGTERM, say, can end it. */
START_TEST(hooks_start_with_no_signal_blocked)
{
	char extra[512];
	struct run_result r;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* grep itself, not a shell, which may reset its mask */
	snprintf(extra, sizeof(extra),
		 ", \"hooks\": {\"createRuntime\": [{\"path\": "
		 "\"/bin/grep\", \"args\": [\"grep\", \"SigBlk\", "
		 "\"/proc/self/status\"]}]}");
	rt_bundle("\"true\"", false, extra);
	rt_run(&r, "create", "--bundle", t_bundle, "hk2", NULL);
	ck_assert_msg(r.code == 0, "create: %s", r.err);
	ck_assert_str_eq(r.out, "SigBlk:\t0000000000000000\n");
	rt_run(&r, "delete", "--force", "hk2", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	rt_teardown();
}
END_TEST

/* Each way a create-time hook can fail: create fails, says which hook
 * and why, runs none of the hooks after it but the poststop hooks, and
 * leaves no state, cgroup or mount. */
static const struct {
	const char *hooks; /* config.json's "hooks", %s: the bundle */
	const char *error;
} failing[] = {
	{ "{\"createRuntime\": ["
	  "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"touch %s/1\"]},"
	  "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"exit 3\"]},"
	  "{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"touch %s/3\"]}]}",
	  "hook createRuntime[1] /bin/sh: exited with status 3" },
	{ "{\"prestart\": [{\"path\": \"/bin/false\"}], "
	  "\"createRuntime\": [{\"path\": \"/bin/sh\", \"args\": [\"sh\", "
	  "\"-c\", \"touch %s/3\"]}]}",
	  "hook prestart[0] /bin/false: exited with status 1" },
	{ "{\"createContainer\": [{\"path\": \"/bin/sh\", \"args\": [\"sh\", "
	  "\"-c\", \"kill -9 $$\"]}]}",
	  "hook createContainer[0] /bin/sh: killed by signal KILL" },
	{ "{\"createRuntime\": [{\"path\": \"/bin/sh\", \"args\": [\"sh\", "
	  "\"-c\", \"exec sleep 30\"], \"timeout\": 1}]}",
	  "hook createRuntime[0] /bin/sh: timed out after 1s, killed" },
	{ "{\"createRuntime\": [{\"path\": \"/nonexistent/hook\"}]}",
	  "hook createRuntime[0] /nonexistent/hook: exec: No such file or "
	  "directory" },
};

START_TEST(hooks_failures_leave_nothing)
{
	char hooks[1024], extra[1100], *mounts = mount_table(), *after;
	struct timespec t0, t1;
	struct run_result r;
	size_t i;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	for (i = 0; i < sizeof(failing) / sizeof(*failing); i++) {
		snprintf(hooks, sizeof(hooks), failing[i].hooks, t_bundle,
			 t_bundle);
		/* ...plus a poststop hook, which must run all the same. */
		snprintf(extra, sizeof(extra),
			 ", \"hooks\": {%.*s, \"poststop\": [{\"path\": "
			 "\"/bin/sh\", \"args\": [\"sh\", \"-c\", "
			 "\"touch %s/poststop\"]}]}",
			 (int)strlen(hooks) - 2, hooks + 1, t_bundle);
		/* a pids limit: the container has a cgroup to remove */
		rt_bundle_linux("\"true\"", false,
				", \"resources\": {\"pids\": {\"limit\": 100}}",
				extra);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rt_run(&r, "create", "--bundle", t_bundle, "hf", NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		rt_expect_error(&r, failing[i].error);
		ck_assert_msg(t1.tv_sec - t0.tv_sec < 5, "%s: took %lds",
			      failing[i].error, (long)(t1.tv_sec - t0.tv_sec));
		ck_assert_msg(!bundle_has("3"), "%s: a later hook ran",
			      failing[i].error);
		ck_assert_msg(bundle_has("poststop"),
			      "%s: poststop did not run", failing[i].error);
		snprintf(hooks, sizeof(hooks), "%s/poststop", t_bundle);
		unlink(hooks);
		ck_assert_int_eq(count_entries(t_root), 0);
		ck_assert_uint_eq(rt_cgroups("hf"), 0);
	}
	after = mount_table();
	ck_assert_str_eq(mounts, after);
	free(after);
	free(mounts);
	ck_assert(bundle_has("1")); /* the first hook of the first case ran */
	rt_teardown();
}
END_TEST

/* runtime.md, "Lifecycle" step 13: a failing poststop hook is only a
 * warning; the container is deleted all the same. */
START_TEST(hooks_poststop_failure_is_a_warning)
{
	struct run_result r;

	rt_setup();
	rt_bundle("\"true\"", false,
		  ", \"hooks\": {\"poststop\": [{\"path\": \"/bin/false\"}]}");
	rt_run(&r, "run", "--bundle", t_bundle, "hp", NULL);
	ck_assert_msg(r.code == 0, "run: %s", r.err);
	ck_assert_msg(strstr(r.err, "warning: delete: hook poststop[0] "
				    "/bin/false: exited with status 1"),
		      "no warning: %s", r.err);
	ck_assert_int_eq(count_entries(t_root), 0);
	rt_teardown();
}
END_TEST

/* The poststart and poststop hooks are those of the config.json create
 * checked: a bundle rewritten after create, to other hooks or to none,
 * changes nothing (the runtime saved what it read). */
START_TEST(hooks_are_those_create_saw)
{
	static const char *const later[] = {
		", \"hooks\": {\"poststart\": [" TOUCH_HOOK(
			"late-start") "], \"poststop\": [" TOUCH_HOOK("late-stop") "]}",
		"",
	};
	char extra[1024], path[128];
	struct run_result r;
	size_t i;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	for (i = 0; i < sizeof(later) / sizeof(*later); i++) {
		snprintf(
			extra, sizeof(extra),
			", \"hooks\": {\"poststart\": [" TOUCH_HOOK(
				"start") "], \"poststop\": [" TOUCH_HOOK("stop") "]}",
			t_bundle, t_bundle);
		rt_bundle("\"true\"", false, extra);
		rt_run(&r, "create", "--bundle", t_bundle, "hs", NULL);
		ck_assert_msg(r.code == 0, "create: %s", r.err);
		snprintf(extra, sizeof(extra), later[i], t_bundle, t_bundle);
		rt_bundle("\"true\"", false, extra);
		rt_run(&r, "start", "hs", NULL);
		ck_assert_msg(r.code == 0, "start: %s", r.err);
		rt_run(&r, "delete", "--force", "hs", NULL);
		ck_assert_msg(r.code == 0, "delete: %s", r.err);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		ck_assert_msg(bundle_has("start") && bundle_has("stop"),
			      "case %zu: the hooks create saw did not run", i);
		ck_assert_msg(!bundle_has("late-start") &&
				      !bundle_has("late-stop"),
			      "case %zu: the rewritten bundle's hooks ran", i);
		snprintf(path, sizeof(path), "%s/start", t_bundle);
		unlink(path);
		snprintf(path, sizeof(path), "%s/stop", t_bundle);
		unlink(path);
	}
	rt_teardown();
}
END_TEST

/* A create killed half-way (here by its own createRuntime hook, once the
 * cgroup exists) leaves a "creating" state; delete --force removes it
 * and the cgroup it made. */
START_TEST(hooks_killed_create_is_deleted_whole)
{
	struct run_result r;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_bundle_linux("\"true\"", false,
			", \"resources\": {\"pids\": {\"limit\": 100}}",
			", \"hooks\": {\"createRuntime\": [{\"path\": "
			"\"/bin/sh\", \"args\": [\"sh\", \"-c\", "
			"\"kill -9 $PPID\"]}]}");
	rt_run(&r, "create", "--bundle", t_bundle, "hz", NULL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	ck_assert_msg(r.code != 0, "create survived its SIGKILL");
	ck_assert_uint_gt(rt_cgroups("hz"), 0);
	rt_run(&r, "delete", "--force", "hz", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	ck_assert_int_eq(count_entries(t_root), 0);
	ck_assert_uint_eq(rt_cgroups("hz"), 0);
	rt_teardown();
}
END_TEST

void add_hooks_tests(Suite *s)
{
	add_test(s, hooks_get_state_args_and_env, 30);
	add_test(s, hooks_start_with_no_signal_blocked, 30);
	add_test(s, hooks_failures_leave_nothing, 60);
	add_test(s, hooks_poststop_failure_is_a_warning, 30);
	add_test(s, hooks_are_those_create_saw, 30);
	add_test(s, hooks_killed_create_is_deleted_whole, 30);
}
