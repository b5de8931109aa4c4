/* SPDX-License-Identifier: MIT */
/*
 * test_engine.c - what chapters 01-04 did, still done now that barge
 * writes a bundle and barge-runtime makes the container: the essence of
 * tests/03-cgroups and tests/04-security, through the new boundary. And
 * the bug the split fixes: a rootfs under a directory that only root may
 * enter runs in a user namespace.
 *
 * Safe against a broken barge, as chapter 04's: the probe's privileged
 * calls are harmless when they succeed, masked files are read 64 bytes
 * at most, the devices tested are 0:1 nodes no driver has.
 */
#include <dirent.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_util.h"

#define DEBIAN_SECCOMP "/usr/share/containers/seccomp.json"

static void assert_caps(const char *out, const char *eff_prm, const char *bnd)
{
	char want[256];

	snprintf(want, sizeof(want),
		 "CapInh=" NO_CAPS "\nCapPrm=%s\nCapEff=%s\nCapBnd=%s\n"
		 "CapAmb=" NO_CAPS,
		 eff_prm, eff_prm, bnd);
	ck_assert_str_eq(out, want);
}

static const char *const caps_cmd[] = { "probe", "caps", NULL };

/* ---- capabilities, seccomp ---------------------------------------------- */

START_TEST(default_caps_are_dockers)
{
	struct run_result r;

	assert_caps(ok_with(&r, NULL, caps_cmd), DOCKER_CAPS, DOCKER_CAPS);
}
END_TEST

/* SYS_ADMIN is bit 21, NET_RAW 13, CHOWN 0, KILL 5. */
START_TEST(cap_add_and_drop)
{
	const char *flags[] = { "--cap-add", "sys_admin", "--cap-drop",
				"CAP_NET_RAW", NULL };
	const char *flags2[] = { "--cap-drop", "Chown", "--cap-drop", "kill",
				 NULL };
	const char *none[] = { "--cap-drop", "ALL", NULL };
	struct run_result r;

	assert_caps(ok_with(&r, flags, caps_cmd), "00000000a82405fb",
		    "00000000a82405fb");
	assert_caps(ok_with(&r, flags2, caps_cmd), "00000000a80425da",
		    "00000000a80425da");
	assert_caps(ok_with(&r, none, caps_cmd), NO_CAPS, NO_CAPS);
}
END_TEST

START_TEST(user_has_no_caps)
{
	const char *flags[] = { "--user", "1000:1000", NULL };
	const char *ids[] = { "probe", "ids", NULL };
	struct run_result r;

	ck_assert_str_eq(ok_with(&r, flags, ids),
			 "uid=1000 gid=1000 euid=1000 egid=1000 groups=");
	assert_caps(ok_with(&r, flags, caps_cmd), NO_CAPS, DOCKER_CAPS);
}
END_TEST

START_TEST(no_new_privs_and_seccomp_on)
{
	const char *nnp[] = { "probe", "status", "NoNewPrivs", NULL };
	const char *mode[] = { "probe", "status", "Seccomp", NULL };
	struct run_result r;

	ck_assert_str_eq(ok_with(&r, NULL, nnp), "1");
	ck_assert_str_eq(ok_with(&r, NULL, mode), "2");
}
END_TEST

/* Refused by the filter, or by the missing capability and the filter;
 * keyctl stays refused with SYS_ADMIN, which gives mount and unshare
 * back, as in Docker. */
START_TEST(dangerous_syscalls_fail)
{
	static const char *const calls[] = {
		"mount",	  "reboot",
		"unshare",	  "keyctl",
		"add_key",	  "clone_newuser",
		"setns",	  "bpf",
		"userfaultfd",	  "open_by_handle_at",
		"io_uring_setup", "personality",
	};
	const char *sys_admin[] = { "--cap-add", "SYS_ADMIN", NULL };
	const char *cmd[] = { "probe", "syscall", NULL, NULL };
	struct run_result r;
	size_t i;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		cmd[2] = calls[i];
		ck_assert_msg(strcmp(ok_with(&r, NULL, cmd), "EPERM") == 0,
			      "%s: %s, not EPERM", calls[i], r.out);
	}
	cmd[2] = "keyctl";
	ck_assert_str_eq(ok_with(&r, sys_admin, cmd), "EPERM");
	cmd[2] = "mount";
	ck_assert_str_eq(ok_with(&r, sys_admin, cmd), "ok");
	cmd[2] = "unshare";
	ck_assert_str_eq(ok_with(&r, sys_admin, cmd), "ok");
}
END_TEST

