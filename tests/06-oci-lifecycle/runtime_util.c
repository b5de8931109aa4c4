/* SPDX-License-Identifier: MIT */
/*
 * runtime_util.c - see runtime_util.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>

#include "runtime_util.h"

char t_root[64], t_bundle[64];

const char *rt_path(void)
{
	static char buf[PATH_MAX];
	const char *env = getenv("RUNTIME");
	char *slash;

	if (env && *env)
		return env;
	snprintf(buf, sizeof(buf), "%s", test_barge());
	slash = strrchr(buf, '/');
	ck_assert_msg(slash, "BARGE is not a path: %s", buf);
	strcpy(slash + 1, "barge-runtime");
	ck_assert_msg(access(buf, X_OK) == 0, "no barge-runtime at %s", buf);
	return buf;
}

int count_entries(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return -1;
	while ((d = readdir(dp)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			n++;
	closedir(dp);
	return n;
}

size_t rt_cgroups(const char *id)
{
	char pattern[128];
	size_t n = 0;
	glob_t g;

	snprintf(pattern, sizeof(pattern), "/sys/fs/cgroup/{*/,}barge/%s", id);
	if (glob(pattern, GLOB_BRACE | GLOB_ONLYDIR, NULL, &g) == 0) {
		n = g.gl_pathc;
		globfree(&g);
	}
	return n;
}

