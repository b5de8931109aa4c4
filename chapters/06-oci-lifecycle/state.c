/* SPDX-License-Identifier: MIT */
/*
 * state.c - the state directory: one directory per container, holding
 * state.json, locked while a command works on it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "proc.h"
#include "runtime.h"
#include "state.h"
#include "strv.h"
#include "util.h"

/* How long a command waits for another one on the same id. */
#define LOCK_TIMEOUT_MS 10000

static const char *const status_names[] = {
	[STATUS_CREATING] = "creating",
	[STATUS_CREATED] = "created",
	[STATUS_RUNNING] = "running",
	[STATUS_STOPPED] = "stopped",
};

const char *state_status_name(enum container_status s)
{
	return status_names[s];
}

/* Wait for the lock, a bounded time: a command stuck holding it must not
 * hang every later one. */
static int lock_dir(int fd)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int waited;

	for (waited = 0; waited < LOCK_TIMEOUT_MS; waited += 10) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		nanosleep(&tick, NULL);
	}
	return -EWOULDBLOCK;
}

/* Open ROOT/ID and lock it: wait for the lock, or (!wait, for list) take
 * a shared one if it is free, else note that a command is at work. */
static int open_dir(const char *root, const char *id,
		    struct container_state *st, bool wait)
{
	char dir[4096];
	int r;

	memset(st, 0, sizeof(*st));
	st->lock_fd = -1;
	if (!valid_id(id))
		return -EINVAL;
	r = path_join(dir, sizeof(dir), root, id);
	if (r < 0)
		return r;
	st->id = strdup(id);
	st->dir = strdup(dir);
	if (!st->id || !st->dir)
		return -ENOMEM;
	st->lock_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->lock_fd < 0)
		return -errno;
	if (wait)
		return lock_dir(st->lock_fd);
	if (flock(st->lock_fd, LOCK_SH | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK)
		return -errno;
	st->busy = true;
	return 0;
}

int state_create(const char *root, const char *id, const char *bundle,
		 struct container_state *ret)
{
	char dir[4096];
	struct tm tm;
	time_t now;
	int r;

	memset(ret, 0, sizeof(*ret));
	ret->lock_fd = -1;
	if (!valid_id(id))
		return -EINVAL;
	r = mkdir_p(root, 0700);
	if (r < 0)
		return r;
	r = path_join(dir, sizeof(dir), root, id);
	if (r < 0)
		return r;
	/* mkdir is the atomic test: of two creates of one id, one wins. */
	if (mkdir(dir, 0700) < 0)
		return -errno;
	r = open_dir(root, id, ret, true);
	if (r < 0)
		goto out_rmdir;
	ret->bundle = strdup(bundle);
	if (!ret->bundle) {
		r = -ENOMEM;
		goto out_rmdir;
	}
	ret->status = STATUS_CREATING;
	ret->creator = true;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ret->created, sizeof(ret->created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	r = state_save(ret);
	if (r < 0)
		goto out_rmdir;
	return 0;
out_rmdir:
	rmdir(dir);
	state_release(ret);
	return r;
}

static int from_json(struct container_state *st, json_t *j)
{
	json_t *ann, *v;
	const char *status, *k;
	size_t i;

	status = json_string_value(json_object_get(j, "status"));
	for (i = 0; status && i < ARRAY_SIZE(status_names); i++)
		if (streq(status, status_names[i]))
			break;
	if (!status || i == ARRAY_SIZE(status_names) ||
	    !json_is_string(json_object_get(j, "bundle")) ||
	    !json_is_integer(json_object_get(j, "pid")))
		return -EBADMSG;
	st->status = i;
	st->pid = json_integer_value(json_object_get(j, "pid"));
	st->start_time = json_integer_value(json_object_get(j, "startTime"));
	st->bundle = strdup(json_string_value(json_object_get(j, "bundle")));
	snprintf(st->created, sizeof(st->created), "%s",
		 json_string_value(json_object_get(j, "created")) ?: "");
	if (json_is_string(json_object_get(j, "cgroup")))
		st->cgroup =
			strdup(json_string_value(json_object_get(j, "cgroup")));
	ann = json_object_get(j, "annotations");
	st->annotations =
		calloc(json_object_size(ann) + 1, sizeof(*st->annotations));
	if (!st->bundle || !st->annotations)
		return -ENOMEM;
	json_object_foreach(ann, k, v)
	{
		struct kv *kv = &st->annotations[st->n_annotations++];

		kv->key = strdup(k);
		kv->value = strdup(json_string_value(v) ?: "");
		if (!kv->key || !kv->value)
			return -ENOMEM;
	}
	return 0;
}

static int load(const char *root, const char *id, struct container_state *ret,
		bool wait)
{
	char path[4096];
	json_t *j;
	int r;

	r = open_dir(root, id, ret, wait);
	if (r < 0)
		goto out_release;
	r = path_join(path, sizeof(path), ret->dir, "state.json");
	if (r < 0)
		goto out_release;
	j = json_load_file(path, 0, NULL);
	if (!j) {
		/* A create that died between mkdir and its first save. */
		if (access(path, F_OK) < 0 && errno == ENOENT) {
			ret->bundle = strdup("");
			ret->annotations = calloc(1, sizeof(*ret->annotations));
			ret->status = STATUS_CREATING;
			return ret->bundle && ret->annotations ? 0 : -ENOMEM;
		}
		r = -EBADMSG;
		goto out_release;
	}
	r = from_json(ret, j);
	json_decref(j);
	if (r < 0)
		goto out_release;
	return 0;
out_release:
	state_release(ret);
	return r;
}

int state_load(const char *root, const char *id, struct container_state *ret)
{
	return load(root, id, ret, true);
}

int state_peek(const char *root, const char *id, struct container_state *ret)
{
	return load(root, id, ret, false);
}

/* The spec's fields, then ours. */
static json_t *to_json(const struct container_state *st,
		       enum container_status status, bool private)
{
	json_t *j, *ann = json_object();
	size_t i;

