/* SPDX-License-Identifier: MIT */
/*
 * cmd_spec.c - "barge-runtime spec [--rootless] [--bundle DIR]": write a
 * config.json to start a bundle from, as "runc spec" does.
 *
 * It is a template, not a policy: the defaults of a container (Docker's
 * capabilities, its seccomp profile, its masked paths) are the engine's,
 * and barge writes them into each bundle. This is runc's example, the
 * smallest container worth editing, with two changes: no ambient
 * capabilities (raising one needs it inheritable too, and an inheritable
 * capability outlives an exec: CVE-2022-29162), and "terminal": false,
 * so that it runs without a console socket or a terminal of the caller's.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "runtime.h"
#include "util.h"

static const char spec_template[] =
	"{\n"
	" \"ociVersion\": \"" OCI_VERSION "\",\n"
	" \"process\": {\n"
	"  \"terminal\": false,\n"
	"  \"user\": { \"uid\": 0, \"gid\": 0 },\n"
	"  \"args\": [ \"sh\" ],\n"
	"  \"env\": [\n"
	"   \"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
	"   \"TERM=xterm\" ],\n"
	"  \"cwd\": \"/\",\n"
	"  \"capabilities\": {\n"
	"   \"bounding\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\","
	" \"CAP_NET_BIND_SERVICE\" ],\n"
	"   \"effective\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\","
	" \"CAP_NET_BIND_SERVICE\" ],\n"
	"   \"permitted\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\","
	" \"CAP_NET_BIND_SERVICE\" ] },\n"
	"  \"rlimits\": [\n"
	"   { \"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024 } ],\n"
	"  \"noNewPrivileges\": true },\n"
	" \"root\": { \"path\": \"rootfs\", \"readonly\": true },\n"
	" \"hostname\": \"barge\",\n"
	" \"mounts\": [\n"
	"  { \"destination\": \"/proc\", \"type\": \"proc\","
	" \"source\": \"proc\" },\n"
	"  { \"destination\": \"/dev\", \"type\": \"tmpfs\","
	" \"source\": \"tmpfs\",\n"
	"    \"options\": [ \"nosuid\", \"strictatime\", \"mode=755\","
	" \"size=65536k\" ] },\n"
	"  { \"destination\": \"/dev/pts\", \"type\": \"devpts\","
	" \"source\": \"devpts\",\n"
	"    \"options\": [ \"nosuid\", \"noexec\", \"newinstance\","
	" \"ptmxmode=0666\", \"mode=0620\", \"gid=5\" ] },\n"
	"  { \"destination\": \"/dev/shm\", \"type\": \"tmpfs\","
	" \"source\": \"shm\",\n"
	"    \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"mode=1777\","
	" \"size=65536k\" ] },\n"
	"  { \"destination\": \"/dev/mqueue\", \"type\": \"mqueue\","
	" \"source\": \"mqueue\",\n"
	"    \"options\": [ \"nosuid\", \"noexec\", \"nodev\" ] },\n"
	"  { \"destination\": \"/sys\", \"type\": \"sysfs\","
	" \"source\": \"sysfs\",\n"
	"    \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"ro\" ] },\n"
	"  { \"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\","
	" \"source\": \"cgroup\",\n"
	"    \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"relatime\","
	" \"ro\" ] } ],\n"
	" \"linux\": {\n"
	"  \"resources\": { \"devices\": [ { \"allow\": false,"
	" \"access\": \"rwm\" } ] },\n"
	"  \"namespaces\": [ { \"type\": \"pid\" }, { \"type\": \"network\" },"
	" { \"type\": \"ipc\" },\n"
	"    { \"type\": \"uts\" }, { \"type\": \"mount\" } ],\n"
	"  \"maskedPaths\": [ \"/proc/acpi\", \"/proc/asound\","
	" \"/proc/kcore\", \"/proc/keys\",\n"
	"    \"/proc/latency_stats\", \"/proc/timer_list\","
	" \"/proc/timer_stats\",\n"
	"    \"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\" ],\n"
	"  \"readonlyPaths\": [ \"/proc/bus\", \"/proc/fs\", \"/proc/irq\","
	" \"/proc/sys\",\n"
	"    \"/proc/sysrq-trigger\" ] }\n"
	"}\n";

static json_t *mount_at(json_t *mounts, const char *destination)
{
	const char *d;
	json_t *m;
	size_t i;

	json_array_foreach(mounts, i, m)
	{
		d = json_string_value(json_object_get(m, "destination"));
		if (streq(d, destination))
			return m;
	}
	return NULL;
}

/* What changes for a user without privileges, as in runc's --rootless: a
 * user namespace in which our own ids are root; no network namespace
 * (it would have no way out), so /sys, which only the owner of the
 * network namespace may mount, is bound from the host's; no gid 5 for
 * /dev/pts, which has no mapping; and no device rules, as no cgroup can
 * be made without delegation. */
