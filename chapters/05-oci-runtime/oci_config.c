/* SPDX-License-Identifier: MIT */
/*
 * oci_config.c - read a bundle's config.json into struct oci_config.
 *
 * The top of the file and the "process", "root", "hooks" and "annotations"
 * objects are here; "mounts" is in oci_mounts.c, "linux" in oci_linux.c.
 * Each parse_* function reads one object of the spec, in the order
 * config.md describes them, and checks what the spec requires of it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "oci_json.h"
#include "security.h"
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

static int parse_rlimit(struct oci_parse *p, json_t *v, const char *path,
			struct oci_rlimit *rl)
{
	const struct rlimit_name *n;
	int r;

	r = oci_get_string(p, v, path, "type", OCI_REQUIRED, &rl->type);
	if (r < 0)
		return r;
	/* chapter 04's table of --ulimit names has these names too */
	for (n = sec_rlimit_names; n->oci; n++)
		if (streq(rl->type, n->oci))
			break;
	if (!n->oci)
		return oci_fail(p, path, "unknown rlimit type \"%s\"",
				rl->type);
	rl->resource = n->resource;
	r = oci_get_uint64(p, v, path, "soft", OCI_REQUIRED, &rl->soft);
	if (r < 0)
		return r;
	r = oci_get_uint64(p, v, path, "hard", OCI_REQUIRED, &rl->hard);
	if (r < 0)
		return r;
	if (rl->soft > rl->hard)
		return oci_fail(p, path,
				"soft limit %llu is above hard limit %llu",
				(unsigned long long)rl->soft,
				(unsigned long long)rl->hard);
	return 0;
}

static int parse_rlimits(struct oci_parse *p, json_t *proc,
			 struct oci_process *pr)
{
	char path[OCI_PATH_MAX];
	size_t i, j;
	json_t *a, *v;
	int r;

