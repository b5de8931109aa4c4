/* SPDX-License-Identifier: MIT */
/*
 * test_seccomp_profile.c - unit tests of common/seccomp_profile.c: Docker's
 * profile format (rules kept or left out by includes and excludes, archMap)
 * and the runtime spec's (no conditions), the errors of both with their
 * JSON paths, writing a profile back as JSON, and the real Docker-format
 * profile Debian ships in /usr/share/containers/seccomp.json.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "seccomp_profile.h"
#include "strv.h"
#include "unit.h"

#define CAP(c) ((uint64_t)1 << (c))

/* The profile golang-github-containers-common installs (tools/deps). */
#define CONTAINERS_PROFILE "/usr/share/containers/seccomp.json"

/* Docker's default capabilities (moby's oci/caps/defaults.go). */
static const uint64_t docker_caps =
	CAP(CAP_CHOWN) | CAP(CAP_DAC_OVERRIDE) | CAP(CAP_FSETID) |
	CAP(CAP_FOWNER) | CAP(CAP_MKNOD) | CAP(CAP_NET_RAW) | CAP(CAP_SETGID) |
	CAP(CAP_SETUID) | CAP(CAP_SETFCAP) | CAP(CAP_SETPCAP) |
	CAP(CAP_NET_BIND_SERVICE) | CAP(CAP_SYS_CHROOT) | CAP(CAP_KILL) |
	CAP(CAP_AUDIT_WRITE);

/* Machines, by libseccomp's token, the runtime spec's name and Go's. */
static const struct machine {
	uint32_t token;
	const char *name, *go;
} machines[] = {
	{ SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64", "amd64" },
	{ SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64", "arm64" },
	{ SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE", "ppc64le" },
	{ SCMP_ARCH_S390X, "SCMP_ARCH_S390X", "s390x" },
	{ SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64", "riscv64" },
};

static char err[512];
static struct jp jp = { .name = "NAME", .errbuf = err, .errsize = sizeof(err) };
static struct seccomp_profile sp, sp2;
static char scratch[64]; /* a file the fixture removes */

static void setup(void)
{
	err[0] = '\0';
	memset(&sp, 0, sizeof(sp));
	memset(&sp2, 0, sizeof(sp2));
	scratch[0] = '\0';
}

static void teardown(void)
{
	seccomp_profile_free(&sp);
	seccomp_profile_free(&sp2);
	if (scratch[0])
		unlink(scratch);
}

/* This machine, and another one. */
static const struct machine *native(void)
{
	size_t i;

	for (i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (machines[i].token == seccomp_arch_native())
			return &machines[i];
	ck_abort_msg("this machine's architecture (%#x) is not in the "
		     "test's table of machines: add it",
		     seccomp_arch_native());
	return NULL;
}

static const struct machine *other(void)
{
	return native() == &machines[0] ? &machines[1] : &machines[0];
}

/* Parse text (JSON written with ' for ") in format, at path, into *ret;
 * returns what seccomp_profile_parse() did. */
static int parse_into(const char *text, enum seccomp_format format,
		      const char *path, uint64_t caps,
		      struct seccomp_profile *ret)
{
	char *s = strdup(text), *c;
	json_error_t e;
	json_t *root;
	int r;

	ck_assert_ptr_nonnull(s);
	for (c = s; *c; c++)
		if (*c == '\'')
			*c = '"';
	root = json_loads(s, 0, &e);
	ck_assert_msg(root, "bad test JSON: %s: %s", e.text, s);
	free(s);
	r = seccomp_profile_parse(&jp, root, path, format, caps, ret);
	json_decref(root);
	return r;
}

static int parse(const char *text, enum seccomp_format format, uint64_t caps)
{
	seccomp_profile_free(&sp);
	return parse_into(text, format, "", caps, &sp);
}

/* The first name of each rule, space-separated: "a b d". */
static const char *rule_names(const struct seccomp_profile *p)
{
	static char buf[512];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < p->n_rules; i++) {
		ck_assert_ptr_nonnull(p->rules[i].names);
		if (i)
			strcat(buf, " ");
		strcat(buf, p->rules[i].names[0]);
	}
	return buf;
}

/* How many rules name call with action. */
static int count_rules(const struct seccomp_profile *p, const char *call,
		       uint32_t action)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->n_rules; i++)
		if (p->rules[i].action == action &&
		    strv_contains(p->rules[i].names, call))
			n++;
	return n;
}

/* ---- Docker's includes and excludes ----------------------------------------- */

static const char includes_caps[] =
	"{ 'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
	"  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW' },"
	"  { 'names': [ 'b' ], 'action': 'SCMP_ACT_ALLOW',"
	"    'includes': { 'caps': [ 'CAP_SYS_ADMIN', 'CAP_NET_ADMIN' ] } },"
	"  { 'names': [ 'c' ], 'action': 'SCMP_ACT_ALLOW',"
	"    'includes': { 'caps': [ 'CAP_NO_SUCH_THING' ] } },"
	"  { 'names': [ 'd' ], 'action': 'SCMP_ACT_ALLOW',"
	"    'includes': { 'caps': [] } } ] }";

/* A rule with includes.caps is kept only when every cap is held; one the
 * kernel does not know is never held. */
START_TEST(docker_includes_caps_needs_every_cap)
{
	ck_assert_int_eq(parse(includes_caps, SECCOMP_FORMAT_DOCKER, 0), 0);
	ck_assert_str_eq(rule_names(&sp), "a d");
	ck_assert_int_eq(
		parse(includes_caps, SECCOMP_FORMAT_DOCKER, CAP(CAP_SYS_ADMIN)),
		0);
	ck_assert_str_eq(rule_names(&sp), "a d");
	ck_assert_int_eq(parse(includes_caps, SECCOMP_FORMAT_DOCKER,
			       CAP(CAP_SYS_ADMIN) | CAP(CAP_NET_ADMIN)),
			 0);
	ck_assert_str_eq(rule_names(&sp), "a b d");
	ck_assert_int_eq(parse(includes_caps, SECCOMP_FORMAT_DOCKER, ~0ULL), 0);
	ck_assert_str_eq(rule_names(&sp), "a b d");
}
END_TEST

static const char excludes_caps[] =
	"{ 'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
	"  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW' },"
	"  { 'names': [ 'b' ], 'action': 'SCMP_ACT_ALLOW',"
	"    'excludes': { 'caps': [ 'CAP_SYS_ADMIN', 'CAP_NET_ADMIN' ] } },"
	"  { 'names': [ 'c' ], 'action': 'SCMP_ACT_ALLOW',"
	"    'excludes': { 'caps': [ 'CAP_NO_SUCH_THING' ] } } ] }";

/* excludes.caps is the opposite: any of its caps held leaves it out. */
START_TEST(docker_excludes_caps_drops_a_rule_when_any_cap_is_held)
{
	ck_assert_int_eq(parse(excludes_caps, SECCOMP_FORMAT_DOCKER, 0), 0);
	ck_assert_str_eq(rule_names(&sp), "a b c");
	ck_assert_int_eq(
		parse(excludes_caps, SECCOMP_FORMAT_DOCKER, CAP(CAP_NET_ADMIN)),
		0);
	ck_assert_str_eq(rule_names(&sp), "a c");
	ck_assert_int_eq(parse(excludes_caps, SECCOMP_FORMAT_DOCKER,
			       CAP(CAP_CHOWN) | CAP(CAP_KILL)),
			 0);
	ck_assert_str_eq(rule_names(&sp), "a b c");
	ck_assert_int_eq(parse(excludes_caps, SECCOMP_FORMAT_DOCKER, ~0ULL), 0);
	ck_assert_str_eq(rule_names(&sp), "a c");
}
END_TEST

/* includes.arches and excludes.arches hold Go's names: "amd64" on
 * x86-64. An empty list is no condition. */
START_TEST(docker_arches_match_this_machine_by_its_go_name)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "{ 'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
		 "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW' },"
		 "  { 'names': [ 'b' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'includes': { 'arches': [ 'x', '%s' ] } },"
		 "  { 'names': [ 'c' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'includes': { 'arches': [ '%s' ] } },"
		 "  { 'names': [ 'd' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'excludes': { 'arches': [ '%s' ] } },"
		 "  { 'names': [ 'e' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'excludes': { 'arches': [ '%s' ] } },"
		 "  { 'names': [ 'f' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'includes': { 'arches': [] } } ] }",
		 native()->go, other()->go, native()->go, other()->go);
	ck_assert_int_eq(parse(text, SECCOMP_FORMAT_DOCKER, 0), 0);
	ck_assert_str_eq(rule_names(&sp), "a b e f");
}
END_TEST

