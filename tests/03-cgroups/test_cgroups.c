/* SPDX-License-Identifier: MIT */
/*
 * test_cgroups.c - integration tests of chapter 03, asserted by what the
 * limits do to the probe inside the container: a memory hog is killed at
 * --memory and reported as out of memory, a fork loop stops at
 * --pids-limit, a busy loop gets --cpus of CPU time. The same tests run on
 * a cgroup v1 (or hybrid) host and on a cgroup v2 one: only
 * limits_written_to_cgroup_files looks at the files, and it knows both.
 *
 * --memory alone allows as much swap again (Docker's default): the tests
 * that must see the OOM killer also pass --memory-swap equal to --memory,
 * no swap, so that they hold on a host with swap too. A host with swap but
 * no swap accounting could not be held at --memory at all.
 *
 * After each test no container cgroup may remain under any barge parent.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup_check.h"
#include "container_cases.h"

#define MAX_ARGS 32

/* barge run --rootfs ROOTFS FLAGS... -- CMD...: both lists NULL-ended. */
static void run_limited(struct run_result *r, const char *const flags[],
			const char *const cmd[])
{
	char *args[MAX_ARGS] = { "run", "--rootfs", (char *)test_rootfs() };
	int n = 3, i;

	require_root();
	for (i = 0; flags[i] && n < MAX_ARGS - 2; i++)
		args[n++] = (char *)flags[i];
	args[n++] = "--";
	for (i = 0; cmd[i] && n < MAX_ARGS - 1; i++)
		args[n++] = (char *)cmd[i];
	args[n] = NULL;
	barge_runv(r, 60, args);
}

static bool one_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl && nl[1] == '\0';
}

/* --memory SIZE, and no swap where the kernel accounts it. */
static const char *const *no_swap(const char *size)
{
	static const char *flags[5];

	flags[0] = "--memory";
	flags[1] = size;
	flags[2] = host_accounts_swap() ? "--memory-swap" : NULL;
	flags[3] = size;
	flags[4] = NULL;
	return flags;
}

static const char *const *no_swap_32m(void)
{
	return no_swap("32m");
}

START_TEST(memory_hog_killed_at_limit)
{
	const char *cmd[] = { "probe", "hog-memory", "64", NULL };
	struct run_result r;

	run_limited(&r, no_swap_32m(), cmd);
	ck_assert_msg(r.code == 137, "exit %d, want 137; stdout: %s stderr: %s",
		      r.code, r.out, r.err);
	ck_assert_msg(!strstr(r.out, "done"), "the hog got its 64 MB");
	ck_assert_msg(strstr(r.err, "out of memory") &&
			      strstr(r.err, "--memory 32m"),
		      "no OOM report: %s", r.err);
	ck_assert_msg(one_line(r.err), "not one line: %s", r.err);
}
END_TEST

START_TEST(memory_under_limit_runs)
{
	const char *flags[] = { "--memory", "64m", NULL };
	const char *cmd[] = { "probe", "hog-memory", "16", NULL };
	struct run_result r;

	run_limited(&r, flags, cmd);
	ck_assert_msg(r.code == 0, "exit %d; stderr: %s", r.code, r.err);
	ck_assert_str_eq(chomp(r.out), "done");
	ck_assert_msg(!strstr(r.err, "out of memory"), "%s", r.err);
}
END_TEST

/* The OOM killer's victim is the hog, not the shell: the shell goes on and
 * exits 3. Its code stays, with a one-line note, not the OOM report. (The
 * shell's own "Killed" goes to /dev/null.) The killer picks the biggest
 * process, so the limit leaves room for a big init: barge's own under
 * valgrind (make memcheck) takes tens of MB. */
START_TEST(oom_kill_note_keeps_exit_code)
{
	const char *cmd[] = { "sh", "-c",
			      "exec 2>/dev/null; probe hog-memory 512; exit 3",
			      NULL };
	struct run_result r;

	run_limited(&r, no_swap("256m"), cmd);
	ck_assert_msg(r.code == 3, "exit %d, want 3; stderr: %s", r.code,
		      r.err);
	ck_assert_msg(strstr(r.err, "OOM killer"), "no note: %s", r.err);
	ck_assert_msg(!strstr(r.err, "was killed"), "%s", r.err);
	ck_assert_msg(one_line(r.err), "not one line: %s", r.err);
}
END_TEST