START_TEST(seccomp_unconfined_and_debian_profile)
{
	const char *none[] = { "--security-opt", "seccomp=unconfined", NULL };
	const char *debian[] = { "--security-opt", "seccomp=" DEBIAN_SECCOMP,
				 NULL };
	const char *mode[] = { "probe", "status", "Seccomp", NULL };
	const char *keyctl[] = { "probe", "syscall", "keyctl", NULL };
	const char *mount[] = { "probe", "syscall", "mount", NULL };
	struct run_result r;

	ck_assert_str_eq(ok_with(&r, none, mode), "0");
	ck_assert_str_eq(ok_with(&r, none, keyctl), "ok");
	ck_assert_msg(access(DEBIAN_SECCOMP, R_OK) == 0,
		      "no %s: install golang-github-containers-common",
		      DEBIAN_SECCOMP);
	ck_assert_str_eq(ok_with(&r, debian, mode), "2");
	ck_assert_str_eq(ok_with(&r, debian, mount), "EPERM");
}
END_TEST

/* ---- paths, rlimits ------------------------------------------------------ */

/* The masked files this kernel has are mounts inside, and read empty. */
START_TEST(masked_paths_read_empty)
{
	static const char *const files[] = { "/proc/kcore", "/proc/keys",
					     "/proc/timer_list" };
	const char *mounts[] = { "probe", "mounts", NULL };
	char script[128], line[64], *table;
	const char *cmd[] = { "sh", "-c", script, NULL };
	struct run_result r;
	int checked = 0;
	size_t i;

	table = strdup(ok_with(&r, NULL, mounts));
	ck_assert_ptr_nonnull(table);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (access(files[i], F_OK) != 0)
			continue;
		snprintf(line, sizeof(line), "\n%s\n", files[i]);
		ck_assert_msg(strstr(table, line), "%s is not a mount point",
			      files[i]);
		snprintf(script, sizeof(script), "head -c 64 %s | wc -c",
			 files[i]);
		ck_assert_msg(strcmp(ok_with(&r, NULL, cmd), "0") == 0,
			      "%s: %s bytes read, not 0", files[i], r.out);
		checked++;
	}
	free(table);
	ck_assert_msg(checked > 0, "the host has none of the masked files");
}
END_TEST

START_TEST(read_only_rootfs)
{
	const char *flags[] = { "--read-only", NULL };
	const char *root[] = { "probe", "write", "/.barge-ro-test", "x", NULL };
	const char *shm[] = { "probe", "write", "/dev/shm/x", "x", NULL };
	char host_path[PATH_MAX];
	struct run_result r;
	int leaked;

	require_root();
	snprintf(host_path, sizeof(host_path), "%s/.barge-ro-test",
		 test_rootfs());
	run_with(&r, flags, root);
	leaked = unlink(host_path) == 0;
	ck_assert_msg(!leaked, "the write reached the rootfs on the host");
	ck_assert_int_eq(r.code, 1);
	ck_assert_str_eq(chomp(r.out), "EROFS");
	ck_assert_str_eq(ok_with(&r, flags, shm), "ok");
}
END_TEST

START_TEST(ulimit_is_set)
{
	const char *flags[] = { "--ulimit", "nproc=100:200", NULL };
	const char *cmd[] = { "probe", "file", "/proc/self/limits", NULL };
	unsigned long soft = 0, hard = 0;
	struct run_result r;
	const char *line;

	line = strstr(ok_with(&r, flags, cmd), "Max processes");
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(sscanf(line, "Max processes %lu %lu", &soft, &hard),
			 2);
	ck_assert_uint_eq(soft, 100);
	ck_assert_uint_eq(hard, 200);
}
END_TEST

/* Bad flags are still barge's to refuse, before any bundle exists. */
START_TEST(bad_flags_are_125)
{
	static const struct {
		const char *flag, *value, *says;
	} cases[] = {
		{ "--memory", "12x", "--memory" },
		{ "--pids-limit", "0", "--pids-limit" },
		{ "--cap-add", "FROBNICATE", "unknown capability" },
		{ "--user", "root", "--user" },
		{ "--ulimit", "nofile=x", "nofile=x" },
		{ "--security-opt", "seccomp=/nonexistent/profile.json",
		  "/nonexistent/profile.json" },
	};
	const char *flags[] = { NULL, NULL, NULL };
	const char *cmd[] = { "true", NULL };
	char *bundles = dir_listing("/run/barge-bundles"), *after;
	struct run_result r;
	size_t i;

	require_root();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		flags[0] = cases[i].flag;
		flags[1] = cases[i].value;
		run_with(&r, flags, cmd);
		ck_assert_msg(r.code == 125, "%s %s: exit %d", cases[i].flag,
			      cases[i].value, r.code);
		assert_one_line(&r, cases[i].says);
	}
	after = dir_listing("/run/barge-bundles");
	ck_assert_str_eq(after, bundles);
	free(after);
	free(bundles);
}
END_TEST

