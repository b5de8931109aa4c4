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
 *  1. run.c parses the flags (cg_parse_option, cg_check_limits): bad
 *     values are refused before anything exists;
 *  2. cg_create picks the driver for the host's cgroup version, makes
 *     the cgroup, checks the host has the controllers the flags need and
 *     writes the limits (chapter 05: and config.json's device rules);
 *  3. cg_attach moves the container's first process in, before it runs
 *     anything (container.c holds it back until then); chapter 05: on
 *     v1 the process moves itself, with cg_join (cgroup_v1.c says why);
 *  4. at the end, cg_exit_code tells an OOM kill from other deaths,
 *     cg_print_stats says what it used, cg_destroy removes the cgroup.
 *
 * The files differ between cgroup v1 and v2: cgroup_v1.c and cgroup_v2.c
 * each fill in a struct cg_driver, and this file calls through it. Both
 * read and write the files with cgroup_fs.c.
 */
#include <ctype.h>
#include <errno.h>
#include <linux/magic.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroups.h"
#include "log.h"
#include "oci_config.h"
#include "util.h"

/* Docker's floor: below this a container cannot even start its shell. */
#define CG_MIN_MEMORY (6 << 20)
/* The kernel's limit on PIDs (PID_MAX_LIMIT on 64-bit). */
#define CG_MAX_PIDS 4194304

static int parse_memory(struct cg_limits *l, const char *s)
{
	int r = parse_size(s, &l->memory);

	if (r < 0)
		return r;
	l->memory_arg = s;
	return l->memory < CG_MIN_MEMORY ? -ERANGE : 0;
}

/* Memory and swap together, as Docker: -1 for unlimited swap. */
static int parse_memory_swap(struct cg_limits *l, const char *s)
{
	int r;

	if (streq(s, "-1")) {
		l->memory_swap = -1;
		return 0;
	}
	r = parse_size(s, &l->memory_swap);
	if (r < 0)
		return r;
	return l->memory_swap == 0 ? -ERANGE : 0;
}

/* --cpus 0.5: half of one CPU's time, as a quota per period. */
static int parse_cpus(struct cg_limits *l, const char *s)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)s[0]) && s[0] != '.')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v))
		return -EINVAL;
	if (v < 0.01 || v > sysconf(_SC_NPROCESSORS_ONLN))
		return -ERANGE;
	l->cpu_quota = (int64_t)(v * CG_CPU_PERIOD + 0.5);
	return 0;
}

static int parse_cpu_shares(struct cg_limits *l, const char *s)
{
	return parse_int(s, 2, 262144, &l->cpu_shares);
}

static int parse_pids_limit(struct cg_limits *l, const char *s)
{
	return parse_int(s, 1, CG_MAX_PIDS, &l->pids);
}

/* The limit flags: how to parse each, and what the host needs for it. */
static const struct cg_option {
	const char *flag; /* the long option, without "--" */
	int (*parse)(struct cg_limits *l, const char *value);
	const char *expect; /* what a good value looks like */
	const char *needs;  /* what the driver's has() must say yes to */
	const char *needs_text;
} options[] = {
	{ "memory", parse_memory,
	  "a size of at least 6m: bytes, or a number with a b, k, m or g suffix",
	  "memory", "the memory cgroup controller" },
	{ "memory-swap", parse_memory_swap,
	  "a size like --memory's (memory and swap together), or -1", "swap",
	  "swap accounting in the memory cgroup controller" },
	{ "cpus", parse_cpus,
	  "a number of CPUs from 0.01 to the number online, like 0.5", "cpu",
	  "the cpu cgroup controller" },
	{ "cpu-shares", parse_cpu_shares, "a whole number from 2 to 262144",
	  "cpu", "the cpu cgroup controller" },
	{ "pids-limit", parse_pids_limit,
	  "a whole number of processes from 1 to 4194304", "pids",
	  "the pids cgroup controller" },
};

int cg_parse_option(struct cg_limits *l, const char *flag, const char *value,
		    const char **ret_expect)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(options); i++) {
		if (!streq(flag, options[i].flag))
			continue;
		*ret_expect = options[i].expect;
		l->given |= 1u << i;
		return options[i].parse(l, value);
	}
	return -ENOENT;
}

