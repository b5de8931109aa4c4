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
 *     container_create()).
 *
 * Chapter 05 splits the run in two, as the OCI runtime spec wants:
 * container_create() sets everything up and returns once the child is
 * ready, waiting before exec on a fifo that "start", a later process,
 * opens; container_wait() is what "run" does next. The error pipe now
 * carries three kinds of message up: an error, a request to run the
 * runtime's hooks before pivot_root, and "ready".
 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "barge.h"
#include "cgroups.h"
#include "oci_config.h"
#include "log.h"
#include "log_sink.h"
#include "util.h"

/* The signals barge passes on to the container. */
static const int forwarded_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
};

/* What the child sends up the error pipe. */
enum child_report {
	CHILD_ERROR, /* it cannot reach exec: why */
	CHILD_HOOKS, /* run the runtime's hooks, then write a byte */
	CHILD_READY, /* set up; waiting for start */
};

struct child_error {
	int kind;      /* enum child_report */
	int err;       /* negative errno */
	int exit_code; /* what barge exits with */
	char msg[256]; /* what failed, on which object */
};

/* In the child: report a failure to the parent, then exit. */
static void __attribute__((noreturn, format(printf, 4, 5)))
child_fail(int errfd, int exit_code, int err, const char *fmt, ...)
{
	struct child_error e = { .kind = CHILD_ERROR,
				 .err = err,
				 .exit_code = exit_code };
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
	(void)c;
	execvp(c->argv[0], c->argv);
	if (errfd < 0) /* after start: create has gone, stderr is all */
		_exit((log_errno(-errno, "exec %s", c->argv[0]),
		       exec_exit_code(errno)));
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
	if (errfd >= 0)
		close(errfd);
	status = wait_forwarding(pid, mask);
	_exit(status < 0 ? EXIT_RUNTIME_ERROR : exit_code(status));
}

/* The parent sends one byte once we are in our cgroup; end of file means
 * it gave up, and has said why. */
static void wait_for_parent(int syncfd)
{
	char byte;

	if (read_full(syncfd, &byte, 1) != 1)
		_exit(EXIT_RUNTIME_ERROR);
}

/* The child's ends of the pipes, for container_create_hooks(), which the
 * rootfs pipeline calls just before pivot_root. */
static int child_errfd = -1, child_syncfd = -1;

/* Has config.json hooks for the parent to run before pivot_root? Without,
 * we do not ask: a round trip through both pipes that does nothing costs
 * two wake-ups, a tenth of a millisecond or more. */
static bool has_runtime_hooks(const struct container *c)
{
	const struct oci_config *oc = c->oci.oci;

	return !oc || oc->hooks[OCI_HOOK_PRESTART].n ||
	       oc->hooks[OCI_HOOK_CREATE_RUNTIME].n;
}

/*
 * Chapter 05: the hooks of config.json that run while the container is
 * set up but has not pivoted yet (runtime.md, "Lifecycle" steps 5-6):
 * the parent runs prestart and createRuntime in the runtime's namespaces
 * (it asks, we wait), then we run createContainer in ours.
 */
int container_create_hooks(const struct container *c)
{
	struct child_error e = { .kind = CHILD_HOOKS };

	if (!c->oci.runtime_hooks)
		return 0;
	if (has_runtime_hooks(c)) {
		if (write_full(child_errfd, &e, sizeof(e)) < 0)
			return -EPIPE;
		wait_for_parent(child_syncfd);
	}
	return process_hook(c, OCI_HOOK_CREATE_CONTAINER);
}

/* Tell the parent we are ready, and let go of the error pipe: from here
 * on the parent (create) is gone, and errors go to our stderr. */
static void report_ready(int errfd)
{
	struct child_error e = { .kind = CHILD_READY };

	write_full(errfd, &e, sizeof(e));
	close(errfd);
}

