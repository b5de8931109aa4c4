/* SPDX-License-Identifier: MIT */
/*
 * escape_cases.c - hostile root filesystems; see escape_cases.h.
 *
 * Each case copies the rootfs into a scratch directory D, beside a
 * directory of "the host", D/victim, that holds one file, secret. The
 * copy gets symlinks to D/victim, absolute or relative, and config.json
 * names paths through them. A runtime that follows them on the host
 * makes, mounts or masks in D/victim; one that resolves them inside the
 * rootfs makes D/rootfs/D/victim instead.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "escape_cases.h"

static bundle_runner runner;

static const struct escape {
	const char *name;
	const char *link, *target; /* made in the rootfs; VICTIM: D/victim */
	bool replace;		   /* the link replaces a directory */
	bool victim_inside;	   /* the rootfs has VICTIM too, with secret */
	const char *mounts, *linux_extra, *script;
	const char *bundle_dir; /* made in D, the bundle, holding "bundled" */
	bool no_dev;		/* no tmpfs on /dev: the image's own */
	const char *error;	/* refused, saying so; else it runs */
} escapes[] = {
	{ "mount_under_absolute_symlink", "evil", "VICTIM", false, false,
	  ", {\"destination\": \"/evil/sub\", \"type\": \"tmpfs\", "
	  "\"source\": \"tmpfs\"}, {\"destination\": \"/evil/file\", "
	  "\"type\": \"bind\", \"source\": \"HOSTFILE\", \"options\": "
	  "[\"bind\"]}",
	  "", "test -d /evil/sub && grep -q bound /evil/file", NULL, false,
	  NULL },
	{ "mount_under_relative_symlink", "rel",
	  "../../../../../../../../../../VICTIM", false, false,
	  ", {\"destination\": \"/rel/sub\", \"type\": \"tmpfs\", "
	  "\"source\": \"tmpfs\"}",
	  "", "test -d /rel/sub", NULL, false, NULL },
	{ "dev_symlinked_out", "dev", "VICTIM", true, false, "", "",
	  "test -c /dev/null && test -c /dev/zero && test -L /dev/fd", NULL,
	  false, NULL },
	{ "proc_symlinked_out", "proc", "VICTIM", true, false, "", "",
	  "test -e /proc/self/status", NULL, false, NULL },
	{ "masked_path_symlinked_out", "evil", "VICTIM", false, true, "",
	  ", \"maskedPaths\": [\"/evil/secret\"]", "test ! -s /evil/secret",
	  NULL, false, NULL },
	{ "readonly_path_symlinked_out", "evil", "VICTIM", false, true, "",
	  ", \"readonlyPaths\": [\"/evil\"]", "! touch /evil/new 2>/dev/null",
	  NULL, false, NULL },
	/* a relative bind source is the bundle's, never the image's */
	{ "bind_source_is_the_bundles", "data", "VICTIM", false, false,
	  ", {\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": "
	  "\"data\", \"options\": [\"bind\"]}",
	  "", "test -e /mnt/bundled && test ! -e /mnt/secret", "data", false,
	  NULL },
	/* runc's CVE-2025-31133: the image's dev/null, which masks files,
	 * made a way to a file of the host's kernel. The script never
	 * writes: a runtime that let it through changes nothing here. */
	{ "dev_null_symlinked_into_proc", "dev/null",
	  "/proc/sys/kernel/core_pattern", true, false, "",
	  ", \"maskedPaths\": [\"/proc/keys\"]", "true", NULL, true,
	  "/dev/null, to mask paths: No such device" },
};

