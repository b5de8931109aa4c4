/* SPDX-License-Identifier: MIT */
/*
 * test_podman.c - real interop: podman runs containers with barge-runtime.
 *
 *	podman --runtime /full/path/barge-runtime run --rm IMAGE CMD
 *
 * podman starts conmon, which runs "barge-runtime create --bundle DIR
 * --pid-file F ID" (with --console-socket for -t) and reaps the
 * container's process as a subreaper; then podman runs start, kill and
 * "delete --force". Each test drives podman itself and looks at what the
 * user sees: the output, the exit code, the terminal.
 *
 * Each test gets a podman of its own, in /tmp/barge-podman-XXXXXX: its
 * storage (--root, --runroot, the vfs driver: no overlay mount), its
 * --tmpdir and TMPDIR, so the host's podman state is never touched; its
 * image is build/rootfs, imported (no network, never a pull); and a
 * mount namespace, so podman's mounts stay out of the host's table.
 * Everything is removed before the test asserts, so a failure leaves
 * nothing either.
 * Containers get --network none: no traffic beyond their own namespace.
 *
 * On this machine podman needs --ulimit nofile=1024:1024 and nproc (its
 * defaults, 1048576 open files, are above the hard limits here, and
 * setrlimit fails in the container, with runc too), and --cgroup-manager
 * cgroupfs (no systemd; hybrid cgroups).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime_util.h"

#define PM_IMAGE "localhost/barge-rootfs"
/* barge-runtime's default --root: podman passes none. */
#define PM_STATE_ROOT "/run/barge"
/* Seconds one podman command may take (each takes about 0.3). The tests'
 * own timeouts add these up, so that a hung podman is killed, and cleaned
 * up after, before Check kills the test. */
#define PM_TIMEOUT 30

static char pm_dir[64], pm_runtime[PATH_MAX];
static time_t pm_started;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Is there an executable name in $PATH, or in dir? */
static bool have_program(const char *name, const char *dir)
{
	char path[PATH_MAX], dirs[4096], *d, *save;

	snprintf(dirs, sizeof(dirs), "%s:%s", getenv("PATH") ?: "/usr/bin",
		 dir);
	for (d = strtok_r(dirs, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/%s", d, name);
		if (access(path, X_OK) == 0)
			return true;
	}
	return false;
}

/* Wait for pid, at most timeout_s seconds, then kill it: its exit code,
 * or -1 on a timeout. Not wait_exit(): that fails the test at once, and
 * this test must clean up first. */
static int wait_or_kill(pid_t pid, int timeout_s)
{
	double end = now_s() + timeout_s;
	int status;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_s() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(10000);
	}
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status)
				   : WEXITSTATUS(status);
}

static void read_back(int fd, char *buf, size_t size)
{
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, size - 1);
	buf[n < 0 ? 0 : n] = '\0';
	close(fd);
}

/* In the child: podman's temporary files go to our directory. */
static void exec_with_tmpdir(char *const argv[])
{
	char tmp[128];

	snprintf(tmp, sizeof(tmp), "%s/tmp", pm_dir);
	setenv("TMPDIR", tmp, 1);
	execvp(argv[0], argv);
	_exit(127);
}

/* Run argv with stdout and stderr in files (memfds), not pipes: reading
 * a pipe to its end would also wait for whatever podman leaves running
 * with a copy of it (conmon, after "run -d"). */
static void run_files(struct run_result *res, int timeout_s, char *const argv[])
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
		exec_with_tmpdir(argv);
	}
	res->code = wait_or_kill(pid, timeout_s);
	read_back(out, res->out, sizeof(res->out));
	read_back(err, res->err, sizeof(res->err));
}

/*
 * Run argv on a pseudo-terminal of its own, as a user at a terminal runs
 * "podman run -t": stdin, stdout, stderr and the controlling terminal
 * are the slave; what it writes is read from the master into res->out
 * (with the terminal's \r\n).
 */