/* minKernel: includes wants the running kernel at least that new,
 * excludes wants it older. */
START_TEST(docker_min_kernel_compares_with_the_running_kernel)
{
	char text[1024], now[32];
	struct utsname u;
	int major, minor;

	ck_assert_int_eq(uname(&u), 0);
	ck_assert_int_eq(sscanf(u.release, "%d.%d", &major, &minor), 2);
	snprintf(now, sizeof(now), "%d.%d", major, minor);
	snprintf(text, sizeof(text),
		 "{ 'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': ["
		 "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW' },"
		 "  { 'names': [ 'b' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'includes': { 'minKernel': '3.10' } },"
		 "  { 'names': [ 'c' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'includes': { 'minKernel': '999.0' } },"
		 "  { 'names': [ 'd' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'excludes': { 'minKernel': '3.10' } },"
		 "  { 'names': [ 'e' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'excludes': { 'minKernel': '999.0' } },"
		 "  { 'names': [ 'f' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'includes': { 'minKernel': '%s' } },"
		 "  { 'names': [ 'g' ], 'action': 'SCMP_ACT_ALLOW',"
		 "    'includes': { 'minKernel': '%d.%d' } } ] }",
		 now, major, minor + 1);
	ck_assert_int_eq(parse(text, SECCOMP_FORMAT_DOCKER, 0), 0);
	ck_assert_str_eq(rule_names(&sp), "a b e f");

	ck_assert_int_eq(parse("{ 'defaultAction': 'SCMP_ACT_ERRNO', "
			       "'syscalls': [ { 'names': [ 'a' ], "
			       "'action': 'SCMP_ACT_ALLOW', 'includes': "
			       "{ 'minKernel': '4' } } ] }",
			       SECCOMP_FORMAT_DOCKER, 0),
			 -EINVAL);
	ck_assert_str_eq(err, "NAME: syscalls[0].includes: minKernel \"4\" "
			      "is not MAJOR.MINOR");
}
END_TEST

