/* SPDX-License-Identifier: MIT */
/*
 * bundle_util.c - see bundle_util.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_util.h"

#define MAX_ARGS       64
#define SCRATCH_PREFIX "/tmp/barge-t05-"

void run_with(struct run_result *r, const char *const flags[],
	      const char *const cmd[])
{
	char *args[MAX_ARGS] = { "run", "--rootfs", (char *)test_rootfs() };
	int n = 3, i;

	for (i = 0; flags && flags[i] && n < MAX_ARGS - 8; i++)
		args[n++] = (char *)flags[i];
	args[n++] = "--";
	for (i = 0; cmd[i] && n < MAX_ARGS - 1; i++)
		args[n++] = (char *)cmd[i];
	args[n] = NULL;
	barge_runv(r, 60, args);
}

const char *ok_with(struct run_result *r, const char *const flags[],
		    const char *const cmd[])
{
	require_root();
	run_with(r, flags, cmd);
	ck_assert_msg(r->code == 0, "%s %s exited %d; stderr: %s", cmd[0],
		      cmd[1] ? cmd[1] : "", r->code, r->err);
	return chomp(r->out);
}

void assert_one_line(const struct run_result *r, const char *what)
{
	ck_assert_msg(strstr(r->err, what), "'%s' not in: %s", what, r->err);
	ck_assert_msg(strchr(r->err, '\n') == r->err + strlen(r->err) - 1,
		      "the error is not one line: %s", r->err);
}

const char *chapter_program(const char *name)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *p = buf[next++ % 4], *slash;

	snprintf(p, PATH_MAX, "%s", test_barge());
	slash = strrchr(p, '/');
	ck_assert_msg(slash, "BARGE is not a path: %s", p);
	snprintf(slash + 1, PATH_MAX - (slash + 1 - p), "%s", name);
	ck_assert_msg(access(p, X_OK) == 0, "no %s next to barge: %s", name, p);
	return p;
}

void scratch_dir(char *dir)
{
	strcpy(dir, SCRATCH_PREFIX "XXXXXX");
	ck_assert_msg(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	ck_assert_int_eq(chmod(dir, 0755), 0);
}

void remove_tree(const char *dir)
{
	if (strncmp(dir, SCRATCH_PREFIX, strlen(SCRATCH_PREFIX)) != 0 ||
	    strstr(dir, ".."))
		return;
	remove_scratch(dir);
}

void copy_tree(const char *src, const char *dst)
{
	char cmd[PATH_MAX * 2 + 32];

	snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s'", src, dst);
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
}

void write_text(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "we");

	ck_assert_msg(f, "create %s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static void read_back(int fd, char *buf, size_t size)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, size - 1);
	buf[n < 0 ? 0 : n] = '\0';
	close(fd);
}

/* Files, not pipes: a container that outlives its runtime (a bug) keeps
 * a pipe open, and the test would wait for it. */
void command_run(struct run_result *r, int timeout_s, char *const argv[])
{
	command_run_leaking(r, timeout_s, argv, NULL, -1);
}