	for (i = 0; ann && i < st->n_annotations; i++)
		json_object_set_new(ann, st->annotations[i].key,
				    json_string(st->annotations[i].value));
	j = json_pack("{s:s, s:s, s:s, s:i, s:s, s:o, s:s}", "ociVersion",
		      OCI_VERSION, "id", st->id, "status", status_names[status],
		      "pid", (int)st->pid, "bundle", st->bundle, "annotations",
		      ann, "created", st->created);
	if (j && private) {
		json_object_set_new(j, "startTime",
				    json_integer(st->start_time));
		if (st->cgroup)
			json_object_set_new(j, "cgroup",
					    json_string(st->cgroup));
	}
	return j;
}

json_t *state_to_json(const struct container_state *st)
{
	return to_json(st, state_status(st), false);
}

int state_save(const struct container_state *st)
{
	char path[4096];
	json_t *j;
	int r;

	r = path_join(path, sizeof(path), st->dir, "state.json");
	if (r < 0)
		return r;
	j = to_json(st, st->status, true);
	if (!j)
		return -ENOMEM;
	/* whole or not at all (json.h): a reader sees the old state or the
	 * new one, never half of one, even if we die in the middle */
	r = jp_dump_file(j, path);
	json_decref(j);
	return r;
}

static int compare_ids(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_list(const char *root, char ***ret)
{
	char **ids = NULL;
	struct dirent *de;
	int r = 0;
	DIR *d;

	*ret = NULL;
	d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (r == 0 && (de = readdir(d)))
		if ((de->d_type == DT_DIR || de->d_type == DT_UNKNOWN) &&
		    valid_id(de->d_name))
			r = strv_push(&ids, de->d_name);
	closedir(d);
	if (r < 0) {
		strv_free(ids);
		return r;
	}
	if (ids)
		qsort(ids, strv_length(ids), sizeof(*ids), compare_ids);
	*ret = ids;
	return 0;
}

int state_remove(struct container_state *st)
{
	struct dirent *de;
	int fd, r = 0;
	DIR *d;

	/* Empty the directory (state.json, and whatever else create put
	 * there), then remove it; keep the lock until it is gone. */
	fd = openat(st->lock_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		goto out_release;
	}
	while ((de = readdir(d)))
		if (!streq(de->d_name, ".") && !streq(de->d_name, "..") &&
		    unlinkat(dirfd(d), de->d_name, 0) < 0 && r == 0)
			r = -errno;
	closedir(d);
	if (rmdir(st->dir) < 0 && r == 0)
		r = -errno;
out_release:
	state_release(st);
	return r;
}

void state_release(struct container_state *st)
{
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	free(st->id);
	free(st->bundle);
	free(st->cgroup);
	free(st->dir);
	kv_free(st->annotations, st->n_annotations);
	memset(st, 0, sizeof(*st));
	st->lock_fd = -1;
}

enum container_status state_status(const struct container_state *st)
{
	unsigned long long start;
	char pstate;

	if (st->status == STATUS_STOPPED)
		return STATUS_STOPPED;
	/* A create still at work holds the lock: unless we are that create,
	 * or found the lock taken, a "creating" is a create that died. */
	if (st->status == STATUS_CREATING)
		return st->creator || st->busy ? STATUS_CREATING
					       : STATUS_STOPPED;
	if (st->pid <= 0)
		return STATUS_STOPPED;
	/* Gone, reused by another process, or exited and not yet reaped
	 * by its parent (a zombie still answers kill(pid, 0)). */
	if (proc_stat_start(st->pid, &start, &pstate) < 0 ||
	    start != st->start_time || pstate == 'Z' || pstate == 'X')
		return STATUS_STOPPED;
	return st->status;
}

/*
 * The stored pid may, long after the container exited, belong to some
 * other process. So take a pidfd first, which pins that one process, then
 * check it is still ours (its start time), and signal through the pidfd
 * (pidfd_open(2), pidfd_send_signal(2)): no window in which the pid could
 * be reused between the check and the kill. Where there are no pidfds
 * (before Linux 5.3; valgrind 3.19), check and kill(2), with that window.
 */
int state_signal(const struct container_state *st, int sig)
{
	int pidfd, r = 0;

	if (st->pid <= 0)
		return -ESRCH;
	pidfd = syscall(SYS_pidfd_open, st->pid, 0);
	if (pidfd < 0 && errno != ENOSYS)
		return -errno;
	if (state_status(st) == STATUS_STOPPED)
		r = -ESRCH;
	else if (pidfd < 0 && kill(st->pid, sig) < 0)
		r = -errno;
	else if (pidfd >= 0 &&
		 syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
		r = -errno;
	if (pidfd >= 0)
		close(pidfd);
	return r;
}

int state_path(const struct container_state *st, const char *name, char *buf,
	       size_t size)
{
	return path_join(buf, size, st->dir, name);
}

int state_save_config(const struct container_state *st, const char *text)
{
	char path[4096];
	int r;

	r = state_path(st, "config.json", path, sizeof(path));
	return r < 0 ? r : write_file(path, text);
}

int state_load_config(const struct container_state *st, struct oci_config *ret,
		      char *errbuf, size_t errsize)
{
	char path[4096];
	int r;

	r = state_path(st, "config.json", path, sizeof(path));
	if (r < 0) {
		snprintf(errbuf, errsize, "%s: %s", st->dir, strerror(-r));
		return r;
	}
	return oci_config_load(path, ret, errbuf, errsize);
}
