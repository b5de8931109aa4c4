/* SPDX-License-Identifier: MIT */
/*
 * run.c - "barge run": turn the command line into a struct container and
 * run it.
 */
#include <getopt.h>
#include <stdio.h>

#include "barge.h"
#include "log.h"
#include "util.h"

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
		"  -h, --help             show this help\n");
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "rootfs", required_argument, NULL, 'r' },
		{ 0 },
	};
	struct container c = { 0 };
	int opt;

	/* "+": stop at the first non-option, so that in "barge run ls -l"
	 * the "-l" belongs to ls, not to barge. ":": tell a missing value
	 * apart from an unknown option. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:hr:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			run_usage(stdout);
			return 0;
		case 'r':
			c.rootfs = optarg;
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
	if (c.rootfs && is_dir(c.rootfs) != 1) {
		log_error("run: rootfs %s is not a directory", c.rootfs);
		return EXIT_RUNTIME_ERROR;
	}
	return container_run(&c);
}
