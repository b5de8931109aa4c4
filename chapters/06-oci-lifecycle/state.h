/* SPDX-License-Identifier: MIT */
/*
 * state.h - what barge-runtime remembers about a container between two of
 * its commands.
 *
 * Each command is a new process: "create" sets a container up and exits,
 * "start" comes later and must find it. So the runtime keeps a state
 * directory (--root, default /run/barge: a tmpfs, emptied at boot like the
 * containers themselves) with one directory per container id, holding
 * state.json: the spec's state (runtime.md) and a few private fields.
 *
 *	/run/barge/ID/state.json   {"ociVersion", "id", "status", "pid",
 *	                            "bundle", "annotations", "created",
 *	                            "startTime", "cgroup"}
 *
 * Two commands on one id (a "kill" during a "delete") must not interleave:
 * every command takes a lock, flock(2) on the container's directory, for
 * as long as it works on the container. The lock goes with the open file,
 * so a child cloned while it is held holds it too: the container's
 * process closes every fd it does not need (process_close_fds()) before
 * it waits for start, or every later command on the id would wait.
 */
#ifndef BARGE_STATE_H
#define BARGE_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "oci_spec.h"

enum container_status {
	STATUS_CREATING, /* create is setting it up */
	STATUS_CREATED,	 /* set up; its process waits for start */
	STATUS_RUNNING,	 /* the user's process runs */
	STATUS_STOPPED,	 /* its process has exited */
};

struct container_state {
	char *id;
	char *bundle;		      /* absolute */
	enum container_status status; /* as stored; see state_status() */
	pid_t pid; /* its init in our pid namespace; 0: none */
	unsigned long long start_time; /* of pid (proc(5), stat field 22):
					* tells a reused pid apart */
	char created[32];	       /* RFC 3339, UTC */
	struct kv *annotations;	       /* from config.json */
	size_t n_annotations;
	char *cgroup; /* the cgroup create made, for delete; or NULL */
	/* private */
	char *dir;    /* ROOT/ID */
	int lock_fd;  /* dir, flock()ed; -1 when not held */
	bool creator; /* made by our state_create(): "creating" is live */
	bool busy;    /* state_peek() found another command holding it */
};

/* Make ROOT/ID and state.json (status "creating"), locked. -EEXIST if the
 * id is taken, -EINVAL if it is not valid. */
int state_create(const char *root, const char *id, const char *bundle,
		 struct container_state *ret);

/* Lock ROOT/ID and read its state. -ENOENT if there is no such container,
 * -EINVAL for an invalid id, -EBADMSG if state.json is corrupt. */
int state_load(const char *root, const char *id, struct container_state *ret);

/* The same without waiting, for a look that changes nothing (list): the
 * lock is shared if it is free; if another command holds it, st->busy.
 * state.json is read either way: it is only ever replaced whole. */
int state_peek(const char *root, const char *id, struct container_state *ret);

/* The ids of ROOT's containers, sorted, in *ret (a strv, NULL-terminated;
 * empty if ROOT does not exist yet). */
int state_list(const char *root, char ***ret);

/* Write state.json atomically: a temporary file renamed over it. */
int state_save(const struct container_state *st);

/* Remove ROOT/ID and everything in it, then release st. */
int state_remove(struct container_state *st);

/* Close the lock and free st. */
void state_release(struct container_state *st);

/* The live status: a stored "created" or "running" whose process has
 * exited (or whose pid now belongs to another process) is "stopped"; so
 * is a "creating" left by a create that died (we hold the lock it held),
 * unless we are that create. */
enum container_status state_status(const struct container_state *st);

/* Send sig to the container's init if it is still running (the pid still
 * names the process create started); -ESRCH if it has stopped. */
int state_signal(const struct container_state *st, int sig);
const char *state_status_name(enum container_status s);

/* The spec's state, with the live status: what "state" prints and what
 * hooks read on their stdin. */
json_t *state_to_json(const struct container_state *st);

/* ROOT/ID/config.json: the config.json create checked, the text saved
 * whole. The poststart and poststop hooks are those create saw, whatever
 * the bundle holds by then (runc keeps its config in its state too). */
int state_save_config(const struct container_state *st, const char *text);
int state_load_config(const struct container_state *st, struct oci_config *ret,
		      char *errbuf, size_t errsize);

/* ROOT/ID/name into buf: a place for more of the container's files
 * (e.g. the fifo its init waits on until start). */
int state_path(const struct container_state *st, const char *name, char *buf,
	       size_t size);

#endif
