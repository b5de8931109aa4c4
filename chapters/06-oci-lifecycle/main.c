/* SPDX-License-Identifier: MIT */
/*
 * main.c - barge's command line: find the subcommand in a table and call it.
 *
 * Every later chapter adds rows to this table (images, ps, pull, build...),
 * the way docker(1) and crun dispatch their subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "barge.h"
#include "log.h"
#include "util.h"

#define BARGE_VERSION "0.6 (chapter 06-oci-lifecycle)"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "run", cmd_run, "Run a command in a new container" },
	{ "version", cmd_version, "Show the barge version" },
	{ "help", cmd_help, "Show this help" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: barge COMMAND [OPTIONS]\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].help);
	fprintf(out, "\nRun 'barge COMMAND --help' for more on a command.\n");
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("barge version %s\n", BARGE_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	log_set_program("barge");
	if (argc < 2) {
		usage(stderr);
		return EXIT_RUNTIME_ERROR;
	}
	if (streq(argv[1], "--help") || streq(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	if (streq(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (streq(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	log_error("'%s' is not a barge command; see 'barge help'", argv[1]);
	return EXIT_RUNTIME_ERROR;
}
