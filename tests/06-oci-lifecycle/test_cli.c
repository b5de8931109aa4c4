/* SPDX-License-Identifier: MIT */
/*
 * test_cli.c - chapter 06: barge-runtime's command line beyond the
 * lifecycle of test_runtime.c: the errors of each command on a container
 * that is not there or not in the right state, signal names, and runc's
 * global options.
 */
#include <jansson.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

/* "spec" writes runc's example into a bundle (never over one), which
 * runs once root.path and the args are set; "--rootless" maps the
 * caller's ids. */
START_TEST(cli_spec_writes_a_bundle)
{
	char path[PATH_MAX], rootfs[PATH_MAX];
	struct run_result r;
	json_error_t jerr;
	json_t *config, *process;

	rt_setup();
	ck_assert(realpath(test_rootfs(), rootfs));
	rt_run(&r, "spec", "--bundle", t_bundle, NULL);
	ck_assert_msg(r.code == 0, "spec: %s", r.err);
	snprintf(path, sizeof(path), "%s/config.json", t_bundle);
	config = json_load_file(path, 0, &jerr);
	ck_assert_msg(config, "%s: %s", path, jerr.text);
	json_object_set_new(json_object_get(config, "root"), "path",
			    json_string(rootfs));
	process = json_object_get(config, "process");
	json_object_set_new(process, "args",
			    json_pack("[s, s, s]", "sh", "-c",
				      "probe hostname; probe caps | grep Eff"));
	ck_assert_int_eq(json_dump_file(config, path, 0), 0);
	json_decref(config);
	rt_run(&r, "run", "--bundle", t_bundle, "s1", NULL);
	ck_assert_msg(r.code == 0, "run: exit %d: %s", r.code, r.err);
	ck_assert_str_eq(r.out, "barge\nCapEff=0000000020000420\n");
	rt_run(&r, "spec", "--bundle", t_bundle, NULL);
	rt_expect_error(&r, "config.json exists: remove it first");
	config = json_load_file(path, 0, &jerr);
	ck_assert_msg(config && strstr(json_string_value(json_object_get(
					       json_object_get(config, "root"),
					       "path")),
				       rootfs),
		      "the second spec changed config.json");
	json_decref(config);
	ck_assert_int_eq(unlink(path), 0);
	rt_run(&r, "spec", "--rootless", "--bundle", t_bundle, NULL);
	ck_assert_msg(r.code == 0, "spec --rootless: %s", r.err);
	config = json_load_file(path, 0, &jerr);
	ck_assert_msg(config, "%s: %s", path, jerr.text);
	ck_assert_msg(
		json_integer_value(json_object_get(
			json_array_get(json_object_get(
					       json_object_get(config, "linux"),
					       "uidMappings"),
				       0),
			"hostID")) == (json_int_t)geteuid(),
		"uidMappings: not our uid");
	json_decref(config);
	rt_teardown();
}
END_TEST

/* One row of "list": the fields of container id, or the test fails. */
static void list_row(const char *out, const char *id, int *pid, char *status,
		     char *bundle, char *owner)
{
	char want[80], created[64];
	const char *line;

	snprintf(want, sizeof(want), "\n%s ", id);
	line = strstr(out, want);
	ck_assert_msg(line, "no row for %s in:\n%s", id, out);
	ck_assert_int_eq(sscanf(line + 1, "%*s %d %31s %255s %63s %63s", pid,
				status, bundle, created, owner),
			 5);
	ck_assert_msg(strlen(created) == 20 && created[10] == 'T' &&
			      created[19] == 'Z',
		      "created \"%s\" is not RFC 3339 UTC", created);
}

/* "list": runc's columns, each status worked out now (PID 0 once
 * stopped), without waiting for a container another command holds; -q
 * the ids, sorted; --format json the states; an unknown format refused. */
