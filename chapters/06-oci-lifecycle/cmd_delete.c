/* SPDX-License-Identifier: MIT */
/*
 * cmd_delete.c - "barge-runtime delete [--force] ID": remove what create
 * made, once the container has stopped; then run the poststop hooks.
 *
 * runtime.md: deleting a container that is not stopped is an error and
 * changes nothing. --force (runc's, which podman always passes) kills it
 * first, with SIGKILL, and waits for it to be gone; and a --force delete
 * of an id that does not exist succeeds.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "hooks.h"
#include "runtime.h"
#include "util.h"

/* How long --force waits for the killed process to go. */
#define FORCE_TIMEOUT_MS 10000

static int delete_option(int opt, const char *arg, void *data)
{
	(void)opt;
	(void)arg;
	*(bool *)data = true;
	return 0;
}

/* SIGKILL it, and wait until it is stopped: it is not our child, so no
 * waitpid(); its parent (conmon, or init) reaps it. */
static int force_stop(const struct container_state *st)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int waited, r;

	r = state_signal(st, SIGKILL);
	if (r < 0 && r != -ESRCH)
		return r;
	for (waited = 0; waited < FORCE_TIMEOUT_MS; waited += 10) {
		if (state_status(st) == STATUS_STOPPED)
			return 0;
		nanosleep(&tick, NULL);
	}
	return -ETIMEDOUT;
}

/* The poststop hooks of the config.json create saved: only warnings if
 * they fail (runtime.md, "Lifecycle" step 13). */
static void run_poststop(const struct oci_config *c, json_t *state)
{
	char err[1024], *text;

	text = json_dumps(state, JSON_COMPACT);
	if (text &&
	    hooks_run(c->hooks, OCI_HOOK_POSTSTOP, text, err, sizeof(err)) < 0)
		log_warning("delete: %s", err);
	free(text);
}

/* Remove its cgroup and its state directory, then run the poststop
 * hooks; st is released. */
int delete_container(struct container_state *st)
{
	json_t *state = state_to_json(st);
	char *id = strdup(st->id), err[1024];
	struct oci_config c;
	struct cgroup cg;
	bool hooks;
	int r;

	/* Read before the state directory goes; a create killed before it
	 * saved the config leaves none, and no hooks ran either. */
	hooks = state_load_config(st, &c, err, sizeof(err)) == 0;
	if (st->cgroup && cg_open(&cg, st->cgroup) == 0)
		cg_destroy(&cg);
	r = state_remove(st);
	if (r < 0)
		log_errno(r, "delete: remove \"%s\"", id ? id : "");
	else if (state && hooks)
		run_poststop(&c, state);
	if (hooks)
		oci_config_free(&c);
	json_decref(state);
	free(id);
	return r;
}

int cmd_delete(const struct runtime_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool force = false;
	const struct command_line cl = {
		.name = "delete",
		.usage =
			"Usage: barge-runtime delete [--force] ID\n"
			"\n"
			"Delete the stopped container ID.\n"
			"\n"
			"  -f, --force   kill it first if it is still running\n",
		.shortopts = "f",
		.longopts = longopts,
		.min_args = 1,
		.max_args = 1,
		.handle = delete_option,
		.data = &force,
	};
	struct container_state st;
	enum container_status status;
	int r, first;

	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0;
	/* runc: --force on an id that does not exist is not an error;
	 * podman deletes that way after a create that failed. */
	if (force && state_load(o->root, argv[first], &st) == -ENOENT)
		return 0;
	if (!force && load_container(o, "delete", argv[first], &st) < 0)
		return 1;
	if (force && st.lock_fd < 0 &&
	    load_container(o, "delete", argv[first], &st) < 0)
		return 1;
	status = state_status(&st);
	if (status != STATUS_STOPPED && !force) {
		log_error("delete: container \"%s\" is %s: stop it first, or "
			  "use --force",
			  st.id, state_status_name(status));
		state_release(&st);
		return 1;
	}
	if (status != STATUS_STOPPED) {
		r = force_stop(&st);
		if (r < 0) {
			log_errno(r, "delete: stop container \"%s\"", st.id);
			state_release(&st);
			return 1;
		}
	}
	r = delete_container(&st);
	return r < 0;
}
