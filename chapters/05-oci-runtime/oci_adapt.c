/* SPDX-License-Identifier: MIT */
/*
 * oci_adapt.c - chapter 05's lesson in one file: every flag of chapters
 * 00-04 is a field of config.json.
 *
 *	barge run flag           config.json                  struct container
 *	COMMAND ARG...           process.args                 argv
 *	--rootfs DIR             root.path                    rootfs
 *	--hostname NAME          hostname                     hostname
 *	--memory, --memory-swap  linux.resources.memory       limits
 *	--cpus, --cpu-shares     linux.resources.cpu          limits
 *	--pids-limit             linux.resources.pids         limits
 *	--cap-add, --cap-drop    process.capabilities         sec.caps...
 *	--security-opt seccomp=  linux.seccomp                sec.seccomp
 *	--userns                 linux.namespaces "user",     sec.userns,
 *	                         uidMappings, gidMappings     sec.uid_map...
 *	--read-only              root.readonly                sec.read_only
 *	--user UID:GID           process.user                 sec.uid, gid
 *	--ulimit                 process.rlimits              sec.ulimits
 *	(always)                 linux.maskedPaths...         oci.masked...
 *
 * The limits go through the very parser barge's flags use
 * (cg_parse_option), so a limit means the same either way. What no flag
 * had (mounts, sysctls, devices, hooks, env, cwd, a terminal) the child
 * reads from the config itself, through c->oci.oci.
 *
 * Two things barge did by default have no field in the spec: its own
 * seccomp filter and its minimal init. barge's bundles ask for them with
 * annotations, which the spec reserves for exactly this: "org.barge.init"
 * and "org.barge.seccomp" ("default" or a profile file).
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barge.h"
#include "cgroups.h"
#include "oci_adapt.h"
#include "util.h"

static const char *annotation(const struct oci_config *oc, const char *key)
{
	size_t i;

	for (i = 0; i < oc->n_annotations; i++)
		if (streq(oc->annotations[i].key, key))
			return oc->annotations[i].value;
	return NULL;
}

/* One limit, through the flag parser of chapter 03. */
static int limit(struct container *c, const char *flag, const char *fmt,
		 long long v, char *err, size_t size)
{
	const char *expect;
	char buf[64];

	snprintf(buf, sizeof(buf), fmt, v);
	if (cg_parse_option(&c->limits, flag, buf, &expect) < 0) {
		snprintf(err, size, "linux.resources: %s %s: expected %s", flag,
			 buf, expect);
		return -EINVAL;
	}
	return 0;
}

static int adapt_resources(struct container *c, const struct oci_config *oc,
			   char *err, size_t size)
{
	const struct oci_resources *rs = &oc->linux_spec.resources;
	const char *why;
	int r = 0;

	if (rs->has_memory_limit && rs->memory_limit > 0)
		r = limit(c, "memory", "%lld", rs->memory_limit, err, size);
	if (r == 0 && rs->has_memory_swap && rs->memory_swap != 0 &&
	    rs->has_memory_limit && rs->memory_limit > 0 &&
	    rs->memory_swap != rs->memory_limit)
		r = limit(c, "memory-swap", "%lld",
			  rs->memory_swap < 0 ? -1 : rs->memory_swap, err,
			  size);
	/* --cpus is quota per a 100 ms period: scale the config's pair */
	if (r == 0 && rs->has_cpu_quota && rs->cpu_quota > 0) {
		uint64_t period = rs->has_cpu_period && rs->cpu_period
					  ? rs->cpu_period
					  : CG_CPU_PERIOD;
		c->limits.cpu_quota = rs->cpu_quota * CG_CPU_PERIOD / period;
		r = limit(c, "cpus", "%lld", 1, err, size);
		c->limits.cpu_quota = rs->cpu_quota * CG_CPU_PERIOD / period;
	}
	if (r == 0 && rs->has_cpu_shares && rs->cpu_shares)
		r = limit(c, "cpu-shares", "%lld", rs->cpu_shares, err, size);
	if (r == 0 && rs->has_pids_limit && rs->pids_limit > 0)
		r = limit(c, "pids-limit", "%lld", rs->pids_limit, err, size);
	if (r == 0 && cg_check_limits(&c->limits, &why) < 0) {
		snprintf(err, size, "linux.resources: %s", why);
		r = -EINVAL;
	}
	return r;
}

