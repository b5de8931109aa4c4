/* SPDX-License-Identifier: MIT */
/*
 * cmd_kill.c - "barge-runtime kill ID [SIGNAL]": signal the container's
 * process (SIGTERM by default); with --all, every process in its cgroup.
 *
 * runtime.md: signalling a container that is neither created nor running
 * is an error and changes nothing ("container not running", runc's
 * words). --all signals what is left in its cgroup, and finding nothing
 * there is no error: containerd's shim sends "kill --all ID 9" after the
 * container has exited, and waits for it to succeed.
 * state_signal() makes sure the pid is still the container's.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "cgroups.h"
#include "runtime.h"
#include "util.h"

static int kill_option(int opt, const char *arg, void *data)
{
	(void)opt;
	(void)arg;
	*(bool *)data = true;
	return 0;
}

/* Signal every process listed in the container's cgroup. */
static int kill_all(const struct container_state *st, int sig)
{
	size_t i, n, hit = 0;
	pid_t *pids = NULL;
	int r;

	r = cg_procs(st->cgroup, &pids, &n);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++)
		if (kill(pids[i], sig) == 0)
			hit++;
	free(pids);
	return hit > 0 ? 0 : -ESRCH;
}

int cmd_kill(const struct runtime_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool all = false;
	const struct command_line cl = {
		.name = "kill",
		.usage = "Usage: barge-runtime kill [--all] ID [SIGNAL]\n"
			 "\n"
			 "Send SIGNAL (default SIGTERM) to container ID's\n"
			 "process. SIGNAL is a number or a name, with or\n"
			 "without SIG: 9, KILL, SIGKILL.\n"
			 "\n"
			 "  -a, --all   to every process of the container\n",
		.shortopts = "a",
		.longopts = longopts,
		.min_args = 1,
		.max_args = 2,
		.handle = kill_option,
		.data = &all,
	};
	struct container_state st;
	enum container_status status;
	int r, first, sig = SIGTERM;
	const char *id;

	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0;
	id = argv[first];
	if (argv[first + 1]) {
		sig = parse_signal(argv[first + 1]);
		if (sig < 0) {
			log_error("kill: invalid signal '%s'", argv[first + 1]);
			return 1;
		}
	}
	r = load_container(o, "kill", id, &st);
	if (r < 0)
		return 1;
	status = state_status(&st);
	if (all && st.cgroup) {
		/* whatever is left in the cgroup; none left is no error:
		 * containerd's shim ends with "kill --all ID 9" after the
		 * container has exited, as runc allows */
		r = kill_all(&st, sig);
		if (r == -ESRCH || r == -ENOENT)
			r = 0;
	} else if (status == STATUS_CREATED || status == STATUS_RUNNING) {
		r = state_signal(&st, sig);
	} else if (all) {
		r = 0;
	} else {
		/* runc's words, which the shim looks for */
		log_error("kill: container \"%s\" is %s: container not "
			  "running",
			  id, state_status_name(status));
		r = -EINVAL;
	}
	if (r < 0 && r != -EINVAL)
		log_errno(r, "kill: container \"%s\"", id);
	state_release(&st);
	return r < 0;
}
