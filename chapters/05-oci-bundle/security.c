/* SPDX-License-Identifier: MIT */
/*
 * security.c - the child's last steps before exec: rlimits, no_new_privs,
 * capabilities, user, seccomp, in the order explained above sec_apply().
 *
 * What they apply was decided in the parent before anything was created
 * (policy.c): here nothing is chosen, only enforced.
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
	if (!c->sec.no_new_privs) /* chapter 05: noNewPrivileges false */
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
	/* A rootless single-id map denies setgroups(2): there are none.
	 * Chapter 05: process.user.additionalGids. */
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
 *     fork).
 *
 * Chapter 05: with noNewPrivileges false (podman's default) the kernel
 * wants CAP_SYS_ADMIN to load a filter, so seccomp comes right after step
 * 4 instead, while we have it, as in runc (profile.c); and step 8 sets
 * config.json's capability sets, whatever the user (caps.c).
 */
static const struct step {
	const char *what;
	int (*fn)(const struct container *c);
} steps[] = {
	{ "set the rlimits", set_rlimits },
	{ "set no_new_privs", set_no_new_privs },
	{ "load the seccomp filter", profile_install_early }, /* chapter 05 */
	{ "drop the capability bounding set", caps_drop_bounding },
	{ "set the capabilities", caps_set_keeping_setid },
	{ "change user", change_user },
	{ "set the capabilities of the user", caps_drop_setid },
	{ "load the seccomp filter", profile_install },
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