/*
 * The child, PID 1 of its new namespaces: set them up, then run the
 * command. The order matters: first wait until the parent has put us in
 * our cgroup (chapter 05: on v1, we join it ourselves, cg_join), and only
 * then make the cgroup namespace, whose root is the cgroup we are in at
 * that moment; the hostname and lo need nothing; the mounts come while
 * c->rootfs, a host path, can still be reached, with pivot_root last of
 * all; the command runs last, as PID 1 itself (--no-init) or as the child
 * of a minimal init.
 *
 * Chapter 04 adds a first step, waiting for the uid/gid maps of a user
 * namespace, and a last one before the init: the privileges go, in the
 * order explained above sec_apply() in security.c.
 *
 * Chapter 05 joins the namespaces config.json names by path first, sets
 * up process.env, cwd and the terminal after pivot_root, checks that the
 * command exists (create must fail if it does not), and then, ready,
 * waits for "start" before the startContainer hooks and exec.
 */
static void __attribute__((noreturn))
child_main(struct container *c, int errfd, int syncfd, const sigset_t *mask,
	   const sigset_t *old)
{
	const char *step;
	int r;

	child_errfd = errfd;
	child_syncfd = syncfd;
	r = userns_child_wait(c);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r,
			   "become root of the user namespace");
	r = ns_join(c, false);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r,
			   "join config.json's namespaces");
	wait_for_parent(syncfd);
	r = cg_join(c->cg);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "cgroup: join %s",
			   c->cg->failed);
	r = (c->oci.ns_flags & CLONE_NEWCGROUP) ? ns_unshare_cgroup() : 0;
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r,
			   "unshare the cgroup namespace");
	r = (c->oci.ns_flags & CLONE_NEWUTS) && c->hostname
		    ? ns_set_hostname(c->hostname)
		    : 0;
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "set hostname %s",
			   c->hostname);
	r = (c->oci.ns_flags & CLONE_NEWNET) ? ns_loopback_up() : 0;
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "bring up lo");
	r = rootfs_setup(c, &step);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "rootfs %s: %s",
			   c->rootfs, step);
	r = process_setup(c, &step);
	if (r < 0)
		child_fail(errfd, exec_exit_code(-r), r, "%s %s", step,
			   c->argv[0]);
	process_close_fds(c, errfd, syncfd);
	r = sec_apply(c, &step);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "%s", step);
	close(syncfd);
	report_ready(errfd);
	/* Waiting for start: a kill or a delete --force may come instead. */
	r = process_wait_start(c);
	if (r < 0)
		_exit(EXIT_RUNTIME_ERROR);
	if (c->init)
		run_init(c, -1, mask, old);
	sigprocmask(SIG_SETMASK, old, NULL);
	exec_command(c, -1);
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

/* Read the child's reports until it is ready: 0 then, else the exit code
 * after printing what went wrong. */
