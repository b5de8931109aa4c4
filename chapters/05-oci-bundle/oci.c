/* SPDX-License-Identifier: MIT */
/*
 * oci.c - barge-runtime's one door in: a bundle's config.json, already
 * parsed and checked (common/oci_spec.c), turned into the struct
 * container that the code of chapters 00-04 works on. Nothing past this
 * file sees config.json.
 *
 * It is bundle.c read backwards. Every flag of chapters 01-04 is a field:
 *
 *	barge run flag           config.json                  struct container
 *	COMMAND ARG...           process.args                 argv
 *	--rootfs DIR             root.path                    rootfs
 *	--read-only              root.readonly                sec.read_only
 *	--hostname NAME          hostname                     hostname
 *	--user UID:GID           process.user                 sec.uid, gid
 *	--ulimit                 process.rlimits              sec.ulimits
 *	--cap-add, --cap-drop    process.capabilities         sec.caps...
 *	--memory, --memory-swap  linux.resources.memory       limits
 *	--cpus, --cpu-shares     linux.resources.cpu          limits
 *	--pids-limit             linux.resources.pids         limits
 *	--security-opt seccomp=  linux.seccomp                sec.profile
 *	--userns                 linux.namespaces "user",     sec.userns,
 *	                         uidMappings, gidMappings     sec.uid_map...
 *	(always)                 mounts                       mounts
 *	(always)                 linux.namespaces             ns_flags
 *	(always)                 linux.maskedPaths...         sec.masked...
 *	(--stats)                annotations org.barge.stats  stats
 *
 * What config.json does not ask for, the runtime does not do; what it
 * asks for and barge-runtime cannot do is refused here, naming the field,
 * before anything is created. Chapter 06 adds the hooks, a terminal,
 * joining a namespace and sysctls.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "barge.h"
#include "cgroups.h"
#include "util.h"

/* "PATH: what is wrong" into the error buffer; -EINVAL. */
static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char unsupported[] = "not supported by barge-runtime";

/* "CAP_KILL"... as bits; the parser checked the form of the names, the
 * running kernel decides which it knows. */
static int cap_set(char **names, uint64_t *ret, const char *set, char *err,
		   size_t size)
{
	/* LAB(cap-names): names as bits of *ret (bit N = capability N); a name this kernel lacks: fail(), naming process.capabilities.SET */
	cap_value_t cap;

	*ret = 0;
	for (; names && *names; names++) {
		if (cap_from_name(*names, &cap) < 0 || cap < 0 || cap >= 64)
			return fail(err, size,
				    "process.capabilities.%s: this kernel has "
				    "no %s",
				    set, *names);
		*ret |= (uint64_t)1 << cap;
	}
	return 0;
	/* LAB STUB: (void)names, (void)set, (void)err, (void)size; */
	/* LAB STUB: *ret = 0; */
	/* LAB STUB: return 0; */
	/* LAB END */
}

static int adapt_caps(struct security *s, const struct oci_capabilities *k,
		      char *err, size_t size)
{
	int r;

	r = cap_set(k->bounding, &s->caps, "bounding", err, size);
	if (r == 0)
		r = cap_set(k->effective, &s->cap_effective, "effective", err,
			    size);
	if (r == 0)
		r = cap_set(k->permitted, &s->cap_permitted, "permitted", err,
			    size);
	if (r == 0)
		r = cap_set(k->inheritable, &s->cap_inheritable, "inheritable",
			    err, size);
	if (r == 0)
		r = cap_set(k->ambient, &s->cap_ambient, "ambient", err, size);
	return r;
}

/* process: what runs, as whom, with which privileges. No capabilities
 * given is none at all. */
static int adapt_process(struct container *c, const struct oci_process *p,
			 char *err, size_t size)
{
	struct security *s = &c->sec;
	size_t i;

	if (p->terminal)
		return fail(err, size,
			    "process.terminal: a terminal needs a "
			    "console socket (chapter 06)");
	c->argv = p->args;
	c->env = p->env;
	c->cwd = p->cwd;
	c->oom_score_adj = p->has_oom_score_adj ? &p->oom_score_adj : NULL;
	c->umask = p->has_umask ? &p->umask : NULL;
	s->user_set = true;
	s->uid = p->uid;
	s->gid = p->gid;
	s->groups = p->additional_gids;
	s->n_groups = p->n_additional_gids;
	s->no_new_privs = p->no_new_privileges;
	if (p->n_rlimits > SEC_MAX_ULIMITS)
		return fail(err, size, "process.rlimits: at most %d",
			    SEC_MAX_ULIMITS);
	for (i = 0; i < p->n_rlimits; i++) {
		s->ulimits[i].resource = p->rlimits[i].resource;
		s->ulimits[i].limit.rlim_cur = p->rlimits[i].soft;
		s->ulimits[i].limit.rlim_max = p->rlimits[i].hard;
	}
	s->n_ulimits = p->n_rlimits;
	return adapt_caps(s, &p->caps, err, size);
}

