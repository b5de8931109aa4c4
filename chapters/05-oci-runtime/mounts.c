/* SPDX-License-Identifier: MIT */
/*
 * mounts.c - chapter 05: the mounts, sysctls and device nodes of a
 * config.json, in place of the ones chapters 02-04 hard-coded.
 *
 * Everything rootfs.c did by hand is a line of config.json now: /proc is
 * {"destination": "/proc", "type": "proc"}, /dev a tmpfs with
 * "mode=755", /dev/pts a devpts with "newinstance". The parser
 * (oci_mounts.c) has already split each mount's options into mount(2)'s
 * flags and its data string; this file only makes the mount points and
 * calls mount(2), in the order config.json lists them (runtime.md: "in
 * order"), all below c->rootfs before pivot_root.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "barge.h"
#include "cgroups.h"
#include "oci_config.h"
#include "util.h"

/* Most mount points exist already, or lack only their last part: one
 * mkdir(2) does, where mkdir_p() makes one per component from "/". */
static int make_dir(const char *path)
{
	if (mkdir(path, 0755) == 0 || (errno == EEXIST && is_dir(path) == 1))
		return 0;
	return mkdir_p(path, 0755);
}

/* A bind mount of a file needs a file to mount on; anything else a
 * directory. */
static int make_mount_point(const char *path, const char *source, bool bind)
{
	char parent[PATH_MAX], *slash;
	struct stat st;
	int r;

	if (!bind || !source || stat(source, &st) < 0 || S_ISDIR(st.st_mode))
		return make_dir(path);
	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		r = make_dir(parent);
		if (r < 0)
			return r;
	}
	return touch(path, 0644);
}

/* cgroup v1 (this kind of host): a tmpfs, and in it each hierarchy
 * mounted again; the cgroup namespace makes each show the container's
 * cgroup as its root. v2: one cgroup2 mount. The host's layout decides,
 * as in chapter 03: on a hybrid host a cgroup2 mount would succeed but
 * show none of the controllers, which are all bound to v1. */
static int mount_cgroup(const char *dest, unsigned long flags)
{
	char line[4096], point[PATH_MAX], opts[512], sub[PATH_MAX];
	char *dash, *name;
	FILE *f;
	int r = 0;

	if (cg_unified())
		return mount("cgroup2", dest, "cgroup2", flags, NULL) < 0
			       ? -errno
			       : 0;
	if (mount("tmpfs", dest, "tmpfs", flags & ~MS_RDONLY, "mode=755") < 0)
		return -errno;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (r == 0 && fgets(line, sizeof(line), f)) {
		dash = strstr(line, " - cgroup ");
		if (!dash ||
		    sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 ||
		    sscanf(dash, " - cgroup %*s %511s", opts) != 1 ||
		    !startswith(point, "/sys/fs/cgroup/"))
			continue;
		name = strrchr(point, '/') + 1;
		r = path_join(sub, sizeof(sub), dest, name);
		if (r == 0)
			r = make_dir(sub);
		/* the options name the controllers ("rw,cpu"): keep those */
		if (r == 0 &&
		    mount("cgroup", sub, "cgroup", flags,
			  strchr(opts, ',') ? strchr(opts, ',') + 1 : opts) < 0)
			r = -errno;
	}
	fclose(f);
	/* The tmpfs was writable so that the mount points could be made. */
	if (r == 0 && (flags & MS_RDONLY) &&
	    mount("tmpfs", dest, "tmpfs", MS_REMOUNT | flags, "mode=755") < 0)
		r = -errno;
	return r;
}

static int mount_one(const struct container *c, const struct oci_mount *m)
{
	bool bind = m->flags & MS_BIND;
	unsigned long rest = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
	char path[PATH_MAX];
	int r;

	r = path_join(path, sizeof(path), c->rootfs, m->destination);
	if (r < 0)
		return r;
	r = make_mount_point(path, m->source, bind);
	if (r < 0)
		return r;
	if (m->type && streq(m->type, "cgroup"))
		return mount_cgroup(path, rest);
	if (bind) {
		/* MS_BIND ignores every other flag: remount for them */
		if (mount(m->source, path, NULL,
			  MS_BIND | (m->recursive ? MS_REC : 0), NULL) < 0)
			return -errno;
		if (rest && mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | rest,
				  NULL) < 0)
			return -errno;
	} else if (mount(m->source ? m->source : m->type, path, m->type,
			 m->flags, m->data) < 0) {
		return -errno;
	}
	if (m->propagation &&
	    mount(NULL, path, NULL,
		  m->propagation | (m->recursive ? MS_REC : 0), NULL) < 0)
		return -errno;
	return 0;
}

/* Does config.json mount something at path? */
static bool mounts_at(const struct oci_config *oc, const char *path)
{
	size_t i;

	for (i = 0; i < oc->n_mounts; i++)
		if (streq(oc->mounts[i].destination, path))
			return true;
	return false;
}

int mounts_setup(const struct container *c, const char **ret_what)
{
	const struct oci_config *oc = c->oci.oci;
	size_t i;
	int r;

	for (i = 0; i < oc->n_mounts; i++) {
		*ret_what = oc->mounts[i].destination;
		r = mount_one(c, &oc->mounts[i]);
		if (r < 0)
			return r;
	}
	/* runtime.md: the runtime supplies /dev's basic nodes itself. */
	*ret_what = "/dev";
	if (mounts_at(oc, "/dev"))
		return rootfs_default_devices(c);
	return 0;
}

/* linux.sysctl: "net.ipv4.ip_forward" is /proc/sys/net/ipv4/ip_forward.
 * The kernel picks the namespace by the writer's, so writing through
 * the container's /proc, from the child, sets the container's own. */
int mounts_sysctl(const struct container *c)
{
	const struct oci_linux *l = &c->oci.oci->linux_spec;
	char rel[PATH_MAX], path[PATH_MAX], *p;
	size_t i;
	int r;

	for (i = 0; i < l->n_sysctl; i++) {
		snprintf(rel, sizeof(rel), "proc/sys/%s", l->sysctl[i].key);
		for (p = rel + strlen("proc/sys/"); *p; p++)
			if (*p == '.')
				*p = '/';
		r = path_join(path, sizeof(path), c->rootfs, rel);
		if (r == 0)
			r = write_file(path, l->sysctl[i].value);
		if (r < 0)
			return r;
	}
	return 0;
}

/* linux.devices: mknod each, with its mode and owner. */
int mounts_devices(const struct container *c)
{
	const struct oci_linux *l = &c->oci.oci->linux_spec;
	const struct oci_device *d;
	char path[PATH_MAX];
	mode_t type;
	size_t i;
	int r;

	for (i = 0; i < l->n_devices; i++) {
		d = &l->devices[i];
		type = d->type == 'b'	? S_IFBLK
		       : d->type == 'p' ? S_IFIFO
					: S_IFCHR;
		r = path_join(path, sizeof(path), c->rootfs, d->path);
		if (r < 0)
			return r;
		unlink(path);
		if (mknod(path,
			  type | (d->has_file_mode ? d->file_mode & 07777
						   : 0666),
			  makedev(d->major, d->minor)) < 0)
			return -errno;
		if ((d->has_uid || d->has_gid) &&
		    chown(path, d->has_uid ? d->uid : (uid_t)-1,
			  d->has_gid ? d->gid : (gid_t)-1) < 0)
			return -errno;
	}
	return 0;
}
