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
 *
 * Chapter 06 splits the run in two, as the OCI runtime spec wants:
 * container_create() sets everything up and returns once the child is
 * ready, waiting before exec on a fifo that "start", a later process,
 * opens; container_wait() is what "run" does next. The error pipe now
 * carries three kinds of message up: an error, a request to run the
 * runtime's hooks before pivot_root, and "ready".
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
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "barge.h"
#include "cgroups.h"
#include "log.h"
#include "proc.h"
#include "util.h"

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

static void __attribute__((noreturn))
exec_command(struct container *c, int errfd)
{
	/* execvp searches the PATH of process.env, inside the new root. */
	int err;

	execvp(c->argv[0], c->argv);
	err = errno;
	if (errfd < 0) { /* after start: create has gone, stderr is all */
		log_errno(-err, "exec %s", c->argv[0]);
		_exit(exec_exit_code(err));
	}
	child_fail(errfd, exec_exit_code(err), -err, "exec %s", c->argv[0]);
}

/* The parent sends one byte once we are in our cgroup (chapter 06: or
 * its hooks have run); end of file means it gave up, and has said why. */
static void wait_for_parent(int syncfd)
{
	char byte;

	if (read_full(syncfd, &byte, 1) != 1)
		_exit(EXIT_RUNTIME_ERROR);
}

/* The child's ends of the pipes, for container_create_hooks(), which the
 * rootfs pipeline calls just before pivot_root. */
static int child_errfd = -1, child_syncfd = -1;

/*
 * Chapter 06: the hooks of config.json that run while the container is
 * set up but has not pivoted yet (runtime.md, "Lifecycle" steps 5-6):
 * the parent runs prestart and createRuntime in the runtime's namespaces
 * (we ask, and wait), then we run createContainer in ours. Without such
 * hooks we do not ask: a round trip that does nothing costs two wake-ups.
 */
int container_create_hooks(const struct container *c)
{
	struct child_error e = { .kind = CHILD_HOOKS };

	if (c->hooks[OCI_HOOK_PRESTART].n ||
	    c->hooks[OCI_HOOK_CREATE_RUNTIME].n) {
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
 * process.cwd, entered only once no descriptor is open but those the
 * child still needs (process_close_fds()), and resolved inside the new
 * root (open_in_root(), in common/util.c). Otherwise a cwd of
 * "/proc/self/fd/3", with 3 the state directory or any directory of the
 * host the caller left open, puts the container's process on the host's
 * filesystem: runc's CVE-2024-21626, where the descriptor was runc's own,
 * of the host's /sys/fs/cgroup.
 */
static int enter_cwd(const struct container *c, int errfd, int syncfd)
{
	int root, fd, r;

	r = process_close_fds(c, errfd, syncfd);
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
 *
 * Chapter 06 joins the namespaces config.json names by path before the
 * cgroup, sets up the terminal after pivot_root and before the
 * descriptors are closed (its socket is one of them), checks that the command
 * exists (create must fail if it does not), and then, ready, waits for
 * "start" before the startContainer hooks and exec.
 */
static void __attribute__((noreturn))
child_main(struct container *c, int errfd, int syncfd, const sigset_t *old)
{
	const char *step;
	char **e, adj[16];
	int r;

	child_errfd = errfd;
	child_syncfd = syncfd;
	r = rootfs_enter(c, &step);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "rootfs %s: %s",
			   c->rootfs, step);
	r = userns_child_wait(c);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r,
			   "become root of the user namespace");
	r = ns_join(c, false);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r,
			   "join config.json's namespaces");
	wait_for_parent(syncfd);
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
	r = console_setup(c);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "set up the terminal");
	r = enter_cwd(c, errfd, syncfd);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "process.cwd %s",
			   c->cwd);
	/* The host's environment is none of the container's business: only
	 * process.env, as docker run does. putenv keeps c's strings. */
	clearenv();
	for (e = c->env; e && *e; e++)
		putenv(*e);
	r = process_find_command(c);
	if (r < 0)
		child_fail(errfd, exec_exit_code(-r), r, "find %s", c->argv[0]);
	r = sec_apply(c, &step);
	if (r < 0)
		child_fail(errfd, EXIT_RUNTIME_ERROR, r, "%s", step);
	if (c->umask)
		umask(*c->umask);
	report_ready(errfd);
	/* create saves the state, then sends its byte: a create killed
	 * before that (we would be a process no state knows) ends us. */
	wait_for_parent(syncfd);
	close(syncfd);
	/* Waiting for start: a kill or a delete --force may come instead. */
	if (process_wait_start(c) < 0)
		_exit(EXIT_RUNTIME_ERROR);
	sigprocmask(SIG_SETMASK, old, NULL);
	exec_command(c, -1);
}

