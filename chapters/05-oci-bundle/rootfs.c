/* SPDX-License-Identifier: MIT */
/*
 * rootfs.c - give the container a root filesystem of its own.
 *
 * Chapter 01 used chroot(2), which only moves where path lookups start.
 * Here the child runs in a new mount namespace, so it can build its own
 * mount table without the host seeing any of it, and then swap its root
 * with pivot_root(2): afterwards the host's filesystem is not merely out
 * of sight, it is not in the container's mount table at all.
 *
 * The steps, in the order rootfs_enter() and rootfs_setup() run them:
 *
 *  1. make every mount private: on a systemd host "/" is shared, so our
 *     mounts would propagate back to the host, and pivot_root(2) refuses
 *     to work on a shared mount (EINVAL);
 *  2. bind-mount the rootfs onto itself: pivot_root needs a mount point;
 *  3. enter it: chdir into the bind mount, so that every path from here
 *     on ("proc", "dev/null") is relative to the new root, and the host
 *     path c->rootfs is needed no more;
 *  4. mount /proc (a new PID namespace needs its own), /sys and /dev;
 *  5. give the container its /etc/hostname;
 *  6. (chapter 04) mask paths of /proc and /sys, make others read-only,
 *     and with --read-only the rootfs itself (paths.c);
 *  7. pivot_root into the rootfs and detach the old root.
 *
 * Chapter 05: 4 and 5 are config.json's mounts now (mounts.c), whatever
 * they are; what is left here is what the runtime spec asks of every
 * runtime when /dev is the container's own: the basic device nodes and
 * the /dev/fd links (config-linux.md, "Default Devices").
 *
 * Nothing here needs cleaning up on the host: when the last process of
 * the mount namespace exits, the kernel unmounts all of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "barge.h"
#include "log.h"
#include "util.h"

static int make_mounts_private(const struct container *c)
{
	(void)c;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	return 0;
}

static int bind_rootfs(const struct container *c)
{
	if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	return 0;
}

/* chdir follows the path onto the bind mount just made on top of it. */
static int enter_rootfs(const struct container *c)
{
	if (chdir(c->rootfs) < 0)
		return -errno;
	return 0;
}

/* The device nodes every program expects, and nothing else: no disks. */
static const struct device {
	const char *name;
	unsigned int major, minor;
} devices[] = {
	{ "null", 1, 3 },   { "zero", 1, 5 },	 { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const struct link {
	const char *name, *target;
} dev_links[] = {
	{ "fd", "/proc/self/fd" },	 { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};

/* Chapter 05: only on a /dev of the container's own; config.json may
 * as well bind-mount the host's. Made in the directory that "dev"
 * resolves to inside the rootfs, whatever symlink an image put there. */
static int make_dev_nodes(const struct container *c)
{
	char path[PATH_MAX];
	int r = 0, dev;
	size_t i;

	for (i = 0; i < c->n_mounts; i++)
		if (streq(c->mounts[i].destination, "/dev"))
			break;
	if (i == c->n_mounts)
		return 0;
	dev = open_in_root(AT_FDCWD, "dev", O_PATH | O_DIRECTORY);
	if (dev < 0)
		return dev;
	for (i = 0; r == 0 && i < ARRAY_SIZE(devices); i++) {
		const char *name = devices[i].name;

		path_join(path, sizeof(path), "dev", name);
		/* LAB(mknod): create the character device node, mode 0666 */
		if (mknodat(dev, name, S_IFCHR | 0666,
			    makedev(devices[i].major, devices[i].minor)) < 0)
			/* chapter 04: in a user namespace, bind the host's */
			r = userns_bind_dev(path, name, -errno);
		/* mknod applies the umask; the nodes must be 0666. */
		else if (fchmodat(dev, name, 0666, 0) < 0)
			r = -errno;
		/* LAB STUB: (void)path; */
		/* LAB END */
	}
	for (i = 0; r == 0 && i < ARRAY_SIZE(dev_links); i++)
		if (symlinkat(dev_links[i].target, dev, dev_links[i].name) < 0)
			r = -errno;
	close(dev);
	return r;
}

/*
 * Swap the root: pivot_root(".", ".") stacks the old root on top of the
 * new one at "/", and umount2(".", MNT_DETACH) then removes it, so no
 * put_old directory is needed inside the rootfs (see the NOTES of
 * pivot_root(2)). After this the host's files are unreachable: unlike
 * with chroot, there is no ".." to climb back up.
 */
static int pivot_to_rootfs(const struct container *c)
{
	(void)c;
	/* LAB(pivot): make the rootfs, our current directory, the root of the mount namespace */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return -errno;
	if (umount2(".", MNT_DETACH) < 0)
		return -errno;
	if (chdir("/") < 0)
		return -errno;
	/* LAB STUB: if (chroot(".") < 0 || chdir("/") < 0) */
	/* LAB STUB: 	return -errno; */
	/* LAB END */
	return 0;
}

/* chapter 05: mounts.c's steps, named where they fail */
static const char *failed_mount;

static int open_sources(const struct container *c)
{
	return mounts_open_sources(c, &failed_mount);
}

static int mount_all(const struct container *c)
{
	return mounts_setup(c, &failed_mount);
}

struct step {
	const char *what;
	int (*fn)(const struct container *c);
};

/*
 * The setup pipeline, in the order the comment at the top explains, in
 * two parts. Chapter 04: in a user namespace the child becomes the
 * namespace's root (userns.c), an unprivileged uid on the host, which may
 * not be able to reach c->rootfs (under /root, mode 0700). So the child
 * enters the rootfs first of all, while it is still the host's root, and
 * needs no host path after that.
 */
static const struct step enter_steps[] = {
	{ "make mounts private", make_mounts_private },
	{ "bind-mount the rootfs", bind_rootfs },
	{ "enter the rootfs", enter_rootfs },
	{ "open the bind mounts' sources", open_sources }, /* chapter 05 */
};

static const struct step setup_steps[] = {
	{ "mount config.json's mounts", mount_all },	  /* chapter 05 */
	{ "create the default devices", make_dev_nodes }, /* chapter 05 */
	{ "open the rootfs's /dev/null, to mask paths", paths_open_null },
	{ "mask paths", paths_mask },			      /* chapter 04 */
	{ "make paths read-only", paths_readonly },	      /* chapter 04 */
	{ "make the rootfs read-only", paths_readonly_root }, /* --read-only */
	{ "pivot_root", pivot_to_rootfs },
};

static int run_steps(const struct container *c, const struct step *steps,
		     size_t n, const char **ret_step)
{
	static char step[PATH_MAX + 64];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		*ret_step = steps[i].what;
		failed_mount = NULL;
		r = steps[i].fn(c);
		if (r < 0 && failed_mount) { /* which mount: chapter 05 */
			snprintf(step, sizeof(step), "%s: %s", steps[i].what,
				 failed_mount);
			*ret_step = step;
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int rootfs_enter(const struct container *c, const char **ret_step)
{
	return run_steps(c, enter_steps, ARRAY_SIZE(enter_steps), ret_step);
}

int rootfs_setup(const struct container *c, const char **ret_step)
{
	return run_steps(c, setup_steps, ARRAY_SIZE(setup_steps), ret_step);
}
