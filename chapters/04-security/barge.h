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

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "security.h"

/* Docker's exit codes for failures of the runtime itself (see docker-run(1)):
 * anything else is the command's own exit status. */
enum {
	EXIT_RUNTIME_ERROR = 125, /* barge failed: bad flag, setup failed */
	EXIT_CANNOT_EXEC = 126,	  /* the command exists but cannot run */
	EXIT_NOT_FOUND = 127,	  /* the command does not exist */
};

/* What a container may use (cgroups.c). 0 means not set: no limit. */
struct cg_limits {
	int64_t memory;	     /* bytes of memory (--memory) */
	int64_t memory_swap; /* bytes of memory + swap, -1: no limit */
	int64_t cpu_quota;   /* CPU microseconds per CG_CPU_PERIOD (--cpus) */
	int cpu_shares;	     /* relative CPU weight, 2..262144 */
	int pids;	     /* most processes and threads at once */
	unsigned int given;  /* bit i: option i of limits.c's table given */
	const char *memory_arg; /* --memory as typed, for messages */
};

struct container {
	char **argv;	    /* the command and its arguments, NULL-terminated */
	const char *rootfs; /* the container's root directory, or NULL */
	const char *hostname; /* the hostname in its UTS namespace */
	bool init;	/* a minimal init is PID 1, the command its child */
	const char *id; /* 12 hex digits; names its cgroup */
	struct cg_limits limits; /* --memory, --cpus, --pids-limit... */
	bool stats;		 /* print what it used when it ends (--stats) */
	struct security sec;	 /* chapter 04: what the container may do */
};

/* Run the container to completion; return its exit code (0-255). */
int container_run(struct container *c);

/* rootfs.c: give the container a root filesystem of its own. Runs in the
 * child, inside its new mount namespace; on failure *ret_step says which
 * step failed. rootfs_enter() makes the rootfs the current directory, and
 * rootfs_setup() does the rest there. */
int rootfs_enter(const struct container *c, const char **ret_step);
int rootfs_setup(const struct container *c, const char **ret_step);
int rootfs_clean_environment(void);

/* namespaces.c: the container's own view of the system. */
pid_t ns_clone(int extra_flags);
int ns_unshare_cgroup(void);
int ns_set_hostname(const char *hostname);
int ns_loopback_up(void);

int cmd_run(int argc, char **argv);

#endif
