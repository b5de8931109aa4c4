/* SPDX-License-Identifier: MIT */
/*
 * cgroups.c - a cgroup per container: the part that does not depend on
 * the cgroup version.
 *
 * A control group is a set of processes the kernel accounts and limits
 * together; each controller (memory, cpu, pids, ...) limits one resource.
 * A container gets its own cgroup, named by its id, under a "barge" parent
 * at the root of the hierarchy, and goes through these steps:
 *
 *  1. run.c parses the flags (limits.c): bad values are refused before
 *     anything exists;
 *  2. cg_create picks the driver for the host's cgroup version, makes
 *     the cgroup, checks the host has the controllers the flags need and
 *     writes the limits, and the rules of the devices cgroup;
 *  3. cg_attach moves the container's first process in, before it runs
 *     anything (container.c holds it back until then);
 *  4. at the end, cg_exit_code tells an OOM kill from other deaths,
 *     cg_print_stats says what it used, cg_destroy removes the cgroup.
 *
 * The files differ between cgroup v1 and v2: cgroup_v1.c and cgroup_v2.c
 * each fill in a struct cg_driver, and this file calls through it. Both
 * read and write the files with cgroup_fs.c.
 */
#include <errno.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroups.h"
#include "log.h"
#include "util.h"

/* ---- the steps container.c runs ---------------------------------------- */

/* cgroup2 mounted at /sys/fs/cgroup is a v2 host. Anything else (a tmpfs
 * with one mount per v1 hierarchy under it) is v1, hybrid hosts too: the
 * cgroup2 that systemd mounts at /sys/fs/cgroup/unified there has no
 * controllers, they are all bound to the v1 hierarchies. */