/* ---- cgroups ---------------------------------------------------------------- */

/* --memory SIZE, and no swap where the kernel accounts it, so that the
 * OOM killer comes on a host with swap too. */
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

/* barge-runtime says it now: "barge-runtime: container ID was killed:
 * out of memory (limit 32.0 MiB)". */
START_TEST(memory_hog_killed_and_reported)
{
	const char *cmd[] = { "probe", "hog-memory", "64", NULL };
	struct run_result r;

	require_root();
	run_with(&r, no_swap("32m"), cmd);
	ck_assert_msg(r.code == 137, "exit %d, want 137; stderr: %s", r.code,
		      r.err);
	ck_assert_msg(!strstr(r.out, "done"), "the hog got its 64 MB");
	ck_assert_msg(strncmp(r.err, "barge-runtime: container ", 25) == 0,
		      "not barge-runtime's report: %s", r.err);
	assert_one_line(&r, " was killed: out of memory (limit 32.0 MiB)");
}
END_TEST

/* The OOM killer's victim is not the shell: its exit code stays, with a
 * note. */
START_TEST(oom_kill_note_keeps_exit_code)
{
	const char *cmd[] = { "sh", "-c",
			      "exec 2>/dev/null; probe hog-memory 512; exit 3",
			      NULL };
	struct run_result r;

	require_root();
	run_with(&r, no_swap("256m"), cmd);
	ck_assert_msg(r.code == 3, "exit %d, want 3; stderr: %s", r.code,
		      r.err);
	assert_one_line(&r, "OOM killer");
}
END_TEST

START_TEST(fork_loop_stops_at_pids_limit)
{
	const char *flags[] = { "--pids-limit", "10", NULL };
	const char *cmd[] = { "probe", "fork-loop", "40", NULL };
	struct run_result r;
	int forked = -1;

	ok_with(&r, flags, cmd);
	ck_assert_msg(sscanf(r.out, "forked=%d", &forked) == 1, "%s", r.out);
	ck_assert_msg(forked >= 1 && forked < 10, "forked %d, limit 10",
		      forked);
	ck_assert_msg(strstr(r.out, "errno=EAGAIN"), "%s", r.out);
}
END_TEST

/* barge's bundle denies every device but the defaults: root may mknod
 * (CAP_MKNOD), but not open what it made. Without the rule, a 0:1 node
 * says ENXIO (no driver). */
START_TEST(devices_cgroup_denies_new_nodes)
{
	const char *cmd[] = { "sh", "-c",
			      "mknod /dev/x c 0 1 && probe write /dev/x x;"
			      " mknod /dev/y b 0 1 && probe write /dev/y x;"
			      " probe write /dev/null x; exit 0",
			      NULL };
	struct run_result r;

	ck_assert_str_eq(ok_with(&r, NULL, cmd), "EPERM\nEPERM\nok");
}
END_TEST

/* --stats: barge-runtime reads the annotation and prints the line. */
START_TEST(stats_printed_at_exit)
{
	const char *flags[] = { "--stats", NULL };
	const char *cmd[] = { "probe", "hog-memory", "20", NULL };
	struct run_result r;
	double mib = -1;
	const char *line;

	ok_with(&r, flags, cmd);
	line = strstr(r.err, "stats: memory peak ");
	ck_assert_msg(line && sscanf(line, "stats: memory peak %lf MiB", &mib),
		      "no stats: %s", r.err);
	ck_assert_msg(mib >= 20 && mib < 200, "memory peak %.1f MiB", mib);
}
END_TEST

/* ---- user namespaces ------------------------------------------------------ */

/* A child of pid, or 0. */
static pid_t child_of(pid_t parent)
{
	char path[300], buf[512], *p;
	struct dirent *d;
	pid_t found = 0;
	DIR *dir = opendir("/proc");
	FILE *f;
	int ppid;

	while (parent > 0 && dir && !found && (d = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) &&
		    sscanf(p + 2, "%*c %d", &ppid) == 1 && ppid == parent)
			found = atoi(d->d_name);
		fclose(f);
	}
	if (dir)
		closedir(dir);
	return found;
}

/* The real uid of pid on the host; -1 if it is gone. */
static long host_uid(pid_t pid)
{
	char path[64], line[256];
	long uid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Uid: %ld", &uid) == 1)
			break;
	fclose(f);
	return uid;
}

