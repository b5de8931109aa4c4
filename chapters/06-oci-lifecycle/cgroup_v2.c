/* SPDX-License-Identifier: MIT */
/*
 * cgroup_v2.c - the cgroup v2 driver: one unified hierarchy.
 *
 * cgroup v2 (Linux 4.5; the default of systemd distributions since about
 * 2021) has a single hierarchy, mounted at /sys/fs/cgroup, and every
 * controller works on it. A container's cgroup is one directory,
 * /sys/fs/cgroup/barge/ID.
 *
 * A controller is handed down the tree: a cgroup's files for it
 * (memory.max, ...) exist only if its parent lists the controller in its
 * cgroup.subtree_control. So the root enables memory, cpu and pids for
 * barge, and barge for its containers. (The "no internal processes" rule
 * forbids enabling controllers in a cgroup that has processes of its own;
 * barge's parent never has any, and the root is exempt. A root that is not
 * the real one, in a cgroup namespace or a delegated subtree, is not: the
 * first write then fails with EBUSY.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroups.h"
#include "util.h"

static const char *const controllers[] = { "memory", "cpu", "pids" };

/*
 * cgroup.controllers of the root: the controllers this host can give
 * ("cpuset cpu io memory hugetlb pids rdma misc"). Swap is accounted by
 * the memory controller, when the kernel accounts it at all (not with
 * CONFIG_MEMCG_SWAP off, or swapaccount=0): then the container's cgroup,
 * below a parent that enabled memory for it, has a memory.swap.max.
 */
static bool v2_has(const struct cgroup *cg, const char *what)
{
	char buf[512], path[PATH_MAX], *word, *save;

	if (streq(what, "devices")) /* an eBPF program, not a controller */
		return true;
	if (streq(what, "swap")) /* asked once the cgroup is made */
		return cg_file_exists(cg->dir[0], "memory.swap.max");
	if (path_join(path, sizeof(path), cg->root[0], "cgroup.controllers") <
		    0 ||
	    read_file(path, buf, sizeof(buf)) < 0)
		return false;
	for (word = strtok_r(buf, " \n", &save); word;
	     word = strtok_r(NULL, " \n", &save))
		if (streq(word, what))
			return true;
	return false;
}

static int v2_probe(struct cgroup *cg)
{
	snprintf(cg->root[0], sizeof(cg->root[0]), "%s", CG_MOUNT);
	return 0;
}

/* Let dir's children use every controller barge needs that the host has. */
static int enable_controllers(struct cgroup *cg, const char *dir)
{
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(controllers); i++) {
		if (!v2_has(cg, controllers[i]))
			continue;
		r = cg_write(cg, dir, "cgroup.subtree_control", "+%s",
			     controllers[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* cg->path, each parent letting its child use the controllers. */
static int v2_create(struct cgroup *cg)
{
	return cg_mkdir_path(cg, cg->root[0], cg->dir[0], enable_controllers);
}

/*
 * v2's files: memory.max; memory.swap.max, the swap alone (Docker's
 * --memory-swap is memory and swap together); cpu.max, "QUOTA PERIOD" in
 * microseconds; cpu.weight, 1..10000 with 100 the default, onto which
 * v1's cpu.shares (2..262144, default 1024) map linearly as runc and crun
 * map them; pids.max.
 */
static int v2_set_limits(struct cgroup *cg, const struct cg_limits *l)
{
	const char *dir = cg->dir[0];
	int r = 0;

	/* LAB(cg-v2-limits): write each limit that is set to its v2 file */
	if (l->memory)
		r = cg_write(cg, dir, "memory.max", "%lld",
			     (long long)l->memory);
	if (r >= 0 && l->memory_swap < 0)
		r = cg_write(cg, dir, "memory.swap.max", "max");
	if (r >= 0 && l->memory_swap > 0)
		r = cg_write(cg, dir, "memory.swap.max", "%lld",
			     (long long)(l->memory_swap - l->memory));
	if (r >= 0 && l->cpu_quota)
		r = cg_write(cg, dir, "cpu.max", "%lld %d",
			     (long long)l->cpu_quota, CG_CPU_PERIOD);
	if (r >= 0 && l->cpu_shares)
		r = cg_write(cg, dir, "cpu.weight", "%lld",
			     1 + ((l->cpu_shares - 2) * 9999LL) / 262142);
	if (r >= 0 && l->pids)
		r = cg_write(cg, dir, "pids.max", "%d", l->pids);
	/* LAB STUB: (void)cg; */
	/* LAB STUB: (void)l; */
	/* LAB STUB: (void)dir; */
	/* LAB END */
	return r;
}

static int v2_attach(struct cgroup *cg, pid_t pid)
{
	return cg_write_pid(cg, cg->dir[0], pid);
}

/* memory.peak (Linux 5.19) and pids.peak (6.1) are high-water marks; older
 * kernels have neither, and --stats says n/a. cpu.stat is always there. */
static int v2_read_stats(struct cgroup *cg, struct cg_stats *st)
{
	const char *dir = cg->dir[0];

	cg_read_number(cg, dir, "memory.peak", &st->memory_peak);
	cg_read_key(cg, dir, "cpu.stat", "usage_usec", &st->cpu_usec);
	cg_read_number(cg, dir, "pids.peak", &st->pids_peak);
	/* chapter 06: now, for events ("max" reads as no number: -1) */
	cg_read_key(cg, dir, "cpu.stat", "user_usec", &st->cpu_user_usec);
	cg_read_key(cg, dir, "cpu.stat", "system_usec", &st->cpu_system_usec);
	cg_read_number(cg, dir, "memory.current", &st->memory_usage);
	cg_read_number(cg, dir, "memory.max", &st->memory_limit);
	cg_read_number(cg, dir, "pids.current", &st->pids_current);
	cg_read_number(cg, dir, "pids.max", &st->pids_limit);
	return 0;
}

/* memory.events counts the processes the OOM killer killed in the cgroup:
 * "oom_kill N". No memory controller, no file: no kills to report. */
static int v2_oom_kills(struct cgroup *cg, int64_t *ret)
{
	*ret = 0;
	if (!cg_file_exists(cg->dir[0], "memory.events"))
		return 0;
	return cg_read_key(cg, cg->dir[0], "memory.events", "oom_kill", ret);
}

/* The barge parent stays, ready for the next container. */
static int v2_destroy(struct cgroup *cg)
{
	if (!cg->dir[0][0])
		return 0;
	return cg_rmdir(cg, cg->dir[0]);
}

/* v2 has no devices controller: an eBPF program checks each mknod and
 * open (cgroup_devices.c). */
static int v2_set_devices(struct cgroup *cg, const struct cg_device_rule *rules,
			  size_t n)
{
	return cg_device_program(cg, cg->dir[0], rules, n);
}

const struct cg_driver cg_v2_driver = {
	.name = "v2",
	.probe = v2_probe,
	.has = v2_has,
	.create = v2_create,
	.set_limits = v2_set_limits,
	.set_devices = v2_set_devices,
	.attach = v2_attach,
	.read_stats = v2_read_stats,
	.oom_kills = v2_oom_kills,
	.destroy = v2_destroy,
};
