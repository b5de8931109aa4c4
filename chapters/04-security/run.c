/* SPDX-License-Identifier: MIT */
/*
 * run.c - "barge run": turn the command line into a struct container and
 * run it.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "barge.h"
#include "cgroups.h"
#include "log.h"
#include "util.h"

/* RFC 1123: letters, digits and '-', dot-separated labels, at most 63
 * characters each, at most 64 for sethostname(2). */
static bool valid_hostname(const char *s)
{
	size_t n = strlen(s), label = 0, i;

	if (n == 0 || n > 64 || s[0] == '-' || s[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

/* The rootfs must be a directory this process can reach. An ordinary
 * user (rootless) may not search a directory above it, as root's home
 * (mode 0700): say which one and why, rather than "Permission denied". */
static int check_rootfs(const char *rootfs)
{
	char why[PATH_MAX + 64];
	int r = is_dir(rootfs);

	if (r == 1)
		return 0;
	if (r == -EACCES && path_blocked_at(rootfs, why, sizeof(why)) == 1)
		log_error("run: rootfs %s is out of reach: %s", rootfs, why);
	else
		log_error("run: rootfs %s is not a directory", rootfs);
	return -ENOTDIR;
}

static void run_usage(FILE *out)
{
	fprintf(out,
		"Usage: barge run [OPTIONS] [--] COMMAND [ARG...]\n"
		"\n"
		"Run COMMAND as a child process and exit with its status\n"
		"(128+N if a signal N killed it).\n"
		"\n"
		"Options:\n"
		"  -r, --rootfs DIR       run COMMAND with DIR as its root directory\n"
		"                         (required)\n"
		"      --hostname NAME    the container's hostname (default: its id)\n"
		"      --no-init          run COMMAND as PID 1, without an init\n"
		"  -m, --memory SIZE      memory limit: bytes, or 512k, 64m, 2g...\n"
		"      --memory-swap SIZE memory and swap together (-1: no limit)\n"
		"      --cpus N           CPU time, in CPUs: 0.5 is half of one\n"
		"      --cpu-shares N     relative CPU weight, 2..262144 (1024)\n"
		"      --pids-limit N     at most N processes and threads\n"
		"      --stats            print peak memory, CPU time, peak pids\n");
	sec_usage(out);
	fprintf(out, "  -h, --help             show this help\n");
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "rootfs", required_argument, NULL, 'r' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "no-init", no_argument, NULL, 'I' },
		/* The limits: cgroups.c parses them, by name. */
		{ "memory", required_argument, NULL, 'm' },
		{ "memory-swap", required_argument, NULL, 'L' },
		{ "cpus", required_argument, NULL, 'L' },
		{ "cpu-shares", required_argument, NULL, 'L' },
		{ "pids-limit", required_argument, NULL, 'L' },
		{ "stats", no_argument, NULL, 'S' },
		/* chapter 04: security */
		{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
		{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
		{ "security-opt", required_argument, NULL, OPT_SECURITY_OPT },
		{ "userns", no_argument, NULL, OPT_USERNS },
		{ "read-only", no_argument, NULL, OPT_READ_ONLY },
		{ "user", required_argument, NULL, OPT_USER },
		{ "ulimit", required_argument, NULL, OPT_ULIMIT },
		{ 0 },
	};
	struct container c = { .init = true };
	const char *why, *name;
	char id[13];
	int opt, idx, code;

	/* "+": stop at the first non-option, so that in "barge run ls -l"
	 * the "-l" belongs to ls, not to barge. ":": tell a missing value
	 * apart from an unknown option. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:hr:m:u:", longopts, &idx)) !=
	       -1) {
		switch (opt) {
		case 'h':
			run_usage(stdout);
			return 0;
		case 'r':
			c.rootfs = optarg;
			break;
		case 'H':
			c.hostname = optarg;
			break;
		case 'I':
			c.init = false;
			break;
		case 'm': /* -m or --memory */
		case 'L':
			name = opt == 'm' ? "memory" : longopts[idx].name;
			if (cg_parse_option(&c.limits, name, optarg, &why) <
			    0) {
				log_error("run: invalid --%s '%s': expected %s",
					  name, optarg, why);
				return EXIT_RUNTIME_ERROR;
			}
			break;
		case 'S':
			c.stats = true;
			break;
		case OPT_CAP_ADD:
		case OPT_CAP_DROP:
		case OPT_SECURITY_OPT:
		case OPT_USERNS:
		case OPT_READ_ONLY:
		case OPT_USER:
		case OPT_ULIMIT:
			if (sec_option(&c, opt, optarg) < 0)
				return EXIT_RUNTIME_ERROR;
			break;
		case ':':
			log_error("run: option '%s' needs a value",
				  argv[optind - 1]);
			return EXIT_RUNTIME_ERROR;
		default:
			log_error(
				"run: unknown option '%s'; see 'barge run --help'",
				argv[optind - 1]);
			return EXIT_RUNTIME_ERROR;
		}
	}
	if (optind >= argc) {
		log_error("run: no command given; see 'barge run --help'");
		return EXIT_RUNTIME_ERROR;
	}
	c.argv = argv + optind;
	/* Check what we can before anything is created: a bad flag must
	 * change nothing. */
	if (!c.rootfs) {
		log_error(
			"run: a container needs a root filesystem: --rootfs DIR");
		return EXIT_RUNTIME_ERROR;
	}
	if (check_rootfs(c.rootfs) < 0)
		return EXIT_RUNTIME_ERROR;
	if (c.hostname && !valid_hostname(c.hostname)) {
		log_error("run: invalid hostname '%s'", c.hostname);
		return EXIT_RUNTIME_ERROR;
	}
	if (cg_check_limits(&c.limits, &why) < 0) {
		log_error("run: %s", why);
		return EXIT_RUNTIME_ERROR;
	}
	/* Like Docker, name the container by a random id, and use it as the
	 * default hostname. */
	if (random_hex(id, sizeof(id)) < 0) {
		log_error("run: no random bytes for a container id");
		return EXIT_RUNTIME_ERROR;
	}
	c.id = id;
	if (!c.hostname)
		c.hostname = id;
	/* chapter 04: capabilities, seccomp filter, uid/gid maps */
	if (sec_prepare(&c) < 0)
		return EXIT_RUNTIME_ERROR;
	code = container_run(&c);
	sec_release(&c);
	return code;
}
