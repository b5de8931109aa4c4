/* SPDX-License-Identifier: MIT */
/*
 * mounts.c - chapter 05: config.json's mounts, in place of the ones
 * chapters 02-04 hard-coded in rootfs.c.
 *
 * Everything rootfs.c did by hand is a line of config.json now: /proc is
 * {"destination": "/proc", "type": "proc", "options": ["nosuid", ...]},
 * /dev a tmpfs with "mode=755", /dev/pts a devpts with "newinstance".
 * The parser (common/oci_spec_mounts.c) has already split each mount's
 * options into mount(2)'s flags and its data string; this file makes the
 * mount points and calls mount(2), in the order config.json lists them
 * (config.md: "in order"), inside the rootfs we stand in (rootfs.c), with
 * paths relative to it. Every such path is resolved inside the rootfs,
 * never by the kernel's plain lookup: the rootfs is the image's, and may
 * hold a symlink to anywhere on the host (make_in_root() and
 * mount_in_root() in common/util.c; README, "Escapes").
 *
 * A bind mount's source is a host path, which a container in a user
 * namespace may not be able to reach once it is the namespace's root (a
 * file under /root, mode 0700): mounts_open_sources() opens every source
 * first, while the child is still the host's root, and the mount later
 * uses the open file through /proc/self/fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "barge.h"
#include "cgroups.h"
#include "util.h"

/* The open source of each bind mount, by the mount's index; -1 for the
 * others. The child's own copy: the parent never fills it. */
static int *source_fds;

/*
 * A relative source is relative to the bundle (config.md, "Mounts"),
 * never to where we stand: that is the rootfs by now, and an image's
 * "data -> /" would hand the container the host's root.
 */
int mounts_open_sources(const struct container *c, const char **ret_what)
{
	static char path[PATH_MAX];
	const char *src;
	size_t i;

	source_fds = calloc(c->n_mounts + 1, sizeof(*source_fds));
	if (!source_fds)
		return -ENOMEM;
	for (i = 0; i < c->n_mounts; i++) {
		source_fds[i] = -1;
		if (!(c->mounts[i].flags & MS_BIND))
			continue;
		src = *ret_what = c->mounts[i].source;
		if (src[0] != '/' && c->bundle) {
			if (path_join(path, sizeof(path), c->bundle, src) < 0)
				return -ENAMETOOLONG;
			src = *ret_what = path;
		}
		source_fds[i] = open(src, O_PATH | O_CLOEXEC);
		if (source_fds[i] < 0)
			return -errno;
	}
	return 0;
}

/* A mount point inside the rootfs, made inside it whatever symlinks the
 * rootfs has on the way (make_in_root()): a bind mount of a file needs a
 * file to mount on; anything else a directory. */
