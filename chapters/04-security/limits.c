/* SPDX-License-Identifier: MIT */
/*
 * limits.c - the limit flags, --memory, --memory-swap, --cpus,
 * --cpu-shares and --pids-limit, parsed into a struct cg_limits.
 *
 * They are checked in run.c, before anything is created: a bad value is
 * refused with what a good one looks like, and changes nothing. cgroups.c
 * then applies what they say.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "cgroups.h"
#include "util.h"

/* Docker's floor: below this a container cannot even start its shell. */
#define CG_MIN_MEMORY (6 << 20)
/* The kernel's limit on PIDs (PID_MAX_LIMIT on 64-bit). */
#define CG_MAX_PIDS 4194304

static int parse_memory(struct cg_limits *l, const char *s)
{
	int r = parse_size(s, &l->memory);

	if (r < 0)
		return r;
	l->memory_arg = s;
	return l->memory < CG_MIN_MEMORY ? -ERANGE : 0;
}

/* Memory and swap together, as Docker: -1 for unlimited swap. */
static int parse_memory_swap(struct cg_limits *l, const char *s)
{
	int r;

	if (streq(s, "-1")) {
		l->memory_swap = -1;
		return 0;
	}
	r = parse_size(s, &l->memory_swap);
	if (r < 0)
		return r;
	return l->memory_swap == 0 ? -ERANGE : 0;
}

/* --cpus 0.5: half of one CPU's time, as a quota per period. */
static int parse_cpus(struct cg_limits *l, const char *s)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)s[0]) && s[0] != '.')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v))
		return -EINVAL;
	if (v < 0.01 || v > sysconf(_SC_NPROCESSORS_ONLN))
		return -ERANGE;
	l->cpu_quota = (int64_t)(v * CG_CPU_PERIOD + 0.5);
	return 0;
}

static int parse_cpu_shares(struct cg_limits *l, const char *s)
{
	return parse_int(s, 2, 262144, &l->cpu_shares);
}

static int parse_pids_limit(struct cg_limits *l, const char *s)
{
	return parse_int(s, 1, CG_MAX_PIDS, &l->pids);
}

/* The limit flags: how to parse each, and what a good value is. */
static const struct cg_option {
	const char *flag; /* the long option, without "--" */
	int (*parse)(struct cg_limits *l, const char *value);
	const char *expect; /* what a good value looks like */
} options[] = {
	{ "memory", parse_memory,
	  "a size of at least 6m: bytes, or a number with a b, k, m or g "
	  "suffix" },
	{ "memory-swap", parse_memory_swap,
	  "a size like --memory's (memory and swap together), or -1" },
	{ "cpus", parse_cpus,
	  "a number of CPUs from 0.01 to the number online, like 0.5" },
	{ "cpu-shares", parse_cpu_shares, "a whole number from 2 to 262144" },
	{ "pids-limit", parse_pids_limit,
	  "a whole number of processes from 1 to 4194304" },
};

int cg_parse_option(struct cg_limits *l, const char *flag, const char *value,
		    const char **ret_expect)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(options); i++) {
		if (!streq(flag, options[i].flag))
			continue;
		*ret_expect = options[i].expect;
		l->given |= 1u << i;
		return options[i].parse(l, value);
	}
	return -ENOENT;
}

int cg_check_limits(const struct cg_limits *l, const char **ret_why)
{
	if (l->memory_swap && !l->memory) {
		*ret_why = "--memory-swap needs --memory: it is the total of "
			   "memory and swap";
		return -EINVAL;
	}
	if (l->memory_swap > 0 && l->memory_swap < l->memory) {
		*ret_why = "--memory-swap must be at least --memory: it is "
			   "memory and swap together";
		return -EINVAL;
	}
	return 0;
}