static void run_pty(struct run_result *res, int timeout_s, char *const argv[])
{
	double end = now_s() + timeout_s;
	struct pollfd p = { .events = POLLIN };
	int status, done = 0;
	size_t len = 0;
	pid_t pid;
	ssize_t n;

	memset(res, 0, sizeof(*res));
	p.fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(p.fd, 0);
	ck_assert(grantpt(p.fd) == 0 && unlockpt(p.fd) == 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int slave;

		setsid();
		/* a session leader's first terminal becomes its own */
		slave = open(ptsname(p.fd), O_RDWR);
		if (slave < 0)
			_exit(126);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		exec_with_tmpdir(argv);
	}
	/* Read until it exits and the master has nothing more (EIO: no
	 * slave left open), or the time is up. */
	while (now_s() < end) {
		if (!done && waitpid(pid, &status, WNOHANG) == pid)
			done = 1;
		if (poll(&p, 1, 100) <= 0) {
			if (done)
				break;
			continue;
		}
		n = read(p.fd, res->out + len, sizeof(res->out) - 1 - len);
		if (n <= 0) {
			if (done)
				break;
			usleep(10000);
			continue;
		}
		len += n;
		res->out[len] = '\0';
	}
	close(p.fd);
	if (!done) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		res->code = -1;
		return;
	}
	res->code = WIFSIGNALED(status) ? 128 + WTERMSIG(status)
					: WEXITSTATUS(status);
}

/* "podman --root ... ARGS...": our storage, our runtime; "run" gets the
 * options every run on this machine needs. */
static void pm(struct run_result *res, int timeout_s, bool tty, ...)
{
	static char root[128], runroot[128], tmp[128];
	char *argv[64];
	const char *arg;
	int n = 0, first;
	va_list ap;

	snprintf(root, sizeof(root), "%s/root", pm_dir);
	snprintf(runroot, sizeof(runroot), "%s/runroot", pm_dir);
	snprintf(tmp, sizeof(tmp), "%s/tmp", pm_dir);
	argv[n++] = "podman";
	argv[n++] = "--root";
	argv[n++] = root;
	argv[n++] = "--runroot";
	argv[n++] = runroot;
	argv[n++] = "--tmpdir";
	argv[n++] = tmp;
	argv[n++] = "--storage-driver";
	argv[n++] = "vfs";
	argv[n++] = "--cgroup-manager";
	argv[n++] = "cgroupfs";
	argv[n++] = "--runtime";
	argv[n++] = pm_runtime;
	first = n;
	va_start(ap, tty);
	while (n < 50 && (arg = va_arg(ap, const char *)) != NULL) {
		argv[n++] = (char *)arg;
		if (n == first + 1 && strcmp(arg, "run") == 0) {
			argv[n++] = "--pull=never";
			argv[n++] = "--network=none";
			argv[n++] = "--ulimit=nofile=1024:1024";
			argv[n++] = "--ulimit=nproc=1024:1024";
		}
	}
	va_end(ap);
	argv[n] = NULL;
	if (tty)
		run_pty(res, timeout_s, argv);
	else
		run_files(res, timeout_s, argv);
}

static void pm_teardown(void);

/* A podman of our own, with build/rootfs as its one image; false (the
 * test is skipped, saying why) where podman or conmon is not installed. */
