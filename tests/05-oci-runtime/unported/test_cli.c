/* SPDX-License-Identifier: MIT */
/*
 * test_cli.c - barge-runtime's command line ($BARGE_RUNTIME): spec, and
 * the spec's state machine for state, kill, delete and start, on
 * containers whose "process" is a sleep this test starts and records in
 * the state directory as create would.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "state.h"
#include "util.h"

static char root[64], bundle[64];

struct result {
	int code;
	char out[8192], err[4096];
};

static void setup(void)
{
	strcpy(root, "/tmp/barge-cli-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	strcpy(bundle, "/tmp/barge-bundle-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(bundle));
}

static void teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", root, bundle);
	ck_assert_int_eq(system(cmd), 0);
}

static void slurp_fd(int fd, char *buf, size_t size)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read_full(fd, buf, size - 1);
	buf[n < 0 ? 0 : n] = '\0';
	close(fd);
}

/* Run barge-runtime --root ROOT ARGS... (NULL-terminated). */
static void runtime(struct result *res, ...)
{
	const char *bin = getenv("BARGE_RUNTIME");
	char *argv[32];
	int out, err, status, n = 0;
	va_list ap;
	pid_t pid;

	ck_assert_msg(bin != NULL, "BARGE_RUNTIME is not set");
	argv[n++] = (char *)bin;
	argv[n++] = "--root";
	argv[n++] = root;
	va_start(ap, res);
	while (n < 31 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	out = memfd_create("out", 0);
	err = memfd_create("err", 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		execv(bin, argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	res->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	slurp_fd(out, res->out, sizeof(res->out));
	slurp_fd(err, res->err, sizeof(res->err));
}

/* A "container" in state status, its process a sleep child of ours. */
static pid_t fake_container(const char *id, enum container_status status)
{
	struct container_state st;
	pid_t pid;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execlp("sleep", "sleep", "100", (char *)NULL);
		_exit(127);
	}
	/* Wait for the exec: a signal must reach sleep, not the fork. */
	for (int i = 0; i < 500; i++) {
		char comm[64], path[64];

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		if (read_file(path, comm, sizeof(comm)) > 0 &&
		    streq(comm, "sleep\n"))
			break;
		usleep(10000);
	}
	ck_assert_int_eq(state_create(root, id, bundle, &st), 0);
	st.pid = pid;
	ck_assert_int_eq(proc_stat_start(pid, &st.start_time, NULL), 0);
	st.status = status;
	ck_assert_int_eq(state_save(&st), 0);
	state_release(&st);
	return pid;
}

static void assert_err(const struct result *r, const char *msg)
{
	ck_assert_msg(r->code == 1, "exit %d, stderr '%s'", r->code, r->err);
	ck_assert_msg(strstr(r->err, msg), "stderr '%s' lacks '%s'", r->err,
		      msg);
}

START_TEST(spec_writes_once)
{
	char path[256], err[512];
	struct oci_config c;
	struct result r;

	runtime(&r, "spec", "--bundle", bundle, NULL);
	ck_assert_int_eq(r.code, 0);
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	ck_assert_int_eq(oci_config_load(path, &c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.process.args[0], "sh");
	oci_config_free(&c);
	runtime(&r, "spec", "--bundle", bundle, NULL);
	assert_err(&r, "config.json exists: remove it first");
}
END_TEST

START_TEST(unknown_container)
{
	const char *cmds[] = { "state", "kill", "delete", "start" };
	struct result r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		runtime(&r, cmds[i], "nope", NULL);
		assert_err(&r, "container \"nope\" does not exist");
	}
	runtime(&r, "state", "../etc", NULL);
	assert_err(&r, "invalid container id \"../etc\"");
	/* runc's: a forced delete of nothing succeeds (podman relies on it) */
	runtime(&r, "delete", "--force", "nope", NULL);
	ck_assert_int_eq(r.code, 0);
}
END_TEST

START_TEST(state_prints_the_spec_state)
{
	struct result r;
	json_t *j;
	pid_t pid;

	pid = fake_container("web", STATUS_RUNNING);
	runtime(&r, "state", "web", NULL);
	ck_assert_int_eq(r.code, 0);
	j = json_loads(r.out, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "id")), "web");
	ck_assert_str_eq(json_string_value(json_object_get(j, "status")),
			 "running");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "pid")), pid);
	ck_assert_str_eq(json_string_value(json_object_get(j, "bundle")),
			 bundle);
	json_decref(j);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	runtime(&r, "state", "web", NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "\"stopped\""));
}
END_TEST