/* archMap: the entry of this machine gives the filter's architectures,
 * itself and its subArchitectures; the other entries are not ours (nor is
 * an architecture libseccomp knows but barge's table may not, as in
 * containers' profile). */
START_TEST(docker_arch_map_adds_the_native_arch_and_its_subarches_only)
{
	char text[1024];

	snprintf(
		text, sizeof(text),
		"{ 'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': [],"
		"  'archMap': ["
		"    { 'architecture': '%s',"
		"      'subArchitectures': [ 'SCMP_ARCH_PPC' ] },"
		"    { 'architecture': 'SCMP_ARCH_MIPS64N32',"
		"      'subArchitectures': [ 'SCMP_ARCH_MIPS' ] },"
		"    { 'architecture': '%s',"
		"      'subArchitectures': [ 'SCMP_ARCH_X86', 'SCMP_ARCH_ARM' ] },"
		"    { 'architecture': 'SCMP_ARCH_S390',"
		"      'subArchitectures': [] } ] }",
		other()->name, native()->name);
	ck_assert_msg(parse(text, SECCOMP_FORMAT_DOCKER, 0) == 0, "%s", err);
	ck_assert_uint_eq(sp.n_arches, 3);
	ck_assert_uint_eq(sp.arches[0], native()->token);
	ck_assert_uint_eq(sp.arches[1], SCMP_ARCH_X86);
	ck_assert_uint_eq(sp.arches[2], SCMP_ARCH_ARM);
	ck_assert_uint_eq(sp.n_rules, 0);

	/* Not both ways of saying it. */
	snprintf(text, sizeof(text),
		 "{ 'defaultAction': 'SCMP_ACT_ALLOW',"
		 "  'architectures': [ '%s' ],"
		 "  'archMap': [ { 'architecture': '%s' } ] }",
		 native()->name, native()->name);
	ck_assert_int_eq(parse(text, SECCOMP_FORMAT_DOCKER, 0), -EINVAL);
	ck_assert_str_eq(err, "NAME: archMap: use either architectures or "
			      "archMap");
	/* A bad sub-architecture of this machine is named. */
	snprintf(text, sizeof(text),
		 "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'archMap': ["
		 "  { 'architecture': '%s',"
		 "    'subArchitectures': [ 'SCMP_ARCH_X86', 'x86' ] } ] }",
		 native()->name);
	ck_assert_int_eq(parse(text, SECCOMP_FORMAT_DOCKER, 0), -EINVAL);
	ck_assert_str_eq(err, "NAME: archMap[0].subArchitectures[1]: unknown "
			      "architecture \"x86\"");
}
END_TEST

/* Docker's older form, "name": one call. The runtime spec has only
 * "names". */
START_TEST(docker_old_single_name_is_one_call)
{
	const char *text =
		"{ 'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': "
		"[ { 'name': 'read', 'action': 'SCMP_ACT_ALLOW' } ] }";

	ck_assert_int_eq(parse(text, SECCOMP_FORMAT_DOCKER, 0), 0);
	ck_assert_uint_eq(sp.n_rules, 1);
	ck_assert_uint_eq(strv_length(sp.rules[0].names), 1);
	ck_assert_str_eq(sp.rules[0].names[0], "read");
	ck_assert_uint_eq(sp.rules[0].action, SCMP_ACT_ALLOW);

	ck_assert_int_eq(parse(text, SECCOMP_FORMAT_OCI, 0), -EINVAL);
	ck_assert_str_eq(err, "NAME: syscalls[0].names: must name at least "
			      "one system call");
}
END_TEST

/* ERRNO and TRACE carry errnoRet (defaultErrnoRet for the default), EPERM
 * when it is absent; the other actions have none. */
