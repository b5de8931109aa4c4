/* SPDX-License-Identifier: MIT */
/*
 * test_runtime.c - barge-runtime on its own, on bundles the tests write:
 * the config.json files "runc spec" and "crun spec" wrote
 * (tests/oci-configs/good-*.json, made runnable here), changed one field
 * at a time.
 *
 * A runtime does what config.json says and nothing else: no "mounts" is
 * no mount, no maskedPaths nothing masked, no linux.seccomp no filter,
 * neither cgroupsPath nor resources no cgroup. What chapter 06 adds is
 * refused, naming the field, before anything exists; so is every
 * malformed config.json of tests/oci-configs/bad-*.json, each a test of
 * its own, with the message its .expect file holds.
 *
 * Bad configs are safe against a broken runtime: their root.path,
 * "rootfs", does not exist in the bundle, so nothing can run.
 */
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_util.h"
#include "escape_cases.h"

/* Run config as container id; the bundle is removed before returning. */
static void run_config(struct run_result *r, json_t *config, const char *id)
{
	char dir[64];

	require_root();
	scratch_dir(dir);
	write_config(dir, config);
	runtime_run(r, "run", "--bundle", dir, id, NULL);
	remove_tree(dir);
}

/* The runc spec, made runnable, running sh -c script. */
static json_t *runc_spec(const char *script)
{
	const char *cmd[] = { "sh", "-c", script, NULL };

	return oci_config("good-runc.json", cmd);
}

/* Set the member at a dotted path to the JSON text value, making the
 * objects on the way. */
static void set_at(json_t *root, const char *path, const char *value)
{
	char key[128];
	const char *dot;
	json_error_t jerr;
	json_t *next, *v;
	size_t n;

	v = json_loads(value, JSON_DECODE_ANY, &jerr);
	ck_assert_msg(v, "%s: %s", value, jerr.text);
	while ((dot = strchr(path, '.'))) {
		n = dot - path;
		ck_assert_uint_lt(n, sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		next = json_object_get(root, key);
		if (!next) {
			next = json_object();
			json_object_set_new(root, key, next);
		}
		root = next;
		path = dot + 1;
	}
	json_object_set_new(root, path, v);
}

/* "runc spec" and "crun spec" as they are (but root.path, terminal and
 * args): three capabilities, runc's masked paths, a read-only root, no
 * seccomp. */
START_TEST(real_specs_run)
{
	static const char *const specs[] = { "good-runc.json",
					     "good-crun.json" };
	static const char *const hostnames[] = { "runc", "crun" };
	const char *cmd[] = {
		"sh", "-c",
		"probe caps; probe hostname;"
		" echo $(probe status Seccomp)"
		" $(probe status NoNewPrivs);"
		" probe write /.barge-t05 x;"
		" grep -c ' /proc/timer_list ' /proc/self/mountinfo",
		NULL
	};
	char want[512], leaked[PATH_MAX], id[32];
	struct run_result r;
	json_t *config;
	int i;

	snprintf(leaked, sizeof(leaked), "%s/.barge-t05", test_rootfs());
	for (i = 0; i < 2; i++) {
		config = oci_config(specs[i], cmd);
		snprintf(id, sizeof(id), "t05-spec-%d", i);
		run_config(&r, config, id);
		json_decref(config);
		ck_assert_msg(unlink(leaked) < 0, "a write reached the rootfs");
		ck_assert_msg(r.code == 0, "%s: exit %d: %s", specs[i], r.code,
			      r.err);
		snprintf(want, sizeof(want),
			 "CapInh=" NO_CAPS "\nCapPrm=0000000020000420\n"
			 "CapEff=0000000020000420\nCapBnd=0000000020000420\n"
			 "CapAmb=" NO_CAPS "\n%s\n0 1\nEROFS\n%d\n",
			 hostnames[i],
			 access("/proc/timer_list", F_OK) == 0 ? 1 : 0);
		ck_assert_msg(strcmp(r.out, want) == 0, "%s:\n%s\nwant:\n%s",
			      specs[i], r.out, want);
		ck_assert_msg(!cgroup_exists(id), "the cgroup of %s is left",
			      id);
	}
}
END_TEST

/* The container's exit code (sh, PID 1 here, passes on 128+N of its
 * child's death), and 127 and 126 when the command cannot run. */
START_TEST(runtime_exit_codes)
{
	static const struct {
		const char *script;
		int code;
	} cases[] = {
		{ "exit 42", 42 },
		{ "sh -c 'kill -TERM $$'; exit $?", 143 },
		{ "exec no-such-command", 127 },
		{ "exec /etc/passwd", 126 },
	};
	const char *cmd[] = { "no-such-command", NULL };
	struct run_result r;
	json_t *config;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		config = runc_spec(cases[i].script);
		run_config(&r, config, "t05-exit");
		json_decref(config);
		ck_assert_msg(r.code == cases[i].code, "%s: exit %d, want %d",
			      cases[i].script, r.code, cases[i].code);
	}
	config = oci_config("good-runc.json", cmd);
	run_config(&r, config, "t05-exit");
	json_decref(config);
	ck_assert_int_eq(r.code, 127);
	ck_assert_msg(strstr(r.err, "no-such-command"), "%s", r.err);
}
END_TEST