	r = oci_get_array(p, proc, "process", "rlimits", OCI_OPTIONAL, &a);
	if (r <= 0)
		return r;
	pr->rlimits = calloc(json_array_size(a) + 1, sizeof(*pr->rlimits));
	if (!pr->rlimits)
		return -ENOMEM;
	json_array_foreach(a, i, v)
	{
		oci_index(path, "process.rlimits", i);
		r = oci_want_object(p, v, path);
		if (r < 0)
			return r;
		pr->n_rlimits++;
		r = parse_rlimit(p, v, path, &pr->rlimits[i]);
		if (r < 0)
			return r;
		/* config.md: a type given twice is an error. */
		for (j = 0; j < i; j++)
			if (pr->rlimits[j].resource == pr->rlimits[i].resource)
				return oci_fail(p, path, "%s given twice",
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

static int parse_capabilities(struct oci_parse *p, json_t *proc,
			      struct oci_process *pr)
{
	const char *const names[] = { "bounding", "effective", "inheritable",
				      "permitted", "ambient" };
	char ***const sets[] = { &pr->caps.bounding, &pr->caps.effective,
				 &pr->caps.inheritable, &pr->caps.permitted,
				 &pr->caps.ambient };
	char path[OCI_PATH_MAX], elem[OCI_PATH_MAX];
	json_t *caps;
	size_t i, j;
	int r;

	r = oci_get_object(p, proc, "process", "capabilities", OCI_OPTIONAL,
			   &caps);
	if (r <= 0)
		return r;
	pr->has_capabilities = true;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char **set;

		r = oci_get_strv(p, caps, "process.capabilities", names[i],
				 OCI_OPTIONAL, sets[i]);
		if (r < 0)
			return r;
		set = *sets[i];
		oci_path(path, "process.capabilities", names[i]);
		for (j = 0; set && set[j]; j++)
			if (!valid_capability(set[j]))
				return oci_fail(
					p, oci_index(elem, path, j),
					"\"%s\" is not a capability name "
					"(CAP_...)",
					set[j]);
	}
	return 0;
}

static int parse_user(struct oci_parse *p, json_t *proc, struct oci_process *pr)
{
	const char *path = "process.user";
	char elem[OCI_PATH_MAX];
	json_t *user, *gids, *v;
	int64_t i64 = 0;
	size_t i;
	int r;

	/* Absent: root, as runc and crun take it. */
	r = oci_get_object(p, proc, "process", "user", OCI_OPTIONAL, &user);
	if (r <= 0)
		return r;
	r = oci_get_int(p, user, path, "uid", OCI_REQUIRED, 0, UINT32_MAX - 1,
			&i64);
	if (r < 0)
		return r;
	pr->uid = i64;
	r = oci_get_int(p, user, path, "gid", OCI_REQUIRED, 0, UINT32_MAX - 1,
			&i64);
	if (r < 0)
		return r;
	pr->gid = i64;
	r = oci_get_int(p, user, path, "umask", OCI_OPTIONAL, 0, 0777, &i64);
	if (r < 0)
		return r;
	pr->has_umask = r > 0;
	pr->umask = i64;
	r = oci_get_array(p, user, path, "additionalGids", OCI_OPTIONAL, &gids);
	if (r <= 0)
		return r;
	pr->additional_gids = calloc(json_array_size(gids) + 1, sizeof(gid_t));
	if (!pr->additional_gids)
		return -ENOMEM;
	json_array_foreach(gids, i, v)
	{
		r = oci_want_int(
			p, v, oci_index(elem, "process.user.additionalGids", i),
			0, UINT32_MAX - 1, &i64);
		if (r < 0)
			return r;
		pr->additional_gids[pr->n_additional_gids++] = i64;
	}
	return 0;
}

/* environ(7): NAME=VALUE, with a name that is not empty. */
static int check_env(struct oci_parse *p, char **env, const char *path)
{
	char elem[OCI_PATH_MAX];
	size_t i;

	for (i = 0; env && env[i]; i++)
		if (env[i][0] == '=' || !strchr(env[i], '='))
			return oci_fail(p, oci_index(elem, path, i),
					"\"%s\" is not NAME=VALUE", env[i]);
	return 0;
}

static int parse_process(struct oci_parse *p, json_t *root,
			 struct oci_config *c)
{
	struct oci_process *pr = &c->process;
	json_t *proc, *size;
	int64_t i64 = 0;
	int r;

	r = oci_get_object(p, root, "", "process", OCI_OPTIONAL, &proc);
	if (r <= 0)
		return r;
	c->has_process = true;
	r = oci_get_bool(p, proc, "process", "terminal", &pr->terminal);
	if (r < 0)
		return r;
	r = oci_get_object(p, proc, "process", "consoleSize", OCI_OPTIONAL,
			   &size);
	if (r < 0)
		return r;
	if (r > 0) {
		pr->has_console_size = true;
		r = oci_get_int(p, size, "process.consoleSize", "height",
				OCI_REQUIRED, 0, UINT16_MAX, &i64);
		if (r < 0)
			return r;
		pr->console_height = i64;
		r = oci_get_int(p, size, "process.consoleSize", "width",
				OCI_REQUIRED, 0, UINT16_MAX, &i64);
		if (r < 0)
			return r;
		pr->console_width = i64;
	}
	r = parse_user(p, proc, pr);
	if (r < 0)
		return r;
	/* config.md: on Linux, args needs at least one entry, used as
	 * execvp's file. */
	r = oci_get_strv(p, proc, "process", "args", OCI_OPTIONAL, &pr->args);
	if (r < 0 || !pr->args || !pr->args[0] || !pr->args[0][0])
		return r < 0 ? r
			     : oci_fail(p, "process.args",
					"must be a non-empty array of "
					"strings");
	r = oci_get_strv(p, proc, "process", "env", OCI_OPTIONAL, &pr->env);
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
	r = oci_get_string(p, proc, "process", "cwd", OCI_REQUIRED, &pr->cwd);
	if (r < 0)
		return r;
	if (pr->cwd[0] != '/')
		return oci_fail(p, "process.cwd",
				"\"%s\" is not an absolute path", pr->cwd);
	r = parse_capabilities(p, proc, pr);
	if (r < 0)
		return r;
	r = parse_rlimits(p, proc, pr);
	if (r < 0)
		return r;
	r = oci_get_bool(p, proc, "process", "noNewPrivileges",
			 &pr->no_new_privileges);
	if (r < 0)
		return r;
	r = oci_get_int(p, proc, "process", "oomScoreAdj", OCI_OPTIONAL, -1000,
			1000, &i64);
	if (r < 0)
		return r;
	pr->has_oom_score_adj = r > 0;
	pr->oom_score_adj = i64;
	/* apparmorProfile, selinuxLabel: no LSM in barge; ignored. */
	return 0;
}

static int parse_root(struct oci_parse *p, json_t *root, struct oci_config *c)
{
	json_t *obj;
	int r;

	/* config.md: root is required on Linux, and so is root.path. */
	r = oci_get_object(p, root, "", "root", OCI_REQUIRED, &obj);
	if (r < 0)
		return r;
	r = oci_get_string(p, obj, "root", "path", OCI_REQUIRED, &c->root_path);
	if (r < 0)
		return r;
	if (!c->root_path[0])
		return oci_fail(p, "root.path", "must not be empty");
	return oci_get_bool(p, obj, "root", "readonly", &c->root_readonly);
}

static int parse_hook(struct oci_parse *p, json_t *v, const char *path,
		      struct oci_hook *h)
{
	int64_t timeout;
	int r;

	r = oci_want_object(p, v, path);
	if (r < 0)
		return r;
	r = oci_get_string(p, v, path, "path", OCI_REQUIRED, &h->path);
	if (r < 0)
		return r;
	if (h->path[0] != '/')
		return oci_fail(p, path, "path \"%s\" is not absolute",
				h->path);
	r = oci_get_strv(p, v, path, "args", OCI_OPTIONAL, &h->args);
	if (r < 0)
		return r;
	r = oci_get_strv(p, v, path, "env", OCI_OPTIONAL, &h->env);
	if (r < 0)
		return r;
	r = check_env(p, h->env, path);
	if (r < 0)
		return r;
	/* config.md: "If set, timeout MUST be greater than zero." */
	r = oci_get_int(p, v, path, "timeout", OCI_OPTIONAL, 1, INT_MAX,
			&timeout);
	if (r > 0)
		h->timeout = timeout;
	return r < 0 ? r : 0;
}

static int parse_hooks(struct oci_parse *p, json_t *root, struct oci_config *c)
{
	char list[OCI_PATH_MAX], path[OCI_PATH_MAX];
	json_t *hooks, *a, *v;
	size_t i;
	int k, r;

	r = oci_get_object(p, root, "", "hooks", OCI_OPTIONAL, &hooks);
	if (r <= 0)
		return r;
	for (k = 0; k < OCI_HOOK_KINDS; k++) {
		r = oci_get_array(p, hooks, "hooks", hook_names[k],
				  OCI_OPTIONAL, &a);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		c->hooks[k].hooks =
			calloc(json_array_size(a) + 1, sizeof(struct oci_hook));
		if (!c->hooks[k].hooks)
			return -ENOMEM;
		oci_path(list, "hooks", hook_names[k]);
		json_array_foreach(a, i, v)
		{
			c->hooks[k].n++;
			r = parse_hook(p, v, oci_index(path, list, i),
				       &c->hooks[k].hooks[i]);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* ociVersion is SemVer: MAJOR.MINOR.PATCH[-pre][+build]. barge speaks 1.x. */
static int parse_version(struct oci_parse *p, json_t *root,
			 struct oci_config *c)
{
	unsigned major, minor, patch;
	int r, n = 0;

	r = oci_get_string(p, root, "", "ociVersion", OCI_REQUIRED,
			   &c->oci_version);
	if (r < 0)
		return r;
	if (sscanf(c->oci_version, "%u.%u.%u%n", &major, &minor, &patch, &n) !=
		    3 ||
	    (c->oci_version[n] && c->oci_version[n] != '-' &&
	     c->oci_version[n] != '+'))
		return oci_fail(p, "ociVersion",
				"\"%s\" is not a version like 1.0.2",
				c->oci_version);
	if (major != 1)
		return oci_fail(p, "ociVersion",
				"version %s is not supported (only 1.x)",
				c->oci_version);
	return 0;
}

/* The spec's order: version, root, mounts, process, hostname, linux,
 * hooks, annotations. The first error stops the parse. */
static int parse_config(struct oci_parse *p, json_t *root, struct oci_config *c)
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
	r = oci_get_string(p, root, "", "hostname", OCI_OPTIONAL, &c->hostname);
	if (r < 0)
		return r;
	r = oci_get_string(p, root, "", "domainname", OCI_OPTIONAL,
			   &c->domainname);
	if (r < 0)
		return r;
	r = oci_get_object(p, root, "", "linux", OCI_OPTIONAL, &lnx);
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
	r = oci_get_map(p, root, "", "annotations", &c->annotations,
			&c->n_annotations);
	return r < 0 ? r : 0;
}

/* Parse the text; an integer too big for jansson gets a second chance
 * with every number read as a double (see number() in oci_json.c). */
static json_t *load_json(const char *text, json_error_t *err)
{
	json_error_t first;
	json_t *root;

	root = json_loads(text, 0, &first);
	if (root || !strstr(first.text, "too big integer")) {
		*err = first;
		return root;
	}
	root = json_loads(text, JSON_DECODE_INT_AS_REAL, err);
	if (!root)
		*err = first;
	return root;
}

int oci_config_parse(const char *text, const char *name, struct oci_config *ret,
		     char *errbuf, size_t errsize)
{
	struct oci_parse p = { .name = name,
			       .errbuf = errbuf,
			       .errsize = errsize };
	json_error_t err;
	json_t *root;
	int r;

	memset(ret, 0, sizeof(*ret));
	root = load_json(text, &err);
	if (!root) {
		snprintf(errbuf, errsize, "%s:%d:%d: invalid JSON: %s", name,
			 err.line, err.column, err.text);
		return -EINVAL;
	}
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
	if (getdelim(&text, &size, '\0', f) < 0 && !feof(f)) {
		r = -errno;
		snprintf(errbuf, errsize, "read %s: %s", path, strerror(errno));
		goto out;
	}
	r = oci_config_parse(text ? text : "", name, ret, errbuf, errsize);
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
	oci_kv_free(c->annotations, c->n_annotations);
	oci_linux_free(&c->linux_spec);
	memset(c, 0, sizeof(*c));
}
