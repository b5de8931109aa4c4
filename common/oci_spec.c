/* SPDX-License-Identifier: MIT */
/*
 * oci_spec.c - read a bundle's config.json into struct oci_config.
 *
 * The top of the file and the "process", "root", "hooks" and "annotations"
 * objects are here; "mounts" is in oci_spec_mounts.c, "linux" in oci_spec_linux.c.
 * Each parse_* function reads one object of the spec, in the order
 * config.md describes them, and checks what the spec requires of it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "oci_spec_parse.h"
#include "strv.h"
#include "util.h"

static const char *const hook_names[OCI_HOOK_KINDS] = {
	[OCI_HOOK_PRESTART] = "prestart",
	[OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
	[OCI_HOOK_CREATE_CONTAINER] = "createContainer",
	[OCI_HOOK_START_CONTAINER] = "startContainer",
	[OCI_HOOK_POSTSTART] = "poststart",
	[OCI_HOOK_POSTSTOP] = "poststop",
};

const char *oci_hook_name(enum oci_hook_kind kind)
{
	return kind < OCI_HOOK_KINDS ? hook_names[kind] : NULL;
}

static int parse_rlimit(struct jp *p, json_t *v, const char *path,
			struct oci_rlimit *rl)
{
	int r;

	r = jp_string(p, v, path, "type", JP_REQUIRED, &rl->type);
	if (r < 0)
		return r;
	rl->resource = rlimit_by_name(rl->type);
	if (rl->resource < 0)
		return jp_fail(p, path, "unknown rlimit type \"%s\"", rl->type);
	r = jp_uint64(p, v, path, "soft", JP_REQUIRED, &rl->soft);
	if (r < 0)
		return r;
	r = jp_uint64(p, v, path, "hard", JP_REQUIRED, &rl->hard);
	if (r < 0)
		return r;
	if (rl->soft > rl->hard)
		return jp_fail(p, path,
			       "soft limit %llu is above hard limit %llu",
			       (unsigned long long)rl->soft,
			       (unsigned long long)rl->hard);
	return 0;
}

static int parse_rlimits(struct jp *p, json_t *proc, struct oci_process *pr)
{
	char path[JP_PATH_MAX];
	size_t i, j;
	json_t *a, *v;
	int r;

	r = jp_array(p, proc, "process", "rlimits", JP_OPTIONAL, &a);
	if (r <= 0)
		return r;
	pr->rlimits = calloc(json_array_size(a) + 1, sizeof(*pr->rlimits));
	if (!pr->rlimits)
		return -ENOMEM;
	json_array_foreach(a, i, v)
	{
		jp_index(path, "process.rlimits", i);
		r = jp_want_object(p, v, path);
		if (r < 0)
			return r;
		pr->n_rlimits++;
		r = parse_rlimit(p, v, path, &pr->rlimits[i]);
		if (r < 0)
			return r;
		/* config.md: a type given twice is an error. */
		for (j = 0; j < i; j++)
			if (pr->rlimits[j].resource == pr->rlimits[i].resource)
				return jp_fail(p, path, "%s given twice",
					       pr->rlimits[i].type);
	}
	return 0;
}

/* "CAP_" and upper-case letters, digits and '_'. Whether the kernel knows
 * the capability is for the runtime to find out (and warn about). */
static bool valid_capability(const char *s)
{
	if (!startswith(s, "CAP_") || !s[4])
		return false;
	for (s += 4; *s; s++)
		if (!(*s >= 'A' && *s <= 'Z') && !(*s >= '0' && *s <= '9') &&
		    *s != '_')
			return false;
	return true;
}

static int parse_capabilities(struct jp *p, json_t *proc,
			      struct oci_process *pr)
{
	const char *const names[] = { "bounding", "effective", "inheritable",
				      "permitted", "ambient" };
	char ***const sets[] = { &pr->caps.bounding, &pr->caps.effective,
				 &pr->caps.inheritable, &pr->caps.permitted,
				 &pr->caps.ambient };
	char path[JP_PATH_MAX], elem[JP_PATH_MAX];
	json_t *caps;
	size_t i, j;
	int r;

	r = jp_object(p, proc, "process", "capabilities", JP_OPTIONAL, &caps);
	if (r <= 0)
		return r;
	pr->has_capabilities = true;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char **set;

