/* SPDX-License-Identifier: MIT */
/*
 * harness.c - see harness.h.
 */
#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MAX_ARGS 64

const char *test_barge(void)
{
	const char *p = getenv("BARGE");

	ck_assert_msg(p && *p, "BARGE is not set: run the tests with make");
	return p;
}

const char *test_rootfs(void)
{
	const char *p = getenv("ROOTFS");

	ck_assert_msg(p && *p, "ROOTFS is not set: run the tests with make");
	ck_assert_msg(access(p, F_OK) == 0, "no rootfs at %s: run make rootfs",
		      p);
	return p;
}

void require_root(void)
{
	ck_assert_msg(geteuid() == 0,
		      "this test creates containers and needs root "
		      "(run make test as root)");
}

char *chomp(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* argv = [$BARGE_WRAPPER words...] $BARGE args... */
static void build_argv(char **argv, char *wrapbuf, size_t wrapsize,
		       char *const args[])
{
	const char *wrap = getenv("BARGE_WRAPPER");
	int n = 0, i;
	char *tok, *save;

	if (wrap && *wrap) {
		snprintf(wrapbuf, wrapsize, "%s", wrap);
		for (tok = strtok_r(wrapbuf, " ", &save); tok && n < 16;
		     tok = strtok_r(NULL, " ", &save))
			argv[n++] = tok;
	}
	argv[n++] = (char *)test_barge();
	for (i = 0; args[i] && n < MAX_ARGS - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
}

static void exec_barge(char *const args[])
{
	char *argv[MAX_ARGS], wrapbuf[1024];

	build_argv(argv, wrapbuf, sizeof(wrapbuf), args);
	execvp(argv[0], argv);
	fprintf(stderr, "harness: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int wait_exit(pid_t pid, int timeout_s)
{
	double end = now() + timeout_s;
	int status;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		ck_assert_msg(r == 0, "waitpid %d: %s", pid, strerror(errno));
		if (now() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			ck_abort_msg("barge (pid %d) still running after %d s",
				     pid, timeout_s);
		}
		usleep(10000);
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Append what is readable on fd to buf; 0 at end of file. */
static int drain(int fd, char *buf, size_t size, size_t *len)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n <= 0)
		return n < 0 && errno == EINTR ? 1 : 0;
	if (*len + n >= size)
		n = size - 1 - *len;
	memcpy(buf + *len, tmp, n);
	*len += n;
	buf[*len] = '\0';
	return 1;
}

void barge_runv(struct run_result *res, int timeout_s, char *const args[])
{
	int out[2], err[2];
	size_t lo = 0, le = 0;
	struct pollfd p[2];
	double end = now() + timeout_s;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	ck_assert(pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0);
	pid = fork();
	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		exec_barge(args);
	}
	close(out[1]);
	close(err[1]);
	p[0] = (struct pollfd){ .fd = out[0], .events = POLLIN };
	p[1] = (struct pollfd){ .fd = err[0], .events = POLLIN };
	while ((p[0].fd >= 0 || p[1].fd >= 0) && now() < end) {
		if (poll(p, 2, 100) <= 0)
			continue;
		if (p[0].revents &&
		    !drain(out[0], res->out, sizeof(res->out), &lo))
			p[0].fd = -1;
		if (p[1].revents &&
		    !drain(err[0], res->err, sizeof(res->err), &le))
			p[1].fd = -1;
	}
	close(out[0]);
	close(err[0]);
	res->code = wait_exit(pid, end > now() ? (int)(end - now()) + 1 : 1);
}

void barge_run(struct run_result *res, int timeout_s, ...)
{
	char *args[MAX_ARGS];
	va_list ap;
	int n = 0;

	va_start(ap, timeout_s);
	while (n < MAX_ARGS - 1 && (args[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	barge_runv(res, timeout_s, args);
}

pid_t barge_spawn(int *ret_fd, char *const args[])
{
	int out[2];
	pid_t pid;

	ck_assert(pipe2(out, O_CLOEXEC) == 0);
	pid = fork();
	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(out[1], 1);
		exec_barge(args);
	}
	close(out[1]);
	*ret_fd = out[0];
	return pid;
}

int read_line(int fd, char *buf, size_t size, int timeout_s)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0;

	while (n < size - 1) {
		if (poll(&p, 1, timeout_s * 1000) <= 0)
			return -ETIMEDOUT;
		if (read(fd, buf + n, 1) != 1)
			return -EPIPE;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return n;
}

static void (*test_cleanup)(void);

void set_test_cleanup(void (*fn)(void))
{
	test_cleanup = fn;
}

void add_test(Suite *s, const TTest *t, int timeout_s)
{
	TCase *tc = tcase_create(t->name);

	if (test_cleanup)
		tcase_add_unchecked_fixture(tc, NULL, test_cleanup);

	tcase_add_test(tc, t);
	tcase_set_timeout(tc, timeout_s);
	suite_add_tcase(s, tc);
}

/* Mount points with their filesystem types, one per line. */
char *mount_table(void)
{
	char line[4096], *buf = NULL;
	size_t len = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	FILE *m;

	if (!f)
		return strdup("(cannot open /proc/self/mountinfo)");
	m = open_memstream(&buf, &len);
	while (fgets(line, sizeof(line), f)) {
		char point[PATH_MAX], *dash = strstr(line, " - ");
		char fstype[64];

		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 ||
		    !dash || sscanf(dash, " - %63s", fstype) != 1)
			continue;
		fprintf(m, "%s %s\n", point, fstype);
	}
	fclose(f);
	fclose(m);
	return buf;
}

static char *mounts_before, *files_before;

/*
 * What a test or a barge may leave behind: the tests' scratch files,
 * named /tmp/barge-*, and from chapter 05 on the state directories of
 * barge-runtime's default --root and the bundles barge run writes.
 */
static const char *const scratch_patterns[] = {
	"/tmp/barge-*",
	"/run/barge/*",
	"/run/barge-bundles/*",
};

static char *scratch_files(void)
{
	char *buf = NULL;
	size_t len = 0, i, j;
	FILE *m = open_memstream(&buf, &len);
	glob_t g;

	for (i = 0; i < sizeof(scratch_patterns) / sizeof(*scratch_patterns);
	     i++) {
		if (glob(scratch_patterns[i], 0, NULL, &g) != 0)
			continue;
		for (j = 0; j < g.gl_pathc; j++)
			fprintf(m, "%s\n", g.gl_pathv[j]);
		globfree(&g);
	}
	fclose(m);
	return buf;
}

bool scratch_existed_before(const char *path)
{
	size_t n = strlen(path);
	const char *p = files_before;

	while (p && (p = strstr(p, path))) {
		if ((p == files_before || p[-1] == '\n') && p[n] == '\n')
			return true;
		p += n;
	}
	return false;
}

void leftovers_snapshot(void)
{
	mounts_before = mount_table();
	files_before = scratch_files();
}

/* A process whose root directory is the test rootfs is a container that
 * outlived its test. */
static int container_processes(const char *rootfs, char *pids, size_t size)
{
	char path[300], root[PATH_MAX];
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int found = 0;
	ssize_t n;

	pids[0] = '\0';
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/root", d->d_name);
		n = readlink(path, root, sizeof(root) - 1);
		if (n <= 0)
			continue;
		root[n] = '\0';
		if (strncmp(root, rootfs, strlen(rootfs)) != 0)
			continue;
		found++;
		strncat(pids, d->d_name, size - strlen(pids) - 2);
		strncat(pids, " ", size - strlen(pids) - 1);
	}
	if (dir)
		closedir(dir);
	return found;
}

START_TEST(no_leftovers)
{
	char pids[1024], *after = mount_table();
	char rootfs[PATH_MAX];

	ck_assert_msg(mounts_before, "no snapshot taken before the tests");
	ck_assert_msg(strcmp(mounts_before, after) == 0,
		      "the mount table changed during the tests.\n"
		      "before:\n%s\nafter:\n%s",
		      mounts_before, after);
	ck_assert(realpath(test_rootfs(), rootfs));
	ck_assert_msg(container_processes(rootfs, pids, sizeof(pids)) == 0,
		      "container processes left running: %s", pids);
	free(after);
	after = scratch_files();
	ck_assert_msg(strcmp(files_before, after) == 0,
		      "scratch files, container states or bundles left "
		      "behind.\nbefore:\n%s\nafter:\n%s",
		      files_before, after);
	free(after);
}
END_TEST

Suite *leftovers_suite(void)
{
	Suite *s = suite_create("leftovers");

	add_test(s, no_leftovers, 30);
	return s;
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

void remove_scratch(const char *dir)
{
	if (strncmp(dir, "/tmp/barge-", 11) != 0 || strstr(dir, ".."))
		return;
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 &&
	    errno != ENOENT)
		fprintf(stderr, "test: could not remove %s: %s\n", dir,
			strerror(errno));
}
