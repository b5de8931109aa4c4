/* SPDX-License-Identifier: MIT */
/*
 * container.c - run a command as a child process, the way every container
 * runtime ends up doing it: fork, exec, wait.
 *
 * Four problems make this more than three lines:
 *
 *  1. exec can fail in the child, after fork has already succeeded. The
 *     parent learns about it through a close-on-exec pipe: a successful
 *     exec closes the pipe (the parent reads end-of-file); a failed one
 *     writes the error into it.
 *  2. The exit status must reach our caller unchanged, and a death by
 *     signal N must be visible too: shells report it as 128+N.
 *  3. Signals sent to barge (kill, systemd, docker stop) are meant for the
 *     command, so barge forwards them. The parent blocks those signals and
 *     collects them, with SIGCHLD, synchronously with sigwaitinfo(2): no
 *     signal handler runs at an awkward moment.
 *  4. The container must be in its cgroup before it runs anything of its
 *     own, or it would run, for a moment, without limits. The child waits
 *     on a second pipe until the parent has moved it in (see
 *     container_run()).
 *
 * Chapter 05: this is barge-runtime's code now, and barge, barge-init
 * and barge-runtime all wait for a child the same way: the loop of 2 and
 * 3 moved to common/proc.c. The container's PID 1 is whatever
 * config.json's process.args names: barge asks for its init there.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "barge.h"
#include "cgroups.h"
#include "log.h"
#include "proc.h"
#include "util.h"

/* What the child sends up the error pipe when it cannot reach exec. */
struct child_error {
	int err;       /* negative errno */
	int exit_code; /* what barge exits with */
	char msg[256]; /* what failed, on which object */
};

/* In the child: report a failure to the parent, then exit. */
static void __attribute__((noreturn, format(printf, 4, 5)))
child_fail(int errfd, int exit_code, int err, const char *fmt, ...)
{
	struct child_error e = { .err = err, .exit_code = exit_code };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	write_full(errfd, &e, sizeof(e));
	_exit(exit_code);
}

/* ENOENT means "no such command"; anything else means it is there but the
 * kernel would not run it (not executable, not a binary, ...). */
static int exec_exit_code(int err)
{
	return err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND
					       : EXIT_CANNOT_EXEC;
}

static void __attribute__((noreturn))
exec_command(struct container *c, int errfd)
{
	/* execvp searches the PATH of process.env, inside the new root. */
	execvp(c->argv[0], c->argv);
	child_fail(errfd, exec_exit_code(errno), -errno, "exec %s", c->argv[0]);
}

/* The parent sends one byte once we are in our cgroup; end of file means
 * it gave up, and has said why. */
static void wait_for_cgroup(int syncfd)
{
	char byte;

	if (read_full(syncfd, &byte, 1) != 1)
		_exit(EXIT_RUNTIME_ERROR);
	close(syncfd);
}

/*
 * process.cwd, entered only once no descriptor is open but the error pipe
 * and the log, and resolved inside the new root (open_in_root(), in
 * common/util.c). Otherwise a cwd of "/proc/self/fd/3", with 3 a
 * directory of the host that the caller left open, puts the container's
 * process on the host's filesystem: runc's CVE-2024-21626, where the
 * descriptor was runc's own, of the host's /sys/fs/cgroup.
 */
static int enter_cwd(const struct container *c, int errfd)
{
	int keep[] = { errfd, log_fileno() }, root, fd, r;

	r = close_fds_from(3, keep, ARRAY_SIZE(keep));
	if (r < 0)
		return r;
	root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	fd = open_in_root(root, c->cwd, O_PATH | O_DIRECTORY);
	close(root);
	if (fd < 0)
		return fd;
	r = fchdir(fd) < 0 ? -errno : 0;
	close(fd);
	return r;
}

/*
 * The child, PID 1 of its new namespaces: set them up, then run the
 * command. The order matters: first wait until the parent has put us in
 * our cgroup, and only then make the cgroup namespace, whose root is the
 * cgroup we are in at that moment; the hostname and lo need nothing; the
 * mounts come while c->rootfs, a host path, can still be reached, with
 * pivot_root last of all; the command runs last, as PID 1: from
 * chapter 05 on process.args[0], barge's barge-init unless --no-init.
 *
 * Chapter 04 adds two first steps, entering the rootfs while we are
 * still the host's root (see rootfs.c) and waiting for the uid/gid maps
 * of a user namespace, and a last one before the init: the privileges
 * go, in the order explained above sec_apply() in security.c.
 *
 * Chapter 05: each step only if config.json asks for it (a cgroup
 * namespace, a hostname, a network namespace of its own), and the
 * environment and working directory are process.env and process.cwd,
 * entered once every descriptor of the runtime is closed.
 */
