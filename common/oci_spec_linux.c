/* SPDX-License-Identifier: MIT */
/*
 * oci_spec_linux.c - config.json's "linux" object (config-linux.md): what
 * chapters 02-04 set up, namespaces, id mappings, cgroups, seccomp, masked
 * and read-only paths, sysctls and device nodes, in the spec's words.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "oci_spec_parse.h"
#include "strv.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
	const char *name;
	int flag;
} namespaces[] = {
	{ "pid", CLONE_NEWPID },       { "network", CLONE_NEWNET },
	{ "mount", CLONE_NEWNS },      { "ipc", CLONE_NEWIPC },
	{ "uts", CLONE_NEWUTS },       { "user", CLONE_NEWUSER },
	{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};

const char *oci_namespace_name(int flag)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(namespaces); i++)
		if (namespaces[i].flag == flag)
			return namespaces[i].name;
	return NULL;
}

const struct oci_namespace *oci_config_namespace(const struct oci_config *c,
						 int flag)
{
	size_t i;

	for (i = 0; i < c->linux_spec.n_namespaces; i++)
		if (c->linux_spec.namespaces[i].type == flag)
			return &c->linux_spec.namespaces[i];
	return NULL;
}

static int parse_namespace(struct jp *p, json_t *v, const char *path,
			   struct oci_linux *l)
{
	struct oci_namespace *ns = &l->namespaces[l->n_namespaces];
	char *type = NULL;
	size_t i;
	int r;

	r = jp_want_object(p, v, path);
	if (r < 0)
		return r;
	l->n_namespaces++;
	r = jp_string(p, v, path, "type", JP_REQUIRED, &type);
	if (r < 0)
		return r;
	for (i = 0; i < ARRAY_SIZE(namespaces); i++)
		if (streq(type, namespaces[i].name))
			break;
	if (i == ARRAY_SIZE(namespaces)) {
		char elem[JP_PATH_MAX];

		r = jp_fail(p, jp_key(elem, path, "type"),
			    "unknown namespace type \"%s\"", type);
		free(type);
		return r;
	}
	free(type);
	ns->type = namespaces[i].flag;
	/* config-linux.md: a namespace type given twice is an error. */
	for (i = 0; i + 1 < l->n_namespaces; i++)
		if (l->namespaces[i].type == ns->type)
			return jp_fail(p, path, "namespace \"%s\" given twice",
				       oci_namespace_name(ns->type));
	r = jp_string(p, v, path, "path", JP_OPTIONAL, &ns->path);
	if (r > 0 && ns->path[0] != '/')
		return jp_fail(p, path, "path \"%s\" is not absolute",
			       ns->path);
	return r < 0 ? r : 0;
}

