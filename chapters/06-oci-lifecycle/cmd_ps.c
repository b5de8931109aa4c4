/* SPDX-License-Identifier: MIT */
/*
 * cmd_ps.c - "barge-runtime ps [--format table|json] ID [PS_OPTIONS]": the
 * processes of a container, as runc prints them (podman top asks so).
 *
 * The container's processes are those of its cgroup (cgroup.procs), or,
 * with no cgroup, its init alone. JSON is the array of their pids, in
 * our PID namespace:
 *
 *	[4422,4431]
 *
 * The table is ps(1)'s own, run with PS_OPTIONS (default -ef): its
 * header, then only the lines whose PID column is one of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "runtime.h"
#include "util.h"

static int ps_option(int opt, const char *arg, void *data)
{
	(void)opt;
	if (!streq(arg, "json") && !streq(arg, "table")) {
		log_error("ps: --format '%s' is not table or json", arg);
		return -EINVAL;
	}
	*(bool *)data = streq(arg, "json");
	return 0;
}

static bool listed(pid_t pid, const pid_t *pids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Which column of ps's header is PID (0, 1, ...), or -1. */
static int pid_column(const char *header)
{
	char copy[4096], *word, *save;
	int i = 0;

	snprintf(copy, sizeof(copy), "%s", header);
	for (word = strtok_r(copy, " \t\n", &save); word;
	     word = strtok_r(NULL, " \t\n", &save), i++)
		if (streq(word, "PID"))
			return i;
	return -1;
}

/* The column'th word of line as a pid, or 0. */
static pid_t pid_in(const char *line, int column)
{
	char copy[4096], *word, *save;
	int i = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (word = strtok_r(copy, " \t\n", &save); word && i < column;
	     word = strtok_r(NULL, " \t\n", &save))
		i++;
	return word ? atoi(word) : 0;
}

/* ps PS_OPTIONS, through a pipe: its header, and the lines of pids. */
static int print_table(char **ps_args, const pid_t *pids, size_t n)
{
	char *argv[64] = { "ps" }, line[4096];
	posix_spawn_file_actions_t fa;
	int out[2], column = -1, status, i, r;
	bool header = true;
	pid_t child;
	FILE *f;

	for (i = 0; ps_args[i] && i < 62; i++)
		argv[i + 1] = ps_args[i];
	if (!ps_args[0])
		argv[1] = "-ef";
	if (pipe2(out, O_CLOEXEC) < 0)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	r = -posix_spawnp(&child, "ps", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	if (r < 0) {
		close(out[0]);
		return r;
	}
	f = fdopen(out[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (header) {
			column = pid_column(line);
			fputs(line, stdout);
			header = false;
		} else if (column >= 0 &&
			   listed(pid_in(line, column), pids, n)) {
			fputs(line, stdout);
		}
	}
	if (f)
		fclose(f);
	else
		close(out[0]);
	if (waitpid(child, &status, 0) < 0)
		return -errno;
	if (column < 0 && !header)
		return -EPROTO; /* no PID column: those options lack one */
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

int cmd_ps(const struct runtime_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool json = false;
	const struct command_line cl = {
		.name = "ps",
		.usage = "Usage: barge-runtime ps [--format table|json] ID "
			 "[PS_OPTIONS]\n"
			 "\n"
			 "List the processes of container ID: ps(1)'s table\n"
			 "(PS_OPTIONS, default -ef), or their pids as JSON.\n"
			 "\n"
			 "  -f, --format F   table (default) or json\n",
		.shortopts = "f:",
		.longopts = longopts,
		.min_args = 1,
		.max_args = 63,
		.handle = ps_option,
		.data = &json,
	};
	struct container_state st;
	enum container_status status;
	pid_t *pids = NULL;
	size_t i, n = 0;
	int r, first;

	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0;
	if (load_container(o, "ps", argv[first], &st) < 0)
		return 1;
	status = state_status(&st);
	if (status != STATUS_CREATED && status != STATUS_RUNNING) {
		log_error("ps: container \"%s\" is %s: container not running",
			  st.id, state_status_name(status));
		state_release(&st);
		return 1;
	}
	r = st.cgroup ? cg_procs(st.cgroup, &pids, &n) : 0;
	if (r == 0 && !st.cgroup) {
		pids = malloc(sizeof(*pids));
		r = pids ? 0 : -ENOMEM;
		if (pids)
			pids[n++] = st.pid;
	}
	if (r < 0) {
		log_errno(r, "ps: the processes of \"%s\"", st.id);
	} else if (json) {
		putchar('[');
		for (i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		printf("]\n");
	} else {
		r = print_table(argv + first + 1, pids, n);
		if (r == -EPROTO)
			log_error("ps: ps %s prints no PID column",
				  argv[first + 1] ? argv[first + 1] : "-ef");
		else if (r < 0)
			log_errno(r, "ps: run ps");
	}
	free(pids);
	state_release(&st);
	return r < 0;
}
