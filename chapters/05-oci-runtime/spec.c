/* SPDX-License-Identifier: MIT */
/*
 * spec.c - the default config.json that "barge-runtime spec" writes, as
 * "runc spec" does: a starting point to edit, and a summary of what a
 * container is by default.
 *
 * It differs from runc's in three places, each a choice chapter 04 made:
 * Docker's default capabilities (runc keeps only three), none of them
 * inheritable or ambient (CVE-2022-24769), and a cgroup namespace (as
 * Docker on cgroup v2). The capabilities and the masked and read-only
 * paths are chapter 04's own lists (caps.c, paths.c): what barge run
 * gives a container, barge-runtime spec writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"
#include "util.h"

/* The mounts every container gets, as runc spec writes them. */
struct spec_mount {
	const char *destination, *type, *source;
	const char *options[8];
};

static const struct spec_mount spec_mounts[] = {
	{ "/proc", "proc", "proc", { NULL } },
	{ "/dev",
	  "tmpfs",
	  "tmpfs",
	  { "nosuid", "strictatime", "mode=755", "size=65536k" } },
	{ "/dev/pts",
	  "devpts",
	  "devpts",
	  { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
	    "gid=5" } },
	{ "/dev/shm",
	  "tmpfs",
	  "shm",
	  { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" } },
	{ "/dev/mqueue", "mqueue", "mqueue", { "nosuid", "noexec", "nodev" } },
	{ "/sys", "sysfs", "sysfs", { "nosuid", "noexec", "nodev", "ro" } },
	{ "/sys/fs/cgroup",
	  "cgroup",
	  "cgroup",
	  { "nosuid", "noexec", "nodev", "relatime", "ro" } },
};

/* What a rootless container gets instead: it cannot mount sysfs (it does
 * not own the network namespace's devices), nor give /dev/pts a group it
 * has no mapping for. */
static const struct spec_mount rootless_mounts[] = {
	{ "/dev/pts",
	  "devpts",
	  "devpts",
	  { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620" } },
	{ "/sys",
	  "none",
	  "/sys",
	  { "rbind", "nosuid", "noexec", "nodev", "ro" } },
};

/* Namespaces, in runc's order. */
static const char *const spec_namespaces[] = {
	"pid", "network", "ipc", "uts", "mount", "cgroup", NULL,
};

json_t *spec_strv(const char *const *v)
{
	json_t *a = json_array();

	while (a && *v)
		json_array_append_new(a, json_string(*v++));
	return a;
}

json_t *spec_caps(uint64_t caps)
{
	json_t *a = json_array();
	char name[64];
	int cap;

	for (cap = 0; a && cap < 64; cap++)
		if (caps_has(caps, cap) &&
		    caps_name(cap, name, sizeof(name)) == 0)
			json_array_append_new(a, json_string(name));
	return a;
}

static json_t *spec_process(void)
{
	const char *const args[] = { "sh", NULL };
	const char *const env[] = {
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"TERM=xterm", NULL
	};

	return json_pack("{s:b, s:{s:i, s:i}, s:o, s:o, s:s, "
			 "s:{s:o, s:o, s:o}, s:[{s:s, s:i, s:i}], s:b}",
			 "terminal", 1, "user", "uid", 0, "gid", 0, "args",
			 spec_strv(args), "env", spec_strv(env), "cwd", "/",
			 "capabilities", "bounding", spec_caps(caps_default()),
			 "effective", spec_caps(caps_default()), "permitted",
			 spec_caps(caps_default()), "rlimits", "type",
			 "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
			 "noNewPrivileges", 1);
}

static json_t *mount_json(const struct spec_mount *m)
{
	json_t *j;

	j = json_pack("{s:s, s:s, s:s}", "destination", m->destination, "type",
		      m->type, "source", m->source);
	if (j && m->options[0])
		json_object_set_new(j, "options", spec_strv(m->options));
	return j;
}

static json_t *spec_mounts_json(bool rootless)
{
	const struct spec_mount *m;
	json_t *a = json_array();
	size_t i, j;

	for (i = 0; a && i < ARRAY_SIZE(spec_mounts); i++) {
		m = &spec_mounts[i];
		for (j = 0; rootless && j < ARRAY_SIZE(rootless_mounts); j++)
			if (streq(m->destination,
				  rootless_mounts[j].destination))
				m = &rootless_mounts[j];
		json_array_append_new(a, mount_json(m));
	}
	return a;
}

/* The ids we run as become root in the container's user namespace. */
static json_t *id_mapping(unsigned id)
{
	return json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
			 (json_int_t)id, "size", 1);
}

static json_t *spec_linux(bool rootless)
{
	json_t *l, *ns = json_array();
	size_t i;

	for (i = 0; ns && spec_namespaces[i]; i++) {
		/* Without privileges no new network namespace would have
		 * a way out: runc's rootless spec leaves it out too. */
		if (rootless && streq(spec_namespaces[i], "network"))
			continue;
		json_array_append_new(
			ns, json_pack("{s:s}", "type", spec_namespaces[i]));
	}
	if (rootless)
		json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
	l = json_pack("{s:o, s:o, s:o}", "namespaces", ns, "maskedPaths",
		      spec_strv(paths_default_masked), "readonlyPaths",
		      spec_strv(paths_default_readonly));
	if (!l)
		return NULL;
	if (rootless) {
		json_object_set_new(l, "uidMappings", id_mapping(geteuid()));
		json_object_set_new(l, "gidMappings", id_mapping(getegid()));
	} else {
		/* Deny every device; the runtime allows the standard ones. */
		json_object_set_new(l, "resources",
				    json_pack("{s:[{s:b, s:s}]}", "devices",
					      "allow", 0, "access", "rwm"));
	}
	return l;
}

json_t *spec_default(bool rootless)
{
	return json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}",
			 "ociVersion", OCI_VERSION, "process", spec_process(),
			 "root", "path", "rootfs", "readonly", 1, "hostname",
			 "barge", "mounts", spec_mounts_json(rootless), "linux",
			 spec_linux(rootless));
}

int spec_write(const char *bundle, bool rootless)
{
	char path[4096];
	json_t *spec;
	char *text;
	int fd, r;

	r = path_join(path, sizeof(path), bundle, "config.json");
	if (r < 0)
		return r;
	spec = spec_default(rootless);
	text = spec ? json_dumps(spec, JSON_INDENT(4) | JSON_PRESERVE_ORDER)
		    : NULL;
	json_decref(spec);
	if (!text)
		return -ENOMEM;
	/* O_EXCL: never overwrite a config.json someone has edited. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		goto out_free;
	}
	r = write_full(fd, text, strlen(text));
	if (r >= 0)
		r = write_full(fd, "\n", 1);
	if (close(fd) < 0 && r >= 0)
		r = -errno;
	if (r < 0)
		unlink(path);
out_free:
	free(text);
	return r;
}
