/* SPDX-License-Identifier: MIT */
/*
 * test_state.c - the state directory: create, load, save, remove, the
 * live status, the lock, list.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "state.h"

static char root[64];

static void setup(void)
{
	strcpy(root, "/tmp/barge-state-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
}

/* A child that sleeps: a container's process, as far as state goes. */
static pid_t sleeper(unsigned long long *ret_start)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execlp("sleep", "sleep", "100", (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(proc_stat_start(pid, ret_start, NULL), 0);
	return pid;
}

START_TEST(ids_are_checked)
{
	ck_assert(state_valid_id("web-1.a_b"));
	ck_assert(state_valid_id("0123456789abcdef"));
	ck_assert(!state_valid_id(""));
	ck_assert(!state_valid_id("."));
	ck_assert(!state_valid_id(".."));
	ck_assert(!state_valid_id("a/b"));
	ck_assert(!state_valid_id("a b"));
	ck_assert(!state_valid_id("é"));
}
END_TEST

START_TEST(create_save_load_remove)
{
	struct container_state st, st2;
	char path[256];
	struct stat sb;

	ck_assert_int_eq(state_create(root, "c1", "/srv/b", &st), 0);
	ck_assert_int_eq(st.status, STATUS_CREATING);
	ck_assert_int_eq(state_create(root, "c1", "/srv/b", &st2), -EEXIST);
	st.pid = 1; /* init: running, and never gone */
	ck_assert_int_eq(proc_stat_start(1, &st.start_time, NULL), 0);
	st.status = STATUS_CREATED;
	st.annotations = calloc(2, sizeof(*st.annotations));
	st.annotations[0].key = strdup("k");
	st.annotations[0].value = strdup("v");
	st.n_annotations = 1;
	st.cgroup = strdup("/sys/fs/cgroup/barge/c1");
	ck_assert_int_eq(state_save(&st), 0);
	state_release(&st);

	ck_assert_int_eq(state_load(root, "c1", &st), 0);
	ck_assert_str_eq(st.id, "c1");
	ck_assert_str_eq(st.bundle, "/srv/b");
	ck_assert_int_eq(st.pid, 1);
	ck_assert_int_eq(st.status, STATUS_CREATED);
	ck_assert_int_eq(state_status(&st), STATUS_CREATED);
	ck_assert_str_eq(st.annotations[0].value, "v");
	ck_assert_str_eq(st.cgroup, "/sys/fs/cgroup/barge/c1");
	ck_assert_uint_eq(strlen(st.created), 20);
	ck_assert_int_eq(state_remove(&st), 0);
	snprintf(path, sizeof(path), "%s/c1", root);
	ck_assert_int_eq(stat(path, &sb), -1);
	ck_assert_int_eq(state_load(root, "c1", &st), -ENOENT);
	ck_assert_int_eq(state_load(root, "../x", &st), -EINVAL);
}
END_TEST

START_TEST(status_is_live)
{
	struct container_state st;
	unsigned long long start;
	pid_t pid;

	pid = sleeper(&start);
	ck_assert_int_eq(state_create(root, "c2", "/b", &st), 0);
	st.pid = pid;
	st.start_time = start;
	st.status = STATUS_RUNNING;
	ck_assert_int_eq(state_status(&st), STATUS_RUNNING);
	/* Another process with the same pid: not ours. */
	st.start_time = start + 1;
	ck_assert_int_eq(state_status(&st), STATUS_STOPPED);
	st.start_time = start;
	/* Exited but not reaped: a zombie answers kill(pid, 0). */
	kill(pid, SIGKILL);
	for (int i = 0; i < 100; i++) {
		char s;

		if (proc_stat_start(pid, &start, &s) == 0 && s == 'Z')
			break;
		usleep(10000);
	}
	ck_assert_int_eq(kill(pid, 0), 0);
	ck_assert_int_eq(state_status(&st), STATUS_STOPPED);
	waitpid(pid, NULL, 0);
	ck_assert_int_eq(state_status(&st), STATUS_STOPPED);
	ck_assert_int_eq(state_remove(&st), 0);
}
END_TEST

/* A create that died before its first save leaves a directory alone. */
START_TEST(leftover_create_is_stopped)
{
	struct container_state st;
	char path[256];

	snprintf(path, sizeof(path), "%s/c3", root);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(state_load(root, "c3", &st), 0);
	ck_assert_int_eq(state_status(&st), STATUS_STOPPED);
	ck_assert_int_eq(state_remove(&st), 0);
}
END_TEST

START_TEST(corrupt_state_is_refused)
{
	struct container_state st;
	char path[256];
	FILE *f;

	ck_assert_int_eq(state_create(root, "c4", "/b", &st), 0);
	state_release(&st);
	snprintf(path, sizeof(path), "%s/c4/state.json", root);
	f = fopen(path, "w");
	fputs("{\"status\": \"dancing\"}", f);
	fclose(f);
	ck_assert_int_eq(state_load(root, "c4", &st), -EBADMSG);
}
END_TEST

/* A second command on the same id waits for the first one's lock. */
START_TEST(lock_serializes)
{
	struct container_state st;
	struct timespec t0, t1;
	int pipefd[2];
	char c;
	pid_t pid;

	ck_assert_int_eq(state_create(root, "c5", "/b", &st), 0);
	state_release(&st);
	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	if (pid == 0) {
		if (state_load(root, "c5", &st) < 0)
			_exit(1);
		write(pipefd[1], "x", 1);
		usleep(300000);
		_exit(0); /* the lock goes with the process */
	}
	ck_assert_int_eq(read(pipefd[0], &c, 1), 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(state_load(root, "c5", &st), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_ge((t1.tv_sec - t0.tv_sec) * 1000 +
				 (t1.tv_nsec - t0.tv_nsec) / 1000000,
			 200);
	state_release(&st);
	waitpid(pid, NULL, 0);
	close(pipefd[0]);
	close(pipefd[1]);
}
END_TEST

START_TEST(list_is_sorted)
{
	struct container_state st;
	char **ids;

	ck_assert_int_eq(state_create(root, "b", "/b", &st), 0);
	state_release(&st);
	ck_assert_int_eq(state_create(root, "a", "/b", &st), 0);
	state_release(&st);
	ck_assert_int_eq(state_list(root, &ids), 0);
	ck_assert_str_eq(ids[0], "a");
	ck_assert_str_eq(ids[1], "b");
	ck_assert_ptr_null(ids[2]);
	strv_free(ids);
	ck_assert_int_eq(state_list("/nonexistent/barge", &ids), 0);
	ck_assert_ptr_null(ids[0]);
	strv_free(ids);
}
END_TEST

START_TEST(state_json_has_the_spec_fields)
{
	struct container_state st;
	json_t *j;

	ck_assert_int_eq(state_create(root, "c6", "/srv/b", &st), 0);
	j = state_to_json(&st);
	ck_assert_str_eq(json_string_value(json_object_get(j, "ociVersion")),
			 "1.0.2");
	ck_assert_str_eq(json_string_value(json_object_get(j, "id")), "c6");
	/* The create at work sees "creating" (what its hooks are told)... */
	ck_assert_str_eq(json_string_value(json_object_get(j, "status")),
			 "creating");
	ck_assert(json_is_integer(json_object_get(j, "pid")));
	ck_assert_str_eq(json_string_value(json_object_get(j, "bundle")),
			 "/srv/b");
	ck_assert(json_is_object(json_object_get(j, "annotations")));
	ck_assert_ptr_null(json_object_get(j, "startTime"));
	json_decref(j);
	state_release(&st);
	/* ... any later command, that the create died. */
	ck_assert_int_eq(state_load(root, "c6", &st), 0);
	ck_assert_int_eq(state_status(&st), STATUS_STOPPED);
	state_release(&st);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ids_are_checked);
	tcase_add_test(tc, create_save_load_remove);
	tcase_add_test(tc, status_is_live);
	tcase_add_test(tc, leftover_create_is_stopped);
	tcase_add_test(tc, corrupt_state_is_refused);
	tcase_add_test(tc, lock_serializes);
	tcase_add_test(tc, list_is_sorted);
	tcase_add_test(tc, state_json_has_the_spec_fields);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