/* A SIGKILL that is not the OOM killer's is not reported as one. */
START_TEST(other_deaths_are_not_oom)
{
	const char *flags[] = { "--memory", "32m", NULL };
	const char *kill9[] = { "probe", "kill-self", "KILL", NULL };
	const char *exit3[] = { "probe", "exit", "3", NULL };
	struct run_result r;

	run_limited(&r, flags, kill9);
	ck_assert_int_eq(r.code, 137);
	ck_assert_msg(!strstr(r.err, "out of memory"), "%s", r.err);
	run_limited(&r, flags, exit3);
	ck_assert_int_eq(r.code, 3);
	ck_assert_msg(!strstr(r.err, "out of memory"), "%s", r.err);
}
END_TEST

/* The fork loop counts itself and init: it forks fewer than the limit. */
START_TEST(fork_loop_stops_at_pids_limit)
{
	const char *flags[] = { "--pids-limit", "10", NULL };
	const char *cmd[] = { "probe", "fork-loop", "40", NULL };
	struct run_result r;
	int forked = -1;

	run_limited(&r, flags, cmd);
	ck_assert_msg(r.code == 0, "exit %d; stderr: %s", r.code, r.err);
	ck_assert_msg(sscanf(r.out, "forked=%d", &forked) == 1, "%s", r.out);
	ck_assert_msg(forked >= 1 && forked < 10, "forked %d, limit 10",
		      forked);
	ck_assert_msg(strstr(r.out, "errno=EAGAIN"), "%s", r.out);
}
END_TEST

/* Half a CPU: a 2-second busy loop gets about 1 second of CPU. */
START_TEST(cpus_half_gets_half_a_cpu)
{
	const char *flags[] = { "--cpus", "0.5", NULL };
	const char *cmd[] = { "probe", "spin", "2", NULL };
	struct run_result r;
	int ms = -1;

	run_limited(&r, flags, cmd);
	ck_assert_msg(r.code == 0, "exit %d; stderr: %s", r.code, r.err);
	ck_assert_msg(sscanf(r.out, "cpu_ms=%d", &ms) == 1, "%s", r.out);
	ck_assert_msg(ms >= 500 && ms <= 1500,
		      "%d ms of CPU in 2 s under --cpus 0.5", ms);
}
END_TEST

/* Inside, every line of /proc/self/cgroup ends in ":/": the container's
 * cgroup is the root of its cgroup namespace, a new one. */