/* No "mounts": nothing is mounted, not even /proc or /dev. */
START_TEST(no_mounts_means_none)
{
	struct run_result r;
	json_t *config;

	config = runc_spec("ls -A /proc | wc -l; ls -A /dev | wc -l");
	json_object_del(config, "mounts");
	run_config(&r, config, "t05-nomounts");
	json_decref(config);
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	ck_assert_msg(strcmp(r.out, "0\n0\n") == 0,
		      "/proc and /dev are not empty without mounts: %s", r.out);
}
END_TEST

/*
 * Each mount as config.json says: a read-only bind of a bundle file (a
 * bind ignores every flag but MS_REC: "ro" takes a remount), a tmpfs
 * with its flags ("nosuid") and data ("mode=700"), /sys read-only. The
 * mount points are under /dev, the container's tmpfs: none reaches the
 * rootfs.
 */
START_TEST(mounts_follow_config)
{
	struct run_result r;
	char dir[64], path[PATH_MAX];
	json_t *config, *mounts;

	require_root();
	config = runc_spec("cat /dev/x-data; probe write /dev/x-data x;"
			   " stat -c %a /dev/x-tmp;"
			   " grep ' /dev/x-tmp ' /proc/self/mountinfo |"
			   " grep -c nosuid;"
			   " awk '$5 == \"/sys\" { print substr($6, 1, 3) }'"
			   " /proc/self/mountinfo");
	mounts = json_object_get(config, "mounts");
	scratch_dir(dir);
	snprintf(path, sizeof(path), "%s/data", dir);
	write_text(path, "from the bundle\n", 0644);
	json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:[s, s]}",
						"destination", "/dev/x-data",
						"type", "bind", "source", path,
						"options", "bind", "ro"));
	json_array_append_new(
		mounts, json_pack("{s:s, s:s, s:s, s:[s, s]}", "destination",
				  "/dev/x-tmp", "type", "tmpfs", "source",
				  "tmpfs", "options", "nosuid", "mode=700"));
	write_config(dir, config);
	json_decref(config);
	runtime_run(&r, "run", "--bundle", dir, "t05-mounts", NULL);
	remove_tree(dir);
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	ck_assert_msg(strcmp(r.out, "from the bundle\nEROFS\n700\n1\nro,\n") ==
			      0,
		      "want the bind's text, EROFS, 700, nosuid, /sys ro:\n%s",
		      r.out);
}
END_TEST

/* No maskedPaths: /proc/timer_list is no mount, and reads. */
START_TEST(no_masked_paths_means_none)
{
	struct run_result r;
	json_t *config;

	ck_assert_msg(access("/proc/timer_list", R_OK) == 0,
		      "this kernel has no /proc/timer_list to test with");
	config = runc_spec("grep -c ' /proc/timer_list ' /proc/self/mountinfo;"
			   " head -c 64 /proc/timer_list | wc -c");
	json_object_del(json_object_get(config, "linux"), "maskedPaths");
	run_config(&r, config, "t05-nomask");
	json_decref(config);
	ck_assert_msg(strcmp(r.out, "0\n64\n") == 0,
		      "/proc/timer_list masked without maskedPaths: %s (%s)",
		      r.out, r.err);
}
END_TEST

/* No linux.seccomp, no filter; one, and its rule holds. */
START_TEST(seccomp_only_when_asked)
{
	struct run_result r;
	json_t *config;

	config = runc_spec("probe status Seccomp; probe syscall keyctl");
	run_config(&r, config, "t05-seccomp");
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	ck_assert_str_eq(r.out, "0\nok\n");
	set_at(config, "linux.seccomp",
	       "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
	       "[{\"names\": [\"keyctl\"], \"action\": \"SCMP_ACT_ERRNO\","
	       " \"errnoRet\": 1}]}");
	run_config(&r, config, "t05-seccomp");
	json_decref(config);
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	ck_assert_str_eq(r.out, "2\nEPERM\n");
}
END_TEST