START_TEST(cli_list_shows_each_container)
{
	char status[32], bundle[256], owner[64], path[PATH_MAX];
	struct run_result r;
	json_error_t jerr;
	json_t *all;
	int pid, fd;

	rt_setup();
	rt_run(&r, "list", NULL);
	ck_assert_msg(r.code == 0, "list: %s", r.err);
	ck_assert_msg(strncmp(r.out, "ID ", 3) == 0 &&
			      strchr(r.out, '\n') == r.out + strlen(r.out) - 1,
		      "an empty list is its header alone:\n%s", r.out);
	rt_create_sleeper("l2");
	rt_create_sleeper("l1");
	rt_run(&r, "start", "l2", NULL);
	ck_assert_msg(r.code == 0, "start: %s", r.err);
	rt_run(&r, "list", NULL);
	ck_assert_msg(r.code == 0, "list: %s", r.err);
	list_row(r.out, "l1", &pid, status, bundle, owner);
	ck_assert_str_eq(status, "created");
	ck_assert_int_eq(pid, rt_state_pid("l1", NULL, 0));
	ck_assert_str_eq(bundle, t_bundle);
	ck_assert_str_eq(owner, "root");
	list_row(r.out, "l2", &pid, status, bundle, owner);
	ck_assert_str_eq(status, "running");
	rt_run(&r, "list", "-q", NULL);
	ck_assert_str_eq(r.out, "l1\nl2\n");
	/* a command at work on l1 (its lock held) does not hide it */
	snprintf(path, sizeof(path), "%s/l1", t_root);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX), 0);
	rt_run(&r, "list", NULL);
	close(fd);
	list_row(r.out, "l1", &pid, status, bundle, owner);
	ck_assert_str_eq(status, "created");
	rt_run(&r, "list", "--format", "json", NULL);
	all = json_loads(r.out, 0, &jerr);
	ck_assert_msg(json_is_array(all) && json_array_size(all) == 2,
		      "list --format json: %s", r.out);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(all, 1), "status")),
			 "running");
	json_decref(all);
	rt_run(&r, "list", "--format", "yaml", NULL);
	rt_expect_error(&r, "list: --format 'yaml' is not table or json");
	pid = rt_state_pid("l2", NULL, 0);
	rt_run(&r, "kill", "l2", "KILL", NULL);
	ck_assert_msg(r.code == 0, "kill: %s", r.err);
	waitpid(pid, NULL, 0); /* ours: the test is the subreaper */
	rt_run(&r, "list", NULL);
	list_row(r.out, "l2", &pid, status, bundle, owner);
	ck_assert_str_eq(status, "stopped");
	ck_assert_int_eq(pid, 0);
	force_delete("l1");
	force_delete("l2");
	rt_run(&r, "list", "-q", NULL);
	ck_assert_str_eq(r.out, "");
	rt_teardown();
}
END_TEST

/* ps: the container's processes, and only those: as the JSON array of
 * their pids, or as ps(1)'s table (podman top asks for one). */