START_TEST(errno_ret_is_the_errno_and_defaults_to_eperm)
{
	ck_assert_int_eq(
		parse("{ 'defaultAction': 'SCMP_ACT_ERRNO', "
		      "'defaultErrnoRet': 38, "
		      "'architectures': [ 'SCMP_ARCH_X86' ], 'syscalls': ["
		      "{ 'names': [ 'a' ], 'action': 'SCMP_ACT_ERRNO', "
		      "  'errnoRet': 22, 'args': [ { 'index': 1, "
		      "  'value': 3, 'op': 'SCMP_CMP_EQ' } ] },"
		      "{ 'names': [ 'b' ], 'action': 'SCMP_ACT_ERRNO' },"
		      "{ 'names': [ 'c' ], 'action': 'SCMP_ACT_TRACE', "
		      "  'errnoRet': 7 },"
		      "{ 'names': [ 'd' ], 'action': 'SCMP_ACT_ALLOW', "
		      "  'errnoRet': 5 },"
		      "{ 'names': [ 'e' ], 'action': 'SCMP_ACT_KILL' },"
		      "{ 'names': [ 'f' ], 'action': 'SCMP_ACT_KILL_THREAD' },"
		      "{ 'names': [ 'g' ], 'action': 'SCMP_ACT_KILL_PROCESS' },"
		      "{ 'names': [ 'h' ], 'action': 'SCMP_ACT_TRAP' },"
		      "{ 'names': [ 'i' ], 'action': 'SCMP_ACT_LOG' },"
		      "{ 'names': [ 'j' ], 'action': 'SCMP_ACT_ERRNO', "
		      "  'errnoRet': 0 } ] }",
		      SECCOMP_FORMAT_DOCKER, 0),
		0);
	ck_assert_uint_eq(sp.default_action, SCMP_ACT_ERRNO(38));
	/* What follows an errno is read too. */
	ck_assert_uint_eq(sp.n_arches, 1);
	ck_assert_uint_eq(sp.arches[0], SCMP_ARCH_X86);
	ck_assert_uint_eq(sp.n_rules, 10);
	ck_assert_uint_eq(sp.rules[0].action, SCMP_ACT_ERRNO(22));
	ck_assert_uint_eq(sp.rules[0].n_args, 1);
	ck_assert_uint_eq(sp.rules[0].args[0].index, 1);
	ck_assert_uint_eq(sp.rules[0].args[0].value, 3);
	ck_assert_uint_eq(sp.rules[1].action, SCMP_ACT_ERRNO(EPERM));
	ck_assert_uint_eq(sp.rules[2].action, SCMP_ACT_TRACE(7));
	ck_assert_uint_eq(sp.rules[3].action, SCMP_ACT_ALLOW);
	ck_assert_uint_eq(sp.rules[4].action, SCMP_ACT_KILL_THREAD);
	ck_assert_uint_eq(sp.rules[5].action, SCMP_ACT_KILL_THREAD);
	ck_assert_uint_eq(sp.rules[6].action, SCMP_ACT_KILL_PROCESS);
	ck_assert_uint_eq(sp.rules[7].action, SCMP_ACT_TRAP);
	ck_assert_uint_eq(sp.rules[8].action, SCMP_ACT_LOG);
	ck_assert_uint_eq(sp.rules[9].action, SCMP_ACT_ERRNO(0));

	ck_assert_int_eq(parse("{ 'defaultAction': 'SCMP_ACT_ERRNO' }",
			       SECCOMP_FORMAT_OCI, 0),
			 0);
	ck_assert_uint_eq(sp.default_action, SCMP_ACT_ERRNO(EPERM));
	ck_assert_uint_eq(sp.n_rules, 0);
	ck_assert_uint_eq(sp.n_arches, 0);
	ck_assert_uint_eq(sp.flags, 0);
}
END_TEST

/* A bad profile is refused with one message naming the JSON path; the
 * profile is left empty. */