void command_run_leaking(struct run_result *r, int timeout_s,
			 char *const argv[], const char *dir, int n)
{
	int out, err;
	pid_t pid;

	memset(r, 0, sizeof(*r));
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
		fprintf(stderr, "test: exec %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	r->code = wait_exit(pid, timeout_s);
	read_back(out, r->out, sizeof(r->out));
	read_back(err, r->err, sizeof(r->err));
}

void runtime_run(struct run_result *r, ...)
{
	char *argv[MAX_ARGS];
	va_list ap;
	int n = 0;

	argv[n++] = (char *)chapter_program("barge-runtime");
	va_start(ap, r);
	while (n < MAX_ARGS - 1 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	command_run(r, 60, argv);
}

/* The content of dir/name ("" if there is none). */
static void read_all_of(const char *dir, const char *name, char *buf,
			size_t size)
{
	char path[PATH_MAX];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (f) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* Its first line. */
static void read_line_of(const char *dir, const char *name, char *buf,
			 size_t size)
{
	read_all_of(dir, name, buf, size);
	buf[strcspn(buf, "\n")] = '\0';
}

void capture_bundle(struct capture *c, const char *const flags[], bool via_env)
{
	char dir[64], script[PATH_MAX], text[2048], path[PATH_MAX];
	const char *all[MAX_ARGS];
	const char *cmd[] = { "probe", "exit", "0", NULL };
	struct run_result *r = malloc(sizeof(*r));
	json_error_t jerr;
	int n = 0, i;

	require_root();
	ck_assert_ptr_nonnull(r);
	memset(c, 0, sizeof(*c));
	scratch_dir(dir);
	snprintf(script, sizeof(script), "%s/runtime", dir);
	snprintf(text, sizeof(text),
		 "#!/bin/sh\n"
		 "# barge runs RUNTIME run --bundle DIR ID: keep the bundle.\n"
		 "[ $# = 4 ] && [ \"$1\" = run ] && [ \"$2\" = --bundle ] ||"
		 " exit 99\n"
		 "cp \"$3/config.json\" \"$3/hostname\" %s/ &&\n"
		 "echo \"$3\" > %s/bundle && echo \"$4\" > %s/id &&\n"
		 "ls -A \"$3\" > %s/files\n",
		 dir, dir, dir, dir);
	write_text(script, text, 0755);
	if (!via_env) {
		all[n++] = "--runtime";
		all[n++] = script;
	}
	for (i = 0; flags && flags[i] && n < MAX_ARGS - 1; i++)
		all[n++] = flags[i];
	all[n] = NULL;
	if (via_env)
		setenv("BARGE_RUNTIME", script, 1);
	run_with(r, all, cmd);
	unsetenv("BARGE_RUNTIME");
	read_line_of(dir, "bundle", c->bundle, sizeof(c->bundle));
	read_line_of(dir, "id", c->id, sizeof(c->id));
	read_line_of(dir, "hostname", c->hostname, sizeof(c->hostname));
	read_all_of(dir, "files", c->files, sizeof(c->files));
	snprintf(path, sizeof(path), "%s/config.json", dir);
	c->config = json_load_file(path, 0, &jerr);
	remove_tree(dir);
	ck_assert_msg(c->id[0],
		      "barge did not run the runtime %s (exit %d): %s", script,
		      r->code, r->err);
	ck_assert_msg(r->code == 0,
		      "barge with a runtime that only copies the bundle "
		      "exited %d: %s",
		      r->code, r->err);
	free(r);
	ck_assert_msg(c->config, "config.json from barge: %s (line %d)",
		      jerr.text, jerr.line);
}

void capture_free(struct capture *c)
{
	json_decref(c->config);
	c->config = NULL;
}

json_t *jget(json_t *root, const char *path)
{
	char key[128];
	const char *dot;
	size_t n;

	while (root && *path) {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		ck_assert_uint_lt(n, sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		root = json_object_get(root, key);
		path += n + (dot ? 1 : 0);
	}
	return root;
}

const char *jstr(json_t *root, const char *path)
{
	json_t *v = jget(root, path);

	ck_assert_msg(json_is_string(v), "config.json: %s is not a string",
		      path);
	return json_string_value(v);
}

long long jint(json_t *root, const char *path)
{
	json_t *v = jget(root, path);

	ck_assert_msg(json_is_integer(v), "config.json: %s is not an integer",
		      path);
	return json_integer_value(v);
}

bool jhas(json_t *array, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(array, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
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

json_t *oci_config(const char *name, const char *const cmd[])
{
	char rel[128], path[PATH_MAX], rootfs[PATH_MAX];
	json_t *config, *args = json_array();
	json_error_t jerr;
	int i;

	snprintf(rel, sizeof(rel), "tests/oci-configs/%s", name);
	ck_assert(repo_path(rel, path, sizeof(path)));
	config = json_load_file(path, 0, &jerr);
	ck_assert_msg(config, "%s: %s", path, jerr.text);
	ck_assert(realpath(test_rootfs(), rootfs));
	for (i = 0; cmd[i]; i++)
		json_array_append_new(args, json_string(cmd[i]));
	json_object_set_new(jget(config, "root"), "path", json_string(rootfs));
	json_object_set_new(jget(config, "process"), "terminal", json_false());
	json_object_set_new(jget(config, "process"), "args", args);
	return config;
}

void write_config(const char *dir, json_t *config)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/config.json", dir);
	ck_assert_int_eq(json_dump_file(config, path, JSON_INDENT(2)), 0);
}

bool cgroup_exists(const char *id)
{
	char pattern[256];
	bool found;
	glob_t g;

	snprintf(pattern, sizeof(pattern), "/sys/fs/cgroup/{*/,}barge/%s", id);
	found = glob(pattern, GLOB_BRACE | GLOB_ONLYDIR, NULL, &g) == 0;
	globfree(&g);
	return found;
}

bool host_accounts_swap(void)
{
	bool found;
	glob_t g;

	if (access("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", F_OK) ==
	    0)
		return true;
	found = glob("/sys/fs/cgroup/*/memory.swap.max", 0, NULL, &g) == 0;
	globfree(&g);
	return found;
}

static int not_dot(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

char *dir_listing(const char *dir)
{
	struct dirent **names;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int n, i;

	n = scandir(dir, &names, not_dot, alphasort);
	for (i = 0; i < n; i++) {
		fprintf(m, "%s\n", names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	fclose(m);
	return buf;
}

/* Runs in the test runner, not in a test: no ck_assert. */
void bundle_sweep(void)
{
	glob_t g;
	size_t i;

	if (glob(SCRATCH_PREFIX "*", 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++)
			if (!scratch_existed_before(g.gl_pathv[i]))
				remove_tree(g.gl_pathv[i]);
		globfree(&g);
	}
	if (glob("/sys/fs/cgroup/{*/,}barge/t05-*", GLOB_BRACE | GLOB_ONLYDIR,
		 NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++)
			rmdir(g.gl_pathv[i]);
		globfree(&g);
	}
}

void add_loop_test(Suite *s, const TTest *t, int n, int timeout_s)
{
	TCase *tc = tcase_create(t->name);

	tcase_add_unchecked_fixture(tc, NULL, bundle_sweep);
	tcase_add_loop_test(tc, t, 0, n);
	tcase_set_timeout(tc, timeout_s);
	suite_add_tcase(s, tc);
}
