/* SPDX-License-Identifier: MIT */
/*
 * hooks.c - run config.json's hooks: fork, exec with the hook's args and
 * env, the state on stdin, wait with a timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"
#include "util.h"

bool hooks_failure_is_fatal(enum oci_hook_kind kind)
{
	return kind != OCI_HOOK_POSTSTART && kind != OCI_HOOK_POSTSTOP;
}

/*
 * The state goes to the hook's stdin from a memfd rather than a pipe: a
 * hook that never reads it, or exits first, cannot block us on a full pipe
 * or kill us with SIGPIPE.
 */
static int state_fd(const char *state_json)
{
	int fd, r;

	fd = memfd_create("barge-hook-state", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write_full(fd, state_json, strlen(state_json));
	if (r >= 0 && lseek(fd, 0, SEEK_SET) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

/* In the child: stdin from the state, then exec. A failed exec reports
 * its errno up the close-on-exec pipe (chapter 00's trick). */
static void __attribute__((noreturn))
exec_hook(const struct oci_hook *h, int stdin_fd, int errfd)
{
	char *const no_env[] = { NULL };
	char *argv0[] = { h->path, NULL };
	int err;

	/* LAB(hook-run): the state on stdin; exec h->path with h->args (or just the path) and exactly h->env (or none) */
	if (dup2(stdin_fd, STDIN_FILENO) < 0)
		goto fail;
	/* The hook gets exactly its env, as execve(2) would. */
	execve(h->path, h->args && h->args[0] ? h->args : argv0,
	       h->env ? h->env : no_env);
	/* LAB STUB: (void)h; */
	/* LAB STUB: (void)stdin_fd; */
	/* LAB STUB: (void)no_env; */
	/* LAB STUB: (void)argv0; */
	/* LAB STUB: errno = ENOSYS; */
	/* LAB STUB: goto fail; */
	/* LAB END */
fail:
	err = errno;
	write_full(errfd, &err, sizeof(err));
	_exit(127);
}

/* Wait for our child pid at most timeout seconds (0: forever), then kill
 * it. A 10 ms poll with WNOHANG keeps this short; hooks are rare. */
static int wait_hook(pid_t pid, int timeout, int *ret_status)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	long waited_ms;
	pid_t r;

	for (waited_ms = 0;; waited_ms += 10) {
		r = waitpid(pid, ret_status, timeout > 0 ? WNOHANG : 0);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (timeout > 0 && waited_ms >= timeout * 1000L) {
			kill(pid, SIGKILL);
			while (waitpid(pid, ret_status, 0) < 0 &&
			       errno == EINTR)
				;
			return -ETIMEDOUT;
		}
		if (r == 0)
			nanosleep(&tick, NULL);
	}
}

static int run_one(const struct oci_hook *h, const char *state_json, char *why,
		   size_t whysize)
{
	int in, errpipe[2], status, err, r;
	sigset_t no_signals;
	ssize_t n;
	pid_t pid;

	sigemptyset(&no_signals);
	in = state_fd(state_json);
	if (in < 0) {
		snprintf(why, whysize, "state: %s", strerror(-in));
		return in;
	}
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		r = -errno;
		snprintf(why, whysize, "pipe: %s", strerror(errno));
		goto out_close_in;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		snprintf(why, whysize, "fork: %s", strerror(errno));
		goto out_close_pipe;
	}
	if (pid == 0) {
		/* Not the runtime's: its blocked signals (a hook must die of
		 * SIGTERM) and its descriptors (conmon's sync pipe, which a
		 * hook that lives on would hold open). */
		sigprocmask(SIG_SETMASK, &no_signals, NULL);
		close(errpipe[0]);
		if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
			/* Before 5.11 the kernel has no CLOEXEC flag: never
			 * run a hook that would inherit them all. */
			err = errno;
			write_full(errpipe[1], &err, sizeof(err));
			_exit(127);
		}
		exec_hook(h, in, errpipe[1]);
	}
	close(errpipe[1]);
	errpipe[1] = -1;
	n = read_full(errpipe[0], &err, sizeof(err));
	r = wait_hook(pid, n == sizeof(err) ? 0 : h->timeout, &status);
	if (n == sizeof(err)) {
		r = -err;
		snprintf(why, whysize, "exec: %s", strerror(err));
	} else if (r == -ETIMEDOUT) {
		snprintf(why, whysize, "timed out after %ds, killed",
			 h->timeout);
	} else if (r < 0) {
		snprintf(why, whysize, "wait: %s", strerror(-r));
	} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		r = -ECANCELED;
		snprintf(why, whysize, "exited with status %d",
			 WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		r = -ECANCELED;
		snprintf(why, whysize, "killed by signal %s",
			 sigabbrev_np(WTERMSIG(status)) ?: "?");
	}
out_close_pipe:
	close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
out_close_in:
	close(in);
	return r;
}

int hooks_run(const struct oci_hook_list *hooks, enum oci_hook_kind kind,
	      const char *state_json, char *errbuf, size_t errsize)
{
	const struct oci_hook_list *list = &hooks[kind];
	char why[256];
	size_t i;
	int r;

	for (i = 0; i < list->n; i++) {
		r = run_one(&list->hooks[i], state_json, why, sizeof(why));
		if (r < 0) {
			snprintf(errbuf, errsize, "hook %s[%zu] %s: %s",
				 oci_hook_name(kind), i, list->hooks[i].path,
				 why);
			return r;
		}
	}
	return 0;
}
