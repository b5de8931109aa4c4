/* SPDX-License-Identifier: MIT */
/*
 * security.c - the options of chapter 04, and the child's last steps
 * before exec: rlimits, no_new_privs, capabilities, user, seccomp.
 *
 * The options are checked, and the seccomp filter built, in the parent
 * before anything is created: bad input changes nothing. The child then
 * applies them in the order explained above sec_apply().
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <grp.h>

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
		s->cap_add |= (uint64_t)1 << cap;
	else
		s->cap_drop |= (uint64_t)1 << cap;
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

/*
 * getrlimit(2)'s resources by name: --ulimit's, Docker's (go-units, and
 * "as" for the address space), and config.json's (chapter 05).
 */
const struct rlimit_name sec_rlimit_names[] = {
	{ "as", "RLIMIT_AS", RLIMIT_AS },
	{ "core", "RLIMIT_CORE", RLIMIT_CORE },
	{ "cpu", "RLIMIT_CPU", RLIMIT_CPU },
	{ "data", "RLIMIT_DATA", RLIMIT_DATA },
	{ "fsize", "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "locks", "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "memlock", "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "msgqueue", "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "nice", "RLIMIT_NICE", RLIMIT_NICE },
	{ "nofile", "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "nproc", "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "rss", "RLIMIT_RSS", RLIMIT_RSS },
	{ "rtprio", "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "rttime", "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "sigpending", "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "stack", "RLIMIT_STACK", RLIMIT_STACK },
	{ NULL, NULL, -1 },
};

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

static int find_rlimit(const char *name, size_t len)
{
	const struct rlimit_name *n;

	for (n = sec_rlimit_names; n->ulimit; n++)
		if (strlen(n->ulimit) == len &&
		    strncmp(name, n->ulimit, len) == 0)
			return n->resource;
	return -1;
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

/* ---- in the parent, before clone ---------------------------------------------- */

/*
 * Everything that can be decided before the container exists: rootless or
 * not, the uid/gid maps, the capability set, the seccomp filter. Prints
 * what is wrong, once.
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
	r = userns_choose_maps(s);
	if (r == -ENOENT) {
		log_error("run: --userns: root has a range in only one of "
			  "/etc/subuid and /etc/subgid: give it one in both, "
			  "or in neither");
		return r;
	}
	if (r < 0)
		return log_errno(r, "run: --userns: find 65536 free ids");
	if (s->user_set && (!userns_maps_id(s, s->uid, false) ||
			    !userns_maps_id(s, s->gid, true))) {
		log_error("run: --user %lu:%lu: not mapped in the user "
			  "namespace (rootless without /etc/subuid has uid 0 "
			  "only)",
			  (unsigned long)s->uid, (unsigned long)s->gid);
		return -EINVAL;
	}
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
	if (s->seccomp_unconfined)
		return 0;
	if (s->seccomp_file)
		return profile_load(s->seccomp_file, s->caps, &s->seccomp);
	r = syscalls_default_filter(s->caps, &s->seccomp);
	if (r < 0)
		return log_errno(r, "run: build the seccomp filter");
	return 0;
}

void sec_release(struct container *c)
{
	if (c->sec.seccomp)
		seccomp_release(c->sec.seccomp);
	c->sec.seccomp = NULL;
}

/* ---- in the child, after pivot_root --------------------------------------------- */

/* setrlimit(2): raising a hard limit needs CAP_SYS_RESOURCE, which the
 * container does not keep: set them while barge still has it. */
static int set_rlimits(const struct container *c)
{
	size_t i;

	for (i = 0; i < c->sec.n_ulimits; i++)
		if (setrlimit(c->sec.ulimits[i].resource,
			      &c->sec.ulimits[i].limit) < 0)
			return -errno;
	return 0;
}

/*
 * PR_SET_NO_NEW_PRIVS (prctl(2)): no exec from now on can grant more
 * privileges than the process has: set-user-ID bits and file capabilities
 * are ignored, for this process and its children, forever. It also lets
 * a process without CAP_SYS_ADMIN install a seccomp filter (seccomp(2)).
 */
static int set_no_new_privs(const struct container *c)
{
	if (c->sec.keep_new_privs) /* chapter 05: noNewPrivileges false */
		return 0;
	/* LAB(no-new-privs): set no_new_privs for the container, for good */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	/* LAB END */
	return 0;
}

/*
 * --user: groups first, while CAP_SETGID is there; the uid last, because
 * setresuid(2) to a uid other than 0 takes every capability away.
 */
static int change_user(const struct container *c)
{
	if (!c->sec.user_set)
		return 0;
	/* LAB(change-user): no supplementary groups, then gid c->sec.gid, then uid c->sec.uid */
	/* A rootless single-id map denies setgroups(2): there are none. */
	if (setgroups(c->sec.n_groups, c->sec.groups) < 0 &&
	    !(errno == EPERM && c->sec.rootless))
		return -errno;
	if (setresgid(c->sec.gid, c->sec.gid, c->sec.gid) < 0)
		return -errno;
	if (setresuid(c->sec.uid, c->sec.uid, c->sec.uid) < 0)
		return -errno;
	/* LAB END */
	return 0;
}

/*
 * The child's last steps, after its mounts and pivot_root, before exec.
 * The whole order, as bubblewrap and contained.c have it:
 *
 *  1. (parent) the uid/gid maps, while the child waits (userns.c): until
 *     then the child has no uid in its namespace;
 *  2. mounts, masked and read-only paths, --read-only, pivot_root
 *     (rootfs.c, paths.c): they need CAP_SYS_ADMIN, and the seccomp
 *     filter refuses mount(2);
 *  3. rlimits: raising a hard limit needs CAP_SYS_RESOURCE;
 *  4. no_new_privs, before the capabilities go: from then on nothing can
 *     bring them back, and it lets step 9 load a filter without
 *     CAP_SYS_ADMIN;
 *  5. the bounding set, which needs CAP_SETPCAP, which step 6 may drop;
 *  6. effective and permitted sets, keeping CAP_SETUID and CAP_SETGID for
 *     step 7 if --user is given; inheritable and ambient empty;
 *  7. --user: setgroups, setresgid, setresuid; a uid other than 0 loses
 *     every capability there;
 *  8. for --user 0:GID, the capabilities kept for step 7 go;
 *  9. seccomp last: its filter would refuse the calls of the steps above
 *     (mount, setns, ...), and after it comes only exec (and, with init,
 *     fork). Chapter 05: with noNewPrivileges false (podman's default)
 *     the kernel wants CAP_SYS_ADMIN to load it, so it comes right after
 *     step 4 instead, as in runc (syscalls.c).
 */
static const struct step {
	const char *what;
	int (*fn)(const struct container *c);
} steps[] = {
	{ "set the rlimits", set_rlimits },
	{ "set no_new_privs", set_no_new_privs },
	/* chapter 05: only without no_new_privs, see syscalls.c */
	{ "load the seccomp filter", syscalls_load_privileged },
	{ "drop the capability bounding set", caps_drop_bounding },
	{ "set the capabilities", caps_set_keeping_setid },
	{ "change user", change_user },
	{ "drop CAP_SETUID and CAP_SETGID", caps_drop_setid },
	{ "load the seccomp filter", syscalls_load },
};

int sec_apply(const struct container *c, const char **ret_step)
{
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		*ret_step = steps[i].what;
		r = steps[i].fn(c);
		if (r < 0)
			return r;
	}
	return 0;
}
