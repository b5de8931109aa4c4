/* SPDX-License-Identifier: MIT */
/*
 * bundle.c - barge run's flags, written as an OCI bundle: a directory
 * with a config.json, which any OCI runtime can run (barge-runtime, runc,
 * crun).
 *
 * From this chapter on barge no longer makes containers itself: it says
 * what it wants in the standard form and lets a runtime do it, as dockerd
 * hands a bundle to runc through containerd. A runtime does what
 * config.json says and nothing else, so everything chapters 01-04 did
 * without being asked is written out here: the mounts of /proc, /sys and
 * /dev, the namespaces, the capability sets, the seccomp profile, the
 * masked paths, barge's init. oci.c, in barge-runtime, reads it back.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "barge.h"
#include "cgroups.h"
#include "json.h"
#include "util.h"

/* Where barge's init is in the container (when --no-init is not given):
 * on the container's own /dev tmpfs, so nothing is written to the rootfs.
 * Docker puts its docker-init at /sbin/docker-init, podman its catatonit
 * at /run/podman-init. */
#define INIT_PATH "/dev/init"

/* The mounts chapters 02-04 made in rootfs.c, now as data (moby's
 * oci/defaults.go has the same list). */
static const struct {
	const char *destination, *type, *source;
	const char *options[6];
} default_mounts[] = {
	{ "/proc", "proc", "proc", { "nosuid", "noexec", "nodev" } },
	{ "/dev",
	  "tmpfs",
	  "tmpfs",
	  { "nosuid", "strictatime", "mode=755", "size=65536k" } },
	{ "/dev/pts",
	  "devpts",
	  "devpts",
	  { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620" } },
	{ "/dev/shm",
	  "tmpfs",
	  "shm",
	  { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" } },
	{ "/sys", "sysfs", "sysfs", { "nosuid", "noexec", "nodev", "ro" } },
};

static json_t *strv_json(char *const *v)
{
	json_t *a = json_array();

	for (; a && v && *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

/* The capabilities of a set, by their names in config.json: libcap says
 * "cap_chown", the spec "CAP_CHOWN". */
static json_t *caps_json(uint64_t caps)
{
	/* LAB(caps-json): a JSON array of the names of the capabilities in caps, as config.json spells them ("CAP_CHOWN") */
	json_t *a = json_array();
	char *name, *p;
	int cap;

	for (cap = 0; a && cap < 64; cap++) {
		if (!caps_has(caps, cap) || !(name = cap_to_name(cap)))
			continue;
		for (p = name; *p; p++)
			*p = *p >= 'a' && *p <= 'z' ? *p - 32 : *p;
		json_array_append_new(a, json_string(name));
		cap_free(name);
	}
	return a;
	/* LAB STUB: (void)caps; */
	/* LAB STUB: return json_array(); */
	/* LAB END */
}

/* The command, behind barge's init unless --no-init. */
static json_t *args_json(const struct container *c)
{
	json_t *a = json_array();
	char **v;

	if (c->init) {
		json_array_append_new(a, json_string(INIT_PATH));
		json_array_append_new(a, json_string("--"));
	}
	for (v = c->argv; *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

/* Chapter 01's clean environment. */
static json_t *env_json(const struct container *c)
{
	const char *term = getenv("TERM");
	char buf[3][HOST_NAME_MAX + 16];
	char *env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
			"/usr/bin:/sbin:/bin",
			"HOME=/root", buf[0], buf[1], NULL };

	snprintf(buf[0], sizeof(buf[0]), "TERM=%s",
		 term && *term && strlen(term) < 64 ? term : "xterm");
	snprintf(buf[1], sizeof(buf[1]), "HOSTNAME=%s", c->hostname);
	return strv_json(env);
}

/* "unlimited" is RLIM_INFINITY, 2^64-1: see jp_uint64_max(). */
static json_t *rlimit_json(rlim_t v)
{
	return v == RLIM_INFINITY ? jp_uint64_max() : json_integer(v);
}

static json_t *rlimits_json(const struct security *s)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < s->n_ulimits; i++)
		json_array_append_new(
			a,
			json_pack("{s:s, s:o, s:o}", "type",
				  rlimit_name(s->ulimits[i].resource), "soft",
				  rlimit_json(s->ulimits[i].limit.rlim_cur),
				  "hard",
				  rlimit_json(s->ulimits[i].limit.rlim_max)));
	return a;
}

/* A user other than root gets no capability in effect, as in Docker:
 * only the bounding set, for what it may exec (set-user-ID programs). */
static json_t *process_json(const struct container *c)
{
	const struct security *s = &c->sec;
	uint64_t in_effect = s->uid == 0 ? s->caps : 0;

	return json_pack(
		"{s:b, s:{s:I, s:I}, s:o, s:o, s:s, s:{s:o, s:o, s:o, s:[], "
		"s:[]}, s:o, s:b}",
		"terminal", 0, "user", "uid", (json_int_t)s->uid, "gid",
		(json_int_t)s->gid, "args", args_json(c), "env", env_json(c),
		"cwd", "/", "capabilities", "bounding", caps_json(s->caps),
		"effective", caps_json(in_effect), "permitted",
		caps_json(in_effect), "inheritable", "ambient", "rlimits",
		rlimits_json(s), "noNewPrivileges", 1);
}

static json_t *mount_json(const char *destination, const char *type,
			  const char *source, const char *const *options)
{
	json_t *o = json_array();

	for (; *options; options++)
		json_array_append_new(o, json_string(*options));
	return json_pack("{s:s, s:s, s:s, s:o}", "destination", destination,
			 "type", type, "source", source, "options", o);
}

/* The default mounts; the hostname file barge writes into the bundle;
 * the init, from next to barge (an absolute path, as runtimes want). */
static json_t *mounts_json(const struct container *c, const char *dir,
			   const char *init)
{
	static const char *const bind_ro[] = { "bind", "ro", NULL };
	static const char *const bind[] = { "bind", NULL };
	char hostname[PATH_MAX];
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < ARRAY_SIZE(default_mounts); i++)
		json_array_append_new(a,
				      mount_json(default_mounts[i].destination,
						 default_mounts[i].type,
						 default_mounts[i].source,
						 default_mounts[i].options));
	snprintf(hostname, sizeof(hostname), "%s/hostname", dir);
	json_array_append_new(
		a, mount_json("/etc/hostname", "bind", hostname, bind));
	if (c->init)
		json_array_append_new(
			a, mount_json(INIT_PATH, "bind", init, bind_ro));
	return a;
}

static json_t *namespaces_json(const struct container *c)
{
	static const char *const types[] = { "pid", "network", "ipc",
					     "uts", "mount",   "cgroup" };
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < ARRAY_SIZE(types); i++)
		json_array_append_new(a, json_pack("{s:s}", "type", types[i]));
	if (c->sec.userns)
		json_array_append_new(a, json_pack("{s:s}", "type", "user"));
	return a;
}

static json_t *id_maps_json(const struct id_map *m, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		json_array_append_new(
			a, json_pack("{s:I, s:I, s:I}", "containerID",
				     (json_int_t)m[i].inside, "hostID",
				     (json_int_t)m[i].outside, "size",
				     (json_int_t)m[i].count));
	return a;
}

/* --memory, --cpus...: what limits.c parsed; 0 is "not given". */
static json_t *resources_json(const struct cg_limits *l)
{
	json_t *r = json_object(), *mem = json_object(), *cpu = json_object();

	/* LAB(resources-json): each limit that is set into mem, cpu or r: memory limit and swap, cpu quota (with its period) and shares, pids limit */
	if (l->memory)
		json_object_set_new(mem, "limit", json_integer(l->memory));
	if (l->memory_swap)
		json_object_set_new(mem, "swap", json_integer(l->memory_swap));
	if (l->cpu_quota) {
		json_object_set_new(cpu, "quota", json_integer(l->cpu_quota));
		json_object_set_new(cpu, "period", json_integer(CG_CPU_PERIOD));
	}
	if (l->cpu_shares)
		json_object_set_new(cpu, "shares", json_integer(l->cpu_shares));
	if (l->pids)
		json_object_set_new(r, "pids",
				    json_pack("{s:i}", "limit", l->pids));
	/* LAB STUB: (void)l; */
	/* LAB END */
	json_object_set_new(r, "memory", mem);
	json_object_set_new(r, "cpu", cpu);
	/* The devices cgroup: no device but those every container needs,
	 * which the runtime allows after these rules (runc's and crun's
	 * list: /dev/null, /dev/zero..., the terminals). mknod of any other
	 * node works with CAP_MKNOD, but the node cannot be opened: no way
	 * to the host's disks. */
	json_object_set_new(
		r, "devices",
		json_pack("[{s:b, s:s}]", "allow", 0, "access", "rwm"));
	return r;
}

static json_t *linux_json(const struct container *c)
{
	const struct security *s = &c->sec;
	char cgroup[PATH_MAX];
	json_t *l;

	l = json_pack("{s:o, s:o, s:o}", "namespaces", namespaces_json(c),
		      "maskedPaths", strv_json(s->masked), "readonlyPaths",
		      strv_json(s->readonly));
	/* An ordinary user has no cgroup (policy.c): no resources either. */
	if (l && !s->rootless) {
		snprintf(cgroup, sizeof(cgroup), "/%s/%s", CG_PARENT, c->id);
		json_object_set_new(l, "cgroupsPath", json_string(cgroup));
		json_object_set_new(l, "resources", resources_json(&c->limits));
	}
	if (l && s->userns) {
		json_object_set_new(l, "uidMappings",
				    id_maps_json(s->uid_map, s->n_maps));
		json_object_set_new(l, "gidMappings",
				    id_maps_json(s->gid_map, s->n_gid_maps));
	}
	if (l && !s->seccomp_unconfined)
		json_object_set_new(l, "seccomp",
				    seccomp_profile_to_json(&s->profile));
	return l;
}

/*
 * What the spec has no field for goes into annotations, which a runtime
 * that does not know them ignores: barge-runtime's own extension,
 * "org.barge.stats", asks it to print what the container used (--stats).
 */
static json_t *config_json(const struct container *c, const char *dir,
			   const char *rootfs, const char *init)
{
	json_t *config;

	config = json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}",
			   "ociVersion", "1.0.2", "process", process_json(c),
			   "root", "path", rootfs, "readonly", c->sec.read_only,
			   "hostname", c->hostname, "mounts",
			   mounts_json(c, dir, init), "linux", linux_json(c));
	if (config && c->stats)
		json_object_set_new(
			config, "annotations",
			json_pack("{s:s}", "org.barge.stats", "true"));
	return config;
}

/* barge-init, next to barge itself. */
static int init_path(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash || (size_t)(slash - buf) + sizeof("/barge-init") > size)
		return -ENAMETOOLONG;
	strcpy(slash, "/barge-init");
	return access(buf, X_OK) < 0 ? -errno : 0;
}

