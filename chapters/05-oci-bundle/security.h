/* SPDX-License-Identifier: MIT */
/*
 * security.h - chapter 04: what the container's processes may do.
 *
 * Namespaces (chapter 02) decide what a container sees and cgroups
 * (chapter 03) how much it uses. This chapter takes privileges away from
 * whatever runs inside: root's capabilities, the system calls it may make,
 * the files of /proc it may read or write, and, with a user namespace,
 * root itself.
 *
 * The work comes in two halves. The parent decides, before anything
 * exists, what the container may do (a bad flag must change nothing):
 *
 *	policy.c    the options; the capability set, the seccomp profile,
 *	            the masked paths, the user, the rlimits
 *	syscalls.c  barge's default seccomp profile
 *	idmaps.c    the uid/gid maps of a user namespace (--userns, rootless)
 *
 * and the child enforces it, step by step, before exec:
 *
 *	security.c  the order of the steps (sec_apply)
 *	caps.c      capabilities(7)
 *	profile.c   seccomp(2): the profile compiled into a filter, loaded
 *	userns.c    user_namespaces(7): the maps written, root inside
 *	paths.c     masked and read-only paths, --read-only
 */
#ifndef BARGE_SECURITY_H
#define BARGE_SECURITY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "seccomp_profile.h"

struct container;

/* getopt_long codes of the options of this chapter (run.c). */
enum {
	OPT_CAP_ADD = 0x400,
	OPT_CAP_DROP,
	OPT_SECURITY_OPT,
	OPT_USERNS,
	OPT_READ_ONLY,
	OPT_ULIMIT,
	OPT_USER = 'u', /* -u, --user */
};

#define SEC_MAX_ULIMITS 16
#define SEC_MAX_MAPS	5 /* lines of a uid_map, as many as runc takes */

/* The set-user-ID helpers of shadow's uidmap package, by absolute path:
 * never whatever a PATH lookup finds first. */
#define NEWUIDMAP "/usr/bin/newuidmap"
#define NEWGIDMAP "/usr/bin/newgidmap"

/* A uid or gid map line: inside..inside+count-1 is outside..on the host. */
struct id_map {
	unsigned long inside, outside, count;
};

struct security {
	/* --cap-add, --cap-drop as given (bit N: capability N) */
	uint64_t cap_add, cap_drop;
	bool cap_add_all, cap_drop_all;
	uint64_t caps; /* the container's capability set, from the above */
	/* chapter 05: config.json's five sets; caps above is the bounding
	 * set. barge gives effective and permitted = caps, the rest none. */
	uint64_t cap_effective, cap_permitted, cap_inheritable, cap_ambient;
	bool no_new_privs; /* process.noNewPrivileges */
	gid_t *groups;	   /* process.user.additionalGids */
	size_t n_groups;

	const char *seccomp_file;	/* --security-opt seccomp=FILE */
	bool seccomp_unconfined;	/* --security-opt seccomp=unconfined */
	struct seccomp_profile profile; /* the rules, unless unconfined */
	void *seccomp; /* the filter compiled from them (profile.c) */

	char *const *masked;   /* paths to hide, NULL-terminated */
	char *const *readonly; /* paths to make read-only */
	bool read_only;	       /* --read-only */
	bool user_set;	       /* --user UID[:GID] */
	uid_t uid;
	gid_t gid;
	struct {
		int resource;
		struct rlimit limit;
	} ulimits[SEC_MAX_ULIMITS]; /* --ulimit NAME=SOFT[:HARD] */
	size_t n_ulimits;

	bool userns;	       /* --userns, or not root (rootless) */
	bool rootless;	       /* barge runs as an ordinary user */
	bool map_with_helpers; /* newuidmap/newgidmap write the maps */
	struct id_map uid_map[SEC_MAX_MAPS], gid_map[SEC_MAX_MAPS];
	size_t n_maps, n_gid_maps;
	int sync[2]; /* parent -> child: "the maps are written" */
};

/* policy.c: in the parent, before anything is created. */
void sec_usage(FILE *out);
int sec_option(struct container *c, int opt, const char *arg);
int sec_prepare(struct container *c);
void sec_release(struct container *c);

/* syscalls.c */
int syscalls_default_profile(uint64_t caps, struct seccomp_profile *ret);

/* idmaps.c */
int idmaps_choose(struct security *s);
bool idmaps_maps_id(const struct security *s, unsigned long id, bool gid);

/* security.c: in the child, the last steps before exec. */
int sec_apply(const struct container *c, const char **ret_step);

/* Is capability cap in the set caps (bit N: capability N)? */
static inline bool caps_has(uint64_t caps, int cap)
{
	return cap >= 0 && cap < 64 && (caps & ((uint64_t)1 << cap));
}

/* caps.c */
int caps_drop_bounding(const struct container *c);
int caps_set_keeping_setid(const struct container *c);
int caps_drop_setid(const struct container *c);

/* profile.c */
int profile_compile(const struct seccomp_profile *sp, void **ret_filter);
int profile_install(const struct container *c);
int profile_install_early(const struct container *c);

/* userns.c */
int userns_open_sync(struct container *c);
void userns_close_sync(struct container *c);
int userns_clone_flags(const struct container *c);
int userns_write_maps(struct container *c, pid_t pid);
int userns_child_wait(struct container *c);
int userns_bind_dev(const char *path, const char *name, int mknod_err);

/* paths.c */
int paths_open_null(const struct container *c);
int paths_mask(const struct container *c);
int paths_readonly(const struct container *c);
int paths_readonly_root(const struct container *c);

#endif
