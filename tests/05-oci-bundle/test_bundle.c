/* SPDX-License-Identifier: MIT */
/*
 * test_bundle.c - chapter 05's suite, and the first half of what it
 * checks: the bundle barge writes. barge runs a runtime of the test's
 * own here, a script that copies the bundle out and runs nothing
 * (capture_bundle()), and the tests read its config.json with jansson:
 * each flag of chapters 01-04 must be there, in the runtime spec's words.
 *
 * The other files: test_proof.c runs the same bundle under barge-runtime,
 * runc and crun; test_engine.c runs chapters 01-04's behaviours through
 * the new boundary; test_runtime.c runs barge-runtime on bundles of its
 * own.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_util.h"

#define BUNDLES	       "/run/barge-bundles"
#define DEBIAN_SECCOMP "/usr/share/containers/seccomp.json"

static const char *const docker_caps[] = {
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_FSETID",
	"CAP_FOWNER",
	"CAP_MKNOD",
	"CAP_NET_RAW",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETFCAP",
	"CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT",
	"CAP_KILL",
	"CAP_AUDIT_WRITE",
	NULL,
};

/* process.capabilities.SET holds exactly names (NULL-terminated). */
static void assert_cap_set(json_t *config, const char *set,
			   const char *const names[])
{
	char path[64];
	json_t *a;
	size_t n = 0;

	snprintf(path, sizeof(path), "process.capabilities.%s", set);
	a = jget(config, path);
	ck_assert_msg(!a || json_is_array(a), "%s is not an array", path);
	for (; names[n]; n++)
		ck_assert_msg(jhas(a, names[n]), "%s lacks %s", path, names[n]);
	ck_assert_msg(json_array_size(a) == n, "%s has %zu names, want %zu",
		      path, json_array_size(a), n);
}

static const char *const no_caps[] = { NULL };
static const char *const cap_sets[] = { "bounding", "effective", "permitted",
					"inheritable", "ambient" };

/* The mount whose destination is dest, or NULL. */
static json_t *mount_at(json_t *config, const char *dest)
{
	json_t *m, *mounts = jget(config, "mounts");
	size_t i;

	json_array_foreach(mounts, i, m)
	{
		if (strcmp(jstr(m, "destination"), dest) == 0)
			return m;
	}
	return NULL;
}

static void assert_mount(json_t *config, const char *dest, const char *type)
{
	json_t *m = mount_at(config, dest);

	ck_assert_msg(m, "no mount at %s", dest);
	ck_assert_msg(strcmp(jstr(m, "type"), type) == 0, "%s is %s, not %s",
		      dest, jstr(m, "type"), type);
}

/* The process: the command behind barge's init, the clean environment of
 * chapter 01, root with Docker's capabilities, no_new_privs. */
START_TEST(bundle_process_default)
{
	static const char *const args[] = { "/dev/init", "--", "probe", "exit",
					    "0" };
	struct capture c;
	json_t *a, *env;
	char want[160], *text;
	size_t i;

	capture_bundle(&c, NULL, false);
	a = jget(c.config, "process.args");
	ck_assert_uint_eq(json_array_size(a), 5);
	for (i = 0; i < 5; i++)
		ck_assert_str_eq(json_string_value(json_array_get(a, i)),
				 args[i]);
	ck_assert_msg(json_is_false(jget(c.config, "process.terminal")) ||
			      !jget(c.config, "process.terminal"),
		      "process.terminal is not false");
	ck_assert_int_eq(jint(c.config, "process.user.uid"), 0);
	ck_assert_int_eq(jint(c.config, "process.user.gid"), 0);
	ck_assert_str_eq(jstr(c.config, "process.cwd"), "/");
	env = jget(c.config, "process.env");
	ck_assert_msg(jhas(env, "PATH=/usr/local/sbin:/usr/local/bin:"
				"/usr/sbin:/usr/bin:/sbin:/bin"),
		      "no PATH in process.env");
	ck_assert_msg(jhas(env, "HOME=/root"), "no HOME in process.env");
	snprintf(want, sizeof(want), "HOSTNAME=%s", c.id);
	ck_assert_msg(jhas(env, want), "no %s in process.env", want);
	text = json_dumps(env, 0);
	ck_assert_msg(text && strstr(text, "\"TERM="), "no TERM in %s", text);
	free(text);
	ck_assert_msg(json_is_true(jget(c.config, "process.noNewPrivileges")),
		      "process.noNewPrivileges is not true");
	assert_cap_set(c.config, "bounding", docker_caps);
	assert_cap_set(c.config, "effective", docker_caps);
	assert_cap_set(c.config, "permitted", docker_caps);
	assert_cap_set(c.config, "inheritable", no_caps);
	assert_cap_set(c.config, "ambient", no_caps);
	capture_free(&c);
}
END_TEST

