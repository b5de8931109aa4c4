/* SPDX-License-Identifier: MIT */
/*
 * runtime.h - what the files of barge-runtime share.
 *
 * barge-runtime speaks the OCI runtime spec's command line (runtime.md),
 * as runc and crun do: a bundle (a root filesystem and a config.json) goes
 * in, a container with an id comes out, and the same few commands drive
 * every container through its life:
 *
 *	create --bundle DIR ID    set it up; its process waits   -> created
 *	start ID                  run the process in config.json -> running
 *	kill ID SIGNAL            signal it                      -> stopped
 *	delete ID                 remove what create made
 *
 * This is how podman, containerd and Kubernetes drive runc: anything that
 * drives runc can drive barge-runtime.
 */
#ifndef BARGE_RUNTIME_H
#define BARGE_RUNTIME_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>

#include "barge.h"
#include "log.h"
#include "state.h"

/* The version of the runtime spec barge implements. */
#define OCI_VERSION	      "1.0.2"
#define BARGE_RUNTIME_VERSION "0.6 (chapter 06-oci-lifecycle)"
#define DEFAULT_STATE_ROOT    "/run/barge"

/* The options given before the command: barge-runtime --root DIR kill ... */
struct runtime_options {
	const char *root; /* the state directory: one directory per id */
	const char *log;  /* --log FILE, or NULL: stderr */
};

/* Each subcommand, in a file of its own: cmd_NAME.c. They return the
 * program's exit code: 0, or 1 after reporting what went wrong once. */
int cmd_spec(const struct runtime_options *o, int argc, char **argv);
int cmd_create(const struct runtime_options *o, int argc, char **argv);
int cmd_start(const struct runtime_options *o, int argc, char **argv);
int run_command(const struct runtime_options *o, int argc, char **argv);
int cmd_state(const struct runtime_options *o, int argc, char **argv);
int cmd_kill(const struct runtime_options *o, int argc, char **argv);
int cmd_delete(const struct runtime_options *o, int argc, char **argv);
int cmd_list(const struct runtime_options *o, int argc, char **argv);
int cmd_ps(const struct runtime_options *o, int argc, char **argv);
int cmd_events(const struct runtime_options *o, int argc, char **argv);

/* Parse a command's command line: OPTIONS (getopt_long's, with "h" for
 * --help added) and min_args to max_args operands. Returns 0 with
 * *ret_optind at the first operand, 1 after printing the help, or -EINVAL
 * after reporting a bad option. handle() sees every other option. */
struct command_line {
	const char *name;  /* "kill" */
	const char *usage; /* the help text */
	const char *shortopts;
	const struct option *longopts;
	int min_args, max_args;
	int (*handle)(int opt, const char *arg, void *data);
	void *data;
};
int parse_command_line(const struct command_line *cl, int argc, char **argv,
		       int *ret_optind);

/* A container id names its cgroup (and from chapter 06 its state):
 * letters, digits and "_.-", as runc takes them; not "." or "..". */
bool valid_id(const char *id);

/* Lock and load container id's state for command cmd, or report why not
 * ("container \"x\" does not exist"...) and return a negative errno. */
int load_container(const struct runtime_options *o, const char *cmd,
		   const char *id, struct container_state *st);

/* cmd_create.c: create, shared with run. */
struct create_args {
	const char *bundle, *pid_file, *console_socket;
	int preserve_fds;
	bool run; /* run: a terminal is the caller's own */
};

struct created {
	char bundle[4096], config[4096];
	struct oci_config oc;
	bool loaded, have_state;
	struct container c;
	struct container_state st;
	pid_t pid;
};

extern const char create_usage[];
extern const struct option create_longopts[];
int create_option(int opt, const char *arg, void *data);
int create_container(const struct runtime_options *o,
		     const struct create_args *a, const char *id,
		     struct created *cr);
/* Close what create holds; with remove, delete the state directory. */
void created_release(struct created *cr, bool remove);

/* cmd_start.c, cmd_delete.c: shared with run. */
int start_container(struct container_state *st);
int delete_container(struct container_state *st);

/* The state as compact JSON text (free it), for hooks' stdin. */
static inline char *state_json_text(const struct container_state *st)
{
	json_t *j = state_to_json(st);
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	return text;
}

#endif
