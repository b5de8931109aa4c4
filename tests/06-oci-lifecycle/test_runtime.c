/* SPDX-License-Identifier: MIT */
/*
 * test_runtime.c - chapter 06: barge-runtime's lifecycle (create, start,
 * state, kill, delete; run), the hooks, the console socket, through its
 * command line; and barge run on top of it, as in chapter 05.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container_cases.h"
#include "escape_cases.h"
#include "runtime_util.h"

/* Wait (at most 5 s) until the container's state says want. The test is
 * a subreaper: the inits whose create has exited are ours to reap. */
static void wait_status(const char *id, const char *want)
{
	char status[32] = "";
	int i;

	for (i = 0; i < 500; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		rt_state_pid(id, status, sizeof(status));
		if (strcmp(status, want) == 0)
			return;
		usleep(10000);
	}
	ck_abort_msg("container %s is %s, not %s", id, status, want);
}

static void expect_fail(struct run_result *r, const char *msg)
{
	ck_assert_msg(r->code != 0, "succeeded; expected: %s", msg);
	ck_assert_msg(strstr(r->err, msg), "stderr \"%s\" lacks \"%s\"", r->err,
		      msg);
}

START_TEST(lifecycle_and_state_machine)
{
	char pidfile[128], buf[32], status[32] = "";
	struct run_result r;
	int pid;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_bundle("\"sleep\", \"30\"", false, "");
	snprintf(pidfile, sizeof(pidfile), "%s/pid", t_bundle);
	rt_run(&r, "create", "--bundle", t_bundle, "--pid-file", pidfile, "c1",
	       NULL);
	ck_assert_msg(r.code == 0, "create: %s", r.err);
	pid = rt_state_pid("c1", status, sizeof(status));
	ck_assert_str_eq(status, "created");
	ck_assert_int_gt(slurp(pidfile, buf, sizeof(buf)), 0);
	ck_assert_int_eq(atoi(buf), pid);
	ck_assert_int_eq(kill(pid, 0), 0);
	rt_run(&r, "create", "--bundle", t_bundle, "c1", NULL);
	expect_fail(&r, "already exists");
	rt_run(&r, "start", "c1", NULL);
	ck_assert_msg(r.code == 0, "start: %s", r.err);
	rt_state_pid("c1", status, sizeof(status));
	ck_assert_str_eq(status, "running");
	rt_run(&r, "start", "c1", NULL);
	expect_fail(&r, "only a created container can be started");
	rt_run(&r, "delete", "c1", NULL);
	expect_fail(&r, "stop it first, or use --force");
	rt_run(&r, "kill", "c1", "KILL", NULL);
	ck_assert_msg(r.code == 0, "kill: %s", r.err);
	wait_status("c1", "stopped");
	rt_run(&r, "kill", "c1", "9", NULL);
	expect_fail(&r, "is stopped: container not running");
	rt_run(&r, "delete", "c1", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	rt_run(&r, "state", "c1", NULL);
	expect_fail(&r, "does not exist");
	rt_teardown();
}
END_TEST

/* run: create, start, wait, delete; the command's status comes back. */
/*
 * containerd's shim stops a container so: kill 15, and once it has
 * exited, "kill --all ID 9" for whatever is left in its cgroup, then
 * delete. Every step must succeed, or the shim never records the exit
 * (Kubernetes pods stuck in Terminating). A plain kill after the exit
 * fails with runc's words, which the shim recognises.
 */
START_TEST(shim_kill_sequence)
{
	char status[32] = "";
	struct run_result r;
	int i;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_bundle_linux("\"sh\", \"-c\", \"trap 'exit 0' TERM; "
			"while :; do sleep 0.1; done\"",
			false, ", \"resources\": {\"pids\": {\"limit\": 50}}",
			"");
	rt_run(&r, "create", "--bundle", t_bundle, "shim", NULL);
	ck_assert_msg(r.code == 0, "create: %s", r.err);
	rt_run(&r, "start", "shim", NULL);
	ck_assert_msg(r.code == 0, "start: %s", r.err);
	rt_run(&r, "kill", "shim", "15", NULL);
	ck_assert_msg(r.code == 0, "kill 15: %s", r.err);
	for (i = 0; i < 500; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		rt_state_pid("shim", status, sizeof(status));
		if (strcmp(status, "stopped") == 0)
			break;
		usleep(10000);
	}
	ck_assert_str_eq(status, "stopped");
	rt_run(&r, "kill", "--all", "shim", "9", NULL);
	ck_assert_msg(r.code == 0, "kill --all 9 after the exit: %s", r.err);
	rt_run(&r, "kill", "shim", "9", NULL);
	expect_fail(&r, "container not running");
	rt_run(&r, "delete", "shim", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	ck_assert_int_eq(count_entries(t_root), 0);
	ck_assert_uint_eq(rt_cgroups("shim"), 0);
	rt_teardown();
}
END_TEST

START_TEST(run_returns_status)
{
	struct run_result r;

	rt_setup();
	rt_bundle("\"sh\", \"-c\", \"hostname; exit 7\"", false, "");
	rt_run(&r, "run", "--bundle", t_bundle, "r1", NULL);
	ck_assert_int_eq(r.code, 7);
	ck_assert_str_eq(chomp(r.out), "t5");
	rt_teardown();
}
END_TEST

static void read_log(char *buf, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/hooks.log", t_bundle);
	if (slurp(path, buf, size) < 0)
		buf[0] = '\0';
}

#define HOOK(name, file)                                                  \
	"{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"echo " name \
	" >> " file "\"]}"

/* Every hook at its point, in the spec's order; startContainer runs in
 * the container, where the bundle is bound on /tmp. */
START_TEST(hooks_run_in_order)
{
	char extra[4096], log[1024], host[128];
	struct run_result r;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	snprintf(host, sizeof(host), "%s/hooks.log", t_bundle);
	snprintf(
		extra, sizeof(extra),
		", \"hooks\": {\"prestart\": [" HOOK("prestart", "%s") "], \"createRuntime\": [" HOOK("createRuntime", "%s") "], \"createContainer\": [" HOOK(
			"createContainer",
			"%s") "], \"startContainer\": [" HOOK("startContainer",
							      "/tmp/hooks.log") "], \"poststart\": [" HOOK("poststart",
													   "%s") "], \"poststop\": [" HOOK("poststop",
																	   "%s") "]}",
		host, host, host, host, host);
	rt_bundle("\"sleep\", \"30\"", false, extra);
	/* the bind mount for startContainer: append it to "mounts" */
	snprintf(extra, sizeof(extra),
		 "sed -i 's|\"mounts\": \\[|\"mounts\": [{\"destination\": "
		 "\"/tmp\", \"type\": \"bind\", \"source\": \"%s\", "
		 "\"options\": [\"bind\"]},|' %s/config.json",
		 t_bundle, t_bundle);
	ck_assert_int_eq(system(extra), 0);
	rt_run(&r, "create", "--bundle", t_bundle, "h1", NULL);
	ck_assert_msg(r.code == 0, "create: %s", r.err);
	read_log(log, sizeof(log));
	ck_assert_str_eq(log, "prestart\ncreateRuntime\ncreateContainer\n");
	rt_run(&r, "start", "h1", NULL);
	ck_assert_msg(r.code == 0, "start: %s", r.err);
	read_log(log, sizeof(log));
	ck_assert_str_eq(log, "prestart\ncreateRuntime\ncreateContainer\n"
			      "startContainer\npoststart\n");
	rt_run(&r, "delete", "--force", "h1", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	read_log(log, sizeof(log));
	ck_assert_str_eq(log, "prestart\ncreateRuntime\ncreateContainer\n"
			      "startContainer\npoststart\npoststop\n");
	rt_teardown();
}
END_TEST

/* A failing createRuntime hook fails create, and nothing stays; a
 * failing poststart hook is only a warning. */
START_TEST(hook_failures)
{
	struct run_result r;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_bundle(
		"\"true\"", false,
		", \"hooks\": {\"createRuntime\": [{\"path\": \"/bin/false\"}]}");
	rt_run(&r, "create", "--bundle", t_bundle, "f1", NULL);
	expect_fail(&r, "createRuntime[0] /bin/false");
	ck_assert_int_eq(count_entries(t_root), 0);
	rt_bundle("\"true\"", false,
		  ", \"hooks\": {\"poststart\": [{\"path\": \"/bin/false\"}]}");
	rt_run(&r, "run", "--bundle", t_bundle, "f2", NULL);
	ck_assert_msg(r.code == 0, "run: %s", r.err);
	ck_assert_msg(strstr(r.err, "poststart[0]"), "no warning: %s", r.err);
	rt_teardown();
}
END_TEST

/* The malformed configs of the corpus, found when the suite is built. */
static glob_t bad_configs;
static char bad_pattern[PATH_MAX];

static void find_bad_configs(void)
{
	if (!repo_path("tests/oci-configs/bad-*.json", bad_pattern,
		       sizeof(bad_pattern)) ||
	    glob(bad_pattern, 0, NULL, &bad_configs) != 0)
		bad_configs.gl_pathc = 0;
}

/* Each malformed config.json of the corpus, a test of its own: create
 * refuses it with the message its .expect file holds (naming the JSON
 * path), and nothing is left: no state directory, cgroup or mount. */
START_TEST(bad_config_creates_nothing)
{
	char cmd[PATH_MAX * 2], expect[1024], *mounts, *after;
	const char *file;
	struct run_result r;

	ck_assert_msg((size_t)_i < bad_configs.gl_pathc,
		      "no malformed config.json found: %s", bad_pattern);
	file = bad_configs.gl_pathv[_i];
	snprintf(cmd, sizeof(cmd), "%.*s.expect",
		 (int)(strlen(file) - strlen(".json")), file);
	ck_assert_msg(slurp(cmd, expect, sizeof(expect)) > 0, "no %s", cmd);
	chomp(expect);
	rt_setup();
	snprintf(cmd, sizeof(cmd), "cp '%s' %s/config.json", file, t_bundle);
	ck_assert_int_eq(system(cmd), 0);
	mounts = mount_table();
	rt_run(&r, "create", "--bundle", t_bundle, "bad", NULL);
	after = mount_table();
	ck_assert_msg(r.code == 1, "%s: exit %d: %s", file, r.code, r.err);
	ck_assert_msg(strstr(r.err, expect), "%s: stderr \"%s\" lacks \"%s\"",
		      file, r.err, expect);
	ck_assert_msg(count_entries(t_root) == 0, "%s: a state is left", file);
	ck_assert_msg(rt_cgroups("bad") == 0, "%s: a cgroup is left", file);
	ck_assert_msg(strcmp(mounts, after) == 0, "%s: the mounts changed",
		      file);
	free(mounts);
	free(after);
	rt_teardown();
}
END_TEST

/* Only stdio reaches the container: fds the runtime inherits (conmon's
 * sync pipe) are closed. fd 5 is open here, and must not be there. */
START_TEST(no_fd_reaches_the_container)
{
	struct run_result r;

	rt_setup();
	rt_bundle("\"ls\", \"/proc/self/fd\"", false, "");
	ck_assert_int_eq(dup2(2, 5), 5);
	rt_run(&r, "run", "--bundle", t_bundle, "fd1", NULL);
	close(5);
	ck_assert_msg(r.code == 0, "run: %s", r.err);
	/* ls's own directory fd is 3 */
	ck_assert_str_eq(r.out, "0\n1\n2\n3\n");
	rt_teardown();
}
END_TEST

/* Replace the first "from" of t_bundle/config.json with "to". */
static void edit_bundle(const char *from, const char *to)
{
	char path[PATH_MAX], config[8192], *at;
	FILE *f;

	snprintf(path, sizeof(path), "%s/config.json", t_bundle);
	ck_assert_int_gt(slurp(path, config, sizeof(config)), 0);
	at = strstr(config, from);
	ck_assert_msg(at, "config.json has no %s", from);
	f = fopen(path, "we");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%.*s%s%s", (int)(at - config), config, to,
		at + strlen(from));
	ck_assert_int_eq(fclose(f), 0);
}

/* linux.sysctl: only a namespace's own, and of a namespace the container
 * has for itself. The rest would change the host (kernel.core_pattern is
 * a host-wide way to run a program as root), and is refused naming the
 * field, before anything exists. The values are the host's own, so that
 * a broken runtime changes nothing either (%s: the host's name). */
static const struct {
	const char *sysctl, *namespaces_from, *namespaces_to, *error;
} bad_sysctls[] = {
	{ "\"kernel.core_pattern\": \"core\"", NULL, NULL,
	  "linux.sysctl.kernel.core_pattern: not a sysctl of the container's "
	  "own" },
	{ "\"vm.overcommit_memory\": \"0\"", NULL, NULL,
	  "linux.sysctl.vm.overcommit_memory: not a sysctl" },
	{ "\"net.ipv4.ping_group_range\": \"1 0\"", ", {\"type\": \"network\"}",
	  "",
	  "linux.sysctl.net.ipv4.ping_group_range: needs a network "
	  "namespace" },
	{ "\"net.ipv4.ping_group_range\": \"1 0\"", "{\"type\": \"network\"}",
	  "{\"type\": \"network\", \"path\": \"/proc/self/ns/net\"}",
	  "linux.sysctl.net.ipv4.ping_group_range: needs a network "
	  "namespace" },
	{ "\"kernel.hostname\": \"%s\"", ", {\"type\": \"uts\"}", "",
	  "linux.sysctl.kernel.hostname: needs a uts namespace" },
	{ "\"kernel.hostname\": \"%s\"", NULL, NULL,
	  "linux.sysctl.kernel.hostname: conflicts with hostname" },
	{ "\"net.ipv4.../../../../kernel/core_pattern\": \"x\"", NULL, NULL,
	  "not a sysctl of the container's own" },
};

START_TEST(host_sysctls_are_refused)
{
	char before[256], after[256], linux_extra[256], host[65] = "";
	char sysctl[128];
	struct run_result r;

	rt_setup();
	ck_assert_int_gt(
		slurp("/proc/sys/kernel/core_pattern", before, sizeof(before)),
		0);
	gethostname(host, sizeof(host) - 1);
	snprintf(sysctl, sizeof(sysctl), bad_sysctls[_i].sysctl, host);
	snprintf(linux_extra, sizeof(linux_extra), ", \"sysctl\": {%s}",
		 sysctl);
	rt_bundle_linux("\"true\"", false, linux_extra, "");
	if (bad_sysctls[_i].namespaces_from)
		edit_bundle(bad_sysctls[_i].namespaces_from,
			    bad_sysctls[_i].namespaces_to);
	rt_run(&r, "create", "--bundle", t_bundle, "sysctl", NULL);
	expect_fail(&r, bad_sysctls[_i].error);
	ck_assert_int_eq(count_entries(t_root), 0);
	ck_assert_int_eq(rt_cgroups("sysctl"), 0);
	slurp("/proc/sys/kernel/core_pattern", after, sizeof(after));
	ck_assert_str_eq(before, after);
	rt_teardown();
}
END_TEST

/* The container's own sysctls are set in its namespaces, not the
 * host's: a joined network namespace of its own counts. */
START_TEST(own_sysctls_are_set_inside)
{
	char before[64], after[64];
	struct run_result r;

	rt_setup();
	ck_assert_int_gt(slurp("/proc/sys/net/ipv4/ping_group_range", before,
			       sizeof(before)),
			 0);
	rt_bundle_linux("\"cat\", \"/proc/sys/net/ipv4/ping_group_range\", "
			"\"/proc/sys/kernel/shmmni\"",
			false,
			", \"sysctl\": {\"net.ipv4.ping_group_range\": "
			"\"0 4242\", \"kernel.shmmni\": \"1234\"}",
			"");
	rt_run(&r, "run", "--bundle", t_bundle, "sysctl", NULL);
	ck_assert_msg(r.code == 0, "run: %s", r.err);
	ck_assert_str_eq(r.out, "0\t4242\n1234\n");
	slurp("/proc/sys/net/ipv4/ping_group_range", after, sizeof(after));
	ck_assert_str_eq(before, after);
	rt_teardown();
}
END_TEST

/*
 * runc's CVE-2024-21626: process.cwd "/proc/self/fd/N", N the runtime's
 * own descriptor of the state directory (3, before the fix) or a host
 * directory its caller left open. The runtime closes its descriptors
 * before it enters the cwd, and resolves the cwd inside the root: create
 * fails, and the host's file is never read.
 */
START_TEST(cwd_through_a_leaked_fd_is_refused)
{
	char host[64] = "/tmp/barge-cwd-XXXXXX", path[PATH_MAX], cwd[40];
	struct run_result r;
	FILE *f;
	int n = 3 + _i;

	rt_setup();
	ck_assert_ptr_nonnull(mkdtemp(host));
	snprintf(path, sizeof(path), "%s/secret", host);
	f = fopen(path, "we");
	ck_assert_ptr_nonnull(f);
	fputs("host-secret\n", f);
	fclose(f);
	rt_bundle("\"sh\", \"-c\", \"cat secret ../*/secret; ls\"", false, "");
	snprintf(cwd, sizeof(cwd), "\"cwd\": \"/proc/self/fd/%d\"", n);
	edit_bundle("\"cwd\": \"/\"", cwd);
	rt_run_leaking(&r, host, n, "run", "--bundle", t_bundle, "cwd", NULL);
	remove_scratch(host);
	ck_assert_msg(!strstr(r.out, "host-secret") && !strstr(r.out, "cwd"),
		      "fd %d: the container reached the host: %s", n, r.out);
	ck_assert_msg(r.code != 0 && strstr(r.err, "process.cwd"),
		      "fd %d: exit %d: %s", n, r.code, r.err);
	rt_teardown();
}
END_TEST

/* A cgroupsPath longer than a path can be is refused, never cut short
 * (a cut one could name another container's cgroup): too long for
 * config.json's check, or too long once below a hierarchy's root. Either
 * way nothing is made, no part of the path either. */
START_TEST(long_cgroup_paths_are_refused)
{
	char path[4400], extra[4500];
	struct run_result r;
	size_t i;

	rt_setup();
	for (i = 0; i < N_LONG_PATHS; i++) {
		long_path(path, long_paths[i].total, long_paths[i].part);
		snprintf(extra, sizeof(extra), ", \"cgroupsPath\": \"%s\"",
			 path);
		rt_bundle_linux("\"true\"", false, extra, "");
		rt_run(&r, "create", "--bundle", t_bundle, "long", NULL);
		expect_fail(&r, long_paths[i].error);
		ck_assert_int_eq(count_entries(t_root), 0);
		ck_assert_msg(rt_cgroups("long") == 0,
			      "%zu/%zu: a cgroup is left", long_paths[i].total,
			      long_paths[i].part);
	}
	rt_teardown();
}
END_TEST

/* --pid-file FILE is written as FILE.tmp, in a directory others may
 * write to: a symlink or a hard link left there is refused, and what it
 * points at is unchanged. */
START_TEST(pid_file_through_a_link_is_refused)
{
	char target[128], pidfile[128], tmp[160], text[16];
	struct run_result r;
	int i;

	rt_setup();
	rt_bundle("\"true\"", false, "");
	snprintf(target, sizeof(target), "%s/precious", t_bundle);
	snprintf(pidfile, sizeof(pidfile), "%s/pid", t_bundle);
	snprintf(tmp, sizeof(tmp), "%s.tmp", pidfile);
	for (i = 0; i < 2; i++) {
		FILE *f = fopen(target, "we");

		ck_assert_ptr_nonnull(f);
		fputs("keep", f);
		fclose(f);
		ck_assert_int_eq(
			i == 0 ? symlink(target, tmp) : link(target, tmp), 0);
		rt_run(&r, "create", "--bundle", t_bundle, "--pid-file",
		       pidfile, "pl", NULL);
		expect_fail(&r, "write");
		ck_assert_int_gt(slurp(target, text, sizeof(text)), 0);
		ck_assert_msg(strcmp(text, "keep") == 0,
			      "%s: the runtime wrote through it: %s",
			      i == 0 ? "symlink" : "hard link", text);
		ck_assert_int_eq(count_entries(t_root), 0);
		ck_assert_uint_eq(rt_cgroups("pl"), 0);
		unlink(tmp);
	}
	rt_teardown();
}
END_TEST

/* The processes in the container's cgroup, -1 if it has none. */
static int cgroup_procs(const char *id)
{
	char pattern[128], line[32];
	int n = 0;
	glob_t g;
	FILE *f;

	snprintf(pattern, sizeof(pattern),
		 "/sys/fs/cgroup/{pids/,}barge/%s/cgroup.procs", id);
	if (glob(pattern, GLOB_BRACE, NULL, &g) != 0)
		return -1;
	f = fopen(g.gl_pathv[0], "re");
	globfree(&g);
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

/* A create killed when the container is all set up but not yet in the
 * state (here: blocked writing its --pid-file, a fifo) leaves no process
 * behind, and delete --force removes the rest. */
START_TEST(create_killed_before_its_state_leaves_no_process)
{
	char pidfile[128], tmp[160], wchan[64], path[64];
	struct run_result r;
	int i, procs = -1;
	pid_t create;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_bundle_linux("\"true\"", false,
			", \"resources\": {\"pids\": {\"limit\": 100}}", "");
	snprintf(pidfile, sizeof(pidfile), "%s/pid", t_bundle);
	snprintf(tmp, sizeof(tmp), "%s.tmp", pidfile);
	ck_assert_int_eq(mkfifo(tmp, 0600), 0);
	create = fork();
	ck_assert_int_ge(create, 0);
	if (create == 0) {
		execl(rt_path(), rt_path(), "--root", t_root, "create",
		      "--bundle", t_bundle, "--pid-file", pidfile, "ck", NULL);
		_exit(127);
	}
	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)create);
	for (i = 0; i < 1000; i++) { /* until it waits in the fifo's open */
		if (slurp(path, wchan, sizeof(wchan)) > 0 &&
		    (strstr(wchan, "fifo_open") ||
		     strstr(wchan, "wait_for_partner")))
			break;
		usleep(10000);
	}
	ck_assert_msg(i < 1000, "create never reached --pid-file");
	kill(create, SIGKILL);
	waitpid(create, NULL, 0);
	for (i = 0; i < 500 && (procs = cgroup_procs("ck")) > 0; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(10000);
	}
	ck_assert_msg(procs == 0, "%d processes are left in the cgroup", procs);
	rt_run(&r, "delete", "--force", "ck", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	ck_assert_int_eq(count_entries(t_root), 0);
	ck_assert_uint_eq(rt_cgroups("ck"), 0);
	rt_teardown();
}
END_TEST

/* runc's CVE-2019-5736: between create and start the container's
 * process is a copy of the runtime, waiting on exec.fifo in the
 * container's namespaces; its /proc/PID/exe must be a sealed copy, never
 * the host's binary. */
START_TEST(created_init_runs_from_a_sealed_copy)
{
	struct run_result r;
	char status[32];
	int pid;

	rt_setup();
	rt_create_sleeper("exe");
	pid = rt_state_pid("exe", status, sizeof(status));
	ck_assert_int_gt(pid, 0);
	ck_assert_str_eq(status, "created");
	assert_sealed_exe(pid, rt_path());
	rt_run(&r, "delete", "--force", "exe", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	rt_teardown();
}
END_TEST

/* The hostile root filesystems of tests/lib/escape_cases.c, through
 * "run": create, start, wait, delete. */
static void run_bundle(struct run_result *r, const char *bundle, const char *id)
{
	rt_setup();
	rt_run(r, "run", "--bundle", bundle, id, NULL);
	rt_teardown();
}

/* 200 create/delete cycles: no state, cgroup, mount or fd stays. Each
 * container has a cgroup (a pids limit). */
START_TEST(cycles_leave_nothing)
{
	char *mounts = mount_table(), *after, id[16];
	int fds = count_entries("/proc/self/fd"), i;
	struct run_result r;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_bundle_linux("\"sleep\", \"30\"", false,
			", \"resources\": {\"pids\": {\"limit\": 100}}", "");
	for (i = 0; i < 200; i++) {
		snprintf(id, sizeof(id), "cy%d", i);
		rt_run(&r, "create", "--bundle", t_bundle, id, NULL);
		ck_assert_msg(r.code == 0, "create %d: %s", i, r.err);
		ck_assert_msg(rt_cgroups(id) > 0, "%s has no cgroup", id);
		rt_run(&r, "delete", "--force", id, NULL);
		ck_assert_msg(r.code == 0, "delete %d: %s", i, r.err);
		ck_assert_msg(rt_cgroups(id) == 0, "%s: the cgroup is left",
			      id);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	ck_assert_int_eq(count_entries(t_root), 0);
	ck_assert_int_eq(count_entries("/proc/self/fd"), fds);
	after = mount_table();
	ck_assert_str_eq(mounts, after);
	free(mounts);
	free(after);
	rt_teardown();
}
END_TEST

/* Receive the pty master sent over the console socket (SCM_RIGHTS). */
static int recv_fd(int sock)
{
	char data, control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = control,
			      .msg_controllen = sizeof(control) };
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, 0) <= 0)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

/* process.terminal: the container's stdio is a pty whose master comes
 * to us through --console-socket, as to conmon for podman run -t. */
START_TEST(console_socket_gets_the_pty)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char out[512] = "";
	struct run_result r;
	int lsock, conn, master;
	size_t n = 0;
	ssize_t k;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_bundle("\"sh\", \"-c\", \"tty; echo hello\"", true, "");
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/console.sock",
		 t_bundle);
	lsock = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(lsock, 0);
	ck_assert_int_eq(bind(lsock, (struct sockaddr *)&addr, sizeof(addr)),
			 0);
	ck_assert_int_eq(listen(lsock, 1), 0);
	rt_run(&r, "create", "--bundle", t_bundle, "--console-socket",
	       addr.sun_path, "tty1", NULL);
	ck_assert_msg(r.code == 0, "create: %s", r.err);
	conn = accept(lsock, NULL, NULL);
	master = recv_fd(conn);
	ck_assert_int_ge(master, 0);
	rt_run(&r, "start", "tty1", NULL);
	ck_assert_msg(r.code == 0, "start: %s", r.err);
	while (n < sizeof(out) - 1 && !strstr(out, "hello")) {
		struct pollfd p = { .fd = master, .events = POLLIN };

		if (poll(&p, 1, 5000) <= 0)
			break;
		k = read(master, out + n, sizeof(out) - 1 - n);
		if (k <= 0)
			break;
		n += k;
		out[n] = '\0';
	}
	ck_assert_msg(strstr(out, "/dev/pts/0") && strstr(out, "hello"),
		      "from the pty: \"%s\"", out);
	close(master);
	close(conn);
	close(lsock);
	wait_status("tty1", "stopped");
	rt_run(&r, "delete", "tty1", NULL);
	ck_assert_msg(r.code == 0, "delete: %s", r.err);
	rt_teardown();
}
END_TEST