/* The runtime's own cgroup, as /proc/self/cgroup says it. */
static void own_cgroup(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Neither cgroupsPath nor resources: the container stays in the
 * runtime's cgroup (the test's). cgroupsPath: that one, gone after. */
START_TEST(no_cgroup_unless_asked)
{
	char mine[4096], want[128];
	struct run_result r;
	json_t *config;

	own_cgroup(mine, sizeof(mine));
	config = runc_spec("cat /proc/self/cgroup");
	json_object_del(json_object_get(config, "linux"), "resources");
	run_config(&r, config, "t05-nocg");
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	ck_assert_msg(strcmp(r.out, mine) == 0,
		      "not the runtime's cgroup:\n%s\nwant:\n%s", r.out, mine);
	ck_assert_msg(!cgroup_exists("t05-nocg"), "a cgroup was made");
	set_at(config, "linux.cgroupsPath", "\"/barge/t05-cgpath\"");
	run_config(&r, config, "t05-nocg");
	json_decref(config);
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	snprintf(want, sizeof(want), ":/barge/t05-cgpath\n");
	ck_assert_msg(strstr(r.out, want), "not in /barge/t05-cgpath: %s",
		      r.out);
	ck_assert_msg(!cgroup_exists("t05-cgpath"), "its cgroup is left");
}
END_TEST

/* runc's spec has a cgroup mount and no cgroup namespace: the mount
 * shows the container its own cgroup all the same, never the host's
 * tree (which a "rw" one would let it write). */
START_TEST(cgroup_mount_without_a_namespace_is_its_own)
{
	struct run_result r;
	json_t *config;

	config = runc_spec("cat /sys/fs/cgroup/pids.max 2>&- || "
			   "cat /sys/fs/cgroup/pids/pids.max; "
			   "ls /sys/fs/cgroup /sys/fs/cgroup/pids 2>&- | "
			   "grep -c ^barge$; true");
	set_at(config, "linux.resources.pids", "{\"limit\": 33}");
	run_config(&r, config, "t05-cgmount");
	json_decref(config);
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	ck_assert_msg(strcmp(r.out, "33\n0\n") == 0, "not its own cgroup: %s",
		      r.out);
}
END_TEST

/* A cgroupsPath longer than a path can be is refused, never cut short
 * (a cut one could name another cgroup): too long for config.json's
 * check, or too long once below a hierarchy's root. Either way nothing
 * is made, no part of the path either. */
START_TEST(long_cgroup_paths_are_refused)
{
	char path[4400], value[4500];
	struct run_result r;
	json_t *config;
	size_t i;

	config = runc_spec("true");
	for (i = 0; i < N_LONG_PATHS; i++) {
		long_path(path, long_paths[i].total, long_paths[i].part);
		snprintf(value, sizeof(value), "\"%s\"", path);
		set_at(config, "linux.cgroupsPath", value);
		run_config(&r, config, "t05-long");
		ck_assert_msg(r.code != 0, "%zu/%zu: ran", long_paths[i].total,
			      long_paths[i].part);
		ck_assert_msg(strstr(r.err, long_paths[i].error), "%zu/%zu: %s",
			      long_paths[i].total, long_paths[i].part, r.err);
		ck_assert_msg(!cgroup_exists("long"),
			      "%zu/%zu: a cgroup is left", long_paths[i].total,
			      long_paths[i].part);
	}
	json_decref(config);
}
END_TEST

/*
 * What chapter 06 adds, and what barge-runtime cannot do: refused with
 * 125, one line that names the field ("PATH: what is wrong", as
 * oci_spec.h promises), before anything runs or is made. runc's spec has
 * linux.resources, so a runtime that went on would make a cgroup.
 */