/* What chapters 02-04 mounted is written out: /proc, /dev, /sys, the
 * hostname file from the bundle, and barge-init from next to barge. */
START_TEST(bundle_mounts_default)
{
	char want[PATH_MAX], init[PATH_MAX];
	struct capture c;
	json_t *m;

	capture_bundle(&c, NULL, false);
	assert_mount(c.config, "/proc", "proc");
	assert_mount(c.config, "/dev", "tmpfs");
	assert_mount(c.config, "/dev/pts", "devpts");
	assert_mount(c.config, "/dev/shm", "tmpfs");
	assert_mount(c.config, "/sys", "sysfs");
	ck_assert_msg(jhas(jget(mount_at(c.config, "/sys"), "options"), "ro"),
		      "/sys is not read-only");
	assert_mount(c.config, "/etc/hostname", "bind");
	snprintf(want, sizeof(want), "%s/hostname", c.bundle);
	ck_assert_str_eq(jstr(mount_at(c.config, "/etc/hostname"), "source"),
			 want);
	ck_assert_str_eq(c.hostname, c.id);
	m = mount_at(c.config, "/dev/init");
	ck_assert_msg(m, "no mount of barge-init at /dev/init");
	ck_assert(realpath(chapter_program("barge-init"), init));
	ck_assert_str_eq(jstr(m, "source"), init);
	ck_assert_msg(jhas(jget(m, "options"), "bind") &&
			      jhas(jget(m, "options"), "ro"),
		      "/dev/init is not a read-only bind mount");
	capture_free(&c);
}
END_TEST

/* linux: chapter 02's namespaces, chapter 03's cgroup named by the id
 * with the devices denied, chapter 04's seccomp profile and paths. */
