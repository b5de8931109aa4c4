/* SPDX-License-Identifier: MIT */
/*
 * cmd_create.c - "barge-runtime create [--bundle DIR] ID": set up a
 * container from a bundle and leave its process waiting for "start".
 *
 * The order is the spec's (runtime.md, "Lifecycle"), and the rule that
 * bad input changes nothing decides where each check goes:
 *
 *  1. read and check config.json, and turn it into a struct container
 *     (oci.c): any error here is reported with its JSON path, and
 *     nothing exists yet;
 *  2. make the state directory (state.c) and, in it, the config.json
 *     checked in 1 (start and delete run its hooks) and exec.fifo;
 *  3. chapter 04's container_create(): cgroup, clone, maps, mounts; the
 *     prestart and createRuntime hooks run here when the child asks, just
 *     before its pivot_root, and createContainer in the child;
 *  4. write --pid-file and the state "created", tell the init so (a
 *     create killed before this leaves no process), and exit: the
 *     container's init stays behind, waiting on the fifo. Its parent is
 *     gone, so the kernel gives it to the nearest subreaper: conmon, for
 *     podman.
 *
 * A failure in 3 or 4 undoes 2 and 3: no state, cgroup or process stays,
 * and the poststop hooks run, as after a delete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "hooks.h"
#include "proc.h"
#include "runtime.h"
#include "util.h"

static int create_option_parse(int opt, const char *arg, void *data)
{
	struct create_args *a = data;

	switch (opt) {
	case 'b':
		a->bundle = arg;
		return 0;
	case 'p':
		a->pid_file = arg;
		return 0;
	case 'c':
		a->console_socket = arg;
		return 0;
	case 'F':
		if (parse_int(arg, 0, 1 << 20, &a->preserve_fds) == 0)
			return 0;
		log_error("create: --preserve-fds '%s' is not a "
			  "number",
			  arg);
		return -EINVAL;
	default: /* --no-pivot, --no-new-keyring: accepted, as runc's */
		return 0;
	}
}

const char create_usage[] =
	"Usage: barge-runtime create [OPTIONS] ID\n"
	"\n"
	"Create container ID from a bundle: set it up, and\n"
	"leave its process waiting for 'start'.\n"
	"\n"
	"  -b, --bundle DIR         the bundle (default: .)\n"
	"      --pid-file FILE      write the process's pid\n"
	"      --console-socket S   send the pty's master to\n"
	"                           the unix socket S\n"
	"      --preserve-fds N     pass fds 3..3+N-1 on\n"
	"      --no-pivot, --no-new-keyring  accepted\n";

int create_option(int opt, const char *arg, void *data)
{
	return create_option_parse(opt, arg, data);
}

