/* SPDX-License-Identifier: MIT */
/*
 * init.c - barge-init, the container's PID 1 when barge asks for one.
 *
 *	barge-init -- COMMAND [ARG...]
 *
 * Chapter 02 ran a minimal init inside the runtime. A runtime runs what
 * config.json's process.args says and nothing else, so from chapter 05
 * the init is a program of its own, which barge bind-mounts into the
 * container and names first in process.args, as Docker does with
 * docker-init (tini) for "docker run --init" and podman with catatonit.
 *
 * Its two duties are PID 1's (pid_namespaces(7)): orphans anywhere in
 * the namespace become its children, and it reaps them all; and the
 * kernel delivers to PID 1 only the signals it has a handler for or
 * blocks, so it blocks them, takes each one as it comes (proc_wait() in
 * common/proc.c) and passes it on to the command. It exits with the
 * command's status, 128+N for a signal N.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"

int main(int argc, char **argv)
{
	sigset_t mask, old;
	int status, r;
	pid_t pid;

	log_set_program("barge-init");
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		argv++, argc--;
	if (argc < 2) {
		log_error("usage: barge-init -- COMMAND [ARG...]");
		return 125;
	}
	r = proc_block_signals(&mask, &old);
	if (r < 0)
		return log_errno(r, "block signals"), 125;
	pid = fork();
	if (pid < 0)
		return log_errno(-errno, "fork"), 125;
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		execvp(argv[1], argv + 1);
		log_errno(-errno, "exec %s", argv[1]);
		_exit(errno == ENOENT || errno == ENOTDIR ? 127 : 126);
	}
	status = proc_wait(pid, &mask);
	if (status < 0)
		return log_errno(status, "wait for pid %d", pid), 125;
	return proc_exit_code(status);
}