START_TEST(bundle_linux_default)
{
	static const char *const kinds[] = { "pid", "network", "ipc",
					     "uts", "mount",   "cgroup" };
	static const char *const masked[] = { "/proc/kcore", "/proc/keys",
					      "/sys/firmware" };
	char want[128], *text;
	json_t *ns, *rule, *dev;
	struct capture c;
	size_t i, j;
	bool mount_rule = false;

	capture_bundle(&c, NULL, false);
	ns = jget(c.config, "linux.namespaces");
	ck_assert_uint_eq(json_array_size(ns), 6);
	for (i = 0; i < 6; i++) {
		for (j = 0; j < json_array_size(ns); j++)
			if (strcmp(jstr(json_array_get(ns, j), "type"),
				   kinds[i]) == 0)
				break;
		ck_assert_msg(j < json_array_size(ns), "no %s namespace",
			      kinds[i]);
		ck_assert_ptr_null(jget(json_array_get(ns, j), "path"));
	}
	ck_assert_ptr_null(jget(c.config, "linux.uidMappings"));
	ck_assert_uint_eq(strlen(c.id), 12);
	snprintf(want, sizeof(want), "/barge/%s", c.id);
	ck_assert_str_eq(jstr(c.config, "linux.cgroupsPath"), want);
	dev = jget(c.config, "linux.resources.devices");
	ck_assert_uint_eq(json_array_size(dev), 1);
	ck_assert(json_is_false(jget(json_array_get(dev, 0), "allow")));
	ck_assert_str_eq(jstr(json_array_get(dev, 0), "access"), "rwm");
	ck_assert_str_eq(jstr(c.config, "linux.seccomp.defaultAction"),
			 "SCMP_ACT_ALLOW");
	json_array_foreach(jget(c.config, "linux.seccomp.syscalls"), i, rule)
	{
		if (jhas(jget(rule, "names"), "mount"))
			mount_rule = strcmp(jstr(rule, "action"),
					    "SCMP_ACT_ERRNO") == 0;
	}
	ck_assert_msg(mount_rule, "no SCMP_ACT_ERRNO rule for mount");
	for (i = 0; i < 3; i++)
		ck_assert_msg(
			jhas(jget(c.config, "linux.maskedPaths"), masked[i]),
			"linux.maskedPaths lacks %s", masked[i]);
	ck_assert(jhas(jget(c.config, "linux.readonlyPaths"), "/proc/sys"));
	text = json_dumps(jget(c.config, "annotations"), JSON_ENCODE_ANY);
	ck_assert_msg(!text || !strstr(text, "org.barge.stats"),
		      "org.barge.stats without --stats: %s", text);
	free(text);
	capture_free(&c);
}
END_TEST

/* root.path is the rootfs's absolute path, given relative; the bundle
 * is /run/barge-bundles/ID, with config.json and hostname in it, and it
 * is gone when barge is. */
START_TEST(bundle_root_and_place)
{
	const char *flags[] = { "--rootfs", NULL, NULL };
	char want[PATH_MAX], rel[PATH_MAX];
	struct capture c;
	int cwd;

	ck_assert(realpath(test_rootfs(), want));
	/* The later --rootfs wins: the same rootfs, relative to "/". */
	snprintf(rel, sizeof(rel), "%s", want + 1);
	flags[1] = rel;
	cwd = open(".", O_PATH | O_CLOEXEC);
	ck_assert_int_eq(chdir("/"), 0);
	capture_bundle(&c, flags, false);
	ck_assert_int_eq(fchdir(cwd), 0);
	close(cwd);
	ck_assert_str_eq(jstr(c.config, "root.path"), want);
	ck_assert_msg(json_is_false(jget(c.config, "root.readonly")) ||
			      !jget(c.config, "root.readonly"),
		      "root.readonly without --read-only");
	snprintf(want, sizeof(want), BUNDLES "/%s", c.id);
	ck_assert_str_eq(c.bundle, want);
	ck_assert_str_eq(c.files, "config.json\nhostname\n");
	ck_assert_msg(access(c.bundle, F_OK) < 0 && errno == ENOENT,
		      "the bundle %s is still there after barge", c.bundle);
	capture_free(&c);
}
END_TEST

START_TEST(bundle_limits)
{
	const char *flags[] = { "--memory",	"64m",		"--cpus",
				"0.5",		"--cpu-shares", "512",
				"--pids-limit", "20",		NULL };
	const char *swap[] = { "--memory", "64m", "--memory-swap", "128m",
			       NULL };
	struct capture c;

	capture_bundle(&c, flags, false);
	ck_assert_int_eq(jint(c.config, "linux.resources.memory.limit"),
			 67108864);
	/* Docker's default: as much swap again, where it is accounted. */
	if (host_accounts_swap())
		ck_assert_int_eq(jint(c.config, "linux.resources.memory.swap"),
				 134217728);
	ck_assert_int_eq(jint(c.config, "linux.resources.cpu.quota"), 50000);
	ck_assert_int_eq(jint(c.config, "linux.resources.cpu.period"), 100000);
	ck_assert_int_eq(jint(c.config, "linux.resources.cpu.shares"), 512);
	ck_assert_int_eq(jint(c.config, "linux.resources.pids.limit"), 20);
	capture_free(&c);
	capture_bundle(&c, swap, false);
	ck_assert_int_eq(jint(c.config, "linux.resources.memory.swap"),
			 134217728);
	ck_assert_ptr_null(jget(c.config, "linux.resources.pids"));
	capture_free(&c);
}
END_TEST

