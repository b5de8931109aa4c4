/* SPDX-License-Identifier: MIT */
/*
 * userns.c - user namespaces: root inside, nobody outside
 * (user_namespaces(7)).
 *
 * Everything so far left one thing shared: users. uid 0 in the container
 * was uid 0 on the host, so any way out of the other walls (a kernel bug,
 * a forgotten mount) was a way out as root. A user namespace maps a range
 * of uids inside to another range outside: with --userns the container's
 * uids 0-65535 are 65536 host uids that no user has: root's range in
 * /etc/subuid and /etc/subgid, or else a range above every range listed
 * there (1048576-1114111 on a host that lists none). The container's
 * root has every capability *in its own namespaces* (it can mount a
 * /proc, set its hostname), and none over anything else: to the host's
 * files, its processes and its kernel it is an unprivileged user.
 *
 * The same mechanism lets an ordinary user run containers (rootless): the
 * kernel lets anyone create a user namespace, and map their own uid to 0
 * in it. With newuidmap(1) and a range of theirs in /etc/subuid they can
 * map more uids than their own.
 *
 * Which ids to map was decided before anything existed (idmaps.c). The
 * maps are written from outside, by the parent, into the child's
 * /proc/PID/uid_map and gid_map, once, after clone(2): the child waits on
 * a pipe until they are there, then becomes root of its namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "barge.h"
#include "util.h"

extern char **environ;

/* Before clone: the pipe the child waits on. */
int userns_open_sync(struct container *c)
{
	c->sec.sync[0] = c->sec.sync[1] = -1;
	if (!c->sec.userns)
		return 0;
	if (pipe2(c->sec.sync, O_CLOEXEC) < 0)
		return -errno;
	return 0;
}

/* Close what is left of the pipe: on every path after userns_open_sync(),
 * a failed clone included. */
void userns_close_sync(struct container *c)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (c->sec.sync[i] >= 0)
			close(c->sec.sync[i]);
		c->sec.sync[i] = -1;
	}
}

/* With CLONE_NEWUSER the kernel creates the user namespace first, and the
 * other new namespaces belong to it. */
int userns_clone_flags(const struct container *c)
{
	return c->sec.userns ? CLONE_NEWUSER : 0;
}

/* "0 100000 65536\n", one line per range, as uid_map wants it. */
static void format_map(char *buf, size_t size, const struct id_map *m, size_t n)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%lu %lu %lu\n",
				m[i].inside, m[i].outside, m[i].count);
}

/* newuidmap PID 0 UID 1 1 START COUNT: set-user-ID helpers that check
 * /etc/subuid and write what we may not write ourselves. */
static int run_map_helper(const char *helper, pid_t pid, const struct id_map *m,
			  size_t n)
{
	char args[1 + 3 * SEC_MAX_MAPS][32], *argv[3 + 3 * SEC_MAX_MAPS];
	posix_spawnattr_t attr;
	sigset_t none;
	int status, r;
	size_t i;
	pid_t child;

	snprintf(args[0], sizeof(args[0]), "%d", pid);
	argv[0] = (char *)helper;
	argv[1] = args[0];
	for (i = 0; i < SEC_MAX_MAPS && i < n; i++) {
		snprintf(args[1 + 3 * i], 32, "%lu", m[i].inside);
		snprintf(args[2 + 3 * i], 32, "%lu", m[i].outside);
		snprintf(args[3 + 3 * i], 32, "%lu", m[i].count);
	}
	for (i = 0; i < 3 * n; i++)
		argv[2 + i] = args[1 + i];
	argv[2 + 3 * n] = NULL;
	/* barge blocks signals to forward them; the helper should not. */
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	r = -posix_spawn(&child, helper, NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (r < 0)
		return r;
	if (waitpid(child, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPERM;
}

static int write_proc(pid_t pid, const char *file, const char *text)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return write_file(path, text);
}

static int write_maps(const struct security *s, pid_t pid)
{
	char buf[256];
	int r;

	if (s->map_with_helpers) {
		r = run_map_helper(NEWUIDMAP, pid, s->uid_map, s->n_maps);
		if (r == 0)
			r = run_map_helper(NEWGIDMAP, pid, s->gid_map,
					   s->n_gid_maps);
		return r;
	}
	/* LAB(uid-map): rootless: "deny" setgroups; then the child's uid_map and gid_map */
	/* Unprivileged, we may map our own gid only if the container can
	 * never drop it with setgroups(2): a group may be *denied* access
	 * by a file's permissions (user_namespaces(7), CVE-2014-8989). */
	if (s->rootless) {
		r = write_proc(pid, "setgroups", "deny");
		if (r < 0)
			return r;
	}
	format_map(buf, sizeof(buf), s->uid_map, s->n_maps);
	r = write_proc(pid, "uid_map", buf);
	if (r < 0)
		return r;
	format_map(buf, sizeof(buf), s->gid_map, s->n_gid_maps);
	return write_proc(pid, "gid_map", buf);
	/* LAB STUB: (void)buf; */
	/* LAB STUB: (void)format_map; */
	/* LAB STUB: (void)write_proc; */
	/* LAB STUB: return 0; */
	/* LAB END */
}

/*
 * In the parent, after clone: write the maps, then let the child go on.
 * On failure the child reads end-of-file instead, and gives up.
 */
int userns_write_maps(struct container *c, pid_t pid)
{
	int r;

	if (!c->sec.userns)
		return 0;
	close(c->sec.sync[0]);
	c->sec.sync[0] = -1;
	r = write_maps(&c->sec, pid);
	if (r == 0)
		r = write_full(c->sec.sync[1], "1", 1);
	userns_close_sync(c);
	return r;
}

/* setgroups(2) is allowed unless the parent wrote "deny". */
static bool setgroups_allowed(void)
{
	char buf[16];

	return read_file("/proc/self/setgroups", buf, sizeof(buf)) < 0 ||
	       !startswith(buf, "deny");
}

/*
 * In the child, once it has entered the rootfs: wait for the maps. Until
 * then our uid is the parent's, which the maps do not cover (getuid()
 * says 65534, the overflow uid); make it the namespace's root, and drop
 * the host's supplementary groups, which mean nothing inside.
 */
int userns_child_wait(struct container *c)
{
	char byte;
	ssize_t n;

	if (!c->sec.userns)
		return 0;
	close(c->sec.sync[1]);
	n = read_full(c->sec.sync[0], &byte, 1);
	close(c->sec.sync[0]);
	if (n != 1)
		return n < 0 ? (int)n : -ECANCELED;
	if (setresgid(0, 0, 0) < 0)
		return -errno;
	if (setgroups_allowed() && setgroups(0, NULL) < 0)
		return -errno;
	if (setresuid(0, 0, 0) < 0)
		return -errno;
	return 0;
}

/*
 * In a user namespace mknod(2) of a device fails with EPERM, whatever the
 * capabilities: a device node is a door to the host's hardware, and only
 * CAP_MKNOD in the initial namespace opens it. Bind-mount the host's own
 * node over an empty file instead, as runc and podman do rootless.
 */
int userns_bind_dev(const char *path, const char *name, int mknod_err)
{
	char host[64];
	int r;

	if (mknod_err != -EPERM)
		return mknod_err;
	snprintf(host, sizeof(host), "/dev/%s", name);
	r = make_in_root(AT_FDCWD, path, true, 0666);
	if (r < 0)
		return r;
	close(r);
	return mount_in_root(AT_FDCWD, host, path, NULL, MS_BIND, NULL);
}
