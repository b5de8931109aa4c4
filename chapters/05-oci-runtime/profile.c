/* SPDX-License-Identifier: MIT */
/*
 * profile.c - a seccomp profile in Docker's JSON format
 * (--security-opt seccomp=FILE), read with jansson.
 *
 * The format (moby's profiles/seccomp, also podman's and containers-common's
 * /usr/share/containers/seccomp.json):
 *
 *	{
 *	  "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
 *	  "archMap": [ { "architecture": "SCMP_ARCH_X86_64",
 *	                 "subArchitectures": [ "SCMP_ARCH_X86" ] } ],
 *	  "syscalls": [
 *	    { "names": [ "read", "write" ], "action": "SCMP_ACT_ALLOW" },
 *	    { "names": [ "personality" ], "action": "SCMP_ACT_ALLOW",
 *	      "args": [ { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] },
 *	    { "names": [ "mount" ], "action": "SCMP_ACT_ALLOW",
 *	      "includes": { "caps": [ "CAP_SYS_ADMIN" ] } }
 *	  ]
 *	}
 *
 * A rule applies only if the container has every capability, and runs on
 * one of the architectures and a kernel at least as new as its
 * "includes" says, and has none of what its "excludes" says. The profile
 * is read in the parent, before anything is created: a mistake in it is
 * one message naming the file and the place, and exit 125. As in Docker,
 * a syscall name libseccomp does not know is skipped (a profile lists
 * calls of every architecture and of kernels newer than libseccomp), and
 * keys the format does not define are ignored; anything else that is not
 * what the format says is an error.
 */
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include "barge.h"
#include "log.h"
#include "util.h"

struct parser {
	const char *path;
	uint64_t caps;		 /* the container's capabilities */
	uint32_t default_action; /* a rule with this action is redundant */
	scmp_filter_ctx ctx;
};

#define AT_SIZE 256

/* Where in the profile: "syscalls[3].args[0].op". */
static const char *__attribute__((format(printf, 2, 3)))
place(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, AT_SIZE, fmt, ap);
	va_end(ap);
	return buf;
}

/* "seccomp profile FILE: WHERE: WHAT", once; returns -EINVAL. */
static int __attribute__((format(printf, 3, 4)))
bad(const struct parser *p, const char *where, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	log_error("seccomp profile %s: %s: %s", p->path, where, what);
	return -EINVAL;
}

/* ---- actions ------------------------------------------------------------ */

