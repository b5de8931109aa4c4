/* SPDX-License-Identifier: MIT */
/*
 * cmd_events.c - "barge-runtime events [--stats] [--interval N] ID": what
 * the container's cgroup counts, as runc prints it (containerd's shim
 * and "docker stats" read it so).
 *
 * --stats prints one JSON object and exits:
 *
 *	{"type":"stats","id":"web","data":{"cpu":{"usage":{"total":...,
 *	 "user":...,"kernel":...}},"memory":{"usage":{"usage":...,
 *	 "max":...,"limit":...}},"pids":{"current":2,"limit":100}}}
 *
 * (nanoseconds of CPU, bytes of memory; a figure the host does not count
 * and a limit that is not set are left out). Without it, the same object
 * every --interval seconds (default 5), and {"type":"oom","id":...} when
 * the cgroup's OOM killer has killed again, until the container stops.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "runtime.h"
#include "util.h"

struct events_args {
	bool stats;
	int interval;
};

static int events_option(int opt, const char *arg, void *data)
{
	struct events_args *a = data;

	if (opt == 's') {
		a->stats = true;
		return 0;
	}
	if (parse_int(arg, 1, 86400, &a->interval) == 0)
		return 0;
	log_error("events: --interval '%s' is not a number of seconds", arg);
	return -EINVAL;
}

/* key: v into o, if v is a figure (>= 0) and, for a limit, a real one
 * (v1 writes "no limit" as nearly 2^63). */
static void set_figure(json_t *o, const char *key, int64_t v, int64_t scale)
{
	if (v >= 0 && v < (INT64_C(1) << 62))
		json_object_set_new(o, key, json_integer(v * scale));
}

static json_t *stats_event(const char *id, const struct cg_stats *s)
{
	json_t *cpu = json_object(), *mem = json_object(),
	       *pids = json_object();
	json_t *usage = json_object(), *musage = json_object();

	set_figure(usage, "total", s->cpu_usec, 1000);
	set_figure(usage, "user", s->cpu_user_usec, 1000);
	set_figure(usage, "kernel", s->cpu_system_usec, 1000);
	json_object_set_new(cpu, "usage", usage);
	set_figure(musage, "usage", s->memory_usage, 1);
	set_figure(musage, "max", s->memory_peak, 1);
	set_figure(musage, "limit", s->memory_limit, 1);
	json_object_set_new(mem, "usage", musage);
	set_figure(pids, "current", s->pids_current, 1);
	set_figure(pids, "limit", s->pids_limit, 1);
	return json_pack("{s:s, s:s, s:{s:o, s:o, s:o}}", "type", "stats", "id",
			 id, "data", "cpu", cpu, "memory", mem, "pids", pids);
}

static int print_event(json_t *event)
{
	char *text = event ? json_dumps(event, JSON_COMPACT) : NULL;

	json_decref(event);
	if (!text)
		return -ENOMEM;
	printf("%s\n", text);
	fflush(stdout);
	free(text);
	return 0;
}

int cmd_events(const struct runtime_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stats", no_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct events_args a = { .interval = 5 };
	const struct command_line cl = {
		.name = "events",
		.usage =
			"Usage: barge-runtime events [--stats] [--interval N] "
			"ID\n"
			"\n"
			"Print what container ID's cgroup counts, as JSON: once\n"
			"with --stats, else every N seconds (default 5) and at\n"
			"each OOM kill, until it stops.\n",
		.longopts = longopts,
		.min_args = 1,
		.max_args = 1,
		.handle = events_option,
		.data = &a,
	};
	struct container_state st;
	struct timespec tick;
	int64_t kills, seen = -1;
	struct cgroup cg;
	int r, first;

	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0;
	if (load_container(o, "events", argv[first], &st) < 0)
		return 1;
	r = st.cgroup ? cg_open(&cg, st.cgroup) : -ENOENT;
	if (r < 0) {
		log_error("events: container \"%s\" has no cgroup to read",
			  st.id);
		state_release(&st);
		return 1;
	}
	/* The lock is not ours to keep while we stream. */
	close(st.lock_fd);
	st.lock_fd = -1;
	tick.tv_sec = a.interval;
	tick.tv_nsec = 0;
	do {
		struct cg_stats s = CG_STATS_UNKNOWN;

		cg.drv->read_stats(&cg, &s);
		r = print_event(stats_event(st.id, &s));
		if (r == 0 && cg.drv->oom_kills(&cg, &kills) == 0) {
			if (seen >= 0 && kills > seen && !a.stats)
				r = print_event(json_pack("{s:s, s:s}", "type",
							  "oom", "id", st.id));
			seen = kills;
		}
	} while (r == 0 && !a.stats && state_status(&st) != STATUS_STOPPED &&
		 nanosleep(&tick, NULL) == 0);
	if (r < 0)
		log_errno(r, "events: \"%s\"", st.id);
	state_release(&st);
	return r < 0;
}
