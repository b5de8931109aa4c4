/* SPDX-License-Identifier: MIT */
/*
 * barge.h - what the files of this chapter share.
 *
 * A container, in this chapter, is nothing but a command line run as a
 * child process. Each chapter adds fields to struct container as it learns
 * to isolate that process a little more.
 *
 * Chapter 05 builds two programs from these files (see the Makefile):
 * barge turns its flags into a struct container and writes it out as an
 * OCI bundle's config.json (bundle.c); barge-runtime reads a config.json
 * back into a struct container (oci.c) and makes the container. The
 * struct is what both know; neither links the other's code.
 */
#ifndef BARGE_H
#define BARGE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "oci_spec.h"
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
	unsigned int given;  /* bit i: option i of cgroups.c's table given */
	const char *memory_arg; /* --memory as typed, for messages */
};

struct cg_device_rule;

struct container {
	char **argv;	    /* the command and its arguments, NULL-terminated */
	const char *rootfs; /* the container's root directory, or NULL */
	const char *bundle; /* chapter 05: bind sources are relative to it */
	const char *hostname; /* the hostname in its UTS namespace */
	bool init;	/* a minimal init is PID 1, the command its child */
	const char *id; /* 12 hex digits; names its cgroup */
	struct cg_limits limits; /* --memory, --cpus, --pids-limit... */
	bool stats;		 /* print what it used when it ends (--stats) */
	struct security sec;	 /* chapter 04: what the container may do */

	/* chapter 05: what chapters 01-04 hard-coded, config.json says */
	char **env;		  /* the command's environment */
	const char *cwd;	  /* its working directory */
	const int *oom_score_adj; /* process.oomScoreAdj, if given */
	const mode_t *umask;	  /* process.user.umask, if given */
	int ns_flags;		  /* CLONE_NEW* of the namespaces to create */
	const char *cgroup_path;  /* its cgroup, under each hierarchy */
	const struct oci_mount *mounts; /* made in this order */
	size_t n_mounts;
	struct cg_device_rule *device_rules; /* the devices cgroup */
	size_t n_device_rules;
};

/* barge: its flags as a bundle (bundle.c). */
int cmd_run(int argc, char **argv);
int bundle_write(const struct container *c, const char *dir);
void bundle_remove(const char *dir);

/* barge-runtime: config.json as a struct container (oci.c); the
 * container run to completion: its exit code (0-255). */
int oci_adapt(struct container *c, const struct oci_config *oc,
	      const char *bundle, char *err, size_t size);
int container_run(struct container *c);

/* rootfs.c: give the container a root filesystem of its own. Runs in the
 * child, inside its new mount namespace; on failure *ret_step says which
 * step failed. rootfs_enter() makes the rootfs the current directory, and
 * rootfs_setup() does the rest there. */
int rootfs_enter(const struct container *c, const char **ret_step);
int rootfs_setup(const struct container *c, const char **ret_step);

/* mounts.c (chapter 05): config.json's mounts, in the child. */
int mounts_open_sources(const struct container *c, const char **ret_what);
int mounts_setup(const struct container *c, const char **ret_what);

/* namespaces.c: the container's own view of the system. */
pid_t ns_clone(int flags);
int ns_unshare_cgroup(void);
int ns_set_hostname(const char *hostname);
int ns_loopback_up(void);

#endif
