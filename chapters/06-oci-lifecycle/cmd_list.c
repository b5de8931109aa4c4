/* SPDX-License-Identifier: MIT */
/*
 * cmd_list.c - "barge-runtime list [-q] [--format table|json]": every
 * container of the state directory, in runc's columns, or as a JSON array
 * of their states.
 *
 *	ID     PID    STATUS    BUNDLE     CREATED                 OWNER
 *	web    4422   running   /srv/web   2026-12-07T16:34:32Z    root
 *
 * Each status is worked out now, as "state" does, without waiting for a
 * container another command is working on (state_peek()); a container
 * deleted while we list is simply not listed.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "runtime.h"
#include "strv.h"
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
	if (!streq(arg, "json") && !streq(arg, "table")) {
		log_error("list: --format '%s' is not table or json", arg);
		return -EINVAL;
	}
	a->json = streq(arg, "json");
	return 0;
}

/* Who owns the container, as runc says it: the owner of its state
 * directory, by name if /etc/passwd has one. fgetpwent(3) reads the file
 * itself: getpwuid(3) would load NSS modules into a static binary. */
static void owner_name(const struct container_state *st, char *buf, size_t size)
{
	struct passwd *pw;
	struct stat sb;
	FILE *f;

	if (stat(st->dir, &sb) < 0)
		sb.st_uid = 0;
	snprintf(buf, size, "#%u", (unsigned)sb.st_uid);
	f = fopen("/etc/passwd", "re");
	while (f && (pw = fgetpwent(f)))
		if (pw->pw_uid == sb.st_uid) {
			snprintf(buf, size, "%s", pw->pw_name);
			break;
		}
	if (f)
		fclose(f);
}

static void print_row(const struct container_state *st)
{
	enum container_status status = state_status(st);
	char owner[64];

	owner_name(st, owner, sizeof(owner));
	printf("%-20s %-8d %-10s %-40s %-22s %s\n", st->id,
	       status == STATUS_STOPPED ? 0 : (int)st->pid,
	       state_status_name(status), st->bundle, st->created, owner);
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
			"List the containers of the state directory (--root).\n"
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
		log_errno(r, "list: read the state directory %s", o->root);
		goto out;
	}
	if (!a.quiet && !a.json)
		printf("%-20s %-8s %-10s %-40s %-22s %s\n", "ID", "PID",
		       "STATUS", "BUNDLE", "CREATED", "OWNER");
	for (i = 0; ids && ids[i]; i++) {
		if (state_peek(o->root, ids[i], &st) < 0)
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
		if (!text) {
			log_error("list: out of memory");
			r = -ENOMEM;
			goto out;
		}
		printf("%s\n", text);
		free(text);
	}
out:
	strv_free(ids);
	json_decref(all);
	return r < 0;
}
