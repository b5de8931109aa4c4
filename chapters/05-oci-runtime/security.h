/* SPDX-License-Identifier: MIT */
/*
 * security.h - chapter 04: what the container's processes may do.
 *
 * Namespaces (chapter 02) decide what a container sees and cgroups
 * (chapter 03) how much it uses. This chapter takes privileges away from
 * whatever runs inside: root's capabilities, the system calls it may make,
 * the files of /proc it may read or write, and, with a user namespace,
 * root itself. Each mechanism has its own file:
 *
 *	caps.c      capabilities(7), --cap-add, --cap-drop
 *	syscalls.c  seccomp(2): barge's default filter
 *	profile.c   seccomp(2): a profile in Docker's JSON format
 *	userns.c    user_namespaces(7): --userns, rootless runs
 *	paths.c     masked and read-only paths, --read-only
 *	security.c  the options, and the child's last steps before exec
 */
#ifndef BARGE_SECURITY_H
#define BARGE_SECURITY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>

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
#define SEC_MAX_MAPS	5 /* uid_map lines, as many as runc takes */

/* A uid or gid map line: inside..inside+count-1 is outside..on the host. */
struct id_map {
	unsigned long inside, outside, count;
};

struct security {
	/* --cap-add, --cap-drop as given (bit N: capability N) */
	uint64_t cap_add, cap_drop;
	bool cap_add_all, cap_drop_all;
	uint64_t caps; /* the container's capability set, from the above */

	const char *seccomp_file; /* --security-opt seccomp=FILE */
	bool seccomp_unconfined;  /* --security-opt seccomp=unconfined */
	void *seccomp;		  /* the filter, built by the parent */

	bool read_only; /* --read-only */
	bool user_set;	/* --user UID[:GID] */
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

	/* chapter 05: what config.json says beyond barge's flags */
	bool oci_caps; /* the five sets below are given; caps is bounding */
	uint64_t cap_effective, cap_permitted, cap_inheritable, cap_ambient;
	gid_t *groups; /* process.user.additionalGids */
	size_t n_groups;
	bool keep_new_privs; /* process.noNewPrivileges false */
	bool has_oom_score_adj;
	int oom_score_adj;
};

/* security.c; sec_rlimit_names ends with a NULL name. */
struct rlimit_name {
	const char *ulimit; /* --ulimit nofile=... */
	const char *oci;    /* config.json: "RLIMIT_NOFILE" */
	int resource;	    /* RLIMIT_NOFILE */
};
extern const struct rlimit_name sec_rlimit_names[];
void sec_usage(FILE *out);
int sec_option(struct container *c, int opt, const char *arg);
int sec_prepare(struct container *c);
void sec_release(struct container *c);
int sec_apply(const struct container *c, const char **ret_step);

/* caps.c */
int caps_parse(const char *name, int *ret_cap);
int caps_compute(struct security *s);
bool caps_has(uint64_t caps, int cap);
uint64_t caps_default(void);
int caps_name(int cap, char *buf, size_t size);
int caps_drop_bounding(const struct container *c);
int caps_set_keeping_setid(const struct container *c);
int caps_drop_setid(const struct container *c);

/* syscalls.c */
int syscalls_default_filter(uint64_t caps, void **ret_filter);
int syscalls_new_filter(uint32_t default_action, void **ret_filter);
int syscalls_load(const struct container *c);
int syscalls_load_privileged(const struct container *c);

/* profile.c */
int profile_load(const char *path, uint64_t caps, void **ret_filter);
struct json_t;
int profile_load_json(struct json_t *obj, const char *name, uint64_t caps,
		      void **ret_filter);

/* userns.c */
int userns_choose_maps(struct security *s);
bool userns_maps_id(const struct security *s, unsigned long id, bool gid);
int userns_open_sync(struct container *c);
void userns_close_sync(struct container *c);
int userns_clone_flags(const struct container *c);
int userns_write_maps(struct container *c, pid_t pid);
int userns_child_wait(struct container *c);
int userns_bind_dev(const char *path, const char *name, int mknod_err);

/* paths.c: chapter 04's lists, NULL-terminated */
extern const char *const paths_default_masked[];
extern const char *const paths_default_readonly[];
int paths_mask(const struct container *c);
int paths_readonly(const struct container *c);
int paths_readonly_root(const struct container *c);

#endif