static const struct refused {
	const char *path, *value, *says;
} refused[] = {
	{ "hooks", "{\"prestart\": [{\"path\": \"/bin/true\"}]}",
	  "hooks.prestart:" },
	{ "process.terminal", "true", "process.terminal:" },
	{ "linux.namespaces",
	  "[{\"type\": \"pid\"}, {\"type\": \"mount\"}, {\"type\": \"uts\"},"
	  " {\"type\": \"ipc\"}, {\"type\": \"network\", \"path\":"
	  " \"/proc/self/ns/net\"}]",
	  "linux.namespaces[4].path:" },
	{ "linux.sysctl", "{\"net.ipv4.ip_forward\": \"1\"}", "linux.sysctl:" },
	{ "linux.devices",
	  "[{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10,"
	  " \"minor\": 229}]",
	  "linux.devices:" },
	{ "linux.rootfsPropagation", "\"slave\"", "linux.rootfsPropagation:" },
	{ "domainname", "\"example.org\"", "domainname:" },
	{ "linux.resources.cpu", "{\"cpus\": \"0\"}",
	  "linux.resources.cpu.cpus:" },
	{ "linux.resources.cpu", "{\"mems\": \"0\"}",
	  "linux.resources.cpu.mems:" },
	{ "linux.resources.memory", "{\"reservation\": 33554432}",
	  "linux.resources.memory.reservation:" },
	{ "linux.namespaces",
	  "[{\"type\": \"pid\"}, {\"type\": \"mount\"}, {\"type\": \"uts\"},"
	  " {\"type\": \"time\"}]",
	  "time namespace" },
	{ "linux.namespaces", "[{\"type\": \"pid\"}, {\"type\": \"uts\"}]",
	  "mount namespace" },
	{ "linux.namespaces", "[{\"type\": \"pid\"}, {\"type\": \"mount\"}]",
	  "hostname:" },
};

START_TEST(refused_features_are_125)
{
	const struct refused *c = &refused[_i];
	char id[32], *mounts = mount_table(), *after;
	struct run_result r;
	json_t *config;

	snprintf(id, sizeof(id), "t05-refused-%d", _i);
	config = runc_spec("echo ran");
	set_at(config, c->path, c->value);
	run_config(&r, config, id);
	json_decref(config);
	after = mount_table();
	ck_assert_msg(r.code == 125, "%s %s: exit %d (%s)", c->path, c->value,
		      r.code, r.err);
	ck_assert_msg(strstr(r.err, c->says),
		      "%s: the message does not name it (\"%s\"): %s", c->path,
		      c->says, r.err);
	assert_one_line(&r, "config.json");
	ck_assert_msg(r.out[0] == '\0', "the container ran: %s", r.out);
	ck_assert_msg(!cgroup_exists(id), "%s: a cgroup was made", c->path);
	ck_assert_str_eq(after, mounts);
	free(mounts);
	free(after);
}
END_TEST

/* The malformed configs, found when the suite is built. */
static glob_t bad_configs;
static char bad_pattern[PATH_MAX];

static void find_bad_configs(void)
{
	if (!repo_path("tests/oci-configs/bad-*.json", bad_pattern,
		       sizeof(bad_pattern)) ||
	    glob(bad_pattern, 0, NULL, &bad_configs) != 0)
		bad_configs.gl_pathc = 0;
}

/* The whole of path (at most size - 1 bytes) into buf. */
static void read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n;

	ck_assert_msg(f, "cannot read %s", path);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

START_TEST(bad_config_is_125)
{
	static char text[65536];
	char dir[64], path[PATH_MAX], expect[1024], id[32], *mounts, *after;
	const char *file, *name;
	struct run_result r;

	ck_assert_msg((size_t)_i < bad_configs.gl_pathc,
		      "no malformed config.json found: %s", bad_pattern);
	file = bad_configs.gl_pathv[_i];
	name = strrchr(file, '/') + 1;
	snprintf(path, sizeof(path), "%.*s.expect",
		 (int)(strlen(file) - strlen(".json")), file);
	read_file(path, expect, sizeof(expect));
	chomp(expect);
	read_file(file, text, sizeof(text));
	require_root();
	scratch_dir(dir);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	write_text(path, text, 0644);
	snprintf(id, sizeof(id), "t05-bad-%d", _i);
	mounts = mount_table();
	runtime_run(&r, "run", "--bundle", dir, id, NULL);
	after = mount_table();
	remove_tree(dir);
	ck_assert_msg(r.code == 125, "%s: exit %d: %s", name, r.code, r.err);
	ck_assert_msg(strstr(r.err, expect), "%s: stderr \"%s\" lacks \"%s\"",
		      name, r.err, expect);
	ck_assert_msg(strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
		      "%s: not one line: %s", name, r.err);
	ck_assert_msg(!cgroup_exists(id), "%s: a cgroup was made", name);
	ck_assert_msg(strcmp(after, mounts) == 0, "%s: the mounts changed",
		      name);
	free(mounts);
	free(after);
}
END_TEST