static const struct action {
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

/* An unsigned integer member, at most max; absent: *ret unchanged. */
static int get_uint(const struct parser *p, json_t *obj, const char *key,
		    const char *where, uint64_t max, uint64_t *ret)
{
	json_t *v = json_object_get(obj, key);
	char at[AT_SIZE];

	if (!v || json_is_null(v))
		return 0;
	place(at, "%s%s%s", where, *where ? "." : "", key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return bad(p, at, "expected an integer from 0 to %llu",
			   (unsigned long long)max);
	*ret = json_integer_value(v);
	return 0;
}

/* A string member; absent: *ret = NULL, an error if required. */
static int get_string(const struct parser *p, json_t *obj, const char *key,
		      const char *where, bool required, const char **ret)
{
	json_t *v = json_object_get(obj, key);
	char at[AT_SIZE];

	place(at, "%s%s%s", where, *where ? "." : "", key);
	*ret = NULL;
	if (!v || json_is_null(v))
		return required ? bad(p, at, "missing") : 0;
	if (!json_is_string(v))
		return bad(p, at, "expected a string");
	*ret = json_string_value(v);
	return 0;
}

/* An array of strings, or absent/null (*ret = NULL). */
static int get_strings(const struct parser *p, json_t *obj, const char *key,
		       const char *where, json_t **ret)
{
	json_t *v = json_object_get(obj, key), *s;
	char at[AT_SIZE];
	size_t i;

	place(at, "%s%s%s", where, *where ? "." : "", key);
	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return bad(p, at, "expected an array of strings");
	json_array_foreach(v, i, s) if (!json_is_string(s)) return bad(
		p, at, "element %zu is not a string", i);
	*ret = v;
	return 0;
}

/* "action" (required) and "ret_key" (default EPERM) of obj. */
static int parse_action(const struct parser *p, json_t *obj, const char *where,
			const char *key, const char *ret_key, uint32_t *ret)
{
	char at[AT_SIZE];
	const char *name;
	uint64_t data = EPERM;
	size_t i;
	int r;

	r = get_string(p, obj, key, where, true, &name);
	if (r < 0)
		return r;
	r = get_uint(p, obj, ret_key, where, 0xffff, &data);
	if (r < 0)
		return r;
	place(at, "%s%s%s", where, *where ? "." : "", key);
	if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
		return bad(p, at, "%s needs a seccomp agent; barge has none",
			   name);
	for (i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strcmp(name, actions[i].name) != 0)
			continue;
		*ret = actions[i].action;
		if (actions[i].takes_ret)
			*ret |= (uint32_t)data;
		return 0;
	}
	return bad(p, at, "unknown action %s", name);
}

/* ---- architectures --------------------------------------------------------- */

/* "SCMP_ARCH_X86_64" -> libseccomp's token, or 0. */
static uint32_t arch_token(const char *name)
{
	char buf[32];
	size_t i;

	if (strncmp(name, "SCMP_ARCH_", 10) == 0)
		name += 10;
	for (i = 0; name[i] && i < sizeof(buf) - 1; i++)
		buf[i] = name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32
							  : name[i];
	buf[i] = '\0';
	return seccomp_arch_resolve_name(buf);
}

/* Go's name for this machine (runtime.GOARCH), as "arches" uses it. */
static const char *go_arch(void)
{
	static const struct {
		uint32_t token;
		const char *go;
	} names[] = {
		{ SCMP_ARCH_X86_64, "amd64" },	  { SCMP_ARCH_X86, "386" },
		{ SCMP_ARCH_AARCH64, "arm64" },	  { SCMP_ARCH_ARM, "arm" },
		{ SCMP_ARCH_PPC64LE, "ppc64le" }, { SCMP_ARCH_S390X, "s390x" },
		{ SCMP_ARCH_RISCV64, "riscv64" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].token == seccomp_arch_native())
			return names[i].go;
	return "";
}

static int add_arch(const struct parser *p, const char *where, const char *name)
{
	uint32_t token = arch_token(name);
	int r;

	if (!token)
		return bad(p, where, "unknown architecture %s", name);
	r = seccomp_arch_add(p->ctx, token);
	if (r < 0 && r != -EEXIST)
		return bad(p, where, "%s: %s", name, strerror(-r));
	return 0;
}

/*
 * "architectures": the filter's architectures; or "archMap": for this
 * machine's architecture, the ones to add. Neither: this machine's only.
 */
static int parse_arches(const struct parser *p, json_t *root)
{
	json_t *list, *map, *entry, *subs, *s;
	const char *arch;
	char at[AT_SIZE];
	size_t i, j;
	int r;

	r = get_strings(p, root, "architectures", "", &list);
	if (r < 0)
		return r;
	map = json_object_get(root, "archMap");
	if (list && json_array_size(list) && map && !json_is_null(map))
		return bad(p, "archMap", "use either architectures or archMap");
	json_array_foreach(list, i, s)
	{
		place(at, "architectures[%zu]", i);
		r = add_arch(p, at, json_string_value(s));
		if (r < 0)
			return r;
	}
	if (!map || json_is_null(map))
		return 0;
	if (!json_is_array(map))
		return bad(p, "archMap", "expected an array of objects");
	json_array_foreach(map, i, entry)
	{
		place(at, "archMap[%zu]", i);
		if (!json_is_object(entry))
			return bad(p, at, "expected an object");
		r = get_string(p, entry, "architecture", at, true, &arch);
		if (r == 0)
			r = get_strings(p, entry, "subArchitectures", at,
					&subs);
		if (r < 0)
			return r;
		if (arch_token(arch) != seccomp_arch_native())
			continue;
		r = add_arch(p, at, arch);
		json_array_foreach(subs, j, s) if (r == 0) r =
			add_arch(p, at, json_string_value(s));
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- includes and excludes --------------------------------------------------- */

static bool has_cap(const struct parser *p, const char *name)
{
	int cap;

	/* Docker compares names: one it does not know is never held. */
	return caps_parse(name, &cap) == 0 && caps_has(p->caps, cap);
}

static bool in_strings(json_t *list, const char *want)
{
	json_t *s;
	size_t i;

	json_array_foreach(list, i, s) if (strcmp(json_string_value(s), want) ==
					   0) return true;
	return false;
}

/* Is the running kernel at least "MAJOR.MINOR"? */
static int kernel_at_least(const struct parser *p, const char *where,
			   const char *version, bool *ret)
{
	int want_major, want_minor, major, minor;
	struct utsname u;
	char end;

	if (sscanf(version, "%d.%d%c", &want_major, &want_minor, &end) != 2)
		return bad(p, where, "minKernel '%s' is not MAJOR.MINOR",
			   version);
	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return bad(p, where, "cannot read the kernel's version");
	*ret = major > want_major ||
	       (major == want_major && minor >= want_minor);
	return 0;
}

/*
 * includes (want = true): every cap held, this arch listed, kernel new
 * enough. excludes (want = false): no cap held, arch not listed, kernel
 * older. *ret: does the rule apply?
 */
static int check_filter(const struct parser *p, json_t *rule, const char *where,
			const char *key, bool want, bool *ret)
{
	json_t *obj = json_object_get(rule, key), *caps, *arches, *s;
	const char *min_kernel;
	char at[AT_SIZE];
	bool newer = false;
	size_t i;
	int r;

	*ret = true;
	if (!obj || json_is_null(obj))
		return 0;
	place(at, "%s.%s", where, key);
	if (!json_is_object(obj))
		return bad(p, at, "expected an object");
	r = get_strings(p, obj, "caps", at, &caps);
	if (r == 0)
		r = get_strings(p, obj, "arches", at, &arches);
	if (r == 0)
		r = get_string(p, obj, "minKernel", at, false, &min_kernel);
	if (r < 0)
		return r;
	json_array_foreach(caps, i, s) if (has_cap(p, json_string_value(s)) !=
					   want) *ret = false;
	if (arches && json_array_size(arches) &&
	    in_strings(arches, go_arch()) != want)
		*ret = false;
	if (min_kernel) {
		r = kernel_at_least(p, at, min_kernel, &newer);
		if (r < 0)
			return r;
		if (newer != want)
			*ret = false;
	}
	return 0;
}

/* ---- rules ------------------------------------------------------------------ */

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

/* One of "args": { "index", "value", "valueTwo", "op" }. */
static int parse_arg(const struct parser *p, json_t *arg, const char *where,
		     struct scmp_arg_cmp *ret)
{
	uint64_t index = 6, value = 0, two = 0;
	const char *op;
	char at[AT_SIZE];
	size_t i;
	int r;

	if (!json_is_object(arg))
		return bad(p, where, "expected an object");
	r = get_uint(p, arg, "index", where, 5, &index);
	if (r == 0 && index > 5)
		r = bad(p, where, "index: missing");
	if (r == 0)
		r = get_uint(p, arg, "value", where, UINT64_MAX, &value);
	if (r == 0)
		r = get_uint(p, arg, "valueTwo", where, UINT64_MAX, &two);
	if (r == 0)
		r = get_string(p, arg, "op", where, true, &op);
	if (r < 0)
		return r;
	*ret = (struct scmp_arg_cmp){ .arg = index,
				      .datum_a = value,
				      .datum_b = two };
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (strcmp(op, ops[i].name) == 0) {
			ret->op = ops[i].op;
			return 0;
		}
	place(at, "%s.op", where);
	return bad(p, at, "unknown operator %s", op);
}

/*
 * As runc does: the conditions of a rule must all hold (AND), unless two
 * of them test the same argument, which could never both hold; then each
 * condition is a rule of its own (OR).
 */
static int add_rules(const struct parser *p, const char *where,
		     const char *name, uint32_t action,
		     const struct scmp_arg_cmp *args, unsigned int n)
{
	unsigned int i, j, seen = 0;
	bool same_arg = false;
	int nr, r;

	nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return 0; /* unknown to libseccomp: skipped, as in Docker */
	for (i = 0; i < n; i++) {
		same_arg |= seen & (1u << args[i].arg);
		seen |= 1u << args[i].arg;
	}
	if (!same_arg)
		r = seccomp_rule_add_array(p->ctx, action, nr, n, args);
	else
		for (j = 0, r = 0; r == 0 && j < n; j++)
			r = seccomp_rule_add_array(p->ctx, action, nr, 1,
						   &args[j]);
	if (r < 0)
		return bad(p, where, "%s: %s", name, strerror(-r));
	return 0;
}

/* The names of a rule: "names": [...], or the older "name": "...". */
static int rule_names(const struct parser *p, json_t *rule, const char *where,
		      json_t **ret_list, const char **ret_name)
{
	char at[AT_SIZE];
	int r;

	r = get_strings(p, rule, "names", where, ret_list);
	if (r == 0)
		r = get_string(p, rule, "name", where, false, ret_name);
	if (r < 0)
		return r;
	place(at, "%s.names", where);
	if (*ret_list && json_array_size(*ret_list) && *ret_name)
		return bad(p, at, "use either name or names");
	if ((!*ret_list || !json_array_size(*ret_list)) && !*ret_name)
		return bad(p, at, "missing");
	return 0;
}

static int parse_rule(const struct parser *p, json_t *rule, const char *where)
{
	struct scmp_arg_cmp args[6];
	json_t *names, *list, *arg, *s;
	bool included, excluded;
	const char *name;
	uint32_t action;
	unsigned int n = 0;
	char at[AT_SIZE];
	size_t i;
	int r;

	if (!json_is_object(rule))
		return bad(p, where, "expected an object");
	r = rule_names(p, rule, where, &names, &name);
	if (r == 0)
		r = parse_action(p, rule, where, "action", "errnoRet", &action);
	if (r == 0)
		r = check_filter(p, rule, where, "includes", true, &included);
	if (r == 0)
		r = check_filter(p, rule, where, "excludes", false, &excluded);
	if (r < 0)
		return r;
	list = json_object_get(rule, "args");
	if (list && !json_is_null(list) && !json_is_array(list))
		return bad(p, where, "args: expected an array of objects");
	if (json_array_size(list) > 6)
		return bad(p, where,
			   "args: at most 6 (a call has 6 arguments)");
	json_array_foreach(list, i, arg)
	{
		place(at, "%s.args[%zu]", where, i);
		r = parse_arg(p, arg, at, &args[n++]);
		if (r < 0)
			return r;
	}
	/* libseccomp refuses a rule that does what the default does */
	if (!included || !excluded || action == p->default_action)
		return 0;
	if (name)
		return add_rules(p, where, name, action, args, n);
	json_array_foreach(names, i, s)
	{
		place(at, "%s.names[%zu]", where, i);
		r = add_rules(p, at, json_string_value(s), action, args, n);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_syscalls(const struct parser *p, json_t *root)
{
	json_t *list = json_object_get(root, "syscalls"), *rule;
	char at[AT_SIZE];
	size_t i;
	int r;

	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list))
		return bad(p, "syscalls", "expected an array of objects");
	json_array_foreach(list, i, rule)
	{
		place(at, "syscalls[%zu]", i);
		r = parse_rule(p, rule, at);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- the profile ------------------------------------------------------------ */

static int parse_profile(struct parser *p, json_t *root)
{
	int r;

	if (!json_is_object(root))
		return bad(p, "the top level", "expected a JSON object");
	r = parse_action(p, root, "", "defaultAction", "defaultErrnoRet",
			 &p->default_action);
	if (r < 0)
		return r;
	r = syscalls_new_filter(p->default_action, (void **)&p->ctx);
	if (r < 0)
		return bad(p, "defaultAction", "%s", strerror(-r));
	r = parse_arches(p, root);
	if (r == 0)
		r = parse_syscalls(p, root);
	return r;
}

/*
 * Read the profile at path into a filter for a container with the
 * capabilities caps. Prints what is wrong, once; returns -EINVAL then.
 */
int profile_load(const char *path, uint64_t caps, void **ret_filter)
{
	struct parser p = { .path = path, .caps = caps };
	json_error_t err;
	json_t *root;
	int r;

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		if (err.line < 1)
			log_error("seccomp profile %s: %s", path, err.text);
		else
			log_error("seccomp profile %s: line %d, column %d: %s",
				  path, err.line, err.column, err.text);
		return -EINVAL;
	}
	r = parse_profile(&p, root);
	json_decref(root);
	if (r < 0) {
		if (p.ctx)
			seccomp_release(p.ctx);
		return r;
	}
	*ret_filter = p.ctx;
	return 0;
}

/*
 * Chapter 05: config.json's linux.seccomp is the same format, less
 * Docker's includes and excludes: the object, already read, with name
 * standing for it in messages ("config.json: linux.seccomp").
 */
int profile_load_json(json_t *obj, const char *name, uint64_t caps,
		      void **ret_filter)
{
	struct parser p = { .path = name, .caps = caps };
	int r;

	r = parse_profile(&p, obj);
	if (r < 0) {
		if (p.ctx)
			seccomp_release(p.ctx);
		return r;
	}
	*ret_filter = p.ctx;
	return 0;
}