START_TEST(kill_by_name_and_number)
{
	struct result r;
	int status;
	pid_t pid;

	pid = fake_container("k", STATUS_RUNNING);
	runtime(&r, "kill", "k", "SIGFOO", NULL);
	assert_err(&r, "invalid signal 'SIGFOO'");
	runtime(&r, "kill", "k", "usr1", NULL);
	ck_assert_int_eq(r.code, 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1);
	/* stopped now: kill is an error, and changes nothing */
	runtime(&r, "kill", "k", "9", NULL);
	assert_err(&r, "container \"k\" is stopped");
	pid = fake_container("k2", STATUS_CREATED);
	runtime(&r, "kill", "k2", NULL);
	ck_assert_int_eq(r.code, 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}
END_TEST

START_TEST(delete_needs_stopped_or_force)
{
	char path[256];
	struct result r;
	struct stat sb;
	int status;
	pid_t pid;

	pid = fake_container("d", STATUS_RUNNING);
	runtime(&r, "delete", "d", NULL);
	assert_err(&r, "container \"d\" is running: stop it first, or use "
		       "--force");
	ck_assert_int_eq(kill(pid, 0), 0);
	runtime(&r, "delete", "--force", "d", NULL);
	ck_assert_msg(r.code == 0, "%s", r.err);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	snprintf(path, sizeof(path), "%s/d", root);
	ck_assert_int_eq(stat(path, &sb), -1);

	pid = fake_container("d2", STATUS_RUNNING);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	runtime(&r, "delete", "d2", NULL);
	ck_assert_msg(r.code == 0, "%s", r.err);
}
END_TEST

START_TEST(start_needs_created)
{
	struct result r;
	pid_t pid;

	pid = fake_container("s", STATUS_RUNNING);
	runtime(&r, "start", "s", NULL);
	assert_err(&r, "container \"s\" is running: only a created container "
		       "can be started");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
END_TEST

START_TEST(list_shows_them)
{
	struct result r;
	pid_t a, b;
	json_t *j;

	a = fake_container("one", STATUS_RUNNING);
	b = fake_container("two", STATUS_CREATED);
	runtime(&r, "list", "-q", NULL);
	ck_assert_str_eq(r.out, "one\ntwo\n");
	runtime(&r, "list", "--format", "json", NULL);
	j = json_loads(r.out, 0, NULL);
	ck_assert_uint_eq(json_array_size(j), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 1),
							   "status")),
			 "created");
	json_decref(j);
	runtime(&r, "list", NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "STATUS"));
	ck_assert_ptr_nonnull(strstr(r.out, "running"));
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
}
END_TEST

/* Bad input changes nothing: no state directory for the id. */
START_TEST(create_with_bad_config_makes_nothing)
{
	char path[256];
	struct result r;
	char **ids;
	FILE *f;

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	f = fopen(path, "w");
	fputs("{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"},"
	      " \"linux\": {\"namespaces\": [{\"type\": \"pid\"},"
	      " {\"type\": \"foo\"}]}}",
	      f);
	fclose(f);
	runtime(&r, "create", "--bundle", bundle, "c", NULL);
	assert_err(&r, "config.json: linux.namespaces[1].type: unknown "
		       "namespace type \"foo\"");
	ck_assert_int_eq(state_list(root, &ids), 0);
	ck_assert_ptr_null(ids[0]);
	strv_free(ids);
}
END_TEST

/* conmon's way: --log FILE --log-format=json, errors as JSON lines. */
START_TEST(json_log_for_conmon)
{
	char path[256], line[1024];
	struct result r;
	json_t *j;
	int fd;

	snprintf(path, sizeof(path), "%s/oci-log", bundle);
	runtime(&r, "--log", path, "--log-format=json", "kill", "gone", "15",
		NULL);
	ck_assert_int_eq(r.code, 1);
	ck_assert_str_eq(r.err, "");
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	slurp_fd(fd, line, sizeof(line));
	j = json_loads(line, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "level")),
			 "error");
	ck_assert_str_eq(json_string_value(json_object_get(j, "msg")),
			 "kill: container \"gone\" does not exist");
	json_decref(j);
}
END_TEST

START_TEST(runc_global_options_accepted)
{
	struct result r;

	runtime(&r, "--systemd-cgroup", "--rootless", "false", "--debug",
		"list", "-q", NULL);
	ck_assert_msg(r.code == 0, "%s", r.err);
	runtime(&r, "--version", NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "spec: 1.0.2"));
	runtime(&r, "frobnicate", NULL);
	assert_err(&r, "'frobnicate' is not a barge-runtime command");
	runtime(&r, "kill", "--bogus", "x", NULL);
	assert_err(&r, "kill: unknown option '--bogus'");
	runtime(&r, "delete", NULL);
	assert_err(&r, "delete: missing arguments");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, spec_writes_once);
	tcase_add_test(tc, unknown_container);
	tcase_add_test(tc, state_prints_the_spec_state);
	tcase_add_test(tc, kill_by_name_and_number);
	tcase_add_test(tc, delete_needs_stopped_or_force);
	tcase_add_test(tc, start_needs_created);
	tcase_add_test(tc, list_shows_them);
	tcase_add_test(tc, create_with_bad_config_makes_nothing);
	tcase_add_test(tc, json_log_for_conmon);
	tcase_add_test(tc, runc_global_options_accepted);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