/* A file of the bundle, 0644: a remapped root must read it. */
static int write_bundle_file(const char *dir, const char *name,
			     const char *text)
{
	char path[PATH_MAX];
	int r;

	r = path_join(path, sizeof(path), dir, name);
	if (r == 0)
		r = write_file(path, text);
	return r;
}

/* The host gid of the container's root group: the remapped root's. */
static gid_t remapped_root_gid(const struct security *s)
{
	size_t i;

	for (i = 0; i < s->n_gid_maps; i++)
		if (s->gid_map[i].inside == 0)
			return s->gid_map[i].outside;
	return 0;
}

/* Bind-mount src (a directory, or a file) onto dst, which is made. */
static int bind_into_bundle(const char *src, const char *dst, bool is_dir)
{
	int r = is_dir ? (mkdir(dst, 0755) < 0 ? -errno : 0) : touch(dst, 0755);

	if (r < 0)
		return r;
	if (mount(src, dst, NULL, MS_BIND | (is_dir ? MS_REC : 0), NULL) < 0)
		return -errno;
	return 0;
}

/*
 * With --userns the container's root is an unprivileged uid on the host,
 * and runc and crun open root.path and the mount sources after becoming
 * it: a rootfs or a barge-init under /root (mode 0700, where a course is
 * often cloned) is out of its reach. As Docker gives a remapped root
 * /var/lib/docker/UID.GID, barge gives it the bundle: /run/barge-bundles
 * may be passed by anyone (0711, not listed), the bundle only by root and
 * the remapped root's group (0710), and the rootfs and barge-init are
 * bind-mounted into it: rootfs and init then name the mounts there.
 */