		r = jp_strv(p, caps, "process.capabilities", names[i],
			    JP_OPTIONAL, sets[i]);
		if (r < 0)
			return r;
		set = *sets[i];
		jp_key(path, "process.capabilities", names[i]);
		for (j = 0; set && set[j]; j++)
			if (!valid_capability(set[j]))
				return jp_fail(
					p, jp_index(elem, path, j),
					"\"%s\" is not a capability name "
					"(CAP_...)",
					set[j]);
	}
	return 0;
}

static int parse_user(struct jp *p, json_t *proc, struct oci_process *pr)
{
	const char *path = "process.user";
	char elem[JP_PATH_MAX];
	json_t *user, *gids, *v;
	int64_t i64 = 0;
	size_t i;
	int r;

	/* Absent: root, as runc and crun take it. */
	r = jp_object(p, proc, "process", "user", JP_OPTIONAL, &user);
	if (r <= 0)
		return r;
	r = jp_int(p, user, path, "uid", JP_REQUIRED, 0, UINT32_MAX - 1, &i64);
	if (r < 0)
		return r;
	pr->uid = i64;
	r = jp_int(p, user, path, "gid", JP_REQUIRED, 0, UINT32_MAX - 1, &i64);
	if (r < 0)
		return r;
	pr->gid = i64;
	r = jp_int(p, user, path, "umask", JP_OPTIONAL, 0, 0777, &i64);
	if (r < 0)
		return r;
	pr->has_umask = r > 0;
	pr->umask = i64;
	r = jp_array(p, user, path, "additionalGids", JP_OPTIONAL, &gids);
	if (r <= 0)
		return r;
	pr->additional_gids = calloc(json_array_size(gids) + 1, sizeof(gid_t));
	if (!pr->additional_gids)
		return -ENOMEM;
	json_array_foreach(gids, i, v)
	{
		r = jp_want_int(
			p, v, jp_index(elem, "process.user.additionalGids", i),
			0, UINT32_MAX - 1, &i64);
		if (r < 0)
			return r;
		pr->additional_gids[pr->n_additional_gids++] = i64;
	}
	return 0;
}

/* environ(7): NAME=VALUE, with a name that is not empty. */
static int check_env(struct jp *p, char **env, const char *path)
{
	char elem[JP_PATH_MAX];
	size_t i;

	for (i = 0; env && env[i]; i++)
		if (env[i][0] == '=' || !strchr(env[i], '='))
			return jp_fail(p, jp_index(elem, path, i),
				       "\"%s\" is not NAME=VALUE", env[i]);
	return 0;
}

static int parse_process(struct jp *p, json_t *root, struct oci_config *c)
{
	struct oci_process *pr = &c->process;
	json_t *proc, *size;
	int64_t i64 = 0;
	int r;

	r = jp_object(p, root, "", "process", JP_OPTIONAL, &proc);
	if (r <= 0)
		return r;
	c->has_process = true;
	r = jp_bool(p, proc, "process", "terminal", &pr->terminal);
	if (r < 0)
		return r;
	r = jp_object(p, proc, "process", "consoleSize", JP_OPTIONAL, &size);
	if (r < 0)
		return r;
	if (r > 0) {
		pr->has_console_size = true;
		r = jp_int(p, size, "process.consoleSize", "height",
			   JP_REQUIRED, 0, UINT16_MAX, &i64);
		if (r < 0)
			return r;
		pr->console_height = i64;
		r = jp_int(p, size, "process.consoleSize", "width", JP_REQUIRED,
			   0, UINT16_MAX, &i64);
		if (r < 0)
			return r;
		pr->console_width = i64;
	}
	r = parse_user(p, proc, pr);
	if (r < 0)
		return r;
	/* config.md: on Linux, args needs at least one entry, used as
	 * execvp's file. */
	r = jp_strv(p, proc, "process", "args", JP_OPTIONAL, &pr->args);
	if (r < 0 || !pr->args || !pr->args[0] || !pr->args[0][0])
		return r < 0 ? r
			     : jp_fail(p, "process.args",
				       "must be a non-empty array of "
				       "strings");
	r = jp_strv(p, proc, "process", "env", JP_OPTIONAL, &pr->env);
	if (r < 0)
		return r;
	if (!pr->env) {
		pr->env = calloc(1, sizeof(char *));
		if (!pr->env)
			return -ENOMEM;
	}
	r = check_env(p, pr->env, "process.env");
	if (r < 0)
		return r;
	r = jp_string(p, proc, "process", "cwd", JP_REQUIRED, &pr->cwd);
	if (r < 0)
		return r;
	if (pr->cwd[0] != '/')
		return jp_fail(p, "process.cwd",
			       "\"%s\" is not an absolute path", pr->cwd);
	r = parse_capabilities(p, proc, pr);
	if (r < 0)
		return r;
	r = parse_rlimits(p, proc, pr);
	if (r < 0)
		return r;
	r = jp_bool(p, proc, "process", "noNewPrivileges",
		    &pr->no_new_privileges);
	if (r < 0)
		return r;
	r = jp_int(p, proc, "process", "oomScoreAdj", JP_OPTIONAL, -1000, 1000,
		   &i64);
	if (r < 0)
		return r;
	pr->has_oom_score_adj = r > 0;
	pr->oom_score_adj = i64;
	/* apparmorProfile, selinuxLabel: no LSM in barge; ignored. */
	return 0;
}