void rt_setup(void)
{
	require_root();
	strcpy(t_root, "/tmp/barge-rt-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t_root));
	strcpy(t_bundle, "/tmp/barge-bundle-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t_bundle));
}

/* Delete every container in state root dir, then the directory. */
static void sweep_root(const char *runtime, const char *dir)
{
	char cmd[PATH_MAX * 3];
	struct dirent *d;
	DIR *dp = opendir(dir);

	while (dp && (d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(cmd, sizeof(cmd),
			 "'%s' --root '%s' delete --force '%s' >/dev/null 2>&1",
			 runtime, dir, d->d_name);
		if (system(cmd) != 0)
			continue;
	}
	if (dp)
		closedir(dp);
}

/* Runs in the test runner after every test (set_test_cleanup): a failed
 * assertion stops a test before rt_teardown(), so remove here what such
 * a test left: its containers, state root and bundle. No ck_assert here:
 * this is not a test. */
void rt_sweep(void)
{
	char runtime[PATH_MAX], *slash;
	const char *barge = getenv("BARGE");
	glob_t g;
	size_t i;

	if (!barge || strlen(barge) >= sizeof(runtime))
		return;
	strcpy(runtime, barge);
	slash = strrchr(runtime, '/');
	if (!slash || strlen(runtime) + 16 >= sizeof(runtime))
		return;
	strcpy(slash + 1, "barge-runtime");
	if (glob("/tmp/barge-rt-*", 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++)
			if (!scratch_existed_before(g.gl_pathv[i]))
				sweep_root(runtime, g.gl_pathv[i]);
		globfree(&g);
	}
	if (glob("/tmp/barge-{rt,bundle}-*", GLOB_BRACE, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++) {
			if (!scratch_existed_before(g.gl_pathv[i]))
				remove_scratch(g.gl_pathv[i]);
		}
		globfree(&g);
	}
}

void rt_teardown(void)
{
	char cmd[256];
	int left = count_entries(t_root);

	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", t_root, t_bundle);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_msg(left <= 0, "%d containers left in the state root", left);
}

static void read_back(int fd, char *buf, size_t size)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, size - 1);
	buf[n < 0 ? 0 : n] = '\0';
	close(fd);
}

/* Not barge_runv(): that reads the pipes until end of file, and a created
 * container keeps them open. Files do not wait for anyone. */
static void run_argv(struct run_result *res, char *const argv[],
		     const char *dir, int n)
{
	int out, err;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	out = memfd_create("out", MFD_CLOEXEC);
	err = memfd_create("err", MFD_CLOEXEC);
	ck_assert(out >= 0 && err >= 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(out, 1);
		dup2(err, 2);
		if (dir) { /* dup2 clears close-on-exec */
			int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

			if (fd < 0 || dup2(fd, n) < 0)
				_exit(126);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	res->code = wait_exit(pid, 30);
	read_back(out, res->out, sizeof(res->out));
	read_back(err, res->err, sizeof(res->err));
}

/* argv[n...]: barge-runtime --root t_root, then the arguments in ap. */
static void runtime_argv(char *argv[64], int n, va_list ap)
{
	argv[n++] = (char *)rt_path();
	argv[n++] = "--root";
	argv[n++] = t_root;
	while (n < 63 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	argv[n] = NULL;
}

void rt_run(struct run_result *res, ...)
{
	char *argv[64];
	va_list ap;

	va_start(ap, res);
	runtime_argv(argv, 0, ap);
	va_end(ap);
	run_argv(res, argv, NULL, -1);
}

void rt_run_leaking(struct run_result *res, const char *dir, int n, ...)
{
	char *argv[64];
	va_list ap;

	va_start(ap, n);
	runtime_argv(argv, 0, ap);
	va_end(ap);
	run_argv(res, argv, dir, n);
}

void rt_bundle(const char *args, bool terminal, const char *extra)
{
	rt_bundle_linux(args, terminal, "", extra);
}

void rt_bundle_linux(const char *args, bool terminal, const char *linux_extra,
		     const char *extra)
{
	rt_bundle_full(args, terminal, "", linux_extra, extra);
}

void rt_bundle_full(const char *args, bool terminal, const char *process_extra,
		    const char *linux_extra, const char *extra)
{
	char path[PATH_MAX], rootfs[PATH_MAX];
	FILE *f;

	ck_assert(realpath(test_rootfs(), rootfs));
	snprintf(path, sizeof(path), "%s/config.json", t_bundle);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f,
		"{\"ociVersion\": \"1.0.2\",\n"
		" \"process\": {\"terminal\": %s, \"user\": {\"uid\": 0, "
		"\"gid\": 0},\n"
		"   \"args\": [%s], \"env\": [\"PATH=/bin:/usr/bin\"], "
		"\"cwd\": \"/\"%s},\n"
		" \"root\": {\"path\": \"%s\", \"readonly\": true},\n"
		" \"hostname\": \"t5\",\n"
		" \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", "
		"\"source\": \"proc\"},\n"
		"   {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": "
		"\"tmpfs\", \"options\": [\"nosuid\", \"mode=755\"]},\n"
		"   {\"destination\": \"/dev/pts\", \"type\": \"devpts\", "
		"\"source\": \"devpts\", \"options\": [\"newinstance\", "
		"\"ptmxmode=0666\"]}],\n"
		" \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": "
		"\"mount\"}, {\"type\": \"uts\"}, {\"type\": \"ipc\"}, "
		"{\"type\": \"network\"}, {\"type\": \"cgroup\"}]%s}\n"
		" %s}\n",
		terminal ? "true" : "false", args, process_extra, rootfs,
		linux_extra, extra);
	ck_assert_int_eq(fclose(f), 0);
}

int rt_state_pid(const char *id, char *status, size_t size)
{
	struct run_result r;
	const char *p;

	rt_run(&r, "state", (char *)id, NULL);
	if (r.code != 0)
		return -1;
	p = strstr(r.out, "\"status\"");
	if (p && status)
		sscanf(p, "\"status\": \"%[a-z]", status);
	(void)size;
	p = strstr(r.out, "\"pid\"");
	return p ? atoi(strchr(p, ':') + 1) : -1;
}

ssize_t slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

const char *repo_path(const char *rel, char *buf, size_t size)
{
	char exe[PATH_MAX], *p;
	int i;

	if (!realpath("/proc/self/exe", exe))
		return NULL;
	for (i = 0; i < 3; i++) {
		p = strrchr(exe, '/');
		if (!p)
			return NULL;
		*p = '\0';
	}
	snprintf(buf, size, "%s/%s", exe, rel);
	return buf;
}