/* An ordinary user's barge-runtime, whose root.path lies under a
 * directory of root's with mode 0700 (a clone under /root): refused with
 * the directory, its mode and owner, and the uid that cannot pass. The
 * runtime is copied where that uid can run it. */
START_TEST(rootless_root_path_out_of_reach)
{
	const char *cmd[] = { "true", NULL };
	char dir[64], rootfs[128], runtime[128], value[160], want[256];
	char *cp[] = { "/bin/cp", "-a",
		       (char *)chapter_program("barge-runtime"), runtime,
		       NULL };
	char *argv[] = { "/usr/bin/setpriv",
			 "--reuid=" ROOTLESS_UID,
			 "--regid=" ROOTLESS_UID,
			 "--clear-groups",
			 runtime,
			 "run",
			 "--bundle",
			 dir,
			 "t05-out-of-reach",
			 NULL };
	struct run_result r;
	json_t *config;
	char *mounts, *after;

	require_root();
	ck_assert_msg(access("/usr/bin/setpriv", X_OK) == 0,
		      "no /usr/bin/setpriv (util-linux)");
	scratch_dir(dir);
	snprintf(runtime, sizeof(runtime), "%s/barge-runtime", dir);
	command_run(&r, 30, cp);
	ck_assert_msg(r.code == 0, "cp: %s", r.err);
	snprintf(rootfs, sizeof(rootfs), "%s/private", dir);
	ck_assert_int_eq(mkdir(rootfs, 0700), 0);
	strcat(rootfs, "/rootfs");
	ck_assert_int_eq(mkdir(rootfs, 0755), 0);
	config = oci_config("good-runc-rootless.json", cmd);
	snprintf(value, sizeof(value), "\"%s\"", rootfs);
	set_at(config, "root.path", value);
	write_config(dir, config);
	json_decref(config);
	mounts = mount_table();
	command_run(&r, 30, argv);
	after = mount_table();
	remove_tree(dir);
	ck_assert_msg(r.code == 125, "exit %d: %s", r.code, r.err);
	assert_one_line(&r, "root.path: ");
	snprintf(want, sizeof(want),
		 "%s is out of reach: uid " ROOTLESS_UID
		 " cannot search %s/private "
		 "(mode 0700, owner 0:0)",
		 rootfs, dir);
	ck_assert_msg(strstr(r.err, want), "want \"%s\" in: %s", want, r.err);
	ck_assert_msg(strcmp(after, mounts) == 0, "the mounts changed");
	free(mounts);
	free(after);
}
END_TEST

/*
 * runc's CVE-2024-21626: a caller leaves descriptor N open on a host
 * directory, and process.cwd is "/proc/self/fd/N". Before the fix the
 * container's shell ran in the host's directory and read its files. Now
 * every inherited descriptor is closed before the cwd is entered, and the
 * cwd is resolved inside the root filesystem: the runtime refuses, 125,
 * and the host's file is never read.
 */
START_TEST(cwd_through_a_leaked_fd_is_refused)
{
	char dir[64], host[128], bundle[128], secret[160], cwd[32];
	const char *runtime = chapter_program("barge-runtime");
	struct run_result r;
	json_t *config;
	int n = 3 + _i;

	require_root();
	scratch_dir(dir);
	snprintf(host, sizeof(host), "%s/host", dir);
	snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
	ck_assert_int_eq(mkdir(host, 0755), 0);
	ck_assert_int_eq(mkdir(bundle, 0755), 0);
	snprintf(secret, sizeof(secret), "%s/secret", host);
	write_text(secret, "host-secret\n", 0644);
	snprintf(cwd, sizeof(cwd), "\"/proc/self/fd/%d\"", n);
	config = runc_spec("cat secret ../host/secret; ls");
	set_at(config, "process.cwd", cwd);
	write_config(bundle, config);
	json_decref(config);
	command_run_leaking(&r, 60,
			    (char *const[]){ (char *)runtime, "run", "--bundle",
					     bundle, "t05-cwd", NULL },
			    host, n);
	remove_tree(dir);
	ck_assert_msg(!strstr(r.out, "host-secret") && !strstr(r.out, "bundle"),
		      "fd %d: the container reached the host: %s", n, r.out);
	ck_assert_msg(r.code == 125 && strstr(r.err, "process.cwd"),
		      "fd %d: exit %d: %s", n, r.code, r.err);
}
END_TEST

