/* SPDX-License-Identifier: MIT */
/*
 * cmd_spec.c - "barge-runtime spec": write a default config.json to start
 * a bundle from, as "runc spec" does.
 */
#include <errno.h>
#include <stdio.h>

#include "runtime.h"

struct spec_args {
	const char *bundle;
	bool rootless;
};

static int spec_option(int opt, const char *arg, void *data)
{
	struct spec_args *a = data;

	if (opt == 'b')
		a->bundle = arg;
	else
		a->rootless = true;
	return 0;
}

int cmd_spec(const struct runtime_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct spec_args a = { .bundle = "." };
	const struct command_line cl = {
		.name = "spec",
		.usage =
			"Usage: barge-runtime spec [--rootless] [--bundle DIR]\n"
			"\n"
			"Write a default config.json into DIR (default: the\n"
			"current directory), for a root filesystem in\n"
			"DIR/rootfs. An existing config.json is left alone.\n"
			"\n"
			"  -b, --bundle DIR   the bundle directory\n"
			"      --rootless     for a container run without\n"
			"                     root: a user namespace mapping\n"
			"                     your ids to root\n",
		.shortopts = "b:",
		.longopts = longopts,
		.handle = spec_option,
		.data = &a,
	};
	int r, first;

	(void)o;
	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0;
	r = spec_write(a.bundle, a.rootless);
	if (r == -EEXIST)
		log_sink(LOG_LEVEL_ERROR,
			 "spec: %s/config.json exists: remove it first",
			 a.bundle);
	else if (r < 0)
		log_sink_errno(LOG_LEVEL_ERROR, r, "spec: write %s/config.json",
			       a.bundle);
	return r < 0;
}