static void make_rootless(json_t *spec)
{
	json_t *lx = json_object_get(spec, "linux");
	json_t *ns = json_object_get(lx, "namespaces");
	json_t *mounts = json_object_get(spec, "mounts");
	json_t *sys = mount_at(mounts, "/sys");
	json_t *options =
		json_object_get(mount_at(mounts, "/dev/pts"), "options");
	json_t *v;
	size_t i;

	json_array_foreach(ns, i, v)
	{
		if (streq(json_string_value(json_object_get(v, "type")),
			  "network"))
			break;
	}
	json_array_remove(ns, i);
	json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
	json_object_set_new(lx, "uidMappings",
			    json_pack("[{s:i, s:I, s:i}]", "containerID", 0,
				      "hostID", (json_int_t)geteuid(), "size",
				      1));
	json_object_set_new(lx, "gidMappings",
			    json_pack("[{s:i, s:I, s:i}]", "containerID", 0,
				      "hostID", (json_int_t)getegid(), "size",
				      1));
	json_object_del(lx, "resources");
	json_object_set_new(sys, "type", json_string("none"));
	json_object_set_new(sys, "source", json_string("/sys"));
	json_array_insert_new(json_object_get(sys, "options"), 0,
			      json_string("rbind"));
	json_array_foreach(options, i, v)
	{
		if (streq(json_string_value(v), "gid=5"))
			break;
	}
	json_array_remove(options, i);
}

/* Write DIR/config.json, never over one that exists: someone may have
 * edited it. */
static int spec_write(const char *dir, bool rootless)
{
	char path[PATH_MAX], *text;
	json_error_t jerr;
	json_t *spec;
	int fd, r;

	r = path_join(path, sizeof(path), dir, "config.json");
	if (r < 0)
		return log_errno(r, "spec: bundle %s", dir);
	spec = json_loads(spec_template, JSON_DECODE_ANY, &jerr);
	if (!spec) /* a mistake in the template above */
		return log_errno(-EINVAL, "spec: the template, line %d: %s",
				 jerr.line, jerr.text);
	if (rootless)
		make_rootless(spec);
	text = json_dumps(spec, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	json_decref(spec);
	if (!text)
		return log_errno(-ENOMEM, "spec: write %s", path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		if (r == -EEXIST)
			log_error("spec: %s exists: remove it first", path);
		else
			log_errno(r, "spec: create %s", path);
		free(text);
		return r;
	}
	r = write_full(fd, text, strlen(text));
	if (r == 0)
		r = write_full(fd, "\n", 1);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0) {
		log_errno(r, "spec: write %s", path);
		unlink(path); /* nothing half-written */
	}
	free(text);
	return r;
}

struct spec_args {
	const char *bundle;
	bool rootless;
};

static int spec_option(int opt, const char *arg, void *data)
{
	struct spec_args *a = data;

	if (opt == 'b')
		a->bundle = arg;
	else /* --rootless */
		a->rootless = true;
	return 0;
}

int cmd_spec(const struct runtime_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct spec_args a = { .bundle = "." };
	const struct command_line cl = {
		.name = "spec",
		.usage =
			"Usage: barge-runtime spec [--rootless] [--bundle DIR]\n"
			"\n"
			"Write a config.json to start from into DIR (default:\n"
			"the current directory), for a root filesystem in\n"
			"DIR/rootfs. An existing config.json is left alone.\n"
			"\n"
			"  -b, --bundle DIR   the bundle directory\n"
			"      --rootless     for a user without privileges: a\n"
			"                     user namespace in which your ids\n"
			"                     are root\n",
		.shortopts = "b:",
		.longopts = longopts,
		.handle = spec_option,
		.data = &a,
	};
	int r, first;

	(void)o;
	r = parse_command_line(&cl, argc, argv, &first);
	if (r != 0)
		return r < 0;
	return spec_write(a.bundle, a.rootless) < 0;
}