static const struct bad_profile {
	enum seccomp_format format;
	const char *path, *json, *message;
} bad_profiles[] = {
	{ SECCOMP_FORMAT_DOCKER, "", "[]",
	  "NAME: the top level: must be an object" },
	{ SECCOMP_FORMAT_DOCKER, "", "{}", "NAME: defaultAction: required" },
	{ SECCOMP_FORMAT_DOCKER, "", "{ 'defaultAction': 'SCMP_ACT_FOO' }",
	  "NAME: defaultAction: unknown action \"SCMP_ACT_FOO\"" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': -1 }",
	  "NAME: defaultErrnoRet: must be an integer from 0 to 65535" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW' },"
	  "  { 'names': [ 'b' ], 'action': 'SCMP_ACT_FOO' } ] }",
	  "NAME: syscalls[1].action: unknown action \"SCMP_ACT_FOO\"" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ] } ] }",
	  "NAME: syscalls[0].action: required" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ERRNO', "
	  "    'errnoRet': 65536 } ] }",
	  "NAME: syscalls[0].errnoRet: must be an integer from 0 to 65535" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_NOTIFY' } ] }",
	  "NAME: syscalls[0].action: SCMP_ACT_NOTIFY needs a seccomp agent; "
	  "barge has none" },
	{ SECCOMP_FORMAT_DOCKER, "", "{ 'defaultAction': 'SCMP_ACT_NOTIFY' }",
	  "NAME: defaultAction: SCMP_ACT_NOTIFY needs a seccomp agent; "
	  "barge has none" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW', 'args': ["
	  "    { 'index': 0, 'value': 1, 'op': 'SCMP_CMP_EQ' },"
	  "    { 'index': 1, 'value': 1, 'op': 'SCMP_CMP_EQUAL' } ] } ] }",
	  "NAME: syscalls[0].args[1].op: unknown operator \"SCMP_CMP_EQUAL\"" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW', 'args': ["
	  "    { 'index': 6, 'value': 1, 'op': 'SCMP_CMP_EQ' } ] } ] }",
	  "NAME: syscalls[0].args[0].index: must be an integer from 0 to 5" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW', 'args': ["
	  "    { 'index': 0, 'op': 'SCMP_CMP_EQ' } ] } ] }",
	  "NAME: syscalls[0].args[0].value: required" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW', 'args': ["
	  "    { 'index': 0, 'value': -1, 'op': 'SCMP_CMP_EQ' } ] } ] }",
	  "NAME: syscalls[0].args[0].value: must be an integer from 0 to "
	  "18446744073709551615" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW', 'args': ["
	  "    {}, {}, {}, {}, {}, {}, {} ] } ] }",
	  "NAME: syscalls[0].args: at most 6 (a call has 6 arguments)" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [], 'action': 'SCMP_ACT_ALLOW' } ] }",
	  "NAME: syscalls[0].names: must name at least one system call" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'action': 'SCMP_ACT_ALLOW' } ] }",
	  "NAME: syscalls[0].names: must name at least one system call" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'name': 'a', 'names': [ 'b' ], 'action': 'SCMP_ACT_ALLOW' } ] }",
	  "NAME: syscalls[0].names: use either name or names" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a', 1 ], 'action': 'SCMP_ACT_ALLOW' } ] }",
	  "NAME: syscalls[0].names[1]: must be a string" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [ 'read' ] }",
	  "NAME: syscalls[0]: must be an object" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW', "
	  "    'includes': [] } ] }",
	  "NAME: syscalls[0].includes: must be an object" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW', "
	  "    'excludes': { 'caps': [ 'CAP_KILL', 5 ] } } ] }",
	  "NAME: syscalls[0].excludes.caps[1]: must be a string" },
	{ SECCOMP_FORMAT_DOCKER, "",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': [ 'x86_64' ] }",
	  "NAME: architectures[0]: unknown architecture \"x86_64\"" },
	/* The runtime spec's format, in config.json. */
	{ SECCOMP_FORMAT_OCI, "linux.seccomp", "[]",
	  "NAME: linux.seccomp: must be an object" },
	{ SECCOMP_FORMAT_OCI, "linux.seccomp",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_KILL_ALL' } ] }",
	  "NAME: linux.seccomp.syscalls[0].action: unknown action "
	  "\"SCMP_ACT_KILL_ALL\"" },
	{ SECCOMP_FORMAT_OCI, "linux.seccomp",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW', "
	  "    'includes': { 'caps': [ 'CAP_SYS_ADMIN' ] } } ] }",
	  "NAME: linux.seccomp.syscalls[0].includes: Docker's profile "
	  "format: the runtime spec's has no conditions; decide them before" },
	{ SECCOMP_FORMAT_OCI, "linux.seccomp",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': ["
	  "  { 'names': [ 'a' ], 'action': 'SCMP_ACT_ALLOW' },"
	  "  { 'names': [ 'b' ], 'action': 'SCMP_ACT_ALLOW', "
	  "    'excludes': { 'arches': [ 'amd64' ] } } ] }",
	  "NAME: linux.seccomp.syscalls[1].excludes: Docker's profile "
	  "format: the runtime spec's has no conditions; decide them before" },
	{ SECCOMP_FORMAT_OCI, "linux.seccomp",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', "
	  "  'listenerPath': '/run/agent.sock' }",
	  "NAME: linux.seccomp.listenerPath: needs a seccomp agent; barge has "
	  "none" },
	{ SECCOMP_FORMAT_OCI, "linux.seccomp",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'flags': [ "
	  "  'SECCOMP_FILTER_FLAG_LOG', "
	  "  'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV' ] }",
	  "NAME: linux.seccomp.flags[1]: unknown or unsupported flag "
	  "\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"" },
	{ SECCOMP_FORMAT_OCI, "linux.seccomp",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', "
	  "  'flags': 'SECCOMP_FILTER_FLAG_LOG' }",
	  "NAME: linux.seccomp.flags: must be an array of strings" },
	{ SECCOMP_FORMAT_OCI, "linux.seccomp",
	  "{ 'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': [ "
	  "  'SCMP_ARCH_X86_64', 'SCMP_ARCH_FOO' ] }",
	  "NAME: linux.seccomp.architectures[1]: unknown architecture "
	  "\"SCMP_ARCH_FOO\"" },
};

START_TEST(bad_profile_is_refused_naming_the_path)
{
	const struct bad_profile *b = &bad_profiles[_i];
	int r;

	err[0] = '\0';
	seccomp_profile_free(&sp);
	r = parse_into(b->json, b->format, b->path, ~0ULL, &sp);
	ck_assert_msg(r == -EINVAL, "%s: returned %d, not -EINVAL", b->json, r);
	ck_assert_msg(strcmp(err, b->message) == 0,
		      "%s:\n got \"%s\"\nwant \"%s\"", b->json, err,
		      b->message);
	ck_assert_uint_eq(sp.n_rules, 0);
	ck_assert_ptr_null(sp.rules);
}
END_TEST

/* The runtime spec's flags, as bits; Docker's format has none barge
 * reads. */
START_TEST(oci_flags_are_parsed)
{
	ck_assert_int_eq(parse("{ 'defaultAction': 'SCMP_ACT_ALLOW', 'flags': "
			       "[ 'SECCOMP_FILTER_FLAG_TSYNC', "
			       "'SECCOMP_FILTER_FLAG_LOG', "
			       "'SECCOMP_FILTER_FLAG_SPEC_ALLOW' ] }",
			       SECCOMP_FORMAT_OCI, 0),
			 0);
	ck_assert_uint_eq(sp.flags, SECCOMP_PROFILE_FLAG_LOG |
					    SECCOMP_PROFILE_FLAG_SPEC_ALLOW |
					    SECCOMP_PROFILE_FLAG_TSYNC);
	ck_assert_int_eq(parse("{ 'defaultAction': 'SCMP_ACT_ALLOW', "
			       "'flags': [ 'SECCOMP_FILTER_FLAG_LOG' ] }",
			       SECCOMP_FORMAT_OCI, 0),
			 0);
	ck_assert_uint_eq(sp.flags, SECCOMP_PROFILE_FLAG_LOG);
	ck_assert_int_eq(parse("{ 'defaultAction': 'SCMP_ACT_ALLOW', "
			       "'flags': [] }",
			       SECCOMP_FORMAT_OCI, 0),
			 0);
	ck_assert_uint_eq(sp.flags, 0);
}
END_TEST

/* ---- building and writing --------------------------------------------------- */

START_TEST(seccomp_profile_add_appends_copies)
{
	struct seccomp_arg args[2] = {
		{ .index = 0, .value = 0x7e020000, .op = SCMP_CMP_MASKED_EQ },
		{ .index = 2, .value = 9, .value_two = 0, .op = SCMP_CMP_NE },
	};
	char name[16] = "clone";

	ck_assert_int_eq(
		seccomp_profile_add(&sp, "read", SCMP_ACT_ALLOW, NULL, 0), 0);
	ck_assert_int_eq(
		seccomp_profile_add(&sp, name, SCMP_ACT_ERRNO(22), args, 2), 0);
	strcpy(name, "changed");
	args[0].value = 1;
	ck_assert_uint_eq(sp.n_rules, 2);
	ck_assert_str_eq(rule_names(&sp), "read clone");
	ck_assert_uint_eq(strv_length(sp.rules[1].names), 1);
	ck_assert_uint_eq(sp.rules[0].action, SCMP_ACT_ALLOW);
	ck_assert_uint_eq(sp.rules[0].n_args, 0);
	ck_assert_ptr_null(sp.rules[0].args);
	ck_assert_uint_eq(sp.rules[1].action, SCMP_ACT_ERRNO(22));
	ck_assert_uint_eq(sp.rules[1].n_args, 2);
	ck_assert_uint_eq(sp.rules[1].args[0].value, 0x7e020000);
	ck_assert_int_eq(sp.rules[1].args[0].op, SCMP_CMP_MASKED_EQ);
	ck_assert_uint_eq(sp.rules[1].args[1].index, 2);
	ck_assert_uint_eq(sp.rules[1].args[1].value, 9);
	ck_assert_int_eq(sp.rules[1].args[1].op, SCMP_CMP_NE);
}
END_TEST

/* This machine's architecture first, then the 32-bit ones it also runs;
 * twice is the same as once. */
START_TEST(seccomp_profile_add_native_arches_adds_this_machine)
{
	uint32_t want[3] = { seccomp_arch_native() };
	size_t n = 1, i;

	if (want[0] == SCMP_ARCH_X86_64) {
		want[n++] = SCMP_ARCH_X86;
		want[n++] = SCMP_ARCH_X32;
	} else if (want[0] == SCMP_ARCH_AARCH64) {
		want[n++] = SCMP_ARCH_ARM;
	}
	seccomp_profile_add_native_arches(&sp);
	seccomp_profile_add_native_arches(&sp);
	ck_assert_uint_eq(sp.n_arches, n);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(sp.arches[i], want[i]);
}
END_TEST

static void assert_profiles_equal(const struct seccomp_profile *a,
				  const struct seccomp_profile *b)
{
	size_t i, j;

	ck_assert_uint_eq(a->default_action, b->default_action);
	ck_assert_uint_eq(a->n_arches, b->n_arches);
	for (i = 0; i < a->n_arches; i++)
		ck_assert_uint_eq(a->arches[i], b->arches[i]);
	ck_assert_uint_eq(a->flags, b->flags);
	ck_assert_uint_eq(a->n_rules, b->n_rules);
	for (i = 0; i < a->n_rules; i++) {
		const struct seccomp_rule *ra = &a->rules[i],
					  *rb = &b->rules[i];

		ck_assert_uint_eq(strv_length(ra->names),
				  strv_length(rb->names));
		for (j = 0; ra->names[j]; j++)
			ck_assert_str_eq(ra->names[j], rb->names[j]);
		ck_assert_msg(ra->action == rb->action,
			      "rule %zu: action %#x, read back %#x", i,
			      ra->action, rb->action);
		ck_assert_uint_eq(ra->n_args, rb->n_args);
		for (j = 0; j < ra->n_args; j++) {
			ck_assert_uint_eq(ra->args[j].index, rb->args[j].index);
			ck_assert_uint_eq(ra->args[j].value, rb->args[j].value);
			ck_assert_uint_eq(ra->args[j].value_two,
					  rb->args[j].value_two);
			ck_assert_int_eq(ra->args[j].op, rb->args[j].op);
		}
	}
}

/* Write a profile as config.json's linux.seccomp, read it back. */
static void round_trip(const struct seccomp_profile *a,
		       struct seccomp_profile *b)
{
	json_t *j = seccomp_profile_to_json(a);
	int r;

	ck_assert_ptr_nonnull(j);
	r = seccomp_profile_parse(&jp, j, "linux.seccomp", SECCOMP_FORMAT_OCI,
				  0, b);
	json_decref(j);
	ck_assert_msg(r == 0, "read back: %s", err);
	assert_profiles_equal(a, b);
}

START_TEST(to_json_then_parse_gives_the_same_profile)
{
	const struct seccomp_arg personality = { 0, 8, 0, SCMP_CMP_EQ };
	const struct seccomp_arg clone[] = {
		{ 0, 0x7e020000, 0, SCMP_CMP_MASKED_EQ },
		{ 1, 0x7fffffffffffffffULL, 0xffffffffULL, SCMP_CMP_GE },
		{ 5, 1, 2, SCMP_CMP_LT },
		{ 4, 3, 0, SCMP_CMP_LE },
		{ 3, 4, 0, SCMP_CMP_GT },
		{ 2, 5, 0, SCMP_CMP_NE },
	};
	json_t *j;

	sp.default_action = SCMP_ACT_ERRNO(38);
	sp.flags = SECCOMP_PROFILE_FLAG_LOG | SECCOMP_PROFILE_FLAG_TSYNC;
	seccomp_profile_add_native_arches(&sp);
	ck_assert_int_eq(
		seccomp_profile_add(&sp, "read", SCMP_ACT_ALLOW, NULL, 0), 0);
	ck_assert_int_eq(seccomp_profile_add(&sp, "personality", SCMP_ACT_ALLOW,
					     &personality, 1),
			 0);
	ck_assert_int_eq(
		seccomp_profile_add(&sp, "clone", SCMP_ACT_ERRNO(1), clone, 6),
		0);
	ck_assert_int_eq(
		seccomp_profile_add(&sp, "ptrace", SCMP_ACT_ERRNO(0), NULL, 0),
		0);
	ck_assert_int_eq(seccomp_profile_add(&sp, "kexec_load",
					     SCMP_ACT_KILL_PROCESS, NULL, 0),
			 0);
	ck_assert_int_eq(seccomp_profile_add(&sp, "reboot",
					     SCMP_ACT_KILL_THREAD, NULL, 0),
			 0);
	ck_assert_int_eq(
		seccomp_profile_add(&sp, "mount", SCMP_ACT_TRACE(3), NULL, 0),
		0);
	ck_assert_int_eq(
		seccomp_profile_add(&sp, "swapon", SCMP_ACT_TRAP, NULL, 0), 0);
	ck_assert_int_eq(
		seccomp_profile_add(&sp, "acct", SCMP_ACT_LOG, NULL, 0), 0);
	round_trip(&sp, &sp2);

	/* What is written is the runtime spec's vocabulary. */
	j = seccomp_profile_to_json(&sp);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "defaultAction")),
			 "SCMP_ACT_ERRNO");
	ck_assert_int_eq(
		json_integer_value(json_object_get(j, "defaultErrnoRet")), 38);
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(j, "architectures"), 0)),
			 native()->name);
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(j, "flags"), 0)),
			 "SECCOMP_FILTER_FLAG_LOG");
	json_decref(j);

	/* Multi-name rules and a default without errno, as parsed. */
	seccomp_profile_free(&sp);
	seccomp_profile_free(&sp2);
	ck_assert_int_eq(parse("{ 'defaultAction': 'SCMP_ACT_KILL_PROCESS', "
			       "'architectures': [ 'SCMP_ARCH_X86_64', "
			       "'SCMP_ARCH_AARCH64' ], 'syscalls': ["
			       "{ 'names': [ 'a', 'b', 'c' ], "
			       "  'action': 'SCMP_ACT_ALLOW' },"
			       "{ 'names': [ 'd' ], 'action': 'SCMP_ACT_ERRNO',"
			       "  'errnoRet': 65535, 'args': [ { 'index': 1, "
			       "  'value': 2, 'valueTwo': 3, "
			       "  'op': 'SCMP_CMP_MASKED_EQ' } ] } ] }",
			       SECCOMP_FORMAT_OCI, 0),
			 0);
	round_trip(&sp, &sp2);
}
END_TEST