/* barge run drives barge-runtime: chapter 03's and 04's flags, again. */
START_TEST(barge_flags_still_work)
{
	struct run_result r;

	ck_assert_str_eq(probe(&r, "ids", NULL),
			 "uid=0 gid=0 euid=0 egid=0 groups=");
	barge_run(&r, 30, "run", "--rootfs", test_rootfs(), "--user",
		  "1000:1000", "--", "probe", "ids", NULL);
	ck_assert_msg(r.code == 0, "--user: %s", r.err);
	ck_assert_str_eq(chomp(r.out),
			 "uid=1000 gid=1000 euid=1000 egid=1000 groups=");
	barge_run(&r, 30, "run", "--rootfs", test_rootfs(), "--read-only", "--",
		  "sh", "-c", "touch /x", NULL);
	ck_assert_int_ne(r.code, 0);
	barge_run(&r, 30, "run", "--rootfs", test_rootfs(), "--memory", "-5",
		  "--", "true", NULL);
	ck_assert_int_eq(r.code, 125);
}
END_TEST

/* A "cgroup" mount shows the container its own cgroup, with the limits
 * of config.json: on a v1 or hybrid host each v1 hierarchy under a tmpfs,
 * on a v2 host one cgroup2 mount. ("mounts" given again: the last
 * occurrence of a key wins in JSON as jansson reads it.) */
