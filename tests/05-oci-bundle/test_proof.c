/* SPDX-License-Identifier: MIT */
/*
 * test_proof.c - the proof that barge's bundle is a real OCI bundle: the
 * same container, run by barge under barge-runtime, runc and crun, says
 * the same about itself. Each test runs one shell script in the three
 * containers that prints facts the probe and /proc can tell (capability
 * sets, seccomp, no_new_privs, masked and read-only paths, hostname, PID
 * 1, namespaces, uid maps, limits), then compares the three reports with
 * each other and with what chapters 02-04 promise.
 *
 * crun refuses a hybrid cgroup host ("cgroups in hybrid mode not
 * supported"): it runs in a mount namespace of its own in which the
 * host's cgroup2 mount, /sys/fs/cgroup/unified, is unmounted, as
 * tools/bench-runtime does. A wrapper script, written by the test,
 * does that and then executes barge (BARGE_WRAPPER). Without runc or crun
 * these tests fail, saying which is missing.
 */
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_util.h"

enum { BARGE_RUNTIME, RUNC, CRUN, N_RUNTIMES };

static const char *const runtime_names[] = { "barge-runtime", "runc", "crun" };

/* Where Debian puts them; a locally built one in /usr/local is fine. */
static const char *find_program(const char *name)
{
	static const char *const dirs[] = { "/usr/sbin", "/usr/bin",
					    "/usr/local/sbin",
					    "/usr/local/bin" };
	static char path[4][PATH_MAX];
	static int next;
	char *p = path[next++ % 4];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, PATH_MAX, "%s/%s", dirs[i], name);
		if (access(p, X_OK) == 0)
			return p;
	}
	ck_abort_msg("%s is not installed (apt-get install %s): the proof "
		     "runs the same bundle under barge-runtime, runc and crun",
		     name, name);
	return NULL;
}

/* The runtimes' paths (barge-runtime: barge's default, no --runtime),
 * and the wrapper that puts crun in its mount namespace, written into
 * dir. */
struct runtimes {
	const char *path[N_RUNTIMES];
	char dir[64];
	char wrapper[1200];
};

static void runtimes_open(struct runtimes *rt)
{
	const char *old = getenv("BARGE_WRAPPER");
	char script[128];

	require_root();
	rt->path[BARGE_RUNTIME] = NULL;
	rt->path[RUNC] = find_program("runc");
	rt->path[CRUN] = find_program("crun");
	scratch_dir(rt->dir);
	snprintf(script, sizeof(script), "%s/crun-ns", rt->dir);
	write_text(script,
		   "#!/bin/sh\n"
		   "# crun refuses a hybrid cgroup host: hide its cgroup2\n"
		   "# mount, in a mount namespace of our own.\n"
		   "exec unshare -m --propagation private sh -c '\n"
		   "if grep -q \" /sys/fs/cgroup/unified \" "
		   "/proc/self/mountinfo; then\n"
		   "\tumount /sys/fs/cgroup/unified || exit 125\n"
		   "fi\n"
		   "exec \"$@\"' sh \"$@\"\n",
		   0755);
	snprintf(rt->wrapper, sizeof(rt->wrapper), "%s %s", script,
		 old ? old : "");
}

static void runtimes_close(struct runtimes *rt)
{
	remove_tree(rt->dir);
}

/* BARGE_WRAPPER for runtime i, and back. */
static void wrap_for(struct runtimes *rt, int i, char *saved, size_t size)
{
	const char *old = getenv("BARGE_WRAPPER");

	snprintf(saved, size, "%s", old ? old : "");
	if (i == CRUN)
		setenv("BARGE_WRAPPER", rt->wrapper, 1);
}

static void unwrap(const char *saved)
{
	if (*saved)
		setenv("BARGE_WRAPPER", saved, 1);
	else
		unsetenv("BARGE_WRAPPER");
}

/* --runtime PATH (none for barge-runtime), then flags. */
static void runtime_flags(struct runtimes *rt, int i, const char *const flags[],
			  const char **all)
{
	int n = 0, k;

	if (rt->path[i]) {
		all[n++] = "--runtime";
		all[n++] = rt->path[i];
	}
	for (k = 0; flags && flags[k] && n < 30; k++)
		all[n++] = flags[k];
	all[n] = NULL;
}

/* Run cmd under each runtime: r[i] is runtime i's result, and each must
 * exit 0. */
