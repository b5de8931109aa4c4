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
 * The steps, in the order rootfs_setup() runs them:
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
 *  6. pivot_root into the rootfs and detach the old root.
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

#define DEFAULT_PATH \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Mount a filesystem at target, a path inside the rootfs we are in,
 * creating the mount point. */
static int mount_at(const char *target, const char *fs, unsigned long flags,
		    const char *data)
{
	int r;

	r = mkdir_p(target, 0755);
	if (r < 0)
		return r;
	if (mount(fs, target, fs, flags, data) < 0)
		return -errno;
	return 0;
}

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

/*
 * /proc shows the processes of the PID namespace that mounts it: a fresh
 * mount lists only the container's. Read-only: the container's root is
 * still the host's root (until chapter 04), and a writable /proc/sys
 * would let it change the host kernel's settings.
 */
static int mount_proc(const struct container *c)
{
	(void)c;
	return mount_at("proc", "proc",
			MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
}

/* /sys shows the network devices of the namespace that mounts it. */
static int mount_sys(const struct container *c)
{
	(void)c;
	return mount_at("sys", "sysfs",
			MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
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

static int make_dev_nodes(void)
{
	char path[PATH_MAX];
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(devices); i++) {
		r = path_join(path, sizeof(path), "dev", devices[i].name);
		if (r < 0)
			return r;
		/* LAB(mknod): create the character device node, mode 0666 */
		if (mknod(path, S_IFCHR | 0666,
			  makedev(devices[i].major, devices[i].minor)) < 0)
			return -errno;
		/* mknod applies the umask; the nodes must be 0666. */
		if (chmod(path, 0666) < 0)
			return -errno;
		/* LAB STUB: (void)path; */
		/* LAB END */
	}
	for (i = 0; i < ARRAY_SIZE(dev_links); i++) {
		r = path_join(path, sizeof(path), "dev", dev_links[i].name);
		if (r < 0)
			return r;
		if (symlink(dev_links[i].target, path) < 0)
			return -errno;
	}
	return 0;
}

/*
 * A tmpfs of our own at /dev, with the basic device nodes, a private
 * devpts instance for terminals (newinstance: the container cannot see
 * the host's ptys) and /dev/shm for POSIX shared memory.
 */
static int setup_dev(const struct container *c)
{
	int r;

	(void)c;
	r = mount_at("dev", "tmpfs", MS_NOSUID | MS_STRICTATIME,
		     "mode=755,size=65536k");
	if (r < 0)
		return r;
	r = make_dev_nodes();
	if (r < 0)
		return r;
	r = mount_at("dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		     "newinstance,ptmxmode=0666,mode=0620");
	if (r < 0)
		return r;
	return mount_at("dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			"mode=1777,size=65536k");
}

/*
 * /etc/hostname should say the container's name, without writing into
 * the rootfs on the host. Write it on the container's own /dev tmpfs,
 * bind-mount that file over /etc/hostname, and unlink the staging name:
 * the bind mount keeps the file alive, in memory, as long as the
 * container lives.
 */
static int bind_hostname(const struct container *c)
{
	const char *staged = "dev/.hostname", *target = "etc/hostname";
	char line[HOST_NAME_MAX + 2];
	int r;

	snprintf(line, sizeof(line), "%s\n", c->hostname);
	r = write_file(staged, line);
	if (r < 0)
		return r;
	r = touch(target, 0644);
	if (r >= 0 && mount(staged, target, NULL, MS_BIND, NULL) < 0)
		r = -errno;
	unlink(staged);
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

/* The setup pipeline, in the order the comment at the top explains. */
static const struct step {
	const char *what;
	int (*fn)(const struct container *c);
} steps[] = {
	{ "make mounts private", make_mounts_private },
	{ "bind-mount the rootfs", bind_rootfs },
	{ "enter the rootfs", enter_rootfs },
	{ "mount /proc", mount_proc },
	{ "mount /sys", mount_sys },
	{ "set up /dev", setup_dev },
	{ "bind-mount /etc/hostname", bind_hostname },
	{ "pivot_root", pivot_to_rootfs },
};

int rootfs_setup(const struct container *c, const char **ret_step)
{
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		*ret_step = steps[i].what;
		r = steps[i].fn(c);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The host's environment (SSH_AUTH_SOCK, LD_PRELOAD, ...) is none of the
 * container's business: start from nothing, as docker run does. */
int rootfs_clean_environment(void)
{
	const char *term = getenv("TERM");
	char host[HOST_NAME_MAX + 1] = "";
	char saved_term[64] = "xterm";

	if (term && *term && strlen(term) < sizeof(saved_term))
		strcpy(saved_term, term);
	gethostname(host, sizeof(host) - 1);
	if (clearenv() != 0)
		return -ENOMEM;
	if (setenv("PATH", DEFAULT_PATH, 1) < 0 ||
	    setenv("HOME", "/root", 1) < 0 ||
	    setenv("TERM", saved_term, 1) < 0 ||
	    setenv("HOSTNAME", host, 1) < 0)
		return -errno;
	return 0;
}