START_TEST(cgroup_mount_shows_own_limits)
{
	struct run_result r;

	rt_setup();
	rt_bundle_linux("\"sh\", \"-c\", \"cat /sys/fs/cgroup/pids.max 2>&- || "
			"cat /sys/fs/cgroup/pids/pids.max; "
			"ls /sys/fs/cgroup /sys/fs/cgroup/pids 2>&- | "
			"grep -c ^barge$; true\"",
			false, ", \"resources\": {\"pids\": {\"limit\": 33}}",
			", \"mounts\": [{\"destination\": \"/proc\", \"type\": "
			"\"proc\", \"source\": \"proc\"}, {\"destination\": "
			"\"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\", "
			"\"options\": [\"ro\"]}, {\"destination\": "
			"\"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": "
			"\"cgroup\", \"options\": [\"ro\"]}]");
	if (_i == 1) /* no cgroup namespace: its own cgroup all the same */
		edit_bundle(", {\"type\": \"cgroup\"}", "");
	rt_run(&r, "run", "--bundle", t_bundle, "cg1", NULL);
	rt_teardown();
	ck_assert_msg(r.code == 0, "run: exit %d: %s", r.code, r.err);
	ck_assert_msg(strcmp(r.out, "33\n0\n") == 0,
		      "%s cgroup namespace: not its own cgroup: %s",
		      _i ? "without a" : "with a", r.out);
}
END_TEST