START_TEST(bundle_cap_flags)
{
	const char *none[] = { "--cap-drop", "ALL", NULL };
	const char *some[] = { "--cap-add", "sys_admin", "--cap-drop",
			       "NET_RAW", NULL };
	struct capture c;
	char path[64];
	size_t i;

	capture_bundle(&c, none, false);
	for (i = 0; i < 5; i++)
		assert_cap_set(c.config, cap_sets[i], no_caps);
	capture_free(&c);
	capture_bundle(&c, some, false);
	for (i = 0; i < 3; i++) { /* bounding, effective, permitted */
		snprintf(path, sizeof(path), "process.capabilities.%s",
			 cap_sets[i]);
		ck_assert_msg(jhas(jget(c.config, path), "CAP_SYS_ADMIN"),
			      "%s lacks CAP_SYS_ADMIN", path);
		ck_assert_msg(!jhas(jget(c.config, path), "CAP_NET_RAW"),
			      "%s has CAP_NET_RAW", path);
		ck_assert_uint_eq(json_array_size(jget(c.config, path)), 14);
	}
	capture_free(&c);
}
END_TEST

/* Another user than root has no capability in effect, as in Docker; the
 * bounding set stays. */
START_TEST(bundle_user)
{
	const char *flags[] = { "--user", "1000:1000", NULL };
	struct capture c;

	capture_bundle(&c, flags, false);
	ck_assert_int_eq(jint(c.config, "process.user.uid"), 1000);
	ck_assert_int_eq(jint(c.config, "process.user.gid"), 1000);
	assert_cap_set(c.config, "effective", no_caps);
	assert_cap_set(c.config, "permitted", no_caps);
	assert_cap_set(c.config, "bounding", docker_caps);
	capture_free(&c);
}
END_TEST

/* --read-only, --no-init, --hostname, --ulimit, --stats. */
START_TEST(bundle_small_flags)
{
	const char *ro[] = { "--read-only", NULL };
	const char *noinit[] = { "--no-init", NULL };
	const char *more[] = { "--hostname",	"box5",	   "--ulimit",
			       "nproc=100:200", "--stats", NULL };
	struct capture c;
	json_t *rl;

	capture_bundle(&c, ro, false);
	ck_assert_msg(json_is_true(jget(c.config, "root.readonly")),
		      "--read-only: root.readonly is not true");
	capture_free(&c);
	capture_bundle(&c, noinit, false);
	ck_assert_uint_eq(json_array_size(jget(c.config, "process.args")), 3);
	ck_assert_str_eq(json_string_value(json_array_get(
				 jget(c.config, "process.args"), 0)),
			 "probe");
	ck_assert_msg(!mount_at(c.config, "/dev/init"),
		      "--no-init: barge-init is still mounted");
	capture_free(&c);
	capture_bundle(&c, more, false);
	ck_assert_str_eq(jstr(c.config, "hostname"), "box5");
	ck_assert_str_eq(c.hostname, "box5");
	ck_assert(jhas(jget(c.config, "process.env"), "HOSTNAME=box5"));
	rl = jget(c.config, "process.rlimits");
	ck_assert_uint_eq(json_array_size(rl), 1);
	ck_assert_str_eq(jstr(json_array_get(rl, 0), "type"), "RLIMIT_NPROC");
	ck_assert_int_eq(jint(json_array_get(rl, 0), "soft"), 100);
	ck_assert_int_eq(jint(json_array_get(rl, 0), "hard"), 200);
	ck_assert_str_eq(
		json_string_value(json_object_get(jget(c.config, "annotations"),
						  "org.barge.stats")),
		"true");
	capture_free(&c);
}
END_TEST

