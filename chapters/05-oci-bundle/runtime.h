/* SPDX-License-Identifier: MIT */
/*
 * runtime.h - what the files of barge-runtime share.
 *
 * barge-runtime speaks the command line of runc, because that is what the
 * programs that run OCI runtimes speak: options for the runtime itself,
 * then a command and its own options and operands. This chapter has two
 * commands, each in a file of its own (cmd_spec.c, cmd_run.c), found in
 * runtime.c's table as crun does; chapter 06 adds the rest of the
 * lifecycle.
 */
#ifndef BARGE_RUNTIME_H
#define BARGE_RUNTIME_H

#include <getopt.h>
#include <stdbool.h>

#include "barge.h"

/* The version of the runtime spec barge implements. */
#define OCI_VERSION	      "1.0.2"
#define BARGE_RUNTIME_VERSION "0.5 (chapter 05-oci-bundle)"

/* The options given before the command: barge-runtime --log FILE run ... */
struct runtime_options {
	const char *log; /* --log FILE, or NULL: stderr */
};

/* Each command returns the program's exit code. */
int cmd_spec(const struct runtime_options *o, int argc, char **argv);
int run_command(const struct runtime_options *o, int argc, char **argv);

/* Parse a command's command line: OPTIONS (getopt_long's, with "h" for
 * --help added) and min_args to max_args operands. Returns 0 with
 * *ret_optind at the first operand, 1 after printing the help, or -EINVAL
 * after reporting a bad option. handle() sees every other option. */
struct command_line {
	const char *name;  /* "run" */
	const char *usage; /* the help text */
	const char *shortopts;
	const struct option *longopts;
	int min_args, max_args;
	int (*handle)(int opt, const char *arg, void *data);
	void *data;
};
int parse_command_line(const struct command_line *cl, int argc, char **argv,
		       int *ret_optind);

/* A container id names its cgroup (and from chapter 06 its state):
 * letters, digits and "_.-", as runc takes them; not "." or "..". */
bool valid_id(const char *id);

#endif