static int copy_maps(struct id_map *m, size_t *n,
		     const struct oci_id_mapping *from, size_t count,
		     const char *what, char *err, size_t size)
{
	size_t i;

	if (count == 0 || count > SEC_MAX_MAPS)
		return fail(err, size,
			    "linux.%s: a user namespace needs 1 to %d lines",
			    what, SEC_MAX_MAPS);
	for (i = 0; i < count; i++)
		m[i] = (struct id_map){ from[i].container_id, from[i].host_id,
					from[i].size };
	*n = count;
	return 0;
}

/* linux.namespaces: the ones listed are created; the others are the
 * runtime's own, shared (config-linux.md). */
static int adapt_namespaces(struct container *c, const struct oci_linux *l,
			    char *err, size_t size)
{
	struct security *s = &c->sec;
	size_t i;
	int r;

	for (i = 0; i < l->n_namespaces; i++) {
		if (l->namespaces[i].path)
			return fail(err, size,
				    "linux.namespaces[%zu].path: joining a "
				    "namespace comes in chapter 06",
				    i);
		c->ns_flags |= l->namespaces[i].type;
	}
	if (c->ns_flags &
	    ~(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWIPC |
	      CLONE_NEWUTS | CLONE_NEWUSER | CLONE_NEWCGROUP))
		return fail(err, size,
			    "linux.namespaces: barge-runtime "
			    "cannot create a time namespace");
	if (!(c->ns_flags & CLONE_NEWNS))
		return fail(err, size,
			    "linux.namespaces: a container needs "
			    "its own mount namespace");
	/* the user namespace is chapter 04's: its maps are written the same
	 * way, after clone (userns.c) */
	s->rootless = geteuid() != 0;
	if (!(c->ns_flags & CLONE_NEWUSER))
		return 0;
	c->ns_flags &= ~CLONE_NEWUSER;
	s->userns = true;
	r = copy_maps(s->uid_map, &s->n_maps, l->uid_mappings,
		      l->n_uid_mappings, "uidMappings", err, size);
	if (r == 0)
		r = copy_maps(s->gid_map, &s->n_gid_maps, l->gid_mappings,
			      l->n_gid_mappings, "gidMappings", err, size);
	/* an ordinary user: more than its own id needs newuidmap(1) */
	s->map_with_helpers =
		s->rootless &&
		(s->n_maps > 1 || s->n_gid_maps > 1 ||
		 s->uid_map[0].count > 1 || s->gid_map[0].count > 1);
	return r;
}

/* linux.resources, in chapter 03's struct cg_limits: --cpus is a quota
 * per CG_CPU_PERIOD, so another period is scaled to it. */
static int adapt_resources(struct container *c, const struct oci_linux *l,
			   char *err, size_t size)
{
	const struct oci_resources *rs = &l->resources;
	struct cg_limits *lim = &c->limits;
	uint64_t period = CG_CPU_PERIOD;

	if (rs->cpu_cpus)
		return fail(err, size, "linux.resources.cpu.cpus: %s",
			    unsupported);
	if (rs->cpu_mems)
		return fail(err, size, "linux.resources.cpu.mems: %s",
			    unsupported);
	if (rs->has_memory_reservation)
		return fail(err, size, "linux.resources.memory.reservation: %s",
			    unsupported);
	if (rs->has_memory_limit && rs->memory_limit > 0)
		lim->memory = rs->memory_limit;
	if (rs->has_memory_swap)
		lim->memory_swap = rs->memory_swap;
	if (lim->memory_swap > 0 && lim->memory_swap < lim->memory)
		return fail(err, size,
			    "linux.resources.memory.swap: less "
			    "than the limit; it is memory and swap "
			    "together");
	if (rs->has_cpu_period && rs->cpu_period)
		period = rs->cpu_period;
	if (rs->has_cpu_quota && rs->cpu_quota > 0)
		lim->cpu_quota = rs->cpu_quota * CG_CPU_PERIOD / period;
	if (rs->has_cpu_shares && rs->cpu_shares) {
		if (rs->cpu_shares < 2 || rs->cpu_shares > 262144)
			return fail(err, size,
				    "linux.resources.cpu.shares: "
				    "must be from 2 to 262144");
		lim->cpu_shares = rs->cpu_shares;
	}
	if (rs->has_pids_limit && rs->pids_limit > 0)
		lim->pids = rs->pids_limit > INT_MAX ? INT_MAX : rs->pids_limit;
	return 0;
}

/* linux.resources.devices, as chapter 03's rules (free them). */
static int adapt_devices(struct container *c, const struct oci_linux *l)
{
	const struct oci_device_rule *d = l->resources.devices;
	size_t i, n = l->resources.n_devices;

	if (!n)
		return 0;
	c->device_rules = calloc(n, sizeof(*c->device_rules));
	if (!c->device_rules)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		c->device_rules[i] =
			(struct cg_device_rule){ d[i].allow, d[i].type,
						 d[i].major, d[i].minor, "" };
		memcpy(c->device_rules[i].access, d[i].access,
		       sizeof(d[i].access));
	}
	c->n_device_rules = n;
	return 0;
}