/* seccomp=unconfined: no linux.seccomp. A profile in Docker's format
 * becomes the runtime spec's: architectures, not archMap; no includes or
 * excludes left to resolve. */
START_TEST(bundle_seccomp_flags)
{
	const char *unconfined[] = { "--security-opt", "seccomp=unconfined",
				     NULL };
	const char *debian[] = { "--security-opt", "seccomp=" DEBIAN_SECCOMP,
				 NULL };
	struct capture c;
	json_t *rule;
	size_t i;

	capture_bundle(&c, unconfined, false);
	ck_assert_msg(!jget(c.config, "linux.seccomp"),
		      "seccomp=unconfined, yet linux.seccomp is there");
	capture_free(&c);
	ck_assert_msg(access(DEBIAN_SECCOMP, R_OK) == 0,
		      "no %s: install golang-github-containers-common",
		      DEBIAN_SECCOMP);
	capture_bundle(&c, debian, false);
	ck_assert_str_eq(jstr(c.config, "linux.seccomp.defaultAction"),
			 "SCMP_ACT_ERRNO");
	ck_assert_msg(json_array_size(jget(c.config,
					   "linux.seccomp.architectures")) > 0,
		      "no linux.seccomp.architectures");
	ck_assert_ptr_null(jget(c.config, "linux.seccomp.archMap"));
	ck_assert_uint_gt(
		json_array_size(jget(c.config, "linux.seccomp.syscalls")), 10);
	json_array_foreach(jget(c.config, "linux.seccomp.syscalls"), i, rule)
	{
		ck_assert_msg(!jget(rule, "includes") &&
				      !jget(rule, "excludes"),
			      "linux.seccomp.syscalls[%zu] has Docker's "
			      "includes/excludes",
			      i);
		ck_assert_msg(json_array_size(jget(rule, "names")) > 0,
			      "linux.seccomp.syscalls[%zu] names nothing", i);
	}
	capture_free(&c);
}
END_TEST

/* --userns: a user namespace, 65536 ids from an unprivileged host id. */
START_TEST(bundle_userns)
{
	const char *flags[] = { "--userns", NULL };
	const char *maps[] = { "linux.uidMappings", "linux.gidMappings" };
	struct capture c;
	json_t *ns, *m;
	bool user = false;
	size_t i;

	capture_bundle(&c, flags, false);
	json_array_foreach(jget(c.config, "linux.namespaces"), i, ns)
	{
		user |= strcmp(jstr(ns, "type"), "user") == 0;
	}
	ck_assert_msg(user, "--userns: no user namespace");
	for (i = 0; i < 2; i++) {
		m = json_array_get(jget(c.config, maps[i]), 0);
		ck_assert_msg(m, "--userns: no %s", maps[i]);
		ck_assert_int_eq(jint(m, "containerID"), 0);
		ck_assert_int_gt(jint(m, "hostID"), 0);
		ck_assert_int_eq(jint(m, "size"), 65536);
	}
	capture_free(&c);
}
END_TEST

/* $BARGE_RUNTIME names the runtime; --runtime beats it. */
START_TEST(barge_runtime_env_honoured)
{
	struct capture c;
	char id[64];

	capture_bundle(&c, NULL, true);
	snprintf(id, sizeof(id), "%s", c.id);
	capture_free(&c);
	ck_assert_msg(strlen(id) == 12, "$BARGE_RUNTIME was not run");
	setenv("BARGE_RUNTIME", "/nonexistent/runtime", 1);
	capture_bundle(&c, NULL, false);
	unsetenv("BARGE_RUNTIME");
	ck_assert_uint_eq(strlen(c.id), 12);
	capture_free(&c);
}
END_TEST

/* A runtime that is not there, or not a program: 125, one line naming
 * it, and nothing made: no bundle, cgroup or mount. */