/* linux.namespaces decides which namespaces are new: without "uts" (and
 * without "hostname", which needs one) the container shares the host's
 * hostname; with "user" its uids are mapped as uidMappings says. */
START_TEST(namespaces_follow_config)
{
	char host[256] = "", want[512], *out;
	struct run_result r;

	rt_setup();
	ck_assert_int_eq(gethostname(host, sizeof(host) - 1), 0);
	rt_bundle("\"sh\", \"-c\", \"hostname; cat /proc/self/uid_map\"", false,
		  ", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, "
		  "{\"type\": \"mount\"}, {\"type\": \"ipc\"}, "
		  "{\"type\": \"network\"}, {\"type\": \"cgroup\"}, "
		  "{\"type\": \"user\"}], \"uidMappings\": [{\"containerID\": "
		  "0, \"hostID\": 1048576, \"size\": 65536}], "
		  "\"gidMappings\": [{\"containerID\": 0, \"hostID\": "
		  "1048576, \"size\": 65536}]}");
	snprintf(want, sizeof(want), "sed -i '/\"hostname\"/d' %s/config.json",
		 t_bundle);
	ck_assert_int_eq(system(want), 0);
	rt_run(&r, "run", "--bundle", t_bundle, "ns1", NULL);
	rt_teardown();
	ck_assert_msg(r.code == 0, "run: exit %d: %s", r.code, r.err);
	/* "         0    1048576      65536": squeeze the blanks */
	out = r.out;
	for (char *p = out, *q = out;; p++) {
		if (*p == ' ' && (q == out || q[-1] == ' ' || q[-1] == '\n'))
			continue;
		*q++ = *p;
		if (!*p)
			break;
	}
	snprintf(want, sizeof(want), "%s\n0 1048576 65536\n", host);
	ck_assert_str_eq(out, want);
}
END_TEST

