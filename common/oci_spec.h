/* SPDX-License-Identifier: MIT */
/*
 * oci_spec.h - a bundle's config.json (the OCI runtime spec, config.md and
 * config-linux.md) as a plain C struct.
 *
 * Everything chapters 00-04 take from barge's flags, a config.json says in
 * a standard form: the process to run, its root filesystem, mounts,
 * namespaces, cgroup limits, capabilities, seccomp. oci_config_load() reads
 * the file with jansson, checks what the spec requires, and copies it into
 * struct oci_config, so that nothing past the parser ever sees JSON.
 *
 * Conventions of the struct:
 *  - strings are owned copies; NULL means "absent";
 *  - string lists are NULL-terminated vectors (char **); NULL means the
 *    field was absent, an empty vector that it was present and empty (the
 *    spec tells the two apart for capabilities);
 *  - arrays of objects are a pointer and a count;
 *  - an optional number has a has_ flag beside it.
 * Fields of the spec that barge does not use are not parsed, and unknown
 * fields are ignored: the spec allows extensions.
 */
#ifndef BARGE_OCI_SPEC_H
#define BARGE_OCI_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "json.h"
#include "seccomp_profile.h"

struct oci_rlimit {
	int resource;  /* RLIMIT_NOFILE... */
	char *type;    /* "RLIMIT_NOFILE" */
	uint64_t soft; /* UINT64_MAX is RLIM_INFINITY */
	uint64_t hard;
};

struct oci_capabilities {
	char **bounding; /* "CAP_KILL"...; NULL if absent */
	char **effective;
	char **inheritable;
	char **permitted;
	char **ambient;
};

struct oci_process {
	bool terminal;
	bool has_console_size;
	unsigned console_height, console_width;
	uid_t uid;
	gid_t gid;
	bool has_umask;
	mode_t umask;
	gid_t *additional_gids;
	size_t n_additional_gids;
	char **args; /* at least one */
	char **env;  /* "KEY=VALUE"...; never NULL (empty if absent) */
	char *cwd;   /* absolute */
	bool has_capabilities;
	struct oci_capabilities caps;
	struct oci_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj; /* -1000..1000 */
};

/* A mount, with its options already split the way mount(2) wants them. */
struct oci_mount {
	char *destination; /* absolute, inside the container */
	char *type;	   /* "proc", "tmpfs", "bind"...; NULL if absent */
	char *source;
	char **options;		   /* as written */
	unsigned long flags;	   /* MS_RDONLY, MS_NOSUID, MS_BIND... */
	unsigned long propagation; /* MS_PRIVATE, MS_SLAVE... or 0 */
	bool recursive;		   /* rbind, rprivate...: MS_REC */
	char *data;	/* the options mount(2) does not know: "mode=755" */
	bool tmpcopyup; /* tmpfs: copy up what the image had there */
};

enum oci_hook_kind {
	OCI_HOOK_PRESTART,
	OCI_HOOK_CREATE_RUNTIME,
	OCI_HOOK_CREATE_CONTAINER,
	OCI_HOOK_START_CONTAINER,
	OCI_HOOK_POSTSTART,
	OCI_HOOK_POSTSTOP,
	OCI_HOOK_KINDS
};

struct oci_hook {
	char *path;  /* absolute */
	char **args; /* NULL if absent */
	char **env;  /* NULL if absent */
	int timeout; /* seconds; 0 if none */
};

struct oci_hook_list {
	struct oci_hook *hooks;
	size_t n;
};

struct oci_namespace {
	int type;   /* CLONE_NEWPID... */
	char *path; /* join this namespace instead of creating one; or NULL */
};

struct oci_id_mapping {
	uint32_t container_id, host_id, size;
};

struct oci_device_rule { /* linux.resources.devices: the device cgroup */
	bool allow;
	char type;	      /* 'a', 'c' or 'b' */
	int64_t major, minor; /* -1: any */
	char access[4];	      /* a subset of "rwm" */
};

struct oci_resources {
	bool has_memory_limit, has_memory_swap, has_memory_reservation;
	int64_t memory_limit, memory_swap, memory_reservation; /* -1: none */
	bool has_cpu_shares, has_cpu_quota, has_cpu_period;
	uint64_t cpu_shares, cpu_period;
	int64_t cpu_quota;	   /* -1: none */
	char *cpu_cpus, *cpu_mems; /* cpuset: "0-3", NULL if absent */
	bool has_pids_limit;
	int64_t pids_limit; /* 0 or -1: none */
	struct oci_device_rule *devices;
	size_t n_devices;
};

struct oci_device { /* linux.devices: a node to create in /dev */
	char *path; /* absolute */
	char type;  /* 'c', 'b', 'u' or 'p' */
	int64_t major, minor;
	bool has_file_mode, has_uid, has_gid;
	mode_t file_mode; /* permission bits; podman adds the type's too
			   * (S_IFCHR | 0666), as mknod(2) takes them */
	uid_t uid;
	gid_t gid;
};

struct oci_linux {
	struct oci_namespace *namespaces;
	size_t n_namespaces;
	struct oci_id_mapping *uid_mappings, *gid_mappings;
	size_t n_uid_mappings, n_gid_mappings;
	char *cgroups_path;
	bool has_resources;
	struct oci_resources resources;
	bool has_seccomp;
	struct seccomp_profile seccomp;
	char **masked_paths;   /* never NULL */
	char **readonly_paths; /* never NULL */
	struct kv *sysctl;
	size_t n_sysctl;
	struct oci_device *devices;
	size_t n_devices;
	unsigned long rootfs_propagation; /* MS_SHARED|MS_REC...; 0: default */
};

struct oci_config {
	char *oci_version;
	bool has_process;
	struct oci_process process;
	char *root_path; /* as written: relative to the bundle, or absolute */
	bool root_readonly;
	char *hostname, *domainname;
	struct oci_mount *mounts;
	size_t n_mounts;
	struct oci_hook_list hooks[OCI_HOOK_KINDS];
	struct kv *annotations;
	size_t n_annotations;
	bool has_linux_spec;
	struct oci_linux linux_spec; /* "linux" (a predefined macro in GNU C) */
	char *source;		     /* oci_config_load(): the text it parsed */
};

/*
 * Parse and check a config.json. On failure return -EINVAL (bad content),
 * or another negative errno (the file could not be read), with one line in
 * errbuf that names the JSON path and what is wrong:
 *
 *	config.json: linux.namespaces[2].type: unknown namespace type "foo"
 *
 * On success *ret is filled and must be released with oci_config_free();
 * ret->source keeps the file's text, to save what was checked: a runtime
 * that reads the file again later may read another one.
 */
int oci_config_load(const char *path, struct oci_config *ret, char *errbuf,
		    size_t errsize);

/* The same, from a string; name stands for the file in messages. */
int oci_config_parse(const char *json, const char *name, struct oci_config *ret,
		     char *errbuf, size_t errsize);

void oci_config_free(struct oci_config *c);

/* "prestart", "createRuntime"...: the key of a hook list in config.json. */
const char *oci_hook_name(enum oci_hook_kind kind);

/* "pid", "network"... for CLONE_NEWPID...; NULL if unknown. */
const char *oci_namespace_name(int clone_flag);

/* Find a namespace in c's linux.namespaces; NULL if it is not there. */
const struct oci_namespace *oci_config_namespace(const struct oci_config *c,
						 int clone_flag);

/* A propagation name ("rprivate", "shared"...) as mount(2) flags. */
int oci_propagation_flags(const char *name, unsigned long *ret);

#endif
