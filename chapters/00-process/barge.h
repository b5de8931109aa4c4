/* SPDX-License-Identifier: MIT */
/*
 * barge.h - what the files of this chapter share.
 *
 * A container, in this chapter, is nothing but a command line run as a
 * child process. Each chapter adds fields to struct container as it learns
 * to isolate that process a little more.
 */
#ifndef BARGE_H
#define BARGE_H

/* Docker's exit codes for failures of the runtime itself (see docker-run(1)):
 * anything else is the command's own exit status. */
enum {
	EXIT_RUNTIME_ERROR = 125, /* barge failed: bad flag, setup failed */
	EXIT_CANNOT_EXEC = 126,	  /* the command exists but cannot run */
	EXIT_NOT_FOUND = 127,	  /* the command does not exist */
};

struct container {
	char **argv; /* the command and its arguments, NULL-terminated */
};

/* Run the container to completion; return its exit code (0-255). */
int container_run(struct container *c);

int cmd_run(int argc, char **argv);

#endif