/* runc's CVE-2019-5736: a container's processes start as copies of the
 * runtime, and /proc/PID/exe of the runtime is within a container's
 * reach (a shared PID namespace, a "#!/proc/self/exe" script). It must be
 * a sealed copy, never the host's binary, open for writing once the
 * runtime is not busy any more. */
START_TEST(runtime_runs_from_a_sealed_copy)
{
	const char *runtime = chapter_program("barge-runtime");
	char dir[64], children[64], text[64] = "";
	json_t *config;
	pid_t pid;
	int i;

	require_root();
	scratch_dir(dir);
	config = runc_spec("sleep 30");
	write_config(dir, config);
	json_decref(config);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		execl(runtime, runtime, "run", "--bundle", dir, "t05-exe",
		      NULL);
		_exit(127);
	}
	/* until the container runs: the runtime has a child */
	snprintf(children, sizeof(children), "/proc/%d/task/%d/children",
		 (int)pid, (int)pid);
	for (i = 0; i < 500 && !*text; i++) {
		usleep(10000);
		read_file(children, text, sizeof(text));
	}
	ck_assert_msg(*text, "the container did not start");
	assert_sealed_exe(pid, runtime);
	kill(atoi(text), SIGKILL); /* the container's PID 1 */
	ck_assert_int_eq(wait_exit(pid, 10), 128 + SIGKILL);
	remove_tree(dir);
}
END_TEST

/* The hostile root filesystems of tests/lib/escape_cases.c. */
static void run_bundle(struct run_result *r, const char *bundle, const char *id)
{
	runtime_run(r, "run", "--bundle", bundle, id, NULL);
}

/* conmon's way: --log FILE --log-format json. The error is one JSON line
 * there, and one line on stderr. */
START_TEST(log_json_has_the_error)
{
	char dir[64], log[128], bundle[128], text[4096];
	struct run_result r;
	json_error_t jerr;
	json_t *config, *line;

	require_root();
	scratch_dir(dir);
	snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
	ck_assert_int_eq(mkdir(bundle, 0755), 0);
	snprintf(log, sizeof(log), "%s/log.json", dir);
	config = runc_spec("echo ran");
	set_at(config, "hooks", "{\"prestart\": [{\"path\": \"/bin/true\"}]}");
	write_config(bundle, config);
	json_decref(config);
	runtime_run(&r, "--log", log, "--log-format", "json", "run", "--bundle",
		    bundle, "t05-log", NULL);
	text[0] = '\0';
	if (access(log, F_OK) == 0)
		read_file(log, text, sizeof(text));
	remove_tree(dir);
	ck_assert_int_eq(r.code, 125);
	/* and once on stderr, as runc prints an error */
	ck_assert_msg(strstr(r.err, "hooks.prestart") &&
			      strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
		      "stderr is not the error once: %s", r.err);
	ck_assert_msg(*text && strchr(text, '\n') == text + strlen(text) - 1,
		      "the log is not one line: '%s'", text);
	line = json_loads(text, 0, &jerr);
	ck_assert_msg(line, "not JSON: %s (%s)", text, jerr.text);
	ck_assert_str_eq(jstr(line, "level"), "error");
	ck_assert_msg(strstr(jstr(line, "msg"), "hooks.prestart"), "%s", text);
	json_decref(line);
}
END_TEST

/* The command line: --version, --help, and errors that are one line
 * with 125. */
START_TEST(runtime_command_line)
{
	static const struct {
		const char *args[4];
		const char *says;
	} bad[] = {
		{ { "frobnicate" }, "frobnicate" },
		{ { "--frob", "run" }, "--frob" },
		{ { "run" }, "run" },
		{ { "run", "../up" }, "../up" },
		{ { "run", "--bundle", "/nonexistent/bundle", "t05-x" },
		  "/nonexistent/bundle" },
	};
	struct run_result r;
	size_t i;

	runtime_run(&r, "--version", NULL);
	ck_assert_int_eq(r.code, 0);
	ck_assert_msg(strstr(r.out, "barge-runtime version"), "%s", r.out);
	runtime_run(&r, "--help", NULL);
	ck_assert_int_eq(r.code, 0);
	ck_assert_msg(strstr(r.out, "run"), "%s", r.out);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		runtime_run(&r, bad[i].args[0], bad[i].args[1], bad[i].args[2],
			    bad[i].args[3], NULL);
		ck_assert_msg(r.code == 125, "%s: exit %d", bad[i].args[0],
			      r.code);
		assert_one_line(&r, bad[i].says);
	}
}
END_TEST