const struct option create_longopts[] = {
	{ "bundle", required_argument, NULL, 'b' },
	{ "pid-file", required_argument, NULL, 'p' },
	{ "console-socket", required_argument, NULL, 'c' },
	{ "preserve-fds", required_argument, NULL, 'F' },
	{ "no-pivot", no_argument, NULL, 'P' },
	{ "no-new-keyring", no_argument, NULL, 'K' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* prestart and createRuntime, in the runtime's namespaces, with the
 * container's pid in the state on their stdin. */
static int run_create_hooks(const struct container *c, pid_t pid)
{
	static const enum oci_hook_kind kinds[] = { OCI_HOOK_PRESTART,
						    OCI_HOOK_CREATE_RUNTIME };
	struct container_state *st = c->data;
	char err[1024], *text;
	size_t i;
	int r = 0;

	st->pid = pid;
	text = state_json_text(st);
	for (i = 0; r == 0 && i < ARRAY_SIZE(kinds); i++) {
		r = hooks_run(c->hooks, kinds[i], text ? text : "{}", err,
			      sizeof(err));
		if (r < 0)
			log_error("create: %s", err);
	}
	free(text);
	return r;
}

/*
 * A create that failed once the container existed has destroyed it: as
 * after delete, the poststop hooks run, and their failures are only
 * warnings (runtime.md, "Lifecycle": a failed prestart, createRuntime or
 * createContainer hook continues the lifecycle at steps 12 and 13).
 */
static void run_poststop_after_failure(struct created *cr)
{
	char err[1024], *text;

	if (!cr->loaded || !cr->have_state)
		return;
	cr->st.status = STATUS_STOPPED;
	text = state_json_text(&cr->st);
	if (hooks_run(cr->oc.hooks, OCI_HOOK_POSTSTOP, text ? text : "{}", err,
		      sizeof(err)) < 0)
		log_warning("create: %s", err);
	free(text);
}

static int copy_annotations(struct container_state *st,
			    const struct oci_config *oc)
{
	size_t i;

	kv_free(st->annotations, st->n_annotations);
	st->n_annotations = 0;
	st->annotations = calloc(oc->n_annotations + 1, sizeof(struct kv));
	if (!st->annotations)
		return -ENOMEM;
	for (i = 0; i < oc->n_annotations; i++) {
		st->annotations[i].key = strdup(oc->annotations[i].key);
		st->annotations[i].value = strdup(oc->annotations[i].value);
		st->n_annotations++;
		if (!st->annotations[i].key || !st->annotations[i].value)
			return -ENOMEM;
	}
	return 0;
}

/* 1: everything that can be checked before anything is made. */
static int load_bundle(const struct create_args *a, const char *id,
		       struct created *cr)
{
	char err[1024];
	int r;

	if (!valid_id(id)) {
		log_error("create: invalid container id \"%s\": use letters, "
			  "digits, '_', '.' and '-'",
			  id);
		return -EINVAL;
	}
	if (!realpath(a->bundle, cr->bundle) ||
	    path_join(cr->config, sizeof(cr->config), cr->bundle,
		      "config.json") < 0)
		return log_errno(-errno, "create: bundle %s", a->bundle);
	r = oci_config_load(cr->config, &cr->oc, err, sizeof(err));
	if (r < 0) {
		log_error("create: %s", err);
		return r;
	}
	cr->loaded = true;
	if (cr->oc.process.terminal && !a->console_socket && !a->run) {
		log_error("create: process.terminal needs --console-socket");
		return -EINVAL;
	}
	cr->c.id = id;
	r = oci_adapt(&cr->c, &cr->oc, cr->bundle, err, sizeof(err));
	if (r < 0)
		log_error("create: config.json: %s", err);
	return r;
}

/* 2: the state directory, and the fifo the init will wait on. */
static int make_state(const struct runtime_options *o, const char *id,
		      struct created *cr)
{
	char fifo[4096];
	int r;

	r = state_create(o->root, id, cr->bundle, &cr->st);
	if (r == -EEXIST)
		log_error("create: container \"%s\" already exists", id);
	else if (r < 0)
		log_errno(r, "create: %s/%s", o->root, id);
	if (r < 0)
		return r;
	cr->have_state = true;
	r = copy_annotations(&cr->st, &cr->oc);
	/* The cgroup is recorded before container_create() makes it: after
	 * a create killed half-way, delete finds what to remove. */
	if (r == 0 && !cr->c.sec.rootless && cr->c.cgroup_path) {
		cr->st.cgroup = strdup(cr->c.cgroup_path);
		r = cr->st.cgroup ? state_save(&cr->st) : -ENOMEM;
	}
	if (r == 0)
		r = state_save_config(&cr->st, cr->oc.source);
	if (r < 0)
		return log_errno(r, "create: save the state in %s", cr->st.dir);
	r = state_path(&cr->st, "exec.fifo", fifo, sizeof(fifo));
	if (r == 0 && mkfifo(fifo, 0622) < 0)
		r = -errno;
	/* mkfifo applies the umask: anyone may write (the user of
	 * process.user opens it), only we read */
	if (r == 0 && chmod(fifo, 0622) < 0)
		r = -errno;
	if (r == 0) {
		cr->c.fifo_fd = open(fifo, O_PATH | O_CLOEXEC);
		if (cr->c.fifo_fd < 0)
			r = -errno;
	}
	if (r < 0)
		log_errno(r, "create: make %s", fifo);
	return r;
}

/*
 * FILE.tmp, then renamed: conmon may read FILE the moment it appears.
 * FILE is in a directory of the caller's, where someone else may have
 * left a link: a symlink is not followed, and a file with a second name
 * (a hard link to /etc/shadow, say) is neither truncated nor written.
 */
static int write_pid_file(const char *path, pid_t pid)
{
	char tmp[4096], buf[32];
	struct stat st;
	int fd, r;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	fd = open(tmp, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	r = fstat(fd, &st) < 0 ? -errno : 0;
	if (r == 0 && (!S_ISREG(st.st_mode) || st.st_nlink != 1))
		r = -EEXIST;
	if (r == 0 && ftruncate(fd, 0) < 0)
		r = -errno;
	if (r == 0)
		r = write_full(fd, buf, strlen(buf));
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	return r;
}

/* 4: what later commands need to find the container. */
static int record(const struct create_args *a, struct created *cr)
{
	int r = 0;

	cr->st.pid = cr->pid;
	cr->st.status = STATUS_CREATED;
	/* the start time tells our pid apart from a later process's */
	r = proc_stat_start(cr->pid, &cr->st.start_time, NULL);
	if (r < 0)
		return log_errno(r, "create: read /proc/%d/stat", (int)cr->pid);
	if (a->pid_file) {
		r = write_pid_file(a->pid_file, cr->pid);
		if (r < 0)
			return log_errno(r, "create: write %s", a->pid_file);
	}
	if (r == 0)
		r = state_save(&cr->st);
	if (r < 0)
		log_errno(r, "create: save the state");
	return r;
}

int create_container(const struct runtime_options *o,
		     const struct create_args *a, const char *id,
		     struct created *cr)
{
	int r;

	memset(cr, 0, sizeof(*cr));
	cr->c.fifo_fd = cr->c.console_fd = cr->c.saved_fd = -1;
	r = load_bundle(a, id, cr);
	if (r == 0)
		r = make_state(o, id, cr);
	if (r == 0 && a->console_socket && cr->oc.process.terminal) {
		cr->c.console_fd = console_connect(a->console_socket);
		if (cr->c.console_fd < 0)
			r = log_errno(cr->c.console_fd, "create: connect to %s",
				      a->console_socket);
	}
	if (r < 0)
		goto fail;
	cr->c.id = cr->st.id;
	cr->c.preserve_fds = a->preserve_fds;
	cr->c.state_json = state_json_text(&cr->st);
	cr->c.runtime_hooks = run_create_hooks;
	cr->c.data = &cr->st;
	cr->pid = container_create(&cr->c);
	if (cr->pid < 0) {
		r = cr->pid;
		run_poststop_after_failure(cr);
		goto fail;
	}
	r = record(a, cr);
	/* Only now may the process wait for start: the state names it. */
	if (r == 0 && write_full(cr->c.saved_fd, "1", 1) < 0)
		r = log_errno(-EPIPE, "create: container \"%s\" died", id);
	if (r < 0) {
		kill(cr->pid, SIGKILL);
		waitpid(cr->pid, NULL, 0);
		container_destroy(&cr->c);
		run_poststop_after_failure(cr);
		goto fail;
	}
	return 0;
fail:
	created_release(cr, true);
	return r;
}

void created_release(struct created *cr, bool remove)
{
	if (cr->c.fifo_fd >= 0)
		close(cr->c.fifo_fd);
	if (cr->c.console_fd >= 0)
		close(cr->c.console_fd);
	if (cr->c.saved_fd >= 0)
		close(cr->c.saved_fd);
	cr->c.fifo_fd = cr->c.console_fd = cr->c.saved_fd = -1;
	free(cr->c.device_rules);
	cr->c.device_rules = NULL;
	free(cr->c.state_json);
	cr->c.state_json = NULL;
	if (cr->have_state && remove)
		state_remove(&cr->st);
	else if (cr->have_state)
		state_release(&cr->st);
	cr->have_state = false;
	if (cr->loaded)
		oci_config_free(&cr->oc);
	cr->loaded = false;
}

int cmd_create(const struct runtime_options *o, int argc, char **argv)
{
	struct create_args a = { .bundle = "." };
	const struct command_line cl = {
		.name = "create",
		.usage = create_usage,
		.shortopts = "b:",
		.longopts = create_longopts,
		.min_args = 1,
		.max_args = 1,
		.handle = create_option,
		.data = &a,
	};
	static struct created cr;
	int r, first;

	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0;
	r = create_container(o, &a, argv[first], &cr);
	if (r < 0)
		return 1;
	created_release(&cr, false);
	return 0;
}
