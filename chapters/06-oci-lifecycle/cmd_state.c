/* SPDX-License-Identifier: MIT */
/*
 * cmd_state.c - "barge-runtime state ID": the container's state as the
 * spec defines it (runtime.md, "State"), on stdout:
 *
 *	{ "ociVersion": "1.0.2", "id": "web", "status": "running",
 *	  "pid": 4422, "bundle": "/srv/web", "annotations": {} , ...}
 *
 * The status is worked out now, not read back: a container whose process
 * has exited is "stopped" even though nothing told the runtime so.
 */
#include <stdio.h>
#include <stdlib.h>

#include "runtime.h"

int cmd_state(const struct runtime_options *o, int argc, char **argv)
{
	const struct command_line cl = {
		.name = "state",
		.usage = "Usage: barge-runtime state ID\n"
			 "\n"
			 "Print the state of container ID as JSON.\n",
		.longopts =
			(const struct option[]){
				{ "help", no_argument, NULL, 'h' }, { 0 } },
		.min_args = 1,
		.max_args = 1,
	};
	struct container_state st;
	int r, first;
	char *text;
	json_t *j;

	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0;
	r = load_container(o, "state", argv[first], &st);
	if (r < 0)
		return 1;
	j = state_to_json(&st);
	text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	state_release(&st);
	if (!text) {
		log_error("state: out of memory");
		return 1;
	}
	printf("%s\n", text);
	free(text);
	return 0;
}
