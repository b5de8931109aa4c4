/* SPDX-License-Identifier: MIT */
/*
 * seccomp_profile.h - a seccomp profile as data: which system calls get
 * which answer, read from and written as JSON.
 *
 * Two formats say the same thing. Docker's (moby's profiles/seccomp, also
 * /usr/share/containers/seccomp.json) is what people write and pass to
 * "docker run --security-opt seccomp=FILE"; its rules can depend on the
 * container ("includes": { "caps": ["CAP_SYS_ADMIN"] }). The runtime spec's
 * (config-linux.md, "linux.seccomp") is what an engine hands its runtime:
 * the same rules with every such condition already decided. dockerd reads
 * the first and writes the second; barge does the same.
 *
 *	{
 *	  "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
 *	  "architectures": [ "SCMP_ARCH_X86_64", "SCMP_ARCH_X86" ],
 *	  "syscalls": [
 *	    { "names": [ "read", "write" ], "action": "SCMP_ACT_ALLOW" },
 *	    { "names": [ "personality" ], "action": "SCMP_ACT_ALLOW",
 *	      "args": [ { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] }
 *	  ]
 *	}
 *
 * Turning a profile into the BPF program the kernel runs is a chapter's
 * lesson (libseccomp, chapter 04's profile.c), not this file's.
 */
#ifndef BARGE_SECCOMP_PROFILE_H
#define BARGE_SECCOMP_PROFILE_H

#include <jansson.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

#define SECCOMP_MAX_ARCHES 8

struct seccomp_arg {
	unsigned int index; /* which argument: 0..5 */
	uint64_t value, value_two;
	enum scmp_compare op; /* SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ... */
};

struct seccomp_rule {
	char **names;	 /* system calls, by name (strv.h) */
	uint32_t action; /* SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(EPERM)... */
	struct seccomp_arg *args;
	size_t n_args;
};

/* The filter's flags (seccomp(2)), as the runtime spec names them. */
enum {
	SECCOMP_PROFILE_FLAG_LOG = 1,	     /* SECCOMP_FILTER_FLAG_LOG */
	SECCOMP_PROFILE_FLAG_SPEC_ALLOW = 2, /* ..._SPEC_ALLOW */
	SECCOMP_PROFILE_FLAG_TSYNC = 4,	     /* ..._TSYNC */
};

struct seccomp_profile {
	uint32_t default_action;
	/* the architectures of the filter; none: this machine's only */
	uint32_t arches[SECCOMP_MAX_ARCHES];
	size_t n_arches;
	unsigned int flags; /* SECCOMP_PROFILE_FLAG_... */
	struct seccomp_rule *rules;
	size_t n_rules;
};

enum seccomp_format {
	SECCOMP_FORMAT_OCI,    /* config.json's linux.seccomp */
	SECCOMP_FORMAT_DOCKER, /* a Docker profile: includes, archMap... */
};

/*
 * Read the profile in obj, found at path ("linux.seccomp", or "" for a
 * whole file). In Docker's format, a rule whose "includes" or "excludes"
 * does not hold for a container with the capabilities caps (bit N:
 * capability N) on this machine is left out. Errors name the JSON path,
 * through p; *ret must be freed with seccomp_profile_free() on success.
 */
int seccomp_profile_parse(struct jp *p, json_t *obj, const char *path,
			  enum seccomp_format format, uint64_t caps,
			  struct seccomp_profile *ret);

/* The same for a file in Docker's format (--security-opt seccomp=FILE);
 * messages start "seccomp profile FILE". */
int seccomp_profile_load(const char *file, uint64_t caps,
			 struct seccomp_profile *ret, char *errbuf,
			 size_t errsize);

/* The profile in the runtime spec's format, for config.json; NULL when out
 * of memory. */
json_t *seccomp_profile_to_json(const struct seccomp_profile *sp);

/* Add a rule: name gets action when the n_args comparisons all hold. */
int seccomp_profile_add(struct seccomp_profile *sp, const char *name,
			uint32_t action, const struct seccomp_arg *args,
			size_t n_args);

/* Set the architectures to this machine's and the 32-bit ones it also
 * runs (x86 and x32 on x86-64, arm on aarch64): the kernel kills a
 * process that makes a call of an architecture its filter does not
 * know. */
void seccomp_profile_add_native_arches(struct seccomp_profile *sp);

void seccomp_profile_free(struct seccomp_profile *sp);

#endif