static void run_all(struct run_result *r, const char *const flags[],
		    const char *const cmd[])
{
	struct runtimes rt;
	const char *all[32];
	char saved[1024];
	int i;

	runtimes_open(&rt);
	for (i = 0; i < N_RUNTIMES; i++) {
		runtime_flags(&rt, i, flags, all);
		wrap_for(&rt, i, saved, sizeof(saved));
		run_with(&r[i], all, cmd);
		unwrap(saved);
	}
	runtimes_close(&rt);
	for (i = 0; i < N_RUNTIMES; i++)
		ck_assert_msg(r[i].code == 0, "under %s: exit %d; stderr: %s",
			      runtime_names[i], r[i].code, r[i].err);
}

/* Each runtime's report is want. */
static void assert_reports(struct run_result *r, const char *want)
{
	int i;

	for (i = 0; i < N_RUNTIMES; i++)
		ck_assert_msg(strcmp(r[i].out, want) == 0,
			      "under %s the container says:\n%s\nwant:\n%s",
			      runtime_names[i], r[i].out, want);
}

/* The three reports are the same. */
static void assert_same(struct run_result *r)
{
	int i;

	for (i = 1; i < N_RUNTIMES; i++)
		ck_assert_msg(strcmp(r[i].out, r[0].out) == 0,
			      "%s and %s differ:\n%s\n---\n%s",
			      runtime_names[0], runtime_names[i], r[0].out,
			      r[i].out);
}

static struct run_result results[N_RUNTIMES];

/* The security facts: capabilities, seccomp, no_new_privs, the calls the
 * filter refuses, hostname, barge-init as PID 1. */
#define SECURITY_SCRIPT                                                    \
	"probe caps\n"                                                     \
	"echo Seccomp=$(probe status Seccomp)"                             \
	" NoNewPrivs=$(probe status NoNewPrivs)\n"                         \
	"echo keyctl=$(probe syscall keyctl) mount=$(probe syscall mount)" \
	" unshare=$(probe syscall unshare)\n"                              \
	"echo hostname=$(probe hostname) file=$(cat /etc/hostname)\n"      \
	"echo pid1=$(head -c 13 /proc/1/cmdline | tr '\\0' ' ')"           \
	" parent=$PPID\n"

START_TEST(proof_security_facts_match)
{
	const char *flags[] = { "--hostname", "proofbox", NULL };
	const char *cmd[] = { "sh", "-c", SECURITY_SCRIPT, NULL };

	run_all(results, flags, cmd);
	assert_reports(results, "CapInh=" NO_CAPS "\n"
				"CapPrm=" DOCKER_CAPS "\n"
				"CapEff=" DOCKER_CAPS "\n"
				"CapBnd=" DOCKER_CAPS "\n"
				"CapAmb=" NO_CAPS "\n"
				"Seccomp=2 NoNewPrivs=1\n"
				"keyctl=EPERM mount=EPERM unshare=EPERM\n"
				"hostname=proofbox file=proofbox\n"
				"pid1=/dev/init -- parent=1\n");
}
END_TEST

/* --user, --read-only and --ulimit: no capability in effect, a root that
 * refuses writes, the limit set. */
#define USER_SCRIPT                                                       \
	"probe ids; probe caps\n"                                         \
	"echo root=$(probe write /.barge-proof x) shm=$(probe write "     \
	"/dev/shm/x x)\n"                                                 \
	"grep 'Max processes' /proc/self/limits | tr -s ' ' | cut -d ' '" \
	" -f 3-4\n"

START_TEST(proof_user_facts_match)
{
	const char *flags[] = { "--user",   "1000:1000",     "--read-only",
				"--ulimit", "nproc=100:200", NULL };
	const char *cmd[] = { "sh", "-c", USER_SCRIPT, NULL };
	char leaked[PATH_MAX];

	snprintf(leaked, sizeof(leaked), "%s/.barge-proof", test_rootfs());
	run_all(results, flags, cmd);
	ck_assert_msg(unlink(leaked) < 0, "a write reached the rootfs");
	assert_reports(results, "uid=1000 gid=1000 euid=1000 egid=1000 "
				"groups=\n"
				"CapInh=" NO_CAPS "\n"
				"CapPrm=" NO_CAPS "\n"
				"CapEff=" NO_CAPS "\n"
				"CapBnd=" DOCKER_CAPS "\n"
				"CapAmb=" NO_CAPS "\n"
				"root=EROFS shm=ok\n"
				"100 200\n");
}
END_TEST