/* Read the child's reports until it is ready: 0 then, else the exit code
 * after printing what went wrong. Chapter 06: run the runtime's hooks
 * when it asks. */
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
		if (e.kind == CHILD_ERROR)
			break;
		/* CHILD_HOOKS: a failed hook has said why */
		if (c->runtime_hooks(c, pid) < 0 ||
		    write_full(syncfd, "1", 1) < 0)
			return EXIT_RUNTIME_ERROR;
	}
	e.msg[sizeof(e.msg) - 1] = '\0';
	log_errno(e.err, "%s", e.msg);
	c->exit_code = e.exit_code;
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

/*
 * Chapter 06: a PID namespace joined by path is another container's,
 * whose processes see our child from its clone on. Until it execs, the
 * child holds descriptors of the host (the log, exec.fifo), so it is
 * made not dumpable, like us, before the clone: then a root of that
 * namespace cannot reach them through /proc/PID (runc's CVE-2016-9962).
 * exec makes the command dumpable again. In a user namespace the child's
 * /proc files would become the host root's, out of its own reach: there
 * it stays as it is.
 */
static bool joins_pid_namespace(const struct container *c)
{
	size_t i;

	if (c->ns_flags & CLONE_NEWUSER || c->sec.rootless)
		return false;
	for (i = 0; i < c->n_join; i++)
		if (c->join[i].type == CLONE_NEWPID)
			return true;
	return false;
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
	pid_t pid;

	c->cg = &cg;
	c->sec.sync[0] = c->sec.sync[1] = -1; /* userns_close_sync() */
	r = proc_block_signals(&mask, &old);
	if (r < 0)
		return log_errno(r, "block signals");
	r = compile_filter(c);
	if (r < 0)
		return r;
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		r = log_errno(-errno, "pipe");
		goto out_release_filter;
	}
	if (pipe2(syncpipe, O_CLOEXEC) < 0) {
		r = log_errno(-errno, "pipe");
		goto out_close_pipe;
	}
	/* A rootless container has no cgroup, nor one whose config.json asks
	 * for none: cg.drv stays NULL. */
	r = !c->sec.rootless && c->cgroup_path ? cg_create(&cg, c) : 0;
	if (r < 0)
		goto out_close_sync;
	r = userns_open_sync(c);
	/* a PID namespace to join is the children's (setns(2)) */
	if (r >= 0)
		r = ns_join(c, true);
	if (r < 0) {
		log_errno(r, "prepare the container");
		goto out_destroy_cgroup;
	}
	if (joins_pid_namespace(c))
		prctl(PR_SET_DUMPABLE, 0);
	pid = ns_clone(c->ns_flags | userns_clone_flags(c));
	if (pid < 0) {
		r = log_errno(-errno, "clone");
		goto out_destroy_cgroup;
	}
	if (pid == 0) {
		close(errpipe[0]);
		close(syncpipe[1]);
		child_main(c, errpipe[1], syncpipe[0], &old);
	}
	prctl(PR_SET_DUMPABLE, 1);
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
	c->saved_fd = syncpipe[1]; /* create_container() writes it */
	syncpipe[1] = -1;
	r = pid;
	goto out_close_sync;
out_destroy_cgroup:
	container_destroy(c);
out_close_sync:
	userns_close_sync(c);
	close(syncpipe[0]);
	if (syncpipe[1] >= 0)
		close(syncpipe[1]);
out_close_pipe:
	close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
out_release_filter:
	if (c->sec.seccomp)
		seccomp_release(c->sec.seccomp);
	c->sec.seccomp = NULL;
	return r;
}

int container_wait(struct container *c, pid_t pid)
{
	sigset_t mask, old;
	int status, r;

	r = proc_block_signals(&mask, &old);
	if (r < 0)
		return log_errno(r, "block signals"), EXIT_RUNTIME_ERROR;
	status = proc_wait(pid, &mask);
	if (status < 0) {
		log_errno(status, "wait for pid %d", pid);
		return EXIT_RUNTIME_ERROR;
	}
	/* Read what the cgroup knows before it goes. */
	if (!c->cg)
		return proc_exit_code(status);
	r = cg_exit_code(c->cg, c, proc_exit_code(status));
	if (c->stats)
		cg_print_stats(c->cg);
	return r;
}

void container_destroy(struct container *c)
{
	if (c->cg)
		cg_destroy(c->cg);
}