/* A namespace with a "path" is joined, not made: a second container in
 * the UTS and network namespaces of a first (as podman puts one in
 * another's network) sees its hostname and is in its network namespace. */
START_TEST(namespaces_joined_by_path)
{
	char extra[512], want[256], ns[64], link[64];
	struct run_result r;
	ssize_t n;
	int pid;

	rt_setup();
	rt_create_sleeper("j1");
	pid = rt_state_pid("j1", NULL, 0);
	ck_assert_int_gt(pid, 0);
	snprintf(ns, sizeof(ns), "/proc/%d/ns/net", pid);
	n = readlink(ns, link, sizeof(link) - 1);
	ck_assert_int_gt(n, 0);
	link[n] = '\0';
	snprintf(extra, sizeof(extra),
		 ", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, "
		 "{\"type\": \"mount\"}, {\"type\": \"uts\", \"path\": "
		 "\"/proc/%d/ns/uts\"}, {\"type\": \"network\", \"path\": "
		 "\"/proc/%d/ns/net\"}]}",
		 pid, pid);
	rt_bundle("\"sh\", \"-c\", \"hostname; readlink /proc/self/ns/net\"",
		  false, extra);
	snprintf(want, sizeof(want), "sed -i '/\"hostname\"/d' %s/config.json",
		 t_bundle);
	ck_assert_int_eq(system(want), 0);
	rt_run(&r, "run", "--bundle", t_bundle, "j2", NULL);
	rt_run(&(struct run_result){ 0 }, "delete", "--force", "j1", NULL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	ck_assert_msg(r.code == 0, "run: exit %d: %s", r.code, r.err);
	snprintf(want, sizeof(want), "t5\n%s\n", link);
	ck_assert_str_eq(r.out, want);
	rt_teardown();
}
END_TEST

/* Drop CAP_SYS_PTRACE from our effective set (a container's root has
 * none by default), and say whether /proc/pid/root can still be read. */
static bool root_readable_without_ptrace(int pid)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	char path[64], link[PATH_MAX];
	int status;
	pid_t child;

	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		if (syscall(SYS_capget, &h, d) < 0)
			_exit(2);
		d[0].effective &= ~(1U << CAP_SYS_PTRACE);
		if (syscall(SYS_capset, &h, d) < 0)
			_exit(2);
		snprintf(path, sizeof(path), "/proc/%d/root", pid);
		_exit(readlink(path, link, sizeof(link)) >= 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) < 2,
		      "capget/capset failed");
	return WEXITSTATUS(status) == 0;
}