static void __attribute__((noreturn))
child_main(struct container *c, int errfd, int syncfd, const sigset_t *old)
{
	const char *step;
	char **e, adj[16];
	int r;

	r = rootfs_enter(c, &step);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "rootfs %s: %s",
			   c->rootfs, step);
	r = userns_child_wait(c);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r,
			   "become root of the user namespace");
	wait_for_cgroup(syncfd);
	snprintf(adj, sizeof(adj), "%d",
		 c->oom_score_adj ? *c->oom_score_adj : 0);
	r = c->oom_score_adj ? write_file("/proc/self/oom_score_adj", adj) : 0;
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r,
			   "process.oomScoreAdj %d", *c->oom_score_adj);
	r = c->ns_flags & CLONE_NEWCGROUP ? ns_unshare_cgroup() : 0;
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r,
			   "unshare the cgroup namespace");
	r = c->hostname ? ns_set_hostname(c->hostname) : 0;
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "set hostname %s",
			   c->hostname);
	r = c->ns_flags & CLONE_NEWNET ? ns_loopback_up() : 0;
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "bring up lo");
	r = rootfs_setup(c, &step);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "rootfs %s: %s",
			   c->rootfs, step);
	r = enter_cwd(c, errfd);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "process.cwd %s",
			   c->cwd);
	r = sec_apply(c, &step);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "%s", step);
	/* The host's environment is none of the container's business: only
	 * process.env, as docker run does. putenv keeps c's strings. */
	clearenv();
	for (e = c->env; e && *e; e++)
		putenv(*e);
	if (c->umask)
		umask(*c->umask);
	sigprocmask(SIG_SETMASK, old, NULL);
	exec_command(c, errfd);
}

/* Read the child's report: 0 when exec succeeded (end of file), else the
 * exit code after printing what went wrong. */
static int read_child_error(int fd)
{
	struct child_error e;
	ssize_t n;

	n = read_full(fd, &e, sizeof(e));
	if (n < 0)
		return log_errno(n, "read from child"), EXIT_RUNTIME_ERROR;
	if (n == 0)
		return 0;
	if (n != sizeof(e)) {
		log_error("child died before it could run the command");
		return EXIT_RUNTIME_ERROR;
	}
	e.msg[sizeof(e.msg) - 1] = '\0';
	log_errno(e.err, "%s", e.msg);
	return e.exit_code;
}

/*
 * Put the child in its cgroup, then let it go on. Until the byte arrives
 * it has done nothing but wait: no moment runs without limits. (clone3(2)
 * with CLONE_INTO_CGROUP does it in one step, on cgroup v2 only.)
 */
static int release_into_cgroup(struct cgroup *cg, pid_t pid, int syncfd)
{
	int r;

	r = cg_attach(cg, pid);
	if (r < 0)
		return r;
	r = write_full(syncfd, "1", 1);
	if (r < 0)
		log_errno(r, "release the container");
	return r;
}

/* Chapter 04: the seccomp profile as the kernel's BPF program, built
 * before anything exists: a rule libseccomp refuses changes nothing. */
static int compile_filter(struct container *c)
{
	int r;

	if (c->sec.seccomp_unconfined)
		return 0;
	r = profile_compile(&c->sec.profile, &c->sec.seccomp);
	if (r < 0)
		log_errno(r, "build the seccomp filter");
	return r;
}

int container_run(struct container *c)
{
	int errpipe[2], syncpipe[2], status, code, r;
	struct cgroup cg = { 0 };
	sigset_t mask, old;
	pid_t pid;

	r = proc_block_signals(&mask, &old);
	if (r < 0)
		return log_errno(r, "block signals"), EXIT_RUNTIME_ERROR;
	if (compile_filter(c) < 0)
		return EXIT_RUNTIME_ERROR;
	code = EXIT_RUNTIME_ERROR;
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		log_errno(-errno, "pipe");
		goto out_release_filter;
	}
	if (pipe2(syncpipe, O_CLOEXEC) < 0) {
		log_errno(-errno, "pipe");
		goto out_close_pipe;
	}
	/* A rootless container has no cgroup, nor one whose config.json asks
	 * for none: cg.drv stays NULL. */
	if (!c->sec.rootless && c->cgroup_path && cg_create(&cg, c) < 0)
		goto out_close_sync;

	r = userns_open_sync(c);
	if (r < 0) {
		log_errno(r, "pipe");
		goto out_destroy_cgroup;
	}
	pid = ns_clone(c->ns_flags | userns_clone_flags(c));
	if (pid < 0) {
		log_errno(-errno, "clone");
		goto out_close_userns;
	}
	if (pid == 0) {
		close(errpipe[0]);
		close(syncpipe[1]);
		child_main(c, errpipe[1], syncpipe[0], &old);
	}
	/* Close our copy of the write end, or we would never read EOF. */
	close(errpipe[1]);
	errpipe[1] = -1;
	r = userns_write_maps(c, pid);
	if (r < 0) {
		log_errno(r, "write the uid/gid maps of pid %d", pid);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out_close_userns;
	}
	if (release_into_cgroup(&cg, pid, syncpipe[1]) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out_close_userns;
	}
	code = read_child_error(errpipe[0]);
	if (code != 0) {
		waitpid(pid, NULL, 0);
		goto out_close_userns;
	}

	status = proc_wait(pid, &mask);
	if (status < 0) {
		log_errno(status, "wait for pid %d", pid);
		code = EXIT_RUNTIME_ERROR;
		goto out_close_userns;
	}
	/* Read what the cgroup knows before it goes. */
	code = cg_exit_code(&cg, c, proc_exit_code(status));
	if (c->stats)
		cg_print_stats(&cg);
out_close_userns:
	userns_close_sync(c);
out_destroy_cgroup:
	cg_destroy(&cg);
out_close_sync:
	close(syncpipe[0]);
	close(syncpipe[1]);
out_close_pipe:
	close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
out_release_filter:
	if (c->sec.seccomp)
		seccomp_release(c->sec.seccomp);
	c->sec.seccomp = NULL;
	return code;
}