static int bundle_expose(const struct container *c, const char *dir,
			 char *rootfs, char *init)
{
	char path[PATH_MAX], parent[PATH_MAX], *slash;
	int r;

	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	if (chmod(parent, 0711) < 0 ||
	    chown(dir, 0, remapped_root_gid(&c->sec)) < 0 ||
	    chmod(dir, 0710) < 0)
		return -errno;
	r = path_join(path, sizeof(path), dir, "rootfs");
	if (r == 0)
		r = bind_into_bundle(rootfs, path, true);
	if (r < 0)
		return r;
	strcpy(rootfs, path);
	if (!c->init)
		return 0;
	r = path_join(path, sizeof(path), dir, "init");
	if (r == 0)
		r = bind_into_bundle(init, path, false);
	if (r < 0)
		return r;
	strcpy(init, path);
	return 0;
}

/*
 * Make dir and write dir/config.json and dir/hostname. The rootfs stays
 * where it is: config.json names it by its absolute path, which the spec
 * allows (root.path "rootfs", relative to the bundle, is the usual). With
 * a remapped root, bundle_expose() brings it into the bundle.
 */
int bundle_write(const struct container *c, const char *dir)
{
	char path[PATH_MAX], rootfs[PATH_MAX], init[PATH_MAX];
	char line[HOST_NAME_MAX + 2];
	json_t *config;
	int r;

	if (!realpath(c->rootfs, rootfs))
		return -errno;
	r = c->init ? init_path(init, sizeof(init)) : 0;
	if (r < 0)
		return r;
	r = mkdir_p(dir, 0700);
	if (r == 0 && c->sec.userns && !c->sec.rootless)
		r = bundle_expose(c, dir, rootfs, init);
	if (r < 0)
		return r;
	snprintf(line, sizeof(line), "%s\n", c->hostname);
	r = write_bundle_file(dir, "hostname", line);
	if (r == 0)
		r = path_join(path, sizeof(path), dir, "config.json");
	if (r < 0)
		return r;
	config = config_json(c, dir, rootfs, init);
	if (!config)
		return -ENOMEM;
	r = jp_dump_file(config, path);
	json_decref(config);
	return r;
}

/* Everything bundle_write() made, whatever it got to: bundle_expose()'s
 * mounts are detached first (their sources are the user's, untouched). */
void bundle_remove(const char *dir)
{
	static const char *const files[] = { "config.json", "hostname" };
	char path[PATH_MAX];
	size_t i;

	if (path_join(path, sizeof(path), dir, "rootfs") == 0) {
		umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
		rmdir(path);
	}
	if (path_join(path, sizeof(path), dir, "init") == 0) {
		umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
		unlink(path);
	}
	for (i = 0; i < ARRAY_SIZE(files); i++)
		if (path_join(path, sizeof(path), dir, files[i]) == 0)
			unlink(path);
	rmdir(dir);
}