/* process.oomScoreAdj and process.user.umask reach the process, and
 * without them it keeps what it inherits. */
START_TEST(oom_score_adj_and_umask)
{
	struct run_result r;
	json_t *config, *process;

	config = runc_spec("cat /proc/self/oom_score_adj; umask");
	process = json_object_get(config, "process");
	json_object_set_new(process, "oomScoreAdj", json_integer(500));
	json_object_set_new(json_object_get(process, "user"), "umask",
			    json_integer(063));
	run_config(&r, config, "t05-oom");
	json_decref(config);
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	ck_assert_str_eq(r.out, "500\n0063\n");
	config = runc_spec("cat /proc/self/oom_score_adj");
	run_config(&r, config, "t05-oom");
	json_decref(config);
	ck_assert_msg(r.code == 0, "exit %d: %s", r.code, r.err);
	ck_assert_msg(strcmp(r.out, "500\n") != 0, "oomScoreAdj stuck");
}
END_TEST

/* The config.json "barge-runtime spec" wrote in dir, made to run sh -c
 * script on root_path; returned (the caller releases it) as written. */
static json_t *edit_spec(const char *dir, const char *root_path,
			 const char *script)
{
	char path[PATH_MAX], value[PATH_MAX + 8];
	json_error_t jerr;
	json_t *config;

	snprintf(path, sizeof(path), "%s/config.json", dir);
	config = json_load_file(path, 0, &jerr);
	ck_assert_msg(config, "%s: %s", path, jerr.text);
	snprintf(value, sizeof(value), "\"%s\"", root_path);
	set_at(config, "root.path", value);
	json_object_set_new(json_object_get(config, "process"), "args",
			    json_pack("[s, s, s]", "sh", "-c", script));
	write_config(dir, config);
	return config;
}

/* "barge-runtime spec" writes runc's example but for its hostname, no
 * ambient capabilities and no terminal: barge-runtime and runc run it
 * alike. A second spec refuses, and leaves the edited config.json. */
START_TEST(spec_writes_a_bundle_that_runs)
{
	static const char script[] =
		"probe caps; probe hostname; echo $(probe status NoNewPrivs);"
		" probe write /.barge-t05 x || true";
	static const char want[] =
		"CapInh=" NO_CAPS "\nCapPrm=0000000020000420\n"
		"CapEff=0000000020000420\nCapBnd=0000000020000420\n"
		"CapAmb=" NO_CAPS "\nbarge\n1\nEROFS\n";
	static struct run_result r[4];
	char dir[64], path[PATH_MAX];
	char *runc[] = { "/usr/sbin/runc", "run", "--bundle", dir,
			 "t05-spec-runc",  NULL };
	json_t *config, *edited, *after;
	json_error_t jerr;

	require_root();
	scratch_dir(dir);
	runtime_run(&r[0], "spec", "--bundle", dir, NULL);
	ck_assert_msg(r[0].code == 0, "spec: exit %d: %s", r[0].code, r[0].err);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	config = json_load_file(path, 0, &jerr);
	ck_assert_msg(config, "%s: %s", path, jerr.text);
	edited = edit_spec(dir, test_rootfs(), script);
	runtime_run(&r[1], "run", "--bundle", dir, "t05-spec", NULL);
	command_run(&r[2], 60, runc);
	runtime_run(&r[3], "spec", "--bundle", dir, NULL);
	after = json_load_file(path, 0, &jerr);
	remove_tree(dir);
	ck_assert_str_eq(jstr(config, "root.path"), "rootfs");
	ck_assert_str_eq(jstr(config, "hostname"), "barge");
	ck_assert_msg(!jget(config, "process.capabilities.ambient"),
		      "ambient capabilities");
	ck_assert_msg(jget(config, "process.terminal") == json_false(),
		      "a terminal");
	ck_assert_msg(r[1].code == 0, "barge-runtime: exit %d: %s", r[1].code,
		      r[1].err);
	ck_assert_str_eq(r[1].out, want);
	ck_assert_msg(r[2].code == 0, "runc: exit %d: %s", r[2].code, r[2].err);
	ck_assert_str_eq(r[2].out, want);
	ck_assert_int_eq(r[3].code, 125);
	assert_one_line(&r[3], "config.json exists: remove it first");
	ck_assert_msg(after && json_equal(after, edited),
		      "a second spec changed config.json");
	json_decref(config);
	json_decref(edited);
	json_decref(after);
}
END_TEST