/*
 * A container that joins another's PID namespace is visible there from
 * its clone, and until start its process is barge-runtime, holding
 * descriptors of the host (the --log file, exec.fifo). It must not be
 * dumpable: a root of that namespace, without CAP_SYS_PTRACE but with
 * every capability the waiting process has, could otherwise open them
 * through /proc/PID/fd (runc's CVE-2016-9962).
 */
START_TEST(joined_pid_namespace_cannot_reach_the_child)
{
	char extra[512], status[32];
	struct run_result r;
	int pid, child;

	rt_setup();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	rt_create_sleeper("dp1");
	pid = rt_state_pid("dp1", NULL, 0);
	ck_assert_int_gt(pid, 0);
	snprintf(extra, sizeof(extra),
		 ", \"linux\": {\"namespaces\": [{\"type\": \"pid\", "
		 "\"path\": \"/proc/%d/ns/pid\"}, {\"type\": \"mount\"}, "
		 "{\"type\": \"uts\"}]}",
		 pid);
	rt_bundle("\"true\"", false, extra);
	rt_run(&r, "create", "--bundle", t_bundle, "dp2", NULL);
	ck_assert_msg(r.code == 0, "create: %s", r.err);
	child = rt_state_pid("dp2", status, sizeof(status));
	ck_assert_int_gt(child, 0);
	ck_assert_msg(!root_readable_without_ptrace(child),
		      "pid %d, waiting for start, can be reached from its PID "
		      "namespace",
		      child);
	rt_run(&r, "delete", "--force", "dp2", NULL);
	ck_assert_msg(r.code == 0, "delete dp2: %s", r.err);
	/* dp1's init, PID 1 there, cannot end while dp2's is a zombie */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	rt_run(&r, "delete", "--force", "dp1", NULL);
	ck_assert_msg(r.code == 0, "delete dp1: %s", r.err);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	rt_teardown();
}
END_TEST

