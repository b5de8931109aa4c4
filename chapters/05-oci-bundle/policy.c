/* SPDX-License-Identifier: MIT */
/*
 * policy.c - what the container may do, decided in the parent before
 * anything is created: the options of chapter 04, the capability set,
 * the seccomp profile, the masked and read-only paths, the user namespace.
 *
 * Everything here can fail on bad input, and must fail before a cgroup
 * or a process exists: a bad flag changes nothing. The child then only
 * enforces what was decided (security.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <unistd.h>

#include "barge.h"
#include "log.h"
#include "util.h"

void sec_usage(FILE *out)
{
	fprintf(out,
		"      --cap-add CAP      add a capability (SYS_ADMIN, CAP_NET_ADMIN,\n"
		"                         ALL...); repeatable\n"
		"      --cap-drop CAP     drop a capability (or ALL); repeatable\n"
		"      --security-opt seccomp=unconfined|FILE\n"
		"                         no seccomp filter, or a profile in\n"
		"                         Docker's JSON format\n"
		"      --userns           run in a user namespace: root inside is\n"
		"                         an unprivileged uid on the host\n"
		"      --read-only        mount the root filesystem read-only\n"
		"  -u, --user UID[:GID]   run COMMAND as this numeric user and group\n"
		"      --ulimit NAME=SOFT[:HARD]\n"
		"                         set a resource limit (nofile, nproc, core,\n"
		"                         ...); repeatable\n");
}

/* ---- capabilities --------------------------------------------------------- */

/*
 * A container gets Docker's default set (moby's oci/caps:
 * DefaultCapabilities()), the fourteen capabilities that ordinary
 * software in an image expects of root (chown its files, bind port 80,
 * switch to another user...), and none of those that reach beyond the
 * container: CAP_SYS_ADMIN, CAP_SYS_MODULE, CAP_SYS_PTRACE, CAP_SYS_TIME,
 * CAP_NET_ADMIN, CAP_SYS_RAWIO...
 */
static const cap_value_t default_caps[] = {
	CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,	     CAP_FOWNER,
	CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,	     CAP_SETUID,
	CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
	CAP_KILL,    CAP_AUDIT_WRITE,
};

static uint64_t cap_bit(int cap)
{
	return (uint64_t)1 << cap;
}

/* Every capability the running kernel knows. */
static uint64_t kernel_caps(void)
{
	int n = cap_max_bits();

	return n >= 64 ? ~(uint64_t)0 : cap_bit(n) - 1;
}

/* The capabilities barge itself has: it cannot hand out others. */
static int own_caps(uint64_t *ret)
{
	cap_flag_value_t v;
	cap_t state;
	int cap;

	state = cap_get_proc();
	if (!state)
		return -errno;
	*ret = 0;
	for (cap = 0; cap < cap_max_bits() && cap < 64; cap++)
		if (cap_get_flag(state, cap, CAP_PERMITTED, &v) == 0 &&
		    v == CAP_SET)
			*ret |= cap_bit(cap);
	cap_free(state);
	return 0;
}

/*
 * "SYS_ADMIN", "CAP_SYS_ADMIN", "cap_sys_admin" -> CAP_SYS_ADMIN, as Docker
 * takes them; "ALL" -> -1. libcap's cap_from_name() knows the names (it
 * also takes numbers, which Docker does not).
 */
static int caps_parse(const char *name, int *ret_cap)
{
	char buf[64] = "cap_";
	cap_value_t cap;
	size_t i, n;

	if (strcasecmp(name, "ALL") == 0) {
		*ret_cap = -1;
		return 0;
	}
	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	n = strlen(name);
	if (n == 0 || n + 5 > sizeof(buf))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!isalpha((unsigned char)name[i]) && name[i] != '_')
			return -EINVAL;
		buf[4 + i] = tolower((unsigned char)name[i]);
	}
	buf[4 + n] = '\0';
	if (cap_from_name(buf, &cap) < 0 || cap < 0 || cap >= 64)
		return -EINVAL;
	*ret_cap = cap;
	return 0;
}

/*
 * The container's set, by Docker's rules (moby's TweakCapabilities):
 * --cap-add ALL gives every capability but those dropped; --cap-drop ALL
 * keeps only those added; otherwise the default set, minus the dropped,
 * plus the added. In a user namespace the container gets its capabilities
 * from the new namespace, which has them all; otherwise from barge. A
 * capability barge cannot give is -EPERM, with its number in s->caps.
 */
static int caps_compute(struct security *s)
{
	uint64_t have = kernel_caps(), defaults = 0, set, missing;
	size_t i;
	int r;

	if (!s->userns) {
		r = own_caps(&have);
		if (r < 0)
			return r;
	}
	for (i = 0; i < ARRAY_SIZE(default_caps); i++)
		defaults |= cap_bit(default_caps[i]);
	if (s->cap_add_all)
		set = have & ~s->cap_drop;
	else if (s->cap_drop_all)
		set = s->cap_add;
	else
		set = (defaults & ~s->cap_drop) | s->cap_add;
	missing = set & ~have;
	if (missing) {
		s->caps = __builtin_ctzll(missing);
		return -EPERM;
	}
	s->caps = set;
	return 0;
}

