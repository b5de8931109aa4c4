/* SPDX-License-Identifier: MIT */
/*
 * runtime.c - barge-runtime's command line: the global options, then the
 * subcommand, found in a table and run from a file of its own (cmd_*.c),
 * as crun does.
 *
 * The command line is runc's, because that is what the programs that run
 * OCI runtimes speak. "podman --runtime /path/barge-runtime run ..."
 * runs, through conmon for create:
 *
 *	barge-runtime create --bundle DIR --pid-file DIR/pidfile \
 *		[--console-socket SOCK] ID
 *	barge-runtime start ID
 *	barge-runtime kill [--all] ID 15
 *	barge-runtime delete --force ID
 *
 * (podman adds "--log-format=json --log DIR/oci-log" before create only
 * for the runtimes it knows write JSON logs: runc, crun...)
 * A command that fails reports why once (log.h: on stderr, which conmon
 * passes on to podman, or as a JSON line in the --log file) and exits 1;
 * "run" exits with the container's status, as in chapter 05.
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
	{ "create", cmd_create, true, "create a container from a bundle" },
	{ "start", cmd_start, false,
	  "run the user's process of a created container" },
	{ "state", cmd_state, false, "print the state of a container as JSON" },
	{ "kill", cmd_kill, false, "send a signal to a container's process" },
	{ "delete", cmd_delete, false, "delete a stopped container" },
	{ "list", cmd_list, false,
	  "list the containers of the state directory" },
	{ "ps", cmd_ps, false, "list the processes of a container" },
	{ "events", cmd_events, false,
	  "print what a container's cgroup counts, as JSON" },
	{ "run", run_command, true,
	  "create, start, wait for and delete a container" },
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
		"  --root DIR           state directory (default %s,\n"
		"                       or $XDG_RUNTIME_DIR/barge when not root)\n"
		"  --log FILE           write messages to FILE, not stderr\n"
		"  --log-format FORMAT  text or json (default text)\n"
		"  --debug              more messages\n"
		"  --systemd-cgroup, --rootless VALUE\n"
		"                       accepted for runc compatibility; ignored\n"
		"  -v, --version        print the version\n"
		"  -h, --help           show this help\n"
		"\n"
		"Run 'barge-runtime COMMAND --help' for more on a command.\n",
		DEFAULT_STATE_ROOT);
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

int load_container(const struct runtime_options *o, const char *cmd,
		   const char *id, struct container_state *st)
{
	int r;

	r = state_load(o->root, id, st);
	if (r == -EINVAL)
		log_error("%s: invalid container id \"%s\": use letters, "
			  "digits, '_', '.' and '-'",
			  cmd, id);
	else if (r == -ENOENT)
		log_error("%s: container \"%s\" does not exist", cmd, id);
	else if (r == -EWOULDBLOCK)
		log_error("%s: container \"%s\" is busy: another command holds "
			  "its lock",
			  cmd, id);
	else if (r == -EBADMSG)
		log_error("%s: container \"%s\": corrupt %s/%s/state.json", cmd,
			  id, o->root, id);
	else if (r < 0)
		log_errno(r, "%s: load container \"%s\"", cmd, id);
	return r;
}

/* runc's default: /run/runc for root, $XDG_RUNTIME_DIR/runc for others,
 * who cannot write to /run. */
static const char *default_root(void)
{
	static char buf[4096];
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (geteuid() == 0 || !xdg || !*xdg)
		return DEFAULT_STATE_ROOT;
	if (path_join(buf, sizeof(buf), xdg, "barge") < 0)
		return DEFAULT_STATE_ROOT;
	return buf;
}

enum {
	OPT_ROOT = 256,
	OPT_LOG,
	OPT_LOG_FORMAT,
	OPT_DEBUG,
	OPT_SYSTEMD,
	OPT_ROOTLESS
};

/* The options before the command. Returns 0, 1 when done (--help,
 * --version), or -EINVAL. */
static int parse_global(int argc, char **argv, struct runtime_options *o)
{
	enum log_format format = LOG_FORMAT_TEXT;
	int r;
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD },
		{ "rootless", required_argument, NULL, OPT_ROOTLESS },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_ROOT:
			o->root = optarg;
			break;
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
		case OPT_SYSTEMD:
		case OPT_ROOTLESS:
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
		return r < 0 ? 1 : 0;
	if (!o.root)
		o.root = default_root();
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	name = argv[optind];
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (streq(name, commands[i].name))
			break;
	if (i == ARRAY_SIZE(commands)) {
		log_error("'%s' is not a barge-runtime command; see "
			  "'barge-runtime --help'",
			  name);
		r = 1;
	} else if (commands[i].sealed && (r = proc_reexec_sealed(argv)) < 0) {
		/* the container's processes start as copies of this one: from
		 * a sealed copy in memory, never the host's binary (runc's
		 * CVE-2019-5736; chapter 05's README, "Escapes") */
		log_errno(r, "run from a sealed copy of barge-runtime");
		r = 1;
	} else {
		log_debug("%s, root %s", name, o.root);
		r = commands[i].fn(&o, argc - optind, argv + optind);
	}
	log_close();
	return r;
}