static int make_mount_point(const char *path, int source_fd)
{
	struct stat st;
	bool file;
	int fd;

	file = source_fd >= 0 && fstat(source_fd, &st) == 0 &&
	       !S_ISDIR(st.st_mode);
	fd = make_in_root(AT_FDCWD, path, file, file ? 0644 : 0755);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/*
 * One hierarchy at dest: the cgroup filesystem itself, whose root the
 * cgroup namespace makes the container's own cgroup; or, without a
 * cgroup namespace of the container's own, where that mount would show
 * the host's whole tree (and let a "rw" one write it), a bind of the
 * container's own cgroup directory (own, on the host), as runc does.
 * A bind takes no flags: a remount adds them.
 */
static int mount_hierarchy(const char *own, const char *type, const char *opts,
			   const char *dest, unsigned long flags)
{
	int r;

	if (!own)
		return mount_in_root(AT_FDCWD, type, dest, type, flags, opts);
	if (access(own, F_OK) < 0) /* not a controller of the container's */
		return 0;
	r = mount_in_root(AT_FDCWD, own, dest, NULL, MS_BIND, NULL);
	if (r == 0 && flags)
		r = mount_in_root(AT_FDCWD, NULL, dest, NULL,
				  MS_REMOUNT | MS_BIND | flags, NULL);
	return r;
}

/*
 * type "cgroup": the host's layout decides, as in chapter 03. v2: one
 * cgroup2 mount. v1 (and hybrid hosts, where a cgroup2 mount would show
 * none of the controllers, all bound to v1): a tmpfs, and in it each
 * hierarchy mounted again. own: the container's cgroup when it has no
 * cgroup namespace of its own, or NULL (mount_hierarchy()).
 */
static int mount_cgroup_fs(const char *dest, unsigned long flags,
			   const char *own)
{
	char line[4096], point[PATH_MAX], opts[512], sub[PATH_MAX], top[32];
	char dir[PATH_MAX];
	char *dash, *name;
	int r = 0, fd;
	FILE *f;

	if (cg_unified()) {
		r = own ? path_join(dir, sizeof(dir), CG_MOUNT, own) : 0;
		return r < 0 ? r
			     : mount_hierarchy(own ? dir : NULL, "cgroup2",
					       NULL, dest, flags);
	}
	r = mount_in_root(AT_FDCWD, "tmpfs", dest, "tmpfs", flags & ~MS_RDONLY,
			  "mode=755");
	if (r < 0)
		return r;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (r == 0 && fgets(line, sizeof(line), f)) {
		dash = strstr(line, " - cgroup ");
		if (!dash ||
		    sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 ||
		    sscanf(dash, " - cgroup %*s %511s", opts) != 1 ||
		    !startswith(point, CG_MOUNT "/"))
			continue;
		name = strrchr(point, '/') + 1;
		r = path_join(sub, sizeof(sub), dest, name);
		fd = r == 0 ? make_in_root(AT_FDCWD, sub, false, 0755) : r;
		r = fd < 0 ? fd : close(fd);
		if (r == 0 && own)
			r = path_join(dir, sizeof(dir), point, own);
		/* the options name the controllers ("rw,cpu"): keep those */
		if (r == 0)
			r = mount_hierarchy(own ? dir : NULL, "cgroup",
					    strchr(opts, ',')
						    ? strchr(opts, ',') + 1
						    : opts,
					    sub, flags);
	}
	fclose(f);
	/* The tmpfs was writable so that the mount points could be made. */
	if (r == 0 && (flags & MS_RDONLY))
		r = mount_in_root(AT_FDCWD, "tmpfs", dest, "tmpfs",
				  MS_REMOUNT | flags, "mode=755");
	/* on failure, the tmpfs and what is in it go */
	if (r < 0 && (fd = open_in_root(AT_FDCWD, dest, O_PATH)) >= 0) {
		snprintf(top, sizeof(top), "/proc/self/fd/%d", fd);
		umount2(top, MNT_DETACH);
		close(fd);
	}
	return r;
}

/*
 * The root of a user namespace may mount a cgroup filesystem only from a
 * cgroup namespace of its own (runc's rootless spec asks for none): then
 * the host's /sys/fs/cgroup is bound instead, as crun does, and every
 * mount in it made read-only (and nosuid...) as asked, by mount_setattr(2):
 * a remount would do only the top one, and would have to repeat the
 * flags the host's mounts are locked with (mount_namespaces(7)).
 */
static int mount_cgroup(const char *dest, unsigned long flags, const char *own)
{
	struct mount_attr attr = { 0 };
	int r = mount_cgroup_fs(dest, flags, own), fd;

	if (r != -EPERM)
		return r;
	r = mount_in_root(AT_FDCWD, CG_MOUNT, dest, NULL, MS_BIND | MS_REC,
			  NULL);
	if (r < 0)
		return r;
	attr.attr_set = (flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0) |
			(flags & MS_NOSUID ? MOUNT_ATTR_NOSUID : 0) |
			(flags & MS_NODEV ? MOUNT_ATTR_NODEV : 0) |
			(flags & MS_NOEXEC ? MOUNT_ATTR_NOEXEC : 0);
	if (!attr.attr_set)
		return 0;
	fd = open_in_root(AT_FDCWD, dest, O_PATH);
	if (fd < 0)
		return fd;
	r = mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
			  sizeof(attr)) < 0
		    ? -errno
		    : 0;
	close(fd);
	return r;
}

static int mount_one(const struct oci_mount *m, int source_fd,
		     const char *own_cgroup)
{
	unsigned long rest = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
	const char *path = m->destination + strspn(m->destination, "/");
	char source[64];
	int r;

	r = make_mount_point(path, source_fd);
	if (r < 0)
		return r;
	if (m->type && streq(m->type, "cgroup"))
		return mount_cgroup(path, rest, own_cgroup);
	/* LAB(oci-mount): mount m on path: a bind from source_fd (then a remount for its other flags), else its type, flags and data; then its propagation */
	if (source_fd >= 0) {
		/* MS_BIND ignores every other flag: remount for them */
		snprintf(source, sizeof(source), "/proc/self/fd/%d", source_fd);
		r = mount_in_root(AT_FDCWD, source, path, NULL,
				  MS_BIND | (m->recursive ? MS_REC : 0), NULL);
		if (r == 0 && rest)
			r = mount_in_root(AT_FDCWD, NULL, path, NULL,
					  MS_REMOUNT | MS_BIND | rest, NULL);
	} else {
		r = mount_in_root(AT_FDCWD, m->source ? m->source : m->type,
				  path, m->type, m->flags, m->data);
	}
	if (r == 0 && m->propagation)
		r = mount_in_root(AT_FDCWD, NULL, path, NULL,
				  m->propagation | (m->recursive ? MS_REC : 0),
				  NULL);
	return r;
	/* LAB STUB: (void)source; */
	/* LAB STUB: return -ENOSYS; */
	/* LAB END */
}

/* The container's cgroup, if it has one and no cgroup namespace of its
 * own: what its cgroup mount binds. */
static const char *own_cgroup(const struct container *c)
{
	if (c->ns_flags & CLONE_NEWCGROUP || !c->cgroup_path || c->sec.rootless)
		return NULL;
	return c->cgroup_path;
}

int mounts_setup(const struct container *c, const char **ret_what)
{
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < c->n_mounts; i++) {
		*ret_what = c->mounts[i].destination;
		r = mount_one(&c->mounts[i], source_fds[i], own_cgroup(c));
	}
	for (i = 0; i < c->n_mounts; i++)
		if (source_fds[i] >= 0)
			close(source_fds[i]);
	free(source_fds);
	source_fds = NULL;
	return r;
}
