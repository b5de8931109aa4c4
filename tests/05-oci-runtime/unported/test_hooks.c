/* SPDX-License-Identifier: MIT */
/*
 * test_hooks.c - running config.json's hooks: the state on stdin, exactly
 * the hook's args and env, failure, timeout, a hook that cannot run.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"
#include "util.h"

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/barge-hooks-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A config whose prestart hooks are "/bin/sh -c SCRIPT" for each script,
 * with env FOO=bar. */
static void sh_hooks(struct oci_config *c, const char *const *scripts, size_t n,
		     int timeout)
{
	struct oci_hook *h;
	size_t i;

	memset(c, 0, sizeof(*c));
	h = calloc(n + 1, sizeof(*h));
	for (i = 0; i < n; i++) {
		h[i].path = strdup("/bin/sh");
		h[i].args = calloc(5, sizeof(char *));
		h[i].args[0] = strdup("sh");
		h[i].args[1] = strdup("-c");
		h[i].args[2] = strdup(scripts[i]);
		h[i].args[3] = strdup("arg0");
		h[i].env = calloc(2, sizeof(char *));
		h[i].env[0] = strdup("FOO=bar");
		h[i].timeout = timeout;
	}
	c->hooks[OCI_HOOK_PRESTART].hooks = h;
	c->hooks[OCI_HOOK_PRESTART].n = n;
}

static char *read_out(const char *name)
{
	static char buf[4096];
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return NULL;
	return buf;
}

START_TEST(state_on_stdin_args_and_env)
{
	char script[512], err[512];
	const char *scripts[] = { script };
	struct oci_config c;

	snprintf(script, sizeof(script),
		 "cat > %s/stdin; echo $0 > %s/args; "
		 "tr '\\0' '\\n' < /proc/$$/environ >> %s/args",
		 dir, dir, dir);
	sh_hooks(&c, scripts, 1, 0);
	ck_assert_int_eq(hooks_run(&c, OCI_HOOK_PRESTART,
				   "{\"id\":\"x\",\"status\":\"created\"}", err,
				   sizeof(err)),
			 0);
	ck_assert_str_eq(read_out("stdin"),
			 "{\"id\":\"x\",\"status\":\"created\"}");
	/* exactly its env, as the kernel gave it to the hook: not ours */
	ck_assert_str_eq(read_out("args"), "arg0\nFOO=bar\n");
	oci_config_free(&c);
}
END_TEST

START_TEST(first_failure_stops_the_list)
{
	char third[256], err[512];
	const char *scripts[] = { "exit 0", "exit 3", third };
	struct oci_config c;

	snprintf(third, sizeof(third), "touch %s/third", dir);
	sh_hooks(&c, scripts, 3, 0);
	ck_assert_int_eq(
		hooks_run(&c, OCI_HOOK_PRESTART, "{}", err, sizeof(err)),
		-ECANCELED);
	ck_assert_str_eq(err, "hook prestart[1] /bin/sh: exited with status 3");
	ck_assert_ptr_null(read_out("third"));
	oci_config_free(&c);
}
END_TEST

START_TEST(a_hook_that_hangs_is_killed)
{
	const char *scripts[] = { "sleep 30" };
	struct timespec t0, t1;
	struct oci_config c;
	char err[512];

	sh_hooks(&c, scripts, 1, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(
		hooks_run(&c, OCI_HOOK_PRESTART, "{}", err, sizeof(err)),
		-ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 5);
	ck_assert_str_eq(
		err, "hook prestart[0] /bin/sh: timed out after 1s, killed");
	oci_config_free(&c);
}
END_TEST

START_TEST(a_hook_that_cannot_run)
{
	const char *scripts[] = { "true" };
	struct oci_config c;
	char err[512];

	sh_hooks(&c, scripts, 1, 0);
	free(c.hooks[OCI_HOOK_PRESTART].hooks[0].path);
	c.hooks[OCI_HOOK_PRESTART].hooks[0].path = strdup("/nonexistent/hook");
	ck_assert_int_eq(
		hooks_run(&c, OCI_HOOK_PRESTART, "{}", err, sizeof(err)),
		-ENOENT);
	ck_assert_str_eq(err, "hook prestart[0] /nonexistent/hook: exec: No "
			      "such file or directory");
	oci_config_free(&c);
}
END_TEST

START_TEST(which_failures_are_fatal)
{
	ck_assert(hooks_failure_is_fatal(OCI_HOOK_PRESTART));
	ck_assert(hooks_failure_is_fatal(OCI_HOOK_CREATE_RUNTIME));
	ck_assert(hooks_failure_is_fatal(OCI_HOOK_CREATE_CONTAINER));
	ck_assert(hooks_failure_is_fatal(OCI_HOOK_START_CONTAINER));
	ck_assert(!hooks_failure_is_fatal(OCI_HOOK_POSTSTART));
	ck_assert(!hooks_failure_is_fatal(OCI_HOOK_POSTSTOP));
}
END_TEST

START_TEST(no_hooks_is_fine)
{
	struct oci_config c = { 0 };
	char err[8];

	ck_assert_int_eq(
		hooks_run(&c, OCI_HOOK_POSTSTOP, "{}", err, sizeof(err)), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hooks");
	TCase *tc = tcase_create("hooks");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, state_on_stdin_args_and_env);
	tcase_add_test(tc, first_failure_stops_the_list);
	tcase_add_test(tc, a_hook_that_hangs_is_killed);
	tcase_add_test(tc, a_hook_that_cannot_run);
	tcase_add_test(tc, which_failures_are_fatal);
	tcase_add_test(tc, no_hooks_is_fine);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