/* Masked paths are mounts that read empty (those this kernel has): a
 * file reads no byte, a directory lists no name. /proc/sys and
 * /proc/sysrq-trigger (if the kernel has it) are read-only mounts. */
#define MASK_SCRIPT                                                          \
	"for p in /proc/kcore /proc/keys /proc/timer_list /sys/firmware; do" \
	" if [ -d $p ]; then n=$(ls -A $p | wc -l);"                         \
	" elif [ -e $p ]; then n=$(head -c 64 $p | wc -c);"                  \
	" else echo $p absent; continue; fi;"                                \
	" echo $p mount=$(grep -c \" $p \" /proc/self/mountinfo) size=$n;"   \
	" done\n"                                                            \
	"for p in /proc/sys /proc/sysrq-trigger; do if [ -e $p ]; then"      \
	" echo $p ro=$(grep -c \" $p ro,\" /proc/self/mountinfo); fi; done\n"

START_TEST(proof_masked_paths_match)
{
	static const char *const masked[] = { "/proc/kcore", "/proc/keys",
					      "/proc/timer_list",
					      "/sys/firmware" };
	const char *cmd[] = { "sh", "-c", MASK_SCRIPT, NULL };
	char want[1024] = "", line[128];
	size_t i;

	for (i = 0; i < sizeof(masked) / sizeof(masked[0]); i++) {
		if (access(masked[i], F_OK) == 0)
			snprintf(line, sizeof(line), "%s mount=1 size=0\n",
				 masked[i]);
		else
			snprintf(line, sizeof(line), "%s absent\n", masked[i]);
		strcat(want, line);
	}
	strcat(want, "/proc/sys ro=1\n");
	if (access("/proc/sysrq-trigger", F_OK) == 0)
		strcat(want, "/proc/sysrq-trigger ro=1\n");
	run_all(results, NULL, cmd);
	assert_reports(results, want);
}
END_TEST

/* Each namespace is new, but the user namespace: "host" when a
 * container's /proc/self/ns link is the test's own. */
#define NS_SCRIPT                                                          \
	"for ns in cgroup ipc mnt net pid uts user; do"                    \
	" [ \"$(readlink /proc/self/ns/$ns)\" = \"$1\" ] && echo $ns=host" \
	" || echo $ns=new; shift; done\n"                                  \
	"read a b c < /proc/self/uid_map; echo uid_map=$a $b $c\n"         \
	"probe ids\n"

static void ns_command(const char *cmd[], char links[7][64])
{
	static const char *const kinds[] = { "cgroup", "ipc", "mnt", "net",
					     "pid",    "uts", "user" };
	char path[64];
	ssize_t n;
	int i;

	cmd[0] = "sh";
	cmd[1] = "-c";
	cmd[2] = NS_SCRIPT;
	cmd[3] = "sh";
	for (i = 0; i < 7; i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", kinds[i]);
		n = readlink(path, links[i], 63);
		ck_assert_int_gt(n, 0);
		links[i][n] = '\0';
		cmd[4 + i] = links[i];
	}
	cmd[11] = NULL;
}

START_TEST(proof_namespaces_match)
{
	const char *cmd[12];
	char links[7][64];

	ns_command(cmd, links);
	run_all(results, NULL, cmd);
	assert_reports(results, "cgroup=new\nipc=new\nmnt=new\nnet=new\n"
				"pid=new\nuts=new\nuser=host\n"
				"uid_map=0 0 4294967295\n"
				"uid=0 gid=0 euid=0 egid=0 groups=\n");
}
END_TEST

/* --userns: the same map under every runtime, 65536 ids from an
 * unprivileged one; root inside. */
START_TEST(proof_userns_match)
{
	const char *flags[] = { "--userns", NULL };
	const char *cmd[12];
	char links[7][64], want[512];
	unsigned long outside = 0;
	const char *map;

	ns_command(cmd, links);
	run_all(results, flags, cmd);
	map = strstr(results[BARGE_RUNTIME].out, "uid_map=0 ");
	ck_assert_msg(map && sscanf(map, "uid_map=0 %lu 65536", &outside) == 1,
		      "no map of 65536 ids: %s", results[BARGE_RUNTIME].out);
	ck_assert_msg(outside != 0, "container root is the host's root");
	snprintf(want, sizeof(want),
		 "cgroup=new\nipc=new\nmnt=new\nnet=new\npid=new\nuts=new\n"
		 "user=new\nuid_map=0 %lu 65536\n"
		 "uid=0 gid=0 euid=0 egid=0 groups=\n",
		 outside);
	assert_reports(results, want);
}
END_TEST

