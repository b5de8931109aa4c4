/* SPDX-License-Identifier: MIT */
/*
 * cmd_run.c - "barge-runtime run [--bundle DIR] ID": create, start, wait
 * for the container's process, delete; exit with its status.
 *
 * The three commands' own code, in one process: the init is our child
 * here, so we wait for it as chapter 02 did, forwarding the signals we
 * get (barge run relies on that), and read the cgroup's OOM count before
 * delete removes it.
 */
#include <signal.h>
#include <stdio.h>

#include "runtime.h"

int run_command(const struct runtime_options *o, int argc, char **argv)
{
	struct create_args a = { .bundle = ".", .run = true };
	const struct command_line cl = {
		.name = "run",
		.usage = create_usage,
		.shortopts = "b:",
		.longopts = create_longopts,
		.min_args = 1,
		.max_args = 1,
		.handle = create_option,
		.data = &a,
	};
	static struct created cr;
	int r, first, code;

	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0;
	r = create_container(o, &a, argv[first], &cr);
	if (r < 0) /* the command's 126 or 127, as docker run */
		return cr.c.exit_code ? cr.c.exit_code : EXIT_RUNTIME_ERROR;
	r = start_container(&cr.st);
	if (r < 0)
		kill(cr.pid, SIGKILL);
	/* unlocked while it runs: "state" and "kill" may come meanwhile */
	state_release(&cr.st);
	cr.have_state = false;
	code = container_wait(&cr.c, cr.pid);
	if (r < 0)
		code = EXIT_RUNTIME_ERROR;
	container_destroy(&cr.c);
	cr.c.cg = NULL;
	if (load_container(o, "run", argv[first], &cr.st) == 0)
		delete_container(&cr.st);
	created_release(&cr, false);
	return code;
}
