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
 *     anything exists; chapter 05: barge-runtime reads them from
 *     config.json's linux.resources instead (oci.c);
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
#include <limits.h>
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
	{ "linux.resources.memory.limit", "memory",
	  "the memory cgroup controller" },
	{ "linux.resources.memory.swap", "swap",
	  "swap accounting in the memory cgroup controller" },
	{ "linux.resources.cpu", "cpu", "the cpu cgroup controller" },
	{ "linux.resources.pids", "pids", "the pids cgroup controller" },
	{ "linux.resources.devices", "devices",
	  "the devices cgroup controller" },
};

/* A limit the host cannot enforce is an error, never a silent no-op. */
static int check_controllers(struct cgroup *cg, const struct container *c)
{
	const struct cg_limits *l = &c->limits;
	const bool wanted[] = { l->memory, l->memory_swap,
				l->cpu_quota || l->cpu_shares, l->pids,
				c->n_device_rules };
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

bool cg_unified(void)
{
	return cg_detect() == &cg_v2_driver;
}

/*
 * No device but those every container needs (cgroup_devices.c): the
 * container's root may mknod (CAP_MKNOD), but a node of the host's disk
 * cannot be opened. Chapter 05: config.json's rules, then those; none
 * leaves the devices the runtime's own cgroup has.
 */
static int set_devices(struct cgroup *cg, const struct container *c)
{
	struct cg_device_rule *rules;
	size_t n;
	int r;

	if (!c->n_device_rules)
		return 0;
	r = cg_device_rules(c->device_rules, c->n_device_rules, &rules, &n);
	if (r < 0)
		return r;
	r = cg->drv->set_devices(cg, rules, n);
	free(rules);
	return r;
}

/* The longest name of a file barge writes in a cgroup, with room to
 * spare: memory.memsw.limit_in_bytes. */
#define CG_FILE_MAX 32

/* Chapter 05: cg->path, below each hierarchy's root and with the name of
 * any file written in it (CG_FILE_MAX), must fit in a path, and each of
 * its names in NAME_MAX. Checked before anything is made: a mkdir that
 * fails deep down would leave the parents it made behind. */
static int check_length(struct cgroup *cg)
{
	const char *p;
	size_t n;
	int i;

	for (p = cg->path; *p; p += n) {
		p += strspn(p, "/");
		n = strcspn(p, "/");
		if (n > NAME_MAX) {
			snprintf(cg->failed, sizeof(cg->failed), "%.40s...", p);
			return -ENAMETOOLONG;
		}
	}
	for (i = 0; i < CG_NR_CONTROLLERS; i++) {
		/* ROOT/PATH/FILE and its NUL */
		n = strlen(cg->root[i]) + strlen(cg->path) + CG_FILE_MAX + 3;
		if (!cg->root[i][0] || n <= PATH_MAX)
			continue;
		snprintf(cg->failed, sizeof(cg->failed), "%s/%.40s...",
			 cg->root[i], cg->path);
		return -ENAMETOOLONG;
	}
	return 0;
}

/* Create first: on v2, whether swap is accounted shows in the files of
 * the new cgroup, which exist once its parent enabled the controllers. */
int cg_create(struct cgroup *cg, const struct container *c)
{
	const char *step = "find the cgroup hierarchies";
	int r;

	memset(cg, 0, sizeof(*cg));
	cg->drv = cg_detect();
	cg->id = c->id;
	snprintf(cg->path, sizeof(cg->path), "%s", c->cgroup_path);
	r = cg->drv->probe(cg);
	if (r < 0)
		return log_errno(r, "cgroup %s: %s: %s", cg->drv->name, step,
				 cg->failed);
	step = "create";
	r = check_length(cg);
	if (r < 0)
		return log_errno(r, "cgroup %s: %s: %s", cg->drv->name, step,
				 cg->failed);
	r = cg->drv->create(cg);
	if (r < 0)
		goto out_failed;
	r = check_controllers(cg, c);
	if (r < 0)
		goto out_destroy; /* it said why */
	step = "set limits";
	r = cg->drv->set_limits(cg, &c->limits);
	if (r < 0)
		goto out_failed;
	step = "set the device rules";
	r = set_devices(cg, c);
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
	if (c->limits.memory) /* chapter 05: config.json says bytes */
		log_error("container %s was killed: out of memory (limit %.1f "
			  "MiB)",
			  c->id, c->limits.memory / 1048576.0);
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
	struct cg_stats st = CG_STATS_UNKNOWN;
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

/* Chapter 06: find the cgroup at path that an earlier create made (for
 * kill --all and delete, later processes), without creating anything. */
int cg_open(struct cgroup *cg, const char *path)
{
	int i, r;

	memset(cg, 0, sizeof(*cg));
	cg->drv = cg_detect();
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

int cg_procs(const char *path, pid_t **ret, size_t *n)
{
	char file[PATH_MAX];
	struct cgroup cg;
	pid_t *pids = NULL, *more;
	size_t cap = 0;
	FILE *f;
	int pid, r;

	*n = 0;
	r = cg_open(&cg, path);
	/* the pids controller's hierarchy on v1 (every process is in one) */
	if (r == 0)
		r = path_join(file, sizeof(file),
			      cg.dir[CG_PIDS][0] ? cg.dir[CG_PIDS] : cg.dir[0],
			      "cgroup.procs");
	if (r < 0)
		return r;
	f = fopen(file, "re");
	if (!f)
		return -errno;
	while (fscanf(f, "%d", &pid) == 1) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			more = realloc(pids, cap * sizeof(*pids));
			if (!more) {
				r = -ENOMEM;
				break;
			}
			pids = more;
		}
		pids[(*n)++] = pid;
	}
	fclose(f);
	if (r < 0) {
		free(pids);
		*n = 0;
		return r;
	}
	*ret = pids;
	return 0;
}