START_TEST(cgroup_namespace_root_is_own_cgroup)
{
	const char *cmd[] = { "readlink", "/proc/self/ns/cgroup", NULL };
	const char *none[] = { NULL };
	char host[64], *line, *save;
	struct run_result r;
	ssize_t n;

	probe(&r, "cgroup", NULL);
	for (line = strtok_r(r.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		ck_assert_msg(strlen(line) >= 2 &&
				      strcmp(line + strlen(line) - 2, ":/") ==
					      0,
			      "not the root: %s", line);
	n = readlink("/proc/self/ns/cgroup", host, sizeof(host) - 1);
	ck_assert_int_gt(n, 0);
	host[n] = '\0';
	run_limited(&r, none, cmd);
	ck_assert_int_eq(r.code, 0);
	ck_assert_str_ne(chomp(r.out), host);
}
END_TEST

/* Start probe wait-signal with FLAGS in the background; once it is ready,
 * return barge's pid and the pipe of its stdout. */
static pid_t start_waiting(const char *const flags[], int *ret_fd)
{
	char *args[MAX_ARGS] = { "run", "--rootfs", (char *)test_rootfs() };
	char line[64];
	int n = 3, i;
	pid_t pid;

	require_root();
	for (i = 0; flags[i] && n < MAX_ARGS - 4; i++)
		args[n++] = (char *)flags[i];
	args[n++] = "--";
	args[n++] = "probe";
	args[n++] = "wait-signal";
	args[n] = NULL;
	pid = barge_spawn(ret_fd, args);
	ck_assert_int_ge(read_line(*ret_fd, line, sizeof(line), 20), 0);
	ck_assert_str_eq(line, "ready");
	return pid;
}

static void stop_waiting(pid_t pid, int fd)
{
	kill(pid, SIGTERM);
	ck_assert_int_eq(wait_exit(pid, 20), 0);
	close(fd);
}

/* While it runs, the container has a cgroup named by its 12-digit id, and
 * its processes (init and probe) are in it; when it ends, it is gone. */
START_TEST(cgroup_exists_while_running)
{
	const char *none[] = { NULL };
	char *list, *name, procs[256];
	int fd, count = 0;
	pid_t pid;

	pid = start_waiting(none, &fd);
	list = barge_cgroups();
	name = strrchr(chomp(list), '/');
	ck_assert_msg(name && strlen(name + 1) == 12 &&
			      strspn(name + 1, "0123456789abcdef") == 12,
		      "no container cgroup named by an id: '%s'", list);
	ck_assert_ptr_nonnull(
		barge_cgroup_file("cgroup.procs", procs, sizeof(procs)));
	for (name = strtok(procs, "\n"); name; name = strtok(NULL, "\n"))
		count++;
	stop_waiting(pid, fd);
	free(list);
	ck_assert_msg(count == 2, "%d processes in the cgroup, want 2", count);
	list = barge_cgroups();
	ck_assert_msg(*list == '\0', "left after the container: %s", list);
	free(list);
}
END_TEST

/*
 * The devices cgroup: deny all, then the nodes every container needs
 * (cgroup_devices.c). mknod of any node is allowed ("m"), opening one
 * that is not in the list is not. The nodes are 0:1, character and block:
 * no driver has major 0, so an open the cgroup allows fails with ENXIO,
 * one it denies with EPERM, and a broken barge writes to nothing.
 */
START_TEST(devices_cgroup_denies_other_nodes)
{
	const char *none[] = { NULL };
	const char *cmd[] = { "sh", "-c",
			      "mknod /dev/xchar c 0 1 && "
			      "mknod /dev/xblock b 0 1 || exit 9; "
			      "probe write /dev/null x; "
			      "probe write /dev/xchar x; "
			      "probe write /dev/xblock x; exit 0",
			      NULL };
	struct run_result r;

	run_limited(&r, none, cmd);
	ck_assert_msg(r.code == 0, "exit %d; stderr: %s", r.code, r.err);
	ck_assert_msg(strcmp(r.out, "ok\nEPERM\nEPERM\n") == 0,
		      "/dev/null, c 0:1, b 0:1 opened for writing: \"%s\" "
		      "(ENXIO: the cgroup let it through)",
		      r.out);
}
END_TEST

static void assert_file(const char *file, const char *want)
{
	char buf[128];

	ck_assert_msg(barge_cgroup_file(file, buf, sizeof(buf)),
		      "no %s in the container's cgroup", file);
	ck_assert_msg(strcmp(buf, want) == 0, "%s is '%s', want '%s'", file,
		      buf, want);
}

/* The values in the files, as cgroup v2 or v1 (whichever the host runs)
 * spells them. */
START_TEST(limits_written_to_cgroup_files)
{
	const char *flags[] = { "--memory",	"64m",	  "--memory-swap",
				"128m",		"--cpus", "0.5",
				"--cpu-shares", "512",	  "--pids-limit",
				"20",		NULL };
	char buf[64];
	bool v2;
	pid_t pid;
	int fd;

	pid = start_waiting(flags, &fd);
	v2 = barge_cgroup_file("cgroup.controllers", buf, sizeof(buf));
	if (v2) {
		assert_file("memory.max", "67108864");
		assert_file("memory.swap.max", "67108864");
		assert_file("cpu.max", "50000 100000");
		assert_file("cpu.weight", "20");
	} else {
		assert_file("memory.limit_in_bytes", "67108864");
		assert_file("memory.memsw.limit_in_bytes", "134217728");
		assert_file("cpu.cfs_quota_us", "50000");
		assert_file("cpu.cfs_period_us", "100000");
		assert_file("cpu.shares", "512");
	}
	assert_file("pids.max", "20");
	stop_waiting(pid, fd);
}
END_TEST

/* --memory alone: memory and swap together twice --memory, as in Docker
 * (v2's memory.swap.max, swap alone, is --memory), where swap is
 * accounted; nothing, and no error, where it is not. */
START_TEST(memory_swap_defaults_to_twice_memory)
{
	const char *flags[] = { "--memory", "32m", NULL };
	char buf[64];
	bool v2, v1;
	pid_t pid;
	int fd;

	pid = start_waiting(flags, &fd);
	v2 = barge_cgroup_file("memory.swap.max", buf, sizeof(buf));
	if (v2)
		assert_file("memory.swap.max", "33554432");
	v1 = barge_cgroup_file("memory.memsw.limit_in_bytes", buf, sizeof(buf));
	if (v1)
		assert_file("memory.memsw.limit_in_bytes", "67108864");
	stop_waiting(pid, fd);
	ck_assert_msg(v1 || v2 || !host_accounts_swap(),
		      "the kernel accounts swap, but the cgroup has no swap "
		      "file");
}
END_TEST

/*
 * A flag whose controller the host lacks: one line, exit 125, no cgroup.
 * Simulated in a mount namespace of barge's own, which the host never
 * sees: on v1 the pids hierarchy is unmounted there; on v2 a file that
 * lists the root's controllers but pids is bound over cgroup.controllers.
 */
static int hide_pids_controller(const char *fake)
{
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	if (fake)
		return mount(fake, "/sys/fs/cgroup/cgroup.controllers", NULL,
			     MS_BIND, NULL);
	umount2("/sys/fs/cgroup/pids", MNT_DETACH); /* absent: even better */
	return 0;
}

/* /sys/fs/cgroup/cgroup.controllers without "pids", in a temporary file
 * whose path is in path. */
static void write_controllers_without_pids(char *path, size_t size)
{
	char line[512], *word, *save;
	FILE *in, *out;
	int fd;

	snprintf(path, size, "/tmp/barge-controllers-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	out = fdopen(fd, "w");
	in = fopen("/sys/fs/cgroup/cgroup.controllers", "re");
	ck_assert(out && in && fgets(line, sizeof(line), in));
	for (word = strtok_r(line, " \n", &save); word;
	     word = strtok_r(NULL, " \n", &save))
		if (strcmp(word, "pids") != 0)
			fprintf(out, "%s ", word);
	fputc('\n', out);
	fclose(in);
	fclose(out);
}

START_TEST(missing_controller_is_125)
{
	const char *flags[] = { "--pids-limit", "10", NULL };
	const char *cmd[] = { "true", NULL };
	struct run_result *r;
	char fake[64] = "";
	int status;
	pid_t pid;

	require_root();
	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(r, MAP_FAILED);
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
		write_controllers_without_pids(fake, sizeof(fake));
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (hide_pids_controller(fake[0] ? fake : NULL) < 0)
			_exit(1);
		run_limited(r, flags, cmd);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (fake[0])
		unlink(fake);
	ck_assert_msg(
		WIFEXITED(status) && WEXITSTATUS(status) == 0,
		"could not hide the pids controller in a mount namespace");
	ck_assert_msg(r->code == 125, "exit %d, want 125; stderr: %s", r->code,
		      r->err);
	ck_assert_msg(strstr(r->err, "--pids-limit needs the pids cgroup "
				     "controller") &&
			      one_line(r->err),
		      "%s", r->err);
	munmap(r, sizeof(*r));
}
END_TEST

/* --stats: "barge: stats: memory peak M MiB, cpu S s, pids peak N". */
START_TEST(stats_printed_at_exit)
{
	const char *flags[] = { "--stats", NULL };
	const char *cmd[] = { "sh", "-c",
			      "probe hog-memory 20 && probe spin 0.3", NULL };
	struct run_result r;
	double mib = -1, secs = -1;
	char pids[16] = "";
	const char *line;

	run_limited(&r, flags, cmd);
	ck_assert_msg(r.code == 0, "exit %d; stderr: %s", r.code, r.err);
	line = strstr(r.err, "barge: stats: ");
	ck_assert_msg(line, "no stats: %s", r.err);
	ck_assert_msg(sscanf(line,
			     "barge: stats: memory peak %lf MiB, cpu %lf s, "
			     "pids peak %15s",
			     &mib, &secs, pids) == 3,
		      "cannot read: %s", line);
	ck_assert_msg(mib >= 20 && mib < 200, "memory peak %.1f MiB", mib);
	ck_assert_msg(secs >= 0.2 && secs < 10, "cpu %.2f s", secs);
	/* Kernels before 6.1 keep no pids.peak: barge says n/a. */
	ck_assert_msg(strcmp(pids, "n/a") == 0 ||
			      (atoi(pids) >= 3 && atoi(pids) < 10),
		      "pids peak %s (init, sh, probe: 3)", pids);
}
END_TEST

/* Each bad value: exit 125, one line naming the flag, no cgroup made. */
START_TEST(bad_limits_are_125)
{
	static const struct {
		const char *flags[5];
		const char *says;
	} cases[] = {
		{ { "--memory", "12x" }, "--memory" },
		{ { "--memory", "1k" }, "--memory" },
		{ { "--cpus", "-1" }, "--cpus" },
		{ { "--cpus", "0" }, "--cpus" },
		{ { "--cpus", "half" }, "--cpus" },
		{ { "--cpu-shares", "1" }, "--cpu-shares" },
		{ { "--pids-limit", "abc" }, "--pids-limit" },
		{ { "--pids-limit", "0" }, "--pids-limit" },
		{ { "--memory", "64m", "--memory-swap", "32m" },
		  "--memory-swap" },
		{ { "--memory-swap", "64m" }, "--memory" },
	};
	const char *cmd[] = { "true", NULL };
	struct run_result r;
	char *mounts = mount_table();
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_limited(&r, cases[i].flags, cmd);
		ck_assert_msg(r.code == 125, "%s %s: exit %d",
			      cases[i].flags[0], cases[i].flags[1], r.code);
		ck_assert_msg(strstr(r.err, cases[i].says) && one_line(r.err),
			      "%s %s: %s", cases[i].flags[0], cases[i].flags[1],
			      r.err);
		assert_no_barge_cgroups();
	}
	ck_assert_str_eq(mount_table(), mounts);
	free(mounts);
}
END_TEST

/* The shared cases run without the fixture below: check after them. */
START_TEST(no_cgroups_left)
{
	assert_no_barge_cgroups();
}
END_TEST

/* Before each test, clear what a failed one left; after it, nothing of
 * its own may be left. */
static void add_cgroup_test(Suite *s, const TTest *t, int timeout_s)
{
	TCase *tc = tcase_create(t->name);

	tcase_add_checked_fixture(tc, remove_barge_cgroups,
				  assert_no_barge_cgroups);
	tcase_add_test(tc, t);
	tcase_set_timeout(tc, timeout_s);
	suite_add_tcase(s, tc);
}

Suite *chapter_suite(void)
{
	Suite *s = suite_create("03-cgroups");

	add_container_cases(s);
	add_cgroup_test(s, memory_hog_killed_at_limit, 60);
	add_cgroup_test(s, memory_under_limit_runs, 60);
	add_cgroup_test(s, oom_kill_note_keeps_exit_code, 60);
	add_cgroup_test(s, other_deaths_are_not_oom, 60);
	add_cgroup_test(s, fork_loop_stops_at_pids_limit, 60);
	add_cgroup_test(s, cpus_half_gets_half_a_cpu, 60);
	add_cgroup_test(s, cgroup_namespace_root_is_own_cgroup, 60);
	add_cgroup_test(s, cgroup_exists_while_running, 60);
	add_cgroup_test(s, limits_written_to_cgroup_files, 60);
	add_cgroup_test(s, devices_cgroup_denies_other_nodes, 60);
	add_cgroup_test(s, memory_swap_defaults_to_twice_memory, 60);
	add_cgroup_test(s, stats_printed_at_exit, 60);
	add_cgroup_test(s, bad_limits_are_125, 120);
	add_cgroup_test(s, missing_controller_is_125, 60);
	add_test(s, no_cgroups_left, 30);
	return s;
}
