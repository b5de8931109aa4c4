/* SPDX-License-Identifier: MIT */
/*
 * process.c - chapter 06: what the container's process does between
 * create and start.
 *
 * Chapter 05's child ran the command as soon as it was set up. Now
 * "create" must return with the container set up and its command not yet
 * run, and "start", another process later, lets it go. The runtime also
 * owes its caller two things no chapter needed before:
 *
 *  - no file descriptor of the runtime may reach the container: conmon
 *    runs us with its sync pipe open as fd 3, and waits for its end of
 *    file; a container that kept it would hang podman;
 *  - "create" must fail if the command does not exist, not "start":
 *    podman reports that as exit code 127 before the container runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "barge.h"
#include "hooks.h"
#include "log.h"
#include "util.h"

/* Is there an executable file for argv[0], as execvp(3) would look for
 * it in $PATH (process.env's, set by now)? -ENOENT if not. */
int process_find_command(const struct container *c)
{
	const char *name = c->argv[0], *path = getenv("PATH");
	char buf[PATH_MAX], dirs[4096], *dir, *save;
	struct stat st;

	if (strchr(name, '/'))
		return access(name, X_OK) < 0 ? -errno : 0;
	snprintf(dirs, sizeof(dirs), "%s",
		 path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		if (path_join(buf, sizeof(buf), dir, name) < 0)
			continue;
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(buf, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

/* Everything but stdio, the pipes to our parent, the fifo, the log and
 * --preserve-fds goes, before the cwd is entered (container.c). */
int process_close_fds(const struct container *c, int keep1, int keep2)
{
	int keep[] = { keep1, keep2, c->fifo_fd, log_fileno() };

	return close_fds_from(3 + c->preserve_fds, keep, ARRAY_SIZE(keep));
}

/* Run config.json's hooks of one kind from inside the container. */
int process_hook(const struct container *c, int kind)
{
	char err[1024];
	int r;

	r = hooks_run(c->hooks, kind, c->state_json, err, sizeof(err));
	if (r < 0)
		log_error("%s", err);
	return r;
}

/*
 * Block until "start" opens the fifo for reading (fifo(7): opening one
 * end waits for the other), as runc's exec.fifo. The fifo's path was on
 * the host; the fd we opened before pivot_root still names it, and
 * /proc/self/fd/N reopens it for writing. Then the startContainer hooks,
 * in the container, and only then the byte start waits for: start runs
 * the poststart hooks once it has it, so they always come after
 * startContainer (runtime.md's order). A failing hook writes nothing:
 * start reads end of file, and fails.
 */
int process_wait_start(const struct container *c)
{
	char path[64];
	int fd, r;

	/* LAB(exec-fifo): wait for start: open exec.fifo (c->fifo_fd, O_PATH) for writing through /proc/self/fd; run the startContainer hooks, then write a byte */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", c->fifo_fd);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return log_errno(-errno, "open the start fifo");
	r = process_hook(c, OCI_HOOK_START_CONTAINER);
	/* EPIPE: start gave up waiting; then do not run after all */
	if (r == 0 && (r = write_full(fd, "0", 1)) < 0)
		log_errno(r, "tell start we run");
	close(fd);
	/* LAB STUB: (void)path; */
	/* LAB STUB: (void)fd; */
	/* LAB STUB: r = process_hook(c, OCI_HOOK_START_CONTAINER); */
	/* LAB END */
	close(c->fifo_fd);
	return r;
}
