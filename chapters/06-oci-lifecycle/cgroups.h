/* SPDX-License-Identifier: MIT */
/*
 * cgroups.h - a cgroup per container, whatever cgroup version the host
 * runs.
 *
 * cgroups.c does what does not depend on the version: it picks a driver,
 * checks the host has the controllers the flags need, and runs the steps
 * in order (create, set limits, attach, then at the end OOM check, stats,
 * destroy). A driver, one per cgroup version, knows the files:
 * cgroup_v2.c the unified hierarchy, cgroup_v1.c one hierarchy per
 * controller; both read and write them with cgroup_fs.c. run.c and
 * container.c call only the cg_* functions declared last.
 */
#ifndef BARGE_CGROUPS_H
#define BARGE_CGROUPS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "barge.h"

#define CG_MOUNT  "/sys/fs/cgroup" /* where systemd and Docker expect it */
#define CG_PARENT "barge"	   /* our containers' parent cgroup */

/* The controllers barge uses. v2 has one hierarchy for all of them; v1 has
 * one per controller (or per group of them, e.g. "cpu,cpuacct"). */
enum cg_controller {
	CG_MEMORY,
	CG_CPU,
	CG_CPUACCT, /* v1 only: v2's cpu.stat counts CPU time for everyone */
	CG_PIDS,
	CG_DEVICES, /* v1 only: v2 has an eBPF program instead */
	CG_NR_CONTROLLERS,
};

/* A rule of the devices cgroup (cgroup_devices.c): for type 'c' or 'b'
 * (or 'a', every device), major and minor (-1: any), allow or deny the
 * access, a subset of "rwm" (mknod, read, write). */
struct cg_device_rule {
	bool allow;
	char type;
	int64_t major, minor;
	char access[4];
};

struct cgroup {
	const struct cg_driver *drv;
	const char *id; /* the container's id, for messages */
	/* chapter 05: its cgroup below each hierarchy's root, config.json's
	 * cgroupsPath: "barge/ID" in barge's bundles */
	char path[PATH_MAX];
	/* v1: each controller's hierarchy, "" if the host lacks it; v2: the
	 * one hierarchy in root[0]. */
	char root[CG_NR_CONTROLLERS][PATH_MAX];
	/* The container's cgroup in each of them (v2: dir[0]); "" until
	 * created. */
	char dir[CG_NR_CONTROLLERS][PATH_MAX];
	char failed[PATH_MAX]; /* the file or directory an error is about */
};

/* What the container used; -1 for what the host does not count (or, for
 * a limit, does not limit). Chapter 06: what it uses now, and its limits,
 * for "events". */
struct cg_stats {
	int64_t memory_peak; /* bytes */
	int64_t cpu_usec;
	int64_t pids_peak;
	int64_t cpu_user_usec, cpu_system_usec;
	int64_t memory_usage, memory_limit;
	int64_t pids_current, pids_limit;
};
#define CG_STATS_UNKNOWN                           \
	{                                          \
		-1, -1, -1, -1, -1, -1, -1, -1, -1 \
	}

/* One table of operations per cgroup version: cgroups.c calls through it
 * and never asks which version it is driving. Each returns 0 or a negative
 * errno, with the path it was working on in cg->failed. */
struct cg_driver {
	const char *name;
	int (*probe)(struct cgroup *cg); /* find the hierarchies */
	/* Does the host have a controller ("memory", "cpu", "pids") or
	 * feature ("swap")? */
	bool (*has)(const struct cgroup *cg, const char *what);
	int (*create)(struct cgroup *cg);
	int (*set_limits)(struct cgroup *cg, const struct cg_limits *l);
	/* the devices cgroup's rules, in order, the later winning */
	int (*set_devices)(struct cgroup *cg,
			   const struct cg_device_rule *rules, size_t n);
	int (*attach)(struct cgroup *cg, pid_t pid);
	int (*read_stats)(struct cgroup *cg, struct cg_stats *ret);
	int (*oom_kills)(struct cgroup *cg, int64_t *ret);
	int (*destroy)(struct cgroup *cg);
};

extern const struct cg_driver cg_v1_driver, cg_v2_driver;

/* The period --cpus is a fraction of: 100 ms, the kernel's default. */
#define CG_CPU_PERIOD 100000

/* The drivers' tools (cgroup_fs.c): file access that records the path in
 * cg->failed when it fails. */
int cg_write(struct cgroup *cg, const char *dir, const char *file,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int cg_read_number(struct cgroup *cg, const char *dir, const char *file,
		   int64_t *ret);
int cg_read_key(struct cgroup *cg, const char *dir, const char *file,
		const char *key, int64_t *ret);
int cg_write_pid(struct cgroup *cg, const char *dir, pid_t pid);
int cg_mkdir(struct cgroup *cg, const char *dir);
int cg_rmdir(struct cgroup *cg, const char *dir);
bool cg_file_exists(const char *dir, const char *file);
int cg_mkdir_path(struct cgroup *cg, const char *root, char *ret_dir,
		  int (*prepare)(struct cgroup *cg, const char *dir));

/* cgroup_devices.c: rules followed by the ones every container needs
 * (free *ret); v2's eBPF program of rules, attached to dir. */
int cg_device_rules(const struct cg_device_rule *rules, size_t n,
		    struct cg_device_rule **ret, size_t *ret_n);
int cg_device_program(struct cgroup *cg, const char *dir,
		      const struct cg_device_rule *rules, size_t n);

/* limits.c, for run.c: parse a limit flag ("memory", "cpus"...), then
 * check the flags together. Nothing is created yet. */
int cg_parse_option(struct cg_limits *l, const char *flag, const char *value,
		    const char **ret_expect);
int cg_check_limits(const struct cg_limits *l, const char **ret_why);
void cg_default_swap(struct cg_limits *l); /* chapter 05 */

/* What container.c calls, in this order. Each reports its own failure,
 * once: only cgroups.c knows which flag or file it was about. */
/* Whether the host is cgroup v2 (unified); hybrid hosts are v1. */
bool cg_unified(void);

int cg_create(struct cgroup *cg, const struct container *c);
int cg_attach(struct cgroup *cg, pid_t pid);
int cg_exit_code(struct cgroup *cg, const struct container *c, int code);
void cg_print_stats(struct cgroup *cg);
void cg_destroy(struct cgroup *cg);
/* chapter 06: the cgroup at path that an earlier create made. */
int cg_open(struct cgroup *cg, const char *path);
/* The pids of the processes in the cgroup at path (cgroup.procs), in a
 * malloc'd array of *n; -ENOENT once it is gone. */
int cg_procs(const char *path, pid_t **ret, size_t *n);

#endif