/* ---- options ---------------------------------------------------------------- */

static int cap_option(struct security *s, const char *opt, const char *arg)
{
	bool add = streq(opt, "--cap-add");
	int cap;

	if (caps_parse(arg, &cap) < 0) {
		log_error("run: %s %s: unknown capability", opt, arg);
		return -EINVAL;
	}
	/* cap < 0: ALL */
	if (cap < 0 && add)
		s->cap_add_all = true;
	else if (cap < 0)
		s->cap_drop_all = true;
	else if (add)
		s->cap_add |= cap_bit(cap);
	else
		s->cap_drop |= cap_bit(cap);
	return 0;
}

/* seccomp=unconfined, seccomp=FILE (or seccomp:FILE, Docker's older
 * spelling); no-new-privileges, which barge always sets. */
static int security_option(struct security *s, const char *arg)
{
	const char *v;

	if (startswith(arg, "seccomp=") || startswith(arg, "seccomp:")) {
		v = arg + strlen("seccomp=");
		s->seccomp_unconfined = streq(v, "unconfined");
		s->seccomp_file = s->seccomp_unconfined || !*v ? NULL : v;
		if (*v)
			return 0;
	}
	if (streq(arg, "no-new-privileges") ||
	    streq(arg, "no-new-privileges=true") ||
	    streq(arg, "no-new-privileges:true"))
		return 0;
	log_error("run: --security-opt %s: unknown or unsupported option "
		  "(seccomp=unconfined|FILE, no-new-privileges)",
		  arg);
	return -EINVAL;
}

