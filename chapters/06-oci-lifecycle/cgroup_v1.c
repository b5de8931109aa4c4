/* SPDX-License-Identifier: MIT */
/*
 * cgroup_v1.c - the cgroup v1 driver: one hierarchy per controller.
 *
 * cgroup v1 (Linux 2.6.24) mounts each controller, or a group of them, as
 * a separate filesystem: typically /sys/fs/cgroup/memory, .../pids,
 * .../cpu,cpuacct (a directory with both controllers) or .../cpu and
 * .../cpuacct apart. A process is in one cgroup of each hierarchy, so a
 * container's cgroup is really one directory per hierarchy, barge/ID in
 * each (chapter 05: config.json's cgroupsPath), and the container's first
 * process is written into every one.
 *
 * Where each controller is mounted varies from host to host: read it from
 * /proc/self/mountinfo, never guess.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups.h"
#include "util.h"

/* The controllers barge uses, in enum cg_controller's order. */
static const char *const controllers[CG_NR_CONTROLLERS] = {
	[CG_MEMORY] = "memory",	  [CG_CPU] = "cpu",
	[CG_CPUACCT] = "cpuacct", [CG_PIDS] = "pids",
	[CG_DEVICES] = "devices",
};

/* Is name one of the comma-separated options? "rw,cpu,cpuacct" has cpu
 * and cpuacct, but not cpuset. */
static bool has_option(const char *opts, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = opts; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

/* One line of mountinfo (proc(5)): "36 25 0:31 / /sys/fs/cgroup/memory
 * rw,... shared:15 - cgroup cgroup rw,memory". Note the mount point of
 * each v1 controller the line's super options name. */
static void note_hierarchy(struct cgroup *cg, char *line)
{
	char point[PATH_MAX], fstype[32], opts[256], *dash;
	int i;

	dash = strstr(line, " - ");
	if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 ||
	    sscanf(dash, " - %31s %*s %255s", fstype, opts) != 2 ||
	    !streq(fstype, "cgroup"))
		return;
	for (i = 0; i < CG_NR_CONTROLLERS; i++)
		if (!cg->root[i][0] && has_option(opts, controllers[i]))
			snprintf(cg->root[i], sizeof(cg->root[i]), "%s", point);
}

static int v1_probe(struct cgroup *cg)
{
	char *line = NULL;
	size_t size = 0;
	FILE *f;

	snprintf(cg->failed, sizeof(cg->failed), "/proc/self/mountinfo");
	f = fopen(cg->failed, "re");
	if (!f)
		return -errno;
	while (getline(&line, &size, f) > 0)
		note_hierarchy(cg, line);
	free(line);
	fclose(f);
	return 0;
}

/* swap: memory+swap is counted only with swap accounting on (a kernel
 * option, CONFIG_MEMCG_SWAP, and swapaccount=1 on older kernels). */
static bool v1_has(const struct cgroup *cg, const char *what)
{
	int i;

	if (streq(what, "swap"))
		return cg->root[CG_MEMORY][0] &&
		       cg_file_exists(cg->root[CG_MEMORY],
				      "memory.memsw.limit_in_bytes");
	for (i = 0; i < CG_NR_CONTROLLERS; i++)
		if (streq(what, controllers[i]))
			return cg->root[i][0] != '\0';
	return false;
}

/* cg->path in every hierarchy the host has. Where two controllers share
 * one (cpu,cpuacct), the second mkdir finds the first's directory. */