static int cap_mask(char **names, uint64_t *ret, const char *set, char *err,
		    size_t size)
{
	int cap;

	*ret = 0;
	for (; names && *names; names++) {
		if (caps_parse(*names, &cap) < 0 || cap < 0) {
			snprintf(err, size,
				 "process.capabilities.%s: unknown capability "
				 "%s",
				 set, *names);
			return -EINVAL;
		}
		*ret |= (uint64_t)1 << cap;
	}
	return 0;
}

static int adapt_caps(struct security *s, const struct oci_process *p,
		      char *err, size_t size)
{
	const struct oci_capabilities *k = &p->caps;
	int r;

	s->oci_caps = true;
	r = cap_mask(k->bounding, &s->caps, "bounding", err, size);
	if (r == 0)
		r = cap_mask(k->effective, &s->cap_effective, "effective", err,
			     size);
	if (r == 0)
		r = cap_mask(k->permitted, &s->cap_permitted, "permitted", err,
			     size);
	if (r == 0)
		r = cap_mask(k->inheritable, &s->cap_inheritable, "inheritable",
			     err, size);
	if (r == 0)
		r = cap_mask(k->ambient, &s->cap_ambient, "ambient", err, size);
	return r;
}

static int adapt_process(struct container *c, const struct oci_process *p,
			 char *err, size_t size)
{
	struct security *s = &c->sec;
	size_t i;

	c->argv = p->args;
	c->oci.env = p->env;
	c->oci.cwd = p->cwd;
	s->user_set = true;
	s->uid = p->uid;
	s->gid = p->gid;
	s->groups = p->additional_gids;
	s->n_groups = p->n_additional_gids;
	s->keep_new_privs = !p->no_new_privileges;
	s->has_oom_score_adj = p->has_oom_score_adj;
	s->oom_score_adj = p->oom_score_adj;
	if (p->n_rlimits > SEC_MAX_ULIMITS) {
		snprintf(err, size, "process.rlimits: at most %d",
			 SEC_MAX_ULIMITS);
		return -EINVAL;
	}
	for (i = 0; i < p->n_rlimits; i++) {
		s->ulimits[i].resource = p->rlimits[i].resource;
		s->ulimits[i].limit.rlim_cur = p->rlimits[i].soft;
		s->ulimits[i].limit.rlim_max = p->rlimits[i].hard;
	}
	s->n_ulimits = p->n_rlimits;
	if (p->has_capabilities)
		return adapt_caps(s, p, err, size);
	s->oci_caps = true; /* none given: none at all */
	return 0;
}

static int copy_maps(struct id_map *m, size_t *n,
		     const struct oci_id_mapping *from, size_t count,
		     const char *what, char *err, size_t size)
{
	size_t i;

	if (count > SEC_MAX_MAPS) {
		snprintf(err, size, "linux.%s: at most %d", what, SEC_MAX_MAPS);
		return -EINVAL;
	}
	for (i = 0; i < count; i++)
		m[i] = (struct id_map){ from[i].container_id, from[i].host_id,
					from[i].size };
	*n = count;
	return 0;
}