static int read_child_reports(struct container *c, pid_t pid, int fd,
			      int syncfd)
{
	struct child_error e;
	ssize_t n;

	for (;;) {
		n = read_full(fd, &e, sizeof(e));
		if (n < 0)
			return log_errno(n, "read from child"),
			       EXIT_RUNTIME_ERROR;
		if (n != sizeof(e)) {
			log_error("child died before it could run the command");
			return EXIT_RUNTIME_ERROR;
		}
		if (e.kind == CHILD_READY)
			return 0;
		if (e.kind == CHILD_ERROR) {
			c->oci.exit_code = e.exit_code;
			break;
		}
		/* CHILD_HOOKS: a failed hook has said why */
		if (c->oci.runtime_hooks(c, pid) < 0 ||
		    write_full(syncfd, "1", 1) < 0)
			return EXIT_RUNTIME_ERROR;
	}
	e.msg[sizeof(e.msg) - 1] = '\0';
	/* chapter 05: through the runtime's log (--log), where conmon looks */
	log_sink_errno(LOG_LEVEL_ERROR, e.err, "%s", e.msg);
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

	/* chapter 05: the child may have exited already, its SIGCHLD taken
	 * by someone else's wait (a hook's): look before waiting. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (pid == child)
			return status;
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

/* Before clone: the pid namespace to join is the children's (setns(2)),
 * and the console socket connected while its path can be reached. */
static int prepare_parent(struct container *c)
{
	int r;

	r = ns_join(c, true);
	if (r < 0)
		return log_errno(r, "join the pid namespace of config.json");
	return 0;
}

/* Stop a child that will not be a container, and remove its cgroup. */
static void abandon(struct container *c, pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	container_destroy(c);
}

pid_t container_create(struct container *c)
{
	static struct cgroup cg;
	int errpipe[2], syncpipe[2], r;
	sigset_t mask, old;
	pid_t pid = -1;

	c->cg = &cg;
	r = block_signals(&mask, &old);
	if (r < 0)
		return log_errno(r, "block signals");
	if (pipe2(errpipe, O_CLOEXEC) < 0)
		return log_errno(-errno, "pipe");
	if (pipe2(syncpipe, O_CLOEXEC) < 0) {
		r = log_errno(-errno, "pipe");
		goto out_close_pipe;
	}
	/* A rootless container has no cgroup: cg.drv stays NULL. */
	r = !c->sec.rootless ? cg_create(&cg, c) : 0;
	if (r < 0)
		goto out_close_sync;
	r = userns_open_sync(c);
	if (r >= 0)
		r = prepare_parent(c);
	if (r < 0) {
		log_errno(r, "prepare the container");
		goto out_destroy_cgroup;
	}
	pid = ns_clone(c->oci.ns_flags | userns_clone_flags(c));
	if (pid < 0) {
		r = log_errno(-errno, "clone");
		goto out_destroy_cgroup;
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
		abandon(c, pid);
		goto out_close_sync;
	}
	r = release_into_cgroup(&cg, pid, syncpipe[1]);
	if (r >= 0 && read_child_reports(c, pid, errpipe[0], syncpipe[1]) != 0)
		r = -ECANCELED;
	if (r < 0) {
		abandon(c, pid);
		goto out_close_sync;
	}
	r = pid;
	goto out_close_sync;
out_destroy_cgroup:
	container_destroy(c);
out_close_sync:
	userns_close_sync(c);
	close(syncpipe[0]);
	close(syncpipe[1]);
out_close_pipe:
	close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
	return r;
}

int container_wait(struct container *c, pid_t pid)
{
	sigset_t mask, old;
	int status, r;

	r = block_signals(&mask, &old);
	if (r < 0)
		return log_errno(r, "block signals"), EXIT_RUNTIME_ERROR;
	status = wait_forwarding(pid, &mask);
	if (status < 0) {
		log_errno(status, "wait for pid %d", pid);
		return EXIT_RUNTIME_ERROR;
	}
	/* Read what the cgroup knows before it goes. */
	if (!c->cg)
		return exit_code(status);
	r = cg_exit_code(c->cg, c, exit_code(status));
	if (c->stats)
		cg_print_stats(c->cg);
	return r;
}

/* Chapter 05: barge runs barge-runtime this way. The signals are blocked
 * before fork: a SIGCHLD that came before sigwaitinfo() would otherwise
 * be lost, and we would wait forever. */
int container_spawn(char *const argv[])
{
	sigset_t mask, old;
	int status, r;
	pid_t pid;

	r = block_signals(&mask, &old);
	if (r < 0)
		return log_errno(r, "block signals"), EXIT_RUNTIME_ERROR;
	pid = fork();
	if (pid < 0)
		return log_errno(-errno, "fork"), EXIT_RUNTIME_ERROR;
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		execv(argv[0], argv);
		log_errno(-errno, "exec %s", argv[0]);
		_exit(EXIT_RUNTIME_ERROR);
	}
	status = wait_forwarding(pid, &mask);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (status < 0)
		return log_errno(status, "wait for pid %d", pid),
		       EXIT_RUNTIME_ERROR;
	return exit_code(status);
}

void container_destroy(struct container *c)
{
	if (c->cg)
		cg_destroy(c->cg);
}
