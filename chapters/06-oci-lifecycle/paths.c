/* SPDX-License-Identifier: MIT */
/*
 * paths.c - masked and read-only paths, and --read-only.
 *
 * /proc and /sys are windows onto the host's kernel, and only part of
 * what they show is namespaced. /proc/kcore is the kernel's memory,
 * /proc/keys lists keys of the kernel's keyring, /proc/timer_list the
 * timers of every process on the host, /sys/firmware the machine's ACPI
 * tables; /proc/sys changes kernel settings for the whole machine, and
 * /proc/sysrq-trigger can reboot it. Chapter 02 mounted /proc read-only as
 * a whole. Like Docker, this chapter mounts it read-write (programs write
 * /proc/self/oom_score_adj, /proc/self/attr/...), then, for the paths
 * policy.c chose (Docker's lists):
 *
 *  - masks what the container has no business reading: /dev/null bound
 *    over a file, an empty read-only tmpfs over a directory;
 *  - makes read-only what it may read but not change: each path bound
 *    onto itself, then the bind remounted read-only.
 *
 * Paths the kernel does not have (no sound card, no /proc/kcore) are
 * skipped. These run before pivot_root, in the rootfs (rootfs.c has made
 * it our current directory), and every path is resolved inside it
 * (open_in_root(), common/util.c): a symlink in an image's rootfs must
 * not turn "/evil/secret" into a path of the host's.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "barge.h"
#include "util.h"

/*
 * Remount a bind mount read-only. A user namespace may not clear the
 * flags a mount got from a more privileged one (nosuid, nodev, noexec,
 * the atime flags: "locked" mounts in mount_namespaces(7)): the kernel
 * refuses such a remount with EPERM, so keep every flag the mount has.
 */
static int remount_readonly(const char *path)
{
	static const struct {
		unsigned long st, ms;
	} kept[] = {
		{ ST_NOSUID, MS_NOSUID },	  { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC },	  { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
	struct statvfs sv;
	size_t i;
	int fd, r;

	fd = open_in_root(AT_FDCWD, path, O_PATH);
	if (fd < 0)
		return fd;
	r = fstatvfs(fd, &sv) < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;
	for (i = 0; i < ARRAY_SIZE(kept); i++)
		if (sv.f_flag & kept[i].st)
			flags |= kept[i].ms;
	if (!(sv.f_flag & (ST_NOATIME | ST_RELATIME)))
		flags |= MS_STRICTATIME;
	return mount_in_root(AT_FDCWD, NULL, path, NULL, flags, NULL);
}

/* The container's path p, resolved inside the rootfs we are in (never
 * through a symlink out of it): an O_PATH descriptor of it, its
 * /proc/self/fd path in fd_path (32 bytes) and whether it exists (0: skip
 * it). */
static int lookup(const char *p, int *ret_fd, char *fd_path, struct stat *st)
{
	*ret_fd = open_in_root(AT_FDCWD, p, O_PATH);
	if (*ret_fd < 0)
		return *ret_fd == -ENOENT ? 0 : *ret_fd;
	snprintf(fd_path, 32, "/proc/self/fd/%d", *ret_fd);
	if (fstat(*ret_fd, st) < 0) {
		close(*ret_fd);
		return -errno;
	}
	return 1;
}

/*
 * A file is hidden under the container's own dev/null, checked to be the
 * null device (1:3) and held open, so that what is bound is what was
 * checked. An image may make its dev/null a symlink, resolved inside the
 * root, to /proc/sys/kernel/core_pattern: bound over /proc/keys, that
 * would make the host's core_pattern writable from the container, and
 * with it a program the host's kernel runs as root (runc's
 * CVE-2025-31133).
 */
static int null_fd = -1;

int paths_open_null(const struct container *c)
{
	struct stat st;

	if (!c->sec.masked || !c->sec.masked[0])
		return 0;
	null_fd = open_in_root(AT_FDCWD, "dev/null", O_PATH);
	if (null_fd == -ENOENT) /* fine, until a file is to be masked */
		return 0;
	if (null_fd < 0)
		return null_fd;
	if (fstat(null_fd, &st) < 0)
		return -errno;
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return -ENODEV;
	return 0;
}

static int mask_path(const char *p)
{
	char path[32], null[32];
	struct stat st;
	int fd, r;

	r = lookup(p, &fd, path, &st);
	if (r <= 0)
		return r;
	if (!S_ISDIR(st.st_mode) && null_fd < 0) {
		close(fd);
		return -ENOENT;
	}
	snprintf(null, sizeof(null), "/proc/self/fd/%d", null_fd);
	/* LAB(masked-paths): hide path: an empty read-only tmpfs over a directory, null bound over anything else */
	if (S_ISDIR(st.st_mode))
		r = mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0 ? -errno
								       : 0;
	else
		r = mount(null, path, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
	/* LAB STUB: (void)st; */
	/* LAB STUB: (void)null; */
	/* LAB STUB: r = 0; */
	/* LAB END */
	close(fd);
	return r;
}

int paths_mask(const struct container *c)
{
	size_t i;
	int r;

	for (i = 0; c->sec.masked && c->sec.masked[i]; i++) {
		r = mask_path(c->sec.masked[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

int paths_readonly(const struct container *c)
{
	struct stat st;
	char path[32];
	size_t i;
	int fd, r;

	for (i = 0; c->sec.readonly && c->sec.readonly[i]; i++) {
		r = lookup(c->sec.readonly[i], &fd, path, &st);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		/* bound onto itself; the remount looks it up again, so as to
		 * find the new mount on top */
		r = mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0 ? -errno
									: 0;
		close(fd);
		if (r == 0)
			r = remount_readonly(c->sec.readonly[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * --read-only: the rootfs bind mount itself becomes read-only; the mounts
 * on it (/proc, /dev, /dev/shm, /etc/hostname...) keep their own flags, so
 * /dev/shm stays writable for programs that need a scratch place.
 */
int paths_readonly_root(const struct container *c)
{
	if (!c->sec.read_only)
		return 0;
	return remount_readonly(".");
}