static bool pm_setup(void)
{
	char cmd[PATH_MAX + 256], tar[128], rootfs[PATH_MAX];
	struct run_result r = { .code = -1, .err = "tar failed" };

	require_root();
	if (!have_program("podman", "") ||
	    !have_program("conmon", "/usr/libexec/podman")) {
		fprintf(stderr,
			"%s: skipped: podman or conmon is not "
			"installed (tools/deps installs them)\n",
			tcase_name());
		return false;
	}
	ck_assert(realpath(rt_path(), pm_runtime));
	ck_assert(realpath(test_rootfs(), rootfs));
	/* A mount namespace for this test's process (Check forked it) and
	 * for podman and conmon under it: what podman mounts (a container's
	 * /dev/shm) never shows in the host's mount table, even for a
	 * moment, to a test running alongside. */
	ck_assert_int_eq(unshare(CLONE_NEWNS), 0);
	ck_assert_int_eq(mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL), 0);
	pm_started = time(NULL);
	strcpy(pm_dir, "/tmp/barge-podman-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(pm_dir));
	snprintf(tar, sizeof(tar), "%s/tmp", pm_dir);
	mkdir(tar, 0700);
	snprintf(tar, sizeof(tar), "%s/rootfs.tar", pm_dir);
	snprintf(cmd, sizeof(cmd), "tar -C '%s' -cf '%s' .", rootfs, tar);
	if (system(cmd) == 0)
		pm(&r, PM_TIMEOUT, false, "import", tar, PM_IMAGE, NULL);
	unlink(tar);
	if (r.code != 0) {
		pm_teardown();
		ck_abort_msg("podman import %s: exit %d: %s", rootfs, r.code,
			     r.err);
	}
	return true;
}

/* Processes that name our directory: our podman's conmon, and the
 * "podman container cleanup" conmon runs when a container exits. */
static int helpers_left(bool kill_them)
{
	char path[300], buf[8192];
	int fd, n = 0;
	struct dirent *d;
	ssize_t len;
	DIR *dir = opendir("/proc");

	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9' ||
		    atoi(d->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf));
		close(fd);
		if (len <= 0 || !memmem(buf, len, pm_dir, strlen(pm_dir)))
			continue;
		n++;
		if (kill_them)
			kill(atoi(d->d_name), SIGKILL);
	}
	if (dir)
		closedir(dir);
	return n;
}

/* Unmount what podman left mounted under our directory (a container's
 * /dev/shm, if its cleanup did not run). */
static void umount_ours(void)
{
	char line[4096], mnt[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 &&
		    strncmp(mnt, pm_dir, strlen(pm_dir)) == 0)
			umount2(mnt, MNT_DETACH);
	if (f)
		fclose(f);
}

/* conmon listens for the pty on /tmp/conmon-term.XXXXXX (not $TMPDIR),
 * and leaves the socket behind when create fails. Remove the ones no one
 * listens on any more, made since the test began. */
static void remove_stale_console_sockets(time_t since)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	glob_t g;
	size_t i;
	int fd;

	if (glob("/tmp/conmon-term.*", 0, NULL, &g) != 0)
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		if (lstat(g.gl_pathv[i], &st) < 0 || !S_ISSOCK(st.st_mode) ||
		    st.st_mtime < since)
			continue;
		snprintf(addr.sun_path, sizeof(addr.sun_path), "%s",
			 g.gl_pathv[i]);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 &&
		    connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 &&
		    errno == ECONNREFUSED)
			unlink(g.gl_pathv[i]);
		if (fd >= 0)
			close(fd);
	}
	globfree(&g);
}

/* Remove every container, wait for podman's helpers to finish, then
 * remove the whole directory: storage, image, logs. */