START_TEST(to_json_refuses_an_unknown_action)
{
	sp.default_action = SCMP_ACT_ALLOW;
	ck_assert_int_eq(seccomp_profile_add(&sp, "read", 0x12340000, NULL, 0),
			 0);
	ck_assert_ptr_null(seccomp_profile_to_json(&sp));
	seccomp_profile_free(&sp);
	sp.default_action = 0x12340000;
	ck_assert_ptr_null(seccomp_profile_to_json(&sp));
}
END_TEST

/* ---- files -------------------------------------------------------------------- */

/* Docker's format from a file, with messages that name the file. */
START_TEST(seccomp_profile_load_names_the_file)
{
	char *path = scratch, want[128];
	const char *text = "{ \"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
			   "  \"syscalls\": [ { \"names\": [ \"a\" ], "
			   "\"action\": \"SCMP_ACT_ERRNO\", "
			   "\"includes\": { \"caps\": [ \"CAP_KILL\" ] } } ] }";
	int fd, r;

	ck_assert_int_eq(seccomp_profile_load("/nonexistent/seccomp.json", 0,
					      &sp, err, sizeof(err)),
			 -ENOENT);
	ck_assert_str_eq(err, "seccomp profile /nonexistent/seccomp.json: No "
			      "such file or directory");

	strcpy(scratch, "/tmp/barge-unit-seccomp-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), strlen(text));
	close(fd);
	r = seccomp_profile_load(path, CAP(CAP_KILL), &sp, err, sizeof(err));
	ck_assert_msg(r == 0, "%s", err);
	ck_assert_str_eq(rule_names(&sp), "a");
	seccomp_profile_free(&sp);
	ck_assert_int_eq(seccomp_profile_load(path, 0, &sp, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(sp.n_rules, 0);
	seccomp_profile_free(&sp);

	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "{\n  \"defaultAction\": ]", 22), 22);
	close(fd);
	r = seccomp_profile_load(path, 0, &sp, err, sizeof(err));
	ck_assert_int_eq(r, -EINVAL);
	snprintf(want, sizeof(want), "seccomp profile %s:2:", path);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
}
END_TEST

/* The profile Debian ships for podman, in Docker's format: it must load
 * with Docker's default capabilities, default to an errno, and keep or
 * leave out its capability rules as the capabilities say. */
START_TEST(containers_seccomp_json_loads)
{
	uint32_t errno_action = SCMP_ACT_ERRNO(EPERM);
	size_t i, names = 0;
	int r;

	ck_assert_msg(access(CONTAINERS_PROFILE, R_OK) == 0,
		      "%s: %s: install golang-github-containers-common "
		      "(tools/deps); this test needs the real profile",
		      CONTAINERS_PROFILE, strerror(errno));
	r = seccomp_profile_load(CONTAINERS_PROFILE, docker_caps, &sp, err,
				 sizeof(err));
	ck_assert_msg(r == 0, "%s", err);
	ck_assert_msg((sp.default_action & ~0xffffu) == SCMP_ACT_ERRNO(0),
		      "default action %#x is not SCMP_ACT_ERRNO",
		      sp.default_action);
	ck_assert_uint_ge(sp.n_arches, 1);
	ck_assert_uint_eq(sp.arches[0], seccomp_arch_native());
	for (i = 0; i < sp.n_rules; i++)
		names += strv_length(sp.rules[i].names);
	ck_assert_msg(names > 100 && sp.n_rules >= 15,
		      "only %zu rules naming %zu calls", sp.n_rules, names);
	ck_assert_int_ge(count_rules(&sp, "read", SCMP_ACT_ALLOW), 1);
	ck_assert_int_ge(count_rules(&sp, "reboot", SCMP_ACT_ALLOW), 1);
	/* CAP_SYS_CHROOT is one of Docker's: chroot is allowed. */
	ck_assert_int_eq(count_rules(&sp, "chroot", SCMP_ACT_ALLOW), 1);
	ck_assert_int_eq(count_rules(&sp, "chroot", errno_action), 0);
	/* CAP_SYS_ADMIN is not: bpf gets EPERM, until it is added. */
	ck_assert_int_eq(count_rules(&sp, "bpf", SCMP_ACT_ALLOW), 0);
	ck_assert_int_eq(count_rules(&sp, "bpf", errno_action), 1);
	seccomp_profile_free(&sp);

	r = seccomp_profile_load(CONTAINERS_PROFILE,
				 docker_caps | CAP(CAP_SYS_ADMIN), &sp, err,
				 sizeof(err));
	ck_assert_msg(r == 0, "%s", err);
	ck_assert_int_eq(count_rules(&sp, "bpf", SCMP_ACT_ALLOW), 1);
	ck_assert_int_eq(count_rules(&sp, "bpf", errno_action), 0);
	ck_assert_int_eq(count_rules(&sp, "chroot", SCMP_ACT_ALLOW), 1);

	/* And what barge would write in config.json reads back the same. */
	round_trip(&sp, &sp2);
}
END_TEST

Suite *seccomp_profile_suite(void)
{
	Suite *s = suite_create("seccomp_profile");
	TCase *tc = tcase_create("docker_format");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, docker_includes_caps_needs_every_cap);
	tcase_add_test(tc,
		       docker_excludes_caps_drops_a_rule_when_any_cap_is_held);
	tcase_add_test(tc, docker_arches_match_this_machine_by_its_go_name);
	tcase_add_test(tc, docker_min_kernel_compares_with_the_running_kernel);
	tcase_add_test(
		tc,
		docker_arch_map_adds_the_native_arch_and_its_subarches_only);
	tcase_add_test(tc, docker_old_single_name_is_one_call);
	tcase_add_test(tc, errno_ret_is_the_errno_and_defaults_to_eperm);
	tcase_add_test(tc, oci_flags_are_parsed);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad_profiles");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, bad_profile_is_refused_naming_the_path, 0,
			    sizeof(bad_profiles) / sizeof(bad_profiles[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("building");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, seccomp_profile_add_appends_copies);
	tcase_add_test(tc, seccomp_profile_add_native_arches_adds_this_machine);
	tcase_add_test(tc, to_json_then_parse_gives_the_same_profile);
	tcase_add_test(tc, to_json_refuses_an_unknown_action);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, seccomp_profile_load_names_the_file);
	tcase_add_test(tc, containers_seccomp_json_loads);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