/* "spec --rootless" as an ordinary user: its own ids are root in a user
 * namespace, and the bundle runs as that user, without a network
 * namespace, /sys bound from the host's and /sys/fs/cgroup read-only,
 * every mount in it too. */
START_TEST(spec_rootless_runs_as_a_user)
{
	static const char script[] =
		"probe file /proc/self/uid_map; probe hostname;"
		" probe write /sys/fs/cgroup/x x;"
		" for d in /sys/fs/cgroup/*/; do probe write \"$d\"x x; break;"
		" done; true";
	static struct run_result r[2];
	char dir[64], bundle[128], runtime[128], rootfs[PATH_MAX];
	char *spec[] = { "/usr/bin/setpriv",
			 "--reuid=" ROOTLESS_UID,
			 "--regid=" ROOTLESS_UID,
			 "--clear-groups",
			 runtime,
			 "spec",
			 "--rootless",
			 "--bundle",
			 bundle,
			 NULL };
	char *run[] = { "/usr/bin/setpriv",
			"--reuid=" ROOTLESS_UID,
			"--regid=" ROOTLESS_UID,
			"--clear-groups",
			runtime,
			"run",
			"--bundle",
			bundle,
			"t05-spec-rootless",
			NULL };
	json_t *config;
	unsigned long inside, outside, count;

	require_root();
	ck_assert_msg(access("/usr/bin/setpriv", X_OK) == 0,
		      "no /usr/bin/setpriv (util-linux)");
	scratch_dir(dir);
	snprintf(runtime, sizeof(runtime), "%s/barge-runtime", dir);
	copy_tree(chapter_program("barge-runtime"), runtime);
	snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
	ck_assert_int_eq(mkdir(bundle, 0755), 0);
	ck_assert_int_eq(chown(bundle, atoi(ROOTLESS_UID), atoi(ROOTLESS_UID)),
			 0);
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", bundle);
	copy_tree(test_rootfs(), rootfs);
	command_run(&r[0], 30, spec);
	ck_assert_msg(r[0].code == 0, "spec: exit %d: %s", r[0].code, r[0].err);
	config = edit_spec(bundle, rootfs, script);
	command_run(&r[1], 60, run);
	remove_tree(dir);
	ck_assert_int_eq(
		json_integer_value(json_object_get(
			json_array_get(jget(config, "linux.uidMappings"), 0),
			"hostID")),
		atoi(ROOTLESS_UID));
	json_decref(config);
	ck_assert_msg(r[1].code == 0, "run: exit %d: %s", r[1].code, r[1].err);
	ck_assert_int_eq(
		sscanf(r[1].out, "%lu %lu %lu", &inside, &outside, &count), 3);
	ck_assert_uint_eq(inside, 0);
	ck_assert_uint_eq(outside, atoi(ROOTLESS_UID));
	ck_assert_uint_eq(count, 1);
	/* read-only, and so are the hierarchies under it */
	ck_assert_msg(strstr(r[1].out, "\nbarge\nEROFS\nEROFS\n"), "%s",
		      r[1].out);
}
END_TEST

void add_runtime_tests(Suite *s)
{
	find_bad_configs();
	add_test(s, real_specs_run, 60);
	add_test(s, spec_writes_a_bundle_that_runs, 60);
	add_test(s, spec_rootless_runs_as_a_user, 60);
	add_test(s, runtime_exit_codes, 60);
	add_test(s, no_mounts_means_none, 60);
	add_test(s, mounts_follow_config, 60);
	add_test(s, no_masked_paths_means_none, 60);
	add_test(s, seccomp_only_when_asked, 60);
	add_test(s, no_cgroup_unless_asked, 60);
	add_test(s, long_cgroup_paths_are_refused, 60);
	add_test(s, cgroup_mount_without_a_namespace_is_its_own, 60);
	add_test(s, oom_score_adj_and_umask, 60);
	add_loop_test(s, refused_features_are_125,
		      sizeof(refused) / sizeof(refused[0]), 60);
	add_loop_test(s, bad_config_is_125,
		      bad_configs.gl_pathc ? (int)bad_configs.gl_pathc : 1, 30);
	add_test(s, log_json_has_the_error, 60);
	add_loop_test(s, cwd_through_a_leaked_fd_is_refused, 18, 60);
	add_escape_cases(s, run_bundle);
	add_test(s, runtime_runs_from_a_sealed_copy, 60);
	add_test(s, rootless_root_path_out_of_reach, 60);
	add_test(s, runtime_command_line, 60);
}