static int v1_create(struct cgroup *cg)
{
	int i, r;

	for (i = 0; i < CG_NR_CONTROLLERS; i++) {
		if (!cg->root[i][0])
			continue;
		r = cg_mkdir_path(cg, cg->root[i], cg->dir[i], NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * v1's files: memory.limit_in_bytes, then memory.memsw.limit_in_bytes
 * (memory + swap, which the kernel wants at least as large, so it comes
 * second); the CFS bandwidth pair cpu.cfs_quota_us per cpu.cfs_period_us;
 * cpu.shares, a relative weight (1024 is the default); pids.max.
 */
static int v1_set_limits(struct cgroup *cg, const struct cg_limits *l)
{
	const char *mem = cg->dir[CG_MEMORY], *cpu = cg->dir[CG_CPU];
	int r = 0;

	/* LAB(cg-v1-limits): write each limit that is set to its v1 file */
	if (l->memory)
		r = cg_write(cg, mem, "memory.limit_in_bytes", "%lld",
			     (long long)l->memory);
	if (r >= 0 && l->memory_swap)
		r = cg_write(cg, mem, "memory.memsw.limit_in_bytes", "%lld",
			     (long long)l->memory_swap);
	if (r >= 0 && l->cpu_quota)
		r = cg_write(cg, cpu, "cpu.cfs_period_us", "%d", CG_CPU_PERIOD);
	if (r >= 0 && l->cpu_quota)
		r = cg_write(cg, cpu, "cpu.cfs_quota_us", "%lld",
			     (long long)l->cpu_quota);
	if (r >= 0 && l->cpu_shares)
		r = cg_write(cg, cpu, "cpu.shares", "%d", l->cpu_shares);
	if (r >= 0 && l->pids)
		r = cg_write(cg, cg->dir[CG_PIDS], "pids.max", "%d", l->pids);
	/* LAB STUB: (void)cg; */
	/* LAB STUB: (void)l; */
	/* LAB STUB: (void)mem; */
	/* LAB STUB: (void)cpu; */
	/* LAB END */
	return r;
}

/* "c 1:3 rwm", "b *:* m"; type a is "a", every device. */
static void rule_line(const struct cg_device_rule *d, char *buf, size_t size)
{
	char major[24] = "*", minor[24] = "*";

	if (d->type == 'a') {
		snprintf(buf, size, "a");
		return;
	}
	if (d->major >= 0)
		snprintf(major, sizeof(major), "%lld", (long long)d->major);
	if (d->minor >= 0)
		snprintf(minor, sizeof(minor), "%lld", (long long)d->minor);
	snprintf(buf, size, "%c %s:%s %s", d->type, major, minor, d->access);
}

/*
 * The devices cgroup: each rule is a line written to devices.allow or
 * devices.deny, in order. The kernel keeps a default (allow or deny) and
 * a list of exceptions to it, and each write changes them ("a" to
 * devices.deny: deny by default, no exceptions).
 */
static int v1_set_devices(struct cgroup *cg, const struct cg_device_rule *rules,
			  size_t n)
{
	char line[64];
	size_t i;
	int r = 0;

	for (i = 0; r >= 0 && i < n; i++) {
		rule_line(&rules[i], line, sizeof(line));
		r = cg_write(cg, cg->dir[CG_DEVICES],
			     rules[i].allow ? "devices.allow" : "devices.deny",
			     "%s", line);
	}
	return r;
}

static int v1_attach(struct cgroup *cg, pid_t pid)
{
	int i, r;

	for (i = 0; i < CG_NR_CONTROLLERS; i++) {
		if (!cg->dir[i][0])
			continue;
		r = cg_write_pid(cg, cg->dir[i], pid);
		if (r < 0)
			return r;
	}
	return 0;
}

/* v1 keeps a high-water mark of memory, and counts CPU time in the
 * cpuacct controller, in nanoseconds. pids.peak is recent (Linux 6.1):
 * older kernels keep no peak for pids, and --stats says n/a. */
static int v1_read_stats(struct cgroup *cg, struct cg_stats *st)
{
	int64_t ns;

	if (cg->dir[CG_MEMORY][0])
		cg_read_number(cg, cg->dir[CG_MEMORY],
			       "memory.max_usage_in_bytes", &st->memory_peak);
	if (cg->dir[CG_CPUACCT][0] &&
	    cg_read_number(cg, cg->dir[CG_CPUACCT], "cpuacct.usage", &ns) == 0)
		st->cpu_usec = ns / 1000;
	if (cg->dir[CG_PIDS][0])
		cg_read_number(cg, cg->dir[CG_PIDS], "pids.peak",
			       &st->pids_peak);
	/* chapter 06: now, for events; cpuacct.stat counts USER_HZ ticks */
	if (cg->dir[CG_CPUACCT][0] &&
	    cg_read_key(cg, cg->dir[CG_CPUACCT], "cpuacct.stat", "user", &ns) ==
		    0)
		st->cpu_user_usec = ns * 1000000 / sysconf(_SC_CLK_TCK);
	if (cg->dir[CG_CPUACCT][0] &&
	    cg_read_key(cg, cg->dir[CG_CPUACCT], "cpuacct.stat", "system",
			&ns) == 0)
		st->cpu_system_usec = ns * 1000000 / sysconf(_SC_CLK_TCK);
	if (cg->dir[CG_MEMORY][0]) {
		cg_read_number(cg, cg->dir[CG_MEMORY], "memory.usage_in_bytes",
			       &st->memory_usage);
		cg_read_number(cg, cg->dir[CG_MEMORY], "memory.limit_in_bytes",
			       &st->memory_limit);
	}
	if (cg->dir[CG_PIDS][0]) {
		cg_read_number(cg, cg->dir[CG_PIDS], "pids.current",
			       &st->pids_current);
		cg_read_number(cg, cg->dir[CG_PIDS], "pids.max",
			       &st->pids_limit);
	}
	return 0;
}

/* memory.oom_control counts the kills of this cgroup's OOM killer in
 * "oom_kill N" (Linux 4.13). */
static int v1_oom_kills(struct cgroup *cg, int64_t *ret)
{
	*ret = 0;
	if (!cg->dir[CG_MEMORY][0])
		return 0;
	return cg_read_key(cg, cg->dir[CG_MEMORY], "memory.oom_control",
			   "oom_kill", ret);
}

/* Remove barge/ID from every hierarchy, even after a failure: one left
 * behind is a leak. The barge parents stay, ready for the next one. */
static int v1_destroy(struct cgroup *cg)
{
	int i, r, first = 0, failed = 0;

	for (i = 0; i < CG_NR_CONTROLLERS; i++) {
		if (!cg->dir[i][0])
			continue;
		r = cg_rmdir(cg, cg->dir[i]);
		if (r < 0 && first == 0) {
			first = r;
			failed = i;
		}
	}
	if (first < 0)
		snprintf(cg->failed, sizeof(cg->failed), "%s", cg->dir[failed]);
	return first;
}

const struct cg_driver cg_v1_driver = {
	.name = "v1",
	.probe = v1_probe,
	.has = v1_has,
	.create = v1_create,
	.set_limits = v1_set_limits,
	.set_devices = v1_set_devices,
	.attach = v1_attach,
	.read_stats = v1_read_stats,
	.oom_kills = v1_oom_kills,
	.destroy = v1_destroy,
};
