/* SPDX-License-Identifier: MIT */
/*
 * cmd_list.c - "barge-runtime list": every container in the state
 * directory, as a table (runc's columns) or as a JSON array of states.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "runtime.h"
#include "util.h"

struct list_args {
	bool quiet;
	bool json;
};

static int list_option(int opt, const char *arg, void *data)
{
	struct list_args *a = data;

	if (opt == 'q') {
		a->quiet = true;
		return 0;
	}
	if (streq(arg, "json") || streq(arg, "table")) {
		a->json = streq(arg, "json");
		return 0;
	}
	log_sink(LOG_LEVEL_ERROR, "list: --format '%s' is not table or json",
		 arg);
	return -EINVAL;
}

static void print_row(const struct container_state *st)
{
	struct stat sb;

	/* The owner, as runc shows it: who owns the state directory. */
	if (stat(st->dir, &sb) < 0)
		sb.st_uid = 0;
	printf("%-12s %-8d %-10s %-40s %-22s %u\n", st->id,
	       state_status(st) == STATUS_STOPPED ? 0 : (int)st->pid,
	       state_status_name(state_status(st)), st->bundle, st->created,
	       (unsigned)sb.st_uid);
}

int cmd_list(const struct runtime_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct list_args a = { 0 };
	const struct command_line cl = {
		.name = "list",
		.usage =
			"Usage: barge-runtime list [-q] [--format table|json]\n"
			"\n"
			"List the containers of the state directory.\n"
			"\n"
			"  -q, --quiet          only their ids\n"
			"  -f, --format FORMAT  table (default) or json\n",
		.shortopts = "qf:",
		.longopts = longopts,
		.handle = list_option,
		.data = &a,
	};
	struct container_state st;
	json_t *all = json_array();
	char **ids = NULL, *text;
	int r, first;
	size_t i;

	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		goto out;
	r = state_list(o->root, &ids);
	if (r < 0) {
		log_sink_errno(LOG_LEVEL_ERROR, r, "list: read %s", o->root);
		goto out;
	}
	if (!a.quiet && !a.json)
		printf("%-12s %-8s %-10s %-40s %-22s %s\n", "ID", "PID",
		       "STATUS", "BUNDLE", "CREATED", "OWNER");
	for (i = 0; ids[i]; i++) {
		/* One deleted meanwhile is simply not listed. */
		if (state_load(o->root, ids[i], &st) < 0)
			continue;
		if (a.quiet)
			printf("%s\n", st.id);
		else if (a.json)
			json_array_append_new(all, state_to_json(&st));
		else
			print_row(&st);
		state_release(&st);
	}
	if (a.json) {
		text = json_dumps(all, JSON_PRESERVE_ORDER);
		printf("%s\n", text ? text : "[]");
		free(text);
	}
out:
	strv_free(ids);
	json_decref(all);
	return r != 0 ? r < 0 : 0;
}
