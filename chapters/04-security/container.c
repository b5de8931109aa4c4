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
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "barge.h"
#include "cgroups.h"
#include "log.h"
#include "util.h"

/* The signals barge passes on to the container. */
static const int forwarded_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
};

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

static int wait_forwarding(pid_t child, const sigset_t *mask);
static int exit_code(int status);

static void __attribute__((noreturn))
exec_command(struct container *c, int errfd)
{
	/* execvp searches the PATH we just set, inside the new root. */
	execvp(c->argv[0], c->argv);
	child_fail(errfd, exec_exit_code(errno), -errno, "exec %s", c->argv[0]);
}

/*
 * PID 1 has two duties no ordinary program expects (pid_namespaces(7)):
 * processes orphaned anywhere in the namespace become its children, and
 * it must reap them or they stay zombies; and the kernel delivers to it
 * only the signals it has a handler for, so a SIGTERM to a command that
 * never set one up is simply dropped. A minimal init takes both on: it
 * runs the command as its child, forwards signals to it, reaps everyone,
 * and exits with the command's status.
 */
static void __attribute__((noreturn))
run_init(struct container *c, int errfd, const sigset_t *mask,
	 const sigset_t *old)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, -errno, "fork");
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, old, NULL);
		exec_command(c, errfd);
	}
	/* Our copy of the error pipe must go, or barge never reads EOF. */
	close(errfd);
	status = wait_forwarding(pid, mask);
	_exit(status < 0 ? EXIT_RUNTIME_ERROR : exit_code(status));
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
 * The child, PID 1 of its new namespaces: set them up, then run the
 * command. The order matters: first wait until the parent has put us in
 * our cgroup, and only then make the cgroup namespace, whose root is the
 * cgroup we are in at that moment; the hostname and lo need nothing; the
 * mounts come while c->rootfs, a host path, can still be reached, with
 * pivot_root last of all; the command runs last, as PID 1 itself
 * (--no-init) or as the child of a minimal init.
 *
 * Chapter 04 adds two first steps, entering the rootfs while we are
 * still the host's root (see rootfs.c) and waiting for the uid/gid maps
 * of a user namespace, and a last one before the init: the privileges
 * go, in the order explained above sec_apply() in security.c.
 */
static void __attribute__((noreturn))
child_main(struct container *c, int errfd, int syncfd, const sigset_t *mask,
	   const sigset_t *old)
{
	const char *step;
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
	r = ns_unshare_cgroup();
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r,
			   "unshare the cgroup namespace");
	r = ns_set_hostname(c->hostname);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "set hostname %s",
			   c->hostname);
	r = ns_loopback_up();
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "bring up lo");
	r = rootfs_setup(c, &step);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "rootfs %s: %s",
			   c->rootfs, step);
	r = rootfs_clean_environment();
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "set the environment");
	r = sec_apply(c, &step);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "%s", step);
	if (c->init)
		run_init(c, errfd, mask, old);
	sigprocmask(SIG_SETMASK, old, NULL);
	exec_command(c, errfd);
}

/* Block the signals we forward, and SIGCHLD, so that they wait for
 * sigwaitinfo() instead of interrupting us. */
static int block_signals(sigset_t *mask, sigset_t *old)
{
	size_t i;

	/* A parent that ignored SIGCHLD passed that on to us through exec;
	 * the kernel would then reap our child itself and waitpid() could
	 * never report its status. */
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(mask);
	sigaddset(mask, SIGCHLD);
	for (i = 0; i < ARRAY_SIZE(forwarded_signals); i++)
		sigaddset(mask, forwarded_signals[i]);
	if (sigprocmask(SIG_BLOCK, mask, old) < 0)
		return -errno;
	return 0;
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

/* Turn a wait(2) status into the exit code a shell would show. */
static int exit_code(int status)
{
	/* LAB(exit-status): exit status as is; 128+N for a death by signal N */
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_RUNTIME_ERROR;
	/* LAB STUB: (void)status; */
	/* LAB STUB: return 0; */
	/* LAB END */
}

/* Wait for the child to exit, passing on every signal barge receives.
 * Returns the child's wait status. */
static int wait_forwarding(pid_t child, const sigset_t *mask)
{
	siginfo_t info;
	int status, sig;
	pid_t pid;

	for (;;) {
		sig = sigwaitinfo(mask, &info);
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (sig == SIGCHLD) {
			/* LAB(reap): reap every child that exited, not only ours */
			/* As PID 1 every orphan of the container is our child:
			 * reap them all, or they stay zombies. */
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (pid == child)
					return status;
			/* LAB STUB: (void)pid; */
			/* LAB STUB: if (waitpid(child, &status, WNOHANG) == child) */
			/* LAB STUB: 	return status; */
			/* LAB END */
			continue;
		}
		/* LAB(forward): pass the signal on to the child */
		/* A key pressed on the terminal (^C) already reached the child:
		 * it is in our process group. Forward only what another
		 * process sent to us (si_code <= 0: kill, sigqueue, tkill). */
		if (info.si_code <= 0)
			kill(child, sig);
		/* LAB STUB: (void)info; */
		/* LAB END */
	}
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

	r = block_signals(&mask, &old);
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
	/* A rootless container has no cgroup: cg.drv stays NULL. */
	if (!c->sec.rootless && cg_create(&cg, c) < 0)
		goto out_close_sync;

	r = userns_open_sync(c);
	if (r < 0) {
		log_errno(r, "pipe");
		goto out_destroy_cgroup;
	}
	pid = ns_clone(userns_clone_flags(c));
	if (pid < 0) {
		log_errno(-errno, "clone");
		goto out_close_userns;
	}
	if (pid == 0) {
		close(errpipe[0]);
		close(syncpipe[1]);
		child_main(c, errpipe[1], syncpipe[0], &mask, &old);
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

	status = wait_forwarding(pid, &mask);
	if (status < 0) {
		log_errno(status, "wait for pid %d", pid);
		code = EXIT_RUNTIME_ERROR;
		goto out_close_userns;
	}
	/* Read what the cgroup knows before it goes. */
	code = cg_exit_code(&cg, c, exit_code(status));
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