/* s with every VICTIM and HOSTFILE replaced, into buf. */
static void expand(char *buf, size_t size, const char *s, const char *victim,
		   const char *hostfile)
{
	const char *v, *h, *next, *with;
	size_t n = 0, len;

	while (*s) {
		v = strstr(s, "VICTIM");
		h = strstr(s, "HOSTFILE");
		next = v && (!h || v < h) ? v : h;
		if (!next) {
			len = strlen(s);
		} else {
			len = next - s;
		}
		ck_assert_uint_lt(n + len, size);
		memcpy(buf + n, s, len);
		n += len;
		if (!next)
			break;
		with = next == v ? victim : hostfile;
		ck_assert_uint_lt(n + strlen(with), size);
		strcpy(buf + n, with);
		n += strlen(with);
		s = next + (next == v ? strlen("VICTIM") : strlen("HOSTFILE"));
	}
	buf[n] = '\0';
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	ck_assert_msg(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void shell(const char *fmt, const char *a, const char *b)
{
	char cmd[PATH_MAX * 3];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
}

/* What is in dir, one level, sorted: "secret\n" if untouched. */
static void listing(const char *dir, char *buf, size_t size)
{
	struct dirent **names;
	int n, i;

	buf[0] = '\0';
	n = scandir(dir, &names, NULL, alphasort);
	ck_assert_msg(n >= 0, "%s: %s", dir, strerror(errno));
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") &&
		    strcmp(names[i]->d_name, ".."))
			snprintf(buf + strlen(buf), size - strlen(buf), "%s\n",
				 names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

START_TEST(escape_case)
{
	const struct escape *e = &escapes[_i];
	char dir[64] = "/tmp/barge-esc-XXXXXX", victim[128], rootfs[128];
	char hostfile[128], path[PATH_MAX], text[256], config[8192];
	char mounts[1024], linux_extra[512], target[PATH_MAX], before[256];
	char after[256];
	struct run_result r;

	require_root();
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", dir);
	snprintf(hostfile, sizeof(hostfile), "%s/hostfile", dir);
	ck_assert_int_eq(mkdir(victim, 0755), 0);
	snprintf(path, sizeof(path), "%s/secret", victim);
	write_text(path, "host-secret\n");
	write_text(hostfile, "bound\n");
	shell("cp -a %s %s", test_rootfs(), rootfs);
	snprintf(path, sizeof(path), "%s/%s", rootfs, e->link);
	if (e->replace)
		shell("rm -rf %s%s", path, "");
	expand(target, sizeof(target), e->target, victim, hostfile);
	ck_assert_int_eq(symlink(target, path), 0);
	if (e->bundle_dir) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->bundle_dir);
		ck_assert_int_eq(mkdir(path, 0755), 0);
		snprintf(path, sizeof(path), "%s/%s/bundled", dir,
			 e->bundle_dir);
		write_text(path, "bundled\n");
	}
	if (e->victim_inside) {
		shell("mkdir -p %s%s", rootfs, victim);
		snprintf(path, sizeof(path), "%s%s/secret", rootfs, victim);
		write_text(path, "container-secret\n");
	}
	listing(victim, before, sizeof(before));

	expand(mounts, sizeof(mounts), e->mounts, victim, hostfile);
	expand(linux_extra, sizeof(linux_extra), e->linux_extra, victim,
	       hostfile);
	snprintf(config, sizeof(config),
		 "{\"ociVersion\": \"1.0.2\",\n"
		 " \"process\": {\"terminal\": false, \"user\": {\"uid\": 0, "
		 "\"gid\": 0}, \"args\": [\"sh\", \"-c\", \"%s\"], \"env\": "
		 "[\"PATH=/usr/sbin:/usr/bin:/sbin:/bin\"], \"cwd\": \"/\"},\n"
		 " \"root\": {\"path\": \"%s\"},\n"
		 " \"mounts\": [{\"destination\": \"/proc\", \"type\": "
		 "\"proc\", \"source\": \"proc\"}%s%s],\n"
		 " \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, "
		 "{\"type\": \"mount\"}, {\"type\": \"ipc\"}, {\"type\": "
		 "\"uts\"}, {\"type\": \"network\"}]%s}}\n",
		 e->script, rootfs,
		 e->no_dev ? ""
			   : ", {\"destination\": \"/dev\", \"type\": "
			     "\"tmpfs\", \"source\": \"tmpfs\", \"options\": "
			     "[\"nosuid\", \"mode=755\"]}",
		 mounts, linux_extra);
	snprintf(path, sizeof(path), "%s/config.json", dir);
	write_text(path, config);

	runner(&r, dir, "escape");
	listing(victim, after, sizeof(after));
	snprintf(path, sizeof(path), "%s/secret", victim);
	text[0] = '\0';
	{
		FILE *f = fopen(path, "re");

		if (f) {
			if (!fgets(text, sizeof(text), f))
				text[0] = '\0';
			fclose(f);
		}
	}
	remove_scratch(dir);
	ck_assert_msg(strcmp(before, after) == 0,
		      "%s: the host's directory changed: '%s' is now '%s'",
		      e->name, before, after);
	ck_assert_str_eq(text, "host-secret\n");
	if (e->error)
		ck_assert_msg(r.code != 0 && strstr(r.err, e->error),
			      "%s: exit %d, not refused: %s", e->name, r.code,
			      r.err);
	else
		ck_assert_msg(r.code == 0, "%s: exit %d: %s%s", e->name, r.code,
			      r.out, r.err);
}
END_TEST

/* FNV-1a of a whole file. */
static unsigned long long file_hash(const char *path)
{
	unsigned long long h = 1469598103934665603ULL;
	unsigned char buf[65536];
	ssize_t n, i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ULL;
	close(fd);
	return h;
}

void assert_sealed_exe(pid_t pid, const char *binary)
{
	unsigned long long before = file_hash(binary);
	char exe[64], link[PATH_MAX] = "";
	int fd, seals, w, open_err = 0;
	ssize_t wrote = -1;
	struct statvfs sv;
	bool readonly;

	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	fd = open(exe, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "%s: %s", exe, strerror(errno));
	seals = fcntl(fd, F_GET_SEALS);
	readonly = fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY);
	close(fd);
	if (readlink(exe, link, sizeof(link) - 1) < 0)
		link[0] = '\0';
	/* what an attacker does: open it for writing, and write */
	w = open(exe, O_WRONLY | O_CLOEXEC);
	if (w >= 0) {
		wrote = write(w, "\x7f", 1);
		close(w);
	} else {
		open_err = errno;
	}
	/* ETXTBSY is no protection: it lasts only while the file runs;
	 * a read-only mount (EROFS) or the seals last */
	ck_assert_msg(readonly || (seals >= 0 && (seals & F_SEAL_WRITE)),
		      "%s (%s) is neither on a read-only mount nor a sealed "
		      "copy (open for writing: %s)",
		      exe, link, open_err ? strerror(open_err) : "allowed");
	ck_assert_msg(wrote < 0, "a write through %s succeeded", exe);
	ck_assert_msg(file_hash(binary) == before, "%s changed", binary);
}

void add_escape_cases(Suite *s, bundle_runner run)
{
	size_t i;

	runner = run;
	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		TCase *tc = tcase_create(escapes[i].name);

		tcase_add_loop_test(tc, escape_case, i, i + 1);
		tcase_set_timeout(tc, 60);
		suite_add_tcase(s, tc);
	}
}

const struct long_path_case long_paths[N_LONG_PATHS] = {
	{ 4200, 99, "linux.cgroupsPath: too long" },
	{ 4090, 99, "File name too long" },
	{ 4070, 99, "File name too long" },
	{ 400, 256, "File name too long" },
};

void long_path(char *buf, size_t total, size_t part)
{
	size_t n = strlen(strcpy(buf, "barge/long")), k;

	while (n < total) {
		buf[n++] = '/';
		for (k = 0; k < part && n < total; k++)
			buf[n++] = 'x';
	}
	buf[n] = '\0';
}