static const struct cg_driver *cg_detect(void)
{
	struct statfs fs;

	if (statfs(CG_MOUNT, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
		return &cg_v2_driver;
	return &cg_v1_driver;
}

/* What each limit needs of the host: what the driver's has() must say
 * yes to. */
static const struct need {
	const char *flag;
	const char *needs;
	const char *needs_text;
} needs[] = {
	{ "--memory", "memory", "the memory cgroup controller" },
	{ "--memory-swap", "swap",
	  "swap accounting in the memory cgroup controller" },
	{ "--cpus or --cpu-shares", "cpu", "the cpu cgroup controller" },
	{ "--pids-limit", "pids", "the pids cgroup controller" },
	{ "a container", "devices", "the devices cgroup controller" },
};

/* A limit the host cannot enforce is an error, never a silent no-op. */
static int check_controllers(struct cgroup *cg, const struct cg_limits *l)
{
	const bool wanted[] = { l->memory, l->memory_swap,
				l->cpu_quota || l->cpu_shares, l->pids, true };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(needs); i++) {
		if (!wanted[i] || cg->drv->has(cg, needs[i].needs))
			continue;
		log_error("%s needs %s, which this host does not have "
			  "(cgroup %s)",
			  needs[i].flag, needs[i].needs_text, cg->drv->name);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * Docker's default for --memory alone: as much swap as memory, memory and
 * swap together twice --memory. Without a limit on swap a container at its
 * memory limit would swap out without end, on a host that has swap; with
 * none (--memory-swap equal to --memory) it could never use the host's
 * swap at all. Only where the kernel accounts swap: the user did not ask
 * for it, so a host without is no error.
 */
static void default_swap(struct cgroup *cg, struct cg_limits *l)
{
	if (l->memory && !l->memory_swap && l->memory <= INT64_MAX / 2 &&
	    cg->drv->has(cg, "swap"))
		l->memory_swap = 2 * l->memory;
}

/*
 * No device but those every container needs (cgroup_devices.c): the
 * container's root may mknod (CAP_MKNOD), but a node of the host's disk
 * cannot be opened.
 */
static int set_devices(struct cgroup *cg)
{
	static const struct cg_device_rule deny_all = { false, 'a', -1, -1,
							"rwm" };
	struct cg_device_rule *rules;
	size_t n;
	int r;

	r = cg_device_rules(&deny_all, 1, &rules, &n);
	if (r < 0)
		return r;
	r = cg->drv->set_devices(cg, rules, n);
	free(rules);
	return r;
}

/* Create first: on v2, whether swap is accounted shows in the files of
 * barge's parent, which exist once its controllers are enabled. */
int cg_create(struct cgroup *cg, const struct container *c)
{
	const char *step = "find the cgroup hierarchies";
	struct cg_limits l = c->limits;
	int r;

	memset(cg, 0, sizeof(*cg));
	cg->drv = cg_detect();
	cg->id = c->id;
	r = cg->drv->probe(cg);
	if (r < 0)
		return log_errno(r, "cgroup %s: %s: %s", cg->drv->name, step,
				 cg->failed);
	step = "create";
	r = cg->drv->create(cg);
	if (r < 0)
		goto out_failed;
	r = check_controllers(cg, &l);
	if (r < 0)
		goto out_destroy; /* it said why */
	default_swap(cg, &l);
	step = "set limits";
	r = cg->drv->set_limits(cg, &l);
	if (r < 0)
		goto out_failed;
	step = "set the device rules";
	r = set_devices(cg);
	if (r < 0)
		goto out_failed;
	return 0;
out_failed:
	log_errno(r, "cgroup %s: %s: %s", cg->drv->name, step, cg->failed);
out_destroy:
	cg_destroy(cg);
	return r;
}

int cg_attach(struct cgroup *cg, pid_t pid)
{
	int r;

	if (!cg->drv) /* rootless: no cgroup */
		return 0;
	r = cg->drv->attach(cg, pid);
	if (r < 0)
		log_errno(r, "cgroup %s: move pid %d into %s", cg->drv->name,
			  (int)pid, cg->failed);
	return r;
}

/*
 * The OOM killer sends SIGKILL, so a container it killed dies like one
 * killed with kill -9: exit code 137. Only the cgroup's OOM counter tells
 * the two apart; Docker shows it as "OOMKilled": true. The victim may also
 * be one process of several (the largest, usually not init): when the
 * command still exits on its own terms, its exit code stays, with a note.
 */
int cg_exit_code(struct cgroup *cg, const struct container *c, int code)
{
	int64_t kills = 0;

	if (!cg->drv)
		return code;
	/* LAB(cg-oom): OOM kills and 137: say it was out of memory; OOM kills and another code: keep it, with a note */
	if (cg->drv->oom_kills(cg, &kills) < 0 || kills == 0)
		return code;
	if (code != 128 + SIGKILL) {
		log_error("container %s: the OOM killer killed %lld of its "
			  "processes (exit status %d)",
			  c->id, (long long)kills, code);
		return code;
	}
	if (c->limits.memory_arg)
		log_error(
			"container %s was killed: out of memory (--memory %s)",
			c->id, c->limits.memory_arg);
	else
		log_error("container %s was killed: out of memory (the host's)",
			  c->id);
	return 128 + SIGKILL;
	/* LAB STUB: (void)cg; */
	/* LAB STUB: (void)c; */
	/* LAB STUB: (void)kills; */
	/* LAB STUB: return code; */
	/* LAB END */
}

static const char *format_stat(char *buf, size_t size, int64_t v, double scale,
			       const char *fmt)
{
	if (v < 0)
		return "n/a";
	snprintf(buf, size, fmt, (double)v / scale);
	return buf;
}

/* What the container used, read before its cgroup goes: --stats. */
void cg_print_stats(struct cgroup *cg)
{
	struct cg_stats st = { -1, -1, -1 };
	char mem[32], cpu[32], pids[32];

	if (cg->drv) /* no cgroup: every figure n/a */
		cg->drv->read_stats(cg, &st);
	fprintf(stderr, "barge: stats: memory peak %s, cpu %s, pids peak %s\n",
		format_stat(mem, sizeof(mem), st.memory_peak, 1 << 20,
			    "%.1f MiB"),
		format_stat(cpu, sizeof(cpu), st.cpu_usec, 1e6, "%.2f s"),
		format_stat(pids, sizeof(pids), st.pids_peak, 1, "%.0f"));
}

void cg_destroy(struct cgroup *cg)
{
	int r;

	if (!cg->drv)
		return;
	r = cg->drv->destroy(cg);
	if (r < 0)
		log_errno(r, "cgroup %s: remove %s", cg->drv->name, cg->failed);
}
