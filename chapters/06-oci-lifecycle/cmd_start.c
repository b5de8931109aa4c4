/* SPDX-License-Identifier: MIT */
/*
 * cmd_start.c - "barge-runtime start ID": run the user's process in a
 * created container.
 *
 * The container's init has been waiting since create, blocked opening
 * exec.fifo for writing (process.c): a fifo's open waits for the other
 * end. start opens the read end, which lets it go; the init runs the
 * startContainer hooks and writes a byte, which start reads to be sure it
 * went (end of file: it died, or a hook failed). Then the state is
 * "running" and the poststart hooks run (runtime.md, "Lifecycle" steps
 * 8-10); a failing poststart hook is only a warning.
 *
 * runtime.md: start on a container that is not "created" is an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hooks.h"
#include "runtime.h"
#include "util.h"

/* How long the init may take to answer the fifo. */
#define START_TIMEOUT_MS 10000

static int release_init(const struct container_state *st)
{
	struct pollfd p = { .events = POLLIN };
	char path[4096], byte;
	int r;

	r = state_path(st, "exec.fifo", path, sizeof(path));
	if (r < 0)
		return r;
	/* O_NONBLOCK: do not wait here if the init has died meanwhile */
	p.fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (p.fd < 0)
		return -errno;
	r = poll(&p, 1, START_TIMEOUT_MS);
	if (r == 0)
		r = -ETIMEDOUT;
	else if (r > 0)
		r = read(p.fd, &byte, 1) == 1 ? 0 : -EPIPE;
	else
		r = -errno;
	close(p.fd);
	if (r == 0)
		unlink(path);
	return r;
}

static void run_poststart(const struct container_state *st)
{
	char err[1024], *text;
	struct oci_config c;

	if (state_load_config(st, &c, err, sizeof(err)) < 0) {
		log_warning("start: %s", err);
		return;
	}
	text = state_json_text(st);
	if (hooks_run(c.hooks, OCI_HOOK_POSTSTART, text ? text : "{}", err,
		      sizeof(err)) < 0)
		log_warning("start: %s", err);
	free(text);
	oci_config_free(&c);
}

int start_container(struct container_state *st)
{
	enum container_status status = state_status(st);
	int r;

	if (status != STATUS_CREATED) {
		log_error("start: container \"%s\" is %s: only a created "
			  "container can be started",
			  st->id, state_status_name(status));
		return -EINVAL;
	}
	r = release_init(st);
	if (r == -EPIPE) {
		log_error("start: container \"%s\" stopped before its command "
			  "ran (a startContainer hook failed?)",
			  st->id);
		return r;
	}
	if (r < 0)
		return log_errno(r, "start: container \"%s\"", st->id);
	st->status = STATUS_RUNNING;
	r = state_save(st);
	if (r < 0)
		return log_errno(r, "start: save the state of \"%s\"", st->id);
	run_poststart(st);
	return 0;
}

int cmd_start(const struct runtime_options *o, int argc, char **argv)
{
	const struct command_line cl = {
		.name = "start",
		.usage = "Usage: barge-runtime start ID\n"
			 "\n"
			 "Run the process of the created container ID.\n",
		.longopts =
			(const struct option[]){
				{ "help", no_argument, NULL, 'h' }, { 0 } },
		.min_args = 1,
		.max_args = 1,
	};
	struct container_state st;
	int r, first;

	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0;
	r = load_container(o, "start", argv[first], &st);
	if (r < 0)
		return 1;
	r = start_container(&st);
	state_release(&st);
	return r < 0;
}