static int parse_namespaces(struct jp *p, json_t *obj, struct oci_linux *l)
{
	char path[JP_PATH_MAX];
	json_t *a, *v;
	size_t i;
	int r;

	r = jp_array(p, obj, "linux", "namespaces", JP_OPTIONAL, &a);
	if (r <= 0)
		return r;
	l->namespaces = calloc(json_array_size(a) + 1, sizeof(*l->namespaces));
	if (!l->namespaces)
		return -ENOMEM;
	json_array_foreach(a, i, v)
	{
		r = parse_namespace(p, v, jp_index(path, "linux.namespaces", i),
				    l);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_mappings(struct jp *p, json_t *obj, const char *key,
			  struct oci_id_mapping **ret, size_t *ret_n)
{
	const char *const fields[] = { "containerID", "hostID", "size" };
	char list[JP_PATH_MAX], path[JP_PATH_MAX];
	json_t *a, *v;
	int64_t val[3];
	size_t i, f;
	int r;

	r = jp_array(p, obj, "linux", key, JP_OPTIONAL, &a);
	if (r <= 0)
		return r;
	*ret = calloc(json_array_size(a) + 1, sizeof(**ret));
	if (!*ret)
		return -ENOMEM;
	jp_key(list, "linux", key);
	json_array_foreach(a, i, v)
	{
		jp_index(path, list, i);
		r = jp_want_object(p, v, path);
		if (r < 0)
			return r;
		for (f = 0; f < 3; f++) {
			r = jp_int(p, v, path, fields[f], JP_REQUIRED, 0,
				   UINT32_MAX, &val[f]);
			if (r < 0)
				return r;
		}
		if (val[2] == 0)
			return jp_fail(p, path, "size must not be 0");
		(*ret)[i] = (struct oci_id_mapping){ val[0], val[1], val[2] };
		(*ret_n)++;
	}
	return 0;
}

static int parse_device_rule(struct jp *p, json_t *v, const char *path,
			     struct oci_device_rule *d)
{
	char *type = NULL, *access = NULL;
	json_t *allow;
	int r;

	r = jp_want_object(p, v, path);
	if (r < 0)
		return r;
	allow = json_object_get(v, "allow");
	if (!json_is_boolean(allow))
		return jp_fail(p, path, "allow is required, true or false");
	d->allow = json_is_true(allow);
	d->type = 'a';
	d->major = d->minor = -1;
	strcpy(d->access, "rwm");
	r = jp_string(p, v, path, "type", JP_OPTIONAL, &type);
	if (r > 0) {
		if (strlen(type) != 1 || !strchr("acb", type[0]))
			r = jp_fail(p, path, "type \"%s\" is not a, c or b",
				    type);
		else
			d->type = type[0];
		free(type);
	}
	if (r < 0)
		return r;
	r = jp_int(p, v, path, "major", JP_OPTIONAL, -1, INT32_MAX, &d->major);
	if (r < 0)
		return r;
	r = jp_int(p, v, path, "minor", JP_OPTIONAL, -1, INT32_MAX, &d->minor);
	if (r < 0)
		return r;
	r = jp_string(p, v, path, "access", JP_OPTIONAL, &access);
	if (r > 0) {
		if (!access[0] || strlen(access) > 3 ||
		    strspn(access, "rwm") != strlen(access))
			r = jp_fail(p, path,
				    "access \"%s\" is not a subset of \"rwm\"",
				    access);
		else
			strcpy(d->access, access);
		free(access);
	}
	return r < 0 ? r : 0;
}

static int parse_memory_cpu(struct jp *p, json_t *res, struct oci_resources *rs)
{
	json_t *o;
	int r;

	r = jp_object(p, res, "linux.resources", "memory", JP_OPTIONAL, &o);
	if (r > 0) {
		const char *path = "linux.resources.memory";

		r = jp_int(p, o, path, "limit", 0, -1, INT64_MAX,
			   &rs->memory_limit);
		rs->has_memory_limit = r > 0;
		if (r >= 0)
			r = jp_int(p, o, path, "swap", 0, -1, INT64_MAX,
				   &rs->memory_swap);
		rs->has_memory_swap = r > 0;
		if (r >= 0)
			r = jp_int(p, o, path, "reservation", 0, -1, INT64_MAX,
				   &rs->memory_reservation);
		rs->has_memory_reservation = r > 0;
	}
	if (r < 0)
		return r;
	r = jp_object(p, res, "linux.resources", "cpu", JP_OPTIONAL, &o);
	if (r > 0) {
		const char *path = "linux.resources.cpu";

		r = jp_uint64(p, o, path, "shares", 0, &rs->cpu_shares);
		rs->has_cpu_shares = r > 0;
		if (r >= 0)
			r = jp_int(p, o, path, "quota", 0, -1, INT64_MAX,
				   &rs->cpu_quota);
		rs->has_cpu_quota = r > 0;
		if (r >= 0)
			r = jp_uint64(p, o, path, "period", 0, &rs->cpu_period);
		rs->has_cpu_period = r > 0;
		if (r >= 0)
			r = jp_string(p, o, path, "cpus", 0, &rs->cpu_cpus);
		if (r >= 0)
			r = jp_string(p, o, path, "mems", 0, &rs->cpu_mems);
	}
	return r < 0 ? r : 0;
}

static int parse_resources(struct jp *p, json_t *obj, struct oci_linux *l)
{
	struct oci_resources *rs = &l->resources;
	char path[JP_PATH_MAX];
	json_t *res, *o, *a, *v;
	size_t i;
	int r;

	r = jp_object(p, obj, "linux", "resources", JP_OPTIONAL, &res);
	if (r <= 0)
		return r;
	l->has_resources = true;
	r = parse_memory_cpu(p, res, rs);
	if (r < 0)
		return r;
	r = jp_object(p, res, "linux.resources", "pids", JP_OPTIONAL, &o);
	if (r > 0)
		r = jp_int(p, o, "linux.resources.pids", "limit", JP_REQUIRED,
			   -1, INT64_MAX, &rs->pids_limit);
	if (r < 0)
		return r;
	rs->has_pids_limit = r > 0;
	r = jp_array(p, res, "linux.resources", "devices", JP_OPTIONAL, &a);
	if (r <= 0)
		return r;
	rs->devices = calloc(json_array_size(a) + 1, sizeof(*rs->devices));
	if (!rs->devices)
		return -ENOMEM;
	json_array_foreach(a, i, v)
	{
		r = parse_device_rule(
			p, v, jp_index(path, "linux.resources.devices", i),
			&rs->devices[i]);
		if (r < 0)
			return r;
		rs->n_devices++;
	}
	return 0;
}

/* linux.seccomp: the spec's format of seccomp_profile.h, which reads
 * it; chapter 04's code turns it into a filter. */
static int parse_seccomp(struct jp *p, json_t *obj, struct oci_linux *l)
{
	json_t *sec;
	int r;

	r = jp_object(p, obj, "linux", "seccomp", JP_OPTIONAL, &sec);
	if (r <= 0)
		return r;
	r = seccomp_profile_parse(p, sec, "linux.seccomp", SECCOMP_FORMAT_OCI,
				  0, &l->seccomp);
	if (r == 0)
		l->has_seccomp = true;
	return r;
}

static int parse_device(struct jp *p, json_t *v, const char *path,
			struct oci_device *d)
{
	char *type = NULL;
	int64_t i64 = 0;
	int r;

	r = jp_want_object(p, v, path);
	if (r < 0)
		return r;
	r = jp_string(p, v, path, "path", JP_REQUIRED, &d->path);
	if (r < 0)
		return r;
	if (d->path[0] != '/')
		return jp_fail(p, path, "path \"%s\" is not absolute", d->path);
	r = jp_string(p, v, path, "type", JP_REQUIRED, &type);
	if (r < 0)
		return r;
	if (strlen(type) != 1 || !strchr("cbup", type[0])) {
		r = jp_fail(p, path, "type \"%s\" is not c, b, u or p", type);
		free(type);
		return r;
	}
	d->type = type[0];
	free(type);
	/* config-linux.md: major and minor are required except for a fifo. */
	r = jp_int(p, v, path, "major", d->type != 'p', 0, INT32_MAX,
		   &d->major);
	if (r >= 0)
		r = jp_int(p, v, path, "minor", d->type != 'p', 0, INT32_MAX,
			   &d->minor);
	if (r >= 0)
		r = jp_int(p, v, path, "fileMode", 0, 0, S_IFMT | 07777, &i64);
	if (r < 0)
		return r;
	d->has_file_mode = r > 0;
	d->file_mode = i64;
	r = jp_int(p, v, path, "uid", 0, 0, UINT32_MAX - 1, &i64);
	d->has_uid = r > 0;
	d->uid = i64;
	if (r >= 0)
		r = jp_int(p, v, path, "gid", 0, 0, UINT32_MAX - 1, &i64);
	d->has_gid = r > 0;
	d->gid = i64;
	return r < 0 ? r : 0;
}

static int parse_devices(struct jp *p, json_t *obj, struct oci_linux *l)
{
	char path[JP_PATH_MAX];
	json_t *a, *v;
	size_t i;
	int r;

	r = jp_array(p, obj, "linux", "devices", JP_OPTIONAL, &a);
	if (r <= 0)
		return r;
	l->devices = calloc(json_array_size(a) + 1, sizeof(*l->devices));
	if (!l->devices)
		return -ENOMEM;
	json_array_foreach(a, i, v)
	{
		l->n_devices++;
		r = parse_device(p, v, jp_index(path, "linux.devices", i),
				 &l->devices[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_paths(struct jp *p, json_t *obj, const char *key, char ***ret)
{
	char path[JP_PATH_MAX];
	int r;

	r = jp_strv(p, obj, "linux", key, JP_OPTIONAL, ret);
	if (r < 0)
		return r;
	if (!*ret) {
		*ret = calloc(1, sizeof(char *));
		return *ret ? 0 : -ENOMEM;
	}
	return jp_check_absolute(p, *ret, jp_key(path, "linux", key));
}

static int parse_propagation(struct jp *p, json_t *obj, struct oci_linux *l)
{
	char *s = NULL;
	int r;

	r = jp_string(p, obj, "linux", "rootfsPropagation", JP_OPTIONAL, &s);
	if (r <= 0)
		return r;
	if (s[0] && oci_propagation_flags(s, &l->rootfs_propagation) < 0)
		r = jp_fail(p, "linux.rootfsPropagation",
			    "\"%s\" is not one of private, shared, slave, "
			    "unbindable (or r...)",
			    s);
	free(s);
	return r < 0 ? r : 0;
}

int oci_parse_linux(struct jp *p, json_t *obj, struct oci_linux *l)
{
	int r;

	r = parse_namespaces(p, obj, l);
	if (r >= 0)
		r = parse_mappings(p, obj, "uidMappings", &l->uid_mappings,
				   &l->n_uid_mappings);
	if (r >= 0)
		r = parse_mappings(p, obj, "gidMappings", &l->gid_mappings,
				   &l->n_gid_mappings);
	if (r >= 0)
		r = jp_string(p, obj, "linux", "cgroupsPath", JP_OPTIONAL,
			      &l->cgroups_path);
	if (r >= 0)
		r = parse_resources(p, obj, l);
	if (r >= 0)
		r = parse_seccomp(p, obj, l);
	if (r >= 0)
		r = parse_paths(p, obj, "maskedPaths", &l->masked_paths);
	if (r >= 0)
		r = parse_paths(p, obj, "readonlyPaths", &l->readonly_paths);
	if (r >= 0)
		r = jp_map(p, obj, "linux", "sysctl", &l->sysctl, &l->n_sysctl);
	if (r >= 0)
		r = parse_devices(p, obj, l);
	if (r >= 0)
		r = parse_propagation(p, obj, l);
	return r < 0 ? r : 0;
}

void oci_linux_free(struct oci_linux *l)
{
	size_t i;

	for (i = 0; i < l->n_namespaces; i++)
		free(l->namespaces[i].path);
	free(l->namespaces);
	free(l->uid_mappings);
	free(l->gid_mappings);
	free(l->cgroups_path);
	free(l->resources.cpu_cpus);
	free(l->resources.cpu_mems);
	free(l->resources.devices);
	seccomp_profile_free(&l->seccomp);
	strv_free(l->masked_paths);
	strv_free(l->readonly_paths);
	kv_free(l->sysctl, l->n_sysctl);
	for (i = 0; i < l->n_devices; i++)
		free(l->devices[i].path);
	free(l->devices);
}