/* The cgroup: cgroupsPath, below each hierarchy's root (a leading "/" or
 * not). Resources without one go to barge/ID, as the spec lets a runtime
 * choose; no cgroupsPath and no resources is no cgroup. */
static int adapt_cgroup(struct container *c, const struct oci_linux *l,
			char *err, size_t size)
{
	static char path[PATH_MAX];
	const char *p = l->cgroups_path;

	if (!p && !l->has_resources)
		return 0;
	if (p)
		p += strspn(p, "/");
	if (p && (strstr(p, "..") || !*p))
		return fail(err, size,
			    "linux.cgroupsPath: \"%s\" is not a "
			    "cgroup below the root",
			    l->cgroups_path);
	if (snprintf(path, sizeof(path), "%s", p ? p : "") >=
		    (int)sizeof(path) ||
	    (!p && snprintf(path, sizeof(path), "%s/%s", CG_PARENT, c->id) >=
			   (int)sizeof(path)))
		return fail(err, size, "linux.cgroupsPath: too long");
	c->cgroup_path = path;
	return 0;
}

/* What barge-runtime does not do, refused rather than ignored. */
static int refuse_unsupported(const struct oci_config *oc, char *err,
			      size_t size)
{
	if (oc->linux_spec.n_devices)
		return fail(err, size, "linux.devices: %s", unsupported);
	if (oc->linux_spec.rootfs_propagation)
		return fail(err, size, "linux.rootfsPropagation: %s",
			    unsupported);
	if (oc->domainname)
		return fail(err, size, "domainname: %s", unsupported);
	return 0;
}

/* What chapter 06 adds; refused until then, rather than ignored. */
static int refuse_later(const struct oci_config *oc, char *err, size_t size)
{
	size_t k;

	for (k = 0; k < OCI_HOOK_KINDS; k++)
		if (oc->hooks[k].n)
			return fail(err, size,
				    "hooks.%s: hooks come in "
				    "chapter 06",
				    oci_hook_name(k));
	if (oc->linux_spec.n_sysctl)
		return fail(err, size, "linux.sysctl: comes in chapter 06");
	return refuse_unsupported(oc, err, size);
}

int oci_adapt(struct container *c, const struct oci_config *oc,
	      const char *bundle, char *err, size_t size)
{
	static char rootfs[PATH_MAX];
	const struct oci_linux *l = &oc->linux_spec;
	char path[PATH_MAX], why[PATH_MAX + 64];
	size_t i;
	int r;

	r = refuse_later(oc, err, size);
	if (r < 0)
		return r;
	if (!oc->has_process)
		return fail(err, size, "process: required to run a container");
	r = oc->root_path[0] == '/'
		    ? snprintf(path, sizeof(path), "%s", oc->root_path) <
				      (int)sizeof(path)
			      ? 0
			      : -ENAMETOOLONG
		    : path_join(path, sizeof(path), bundle, oc->root_path);
	if (r == 0 && !realpath(path, rootfs))
		r = -errno;
	/* A rootless runtime may not search a directory above it. */
	if (r == -EACCES && path_blocked_at(path, why, sizeof(why)) == 1)
		return fail(err, size, "root.path: %s is out of reach: %s",
			    path, why);
	if (r < 0 || is_dir(rootfs) != 1)
		return fail(err, size, "root.path: %s is not a directory",
			    path);
	c->rootfs = rootfs;
	c->bundle = bundle;
	c->sec.read_only = oc->root_readonly;
	c->mounts = oc->mounts;
	c->n_mounts = oc->n_mounts;
	c->sec.masked = l->masked_paths;
	c->sec.readonly = l->readonly_paths;
	c->sec.profile = l->seccomp; /* a copy of the pointers: oc owns it */
	c->sec.seccomp_unconfined = !l->has_seccomp;
	for (i = 0; i < oc->n_annotations; i++)
		if (streq(oc->annotations[i].key, "org.barge.stats"))
			c->stats = streq(oc->annotations[i].value, "true");
	r = adapt_process(c, &oc->process, err, size);
	if (r == 0)
		r = adapt_namespaces(c, l, err, size);
	if (r == 0)
		r = adapt_resources(c, l, err, size);
	if (r == 0)
		r = adapt_cgroup(c, l, err, size);
	if (r == 0 && adapt_devices(c, l) < 0)
		r = fail(err, size, "linux.resources.devices: out of memory");
	c->hostname = oc->hostname;
	if (r == 0 && c->hostname && !(c->ns_flags & CLONE_NEWUTS))
		r = fail(err, size,
			 "hostname: needs a UTS namespace of the "
			 "container's own");
	return r;
}