START_TEST(runtime_missing_is_125)
{
	static const char *const bad[] = { "/nonexistent/runtime",
					   "/etc/passwd" };
	const char *flags[] = { "--runtime", NULL, "--memory", "64m", NULL };
	const char *cmd[] = { "true", NULL };
	char *mounts, *bundles, *after;
	struct run_result r;
	size_t i;

	require_root();
	mounts = mount_table();
	bundles = dir_listing(BUNDLES);
	for (i = 0; i < 2; i++) {
		flags[1] = bad[i];
		run_with(&r, flags, cmd);
		ck_assert_msg(r.code == 125, "--runtime %s: exit %d", bad[i],
			      r.code);
		assert_one_line(&r, bad[i]);
		after = dir_listing(BUNDLES);
		ck_assert_str_eq(after, bundles);
		free(after);
	}
	ck_assert_str_eq(mount_table(), mounts);
	free(mounts);
	free(bundles);
}
END_TEST

/* The bundle goes whatever way the container ends: an exit code, a
 * command not found, a signal forwarded, a runtime that fails. */
START_TEST(bundle_removed_on_every_path)
{
	const char *exit3[] = { "probe", "exit", "3", NULL };
	const char *nocmd[] = { "no-such-command", NULL };
	char *args[] = { "run", "--rootfs", (char *)test_rootfs(),
			 "--",	"probe",    "wait-signal",
			 NULL };
	char dir[64], script[128], text[256], seen[256] = "", line[64];
	const char *failing[] = { "--runtime", script, NULL };
	char *before, *after;
	struct run_result r;
	pid_t pid;
	int fd;

	require_root();
	before = dir_listing(BUNDLES);
	run_with(&r, NULL, exit3);
	ck_assert_int_eq(r.code, 3);
	run_with(&r, NULL, nocmd);
	ck_assert_int_eq(r.code, 127);
	pid = barge_spawn(&fd, args);
	ck_assert_int_ge(read_line(fd, line, sizeof(line), 20), 0);
	kill(pid, SIGTERM);
	ck_assert_int_eq(wait_exit(pid, 20), 0);
	close(fd);
	scratch_dir(dir);
	snprintf(script, sizeof(script), "%s/runtime", dir);
	snprintf(text, sizeof(text),
		 "#!/bin/sh\necho \"$3\" > %s/seen\nexit 7\n", dir);
	write_text(script, text, 0755);
	run_with(&r, failing, exit3);
	snprintf(text, sizeof(text), "%s/seen", dir);
	fd = open(text, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ck_assert_int_gt(read(fd, seen, sizeof(seen) - 1), 0);
		close(fd);
	}
	remove_tree(dir);
	ck_assert_msg(r.code == 7, "a runtime's exit 7 came back as %d",
		      r.code);
	ck_assert_msg(*seen && access(chomp(seen), F_OK) < 0,
		      "the bundle '%s' of a failed runtime is left", seen);
	after = dir_listing(BUNDLES);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
}
END_TEST

void add_bundle_tests(Suite *s)
{
	add_test(s, bundle_process_default, 60);
	add_test(s, bundle_mounts_default, 60);
	add_test(s, bundle_linux_default, 60);
	add_test(s, bundle_root_and_place, 60);
	add_test(s, bundle_limits, 60);
	add_test(s, bundle_cap_flags, 60);
	add_test(s, bundle_user, 60);
	add_test(s, bundle_small_flags, 60);
	add_test(s, bundle_seccomp_flags, 60);
	add_test(s, bundle_userns, 60);
	add_test(s, barge_runtime_env_honoured, 60);
	add_test(s, runtime_missing_is_125, 60);
	add_test(s, bundle_removed_on_every_path, 90);
}

Suite *chapter_suite(void)
{
	Suite *s = suite_create("05-oci-bundle");

	add_container_cases(s);
	set_test_cleanup(bundle_sweep);
	add_bundle_tests(s);
	add_proof_tests(s);
	add_engine_tests(s);
	add_runtime_tests(s);
	return s;
}