/* Root inside, an unprivileged uid outside. barge's child is
 * barge-runtime now; the container is its child. */
START_TEST(userns_root_is_unprivileged)
{
	const char *flags[] = { "--userns", NULL };
	const char *ids[] = { "probe", "ids", NULL };
	char *args[] = { "run", "--rootfs", (char *)test_rootfs(), "--userns",
			 "--",	"probe",    "wait-signal",	   NULL };
	pid_t pid, runtime, init;
	struct run_result r;
	long outside;
	char line[64];
	int fd;

	ck_assert_str_eq(ok_with(&r, flags, ids),
			 "uid=0 gid=0 euid=0 egid=0 groups=");
	pid = barge_spawn(&fd, args);
	ck_assert_int_ge(read_line(fd, line, sizeof(line), 20), 0);
	runtime = child_of(pid);
	init = child_of(runtime);
	outside = init ? host_uid(init) : -1;
	kill(pid, SIGTERM);
	ck_assert_int_eq(wait_exit(pid, 20), 0);
	close(fd);
	ck_assert_msg(init > 0, "no container under barge %d's runtime %d", pid,
		      runtime);
	ck_assert_msg(outside > 0, "the container runs as uid %ld on the host",
		      outside);
}
END_TEST

/* The rootless bundles, /tmp/barge-UID-ID, of ROOTLESS_UID: removed, and
 * how many there were. */
static size_t remove_rootless_bundles(void)
{
	char cmd[PATH_MAX + 32];
	glob_t g;
	size_t i, n = 0;

	if (glob("/tmp/barge-" ROOTLESS_UID "-*", 0, NULL, &g) != 0)
		return 0;
	for (i = 0; i < g.gl_pathc; i++) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g.gl_pathv[i]);
		n += system(cmd) == 0;
	}
	globfree(&g);
	return n;
}

/* An ordinary user runs a container: setpriv makes barge an unused uid,
 * root inside. That uid must reach the programs and the rootfs: copies
 * of them in a directory of the test's own, mode 0755. The runs come
 * first, then the environment is as it was, then the checks. */
START_TEST(rootless_run_works)
{
	static const char *const programs[] = { "barge", "barge-runtime",
						"barge-init" };
	const char *map[] = { "probe", "file", "/proc/self/uid_map", NULL };
	const char *ids[] = { "probe", "ids", NULL };
	const char *mode[] = { "probe", "status", "Seccomp", NULL };
	const char *limit[] = { "--memory", "64m", NULL };
	const char *tru[] = { "true", NULL };
	const char *hidden[] = { "--rootfs", NULL, NULL };
	static struct run_result r[5];
	char dir[64], path[PATH_MAX], wrapper[PATH_MAX + 128];
	char saved[3][PATH_MAX], private[PATH_MAX], want[PATH_MAX + 64];
	const char *env[] = { "BARGE", "ROOTFS", "BARGE_WRAPPER" };
	unsigned long inside, outside, count;
	size_t i, left;

	require_root();
	ck_assert_msg(access("/usr/bin/setpriv", X_OK) == 0,
		      "no /usr/bin/setpriv (util-linux)");
	scratch_dir(dir);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, programs[i]);
		copy_tree(chapter_program(programs[i]), path);
		snprintf(saved[i], sizeof(saved[i]), "%s",
			 getenv(env[i]) ? getenv(env[i]) : "");
	}
	snprintf(path, sizeof(path), "%s/rootfs", dir);
	copy_tree(test_rootfs(), path);
	/* and one it cannot reach: under a directory of root's, mode 0700 */
	snprintf(private, sizeof(private), "%s/private", dir);
	ck_assert_int_eq(mkdir(private, 0700), 0);
	strcat(private, "/rootfs");
	ck_assert_int_eq(mkdir(private, 0755), 0);
	hidden[1] = private;
	snprintf(wrapper, sizeof(wrapper),
		 "/usr/bin/setpriv --reuid=" ROOTLESS_UID
		 " --regid=" ROOTLESS_UID " --clear-groups %s",
		 saved[2]);
	setenv("ROOTFS", path, 1);
	snprintf(path, sizeof(path), "%s/barge", dir);
	setenv("BARGE", path, 1);
	setenv("BARGE_WRAPPER", wrapper, 1);
	run_with(&r[0], NULL, map);
	run_with(&r[1], NULL, ids);
	run_with(&r[2], NULL, mode);
	run_with(&r[3], limit, tru); /* no cgroup without delegation */
	run_with(&r[4], hidden, tru);
	for (i = 0; i < 3; i++)
		if (*saved[i])
			setenv(env[i], saved[i], 1);
		else
			unsetenv(env[i]);
	remove_tree(dir);
	left = remove_rootless_bundles();
	ck_assert_msg(r[0].code == 0, "rootless run failed (exit %d): %s",
		      r[0].code, r[0].err);
	ck_assert_int_eq(
		sscanf(r[0].out, "%lu %lu %lu", &inside, &outside, &count), 3);
	ck_assert_uint_eq(inside, 0);
	ck_assert_uint_eq(outside, atoi(ROOTLESS_UID));
	for (i = 1; i < 3; i++)
		ck_assert_msg(r[i].code == 0, "exit %d: %s", r[i].code,
			      r[i].err);
	ck_assert_str_eq(chomp(r[1].out), "uid=0 gid=0 euid=0 egid=0 groups=");
	ck_assert_str_eq(chomp(r[2].out), "2");
	ck_assert_int_eq(r[3].code, 125);
	assert_one_line(&r[3], "rootless");
	ck_assert_int_eq(r[4].code, 125);
	assert_one_line(&r[4], "out of reach");
	snprintf(want, sizeof(want),
		 "uid " ROOTLESS_UID " cannot search %s/private (mode 0700, "
		 "owner 0:0)",
		 dir);
	ck_assert_msg(strstr(r[4].err, want), "want \"%s\" in: %s", want,
		      r[4].err);
	ck_assert_msg(left == 0, "%zu rootless bundles left in /tmp", left);
}
END_TEST

