/* SPDX-License-Identifier: MIT */
/*
 * runtime.c - barge-runtime's command line: the global options, then the
 * subcommand, found in a table and run from a file of its own (cmd_*.c),
 * as crun does.
 *
 * The command line is runc's, because that is what the programs that run
 * OCI runtimes speak. barge runs, as dockerd has runc run:
 *
 *	barge-runtime run --bundle /run/barge-bundles/ID ID
 *
 * and exits with the container's status. A command that fails reports
 * why once (log.h: on stderr, or in the --log file, as text or JSON
 * lines) and exits 125.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "runtime.h"
#include "util.h"

static const struct command {
	const char *name;
	int (*fn)(const struct runtime_options *o, int argc, char **argv);
	bool sealed; /* makes a container: runs from a sealed copy (main) */
	const char *help;
} commands[] = {
	{ "spec", cmd_spec, false,
	  "write a config.json to start a bundle from" },
	{ "run", run_command, true, "run a container, wait for it, remove it" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: barge-runtime [GLOBAL OPTIONS] COMMAND [OPTIONS] ...\n"
		"\n"
		"An OCI runtime (the runtime spec's command line, as runc's).\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(out,
		"\n"
		"Global options:\n"
		"  --log FILE           write messages to FILE, not stderr\n"
		"  --log-format FORMAT  text or json (default text)\n"
		"  --debug              more messages\n"
		"  -v, --version        print the version\n"
		"  -h, --help           show this help\n"
		"\n"
		"Run 'barge-runtime COMMAND --help' for more on a command.\n");
}

static void version(void)
{
	printf("barge-runtime version %s\nspec: %s\n", BARGE_RUNTIME_VERSION,
	       OCI_VERSION);
}

int parse_command_line(const struct command_line *cl, int argc, char **argv,
		       int *ret_optind)
{
	char shortopts[64];
	int opt, n, r;

	/* "+": options stop at the first operand; ":": report a missing
	 * value apart from an unknown option. */
	snprintf(shortopts, sizeof(shortopts), "+:h%s",
		 cl->shortopts ? cl->shortopts : "");
	optind = 0; /* glibc: 0 starts getopt afresh */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, cl->longopts, NULL)) !=
	       -1) {
		if (opt == 'h') {
			fputs(cl->usage, stdout);
			return 1;
		}
		if (opt == ':' || opt == '?') {
			log_error("%s: %s '%s'; see 'barge-runtime %s --help'",
				  cl->name,
				  opt == ':' ? "option needs a value"
					     : "unknown option",
				  argv[optind - 1], cl->name);
			return -EINVAL;
		}
		r = cl->handle ? cl->handle(opt, optarg, cl->data) : -EINVAL;
		if (r < 0)
			return r;
	}
	n = argc - optind;
	if (n < cl->min_args || n > cl->max_args) {
		log_error("%s: %s; see 'barge-runtime %s --help'", cl->name,
			  n < cl->min_args ? "missing arguments"
					   : "too many arguments",
			  cl->name);
		return -EINVAL;
	}
	*ret_optind = optind;
	return 0;
}

bool valid_id(const char *id)
{
	size_t n = strlen(id);

	return n > 0 && n <= 1024 && !streq(id, ".") && !streq(id, "..") &&
	       strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "0123456789_.-") == n;
}

enum { OPT_LOG = 256, OPT_LOG_FORMAT, OPT_DEBUG };

/* The options before the command. Returns 0, 1 when done (--help,
 * --version), or -EINVAL. */
static int parse_global(int argc, char **argv, struct runtime_options *o)
{
	enum log_format format = LOG_FORMAT_TEXT;
	int r;
	static const struct option longopts[] = {
		{ "log", required_argument, NULL, OPT_LOG },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_LOG:
			o->log = optarg;
			break;
		case OPT_LOG_FORMAT:
			if (log_parse_format(optarg, &format) < 0) {
				log_error(
					"--log-format: '%s' is not text or json",
					optarg);
				return -EINVAL;
			}
			break;
		case OPT_DEBUG:
			log_set_debug(true);
			break;
		case 'v':
			version();
			return 1;
		case 'h':
			usage(stdout);
			return 1;
		default:
			log_error("%s '%s'; see 'barge-runtime --help'",
				  opt == ':' ? "option needs a value"
					     : "unknown option",
				  argv[optind - 1]);
			return -EINVAL;
		}
	}
	/* Every message from here on goes where --log says: the one
	 * channel of log.h. */
	r = o->log ? log_open(o->log, format) : 0;
	if (r < 0)
		return log_errno(r, "open the log %s", o->log);
	return 0;
}

int main(int argc, char **argv)
{
	struct runtime_options o = { 0 };
	const char *name;
	size_t i;
	int r;

	log_set_program("barge-runtime");
	r = parse_global(argc, argv, &o);
	if (r != 0)
		return r < 0 ? EXIT_RUNTIME_ERROR : 0;
	if (optind >= argc) {
		usage(stderr);
		return EXIT_RUNTIME_ERROR;
	}
	name = argv[optind];
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (streq(name, commands[i].name))
			break;
	if (i == ARRAY_SIZE(commands)) {
		log_error("'%s' is not a barge-runtime command; see "
			  "'barge-runtime --help'",
			  name);
		r = EXIT_RUNTIME_ERROR;
	} else if (commands[i].sealed && (r = proc_reexec_sealed(argv)) < 0) {
		/* the container's processes start as copies of this one: from
		 * a sealed copy in memory, never the host's binary (runc's
		 * CVE-2019-5736; README, "Escapes") */
		log_errno(r, "run from a sealed copy of barge-runtime");
		r = EXIT_RUNTIME_ERROR;
	} else {
		log_debug("%s", name);
		r = commands[i].fn(&o, argc - optind, argv + optind);
	}
	log_close();
	return r;
}