/* The limits do the same to the probe: a fork loop stops at
 * --pids-limit, a hog above --memory is killed (no swap where the kernel
 * accounts it), one below it is not. */
#define LIMIT_SCRIPT                                         \
	"probe fork-loop 40\n"                               \
	"probe hog-memory 64 >/dev/null 2>&1; echo hog=$?\n" \
	"probe hog-memory 8; echo small=$?\n"

START_TEST(proof_limits_match)
{
	const char *flags[] = { "--pids-limit",	 "10",	"--memory", "32m",
				"--memory-swap", "32m", NULL };
	const char *cmd[] = { "sh", "-c", LIMIT_SCRIPT, NULL };
	int forked = -1;

	if (!host_accounts_swap())
		flags[4] = NULL;
	run_all(results, flags, cmd);
	assert_same(results);
	ck_assert_msg(sscanf(results[0].out, "forked=%d", &forked) == 1 &&
			      forked >= 1 && forked < 10,
		      "%s", results[0].out);
	ck_assert_msg(strstr(results[0].out,
			     "errno=EAGAIN\nhog=137\ndone\nsmall=0\n"),
		      "%s", results[0].out);
}
END_TEST

/* The one file that matches pattern, chomped, into buf. */
static void read_only_match(const char *pattern, char *buf, size_t size)
{
	glob_t g;
	FILE *f;

	buf[0] = '\0';
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	if (g.gl_pathc == 1 && (f = fopen(g.gl_pathv[0], "re"))) {
		if (!fgets(buf, size, f))
			buf[0] = '\0';
		fclose(f);
	}
	globfree(&g);
	chomp(buf);
}

/* The container's memory and pids limits, in its cgroup's files (v1 or
 * v2), as the host sees them while it runs. */
static void read_limits(char *mem, char *pids, size_t size)
{
	read_only_match("/sys/fs/cgroup/memory/barge/*/memory.limit_in_bytes",
			mem, size);
	if (!*mem)
		read_only_match("/sys/fs/cgroup/barge/*/memory.max", mem, size);
	read_only_match("/sys/fs/cgroup/pids/barge/*/pids.max", pids, size);
	if (!*pids)
		read_only_match("/sys/fs/cgroup/barge/*/pids.max", pids, size);
}

START_TEST(proof_cgroup_files_match)
{
	const char *flags[] = { "--memory", "64m", "--pids-limit", "20", NULL };
	const char *all[32];
	char *args[40] = { "run", "--rootfs", (char *)test_rootfs() };
	char mem[N_RUNTIMES][64], pids[N_RUNTIMES][64], line[64], saved[1024];
	struct runtimes rt;
	int i, k, n, fd;
	pid_t pid;

	runtimes_open(&rt);
	for (i = 0; i < N_RUNTIMES; i++) {
		runtime_flags(&rt, i, flags, all);
		for (n = 3, k = 0; all[k]; k++)
			args[n++] = (char *)all[k];
		args[n++] = "--";
		args[n++] = "probe";
		args[n++] = "wait-signal";
		args[n] = NULL;
		wrap_for(&rt, i, saved, sizeof(saved));
		pid = barge_spawn(&fd, args);
		unwrap(saved);
		if (read_line(fd, line, sizeof(line), 20) >= 0 &&
		    strcmp(line, "ready") == 0)
			read_limits(mem[i], pids[i], sizeof(mem[i]));
		else
			mem[i][0] = pids[i][0] = '\0';
		kill(pid, SIGTERM);
		wait_exit(pid, 20);
		close(fd);
	}
	runtimes_close(&rt);
	for (i = 0; i < N_RUNTIMES; i++) {
		ck_assert_msg(strcmp(mem[i], "67108864") == 0,
			      "under %s the memory limit is '%s'",
			      runtime_names[i], mem[i]);
		ck_assert_msg(strcmp(pids[i], "20") == 0,
			      "under %s pids.max is '%s'", runtime_names[i],
			      pids[i]);
	}
}
END_TEST

void add_proof_tests(Suite *s)
{
	add_test(s, proof_security_facts_match, 120);
	add_test(s, proof_user_facts_match, 120);
	add_test(s, proof_masked_paths_match, 120);
	add_test(s, proof_namespaces_match, 120);
	add_test(s, proof_userns_match, 120);
	add_test(s, proof_limits_match, 120);
	add_test(s, proof_cgroup_files_match, 120);
}