/* A decimal id, 0 to 2^32-2 ((uid_t)-1 means "unchanged" to the kernel). */
static int parse_id(const char *s, size_t len, unsigned long *ret)
{
	char *end;

	if (len == 0 || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	*ret = strtoul(s, &end, 10);
	if (errno || end != s + len || *ret > 0xfffffffeUL)
		return -EINVAL;
	return 0;
}

/* UID[:GID], numeric: barge does not read the image's /etc/passwd. As
 * Docker does for a uid it finds no entry for, the group is 0 by default. */
static int user_option(struct security *s, const char *arg)
{
	const char *colon = strchr(arg, ':');
	unsigned long uid, gid = 0;

	if (parse_id(arg, colon ? (size_t)(colon - arg) : strlen(arg), &uid) <
		    0 ||
	    (colon && parse_id(colon + 1, strlen(colon + 1), &gid) < 0)) {
		log_error("run: --user %s: expected UID[:GID], numeric", arg);
		return -EINVAL;
	}
	s->user_set = true;
	s->uid = uid;
	s->gid = gid;
	return 0;
}

/* A limit: a number, or "unlimited" / -1 (RLIM_INFINITY). */
static int parse_limit(const char *s, size_t len, rlim_t *ret)
{
	unsigned long long v;
	char *end;

	if ((len == 9 && strncmp(s, "unlimited", 9) == 0) ||
	    (len == 2 && strncmp(s, "-1", 2) == 0)) {
		*ret = RLIM_INFINITY;
		return 0;
	}
	if (len == 0 || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end != s + len || v >= RLIM_INFINITY)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* Docker's --ulimit names (go-units) are getrlimit(2)'s, in lower case
 * and without "RLIMIT_": "nofile" is RLIMIT_NOFILE. */
static int find_rlimit(const char *name, size_t len)
{
	char buf[32] = "RLIMIT_";
	size_t i;

	if (len == 0 || len + 8 > sizeof(buf))
		return -1;
	for (i = 0; i < len; i++) {
		if (!islower((unsigned char)name[i]))
			return -1;
		buf[7 + i] = toupper((unsigned char)name[i]);
	}
	buf[7 + len] = '\0';
	return rlimit_by_name(buf);
}

/* NAME=SOFT[:HARD]; HARD is SOFT when not given, as in Docker. */
static int ulimit_option(struct security *s, const char *arg)
{
	const char *eq = strchr(arg, '='), *colon;
	struct rlimit lim;
	int resource;
	size_t i;

	resource = eq ? find_rlimit(arg, eq - arg) : -1;
	if (resource < 0) {
		log_error("run: --ulimit %s: unknown limit (nofile, nproc, "
			  "core, stack, memlock, fsize, cpu, as, ...)",
			  arg);
		return -EINVAL;
	}
	colon = strchr(eq + 1, ':');
	if (parse_limit(eq + 1,
			colon ? (size_t)(colon - eq - 1) : strlen(eq + 1),
			&lim.rlim_cur) < 0 ||
	    (colon &&
	     parse_limit(colon + 1, strlen(colon + 1), &lim.rlim_max) < 0)) {
		log_error(
			"run: --ulimit %s: expected NAME=SOFT[:HARD], numbers "
			"or unlimited",
			arg);
		return -EINVAL;
	}
	if (!colon)
		lim.rlim_max = lim.rlim_cur;
	if (lim.rlim_cur > lim.rlim_max) {
		log_error("run: --ulimit %s: the soft limit is above the hard "
			  "limit",
			  arg);
		return -EINVAL;
	}
	for (i = 0; i < s->n_ulimits; i++)
		if (s->ulimits[i].resource == resource)
			break;
	if (i == SEC_MAX_ULIMITS)
		return -E2BIG;
	s->ulimits[i].resource = resource;
	s->ulimits[i].limit = lim;
	if (i == s->n_ulimits)
		s->n_ulimits++;
	return 0;
}

/*
 * One option of this chapter, as getopt_long returned it. Prints what is
 * wrong itself (only it knows which part of the value is) and returns a
 * negative errno then.
 */
int sec_option(struct container *c, int opt, const char *arg)
{
	struct security *s = &c->sec;

	switch (opt) {
	case OPT_CAP_ADD:
		return cap_option(s, "--cap-add", arg);
	case OPT_CAP_DROP:
		return cap_option(s, "--cap-drop", arg);
	case OPT_SECURITY_OPT:
		return security_option(s, arg);
	case OPT_USERNS:
		s->userns = true;
		return 0;
	case OPT_READ_ONLY:
		s->read_only = true;
		return 0;
	case OPT_USER:
		return user_option(s, arg);
	case OPT_ULIMIT:
		return ulimit_option(s, arg);
	}
	return -EINVAL;
}

/* ---- the policy ------------------------------------------------------------- */

/*
 * /proc and /sys are windows onto the host's kernel, and only part of
 * what they show is namespaced: paths.c hides these (moby's
 * oci/defaults.go, DefaultLinuxSpec()) ...
 */
static char *const masked_paths[] = {
	"/proc/asound",
	"/proc/acpi",
	"/proc/kcore",
	"/proc/keys",
	"/proc/latency_stats",
	"/proc/timer_list",
	"/proc/timer_stats",
	"/proc/sched_debug",
	"/proc/scsi",
	"/sys/firmware",
	"/sys/devices/virtual/powercap",
	NULL,
};

/* ... and makes these read-only. */
static char *const readonly_paths[] = {
	"/proc/bus",	       "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger", NULL,
};

static int choose_maps(struct security *s)
{
	int r = idmaps_choose(s);

	if (r == -ENOENT) {
		log_error("run: --userns: root has a range in only one of "
			  "/etc/subuid and /etc/subgid: give it one in both, "
			  "or in neither");
		return r;
	}
	if (r < 0)
		return log_errno(r, "run: --userns: find 65536 free ids");
	if (s->user_set && (!idmaps_maps_id(s, s->uid, false) ||
			    !idmaps_maps_id(s, s->gid, true))) {
		log_error("run: --user %lu:%lu: not mapped in the user "
			  "namespace (rootless without /etc/subuid has uid 0 "
			  "only)",
			  (unsigned long)s->uid, (unsigned long)s->gid);
		return -EINVAL;
	}
	return 0;
}

/* The seccomp profile: Docker's format from a file, or barge's own. */
static int choose_profile(struct security *s)
{
	char err[1024];
	int r;

	if (s->seccomp_unconfined)
		return 0;
	if (!s->seccomp_file) {
		r = syscalls_default_profile(s->caps, &s->profile);
		if (r < 0)
			log_errno(r, "run: build the seccomp profile");
		return r;
	}
	r = seccomp_profile_load(s->seccomp_file, s->caps, &s->profile, err,
				 sizeof(err));
	if (r < 0)
		log_error("%s", err);
	return r;
}

/*
 * Everything that can be decided before the container exists: rootless or
 * not, the uid/gid maps, the capability set, the seccomp profile, the
 * paths to hide. Prints what is wrong, once.
 */
int sec_prepare(struct container *c)
{
	struct security *s = &c->sec;
	char *name;
	int r;

	/* An ordinary user gets a user namespace: the only way the kernel
	 * lets it create the others. */
	if (geteuid() != 0)
		s->userns = s->rootless = true;
	/* An ordinary user cannot create cgroups unless a cgroup subtree was
	 * delegated to them (cgroups(7)): a rootless container has none. */
	if (s->rootless && (c->limits.given || c->stats)) {
		log_error("run: resource limits and --stats need a cgroup, "
			  "which a rootless container does not get");
		return -EPERM;
	}
	r = choose_maps(s);
	if (r < 0)
		return r;
	r = caps_compute(s);
	if (r == -EPERM) {
		name = cap_to_name(s->caps);
		log_error("run: cannot give the container %s: barge itself "
			  "does not have it",
			  name ? name : "a capability");
		cap_free(name);
		return r;
	}
	if (r < 0)
		return log_errno(r, "run: read barge's capabilities");
	s->masked = masked_paths;
	s->readonly = readonly_paths;
	return choose_profile(s);
}

void sec_release(struct container *c)
{
	seccomp_profile_free(&c->sec.profile);
}