/*
 * The bug this chapter's split fixes: the rootfs under a directory only
 * root may enter (/root, mode 0700). In a user namespace the container's
 * root is an unprivileged uid on the host, which cannot reach it; before,
 * the run failed with "bind-mount the rootfs: Permission denied".
 */
START_TEST(rootfs_in_private_dir_with_userns)
{
	const char *cmd[] = { "sh", "-c",
			      "probe ids && read a b c < /proc/self/uid_map &&"
			      " echo $a $b $c",
			      NULL };
	const char *flags[] = { "--userns",  "--rootfs",       NULL,
				"--runtime", "/usr/sbin/runc", NULL };
	char dir[64], rootfs[PATH_MAX];
	unsigned long outside = 0;
	struct run_result r, runc;

	require_root();
	scratch_dir(dir);
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", dir);
	copy_tree(test_rootfs(), rootfs);
	ck_assert_int_eq(chmod(dir, 0700), 0);
	flags[2] = rootfs; /* the later --rootfs wins */
	/* runc opens root.path as the remapped root: barge's bundle must
	 * bring the rootfs within its reach (bundle_expose()) */
	runc.code = 0;
	if (!getenv("BARGE_TESTS_IN_VM") && access(flags[4], X_OK) == 0)
		run_with(&runc, flags, cmd);
	flags[3] = NULL;
	run_with(&r, flags, cmd);
	remove_tree(dir);
	ck_assert_msg(runc.code == 0, "under runc: exit %d: %s", runc.code,
		      runc.err);
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	ck_assert_msg(strncmp(r.out, "uid=0 gid=0 euid=0 egid=0 groups=\n0 ",
			      36) == 0 &&
			      sscanf(r.out + 36, "%lu 65536", &outside) == 1,
		      "%s", r.out);
	ck_assert_msg(outside != 0, "not in a user namespace: %s", r.out);
}
END_TEST

void add_engine_tests(Suite *s)
{
	add_test(s, default_caps_are_dockers, 60);
	add_test(s, cap_add_and_drop, 60);
	add_test(s, user_has_no_caps, 60);
	add_test(s, no_new_privs_and_seccomp_on, 60);
	add_test(s, dangerous_syscalls_fail, 120);
	add_test(s, seccomp_unconfined_and_debian_profile, 60);
	add_test(s, masked_paths_read_empty, 60);
	add_test(s, read_only_rootfs, 60);
	add_test(s, ulimit_is_set, 60);
	add_test(s, bad_flags_are_125, 60);
	add_test(s, memory_hog_killed_and_reported, 60);
	add_test(s, oom_kill_note_keeps_exit_code, 60);
	add_test(s, fork_loop_stops_at_pids_limit, 60);
	add_test(s, devices_cgroup_denies_new_nodes, 60);
	add_test(s, stats_printed_at_exit, 60);
	add_test(s, userns_root_is_unprivileged, 60);
	add_test(s, rootless_run_works, 120);
	add_test(s, rootfs_in_private_dir_with_userns, 60);
}