static int adapt_namespaces(struct container *c, const struct oci_config *oc,
			    char *err, size_t size)
{
	const struct oci_linux *l = &oc->linux_spec;
	size_t i;
	int r;

	/* LAB(oci-namespaces): the clone flags of the namespaces linux.namespaces lists without a path (those are joined) */
	for (i = 0; i < l->n_namespaces; i++)
		if (!l->namespaces[i].path)
			c->oci.ns_flags |= l->namespaces[i].type;
	/* LAB STUB: (void)i; */
	/* LAB STUB: c->oci.ns_flags = ns_default_flags(); */
	/* LAB END */
	/* the user namespace is chapter 04's: its maps are written the same
	 * way, after clone */
	if (c->oci.ns_flags & CLONE_NEWUSER) {
		c->oci.ns_flags &= ~CLONE_NEWUSER;
		c->sec.userns = true;
		r = copy_maps(c->sec.uid_map, &c->sec.n_maps, l->uid_mappings,
			      l->n_uid_mappings, "uidMappings", err, size);
		if (r == 0)
			r = copy_maps(c->sec.gid_map, &c->sec.n_gid_maps,
				      l->gid_mappings, l->n_gid_mappings,
				      "gidMappings", err, size);
		if (r < 0)
			return r;
	}
	/* an ordinary user: no cgroup; more than its own id needs the
	 * set-user-ID newuidmap(1) */
	c->sec.rootless = geteuid() != 0;
	c->sec.map_with_helpers = c->sec.rootless && c->sec.n_maps > 1;
	return 0;
}

/* linux.seccomp (the spec's format), or barge's annotation. */
static int adapt_seccomp(struct container *c, const struct oci_config *oc,
			 const char *config_path, char *err, size_t size)
{
	const char *want = annotation(oc, "org.barge.seccomp");
	json_t *root, *obj;
	int r;

	if (want && streq(want, "default"))
		r = syscalls_default_filter(c->sec.caps, &c->sec.seccomp);
	else if (want)
		r = profile_load(want, c->sec.caps, &c->sec.seccomp);
	else if (!oc->linux_spec.has_seccomp)
		return 0;
	else {
		root = json_load_file(config_path, 0, NULL);
		obj = json_object_get(json_object_get(root, "linux"),
				      "seccomp");
		r = obj ? profile_load_json(obj, "config.json: linux.seccomp",
					    c->sec.caps, &c->sec.seccomp)
			: -EINVAL;
		json_decref(root);
	}
	if (r < 0)
		snprintf(err, size, "linux.seccomp: the filter is refused");
	return r;
}

int oci_adapt(struct container *c, const struct oci_config *oc,
	      const char *bundle, const char *config_path, char *err,
	      size_t size)
{
	static char rootfs[PATH_MAX];
	const char *a;
	char path[PATH_MAX];
	int r;

	c->oci.oci = oc;
	c->oci.fifo_fd = c->oci.console_fd = -1;
	r = oc->root_path[0] == '/'
		? snprintf(path, sizeof(path), "%s", oc->root_path),
	0 : path_join(path, sizeof(path), bundle, oc->root_path);
	if (r < 0 || !realpath(path, rootfs) || is_dir(rootfs) != 1) {
		snprintf(err, size, "root.path: %s is not a directory", path);
		return -EINVAL;
	}
	c->rootfs = rootfs;
	c->hostname = oc->hostname;
	c->sec.read_only = oc->root_readonly;
	c->oci.masked = oc->linux_spec.masked_paths;
	c->oci.readonly = oc->linux_spec.readonly_paths;
	c->oci.cgroup = oc->linux_spec.cgroups_path;
	if (c->oci.cgroup)
		c->oci.cgroup += strspn(c->oci.cgroup, "/");
	if (c->oci.cgroup && !*c->oci.cgroup)
		c->oci.cgroup = NULL;
	a = annotation(oc, "org.barge.init");
	c->init = a && streq(a, "true");
	a = annotation(oc, "org.barge.stats");
	c->stats = a && streq(a, "true");
	a = annotation(oc, "org.barge.memory");
	r = adapt_process(c, &oc->process, err, size);
	if (r == 0)
		r = adapt_namespaces(c, oc, err, size);
	if (r == 0)
		r = adapt_resources(c, oc, err, size);
	c->limits.memory_arg = a;
	if (r == 0)
		r = adapt_seccomp(c, oc, config_path, err, size);
	return r;
}