static int parse_root(struct jp *p, json_t *root, struct oci_config *c)
{
	json_t *obj;
	int r;

	/* config.md: root is required on Linux, and so is root.path. */
	r = jp_object(p, root, "", "root", JP_REQUIRED, &obj);
	if (r < 0)
		return r;
	r = jp_string(p, obj, "root", "path", JP_REQUIRED, &c->root_path);
	if (r < 0)
		return r;
	if (!c->root_path[0])
		return jp_fail(p, "root.path", "must not be empty");
	return jp_bool(p, obj, "root", "readonly", &c->root_readonly);
}

static int parse_hook(struct jp *p, json_t *v, const char *path,
		      struct oci_hook *h)
{
	int64_t timeout;
	int r;

	r = jp_want_object(p, v, path);
	if (r < 0)
		return r;
	r = jp_string(p, v, path, "path", JP_REQUIRED, &h->path);
	if (r < 0)
		return r;
	if (h->path[0] != '/')
		return jp_fail(p, path, "path \"%s\" is not absolute", h->path);
	r = jp_strv(p, v, path, "args", JP_OPTIONAL, &h->args);
	if (r < 0)
		return r;
	r = jp_strv(p, v, path, "env", JP_OPTIONAL, &h->env);
	if (r < 0)
		return r;
	r = check_env(p, h->env, path);
	if (r < 0)
		return r;
	/* config.md: "If set, timeout MUST be greater than zero." */
	r = jp_int(p, v, path, "timeout", JP_OPTIONAL, 1, INT_MAX, &timeout);
	if (r > 0)
		h->timeout = timeout;
	return r < 0 ? r : 0;
}

