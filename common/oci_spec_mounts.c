/* SPDX-License-Identifier: MIT */
/*
 * oci_spec_mounts.c - config.json's "mounts", with their options split the way
 * mount(2) takes them.
 *
 * config.json lists a mount's options as mount(8) does, "nosuid", "ro",
 * "mode=755", all in one array. mount(2) wants three things instead: the
 * flags it knows (MS_NOSUID, MS_RDONLY), the propagation (MS_PRIVATE...,
 * which needs a second call), and a data string for the filesystem
 * ("mode=755,size=65536k"). runc and crun split them with a table like
 * the one below; anything not in it goes to the filesystem as data.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "oci_spec_parse.h"
#include "strv.h"
#include "util.h"

static const struct mount_option {
	const char *name;
	bool clear; /* "rw" clears MS_RDONLY */
	unsigned long flag;
} mount_options[] = {
	{ "async", true, MS_SYNCHRONOUS },
	{ "atime", true, MS_NOATIME },
	{ "bind", false, MS_BIND },
	{ "defaults", false, 0 },
	{ "dev", true, MS_NODEV },
	{ "diratime", true, MS_NODIRATIME },
	{ "dirsync", false, MS_DIRSYNC },
	{ "exec", true, MS_NOEXEC },
	{ "lazytime", false, MS_LAZYTIME },
	{ "mand", false, MS_MANDLOCK },
	{ "noatime", false, MS_NOATIME },
	{ "nodev", false, MS_NODEV },
	{ "nodiratime", false, MS_NODIRATIME },
	{ "noexec", false, MS_NOEXEC },
	{ "nolazytime", true, MS_LAZYTIME },
	{ "nomand", true, MS_MANDLOCK },
	{ "norelatime", true, MS_RELATIME },
	{ "nostrictatime", true, MS_STRICTATIME },
	{ "nosuid", false, MS_NOSUID },
	{ "rbind", false, MS_BIND | MS_REC },
	{ "relatime", false, MS_RELATIME },
	{ "remount", false, MS_REMOUNT },
	{ "ro", false, MS_RDONLY },
	{ "rw", true, MS_RDONLY },
	{ "strictatime", false, MS_STRICTATIME },
	{ "suid", true, MS_NOSUID },
	{ "sync", false, MS_SYNCHRONOUS },
};

static const struct {
	const char *name;
	unsigned long flags;
} propagations[] = {
	{ "private", MS_PRIVATE },
	{ "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED },
	{ "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE },
	{ "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE },
	{ "runbindable", MS_UNBINDABLE | MS_REC },
};

int oci_propagation_flags(const char *name, unsigned long *ret)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(propagations); i++)
		if (streq(name, propagations[i].name)) {
			*ret = propagations[i].flags;
			return 0;
		}
	return -EINVAL;
}

/* Append an option mount(2) does not know to the data string. */
static int append_data(char **data, const char *opt)
{
	size_t n = *data ? strlen(*data) : 0;
	char *s;

	s = realloc(*data, n + strlen(opt) + 2);
	if (!s)
		return -ENOMEM;
	if (n)
		s[n++] = ',';
	strcpy(s + n, opt);
	*data = s;
	return 0;
}

static int split_options(struct oci_mount *m)
{
	unsigned long prop;
	size_t i, j;
	int r;

	for (i = 0; m->options && m->options[i]; i++) {
		const char *o = m->options[i];

		for (j = 0; j < ARRAY_SIZE(mount_options); j++)
			if (streq(o, mount_options[j].name))
				break;
		if (j < ARRAY_SIZE(mount_options)) {
			if (mount_options[j].clear)
				m->flags &= ~mount_options[j].flag;
			else
				m->flags |= mount_options[j].flag;
			continue;
		}
		if (oci_propagation_flags(o, &prop) == 0) {
			m->propagation = prop & ~MS_REC;
			m->recursive |= (prop & MS_REC) != 0;
			continue;
		}
		/* crun's extension, which podman uses for /run and /tmp. */
		if (streq(o, "tmpcopyup")) {
			m->tmpcopyup = true;
			continue;
		}
		r = append_data(&m->data, o);
		if (r < 0)
			return r;
	}
	/* MS_REC on the flags means rbind; keep it apart, as a bool. */
	if (m->flags & MS_REC) {
		m->flags &= ~MS_REC;
		m->recursive = true;
	}
	if (streq(m->type, "bind"))
		m->flags |= MS_BIND;
	return 0;
}

static int parse_mount(struct jp *p, json_t *v, const char *path,
		       struct oci_mount *m)
{
	int r;

	r = jp_want_object(p, v, path);
	if (r < 0)
		return r;
	r = jp_string(p, v, path, "destination", JP_REQUIRED, &m->destination);
	if (r < 0)
		return r;
	/* The spec still allows a relative destination, deprecated; runc
	 * 1.1 warns, barge refuses: "/" + it is what was meant, so say so. */
	if (m->destination[0] != '/')
		return jp_fail(p, path,
			       "destination must be an absolute path (not "
			       "\"%s\")",
			       m->destination);
	/* Made and mounted on relative to the rootfs, before pivot_root:
	 * a ".." would reach the host's files. */
	if (path_has_dotdot(m->destination))
		return jp_fail(p, path,
			       "destination \"%s\" has a \"..\" in it: it must "
			       "stay in the root filesystem",
			       m->destination);
	r = jp_string(p, v, path, "type", JP_OPTIONAL, &m->type);
	if (r < 0)
		return r;
	r = jp_string(p, v, path, "source", JP_OPTIONAL, &m->source);
	if (r < 0)
		return r;
	r = jp_strv(p, v, path, "options", JP_OPTIONAL, &m->options);
	if (r < 0)
		return r;
	r = split_options(m);
	if (r < 0)
		return r;
	if ((m->flags & MS_BIND) && !m->source)
		return jp_fail(p, path, "a bind mount needs a source");
	return 0;
}

int oci_parse_mounts(struct jp *p, json_t *root, struct oci_config *c)
{
	char path[JP_PATH_MAX];
	json_t *a, *v;
	size_t i;
	int r;

	r = jp_array(p, root, "", "mounts", JP_OPTIONAL, &a);
	if (r <= 0)
		return r;
	c->mounts = calloc(json_array_size(a) + 1, sizeof(*c->mounts));
	if (!c->mounts)
		return -ENOMEM;
	json_array_foreach(a, i, v)
	{
		c->n_mounts++;
		r = parse_mount(p, v, jp_index(path, "mounts", i),
				&c->mounts[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

void oci_mounts_free(struct oci_mount *m, size_t n)
{
	size_t i;

	for (i = 0; m && i < n; i++) {
		free(m[i].destination);
		free(m[i].type);
		free(m[i].source);
		strv_free(m[i].options);
		free(m[i].data);
	}
	free(m);
}