START_TEST(cli_ps_lists_the_processes)
{
	char path[64], cgroup[4096];
	struct run_result r;
	json_error_t jerr;
	json_t *pids = NULL;
	size_t i, lines = 0;
	const char *p;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_bundle_linux("\"sh\", \"-c\", \"sleep 30 & exec sleep 31\"", false,
			", \"resources\": {\"pids\": {\"limit\": 20}}", "");
	rt_run(&r, "create", "--bundle", t_bundle, "ps1", NULL);
	ck_assert_msg(r.code == 0, "create: %s", r.err);
	rt_run(&r, "start", "ps1", NULL);
	ck_assert_msg(r.code == 0, "start: %s", r.err);
	for (i = 0; i < 500; i++) { /* until the shell has forked */
		json_decref(pids);
		rt_run(&r, "ps", "--format", "json", "ps1", NULL);
		ck_assert_msg(r.code == 0, "ps: %s", r.err);
		pids = json_loads(r.out, 0, &jerr);
		ck_assert_msg(json_is_array(pids), "not a JSON array: %s",
			      r.out);
		if (json_array_size(pids) == 2)
			break;
		usleep(10000);
	}
	ck_assert_uint_eq(json_array_size(pids), 2);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/cgroup",
			 (int)json_integer_value(json_array_get(pids, i)));
		ck_assert_int_gt(slurp(path, cgroup, sizeof(cgroup)), 0);
		ck_assert_msg(strstr(cgroup, "barge/ps1"), "%s: %s", path,
			      cgroup);
	}
	json_decref(pids);
	rt_run(&r, "ps", "ps1", "-o", "pid,args", NULL);
	ck_assert_msg(r.code == 0, "ps: %s", r.err);
	ck_assert_msg(strstr(r.out, "PID") &&
			      strstr(r.out, "PID") < strchr(r.out, '\n'),
		      "no header: %s", r.out);
	for (p = strchr(r.out, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
		lines++;
	ck_assert_msg(lines == 2 && strstr(r.out, "sleep 30") &&
			      strstr(r.out, "sleep 31"),
		      "not the container's two processes:\n%s", r.out);
	rt_run(&r, "kill", "--all", "ps1", "KILL", NULL);
	ck_assert_msg(r.code == 0, "kill: %s", r.err);
	for (i = 0; i < 500; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		rt_run(&r, "ps", "ps1", NULL);
		if (r.code != 0)
			break;
		usleep(10000);
	}
	rt_expect_error(&r, "is stopped: container not running");
	rt_run(&r, "delete", "ps1", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	rt_teardown();
}
END_TEST

static int64_t jint(json_t *root, const char *path)
{
	json_t *v = json_object_get(root, "data");
	char key[64];
	const char *p = path, *dot;

	while (v && (dot = strchr(p, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - p), p);
		v = json_object_get(v, key);
		p = dot + 1;
	}
	v = v ? json_object_get(v, p) : NULL;
	ck_assert_msg(json_is_integer(v), "data.%s is not a number", path);
	return json_integer_value(v);
}

/* events --stats: one JSON object, runc's, with what the cgroup counts
 * and its limits; events alone streams them until the container stops. */
START_TEST(cli_events_stats)
{
	char line[4096];
	struct run_result r;
	json_error_t jerr;
	json_t *ev;
	int out[2];
	pid_t pid;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_bundle_linux("\"sh\", \"-c\", \"i=0; while [ $i -lt 100000 ]; do "
			"i=$((i+1)); done; exec sleep 30\"",
			false,
			", \"resources\": {\"pids\": {\"limit\": 20}, "
			"\"memory\": {\"limit\": 67108864}}",
			"");
	rt_run(&r, "create", "--bundle", t_bundle, "ev1", NULL);
	ck_assert_msg(r.code == 0, "create: %s", r.err);
	rt_run(&r, "start", "ev1", NULL);
	ck_assert_msg(r.code == 0, "start: %s", r.err);
	rt_run(&r, "events", "--stats", "ev1", NULL);
	ck_assert_msg(r.code == 0, "events --stats: %s", r.err);
	ev = json_loads(r.out, 0, &jerr);
	ck_assert_msg(ev, "not JSON: %s", r.out);
	ck_assert_str_eq(json_string_value(json_object_get(ev, "type")),
			 "stats");
	ck_assert_str_eq(json_string_value(json_object_get(ev, "id")), "ev1");
	ck_assert_int_eq(jint(ev, "pids.limit"), 20);
	ck_assert_int_ge(jint(ev, "pids.current"), 1);
	ck_assert_int_eq(jint(ev, "memory.usage.limit"), 67108864);
	ck_assert_int_gt(jint(ev, "memory.usage.usage"), 0);
	ck_assert_int_gt(jint(ev, "cpu.usage.total"), 0);
	json_decref(ev);

	ck_assert_int_eq(pipe(out), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(out[1], 1);
		execl(rt_path(), rt_path(), "--root", t_root, "events",
		      "--interval", "1", "ev1", NULL);
		_exit(127);
	}
	close(out[1]);
	ck_assert_int_gt(read_line(out[0], line, sizeof(line), 10), 0);
	ck_assert_msg(strstr(line, "{\"type\":\"stats\",\"id\":\"ev1\""), "%s",
		      line);
	rt_run(&r, "kill", "ev1", "KILL", NULL);
	ck_assert_msg(r.code == 0, "kill: %s", r.err);
	ck_assert_int_eq(wait_exit(pid, 10), 0); /* it saw the stop */
	close(out[0]);
	rt_run(&r, "delete", "--force", "ev1", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	rt_teardown();
}
END_TEST

void add_cli_tests(Suite *s)
{
	add_test(s, cli_unknown_container, 30);
	add_test(s, cli_state_and_signal_names, 30);
	add_test(s, cli_force_delete_running, 30);
	add_test(s, cli_ps_lists_the_processes, 30);
	add_test(s, cli_events_stats, 30);
	add_test(s, cli_options_and_usage_errors, 30);
	add_test(s, cli_spec_writes_a_bundle, 30);
	add_test(s, cli_list_shows_each_container, 30);
}