int cg_check_limits(const struct cg_limits *l, const char **ret_why)
{
	if (l->memory_swap && !l->memory) {
		*ret_why = "--memory-swap needs --memory: it is the total of "
			   "memory and swap";
		return -EINVAL;
	}
	if (l->memory_swap > 0 && l->memory_swap < l->memory) {
		*ret_why = "--memory-swap must be at least --memory: it is "
			   "memory and swap together";
		return -EINVAL;
	}
	return 0;
}

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

bool cg_unified(void)
{
	return cg_detect() == &cg_v2_driver;
}

/* An empty cgroup for the host's version: nothing made, no file open. */
static void cg_init(struct cgroup *cg)
{
	int i;

	memset(cg, 0, sizeof(*cg));
	cg->drv = cg_detect();
	for (i = 0; i < CG_NR_CONTROLLERS; i++)
		cg->tasks_fd[i] = -1;
}

/* A limit the host cannot enforce is an error, never a silent no-op. */
static int check_controllers(struct cgroup *cg, const struct cg_limits *l)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(options); i++) {
		if (!(l->given & (1u << i)) ||
		    cg->drv->has(cg, options[i].needs))
			continue;
		log_error("--%s needs %s, which this host does not have "
			  "(cgroup %s)",
			  options[i].flag, options[i].needs_text,
			  cg->drv->name);
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
 * Chapter 05: linux.resources.devices, with the defaults after it
 * (cgroup_devices.c). A config.json without rules changes nothing: the
 * container keeps the device access of barge's own cgroup.
 */
static int apply_devices(struct cgroup *cg, const struct container *c)
{
	const struct oci_resources *rs;
	struct oci_device_rule *rules;
	size_t n;
	int r;

	if (!c->oci.oci || !c->oci.oci->linux_spec.resources.n_devices)
		return 0;
	rs = &c->oci.oci->linux_spec.resources;
	if (!cg->drv->has(cg, "devices")) {
		log_error("linux.resources.devices needs the devices cgroup "
			  "controller, which this host does not have "
			  "(cgroup %s)",
			  cg->drv->name);
		return -EOPNOTSUPP;
	}
	r = cg_device_rules(rs->devices, rs->n_devices, &rules, &n);
	if (r < 0)
		return log_errno(r, "linux.resources.devices");
	r = cg->drv->set_devices(cg, rules, n);
	free(rules);
	if (r < 0)
		log_errno(r, "cgroup %s: apply linux.resources.devices: %s",
			  cg->drv->name, cg->failed);
	return r;
}

/* Create first: on v2, whether swap is accounted shows in the files of
 * barge's parent, which exist once its controllers are enabled. */
int cg_create(struct cgroup *cg, const struct container *c)
{
	const char *step = "find the cgroup hierarchies";
	struct cg_limits l = c->limits;
	int r;

	cg_init(cg);
	cg->id = c->id;
	/* chapter 05: config.json's cgroupsPath, below every root */
	if (c->oci.cgroup)
		snprintf(cg->path, sizeof(cg->path), "%s", c->oci.cgroup);
	else
		snprintf(cg->path, sizeof(cg->path), "%s/%s", CG_PARENT, c->id);
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
	r = apply_devices(cg, c);
	if (r < 0)
		goto out_destroy; /* it said why */
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

int cg_join(struct cgroup *cg)
{
	if (!cg->drv || !cg->drv->join)
		return 0;
	return cg->drv->join(cg);
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

int cg_open(struct cgroup *cg, const char *path)
{
	int i, r;

	cg_init(cg);
	cg->id = path;
	snprintf(cg->path, sizeof(cg->path), "%s", path);
	r = cg->drv->probe(cg);
	if (r < 0)
		return r;
	for (i = 0; i < CG_NR_CONTROLLERS; i++) {
		if (!cg->root[i][0])
			continue;
		r = path_join(cg->dir[i], sizeof(cg->dir[i]), cg->root[i],
			      cg->path);
		if (r < 0)
			return r;
		/* v1 hierarchies shared by two controllers: one rmdir */
		if (i > 0 && streq(cg->root[i], cg->root[i - 1]))
			cg->dir[i][0] = '\0';
	}
	return 0;
}
