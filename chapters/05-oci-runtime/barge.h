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
	unsigned int given;  /* bit i: option i of cgroups.c's table given */
	const char *memory_arg; /* --memory as typed, for messages */
};

struct oci_config;
struct cgroup;

/* chapter 05: what the runtime adds to a container, from config.json. */
struct oci_extra {
	const struct oci_config *oci; /* the bundle's config.json */
	int ns_flags;		   /* CLONE_NEW* of the namespaces to create */
	char **env;		   /* process.env, or NULL: chapter 01's */
	const char *cwd;	   /* process.cwd */
	const char *cgroup;	   /* its cgroup, relative: "barge/ID" */
	char **masked, **readonly; /* maskedPaths, readonlyPaths, or NULL */
	int fifo_fd;		   /* exec.fifo, O_PATH: start opens it */
	int console_fd;		   /* the --console-socket, connected, or -1 */
	int preserve_fds;	   /* fds 3..3+N-1 stay open */
	char *state_json; /* the state, for hooks run in the container */
	int exit_code;	  /* why create failed: 126, 127... or 0 */
	/* The runtime's prestart and createRuntime hooks, run in the parent
	 * while the child waits before pivot_root. */
	int (*runtime_hooks)(const struct container *c, pid_t pid);
	void *data; /* for runtime_hooks */
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
	struct oci_extra oci;	 /* chapter 05: the rest of config.json */
	struct cgroup *cg;	 /* chapter 05: kept from create to delete */
};

/* Set the container up completely: its init waits, before exec, until
 * "start" opens c->oci.fifo_fd's fifo. Returns its pid, or a negative
 * errno after reporting why, with nothing left behind. */
pid_t container_create(struct container *c);
/* In the process that created it: wait for it, forwarding signals, and
 * return its exit code (0-255). */
int container_wait(struct container *c, pid_t pid);
/* Run a program, forwarding signals to it: its exit code. */
int container_spawn(char *const argv[]);
/* Remove its cgroup. */
void container_destroy(struct container *c);

/* rootfs.c: give the container a root filesystem of its own. Runs in the
 * child, inside its new mount namespace; on failure *ret_step says which
 * step failed. */
int rootfs_setup(const struct container *c, const char **ret_step);
int rootfs_clean_environment(void);
bool rootfs_oci_mounts(const struct container *c);
int rootfs_default_devices(const struct container *c);

/* mounts.c (chapter 05): config.json's mounts, sysctls, devices. */
int mounts_setup(const struct container *c, const char **ret_what);
int mounts_sysctl(const struct container *c);
int mounts_devices(const struct container *c);

/* process.c (chapter 05): config.json's process, in the child. */
int process_setup(const struct container *c, const char **ret_step);
int process_wait_start(const struct container *c);
int process_hook(const struct container *c, int kind);
int process_close_fds(const struct container *c, int keep1, int keep2);

/* console.c (chapter 05): process.terminal. */
int console_setup(const struct container *c);
int console_connect(const char *path);

/* container.c: in the child, before pivot_root. */
int container_create_hooks(const struct container *c);

/* namespaces.c: the container's own view of the system. */
int ns_default_flags(void);
pid_t ns_clone(int flags);
int ns_join(const struct container *c, bool pid_only);
int ns_unshare_cgroup(void);
int ns_set_hostname(const char *hostname);
int ns_loopback_up(void);

#endif