static int parse_hooks(struct jp *p, json_t *root, struct oci_config *c)
{
	char list[JP_PATH_MAX], path[JP_PATH_MAX];
	json_t *hooks, *a, *v;
	size_t i;
	int k, r;

	r = jp_object(p, root, "", "hooks", JP_OPTIONAL, &hooks);
	if (r <= 0)
		return r;
	for (k = 0; k < OCI_HOOK_KINDS; k++) {
		r = jp_array(p, hooks, "hooks", hook_names[k], JP_OPTIONAL, &a);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		c->hooks[k].hooks =
			calloc(json_array_size(a) + 1, sizeof(struct oci_hook));
		if (!c->hooks[k].hooks)
			return -ENOMEM;
		jp_key(list, "hooks", hook_names[k]);
		json_array_foreach(a, i, v)
		{
			c->hooks[k].n++;
			r = parse_hook(p, v, jp_index(path, list, i),
				       &c->hooks[k].hooks[i]);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* ociVersion is SemVer: MAJOR.MINOR.PATCH[-pre][+build]. barge speaks 1.x. */
static int parse_version(struct jp *p, json_t *root, struct oci_config *c)
{
	unsigned major, minor, patch;
	int r, n = 0;

	r = jp_string(p, root, "", "ociVersion", JP_REQUIRED, &c->oci_version);
	if (r < 0)
		return r;
	if (sscanf(c->oci_version, "%u.%u.%u%n", &major, &minor, &patch, &n) !=
		    3 ||
	    (c->oci_version[n] && c->oci_version[n] != '-' &&
	     c->oci_version[n] != '+'))
		return jp_fail(p, "ociVersion",
			       "\"%s\" is not a version like 1.0.2",
			       c->oci_version);
	if (major != 1)
		return jp_fail(p, "ociVersion",
			       "version %s is not supported (only 1.x)",
			       c->oci_version);
	return 0;
}

/* The spec's order: version, root, mounts, process, hostname, linux,
 * hooks, annotations. The first error stops the parse. */
static int parse_config(struct jp *p, json_t *root, struct oci_config *c)
{
	json_t *lnx;
	int r;

	r = parse_version(p, root, c);
	if (r < 0)
		return r;
	r = parse_root(p, root, c);
	if (r < 0)
		return r;
	r = oci_parse_mounts(p, root, c);
	if (r < 0)
		return r;
	r = parse_process(p, root, c);
	if (r < 0)
		return r;
	r = jp_string(p, root, "", "hostname", JP_OPTIONAL, &c->hostname);
	if (r < 0)
		return r;
	r = jp_string(p, root, "", "domainname", JP_OPTIONAL, &c->domainname);
	if (r < 0)
		return r;
	r = jp_object(p, root, "", "linux", JP_OPTIONAL, &lnx);
	if (r < 0)
		return r;
	if (r > 0) {
		c->has_linux_spec = true;
		r = oci_parse_linux(p, lnx, &c->linux_spec);
		if (r < 0)
			return r;
	}
	r = parse_hooks(p, root, c);
	if (r < 0)
		return r;
	r = jp_map(p, root, "", "annotations", &c->annotations,
		   &c->n_annotations);
	return r < 0 ? r : 0;
}

int oci_config_parse(const char *text, const char *name, struct oci_config *ret,
		     char *errbuf, size_t errsize)
{
	struct jp p = { .name = name, .errbuf = errbuf, .errsize = errsize };
	json_t *root;
	int r;

	memset(ret, 0, sizeof(*ret));
	root = jp_loads(&p, text, 0);
	if (!root)
		return -EINVAL;
	if (!json_is_object(root)) {
		json_decref(root);
		snprintf(errbuf, errsize, "%s: must be a JSON object", name);
		return -EINVAL;
	}
	r = parse_config(&p, root, ret);
	json_decref(root);
	if (r < 0) {
		if (r == -ENOMEM)
			snprintf(errbuf, errsize, "%s: out of memory", name);
		oci_config_free(ret);
	}
	return r;
}

int oci_config_load(const char *path, struct oci_config *ret, char *errbuf,
		    size_t errsize)
{
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *text = NULL;
	size_t size = 0;
	ssize_t n;
	FILE *f;
	int r;

	memset(ret, 0, sizeof(*ret));
	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		snprintf(errbuf, errsize, "%s: %s", path, strerror(errno));
		return r;
	}
	/* Read it whole, to parse it as a string: jansson's line numbers
	 * then match the file's. */
	n = getdelim(&text, &size, '\0', f);
	if (n < 0 && !feof(f)) {
		r = -errno;
		snprintf(errbuf, errsize, "read %s: %s", path, strerror(errno));
		goto out;
	}
	/* An empty file: getdelim() may allocate text but writes nothing. */
	r = oci_config_parse(n > 0 ? text : "", name, ret, errbuf, errsize);
	if (r == 0 && n > 0) {
		ret->source = text;
		text = NULL;
	}
out:
	free(text);
	fclose(f);
	return r;
}

static void free_process(struct oci_process *pr)
{
	size_t i;

	free(pr->additional_gids);
	strv_free(pr->args);
	strv_free(pr->env);
	free(pr->cwd);
	strv_free(pr->caps.bounding);
	strv_free(pr->caps.effective);
	strv_free(pr->caps.inheritable);
	strv_free(pr->caps.permitted);
	strv_free(pr->caps.ambient);
	for (i = 0; i < pr->n_rlimits; i++)
		free(pr->rlimits[i].type);
	free(pr->rlimits);
}

void oci_config_free(struct oci_config *c)
{
	size_t i;
	int k;

	free(c->oci_version);
	free_process(&c->process);
	free(c->root_path);
	free(c->hostname);
	free(c->domainname);
	oci_mounts_free(c->mounts, c->n_mounts);
	for (k = 0; k < OCI_HOOK_KINDS; k++) {
		for (i = 0; i < c->hooks[k].n; i++) {
			free(c->hooks[k].hooks[i].path);
			strv_free(c->hooks[k].hooks[i].args);
			strv_free(c->hooks[k].hooks[i].env);
		}
		free(c->hooks[k].hooks);
	}
	kv_free(c->annotations, c->n_annotations);
	oci_linux_free(&c->linux_spec);
	free(c->source);
	memset(c, 0, sizeof(*c));
}
