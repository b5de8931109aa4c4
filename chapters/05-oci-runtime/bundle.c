/* SPDX-License-Identifier: MIT */
/*
 * bundle.c - barge run's flags, written as an OCI bundle's config.json.
 *
 * From this chapter on barge no longer makes containers itself: it says
 * what it wants in the standard form and lets the OCI runtime do it, as
 * docker hands a bundle to runc through containerd. oci_adapt.c reads
 * back, field by field, what this file writes: the table at its top is
 * the map between the two.
 *
 * barge leaves "mounts" out: the runtime then makes chapter 04's /proc,
 * /sys, /dev and /etc/hostname itself.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barge.h"
#include "bundle.h"
#include "cgroups.h"
#include "runtime.h"
#include "util.h"

/* RLIMIT_NOFILE -> "RLIMIT_NOFILE", by chapter 04's table (security.c). */
static const char *rlimit_type(int resource)
{
	const struct rlimit_name *n;

	for (n = sec_rlimit_names; n->oci; n++)
		if (n->resource == resource)
			break;
	return n->oci;
}

/* RLIM_INFINITY is -1 as a uint64: JSON numbers are signed in jansson. */
static json_t *rlimits(const struct security *s)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < s->n_ulimits; i++)
		json_array_append_new(
			a,
			json_pack("{s:s, s:I, s:I}", "type",
				  rlimit_type(s->ulimits[i].resource), "soft",
				  (json_int_t)s->ulimits[i].limit.rlim_cur,
				  "hard",
				  (json_int_t)s->ulimits[i].limit.rlim_max));
	return a;
}

static json_t *process(const struct container *c)
{
	const struct security *s = &c->sec;
	const char *term = getenv("TERM");
	char env_term[80], env_host[80];
	const char *env[] = { "PATH=/usr/local/sbin:/usr/local/bin:"
			      "/usr/sbin:/usr/bin:/sbin:/bin",
			      "HOME=/root", env_term, env_host, NULL };

	snprintf(env_term, sizeof(env_term), "TERM=%s",
		 term && *term && strlen(term) < 64 ? term : "xterm");
	snprintf(env_host, sizeof(env_host), "HOSTNAME=%s", c->hostname);
	return json_pack("{s:b, s:{s:I, s:I}, s:o, s:o, s:s, "
			 "s:{s:o, s:o, s:o}, s:o, s:b}",
			 "terminal", 0, "user", "uid",
			 (json_int_t)(s->user_set ? s->uid : 0), "gid",
			 (json_int_t)(s->user_set ? s->gid : 0), "args",
			 spec_strv((const char *const *)c->argv), "env",
			 spec_strv(env), "cwd", "/", "capabilities", "bounding",
			 spec_caps(s->caps), "effective", spec_caps(s->caps),
			 "permitted", spec_caps(s->caps), "rlimits", rlimits(s),
			 "noNewPrivileges", 1);
}

static json_t *id_maps(const struct id_map *m, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(
			a, json_pack("{s:I, s:I, s:I}", "containerID",
				     (json_int_t)m[i].inside, "hostID",
				     (json_int_t)m[i].outside, "size",
				     (json_int_t)m[i].count));
	return a;
}

static json_t *resources(const struct cg_limits *l)
{
	json_t *r = json_object(), *mem = json_object(), *cpu = json_object();

	if (l->memory)
		json_object_set_new(mem, "limit", json_integer(l->memory));
	if (l->memory_swap)
		json_object_set_new(mem, "swap", json_integer(l->memory_swap));
	if (l->cpu_quota) {
		json_object_set_new(cpu, "quota", json_integer(l->cpu_quota));
		json_object_set_new(cpu, "period", json_integer(CG_CPU_PERIOD));
	}
	if (l->cpu_shares)
		json_object_set_new(cpu, "shares", json_integer(l->cpu_shares));
	json_object_set_new(r, "memory", mem);
	json_object_set_new(r, "cpu", cpu);
	if (l->pids)
		json_object_set_new(r, "pids",
				    json_pack("{s:i}", "limit", l->pids));
	return r;
}

static json_t *namespaces(const struct container *c)
{
	static const char *const types[] = { "pid", "network", "ipc",
					     "uts", "mount",   "cgroup" };
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < ARRAY_SIZE(types); i++)
		json_array_append_new(a, json_pack("{s:s}", "type", types[i]));
	if (c->sec.userns)
		json_array_append_new(a, json_pack("{s:s}", "type", "user"));
	return a;
}

static json_t *linux_spec(const struct container *c)
{
	char cgroup[PATH_MAX];
	json_t *l;

	snprintf(cgroup, sizeof(cgroup), "/%s/%s", CG_PARENT, c->id);
	l = json_pack("{s:o, s:o, s:o, s:o}", "namespaces", namespaces(c),
		      "resources", resources(&c->limits), "maskedPaths",
		      spec_strv(paths_default_masked), "readonlyPaths",
		      spec_strv(paths_default_readonly));
	if (l && !c->sec.rootless)
		json_object_set_new(l, "cgroupsPath", json_string(cgroup));
	if (l && c->sec.userns) {
		json_object_set_new(l, "uidMappings",
				    id_maps(c->sec.uid_map, c->sec.n_maps));
		json_object_set_new(l, "gidMappings",
				    id_maps(c->sec.gid_map, c->sec.n_gid_maps));
	}
	return l;
}

/* What the spec has no field for: barge's init, --stats, barge's own
 * seccomp filter or a Docker profile (runtime-specific annotations). */
static json_t *annotations(const struct container *c)
{
	json_t *a = json_object();

	json_object_set_new(a, "org.barge.init",
			    json_string(c->init ? "true" : "false"));
	if (c->stats)
		json_object_set_new(a, "org.barge.stats", json_string("true"));
	if (c->limits.memory_arg)
		json_object_set_new(a, "org.barge.memory",
				    json_string(c->limits.memory_arg));
	if (!c->sec.seccomp_unconfined)
		json_object_set_new(a, "org.barge.seccomp",
				    json_string(c->sec.seccomp_file
							? c->sec.seccomp_file
							: "default"));
	return a;
}

json_t *bundle_config(const struct container *c, const char *rootfs)
{
	return json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}",
			 "ociVersion", "1.0.2", "process", process(c), "root",
			 "path", rootfs, "readonly", c->sec.read_only,
			 "hostname", c->hostname, "linux", linux_spec(c),
			 "annotations", annotations(c));
}

int bundle_write(const struct container *c, const char *dir)
{
	char path[PATH_MAX], rootfs[PATH_MAX], seccomp[PATH_MAX];
	struct container abs = *c;
	json_t *config;
	int r;

	if (!realpath(c->rootfs, rootfs))
		return -errno;
	/* the runtime runs elsewhere: a profile's path must be absolute */
	if (c->sec.seccomp_file) {
		if (!realpath(c->sec.seccomp_file, seccomp))
			return -errno;
		abs.sec.seccomp_file = seccomp;
	}
	r = mkdir_p(dir, 0700);
	if (r == 0)
		r = path_join(path, sizeof(path), dir, "config.json");
	if (r < 0)
		return r;
	config = bundle_config(&abs, rootfs);
	if (!config)
		return -ENOMEM;
	r = json_dump_file(config, path, JSON_INDENT(2)) < 0 ? -EIO : 0;
	json_decref(config);
	return r;
}

void remove_bundle(const char *dir)
{
	char path[PATH_MAX];

	if (path_join(path, sizeof(path), dir, "config.json") == 0)
		unlink(path);
	rmdir(dir);
}
