/* SPDX-License-Identifier: MIT */
/*
 * seccomp_profile.c - seccomp profiles in Docker's and the runtime spec's
 * JSON; see seccomp_profile.h.
 *
 * As in Docker, a syscall name is kept even if libseccomp does not know
 * it (a profile lists calls of every architecture and of kernels newer
 * than libseccomp): whoever compiles the profile skips it. Keys the
 * formats do not define are ignored; anything else that is not what the
 * format says is an error that names its place.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/utsname.h>

#include "seccomp_profile.h"
#include "strv.h"
#include "util.h"

static const struct {
	const char *name;
	uint32_t action;
	bool takes_ret; /* ERRNO and TRACE carry errnoRet */
} actions[] = {
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true },
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, false },
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP, false },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG, false },
};

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },
	{ "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },
	{ "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

/* The architectures config.json is written with, and Go's names for them
 * ("arches" in Docker's includes). */
static const struct {
	const char *name;
	uint32_t token;
	const char *go;
} arches[] = {
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64, "amd64" },
	{ "SCMP_ARCH_X86", SCMP_ARCH_X86, "386" },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32, "amd64" },
	{ "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64, "arm64" },
	{ "SCMP_ARCH_ARM", SCMP_ARCH_ARM, "arm" },
	{ "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE, "ppc64le" },
	{ "SCMP_ARCH_S390X", SCMP_ARCH_S390X, "s390x" },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390, "s390" },
	{ "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64, "riscv64" },
	{ "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS, "mips" },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64, "mips64" },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL, "mipsle" },
	{ "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64, "mips64le" },
	{ "SCMP_ARCH_PPC", SCMP_ARCH_PPC, "ppc" },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64, "ppc64" },
};

static const struct {
	const char *name;
	unsigned int flag;
} flags[] = {
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_PROFILE_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_PROFILE_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_PROFILE_FLAG_TSYNC },
};

/* ---- actions and architectures ---------------------------------------------- */

/* "action" (required) and "ret_key" (default EPERM) of obj. */
static int parse_action(struct jp *p, json_t *obj, const char *path,
			const char *key, const char *ret_key, uint32_t *ret)
{
	char at[JP_PATH_MAX], *name = NULL;
	int64_t data = EPERM;
	size_t i;
	int r;

	r = jp_string(p, obj, path, key, JP_REQUIRED, &name);
	if (r >= 0)
		r = jp_int(p, obj, path, ret_key, JP_OPTIONAL, 0, 0xffff,
			   &data);
	if (r < 0)
		goto out;
	jp_key(at, path, key);
	for (i = 0; i < ARRAY_SIZE(actions); i++)
		if (streq(name, actions[i].name))
			break;
	if (i < ARRAY_SIZE(actions)) {
		*ret = actions[i].action;
		if (actions[i].takes_ret)
			*ret |= (uint32_t)data;
	} else if (streq(name, "SCMP_ACT_NOTIFY")) {
		r = jp_fail(p, at, "%s needs a seccomp agent; barge has none",
			    name);
	} else {
		r = jp_fail(p, at, "unknown action \"%s\"", name);
	}
out:
	free(name);
	return r < 0 ? r : 0; /* not jp_int's 1 for a ret_key given */
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token, or 0 if it knows none. */
static uint32_t arch_token(const char *name)
{
	char buf[32];
	size_t i;

	if (!startswith(name, "SCMP_ARCH_"))
		return 0;
	name += strlen("SCMP_ARCH_");
	for (i = 0; name[i] && i < sizeof(buf) - 1; i++)
		buf[i] = tolower((unsigned char)name[i]);
	buf[i] = '\0';
	return seccomp_arch_resolve_name(buf);
}

static const char *native_go_arch(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(arches); i++)
		if (arches[i].token == seccomp_arch_native())
			return arches[i].go;
	return "";
}

static int add_arch(struct jp *p, const char *path, const char *name,
		    struct seccomp_profile *sp)
{
	uint32_t token = arch_token(name);
	size_t j;

	if (!token)
		return jp_fail(p, path, "unknown architecture \"%s\"", name);
	for (j = 0; j < sp->n_arches; j++)
		if (sp->arches[j] == token)
			return 0;
	if (sp->n_arches == SECCOMP_MAX_ARCHES)
		return jp_fail(p, path, "at most %d architectures",
			       SECCOMP_MAX_ARCHES);
	sp->arches[sp->n_arches++] = token;
	return 0;
}

static int add_arches(struct jp *p, const char *path, char **names,
		      struct seccomp_profile *sp)
{
	char at[JP_PATH_MAX];
	size_t i;
	int r;

	for (i = 0; names && names[i]; i++) {
		r = add_arch(p, jp_index(at, path, i), names[i], sp);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Docker's "archMap": for this machine's architecture, the ones to add. */
static int parse_arch_map(struct jp *p, json_t *obj, const char *path,
			  struct seccomp_profile *sp)
{
	char list[JP_PATH_MAX], at[JP_PATH_MAX], sub[JP_PATH_MAX];
	char *arch = NULL, **subs = NULL;
	json_t *map, *entry;
	size_t i;
	int r;

	r = jp_array(p, obj, path, "archMap", JP_OPTIONAL, &map);
	if (r <= 0)
		return r;
	if (sp->n_arches)
		return jp_fail(p, jp_key(at, path, "archMap"),
			       "use either architectures or archMap");
	jp_key(list, path, "archMap");
	json_array_foreach(map, i, entry)
	{
		jp_index(at, list, i);
		r = jp_want_object(p, entry, at);
		if (r == 0)
			r = jp_string(p, entry, at, "architecture", JP_REQUIRED,
				      &arch);
		if (r >= 0)
			r = jp_strv(p, entry, at, "subArchitectures",
				    JP_OPTIONAL, &subs);
		/* an architecture libseccomp does not know is not ours */
		if (r >= 0 && arch_token(arch) == seccomp_arch_native()) {
			r = add_arch(p, at, arch, sp);
			if (r == 0)
				r = add_arches(
					p, jp_key(sub, at, "subArchitectures"),
					subs, sp);
		}
		free(arch);
		strv_free(subs);
		arch = NULL;
		subs = NULL;
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_flags(struct jp *p, json_t *obj, const char *path,
		       struct seccomp_profile *sp)
{
	char list[JP_PATH_MAX], at[JP_PATH_MAX], **names = NULL;
	size_t i, j;
	int r;

	r = jp_strv(p, obj, path, "flags", JP_OPTIONAL, &names);
	jp_key(list, path, "flags");
	for (i = 0; r > 0 && names[i]; i++) {
		for (j = 0; j < ARRAY_SIZE(flags); j++)
			if (streq(names[i], flags[j].name))
				break;
		if (j < ARRAY_SIZE(flags))
			sp->flags |= flags[j].flag;
		else
			r = jp_fail(p, jp_index(at, list, i),
				    "unknown or unsupported flag \"%s\"",
				    names[i]);
	}
	strv_free(names);
	return r < 0 ? r : 0;
}

/* ---- Docker's includes and excludes ------------------------------------------ */

/* Docker compares capability names: one the kernel does not know is
 * never held. */
static bool has_cap(uint64_t caps, const char *name)
{
	cap_value_t cap;

	return cap_from_name(name, &cap) == 0 && cap >= 0 && cap < 64 &&
	       (caps & ((uint64_t)1 << cap));
}

/* Is the running kernel at least "MAJOR.MINOR"? */
static int kernel_at_least(struct jp *p, const char *path, const char *version,
			   bool *ret)
{
	int want_major, want_minor, major, minor;
	struct utsname u;
	char end;

	if (sscanf(version, "%d.%d%c", &want_major, &want_minor, &end) != 2)
		return jp_fail(p, path, "minKernel \"%s\" is not MAJOR.MINOR",
			       version);
	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return jp_fail(p, path, "cannot read the kernel's version");
	*ret = major > want_major ||
	       (major == want_major && minor >= want_minor);
	return 0;
}

/*
 * includes (want = true): every cap held, this arch listed, kernel new
 * enough. excludes (want = false): no cap held, arch not listed, kernel
 * older. *ret: does the rule apply?
 */
static int check_condition(struct jp *p, json_t *rule, const char *path,
			   const char *key, bool want, uint64_t caps, bool *ret)
{
	char at[JP_PATH_MAX], **cap_names = NULL, **arch_names = NULL;
	char *min_kernel = NULL;
	bool newer = false;
	json_t *obj;
	size_t i;
	int r;

	*ret = true;
	r = jp_object(p, rule, path, key, JP_OPTIONAL, &obj);
	if (r <= 0)
		return r;
	jp_key(at, path, key);
	r = jp_strv(p, obj, at, "caps", JP_OPTIONAL, &cap_names);
	if (r >= 0)
		r = jp_strv(p, obj, at, "arches", JP_OPTIONAL, &arch_names);
	if (r >= 0)
		r = jp_string(p, obj, at, "minKernel", JP_OPTIONAL,
			      &min_kernel);
	for (i = 0; r >= 0 && cap_names && cap_names[i]; i++)
		if (has_cap(caps, cap_names[i]) != want)
			*ret = false;
	if (r >= 0 && arch_names && arch_names[0] &&
	    strv_contains(arch_names, native_go_arch()) != want)
		*ret = false;
	if (r >= 0 && min_kernel) {
		r = kernel_at_least(p, at, min_kernel, &newer);
		if (r == 0 && newer != want)
			*ret = false;
	}
	strv_free(cap_names);
	strv_free(arch_names);
	free(min_kernel);
	return r < 0 ? r : 0;
}

/* ---- rules ------------------------------------------------------------------ */

/* One of "args": { "index", "value", "valueTwo", "op" }. */
static int parse_arg(struct jp *p, json_t *v, const char *path,
		     struct seccomp_arg *a)
{
	char at[JP_PATH_MAX], *op = NULL;
	int64_t index = 0;
	size_t i;
	int r;

	r = jp_want_object(p, v, path);
	if (r == 0)
		r = jp_int(p, v, path, "index", JP_REQUIRED, 0, 5, &index);
	a->index = index;
	if (r >= 0)
		r = jp_uint64(p, v, path, "value", JP_REQUIRED, &a->value);
	if (r >= 0)
		r = jp_uint64(p, v, path, "valueTwo", JP_OPTIONAL,
			      &a->value_two);
	if (r >= 0)
		r = jp_string(p, v, path, "op", JP_REQUIRED, &op);
	if (r < 0)
		return r;
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (streq(op, ops[i].name))
			break;
	if (i < ARRAY_SIZE(ops))
		a->op = ops[i].op;
	else
		r = jp_fail(p, jp_key(at, path, "op"),
			    "unknown operator \"%s\"", op);
	free(op);
	return r;
}

static int parse_args(struct jp *p, json_t *rule, const char *path,
		      struct seccomp_rule *sr)
{
	char list[JP_PATH_MAX], at[JP_PATH_MAX];
	json_t *a, *v;
	size_t i;
	int r;

	r = jp_array(p, rule, path, "args", JP_OPTIONAL, &a);
	if (r <= 0)
		return r;
	jp_key(list, path, "args");
	if (json_array_size(a) > 6)
		return jp_fail(p, list, "at most 6 (a call has 6 arguments)");
	sr->args = calloc(json_array_size(a) + 1, sizeof(*sr->args));
	if (!sr->args)
		return -ENOMEM;
	json_array_foreach(a, i, v)
	{
		r = parse_arg(p, v, jp_index(at, list, i), &sr->args[i]);
		if (r < 0)
			return r;
		sr->n_args++;
	}
	return 0;
}

/* "names": [...], or Docker's older "name": "...". */
static int parse_names(struct jp *p, json_t *rule, const char *path,
		       enum seccomp_format format, char ***ret)
{
	char at[JP_PATH_MAX], *name = NULL;
	int r;

	r = jp_strv(p, rule, path, "names", JP_OPTIONAL, ret);
	if (r >= 0 && format == SECCOMP_FORMAT_DOCKER)
		r = jp_string(p, rule, path, "name", JP_OPTIONAL, &name);
	if (r < 0)
		return r;
	jp_key(at, path, "names");
	if (name && *ret && **ret) {
		free(name);
		return jp_fail(p, at, "use either name or names");
	}
	if (name) {
		r = strv_push(ret, name);
		free(name);
		return r;
	}
	if (!*ret || !**ret)
		return jp_fail(p, at, "must name at least one system call");
	return 0;
}

/* One rule of "syscalls"; *ret_applies is false for a Docker rule whose
 * conditions do not hold here. */
static int parse_rule(struct jp *p, json_t *v, const char *path,
		      enum seccomp_format format, uint64_t caps,
		      struct seccomp_rule *sr, bool *ret_applies)
{
	bool included = true, excluded = true;
	char at[JP_PATH_MAX];
	int r;

	r = jp_want_object(p, v, path);
	if (r == 0)
		r = parse_names(p, v, path, format, &sr->names);
	if (r == 0)
		r = parse_action(p, v, path, "action", "errnoRet", &sr->action);
	if (r == 0)
		r = parse_args(p, v, path, sr);
	if (r < 0)
		return r;
	if (format == SECCOMP_FORMAT_DOCKER) {
		r = check_condition(p, v, path, "includes", true, caps,
				    &included);
		if (r == 0)
			r = check_condition(p, v, path, "excludes", false, caps,
					    &excluded);
	} else if (json_object_get(v, "includes") ||
		   json_object_get(v, "excludes")) {
		r = jp_fail(p,
			    jp_key(at, path,
				   json_object_get(v, "includes") ? "includes"
								  : "excludes"),
			    "Docker's profile format: the runtime spec's has "
			    "no conditions; decide them before");
	}
	*ret_applies = included && excluded;
	return r;
}

static void free_rule(struct seccomp_rule *sr)
{
	strv_free(sr->names);
	free(sr->args);
	memset(sr, 0, sizeof(*sr));
}

static int parse_rules(struct jp *p, json_t *obj, const char *path,
		       enum seccomp_format format, uint64_t caps,
		       struct seccomp_profile *sp)
{
	char list[JP_PATH_MAX], at[JP_PATH_MAX];
	struct seccomp_rule *sr;
	bool applies;
	json_t *a, *v;
	size_t i;
	int r;

	r = jp_array(p, obj, path, "syscalls", JP_OPTIONAL, &a);
	if (r <= 0)
		return r;
	sp->rules = calloc(json_array_size(a) + 1, sizeof(*sp->rules));
	if (!sp->rules)
		return -ENOMEM;
	jp_key(list, path, "syscalls");
	json_array_foreach(a, i, v)
	{
		sr = &sp->rules[sp->n_rules];
		r = parse_rule(p, v, jp_index(at, list, i), format, caps, sr,
			       &applies);
		if (r < 0) {
			free_rule(sr);
			return r;
		}
		if (applies)
			sp->n_rules++;
		else
			free_rule(sr);
	}
	return 0;
}

int seccomp_profile_parse(struct jp *p, json_t *obj, const char *path,
			  enum seccomp_format format, uint64_t caps,
			  struct seccomp_profile *ret)
{
	char at[JP_PATH_MAX], **names = NULL;
	int r;

	memset(ret, 0, sizeof(*ret));
	r = jp_want_object(p, obj, path && *path ? path : "the top level");
	if (r == 0)
		r = parse_action(p, obj, path, "defaultAction",
				 "defaultErrnoRet", &ret->default_action);
	if (r == 0)
		r = jp_strv(p, obj, path, "architectures", JP_OPTIONAL, &names);
	if (r >= 0)
		r = add_arches(p, jp_key(at, path, "architectures"), names,
			       ret);
	strv_free(names);
	if (r == 0 && format == SECCOMP_FORMAT_DOCKER)
		r = parse_arch_map(p, obj, path, ret);
	if (r == 0 && format == SECCOMP_FORMAT_OCI)
		r = parse_flags(p, obj, path, ret);
	if (r == 0 && format == SECCOMP_FORMAT_OCI &&
	    json_object_get(obj, "listenerPath"))
		r = jp_fail(p, jp_key(at, path, "listenerPath"),
			    "needs a seccomp agent; barge has none");
	if (r == 0)
		r = parse_rules(p, obj, path, format, caps, ret);
	if (r < 0)
		seccomp_profile_free(ret);
	return r;
}

int seccomp_profile_load(const char *file, uint64_t caps,
			 struct seccomp_profile *ret, char *errbuf,
			 size_t errsize)
{
	char name[4200];
	struct jp p = { .name = name, .errbuf = errbuf, .errsize = errsize };
	json_t *root;
	int r;

	snprintf(name, sizeof(name), "seccomp profile %s", file);
	memset(ret, 0, sizeof(*ret));
	root = jp_load_file(&p, file, JSON_REJECT_DUPLICATES, &r);
	if (!root)
		return r;
	r = seccomp_profile_parse(&p, root, "", SECCOMP_FORMAT_DOCKER, caps,
				  ret);
	json_decref(root);
	return r;
}

/* ---- building and writing ------------------------------------------------------ */

int seccomp_profile_add(struct seccomp_profile *sp, const char *name,
			uint32_t action, const struct seccomp_arg *args,
			size_t n_args)
{
	struct seccomp_rule *rules, *sr;

	rules = realloc(sp->rules, (sp->n_rules + 1) * sizeof(*rules));
	if (!rules)
		return -ENOMEM;
	sp->rules = rules;
	sr = &rules[sp->n_rules];
	memset(sr, 0, sizeof(*sr));
	sr->action = action;
	if (strv_push(&sr->names, name) < 0)
		return -ENOMEM;
	if (n_args) {
		sr->args = calloc(n_args, sizeof(*args));
		if (!sr->args) {
			free_rule(sr);
			return -ENOMEM;
		}
		memcpy(sr->args, args, n_args * sizeof(*args));
		sr->n_args = n_args;
	}
	sp->n_rules++;
	return 0;
}

void seccomp_profile_add_native_arches(struct seccomp_profile *sp)
{
	static const struct {
		uint32_t native, also;
	} sub[] = {
		{ SCMP_ARCH_X86_64, SCMP_ARCH_X86 },
		{ SCMP_ARCH_X86_64, SCMP_ARCH_X32 },
		{ SCMP_ARCH_AARCH64, SCMP_ARCH_ARM },
	};
	uint32_t native = seccomp_arch_native();
	size_t i;

	sp->n_arches = 0;
	sp->arches[sp->n_arches++] = native;
	for (i = 0; i < ARRAY_SIZE(sub); i++)
		if (sub[i].native == native)
			sp->arches[sp->n_arches++] = sub[i].also;
}

/* ERRNO(n) and TRACE(n) keep n in the low 16 bits of the action. */
static json_t *action_json(json_t *obj, const char *key, const char *ret_key,
			   uint32_t action)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(actions); i++) {
		if (actions[i].takes_ret &&
		    (action & ~0xffffu) == actions[i].action) {
			json_object_set_new(obj, ret_key,
					    json_integer(action & 0xffff));
			break;
		}
		if (!actions[i].takes_ret && action == actions[i].action)
			break;
	}
	if (i == ARRAY_SIZE(actions))
		return NULL;
	json_object_set_new(obj, key, json_string(actions[i].name));
	return obj;
}

/* A comparison's value: an unsigned 64-bit number (see jp_uint64_max()
 * for 2^64-1; the values between 2^63 and it no profile uses). */
static json_t *u64_json(uint64_t v)
{
	return v == UINT64_MAX ? jp_uint64_max() : json_integer((json_int_t)v);
}

static json_t *rule_json(const struct seccomp_rule *sr)
{
	json_t *rule = json_object(), *names = json_array(), *args;
	size_t i, j;

	for (i = 0; sr->names && sr->names[i]; i++)
		json_array_append_new(names, json_string(sr->names[i]));
	json_object_set_new(rule, "names", names);
	if (!action_json(rule, "action", "errnoRet", sr->action)) {
		json_decref(rule);
		return NULL;
	}
	if (!sr->n_args)
		return rule;
	args = json_array();
	for (i = 0; i < sr->n_args; i++) {
		for (j = 0; j < ARRAY_SIZE(ops); j++)
			if (ops[j].op == sr->args[i].op)
				break;
		json_array_append_new(
			args,
			json_pack("{s:I, s:o, s:o, s:s}", "index",
				  (json_int_t)sr->args[i].index, "value",
				  u64_json(sr->args[i].value), "valueTwo",
				  u64_json(sr->args[i].value_two), "op",
				  j < ARRAY_SIZE(ops) ? ops[j].name : "?"));
	}
	json_object_set_new(rule, "args", args);
	return rule;
}

json_t *seccomp_profile_to_json(const struct seccomp_profile *sp)
{
	json_t *obj = json_object(), *list = json_array(), *rule;
	size_t i, j;

	if (!list || !obj ||
	    !action_json(obj, "defaultAction", "defaultErrnoRet",
			 sp->default_action)) {
		json_decref(list);
		goto fail;
	}
	for (i = 0; i < sp->n_arches; i++) {
		for (j = 0; j < ARRAY_SIZE(arches); j++)
			if (arches[j].token == sp->arches[i])
				break;
		if (j == ARRAY_SIZE(arches)) { /* no name to write it with */
			json_decref(list);
			goto fail;
		}
		json_array_append_new(list, json_string(arches[j].name));
	}
	json_object_set_new(obj, "architectures", list);
	list = json_array();
	for (j = 0; j < ARRAY_SIZE(flags); j++)
		if (sp->flags & flags[j].flag)
			json_array_append_new(list, json_string(flags[j].name));
	if (json_array_size(list))
		json_object_set(obj, "flags", list);
	json_decref(list);
	list = json_array();
	json_object_set_new(obj, "syscalls", list);
	for (i = 0; list && i < sp->n_rules; i++) {
		rule = rule_json(&sp->rules[i]);
		if (!rule)
			goto fail;
		json_array_append_new(list, rule);
	}
	return obj;
fail:
	json_decref(obj);
	return NULL;
}

void seccomp_profile_free(struct seccomp_profile *sp)
{
	size_t i;

	for (i = 0; i < sp->n_rules; i++)
		free_rule(&sp->rules[i]);
	free(sp->rules);
	memset(sp, 0, sizeof(*sp));
}
