/* SPDX-License-Identifier: MIT */
/*
 * cmd_run.c - "barge-runtime run [--bundle DIR] ID": run the container a
 * bundle describes, wait for it, remove it.
 *
 * The bundle's config.json is read once (common/oci_spec.c parses it and
 * checks what the spec requires; every error names its JSON path), then
 * turned into a struct container (oci.c), and nothing after that reads
 * it: container_run() is chapter 04's, and exits with the container's
 * status, 128+N if a signal N killed it, or 125 (126, 127) when the
 * runtime failed (the command could not run, was not found), as docker
 * run says it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "runtime.h"
#include "util.h"

static const char run_usage[] =
	"Usage: barge-runtime run [--bundle DIR] ID\n"
	"\n"
	"Run the container the bundle DIR describes (a directory with a\n"
	"config.json), named ID; wait for it, and exit with its status.\n"
	"\n"
	"  -b, --bundle DIR    the bundle (default: the current directory)\n";

static int run_option(int opt, const char *arg, void *data)
{
	(void)opt; /* -b, --bundle: the only one */
	*(const char **)data = arg;
	return 0;
}

/* Read and check the bundle's config.json: any error names its JSON path,
 * and nothing exists yet. */
static int load_bundle(const char *dir, const char *id, char *bundle,
		       struct oci_config *oc, struct container *c)
{
	char config[PATH_MAX], err[1024];
	int r;

	if (!realpath(dir, bundle))
		return log_errno(-errno, "run: bundle %s", dir);
	r = path_join(config, PATH_MAX, bundle, "config.json");
	if (r < 0)
		return log_errno(r, "run: bundle %s", bundle);
	r = oci_config_load(config, oc, err, sizeof(err));
	if (r < 0) {
		log_error("run: %s", err);
		return r;
	}
	c->id = id;
	r = oci_adapt(c, oc, bundle, err, sizeof(err));
	if (r < 0) {
		log_error("run: config.json: %s", err);
		free(c->device_rules);
		oci_config_free(oc);
	}
	return r;
}

int run_command(const struct runtime_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *dir = ".";
	const struct command_line cl = {
		.name = "run",
		.usage = run_usage,
		.shortopts = "b:",
		.longopts = longopts,
		.min_args = 1,
		.max_args = 1,
		.handle = run_option,
		.data = &dir,
	};
	struct container c = { 0 };
	char bundle[PATH_MAX];
	struct oci_config oc;
	int r, first, code;

	(void)o;
	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0 ? EXIT_RUNTIME_ERROR : 0;
	if (!valid_id(argv[first])) {
		log_error("run: invalid container ID \"%s\": use letters, "
			  "digits, '_', '.' and '-'",
			  argv[first]);
		return EXIT_RUNTIME_ERROR;
	}
	if (load_bundle(dir, argv[first], bundle, &oc, &c) < 0)
		return EXIT_RUNTIME_ERROR;
	code = container_run(&c);
	free(c.device_rules);
	oci_config_free(&oc);
	return code;
}
