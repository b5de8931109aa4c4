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
 * /proc/self/oom_score_adj, /proc/self/attr/...), then:
 *
 *  - masks what the container has no business reading: /dev/null bound
 *    over a file, an empty read-only tmpfs over a directory;
 *  - makes read-only what it may read but not change: each path bound
 *    onto itself, then the bind remounted read-only.
 *
 * Paths the kernel does not have (no sound card, no /proc/kcore) are
 * skipped. These run before pivot_root, on paths under c->rootfs.
 */
#include <errno.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "barge.h"
#include "util.h"

/* moby's oci/defaults.go: DefaultLinuxSpec(). */
const char *const paths_default_masked[] = {
	"/proc/asound",
	"/proc/acpi",
	"/proc/kcore",
	"/proc/keys",
	"/proc/latency_stats",
	"/proc/timer_list",
	"/proc/timer_stats",
	"/proc/sched_debug",
	"/proc/scsi",
	"/sys/firmware",
	"/sys/devices/virtual/powercap",
	NULL,
};

const char *const paths_default_readonly[] = {
	"/proc/bus",	       "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger", NULL,
};

/* chapter 05: config.json's lists, or these defaults. */
static const char *const *masked_list(const struct container *c)
{
	return c->oci.masked ? (const char *const *)c->oci.masked
			     : paths_default_masked;
}

static const char *const *readonly_list(const struct container *c)
{
	return c->oci.readonly ? (const char *const *)c->oci.readonly
			       : paths_default_readonly;
}

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

	if (statvfs(path, &sv) < 0)
		return -errno;
	for (i = 0; i < ARRAY_SIZE(kept); i++)
		if (sv.f_flag & kept[i].st)
			flags |= kept[i].ms;
	if (!(sv.f_flag & (ST_NOATIME | ST_RELATIME)))
		flags |= MS_STRICTATIME;
	if (mount(NULL, path, NULL, flags, NULL) < 0)
		return -errno;
	return 0;
}

/* rootfs/path, and whether it exists (0: skip it). */
static int lookup(const char *rootfs, const char *p, char *path, size_t size,
		  struct stat *st)
{
	int r = path_join(path, size, rootfs, p);

	if (r < 0)
		return r;
	if (lstat(path, st) < 0)
		return errno == ENOENT ? 0 : -errno;
	return 1;
}

static int mask_path(const char *rootfs, const char *p)
{
	char path[PATH_MAX], null[PATH_MAX];
	struct stat st;
	int r;

	r = lookup(rootfs, p, path, sizeof(path), &st);
	if (r <= 0)
		return r;
	r = path_join(null, sizeof(null), rootfs, "dev/null");
	if (r < 0)
		return r;
	/* LAB(masked-paths): hide path: an empty read-only tmpfs over a directory, null bound over anything else */
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0)
			return -errno;
	} else if (mount(null, path, NULL, MS_BIND, NULL) < 0) {
		return -errno;
	}
	/* LAB STUB: (void)st; */
	/* LAB STUB: (void)null; */
	/* LAB END */
	return 0;
}

int paths_mask(const struct container *c)
{
	const char *const *list = masked_list(c);
	size_t i;
	int r;

	for (i = 0; list[i]; i++) {
		r = mask_path(c->rootfs, list[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

int paths_readonly(const struct container *c)
{
	const char *const *list = readonly_list(c);
	char path[PATH_MAX];
	struct stat st;
	size_t i;
	int r;

	for (i = 0; list[i]; i++) {
		r = lookup(c->rootfs, list[i], path, sizeof(path), &st);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
			return -errno;
		r = remount_readonly(path);
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
	return remount_readonly(c->rootfs);
}