Suite *chapter_suite(void)
{
	Suite *s = suite_create("06-oci-lifecycle");
	TCase *tc;

	find_bad_configs();
	set_test_cleanup(rt_sweep);
	add_container_cases(s);
	add_test(s, barge_flags_still_work, 60);
	add_test(s, lifecycle_and_state_machine, 60);
	add_test(s, shim_kill_sequence, 60);
	add_test(s, run_returns_status, 60);
	add_test(s, hooks_run_in_order, 60);
	add_test(s, hook_failures, 60);
	tc = tcase_create("bad_config_creates_nothing");
	tcase_add_unchecked_fixture(tc, NULL, rt_sweep);
	tcase_add_loop_test(tc, bad_config_creates_nothing, 0,
			    bad_configs.gl_pathc ? (int)bad_configs.gl_pathc
						 : 1);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	add_test(s, no_fd_reaches_the_container, 60);
	tc = tcase_create("host_sysctls_are_refused");
	tcase_add_unchecked_fixture(tc, NULL, rt_sweep);
	tcase_add_loop_test(tc, host_sysctls_are_refused, 0,
			    sizeof(bad_sysctls) / sizeof(bad_sysctls[0]));
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	add_test(s, own_sysctls_are_set_inside, 60);
	add_test(s, long_cgroup_paths_are_refused, 60);
	add_test(s, create_killed_before_its_state_leaves_no_process, 60);
	add_test(s, pid_file_through_a_link_is_refused, 60);
	add_escape_cases(s, run_bundle);
	add_test(s, created_init_runs_from_a_sealed_copy, 60);
	tc = tcase_create("cwd_through_a_leaked_fd_is_refused");
	tcase_add_unchecked_fixture(tc, NULL, rt_sweep);
	tcase_add_loop_test(tc, cwd_through_a_leaked_fd_is_refused, 0, 18);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	add_test(s, cycles_leave_nothing, 60);
	add_test(s, console_socket_gets_the_pty, 60);
	add_podman_tests(s);
	add_cli_tests(s);
	add_hooks_tests(s);
	add_log_tests(s);
	add_devices_tests(s);
	tc = tcase_create("cgroup_mount_shows_own_limits");
	tcase_add_unchecked_fixture(tc, NULL, rt_sweep);
	tcase_add_loop_test(tc, cgroup_mount_shows_own_limits, 0, 2);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	add_test(s, namespaces_follow_config, 60);
	add_test(s, namespaces_joined_by_path, 60);
	add_test(s, joined_pid_namespace_cannot_reach_the_child, 60);
	return s;
}