static void pm_teardown(void)
{
	struct run_result r;
	char cmd[256];
	int i;

	pm(&r, PM_TIMEOUT, false, "rm", "--all", "--force", "--time", "0",
	   NULL);
	for (i = 0; i < 1500 && helpers_left(false) > 0; i++)
		usleep(10000);
	helpers_left(true);
	umount_ours();
	remove_stale_console_sockets(pm_started);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", pm_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* run --rm: the command's stdout and stderr reach podman's. */
START_TEST(podman_run_output)
{
	struct run_result r;

	if (!pm_setup())
		return;
	pm(&r, PM_TIMEOUT, false, "run", "--rm", PM_IMAGE, "sh", "-c",
	   "echo to-stdout; echo to-stderr >&2", NULL);
	pm_teardown();
	ck_assert_msg(r.code == 0, "podman run: exit %d: %s", r.code, r.err);
	ck_assert_msg(strcmp(r.out, "to-stdout\n") == 0, "stdout: \"%s\"",
		      r.out);
	ck_assert_msg(strstr(r.err, "to-stderr\n"), "stderr: \"%s\"", r.err);
}
END_TEST

/* podman run exits with the container's exit code: conmon, its init's
 * subreaper, reaped it. */
START_TEST(podman_exit_code)
{
	struct run_result r1, r2;

	if (!pm_setup())
		return;
	pm(&r1, PM_TIMEOUT, false, "run", "--rm", PM_IMAGE, "sh", "-c",
	   "exit 3", NULL);
	pm(&r2, PM_TIMEOUT, false, "run", "--rm", PM_IMAGE, "sh", "-c",
	   "sleep 0.2; exit 42", NULL);
	pm_teardown();
	ck_assert_msg(r1.code == 3, "exit 3: podman exits %d: %s", r1.code,
		      r1.err);
	ck_assert_msg(r2.code == 42, "exit 42: podman exits %d: %s", r2.code,
		      r2.err);
}
END_TEST

/* podman's config.json has a seccomp profile and, by default,
 * noNewPrivileges false: without no_new_privs the filter must be loaded
 * while the process still has CAP_SYS_ADMIN (syscalls.c). */
START_TEST(podman_seccomp_with_and_without_nnp)
{
	struct run_result r1, r2;

	if (!pm_setup())
		return;
	pm(&r1, PM_TIMEOUT, false, "run", "--rm", PM_IMAGE, "grep", "-E",
	   "^(NoNewPrivs|Seccomp):", "/proc/self/status", NULL);
	pm(&r2, PM_TIMEOUT, false, "run", "--rm", "--security-opt",
	   "no-new-privileges", PM_IMAGE, "grep", "-E",
	   "^(NoNewPrivs|Seccomp):", "/proc/self/status", NULL);
	pm_teardown();
	ck_assert_msg(r1.code == 0 &&
			      strcmp(r1.out, "NoNewPrivs:\t0\nSeccomp:\t2\n") ==
				      0,
		      "default: exit %d: \"%s\" %s", r1.code, r1.out, r1.err);
	ck_assert_msg(r2.code == 0 &&
			      strcmp(r2.out, "NoNewPrivs:\t1\nSeccomp:\t2\n") ==
				      0,
		      "no-new-privileges: exit %d: \"%s\" %s", r2.code, r2.out,
		      r2.err);
}
END_TEST

/* -t: conmon gets the pty's master through --console-socket, and the
 * command sees a terminal; without -t it sees conmon's pipes. */
START_TEST(podman_tty)
{
	struct run_result t, nt;

	if (!pm_setup())
		return;
	pm(&t, PM_TIMEOUT, true, "run", "--rm", "-t", PM_IMAGE, "sh", "-c",
	   "tty; exit 4", NULL);
	pm(&nt, PM_TIMEOUT, true, "run", "--rm", PM_IMAGE, "tty", NULL);
	pm_teardown();
	ck_assert_msg(t.code == 4 && strstr(t.out, "/dev/pts/0"),
		      "run -t: exit %d, output \"%s\"", t.code, t.out);
	ck_assert_msg(nt.code == 1 && strstr(nt.out, "not a tty"),
		      "run without -t: exit %d, output \"%s\"", nt.code,
		      nt.out);
}
END_TEST

/* run -d, then stop: kill with SIGTERM (the command traps it and exits
 * 0), then delete --force through conmon's cleanup; rm leaves no state. */
START_TEST(podman_detach_and_stop)
{
	struct run_result d, st, stop, ins, rm;
	char id[80] = "", state[PATH_MAX];
	bool had_state = false, has_state = true;

	if (!pm_setup())
		return;
	pm(&d, PM_TIMEOUT, false, "run", "-d", PM_IMAGE, "sh", "-c",
	   "trap 'exit 0' TERM; while :; do sleep 0.1; done", NULL);
	if (d.code == 0)
		snprintf(id, sizeof(id), "%s", chomp(d.out));
	snprintf(state, sizeof(state), "%s/%s", PM_STATE_ROOT, id);
	had_state = id[0] && access(state, F_OK) == 0;
	run_files(
		&st, 30,
		(char *const[]){ pm_runtime, "state", id[0] ? id : "-", NULL });
	pm(&stop, PM_TIMEOUT, false, "stop", "--time", "10", id[0] ? id : "-",
	   NULL);
	pm(&ins, PM_TIMEOUT, false, "inspect", "--format",
	   "{{.State.Status}} {{.State.ExitCode}}", id[0] ? id : "-", NULL);
	pm(&rm, PM_TIMEOUT, false, "rm", id[0] ? id : "-", NULL);
	has_state = id[0] && access(state, F_OK) == 0;
	pm_teardown();
	ck_assert_msg(d.code == 0 && strlen(id) == 64, "run -d: exit %d: %s",
		      d.code, d.err);
	ck_assert_msg(had_state, "no %s while it ran", state);
	ck_assert_msg(st.code == 0 && strstr(st.out, "\"running\""),
		      "barge-runtime state %s: %s%s", id, st.out, st.err);
	ck_assert_msg(stop.code == 0, "podman stop: exit %d: %s", stop.code,
		      stop.err);
	ck_assert_msg(strcmp(chomp(ins.out), "exited 0") == 0,
		      "after stop, podman inspect says \"%s\" %s", ins.out,
		      ins.err);
	ck_assert_msg(rm.code == 0, "podman rm: exit %d: %s", rm.code, rm.err);
	ck_assert_msg(!has_state, "%s is left after podman rm", state);
}
END_TEST

/* create fails before start, and podman maps the runtime's message to
 * the shell's codes: 127 for a command that does not exist, 126 for one
 * that cannot be run. */
START_TEST(podman_command_errors)
{
	struct run_result r1, r2;

	if (!pm_setup())
		return;
	pm(&r1, PM_TIMEOUT, false, "run", "--rm", PM_IMAGE, "no-such-command",
	   NULL);
	pm(&r2, PM_TIMEOUT, false, "run", "--rm", PM_IMAGE, "/etc/passwd",
	   NULL);
	pm_teardown();
	ck_assert_msg(r1.code == 127 && strstr(r1.err, "no-such-command"),
		      "a missing command: podman exits %d: %s", r1.code,
		      r1.err);
	ck_assert_msg(r2.code == 126 && strstr(r2.err, "/etc/passwd"),
		      "a file that is not a program: podman exits %d: %s",
		      r2.code, r2.err);
}
END_TEST

/* podman passes "--log-format=json --log FILE" only to runtimes it knows
 * write JSON logs, by name: crun, runc... Called crun, barge-runtime gets
 * them, and podman shows the "msg" of the last error in FILE (no
 * "barge-runtime:" prefix, which only stderr's messages have). */
START_TEST(podman_json_log)
{
	char link[128], real[PATH_MAX];
	struct run_result r;

	if (!pm_setup())
		return;
	snprintf(link, sizeof(link), "%s/crun", pm_dir);
	strcpy(real, pm_runtime);
	if (symlink(real, link) == 0) {
		strcpy(pm_runtime, link);
		pm(&r, PM_TIMEOUT, false, "run", "--rm", PM_IMAGE,
		   "no-such-command", NULL);
		strcpy(pm_runtime, real);
	} else {
		snprintf(r.err, sizeof(r.err), "symlink %s: %s", link,
			 strerror(errno));
		r.code = -1;
	}
	pm_teardown();
	ck_assert_msg(r.code == 127 &&
			      strstr(r.err, "crun: find no-such-command: "
					    "No such file"),
		      "podman exits %d: %s", r.code, r.err);
}
END_TEST

void add_podman_tests(Suite *s)
{
	add_test(s, podman_run_output, 150);
	add_test(s, podman_exit_code, 180);
	add_test(s, podman_seccomp_with_and_without_nnp, 180);
	add_test(s, podman_tty, 180);
	add_test(s, podman_detach_and_stop, 240);
	add_test(s, podman_command_errors, 180);
	add_test(s, podman_json_log, 150);
}
